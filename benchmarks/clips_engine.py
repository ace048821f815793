"""The same rule base run by CLIPS (through clipspy), translated from our compiled rules.

Each rule's condition is put in disjunctive normal form; each conjunction becomes a
CLIPS rule whose patterns match answer facts and belief facts above the premise
threshold. Salience follows the strata (1000 - 10 x stratum), with a merge step
(max over the parts of an `or`) and a combine step per conclusion below it. The
certainty arithmetic is the same EMYCIN combination, folded in the same order in a
CLIPS deffunction, so results are bit-for-bit comparable.

Supported condition shapes are those the bundled and synthetic rule bases use;
anything else raises NotImplementedError rather than giving a silently different
answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import clips

from legpress_diag.knowledge.conditions.ast import (
    And,
    Compare,
    Condition,
    FactRef,
    Includes,
    Member,
    Not,
    Or,
    Truth,
)
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase

PRELUDE = """
(deftemplate answer (slot q) (slot v))
(deftemplate answered (slot q))
(deftemplate part (slot rule) (slot target) (slot value))
(deftemplate contrib (slot rule) (slot target) (slot value))
(deftemplate belief (slot name) (slot cf))
(deffunction mycin ($?vals)
  (bind ?pos (create$)) (bind ?neg (create$))
  (foreach ?v ?vals
    (if (> ?v 0.0) then (bind ?pos (create$ ?pos ?v))
     else (if (< ?v 0.0) then (bind ?neg (create$ ?neg ?v)))))
  (bind ?pos (sort < ?pos))
  (bind ?neg (sort > ?neg))
  (bind ?p 0.0)
  (foreach ?v ?pos (bind ?p (+ ?p (* ?v (- 1.0 ?p)))))
  (bind ?n 0.0)
  (foreach ?v ?neg (bind ?n (+ ?n (* ?v (+ 1.0 ?n)))))
  (if (= (length$ ?neg) 0) then (return ?p))
  (if (= (length$ ?pos) 0) then (return ?n))
  (bind ?d (- 1.0 (min (abs ?p) (abs ?n))))
  (if (= ?d 0.0) then (return 0.0))
  (/ (+ ?p ?n) ?d))
