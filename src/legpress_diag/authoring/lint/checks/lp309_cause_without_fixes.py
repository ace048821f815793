"""LP309 cause-without-fixes: a cause that tells the lifter nothing to do.

Bad:
    causes:
      - {id: seat_too_low, title: Seat set too low, explanation: A low seat folds the hips past a right angle.}

Good:
    causes:
      - {id: seat_too_low, title: Seat set too low, explanation: A low seat folds the hips past a right angle., fixes: [stop_at_90_degrees]}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP309"
NAME = "cause-without-fixes"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for cause in rb.causes.values():
        if not cause.fixes:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"cause '{cause.id}' lists no fixes",
                cause.span,
                "add 'fixes: [...]'",
            )
