"""LP314 coverage-gap: a clear sign of a fault is seen, yet the fault is not reported.

A yes/no question that on its own reports a cause (say `heels_lift` for
`heels_lifting`) is answered yes, but other answers pull the cause below the
threshold. Found by the exhaustive walk; the first such combination is shown so
you can decide whether that is right.

Bad:
    rules:
      - {id: heels-not-deep, if: knee_angle_at_bottom > 100, then: heels_lifting, cf: -0.9, source: coach}

Good:
    rules:
      - {id: heels-not-deep, if: knee_angle_at_bottom > 100, then: heels_lifting, cf: -0.2, source: coach}
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.strata import upstream
from ....reasoning.answers import denormalize
from ....reasoning.engine import infer
from ..context import LintContext

CODE = "LP314"
NAME = "coverage-gap"
SEVERITY = Severity.INFO
PHASE = "exhaustive"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for walk in ctx.walks:
        if not walk.gaps:
            continue
        example = {q: denormalize(rb.questions[q], v) for q, v in walk.gap_example.items()}
        # Point at the rule that speaks against the cause in the example: that is
        # usually the edit to look at.
        reasoning = infer(rb, walk.gap_example, trace=False)
        chain = upstream(rb, [walk.cause])
        against = [
            rule
            for rule in rb.rules
            if rule.concludes in chain
            and reasoning.support.get(rule.concludes, {}).get(rule.id, 0.0) < 0
        ]
        span = against[0].span if against else rb.causes[walk.cause].span
        yield Diagnostic(
            CODE,
            SEVERITY,
            f"cause '{walk.cause}' is not reported in {walk.gaps:,} of {walk.walked:,} answer "
            f"combinations that show a clear sign of it, e.g. {json.dumps(example)}",
            span,
            "check that the rules speaking against it are meant to outweigh that sign",
        )
