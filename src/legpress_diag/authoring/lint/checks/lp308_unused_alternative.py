"""LP308 unused-alternative: an alternative exercise that no cause suggests.

Bad:
    alternatives:
      - {id: sissy_squat, title: Sissy squat, how: Squat on your toes while leaning back., why: It loads the quads with no weight on the spine.}

Good:
    alternatives:
      - {id: sissy_squat, title: Sissy squat, how: Squat on your toes while leaning back., why: It loads the quads with no weight on the spine.}
    causes:
      - id: seat_too_low
        title: Seat set too low
        explanation: A low seat folds the hips past a right angle.
        fixes: [stop_at_90_degrees]
        alternatives: [sissy_squat]
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP308"
NAME = "unused-alternative"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    suggested = {alt for cause in rb.causes.values() for alt in cause.alternatives}
    for alt in rb.alternatives.values():
        if alt.id not in suggested:
            yield Diagnostic(
                CODE, SEVERITY, f"alternative '{alt.id}' is not suggested by any cause", alt.span
            )
