"""`rules lint`: every problem in a rule base, with positions, from one run.

Problems found while loading (syntax, schema, names) come from the loader; checks
in ``checks/`` analyse the rule base, including an exhaustive walk of each cause's
answer space. One run reports all it can: files are validated item by item, an item
with a schema error is repaired where it can be (a misspelt field read under its
meant name) so its names and references are still checked, and the analysis runs
on what compiled, leaving out the findings that would only echo a failed item (see
``left_out``). Only a file that is not YAML at all stops the analysis. Findings a
``# lint: disable=CODE`` comment names are left out (see ``suppression``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...foundation.files import read_at_most
from ...foundation.problems import (
    Diagnostic,
    EngineLoopError,
    RuleBaseError,
    Severity,
    SourceSpan,
)
from ...knowledge.bundled import shown_name
from ...knowledge.loader import check_partial, manifest_problems, read_all, rule_files
from ...knowledge.packs.manifest import MANIFEST_NAME
from ...knowledge.packs.tomlfile import MAX_TOML_BYTES
from ...knowledge.paths import display_path, expand_paths
from ...knowledge.rulebase import RuleBase
from ..exhaustive import CauseWalk, walk_all
from . import suppression
from .context import LintContext
from .left_out import left_out
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
    # A pack's manifest problems are findings like any other: they must not hide the
    # problems of the pack's rule files ("one run shows everything").
    manifests = manifest_problems([*rules, *paths], include_bundled)
    files = rule_files([*rules, *paths], include_bundled, check_manifests=False)
    parsed, problems = read_all(files, partial=True)
    rulebase, problems = check_partial(parsed, problems, complete=len(parsed) == len(files))
    skipped = left_out(parsed, problems, rulebase) if rulebase is not None else None
    started = time.perf_counter()
    loops: list[EngineLoopError] = []
    try:
        walks = walk_all(rulebase) if rulebase is not None and exhaustive else []
    except EngineLoopError as exc:
        walks, loops = [], [exc]
    seconds = time.perf_counter() - started
    context = LintContext(parsed, rulebase, walks)
    found = [*manifests, *problems]
    for module in CHECKS.values():
        check = getattr(module, "check", None)
        if check is not None:
            try:
                findings = list(check(context))
            except EngineLoopError as exc:  # a check that runs the engine met the loop
                loops.append(exc)
                continue
            found.extend(d for d in findings if not (skipped and skipped.echoes(d)))
    if loops and rulebase is not None:
        found.append(_engine_loop_finding(rulebase, loops[0]))
    sources = _sources(files)
    sources |= _manifest_sources(manifests)
    # The analysis ran in full only on a rule base with nothing left out; otherwise a
    # `# lint: disable` of one of its codes may be waiting for a finding not made.
    whole = rulebase is not None and not skipped
    ran = {"load"} | ({"analysis", "exhaustive"} if whole else set())
    if not exhaustive:
        ran.discard("exhaustive")
    found, suppressed = suppression.apply(found, sources, ran)
    # A manifest read is a file linted: "2 errors in 2 of 2 files", not "in 1 file".
    packs = [display_path(p) for p in _manifests([*rules, *paths])]
    shown = [*packs, *(shown_name(path) for path in files)]
    if paths:
        targets = {shown_name(path) for path in expand_paths(paths)}
        targets |= {display_path(p) for p in _manifests(paths)}
        found = [d for d in found if d.span is None or d.span.path in targets]
        shown = [name for name in shown if name in targets]
    order = {name: i for i, name in enumerate(shown)}

    def position(d: Diagnostic) -> tuple[int, int, int, str]:
        span = d.span or SourceSpan("", 0, 0)
        return (order.get(span.path, -1), span.line, span.col, d.code)

    return LintReport(
        sorted(found, key=position), shown, rulebase, walks, seconds, sources, suppressed
    )


def _engine_loop_finding(rb: RuleBase, loop: EngineLoopError) -> Diagnostic:
    """The engine never settled on some answers: an error, at the rule it named.
    Raised, it ended the lint with one line and no finding, while every record with
    such answers gets an error result (check 32, A-H1)."""
    rule = next((r for r in rb.rules if r.id == loop.rule_id), None)
    return Diagnostic(
        "LP303",
        Severity.ERROR,
        f"the rules never settle on some answers: {loop}; a record with such answers "
        "gets an error instead of causes",
        None if rule is None else rule.span,
        "conclude from answers or from facts earlier in the chain",
    )


def _manifests(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The manifest of each pack folder among ``paths``."""
    found = (Path(path) / MANIFEST_NAME for path in paths if Path(path).is_dir())
    return [manifest for manifest in found if manifest.is_file()]


def _manifest_sources(manifests: Sequence[Diagnostic]) -> dict[str, str]:
    """The text of each manifest a finding is in, for its source line and caret."""
    texts = {}
    for path in {d.span.path for d in manifests if d.span is not None}:
        try:
            texts[path] = read_at_most(path, MAX_TOML_BYTES).decode("utf-8-sig", "replace")
        except OSError:
            continue  # its finding says it cannot be read
    return texts


def _sources(files: Sequence[Path]) -> dict[str, str]:
    """Each file's text, to show source lines and read suppression comments."""
    from ...knowledge.sources import read_limited

    texts = {}
    for path in files:
        try:  # bounded: /dev/zero reports a size of 0 and has no end
            texts[shown_name(path)] = read_limited(path, str(path)).decode("utf-8-sig", "replace")
        except RuleBaseError:
            continue  # its finding says it cannot be read
    return texts
