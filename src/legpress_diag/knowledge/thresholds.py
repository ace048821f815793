"""Whether numbers given for one question read alike in every test the rule base makes.

An age given twice (72 and 75) is one reading when no rule or safety flag tells the two
apart (every test ``age_years >= 65`` is true of both): either number gives the same
screen and the same causes. Two numbers a test tells apart (40 and 75 around 65, or 40
and 50 around the "under 45" of morning stiffness) are not one reading: whichever were
taken, a flag the other raises could be lost, so the caller reads them as not sure.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence

from .conditions.ast import Compare, Condition, leaves
from .conditions.parser import parse_condition
from .rulebase import RuleBase

_TESTS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


def read_alike(rb: RuleBase, question_id: str, numbers: Sequence[float]) -> bool:
    """Whether every comparison of ``question_id`` in the rule base's rules and safety
    flags gives the same outcome for each of ``numbers``."""
    for op, limit in _comparisons(rb, question_id):
        outcomes = {_TESTS[op](number, limit) for number in numbers}
        if len(outcomes) > 1:
            return False
    return True


def limits(rb: RuleBase, question_id: str) -> tuple[float, ...]:
    """Every number the rule base compares ``question_id`` with, once each, in order."""
    return tuple(sorted({limit for _, limit in _comparisons(rb, question_id)}))


def _comparisons(rb: RuleBase, question_id: str) -> Iterator[tuple[str, float]]:
    """Every comparison of the question: in the rules, in the safety flags' 'when' and
    'unless' (a coach's `unless: age_years >= 16` read 14 and 30 alike, and the flag
    was lost: check 35, A-H1), and in the fixes' and alternatives' 'unless'."""
    conditions: list[Condition] = [rule.condition for rule in rb.rules]
    conditions += [flag.condition for flag in rb.safety_flags.values()]
    unless = [flag.unless_text for flag in rb.safety_flags.values()]
    unless += [fix.unless_text for fix in rb.fixes.values()]
    unless += [alternative.unless_text for alternative in rb.alternatives.values()]
    conditions += [parse_condition(text) for text in unless if question_id in text]
    for condition in conditions:
        for leaf in leaves(condition):
            if (
                isinstance(leaf, Compare)
                and leaf.ref.name == question_id
                and leaf.op in _TESTS
                and isinstance(leaf.value.value, int | float)
            ):
                yield leaf.op, float(leaf.value.value)
