"""LP307 unused-fix: a fix that no cause lists.

Nobody will ever be shown it.

Bad:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}

Good:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}
    causes:
      - id: seat_too_low
        title: Seat set too low
        explanation: A low seat folds the hips past a right angle.
        fixes: [raise_the_seat]
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP307"
NAME = "unused-fix"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    listed = {fix for cause in rb.causes.values() for fix in cause.fixes}
    for fix in rb.fixes.values():
        if fix.id not in listed:
            yield Diagnostic(CODE, SEVERITY, f"fix '{fix.id}' is not listed by any cause", fix.span)
