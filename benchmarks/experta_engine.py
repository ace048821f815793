"""The same rule base run by experta, translated from our compiled rules.

Mirrors clips_engine.py: one experta Rule per conjunction of the condition's
disjunctive normal form, salience by stratum, a merge per `or` rule and a combine
per conclusion, with the same EMYCIN arithmetic in the same order.
"""

from __future__ import annotations

from typing import Any

from clips_engine import _NEGATED, _dnf
from experta import AS, EXISTS, NOT, Fact, KnowledgeEngine, P, Rule

from legpress_diag.knowledge.conditions.ast import (
    Compare,
    Condition,
    FactRef,
    Includes,
    Member,
    Not,
    Truth,
)
from legpress_diag.knowledge.conditions.compile import _NUMBER_OPS as _OPS
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase
from legpress_diag.reasoning.certainty import combine


class Answer(Fact):
    pass


class Answered(Fact):
    pass


class Part(Fact):
    pass


class Contrib(Fact):
    pass


class Belief(Fact):
    pass


def _patterns(rb: RuleBase, conjunction: list[Condition]) -> tuple[list[Any], list[str]]:
    patterns: list[Any] = []
    fact_vars: list[str] = []
    threshold = rb.settings.premise_threshold
    for lit in conjunction:
        negated = isinstance(lit, Not)
        leaf = lit.operand if isinstance(lit, Not) else lit
        if isinstance(leaf, FactRef) or (
            isinstance(leaf, Truth) and leaf.ref.name not in rb.questions
        ):
            if negated:
                raise NotImplementedError("negated derived facts")
            var = f"c{len(fact_vars)}"
            fact_vars.append(var)
            patterns.append(
                AS.__getattr__(f"b_{var}")
                << Belief(name=leaf.ref.name, cf=P(lambda c: c > threshold))
            )
            continue
        name = leaf.ref.name
        question = rb.questions[name]
        if isinstance(leaf, Truth):
            patterns.append(Answer(q=name, v=not negated))
        elif isinstance(leaf, Compare):
            op = _NEGATED[leaf.op] if negated else leaf.op
            limit: Any = leaf.value.value
            if question.type is QuestionType.YES_NO:
                limit = limit == "yes"
            test = _OPS[op]
            patterns.append(Answer(q=name, v=P(lambda v, t=test, x=limit: t(v, x))))
        elif isinstance(leaf, Member):
            inside = leaf.negated == negated
            allowed = frozenset(str(x.value) for x in leaf.values)
            patterns.append(Answer(q=name, v=P(lambda v, s=allowed, i=inside: (v in s) == i)))
        elif isinstance(leaf, Includes):
            values = [str(x.value) for x in leaf.values]
            if negated:
                patterns.append(Answered(q=name))
                patterns += [NOT(Answer(q=name, v=x)) for x in values]
            elif leaf.mode == "all" or len(values) == 1:
                patterns += [Answer(q=name, v=x) for x in values]
            else:
                allowed = frozenset(values)
                patterns.append(EXISTS(Answer(q=name, v=P(lambda v, s=allowed: v in s))))
        else:
            raise NotImplementedError(type(leaf).__name__)
    return patterns, fact_vars


def build_engine_class(rb: RuleBase) -> type[KnowledgeEngine]:
    methods: dict[str, Any] = {}
    for rule in rb.rules:
        salience = 1000 - 10 * rb.strata.get(rule.concludes, 1)
        conjunctions = _dnf(rule.condition)
        multi = len(conjunctions) > 1
        for index, conjunction in enumerate(conjunctions):
            patterns, fact_vars = _patterns(rb, conjunction)

            def fire(
                self: KnowledgeEngine, rule=rule, fact_vars=fact_vars, multi=multi, **matched: Any
            ) -> None:
                premise = min([1.0, *(matched[f"b_{v}"]["cf"] for v in fact_vars)])
                if multi:
                    self.declare(Part(rule=rule.id, value=premise))
                else:
                    self.declare(
                        Contrib(rule=rule.id, target=rule.concludes, value=rule.cf * premise)
                    )

            methods[f"r_{rule.order}_{index}"] = Rule(*patterns, salience=salience)(fire)
        if multi:

            def merge(self: KnowledgeEngine, rule=rule) -> None:
                parts = [
                    f["value"]
                    for f in self.facts.values()
                    if isinstance(f, Part) and f["rule"] == rule.id
                ]
                self.declare(
                    Contrib(rule=rule.id, target=rule.concludes, value=rule.cf * max(parts))
                )

            methods[f"merge_{rule.order}"] = Rule(
                EXISTS(Part(rule=rule.id)), NOT(Contrib(rule=rule.id)), salience=salience - 3
            )(merge)
    for target in rb.rules_by_conclusion:
        salience = 1000 - 10 * rb.strata.get(target, 1) - 5

        def combine_target(self: KnowledgeEngine, target=target) -> None:
            values = [
                f["value"]
                for f in self.facts.values()
                if isinstance(f, Contrib) and f["target"] == target
            ]
            belief = combine(values)  # the same fold, in the same order, as every engine here
            if belief != 0.0:
                self.declare(Belief(name=target, cf=belief))

        methods[f"combine_{target}"] = Rule(
            EXISTS(Contrib(target=target)), NOT(Belief(name=target)), salience=salience
        )(combine_target)
    return type("LegPressExperta", (KnowledgeEngine,), methods)


class ExpertaEngine:
    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self.engine = build_engine_class(rb)()
        self.causes = set(rb.causes)
        self.threshold = rb.settings.report_threshold

    def rank(self, answers: dict[str, Any]) -> list[tuple[str, float]]:
        engine = self.engine
        engine.reset()
        for question, value in answers.items():
            if isinstance(value, frozenset):
                engine.declare(Answered(q=question))
                for item in value:
                    engine.declare(Answer(q=question, v=item))
            else:
                engine.declare(Answer(q=question, v=value))
        engine.run()
        found = [
            (f["name"], f["cf"])
            for f in engine.facts.values()
            if isinstance(f, Belief) and f["name"] in self.causes and f["cf"] >= self.threshold
        ]
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found
