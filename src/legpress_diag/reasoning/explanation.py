"""Reasoning as data: which answers and rules led to each cause, and the arithmetic.

A result explains each reported cause with its own rules and the answers that
mattered, and lists the derived facts it rests on; the reasoning behind each such
fact is given once per result (under ``facts``), not repeated under every cause
that uses it. Static texts (rule notes and sources, question wording) stay in the
rule base, where renderers look them up: a result names every rule by id and by
file:line, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..foundation.values import FieldsValue
from ..knowledge.conditions.ast import (
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
from ..knowledge.facts import NormalisedValue
from ..knowledge.rulebase import QuestionType, Rule, RuleBase
from .answers import denormalize
from .certainty import combination_steps
from .engine import Reasoning
from .result import (
    AnswerValue,
    CauseBecauseOut,
    CauseReasoningOut,
    RuleStepOut,
    StepOut,
)


@lru_cache(maxsize=50_000)  # bounded: a pathological rule base cannot grow it forever
def _combination_steps(contributions: tuple[float, ...]) -> tuple[str, ...]:
    """combination_steps, remembered: the same few contributions recur across records."""
    return tuple(combination_steps(contributions))


def _arithmetic(contributions: list[float]) -> list[str]:
    return list(_combination_steps(tuple(contributions)))


def in_words(rb: RuleBase, question_id: str, value: NormalisedValue) -> str:
    question = rb.questions[question_id]
    shown = denormalize(question, value)
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        values = shown if isinstance(shown, list) else [str(shown)]
        return ", ".join(question.label(v) for v in values) or "none"
    if question.type is QuestionType.NUMBER:
        return f"{shown} {question.unit}".strip()
    return str(shown)  # yes or no


class _Explainer:
    """Builds one result's explanations. Everything a record's causes share (answers
    in JSON form and in words, rounded beliefs, the reasoning behind facts) is worked
    out once per record, however many causes use it.

    The brief form (``because``: the answers and rules behind a cause) walks only the
    standing support; the full form (``explain``) also writes out each rule's
    premise, contribution and arithmetic, which costs several times more."""

    def __init__(self, rb: RuleBase, reasoning: Reasoning, explain: bool) -> None:
        self.rb = rb
        self.reasoning = reasoning
        self.explain = explain
        self.static = rb.index.static
        self.by_conclusion = rb.index.by_conclusion
        self.support, self.answers = reasoning.support, reasoning.answers
        self.shown: dict[str, AnswerValue] = {}
        self.words: dict[str, str] = {}
        self.rounded = (
            {name: round(value, 6) for name, value in reasoning.beliefs.items()} if explain else {}
        )
        self.facts: dict[str, StepOut] = {}
        # Per derived fact: the questions and rules behind it (the same for every cause).
        self.fact_answers: dict[str, list[str]] = {}
        self.fact_rules: dict[str, list[str]] = {}

    def answer(self, qid: str) -> AnswerValue:
        shown = self.shown.get(qid)
        if shown is None:
            shown = self.shown[qid] = denormalize(self.rb.questions[qid], self.answers[qid])
        return shown

    def standing_rules(self, derived: str, used: dict[str, None]) -> list[str]:
        """The ids of the rules standing behind one conclusion, in declared order;
        records the answered questions they test in ``used`` (an ordered set)."""
        standing = self.support.get(derived)
        if not standing:
            return []
        answers = self.answers
        static = self.static
        rules = [rule.id for rule in self.by_conclusion.get(derived, ()) if rule.id in standing]
        for rule_id in rules:
            for qid in static[rule_id].questions:
                if qid in answers:
                    used[qid] = None
        return rules

    def step(self, derived: str, rule_ids: list[str]) -> StepOut:
        """Those rules written out, and how their contributions combine."""
        reasoning = self.reasoning
        standing = reasoning.support.get(derived, {})
        answers = reasoning.answers
        rounded = self.rounded
        by_id = self.rb.index.by_id
        entries: list[RuleStepOut] = []
        for rule_id in rule_ids:
            rule = by_id[rule_id]
            static = self.static[rule.id]
            where, questions, facts = static.defined_at, static.questions, static.facts
            entries.append(
                {
                    "rule": rule.id,
                    "defined_at": where,
                    "if": rule.condition_text,
                    "cf": rule.cf,
                    "premise": round(reasoning.premises[rule.id], 6),
                    "contribution": round(standing[rule.id], 6),
                    "answers": {qid: self.answer(qid) for qid in questions if qid in answers},
                    "facts": {f: rounded.get(f, 0.0) for f in facts},
                }
            )
        return {
            "certainty": rounded.get(derived, 0.0),
            "rules": entries,
            "arithmetic": _arithmetic(list(standing.values())),
        }

    def facts_behind(self, target: str) -> list[str]:
        """Derived facts that stand behind ``target``, nearest first."""
        order: list[str] = []
        support = self.support
        static = self.static
        # Breadth first: ``order`` is the queue too, read from ``position`` on.
        current, position = target, 0
        while True:
            for rule_id in support.get(current, ()):
                for fact in static[rule_id].facts:
                    # A fact with no standing support added nothing (say, the other
                    # side of an 'or'): it is not something the cause rests on.
                    if fact in support and fact != target and fact not in order:
                        order.append(fact)
            if position == len(order):
                return order
            current, position = order[position], position + 1

    def _fact(self, fact: str) -> None:
        if fact in self.fact_rules:
            return
        used: dict[str, None] = {}
        rules = self.standing_rules(fact, used)
        self.fact_answers[fact] = list(used)
        self.fact_rules[fact] = rules
        if self.explain:
            self.facts[fact] = self.step(fact, rules)

    def cause(self, cause: str) -> tuple[CauseBecauseOut, CauseReasoningOut | None]:
        """The brief ``because`` of a cause, and with ``explain`` its full reasoning."""
        used: dict[str, None] = {}  # an ordered set of the questions that mattered
        rules = self.standing_rules(cause, used)
        rule_ids = list(rules)  # the facts' rules are added to it below
        behind = self.facts_behind(cause)
        for fact in behind:
            if fact not in self.fact_rules:
                self._fact(fact)
            for qid in self.fact_answers[fact]:
                used[qid] = None
            # A rule concludes one thing, so no rule is listed twice.
            rule_ids += self.fact_rules[fact]
        answer = self.answer
        because: CauseBecauseOut = {
            "answers": {qid: answer(qid) for qid in used},
            "rules": rule_ids,
        }
        if not self.explain:
            return because, None
        step = self.step(cause, rules)
        full: CauseReasoningOut = {
            "certainty": step["certainty"],
            "rules": step["rules"],
            "arithmetic": step["arithmetic"],
            "facts": behind,
            "because": [
                {"question": qid, "answer": answer(qid), "in_words": self.in_words(qid)}
                for qid in used
            ],
        }
        return because, full

    def in_words(self, qid: str) -> str:
        if qid not in self.words:
            self.words[qid] = in_words(self.rb, qid, self.reasoning.answers[qid])
        return self.words[qid]


@dataclass(frozen=True, repr=False, eq=False)
class Explained(FieldsValue):
    """One result's explanations: per cause its ``because`` (and with ``explain`` its
    reasoning), and with ``explain`` the reasoning behind each derived fact."""

    because: dict[str, CauseBecauseOut]
    reasoning: dict[str, CauseReasoningOut]
    facts: dict[str, StepOut]


def explain_result(
    rb: RuleBase, reasoning: Reasoning, causes: list[str], *, explain: bool = True
) -> Explained:
    explainer = _Explainer(rb, reasoning, explain)
    because: dict[str, CauseBecauseOut] = {}
    full: dict[str, CauseReasoningOut] = {}
    for cause in causes:
        because[cause], detail = explainer.cause(cause)
        if detail is not None:
            full[cause] = detail
    return Explained(because, full, explainer.facts)


# --- Plain words for lifters: no rule ids, certainty factors or arithmetic.


def strength(cf: float) -> str:
    """How a rule's certainty factor reads in words."""
    if cf >= 0.7:
        return "points strongly to"
    if cf >= 0.4:
        return "points to"
    if cf > 0:
        return "hints at"
    return "speaks strongly against" if cf <= -0.5 else "speaks against"


