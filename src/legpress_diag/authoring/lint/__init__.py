"""`rules lint`: every problem in a rule base, with positions, from one run.

Problems found while loading (syntax, schema, names) come from the loader; checks
in ``checks/`` analyse a rule base that loads, including an exhaustive walk of
each cause's answer space.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...diagnostics import Diagnostic, RuleBaseError, Severity, SourceSpan
from ...loader import build_rulebase, read_all, rule_files, shown_name
from ...rulebase import RuleBase
from ...sources import expand_paths
from ..exhaustive import CauseWalk, walk_all
from .context import LintContext
from .registry import CHECKS


@dataclass
class LintReport:
    diagnostics: list[Diagnostic]
    files: list[str]
    rulebase: RuleBase | None
    walks: list[CauseWalk] = field(default_factory=list)
    exhaustive_seconds: float = 0.0

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
    parsed, problems = read_all(files)
    rulebase = None
    if not problems:
        try:
            rulebase = build_rulebase(parsed)
        except RuleBaseError as exc:
            problems = list(exc.diagnostics)
    started = time.perf_counter()
    walks = walk_all(rulebase) if rulebase is not None and exhaustive else []
    seconds = time.perf_counter() - started
    context = LintContext(parsed, rulebase, walks)
    found = list(problems)
    for module in CHECKS.values():
        check = getattr(module, "check", None)
        if check is not None:
            found.extend(check(context))
    shown = [shown_name(path) for path in files]
    if paths:
        targets = {shown_name(path) for path in expand_paths(paths)}
        found = [d for d in found if d.span is None or d.span.path in targets]
        shown = [name for name in shown if name in targets]
    order = {name: i for i, name in enumerate(shown)}

    def position(d: Diagnostic) -> tuple[int, int, int, str]:
        span = d.span or SourceSpan("", 0, 0)
        return (order.get(span.path, -1), span.line, span.col, d.code)

    return LintReport(sorted(found, key=position), shown, rulebase, walks, seconds)
