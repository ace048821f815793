"""LP303 fact-cycle: derived facts that conclude each other in a loop.

The engine still looks for a fixpoint, but a loop can keep beliefs changing until
the firing limit stops it: each record with such answers then gets an error result
(its safety flags stand), and when lint's walk or a check meets such answers the
warning becomes an error at the rule that went past the limit. Break the loop.

Bad:
    facts:
      - {id: sore_back, title: The back is sore}
    rules:
      - {id: sore-from-flexion, if: lumbar_flexion, then: sore_back, cf: 0.5, source: coach}
      - {id: flexion-from-sore, if: sore_back, then: lumbar_flexion, cf: 0.5, source: coach}

Good:
    facts:
      - {id: sore_back, title: The back is sore}
    rules:
      - {id: sore-from-flexion, if: lumbar_flexion, then: sore_back, cf: 0.5, source: coach}
      - {id: sore-to-tilt, if: sore_back, then: posterior_pelvic_tilt, cf: 0.2, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.strata import cycles
from ..context import LintContext

CODE = "LP303"
NAME = "fact-cycle"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for loop in cycles(rb.rules):
        members = set(loop)
        rules = [r for r in rb.rules if r.concludes in members and r.facts & members]
        names = " → ".join([*loop, loop[0]])
        for rule in rules:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"rule '{rule.id}' is part of a loop among derived facts: {names}",
                rule.span,
                "conclude from answers or from facts earlier in the chain",
            )
