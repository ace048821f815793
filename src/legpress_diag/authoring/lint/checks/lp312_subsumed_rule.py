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

import itertools
from collections.abc import Iterator, Sequence

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.conditions.ast import And, Condition
from ....knowledge.rulebase import Rule
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
        for specific, general in _subsumed(rules):
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"rule '{specific.id}' fires only when rule '{general.id}' does; it adds "
                f"certainty to '{conclusion}' on top of it",
                specific.span,
                "fine if more evidence should mean more certainty",
            )


def _subsumed(rules: Sequence[Rule]) -> Iterator[tuple[Rule, Rule]]:
    """Each rule whose conjuncts strictly include another's of the same sign, with the
    first such other rule. Near-linear: each rule's conjunct set is made once and
    looked up by its subsets (a rule has a handful of conjuncts), where comparing
    every pair took minutes for thousands of rules with one conclusion."""
    sets = [((rule.cf > 0), conjuncts(rule.condition)) for rule in rules]
    first: dict[tuple[bool, frozenset[str]], int] = {}
    for index, key in enumerate(sets):
        first.setdefault(key, index)
    for rule, (positive, own) in zip(rules, sets, strict=True):
        if 2 ** len(own) <= len(rules):
            found = [
                first[positive, frozenset(sub)]
                for size in range(len(own))
                for sub in itertools.combinations(sorted(own), size)
                if (positive, frozenset(sub)) in first
            ]
        else:  # more subsets than rules: compare with each rule instead
            found = [i for i, (sign, other) in enumerate(sets) if sign == positive and other < own]
        if found:
            yield rule, rules[min(found)]