"""

_CLIPS_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>"}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _dnf(condition: Condition) -> list[list[Condition]]:
    """Conjunctions of literals (a literal: a leaf or a negated leaf)."""
    if isinstance(condition, And):
        result: list[list[Condition]] = [[]]
        for operand in condition.operands:
            result = [left + right for left in result for right in _dnf(operand)]
        return result
    if isinstance(condition, Or):
        return [conj for operand in condition.operands for conj in _dnf(operand)]
    return [[condition]]


def _sym(value: str) -> str:
    return value if value.replace("_", "").isalnum() else f'"{value}"'


class _Translator:
    def __init__(self, rb: RuleBase) -> None:
        self.rb = rb
        self.var = 0

    def fresh(self) -> str:
        self.var += 1
        return f"?x{self.var}"

    def literal(self, lit: Condition, fact_vars: list[str]) -> str:
        negated = isinstance(lit, Not)
        leaf = lit.operand if isinstance(lit, Not) else lit
        threshold = self.rb.settings.premise_threshold
        if isinstance(leaf, FactRef) or (
            isinstance(leaf, Truth) and leaf.ref.name not in self.rb.questions
        ):
            if negated:
                raise NotImplementedError("negated derived facts")
            v = self.fresh()
            fact_vars.append(v)
            return f"(belief (name {leaf.ref.name}) (cf {v}&:(> {v} {threshold})))"
        name = leaf.ref.name
        question = self.rb.questions[name]
        if isinstance(leaf, Truth):
            return f"(answer (q {name}) (v {'no' if negated else 'yes'}))"
        if isinstance(leaf, Compare):
            op = _NEGATED[leaf.op] if negated else leaf.op
            if question.type is QuestionType.NUMBER:
                v = self.fresh()
                return f"(answer (q {name}) (v {v}&:({_CLIPS_OPS[op]} {v} {leaf.value.value})))"
            value = leaf.value.value
            if question.type is QuestionType.YES_NO:
                value = "yes" if value == "yes" else "no"
                if op == "!=":
                    value, op = ("no" if value == "yes" else "yes"), "=="
            if op == "==":
                return f"(answer (q {name}) (v {_sym(str(value))}))"
            v = self.fresh()
            return f"(answer (q {name}) (v {v}&~{_sym(str(value))}))"
        if isinstance(leaf, Member):
            inside = leaf.negated == negated  # "not in" under "not" is "in"
            values = [_sym(str(x.value)) for x in leaf.values]
            v = self.fresh()
            test = "&".join(f"~{x}" for x in values) if not inside else "|".join(values)
            return f"(answer (q {name}) (v {v}&{test}))"
        if isinstance(leaf, Includes):
            values = [_sym(str(x.value)) for x in leaf.values]
            if negated:
                inner = " ".join(f"(not (answer (q {name}) (v {x})))" for x in values)
                return f"(answered (q {name})) {inner}"
            if leaf.mode == "all" or len(values) == 1:
                return " ".join(f"(answer (q {name}) (v {x}))" for x in values)
            return f"(exists (answer (q {name}) (v {'|'.join(values)})))"
        raise NotImplementedError(type(leaf).__name__)

    def program(self) -> str:
        rb = self.rb
        constructs = [PRELUDE]
        for rule in rb.rules:
            stratum = rb.strata.get(rule.concludes, 1)
            salience = 1000 - 10 * stratum
            conjunctions = _dnf(rule.condition)
            multi = len(conjunctions) > 1
            for index, conjunction in enumerate(conjunctions):
                fact_vars: list[str] = []
                patterns = " ".join(self.literal(lit, fact_vars) for lit in conjunction)
                premise = f"(min 1.0 {' '.join(fact_vars)})" if fact_vars else "1.0"
                kind = "part" if multi else "contrib"
                value = premise if multi else f"(* {rule.cf} {premise})"
                constructs.append(
                    f"(defrule r-{rule.order}-{index} (declare (salience {salience})) {patterns} => "
                    f'(assert ({kind} (rule "{rule.id}") (target {rule.concludes}) (value {value}))))'
                )
            if multi:
                constructs.append(
                    f"(defrule merge-{rule.order} (declare (salience {salience - 3})) "
                    f'(exists (part (rule "{rule.id}"))) (not (contrib (rule "{rule.id}"))) => '
                    f'(bind ?m -1.0) (do-for-all-facts ((?p part)) (eq ?p:rule "{rule.id}") '
                    f"(bind ?m (max ?m ?p:value))) "
                    f'(assert (contrib (rule "{rule.id}") (target {rule.concludes}) (value (* {rule.cf} ?m)))))'
                )
        for target in rb.rules_by_conclusion:
            salience = 1000 - 10 * rb.strata.get(target, 1) - 5
            constructs.append(
                f"(defrule combine-{target} (declare (salience {salience})) "
                f"(exists (contrib (target {target}))) (not (belief (name {target}))) => "
                f"(bind ?vals (create$)) "
                f"(do-for-all-facts ((?c contrib)) (eq ?c:target {target}) (bind ?vals (create$ ?vals ?c:value))) "
                f"(bind ?b (mycin ?vals)) (if (<> ?b 0.0) then (assert (belief (name {target}) (cf ?b)))))"
            )
        return "\n".join(constructs)


def _fixed_release(self: Any) -> None:
    """clipspy 1.0.6 calls ReleaseFact(env, fact); CLIPS 6.4 takes only the fact."""
    with contextlib.suppress(AttributeError, TypeError):
        clips.facts.lib.ReleaseFact(self._fact)


class ClipsEngine:
    def __init__(self, rb: RuleBase, *, release_fix: bool) -> None:
        if release_fix:
            clips.facts.Fact.__del__ = _fixed_release
        self.rb = rb
        self.env = clips.Environment()
        for construct in _split(_Translator(rb).program()):
            self.env.build(construct)
        self.answer = self.env.find_template("answer")
        self.answered = self.env.find_template("answered")
        self.causes = set(rb.causes)
        self.threshold = rb.settings.report_threshold
        self.rule_count = sum(1 for _ in self.env.rules())

    def rank(self, answers: dict[str, Any]) -> list[tuple[str, float]]:
        env = self.env
        env.reset()
        assert_answer = self.answer.assert_fact
        for question, value in answers.items():
            if isinstance(value, frozenset):
                self.answered.assert_fact(q=clips.Symbol(question))
                for item in value:
                    assert_answer(q=clips.Symbol(question), v=clips.Symbol(item))
            elif isinstance(value, bool):
                assert_answer(q=clips.Symbol(question), v=clips.Symbol("yes" if value else "no"))
            elif isinstance(value, str):
                assert_answer(q=clips.Symbol(question), v=clips.Symbol(value))
            else:
                assert_answer(q=clips.Symbol(question), v=float(value))
        env.run()
        found = []
        for fact in env.facts():
            if fact.template.name == "belief":
                name = str(fact["name"])
                cf = float(fact["cf"])
                if name in self.causes and cf >= self.threshold:
                    found.append((name, cf))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return found


def _split(program: str) -> Iterator[str]:
    """Top-level constructs, by balancing parentheses (the prelude spans lines)."""
    depth, start = 0, None
    in_string = False
    for i, char in enumerate(program):
        if char == '"':
            in_string = not in_string
        if in_string:
            continue
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and start is not None:
                yield program[start : i + 1]
