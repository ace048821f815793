"""Walk the finite answer space of each cause, to prove it reachable and find gaps.

Once number ranges are cut at the thresholds the rules compare against, every
question has finitely many answers that behave differently: unknown, each choice,
each subset of the multi-choice values rules mention, one number per interval.
For each cause we walk only the questions it depends on (through derived facts),
so the space stays small: hundreds to a few thousand combinations per cause.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..knowledge.conditions.ast import Compare, Includes, leaves
from ..knowledge.facts import NormalisedValue
from ..knowledge.rulebase import Question, QuestionType, Rule, RuleBase
from ..reasoning.engine import infer

MAX_COMBINATIONS = 200_000
# The whole walk's work, in rule evaluations (combinations walked times rules in the
# base). The bundled base needs about 13 million (its safety follow-ups and the knee
# angle in words widened the space); without a bound, a coach's file
# of 250 rules took minutes and one of thousands hours, since every cause then
# depends on every question and each combination costs every rule.
WORK_BUDGET = 20_000_000


def thresholds(rb: RuleBase, question_id: str) -> list[float]:
    found = set()
    for rule in rb.rules_by_question.get(question_id, ()):
        for leaf in leaves(rule.condition):
            if (
                isinstance(leaf, Compare)
                and leaf.ref.name == question_id
                and isinstance(leaf.value.value, float)
            ):
                found.add(leaf.value.value)
    return sorted(found)


def value_classes(rb: RuleBase, question: Question) -> list[NormalisedValue | None]:
    """One representative answer per behaviour, None (unknown) first."""
    if question.type is QuestionType.YES_NO:
        return [None, True, False]
    if question.type is QuestionType.CHOICE:
        return [None, *question.choice_values]
    if question.type is QuestionType.MULTI:
        mentioned = sorted(
            {
                str(v.value)
                for rule in rb.rules_by_question.get(question.id, ())
                for leaf in leaves(rule.condition)
                if isinstance(leaf, Includes) and leaf.ref.name == question.id
                for v in leaf.values
            }
        )
        subsets = [
            frozenset(c)
            for r in range(len(mentioned) + 1)
            for c in itertools.combinations(mentioned, r)
        ]
        return [None, *subsets]
    assert question.minimum is not None and question.maximum is not None
    cuts = [t for t in thresholds(rb, question.id) if question.minimum <= t <= question.maximum]
    points = sorted({question.minimum, question.maximum, *cuts})
    middles = [(a + b) / 2 for a, b in itertools.pairwise(points)]
    return [None, *sorted({*points, *middles})]


def cause_rules(rb: RuleBase, cause: str) -> list[Rule]:
    """Rules that can influence ``cause``: those concluding it, and through the facts
    they read, the rules concluding those, in declared order."""
    seen_derived = {cause}
    stack = [cause]
    needed: set[str] = set()
    while stack:
        for rule in rb.rules_by_conclusion.get(stack.pop(), ()):
            needed.add(rule.id)
            for fact in rule.facts - seen_derived:
                seen_derived.add(fact)
                stack.append(fact)
    return [rule for rule in rb.rules if rule.id in needed]


def cause_questions(rb: RuleBase, cause: str) -> list[str]:
    """Questions that can influence ``cause``, in declared order."""
    questions: set[str] = set()
    for rule in cause_rules(rb, cause):
        questions |= rule.questions
    return [q for q in rb.questions if q in questions]


def cause_rulebase(rb: RuleBase, cause: str) -> RuleBase:
    """``rb`` with only the rules that can influence ``cause``.

    A belief depends only on the rules concluding it and on what those read, and the
    engine's fixpoint does not depend on the order rules fire, so inference here
    gives ``cause`` the belief the whole rule base gives it. Walking each cause on its
    own rules is what makes the walk affordable: every combination otherwise costs
    every rule of the base (tests/test_exhaustive_walk.py holds the two to the same
    result).
    """
    return replace(rb, rules=tuple(cause_rules(rb, cause)))


def direct_evidence(rb: RuleBase, cause: str) -> list[str]:
    """Yes/no questions that, answered yes with nothing else known, report the cause."""
    threshold = rb.settings.report_threshold
    return [
        q
        for q in cause_questions(rb, cause)
        if rb.questions[q].type is QuestionType.YES_NO
        and infer(rb, {q: True}, trace=False).beliefs.get(cause, 0.0) >= threshold
    ]


@dataclass
class CauseWalk:
    cause: str
    questions: list[str]
    total: int
    walked: int = 0
    max_certainty: float = 0.0
    best: dict[str, NormalisedValue] = field(default_factory=dict)
    gaps: int = 0
    gap_example: dict[str, NormalisedValue] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.walked == self.total


def _combinations(
    rb: RuleBase, questions: list[str]
) -> tuple[int, Iterator[dict[str, NormalisedValue]]]:
    classes = [value_classes(rb, rb.questions[q]) for q in questions]
    total = 1
    for options in classes:
        total *= len(options)

    def generate() -> Iterator[dict[str, NormalisedValue]]:
        for combo in itertools.product(*classes):
            yield {q: v for q, v in zip(questions, combo, strict=True) if v is not None}

    return total, generate()


def walk_cause(
    rb: RuleBase, cause: str, limit: int = MAX_COMBINATIONS, *, restrict: bool = True
) -> CauseWalk:
    """Infer every combination of ``cause``'s answer space (up to ``limit``).

    ``restrict=False`` infers with the whole rule base: slower, the same result; the
    tests compare the two.
    """
    start = time.perf_counter()
    questions = cause_questions(rb, cause)
    total, combos = _combinations(rb, questions)
    walk = CauseWalk(cause, questions, total)
    threshold = rb.settings.report_threshold
    evidence = direct_evidence(rb, cause)
    reasoner = cause_rulebase(rb, cause) if restrict else rb
    for answers in itertools.islice(combos, limit):
        walk.walked += 1
        belief = infer(reasoner, answers, trace=False).beliefs.get(cause, 0.0)
        if belief > walk.max_certainty:
            walk.max_certainty, walk.best = belief, answers
        if belief < threshold and any(answers.get(q) is True for q in evidence):
            walk.gaps += 1
            if not walk.gap_example:
                walk.gap_example = answers
    walk.seconds = time.perf_counter() - start
    return walk


def walk_all(
    rb: RuleBase, limit: int = MAX_COMBINATIONS, budget: int | None = None
) -> list[CauseWalk]:
    """Walk every cause, within ``budget`` rule evaluations in all.

    Causes with the smallest answer spaces go first, each given an equal share of
    what is left, so small spaces are walked in full and what a big one does not
    use passes to the rest. A walk cut short is not ``complete``: lint says so
    (LP321) and draws no conclusion from it.
    """
    combinations_left = (WORK_BUDGET if budget is None else budget) // max(1, len(rb.rules))
    totals = {cause: _total(rb, cause_questions(rb, cause)) for cause in rb.causes}
    smallest_first = sorted(rb.causes, key=lambda cause: totals[cause])
    limits = {}
    for done, cause in enumerate(smallest_first):
        share = combinations_left // (len(smallest_first) - done)
        limits[cause] = min(limit, totals[cause], share)
        combinations_left -= limits[cause]
    return [walk_cause(rb, cause, limits[cause]) for cause in rb.causes]


def _total(rb: RuleBase, questions: list[str]) -> int:
    total = 1
    for question in questions:
        total *= len(value_classes(rb, rb.questions[question]))
    return total