def fact_strength(cf: float) -> str:
    """How a rule that concludes a derived fact (a statement) reads in words."""
    if cf >= 0.7:
        return "means that"
    if cf >= 0.4:
        return "suggests that"
    return "hints that" if cf > 0 else "speaks against the idea that"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def conclusion_title(rb: RuleBase, derived: str) -> str:
    """A cause's or fact's title, to stand in the middle of a sentence."""
    known = rb.causes.get(derived) or rb.facts.get(derived)
    return lower_first(known.title) if known is not None else derived.replace("_", " ")


def topic(rb: RuleBase, question_id: str) -> str:
    """A question's topic in a few words: its group ('hips_back' is 'hips and back')."""
    question = rb.questions.get(question_id)
    return question.group.replace("_", " and ") if question is not None else question_id


_Test = Truth | Compare | Member | Includes  # a test of a question (not a fact)


def _leaf_phrase(rb: RuleBase, leaf: _Test, negated: bool) -> str:
    question = rb.questions[leaf.ref.name]
    if isinstance(leaf, Truth):
        return "a no" if negated else "a yes"
    if isinstance(leaf, Compare) and question.type is QuestionType.NUMBER:
        value, unit = float(leaf.value.value), f" {question.unit}" if question.unit else ""
        words = {"<": "under", "<=": "of at most", ">": "over", ">=": "of at least"}
        phrase = f"an answer {words.get(leaf.op, leaf.op)} {value:g}{unit}"
        return f"not {phrase}" if negated else phrase
    if isinstance(leaf, Compare):
        label = f"'{question.label(str(leaf.value.value))}'"
        return label if (leaf.op == "==") != negated else f"anything but {label}"
    values = " or ".join(f"'{question.label(str(v.value))}'" for v in leaf.values)
    if isinstance(leaf, Member):
        negated = negated != leaf.negated
    elif isinstance(leaf, Includes):
        values = values.replace(" or ", " and ") if leaf.mode == "all" else values
        return f"not {values}" if negated else values
    return f"anything but {values}" if negated else values


