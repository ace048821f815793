"""How far each belief could still move, given the questions not answered yet.

Every condition is scored over intervals: an answered test is a point, a question
that was skipped is the point 0 (unknown), and a question not asked yet could go
either way, [-1, 1]. ``and``/``or``/``not`` are monotone (min, max, negation), a
rule's contribution is monotone in its premise, and the EMYCIN combination is
monotone in each contribution, so combining lower bounds gives a lower bound and
upper bounds an upper bound. If, within these bounds, no unanswered question can
change the top causes (``top_causes``: the first three at "possible" or above, in
order), the questionnaire may stop.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from ..knowledge.conditions.ast import And, Condition, FactRef, Leaf, Not, Or, leaves
from ..knowledge.facts import NormalisedAnswers
from ..knowledge.rulebase import Evaluator, Rule, RuleBase
from .certainty import combine

Interval = tuple[float, float]

# The top causes: the first TOP_COUNT causes whose certainty reaches TOP_FLOOR, in
# rank order. The questionnaire stops once no answer left can change them; weaker
# causes are still reported from the answers given, but not chased.
TOP_COUNT = 3
TOP_FLOOR = 0.4  # "possible" in every result view
UNKNOWN: Interval = (0.0, 0.0)
OPEN: Interval = (-1.0, 1.0)


def _leaf_evaluator(rb: RuleBase, leaf: Leaf) -> Evaluator:
    evaluator = rb.index.leaf_evaluators.get(leaf)
    # A condition from outside the rule base (a test, a draft rule) is compiled here.
    return evaluator if evaluator is not None else rb.index.compile_leaf(leaf)


def _leaf_question(leaf: Leaf) -> str:
    return leaf.ref.name


def condition_interval(
    rb: RuleBase,
    condition: Condition,
    answers: NormalisedAnswers,
    free: frozenset[str],
    beliefs: Mapping[str, Interval],
) -> Interval:
    if isinstance(condition, Not):
        lo, hi = condition_interval(rb, condition.operand, answers, free, beliefs)
        return (-hi, -lo)
    if isinstance(condition, And | Or):
        parts = [condition_interval(rb, op, answers, free, beliefs) for op in condition.operands]
        pick = min if isinstance(condition, And) else max
        return (pick(p[0] for p in parts), pick(p[1] for p in parts))
    if isinstance(condition, FactRef):
        return beliefs.get(condition.ref.name, UNKNOWN)
    question = _leaf_question(condition)
    if question in free:
        return OPEN
    if question not in answers:
        return UNKNOWN
    value = _leaf_evaluator(rb, condition)(answers, {})
    return (value, value)


def contribution_interval(rule: Rule, premise: Interval, threshold: float) -> Interval:
    def at(p: float) -> float:
        return rule.cf * p if p > threshold else 0.0

    low, high = at(premise[0]), at(premise[1])
    return (min(low, high), max(low, high))


@dataclass(frozen=True)
class Bounds:
    beliefs: dict[str, Interval]
    premises: dict[str, Interval]  # rule id -> premise interval


# A condition compiled once into a function of (answers, free, beliefs): the same
# arithmetic as ``condition_interval``, without walking the tree on every call (the
# questionnaire scores every candidate question this way at each step; issue 25).
IntervalFn = Callable[[NormalisedAnswers, frozenset[str], Mapping[str, Interval]], Interval]


def _compile(rb: RuleBase, condition: Condition) -> IntervalFn:
    if isinstance(condition, Not):
        inner = _compile(rb, condition.operand)

        def negated(a: NormalisedAnswers, f: frozenset[str], b: Mapping[str, Interval]) -> Interval:
            lo, hi = inner(a, f, b)
            return (-hi, -lo)

        return negated
    if isinstance(condition, And | Or):
        parts = tuple(_compile(rb, op) for op in condition.operands)
        pick = min if isinstance(condition, And) else max

        def joined(a: NormalisedAnswers, f: frozenset[str], b: Mapping[str, Interval]) -> Interval:
            got = [part(a, f, b) for part in parts]
            return (pick(p[0] for p in got), pick(p[1] for p in got))

        return joined
    if isinstance(condition, FactRef):
        name = condition.ref.name
        return lambda a, f, b: b.get(name, UNKNOWN)
    question = _leaf_question(condition)
    evaluator = _leaf_evaluator(rb, condition)

    def leaf(a: NormalisedAnswers, f: frozenset[str], b: Mapping[str, Interval]) -> Interval:
        if question in f:
            return OPEN
        if question not in a:
            return UNKNOWN
        value = evaluator(a, {})
        return (value, value)

    return leaf


Step = tuple[str, tuple[tuple[Rule, IntervalFn], ...]]  # a conclusion and its rules


@dataclass(frozen=True)
class _Plan:
    """How ``belief_bounds`` walks one rule base, worked out once per rule base."""

    order: tuple[Step, ...]  # conclusions stratum by stratum, each with its rules
    passes: int
    # Per question, the steps (indexes into ``order``) whose bounds can change when
    # that question alone is answered: the rules reading it, and everything derived
    # from their conclusions. None when a rule reads a fact computed after it (or a
    # loop): then only the full walk gives the same numbers.
    affected: Mapping[str, tuple[int, ...]] | None


_PLANS: dict[int, _Plan] = {}


def _plan(rb: RuleBase) -> _Plan:
    plan = _PLANS.get(id(rb))
    if plan is not None:
        return plan
    names = sorted(rb.rules_by_conclusion, key=lambda d: (rb.strata.get(d, 1), d))
    order = tuple(
        (d, tuple((rule, _compile(rb, rule.condition)) for rule in rb.rules_by_conclusion[d]))
        for d in names
    )
    passes = 3 if rb.index.has_cycles else 1
    plan = _Plan(order, passes, None if passes > 1 else _affected(order))
    _PLANS[id(rb)] = plan
    # The plan lives as long as its rule base (a test or an overlay loads many).
    weakref.finalize(rb, _PLANS.pop, id(rb), None)
    return plan


def _affected(order: tuple[Step, ...]) -> Mapping[str, tuple[int, ...]] | None:
    position = {derived: i for i, (derived, _) in enumerate(order)}
    reads: list[tuple[set[str], set[str]]] = []  # per step: questions, facts read
    for i, (_, rules) in enumerate(order):
        questions: set[str] = set()
        facts: set[str] = set()
        for rule, _ in rules:
            for leaf in leaves(rule.condition):
                if isinstance(leaf, FactRef):
                    if position.get(leaf.ref.name, -1) >= i:
                        return None  # read before it is computed: keep the full walk
                    facts.add(leaf.ref.name)
                else:
                    questions.add(_leaf_question(leaf))
        reads.append((questions, facts))
    affected: dict[str, tuple[int, ...]] = {}
    for question in {q for questions, _ in reads for q in questions}:
        changed: set[str] = set()
        steps: list[int] = []
        for i, (derived, _) in enumerate(order):
            questions, facts = reads[i]
            if question in questions or facts & changed:
                changed.add(derived)
                steps.append(i)
        affected[question] = tuple(steps)
    return affected


def _step_bounds(
    rules: tuple[tuple[Rule, IntervalFn], ...],
    answers: NormalisedAnswers,
    free: frozenset[str],
    beliefs: Mapping[str, Interval],
    threshold: float,
    premises: dict[str, Interval] | None,
) -> Interval:
    lows, highs = [], []
    for rule, interval in rules:
        premise = interval(answers, free, beliefs)
        if premises is not None:
            premises[rule.id] = premise
        # contribution_interval, written out: this is the innermost loop of a step.
        cf, (p_low, p_high) = rule.cf, premise
        at_low = cf * p_low if p_low > threshold else 0.0
        at_high = cf * p_high if p_high > threshold else 0.0
        # min() and max() exactly, down to which of two equal zeros is kept.
        lows.append(at_high if at_high < at_low else at_low)
        highs.append(at_high if at_high > at_low else at_low)
    return (combine(lows), combine(highs))


def belief_bounds(rb: RuleBase, answers: NormalisedAnswers, free: frozenset[str]) -> Bounds:
    """Interval of every derived belief, processing conclusions stratum by stratum."""
    threshold = rb.settings.premise_threshold
    plan = _plan(rb)
    beliefs: dict[str, Interval] = {}
    premises: dict[str, Interval] = {}
    # Facts in a cycle share a stratum; a few passes settle their bounds well enough.
    for _ in range(plan.passes):
        for derived, rules in plan.order:
            beliefs[derived] = _step_bounds(rules, answers, free, beliefs, threshold, premises)
    return Bounds(beliefs, premises)


def beliefs_after(
    rb: RuleBase,
    base: Bounds,
    answers: NormalisedAnswers,
    free: frozenset[str],
    question: str,
) -> dict[str, Interval]:
    """``belief_bounds(rb, answers, free).beliefs``, given ``base``: the bounds before
    ``question`` (now in ``answers``, out of ``free``) was answered. Only what that
    answer can reach is worked out again; the numbers are the full walk's, bit for bit.
    """
    plan = _plan(rb)
    if plan.affected is None:
        return belief_bounds(rb, answers, free).beliefs
    threshold = rb.settings.premise_threshold
    beliefs = dict(base.beliefs)
    for i in plan.affected.get(question, ()):
        derived, rules = plan.order[i]
        beliefs[derived] = _step_bounds(rules, answers, free, beliefs, threshold, None)
    return beliefs


def undecided_causes(rb: RuleBase, bounds: Bounds, threshold: float) -> set[str]:
    """Causes whose reporting or rank could still change."""
    open_causes: set[str] = set()
    reported: list[tuple[str, Interval]] = []
    for cause in rb.causes:
        lo, hi = bounds.beliefs.get(cause, UNKNOWN)
        if lo >= threshold:
            reported.append((cause, (lo, hi)))
        elif hi >= threshold:
            open_causes.add(cause)
    # Among causes surely reported, the order is settled only if no two can swap.
    for i, (a, (alo, ahi)) in enumerate(reported):
        for b, (blo, bhi) in reported[i + 1 :]:
            if alo == ahi == blo == bhi:
                continue  # a tie that stays a tie is broken by id, the same way every time
            if not (alo > bhi or blo > ahi):
                open_causes.update((a, b))
    return open_causes


def top_causes(
    rb: RuleBase, beliefs: Mapping[str, float], count: int = TOP_COUNT, floor: float = TOP_FLOOR
) -> list[str]:
    """The first ``count`` causes at or above ``floor``, most certain first, ties by id
    (the order every result uses)."""
    found = [(c, beliefs.get(c, 0.0)) for c in rb.causes if beliefs.get(c, 0.0) >= floor]
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return [cause for cause, _ in found[:count]]


def unsettled_top(
    rb: RuleBase,
    bounds: Bounds,
    top: list[str],
    count: int = TOP_COUNT,
    floor: float = TOP_FLOOR,
) -> set[str]:
    """Causes that could still change ``top`` (the current top causes) within
    ``bounds``: two neighbours that could swap, a top cause that could fall below the
    floor, and any other cause that could climb into the list. Empty: ``top`` is final.
    """
    beliefs = bounds.beliefs
    open_causes: set[str] = set()

    def at(cause: str) -> Interval:
        return beliefs.get(cause, UNKNOWN)

    for above, below in pairwise(top):
        (alo, ahi), (blo, bhi) = at(above), at(below)
        if alo == ahi == blo == bhi:
            continue  # a tie that stays a tie is broken by id, the same way every time
        if not alo > bhi:
            open_causes.update((above, below))
    if top and at(top[-1])[0] < floor:
        open_causes.add(top[-1])
    full = len(top) >= count
    gate = at(top[-1])[0] if full else floor
    for cause in rb.causes:
        if cause in top:
            continue
        lo, hi = at(cause)
        if full:
            last = top[-1]
            if hi > gate or (hi == gate and not (lo == hi == at(last)[1] and cause > last)):
                open_causes.update((cause, last))
        elif hi >= floor:
            open_causes.add(cause)
    return open_causes
