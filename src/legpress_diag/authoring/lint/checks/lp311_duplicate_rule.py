"""LP311 duplicate-rule: two rules with the same condition and conclusion.

The second one counts the same evidence twice. Conditions are compared once
normalised: `a and b` is `b and a`, and `x == yes` is `x` (`x == no` is `not x`).
When the other rule is in another file (a bundled one, say), the message says where.

Bad:
    rules:
      - {id: heels-again, if: heels_lift, then: heels_lifting, cf: 0.3, source: coach}

Good:
    rules:
      - {id: heels-with-knee-pain, if: heels_lift and knee_pain, then: heels_lifting, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.conditions.ast import And, Compare, Condition, Not, Or, Truth, render
from ....knowledge.rulebase import Rule
from ..context import LintContext

CODE = "LP311"
NAME = "duplicate-rule"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def canonical(condition: Condition) -> str:
    """Condition text with and/or operands sorted, so 'a and b' equals 'b and a', and a
    yes/no test written out ('x == yes', 'x != no') as the bare name."""
    if (
        isinstance(condition, Compare)
        and condition.op in ("==", "!=")
        and (condition.value.value in ("yes", "no"))
    ):
        holds = (condition.op == "==") == (condition.value.value == "yes")
        bare = canonical(Truth(condition.ref))
        return bare if holds else f"not ({bare})"
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
    seen: dict[tuple[str, str], Rule] = {}
    for rule in rb.rules:
        key = (rule.concludes, canonical(rule.condition))
        other = seen.get(key)
        if other is None:
            seen[key] = rule
            continue
        elsewhere = other.span is not None and (
            rule.span is None or other.span.path != rule.span.path
        )
        where = f" in {other.span.path}:{other.span.line}" if elsewhere and other.span else ""
        yield Diagnostic(
            CODE,
            SEVERITY,
            f"rule '{rule.id}' repeats rule '{other.id}'{where} (same condition, same conclusion)",
            rule.span,
            "merge them into one rule with the combined certainty",
        )
