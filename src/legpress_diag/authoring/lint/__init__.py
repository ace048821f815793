"""`rules lint`: every problem in a rule base, with positions, from one run.

Problems found while loading (syntax, schema, names) come from the loader; checks
in ``checks/`` analyse a rule base that loads, including an exhaustive walk of
each cause's answer space. Files are validated item by item, so a schema error in
one item does not hide the name and reference errors of the others. Findings a
``# lint: disable=CODE`` comment names are left out (see ``suppression``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan
from ...knowledge.loader import build_rulebase, read_all, rule_files, shown_name
from ...knowledge.rulebase import RuleBase
from ...knowledge.sources import ParsedFile, expand_paths
from ..exhaustive import CauseWalk, walk_all
from . import suppression
from .context import LintContext
from .registry import CHECKS


@dataclass
class LintReport:
    diagnostics: list[Diagnostic]
    files: list[str]
    rulebase: RuleBase | None
    walks: list[CauseWalk] = field(default_factory=list)
    exhaustive_seconds: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)  # shown path -> text, for carets
    suppressed: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def failed(self, strict: bool) -> bool:
        worst = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(d.severity in worst for d in self.diagnostics)


def lint(
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    rules: Sequence[str | os.PathLike[str]] = (),
    include_bundled: bool = True,
    exhaustive: bool = True,
) -> LintReport:
    """Lint the rule base made of the bundled base, ``rules`` and ``paths``.

    With ``paths``, only findings in those files are reported. Raises RuleBaseError
    only when a path does not exist.
    """
    files = rule_files([*rules, *paths], include_bundled)
    parsed, problems = read_all(files, partial=True)
    rulebase, problems = _build(parsed, problems, complete=len(parsed) == len(files))
    started = time.perf_counter()
    walks = walk_all(rulebase) if rulebase is not None and exhaustive else []
    seconds = time.perf_counter() - started
    context = LintContext(parsed, rulebase, walks)
    found = list(problems)
    for module in CHECKS.values():
        check = getattr(module, "check", None)
        if check is not None:
            found.extend(check(context))
    sources = _sources(files)
    ran = {"load"} | ({"analysis", "exhaustive"} if rulebase is not None else set())
    if not exhaustive:
        ran.discard("exhaustive")
    found, suppressed = suppression.apply(found, sources, ran)
    shown = [shown_name(path) for path in files]
    if paths:
        targets = {shown_name(path) for path in expand_paths(paths)}
        found = [d for d in found if d.span is None or d.span.path in targets]
        shown = [name for name in shown if name in targets]
    order = {name: i for i, name in enumerate(shown)}

    def position(d: Diagnostic) -> tuple[int, int, int, str]:
        span = d.span or SourceSpan("", 0, 0)
        return (order.get(span.path, -1), span.line, span.col, d.code)

    return LintReport(
        sorted(found, key=position), shown, rulebase, walks, seconds, sources, suppressed
    )


def _build(
    parsed: list[ParsedFile], problems: list[Diagnostic], complete: bool
) -> tuple[RuleBase | None, list[Diagnostic]]:
    """Compile what parsed; the rule base is kept for analysis only when nothing is wrong.

    When a file has schema problems its broken items are left out, and the names and
    references of the rest are still checked. A reference to a left-out item is not
    reported: its definition's own problem already is.
    """
    if not complete:  # a file that does not parse at all would make every name unknown
        return None, problems
    skipped = {ident for one in parsed for ident in one.skipped}
    try:
        rulebase = build_rulebase(parsed)
    except RuleBaseError as exc:
        found = [d for d in exc.diagnostics if not _about(d, skipped)]
        return None, _dedupe([*problems, *found])
    return (None if problems else rulebase), problems


def _about(diagnostic: Diagnostic, skipped: set[str]) -> bool:
    return diagnostic.code in ("LP203", "LP204", "LP205", "LP206") and any(
        f"'{ident}'" in diagnostic.message for ident in skipped
    )


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def _sources(files: Sequence[Path]) -> dict[str, str]:
    """Each file's text, to show source lines and read suppression comments."""
    from ...knowledge.yamlsafe import MAX_FILE_BYTES

    texts = {}
    for path in files:
        try:
            if path.stat().st_size <= MAX_FILE_BYTES:
                texts[shown_name(path)] = path.read_bytes().decode("utf-8-sig", "replace")
        except OSError:
            continue
    return texts
