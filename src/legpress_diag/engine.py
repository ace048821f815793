"""Forward chaining with certainty factors, to a fixpoint.

Working memory holds the normalized answers and a belief (certainty in [-1, 1]) for
each derived fact and cause. The agenda is ordered by an explicit strategy:
salience (higher first), then the stratum of the rule's conclusion (facts closer to
the answers first), then declared order. Each rule keeps at most one contribution
to its conclusion: when the belief a rule read changes, the rule is put back on the
agenda and its contribution is recomputed (refraction: the same match never fires
twice). Because beliefs are combined order-independently, the fixpoint does not
depend on the agenda order; the strategy only keeps the work small (one firing per
rule on an acyclic rule base).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .certainty import combine
from .diagnostics import EngineLoopError
from .rulebase import Rule, RuleBase


@dataclass(frozen=True)
class Firing:
    """One change a rule made: its premise certainty and what it added to its conclusion."""

    rule: Rule
    premise: float
    contribution: float | None  # None: the premise fell to the threshold, evidence withdrawn
    belief_before: float
    belief_after: float


@dataclass
class Reasoning:
    answers: Mapping[str, Any]
    beliefs: dict[str, float] = field(default_factory=dict)
    # conclusion -> {rule id: contribution} for the contributions standing at the fixpoint
    support: dict[str, dict[str, float]] = field(default_factory=dict)
    premises: dict[str, float] = field(default_factory=dict)  # rule id -> premise at firing
    firings: list[Firing] = field(default_factory=list)


def agenda_key(rb: RuleBase, rule: Rule) -> tuple[int, int, int]:
    return (-rule.salience, rb.strata.get(rule.concludes, 1), rule.order)


def infer(rb: RuleBase, answers: Mapping[str, Any], *, trace: bool = True) -> Reasoning:
    """Run every rule that the answers can activate until nothing changes."""
    settings = rb.settings
    threshold = settings.premise_threshold
    reasoning = Reasoning(answers)
    beliefs, support, premises = reasoning.beliefs, reasoning.support, reasoning.premises
    fired_count: dict[str, int] = {}
    agenda: list[tuple[tuple[int, int, int], Rule]] = []
    queued: set[str] = set()

    def schedule(rules: tuple[Rule, ...]) -> None:
        for rule in rules:
            if rule.id not in queued:
                queued.add(rule.id)
                heapq.heappush(agenda, (agenda_key(rb, rule), rule))

    # Only rules that test an answered question can start; with every leaf unknown a
    # premise is 0 and cannot pass the threshold.
    by_question = rb.rules_by_question
    for question in answers:
        candidates = by_question.get(question)
        if candidates:
            schedule(candidates)

    while agenda:
        _, rule = heapq.heappop(agenda)
        queued.discard(rule.id)
        premise = rule.evaluate(answers, beliefs)
        conclusion = rule.concludes
        standing = support.get(conclusion)
        old = standing.get(rule.id) if standing else None
        new = rule.cf * premise if premise > threshold else None
        if new == old:
            continue
        count = fired_count.get(rule.id, 0) + 1
        if count > settings.max_firings_per_rule:
            raise EngineLoopError(
                f"rule '{rule.id}' fired {count} times without the beliefs settling; "
                f"the rules concluding '{conclusion}' feed each other in a loop"
            )
        fired_count[rule.id] = count
        if standing is None:
            standing = support[conclusion] = {}
        if new is None:
            del standing[rule.id]
            premises.pop(rule.id, None)
        else:
            standing[rule.id] = new
            premises[rule.id] = premise
        before = beliefs.get(conclusion, 0.0)
        after = combine(standing.values())
        if trace:
            reasoning.firings.append(Firing(rule, premise, new, before, after))
        if after != before:
            beliefs[conclusion] = after
            readers = rb.rules_by_fact.get(conclusion)
            if readers:
                schedule(readers)
    return reasoning
