"""The compiled belief bounds (issue 25) give the numbers of the tree walk, bit for
bit, and the incremental ones (``beliefs_after``) those of the full walk."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import pytest

from legpress_diag.intake.questionnaire import sample_answers
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase
from legpress_diag.reasoning.bounds import (
    Interval,
    belief_bounds,
    beliefs_after,
    condition_interval,
    contribution_interval,
)
from legpress_diag.reasoning.certainty import combine


def _walk(rb: RuleBase, answers: Mapping[str, Any], free: frozenset[str]) -> dict[str, Interval]:
    """belief_bounds as it was written before it was compiled: the reference."""
    threshold = rb.settings.premise_threshold
    beliefs: dict[str, Interval] = {}
    order = sorted(rb.rules_by_conclusion, key=lambda d: (rb.strata.get(d, 1), d))
    for _ in range(3 if rb.index.has_cycles else 1):
        for derived in order:
            lows, highs = [], []
            for rule in rb.rules_by_conclusion[derived]:
                premise = condition_interval(rb, rule.condition, answers, free, beliefs)
                low, high = contribution_interval(rule, premise, threshold)
                lows.append(low)
                highs.append(high)
            beliefs[derived] = (combine(lows), combine(highs))
    return beliefs


def _same(a: Mapping[str, Interval], b: Mapping[str, Interval]) -> bool:
    return a.keys() == b.keys() and all(
        math.copysign(1, x) == math.copysign(1, y) and x == y
        for key in a
        for x, y in zip(a[key], b[key], strict=True)
    )


def _random_answers(rb: RuleBase, rng: random.Random) -> tuple[dict[str, Any], frozenset[str]]:
    """Some questions answered (one of the values the rules tell apart), some
    skipped (asked, unknown), the rest free."""
    answers: dict[str, Any] = {}
    free: set[str] = set()
    for qid, question in rb.questions.items():
        roll = rng.random()
        if roll < 0.4:
            answers[qid] = rng.choice(sample_answers(rb, question))
        elif roll < 0.8 or (question.type is QuestionType.NUMBER and roll < 0.85):
            free.add(qid)
    return answers, frozenset(free)


@pytest.mark.parametrize("seed", range(40))
def test_compiled_and_incremental_bounds_are_the_walk(rb: RuleBase, seed: int) -> None:
    rng = random.Random(seed)
    answers, free = _random_answers(rb, rng)
    assert _same(belief_bounds(rb, answers, free).beliefs, _walk(rb, answers, free))
    base = belief_bounds(rb, answers, free)
    for question in sorted(free):
        rest = free - {question}
        for value in sample_answers(rb, rb.questions[question]):
            after = {**answers, question: value}
            assert _same(beliefs_after(rb, base, after, rest, question), _walk(rb, after, rest))
