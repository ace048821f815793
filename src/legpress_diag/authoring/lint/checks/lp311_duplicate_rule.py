"""LP311 duplicate-rule: two rules with the same condition and conclusion.

The second one counts the same evidence twice.

Bad:
    rules:
      - {id: heels-again, if: heels_lift, then: heels_lifting, cf: 0.3, source: coach}

Good:
    rules:
      - {id: heels-with-knee-pain, if: heels_lift and knee_pain, then: heels_lifting, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....knowledge.conditions.ast import And, Condition, Not, Or, render
from ....knowledge.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP311"
NAME = "duplicate-rule"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def canonical(condition: Condition) -> str:
    """Condition text with and/or operands sorted, so 'a and b' equals 'b and a'."""
    if isinstance(condition, Not):
        return f"not ({canonical(condition.operand)})"
    if isinstance(condition, And | Or):
        word = " and " if isinstance(condition, And) else " or "
        return "(" + word.join(sorted(canonical(op) for op in condition.operands)) + ")"
    return render(condition)


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    seen: dict[tuple[str, str], str] = {}
    for rule in rb.rules:
        key = (rule.concludes, canonical(rule.condition))
        if key in seen:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"rule '{rule.id}' repeats rule '{seen[key]}' (same condition, same conclusion)",
                rule.span,
                "merge them into one rule with the combined certainty",
            )
        else:
            seen[key] = rule.id
