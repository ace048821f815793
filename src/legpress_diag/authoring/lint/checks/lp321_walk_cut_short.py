"""LP321 walk-cut-short: the exhaustive walk of a cause stopped before the end.

The walk tries every combination of answers to the questions a cause depends on,
within a bound on the work (see docs/robustness.md). A cause whose rules depend on
many questions, or a rule base of thousands of rules, can reach that bound: the
combinations left are not walked, so LP313 and LP314 say nothing about that cause.
This is information, not a mistake; it names what was skipped.

Bad:
    causes:
      - {id: everything_at_once, title: Everything at once, explanation: A cause that depends on a dozen answers., fixes: [stop_at_90_degrees], source: coach}
    rules:
      - {id: all-of-them, if: heels_lift and knees_cave_in and knees_lock_out and lower_back_rounds and pelvis_tucks_under and butt_lifts_off_seat and lower_back_arches and cramped_at_bottom and can_touch_toes and ankles_flexible and pain_worse_with_heavier_load and saddle_numbness, then: everything_at_once, cf: 0.4, source: coach}

Good:
    causes:
      - {id: everything_at_once, title: Everything at once, explanation: A cause that depends on two answers., fixes: [stop_at_90_degrees], source: coach}
    rules:
      - {id: two-of-them, if: heels_lift and knees_cave_in, then: everything_at_once, cf: 0.4, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP321"
NAME = "walk-cut-short"
SEVERITY = Severity.INFO
PHASE = "exhaustive"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for walk in ctx.walks:
        if walk.complete:
            continue
        yield Diagnostic(
            CODE,
            SEVERITY,
            f"the exhaustive walk of cause '{walk.cause}' covered {walk.walked:,} of "
            f"{walk.total:,} answer combinations (work budget) and skipped the rest: "
            "LP313 and LP314 did not check it",
            rb.causes[walk.cause].span,
            f"it depends on {len(walk.questions)} questions; fewer, or derived facts "
            "between them and the cause, make the walk complete",
        )
