"""Whether numbers given for one question read alike in every test the rule base makes.

An age given twice (72 and 75) is one reading when no rule or safety flag tells the two
apart (every test ``age_years >= 65`` is true of both): either number gives the same
screen and the same causes. Two numbers a test tells apart (40 and 75 around 65, or 40
and 50 around the "under 45" of morning stiffness) are not one reading: whichever were
taken, a flag the other raises could be lost, so the caller reads them as not sure.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence

from .conditions.ast import Compare, Condition, leaves
from .conditions.parser import parse_condition
from .rulebase import RuleBase, SafetyFlag

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
    flags gives the same outcome for each of ``numbers``. By bisection over the limits,
    sorted once per rule base: a pack of 20,000 comparisons costs microseconds a record."""
    if not numbers:
        return True
    low, high = min(numbers), max(numbers)
    if low == high:
        return True
    # `x == t` (and `x != t`) when one of them is t (and they are not all equal).
    return not _ordered_apart(rb, question_id, low, high) and _splits(rb, question_id)[
        2
    ].isdisjoint(numbers)


def span_read_alike(rb: RuleBase, question_id: str, low: float, high: float) -> bool:
    """Whether every comparison of ``question_id`` gives the same outcome for every
    number from ``low`` to ``high`` (``high`` may be infinite): as read_alike, and no
    `x == t` with t anywhere in the span."""
    if low == high:
        return True
    equal = _splits(rb, question_id)[2]
    return not _ordered_apart(rb, question_id, low, high) and not any(
        low <= limit <= high for limit in equal
    )


def _ordered_apart(rb: RuleBase, question_id: str, low: float, high: float) -> bool:
    """Whether a `<`, `<=`, `>` or `>=` comparison tells ``low`` and ``high`` apart."""
    at_least, above, _ = _splits(rb, question_id)
    # `x >= t` (and `x < t`) tells them apart when low < t <= high.
    index = bisect.bisect_right(at_least, low)
    if index < len(at_least) and at_least[index] <= high:
        return True
    # `x > t` (and `x <= t`) when low <= t < high.
    index = bisect.bisect_left(above, low)
    return index < len(above) and above[index] < high


def _splits(
    rb: RuleBase, question_id: str
) -> tuple[tuple[float, ...], tuple[float, ...], frozenset[float]]:
    held = _SPLITS.get(id(rb))
    if held is None or held[0] is not rb:
        held = _SPLITS[id(rb)] = (rb, {})
    found = held[1].get(question_id)
    if found is None:
        tests = tuple(_comparisons(rb, question_id))
        found = held[1][question_id] = (
            tuple(sorted({limit for op, limit in tests if op in (">=", "<")})),
            tuple(sorted({limit for op, limit in tests if op in (">", "<=")})),
            frozenset(limit for op, limit in tests if op in ("==", "!=")),
        )
    return found


_SPLITS: dict[
    int, tuple[RuleBase, dict[str, tuple[tuple[float, ...], tuple[float, ...], frozenset[float]]]]
] = {}


def telling_points(
    rb: RuleBase, flag: SafetyFlag, question_id: str, low: float, high: float
) -> tuple[float, ...]:
    """One number from each stretch of ``low`` .. ``high`` that the flag's tests of
    ``question_id`` (in 'when' and 'unless') cannot tell apart: both ends, each limit
    between them and the midpoint between each two neighbours. Every outcome the flag
    can have for a number in that span, it has at one of these. Trying each limit and
    one either side missed a band narrower than 2 (`> 0 and < 0.25`: check 36, A-H2)."""
    held = _POINTS.get(id(rb))
    if held is None or held[0] is not rb:
        held = _POINTS[id(rb)] = (rb, {})
    key = (flag.id, question_id, low, high)
    found = held[1].get(key)
    if found is None:
        conditions = [flag.condition]
        if question_id in flag.unless_text:
            conditions.append(parse_condition(flag.unless_text))
        tests = [test for condition in conditions for test in _tests_of(condition, question_id)]
        inside = sorted({low, high, *(t for _, t in tests if low < t < high)})
        midpoints = [(a + b) / 2 for a, b in itertools.pairwise(inside)]
        found = held[1][key] = tuple(inside + midpoints)
    return found


# Worked out once per rule base, flag, question and span (a coach's 'unless' is parsed
# once, not for every record).
_POINTS: dict[int, tuple[RuleBase, dict[tuple[str, str, float, float], tuple[float, ...]]]] = {}


def _comparisons(rb: RuleBase, question_id: str) -> Iterator[tuple[str, float]]:
    """Every comparison of the question: in the rules, in the safety flags' 'when' and
    'unless' (a coach's `unless: age_years >= 16` read 14 and 30 alike, and the flag
    was lost: check 35, A-H1), and in the fixes' and alternatives' 'unless'."""
    conditions: list[Condition] = [flag.condition for flag in rb.safety_flags.values()]
    conditions += [rule.condition for rule in rb.rules]
    unless = [flag.unless_text for flag in rb.safety_flags.values()]
    unless += [fix.unless_text for fix in rb.fixes.values()]
    unless += [alternative.unless_text for alternative in rb.alternatives.values()]
    conditions += [parse_condition(text) for text in unless if question_id in text]
    for condition in conditions:
        yield from _tests_of(condition, question_id)


def _tests_of(condition: Condition, question_id: str) -> Iterator[tuple[str, float]]:
    for leaf in leaves(condition):
        if (
            isinstance(leaf, Compare)
            and leaf.ref.name == question_id
            and leaf.op in _TESTS
            and isinstance(leaf.value.value, int | float)
        ):
            yield leaf.op, float(leaf.value.value)
