"""LP312 subsumed-rule: a rule that can only fire when a more general one fires too.

`heels_lift and knee_pain → heels_lifting` fires only when `heels_lift →
heels_lifting` also fires, so it adds certainty on top of it. That is often meant
(more evidence, more certainty); this note asks you to check that it is.

Bad:
    rules:
      - {id: heels-knee-pain, if: heels_lift and knee_pain, then: heels_lifting, cf: 0.3, source: coach}

Good:
    rules:
      - {id: heels-knee-pain, if: knees_cave_in and knee_pain, then: heels_lifting, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....knowledge.conditions.ast import And, Condition
from ....knowledge.problems import Diagnostic, Severity
from ..context import LintContext
from .lp311_duplicate_rule import canonical

CODE = "LP312"
NAME = "subsumed-rule"
SEVERITY = Severity.INFO
PHASE = "analysis"


def conjuncts(condition: Condition) -> frozenset[str]:
    operands = condition.operands if isinstance(condition, And) else (condition,)
    return frozenset(canonical(op) for op in operands)


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for conclusion, rules in rb.rules_by_conclusion.items():
        for specific in rules:
            for general in rules:
                if specific is general or (specific.cf > 0) != (general.cf > 0):
                    continue
                if conjuncts(general.condition) < conjuncts(specific.condition):
                    yield Diagnostic(
                        CODE,
                        SEVERITY,
                        f"rule '{specific.id}' fires only when rule '{general.id}' does; it adds "
                        f"certainty to '{conclusion}' on top of it",
                        specific.span,
                        "fine if more evidence should mean more certainty",
                    )
                    break
