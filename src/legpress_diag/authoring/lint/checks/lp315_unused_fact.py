"""LP315 unused-fact: a derived fact that no rule concludes, or that no rule reads.

Bad:
    facts:
      - {id: sore_hips, title: The hips are sore}

Good:
    facts:
      - {id: sore_hips, title: The hips are sore}
    rules:
      - {id: hips-sore, if: pain_location includes hips, then: sore_hips, cf: 1.0, source: coach}
      - {id: hips-tilt, if: sore_hips and pelvis_tucks_under, then: posterior_pelvic_tilt, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP315"
NAME = "unused-fact"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for fact in rb.facts.values():
        if fact.id not in rb.rules_by_conclusion:
            yield Diagnostic(
                CODE, SEVERITY, f"fact '{fact.id}' is never concluded by a rule", fact.span
            )
        elif fact.id not in rb.rules_by_fact:
            yield Diagnostic(CODE, SEVERITY, f"fact '{fact.id}' is never used by a rule", fact.span)
