"""LP305 never-fires: a rule whose condition no answers can make true.

Either the condition contradicts itself (`heels_lift and not heels_lift`), or it
needs a derived fact that no rule can conclude strongly enough. The rule is dead
weight and a mistake, so this is an error: lint exits 1.

Bad:
    rules:
      - {id: heels-both-ways, if: heels_lift and not heels_lift, then: heels_lifting, cf: 0.4, source: coach}

Good:
    rules:
      - {id: heels-at-depth-2, if: heels_lift and knee_angle_at_bottom < 80, then: heels_lifting, cf: 0.4, source: coach}
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.facts import NormalisedValue
from ....knowledge.rulebase import Rule, RuleBase
from ....reasoning.bounds import belief_bounds
from ...exhaustive import value_classes
from ..context import LintContext

CODE = "LP305"
NAME = "never-fires"
SEVERITY = Severity.ERROR  # a rule that cannot fire is a mistake, never a choice
PHASE = "analysis"


def can_fire(
    rb: RuleBase,
    rule: Rule,
    fact_ranges: dict[str, tuple[float, float]],
    classes: dict[str, list[NormalisedValue | None]] | None = None,
) -> bool:
    """Try every answer class of the rule's questions and both ends of each fact's range.

    A condition's score is monotone in each fact's belief, so the ends of the range
    are enough; the questions are tried exactly, so contradictions are caught.
    """
    questions = sorted(rule.questions)
    facts = sorted(rule.facts)
    known = {} if classes is None else classes
    answer_options = [known.get(q) or value_classes(rb, rb.questions[q]) for q in questions]
    fact_options = [sorted(set(fact_ranges.get(f, (0.0, 0.0)))) for f in facts]
    threshold = rb.settings.premise_threshold
    for combo in itertools.product(*answer_options):
        answers: dict[str, NormalisedValue] = {
            q: v for q, v in zip(questions, combo, strict=True) if v is not None
        }
        for beliefs in itertools.product(*fact_options):
            if rule.evaluate(answers, dict(zip(facts, beliefs, strict=True))) > threshold:
                return True
    return False


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    ranges = belief_bounds(rb, {}, frozenset(rb.questions)).beliefs
    # Made once: a question's answer classes come from every rule that mentions it,
    # so making them again for each rule was quadratic (33 s of 51 at 6,000 rules).
    classes = {q: value_classes(rb, question) for q, question in rb.questions.items()}
    for rule in rb.rules:
        if can_fire(rb, rule, ranges, classes):
            continue
        never = [f for f in sorted(rule.facts) if f not in rb.rules_by_conclusion]
        reason = (
            f"it needs '{never[0]}', which no rule concludes"
            if never
            else f"no answers make '{rule.condition_text}' hold"
        )
        yield Diagnostic(
            CODE,
            SEVERITY,
            f"rule '{rule.id}' can never fire: {reason}",
            ctx.rule_condition_span(rule),
        )