def _tests_of(
    condition: Condition, question_id: str, negated: bool = False
) -> list[tuple[_Test, bool]]:
    """Where a condition tests ``question_id``: (leaf, negated) pairs, left to right."""
    if isinstance(condition, Not):
        return _tests_of(condition.operand, question_id, not negated)
    if isinstance(condition, And | Or):
        return [t for op in condition.operands for t in _tests_of(op, question_id, negated)]
    if isinstance(condition, FactRef) or condition.ref.name != question_id:
        return []
    return [(condition, negated)]


def rule_sentence(rb: RuleBase, rule: Rule, question_id: str) -> str:
    """One plain sentence: what an answer to ``question_id`` does through ``rule``."""
    tests = _tests_of(rule.condition, question_id)
    answer = " and ".join(dict.fromkeys(_leaf_phrase(rb, leaf, neg) for leaf, neg in tests))
    others = [f"signs that {conclusion_title(rb, f)}" for f in sorted(rule.facts)]
    others += [f"what you say about {topic(rb, q)}" for q in sorted(rule.questions - {question_id})]
    together = f", together with {' and '.join(dict.fromkeys(others))}," if others else ""
    verb = fact_strength(rule.cf) if rule.concludes in rb.facts else strength(rule.cf)
    sentence = f"{answer[:1].upper()}{answer[1:]} here{together} {verb} "
    sentence += f"{conclusion_title(rb, rule.concludes)}."
    return f"{sentence} {rule.note.strip()}" if rule.note else sentence


_HARM_WORDS = ("disc", "stress", "strain", "load", "injur", "unstable", "pressure", "rounds")


def why_it_hurts(explanation: str) -> str:
    """One sentence of a cause's explanation that says why it hurts: the first that
    speaks of discs, stress, strain, load or injury; else the first sentence."""
    sentences = [s.strip() for s in explanation.replace("\n", " ").split(". ") if s.strip()]
    if not sentences:
        return ""
    chosen = next((s for s in sentences if any(w in s.lower() for w in _HARM_WORDS)), sentences[0])
    return chosen if chosen.endswith(".") else chosen + "."
