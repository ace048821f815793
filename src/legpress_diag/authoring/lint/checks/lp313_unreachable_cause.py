"""LP313 unreachable-cause: no combination of answers reports this cause.

Found by walking every combination of answers to the questions the cause depends
on. Usually the cause has no rules yet, or their certainty never reaches the
report threshold (0.2).

Bad:
    causes:
      - {id: seat_too_low, title: Seat set too low, explanation: A low seat folds the hips past a right angle., fixes: [stop_at_90_degrees], source: coach}

Good:
    causes:
      - {id: seat_too_low, title: Seat set too low, explanation: A low seat folds the hips past a right angle., fixes: [stop_at_90_degrees], source: coach}
    rules:
      - {id: low-seat, if: knee_angle_at_bottom < 60, then: seat_too_low, cf: 0.4, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP313"
NAME = "unreachable-cause"
SEVERITY = Severity.ERROR
PHASE = "exhaustive"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    threshold = rb.settings.report_threshold
    for walk in ctx.walks:
        if walk.complete and walk.max_certainty < threshold:
            best = f"at most {walk.max_certainty:.2f}" if walk.questions else "no rule concludes it"
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"cause '{walk.cause}' can never be reported: {best} (threshold {threshold:g}), "
                f"over all {walk.total:,} answer combinations",
                rb.causes[walk.cause].span,
                "add a rule that concludes it",
            )
