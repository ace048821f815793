"""Why a cause was not reported: for each rule that concludes it, the first part of
its condition that did not hold, with the answer it saw.

A coach whose case fails asks "why didn't my rule fire?". The engine's trace lists
only the rules that fired; this walks the others. A condition is taken apart the way
it is evaluated: in ``a and b`` the first operand that fails is the reason; in
``a or b`` every operand failed, and the first is shown; ``not a`` failed because
``a`` held. A leaf is a test of one answer (or one derived fact): "was not
answered", or "was false" with the answer given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..knowledge.conditions.ast import And, Condition, FactRef, Not, Or, Truth, render
from ..knowledge.conditions.compile import compile_condition
from ..knowledge.facts import NormalisedAnswers, NormalisedValue
from ..knowledge.rulebase import Rule, RuleBase
from .engine import infer


@dataclass(frozen=True)
class RuleVerdict:
    """One rule that concludes the cause: it held, or the part that did not."""

    rule: str
    held: bool
    reason: str  # "`hips_shift` was not answered"; for a rule that held, what it added


def verdict_lines(why: WhyNot) -> list[str]:
    """One line per rule, as `rules test` and `rules explain --why-not` print them."""
    if not why.rules:
        return [f"no rule concludes '{why.cause}'"]
    return [f"rule {v.rule}: {v.reason}" for v in why.rules]


@dataclass(frozen=True)
class WhyNot:
    cause: str
    certainty: float
    threshold: float  # the report threshold
    rules: tuple[RuleVerdict, ...]

    @property
    def reported(self) -> bool:
        return self.certainty >= self.threshold


def why_not(rb: RuleBase, answers: NormalisedAnswers, cause: str) -> WhyNot:
    """Explain ``cause``'s certainty for normalised ``answers`` rule by rule."""
    reasoning = infer(rb, answers, trace=False)
    beliefs = reasoning.beliefs
    verdicts = []
    for rule in rb.rules_by_conclusion.get(cause, ()):
        score = rule.evaluate(answers, beliefs)
        if score > rb.settings.premise_threshold:
            added = reasoning.support.get(cause, {}).get(rule.id, rule.cf * score)
            verdicts.append(RuleVerdict(rule.id, True, f"held; it adds {added:.2f}"))
        else:
            verdicts.append(RuleVerdict(rule.id, False, _blocker(rb, rule, answers, beliefs)))
    return WhyNot(cause, beliefs.get(cause, 0.0), rb.settings.report_threshold, tuple(verdicts))


def _blocker(
    rb: RuleBase, rule: Rule, answers: NormalisedAnswers, beliefs: Mapping[str, float]
) -> str:
    node: Condition = rule.condition
    negated = False  # under an odd number of 'not's, the part failed by holding
    while True:
        if isinstance(node, Not):
            node, negated = node.operand, not negated
        elif isinstance(node, And | Or):
            # Under 'not', an 'and' fails when every part holds and an 'or' when one does.
            wants_all = isinstance(node, And) != negated
            parts = node.operands
            failing = [p for p in parts if _holds(rb, p, answers, beliefs) == negated]
            if not failing:  # a certainty just below the line: the whole is the reason
                break
            node = failing[0] if wants_all else parts[0]
        else:
            break
    return _leaf_reason(rb, node, negated, answers, beliefs)


def _holds(
    rb: RuleBase, node: Condition, answers: NormalisedAnswers, beliefs: Mapping[str, float]
) -> bool:
    derived = set(rb.derived_ids())
    evaluate = compile_condition(_as_written(node), rb.questions, derived).evaluate
    return evaluate(answers, beliefs) > rb.settings.premise_threshold


def _as_written(node: Condition) -> Condition:
    """The condition as parsed (a fact as a bare name), which is what compiles."""
    if isinstance(node, FactRef):
        return Truth(node.ref)
    if isinstance(node, Not):
        return Not(_as_written(node.operand))
    if isinstance(node, And):
        return And(tuple(_as_written(op) for op in node.operands))
    if isinstance(node, Or):
        return Or(tuple(_as_written(op) for op in node.operands))
    return node


def _leaf_reason(
    rb: RuleBase,
    node: Condition,
    negated: bool,
    answers: NormalisedAnswers,
    beliefs: Mapping[str, float],
) -> str:
    text = f"`{'not ' if negated else ''}{render(node)}`"
    if isinstance(node, And | Or | Not):
        return f"{text} was not certain enough"
    name = node.ref.name
    if isinstance(node, FactRef) or name not in rb.questions:
        return f"{text} did not hold: the fact was believed {beliefs.get(name, 0.0):.2f}"
    if name not in answers:
        return f"`{name}` was not answered"
    return f"{text} was false: {_shown(answers[name])}"


def _shown(answer: NormalisedValue) -> str:
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, float):
        return f"{answer:g}"
    if isinstance(answer, frozenset):
        return "[" + ", ".join(sorted(str(a) for a in answer)) + "]"
    return str(answer)
