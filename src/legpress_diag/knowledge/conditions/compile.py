"""Type-check a parsed condition against the rule base and compile it to a closure.

A compiled condition maps working memory to a certainty in [-1, 1], the MYCIN way:
a test that holds gives 1, one that fails gives -1, and a test on an unanswered
question gives 0 (unknown). ``not`` negates, ``and`` takes the minimum and ``or``
the maximum, so an unknown answer can never make a rule fire on its own.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

from ...foundation import codes
from ...foundation.problems import did_you_mean
from ...foundation.values import FieldsValue
from ..rulebase import Answers, Evaluator, Question, QuestionType
from .ast import And, Compare, Condition, FactRef, Includes, Member, Not, Or, Ref, Truth, Value

_NUMBER_OPS: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


# A number question's normalised answer is always a float (intake.answers), so its
# tests read the answers as numbers; the cast to Evaluator is made once, at compile
# time, not per test (a check here would run for every record).
_Numbers = Mapping[str, float]
# Likewise a multi-choice answer is always a frozenset of its choices.
_Choices = Mapping[str, frozenset[str]]


def _number_test(name: str, op: str, limit: float) -> Evaluator:
    """A number comparison. The common operators get closures of their own, so the
    test is inline rather than a call through ``operator``: this runs for every record."""

    def below(a: _Numbers, f: Mapping[str, float]) -> float:
        value = a.get(name)
        return 0.0 if value is None else (1.0 if value < limit else -1.0)

    def above(a: _Numbers, f: Mapping[str, float]) -> float:
        value = a.get(name)
        return 0.0 if value is None else (1.0 if value > limit else -1.0)

    def at_least(a: _Numbers, f: Mapping[str, float]) -> float:
        value = a.get(name)
        return 0.0 if value is None else (1.0 if value >= limit else -1.0)

    def at_most(a: _Numbers, f: Mapping[str, float]) -> float:
        value = a.get(name)
        return 0.0 if value is None else (1.0 if value <= limit else -1.0)

    special = {"<": below, ">": above, ">=": at_least, "<=": at_most}
    if op in special:
        return cast(Evaluator, special[op])
    test = _NUMBER_OPS[op]

    def other(a: _Numbers, f: Mapping[str, float]) -> float:
        value = a.get(name)
        return 0.0 if value is None else (1.0 if test(value, limit) else -1.0)

    return cast(Evaluator, other)


_YES_NO_VALUES = {"yes": True, "no": False}


class ConditionTypeError(ValueError):
    """A condition that parses but does not fit the rule base. Offset is 0-based."""

    def __init__(self, code: str, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True, repr=False, eq=False)
class Compiled(FieldsValue):
    """A checked condition, its evaluator and the answers and facts it reads."""

    condition: Condition  # bare fact names are FactRef here
    evaluate: Evaluator
    questions: frozenset[str]
    facts: frozenset[str]


class _Checker:
    def __init__(self, questions: Mapping[str, Question], derived: set[str]) -> None:
        self.questions = questions
        self.derived = derived
        self.used_questions: set[str] = set()
        self.used_facts: set[str] = set()

    def unknown(self, ref: Ref) -> ConditionTypeError:
        hint = did_you_mean(ref.name, [*self.questions, *self.derived])
        return ConditionTypeError(
            codes.UNKNOWN_NAME, f"unknown question or fact '{ref.name}'", ref.start, hint
        )

    def question(self, ref: Ref) -> Question:
        question = self.questions.get(ref.name)
        if question is None:
            if ref.name in self.derived:
                raise ConditionTypeError(
                    codes.WRONG_TYPE,
                    f"'{ref.name}' is a derived fact: use it on its own, not with a comparison",
                    ref.start,
                    f"write '{ref.name}' or 'not {ref.name}'",
                )
            raise self.unknown(ref)
        self.used_questions.add(ref.name)
        return question

    def choice(self, question: Question, value: Value) -> str:
        if not isinstance(value.value, str) or value.value not in question.choice_values:
            hint = did_you_mean(str(value.value), question.choice_values)
            choices = ", ".join(question.choice_values)
            raise ConditionTypeError(
                codes.NOT_A_CHOICE,
                f"'{_show(value)}' is not a choice of '{question.id}' (choices: {choices})",
                value.start,
                hint,
            )
        return value.value

    def compile(self, node: Condition) -> tuple[Condition, Evaluator]:
        if isinstance(node, Not):
            inner, ev = self.compile(node.operand)
            return Not(inner), lambda a, f: -ev(a, f)
        if isinstance(node, And | Or):
            parts = [self.compile(op) for op in node.operands]
            evs = tuple(ev for _, ev in parts)
            if isinstance(node, And):
                return And(tuple(c for c, _ in parts)), _all_of(evs)
            return Or(tuple(c for c, _ in parts)), _any_of(evs)
        if isinstance(node, Truth):
            return self.truth(node)
        if isinstance(node, FactRef):  # a checked condition, compiled again (compiled_cache)
            return self.truth(Truth(node.ref))
        if isinstance(node, Compare):
            return node, self.compare(node)
        if isinstance(node, Member):
            return node, self.member(node)
        if isinstance(node, Includes):
            return node, self.includes(node)
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover

    def truth(self, node: Truth) -> tuple[Condition, Evaluator]:
        name = node.ref.name
        if name in self.derived and name not in self.questions:
            self.used_facts.add(name)
            return FactRef(node.ref), lambda a, f: f.get(name, 0.0)
        question = self.question(node.ref)
        if question.type is not QuestionType.YES_NO:
            raise ConditionTypeError(
                codes.WRONG_TYPE,
                f"'{name}' is a {question.type.value} question: a bare name needs a yes/no one",
                node.ref.start,
                _usage_hint(question),
            )

        def ev(a: Answers, f: Mapping[str, float]) -> float:
            value = a.get(name)
            return 0.0 if value is None else (1.0 if value else -1.0)

        return node, ev

    def compare(self, node: Compare) -> Evaluator:
        question = self.question(node.ref)
        name, op = question.id, node.op
        if question.type is QuestionType.NUMBER:
            if not isinstance(node.value.value, float):
                raise ConditionTypeError(
                    codes.WRONG_TYPE,
                    f"'{name}' is a number: compare it with a number, not '{node.value.value}'",
                    node.value.start,
                )
            return _number_test(name, op, node.value.value)
        if question.type is QuestionType.MULTI:
            raise ConditionTypeError(
                codes.WRONG_TYPE,
                f"'{name}' takes several answers: test it with 'includes'",
                node.ref.start,
                _usage_hint(question),
            )
        if op not in ("==", "!="):
            raise ConditionTypeError(
                codes.WRONG_TYPE,
                f"'{op}' compares numbers, but '{name}' is a {question.type.value} question",
                node.ref.end,
                "use '==', '!=' or 'in'",
            )
        expected: object
        if question.type is QuestionType.YES_NO:
            if node.value.value not in _YES_NO_VALUES:
                raise ConditionTypeError(
                    codes.NOT_A_CHOICE,
                    f"'{name}' is answered yes or no, not '{_show(node.value)}'",
                    node.value.start,
                )
            expected = _YES_NO_VALUES[str(node.value.value)]
        else:
            expected = self.choice(question, node.value)
        hit, miss = (1.0, -1.0) if op == "==" else (-1.0, 1.0)

        def ev_equal(a: Answers, f: Mapping[str, float]) -> float:
            value = a.get(name)
            if value is None:
                return 0.0
            return hit if value == expected else miss

        return ev_equal

    def member(self, node: Member) -> Evaluator:
        question = self.question(node.ref)
        if question.type is not QuestionType.CHOICE:
            raise ConditionTypeError(
                codes.WRONG_TYPE,
                f"'in' needs a choice question, but '{question.id}' is {question.type.value}",
                node.ref.start,
                _usage_hint(question),
            )
        allowed = frozenset(self.choice(question, value) for value in node.values)
        name = question.id
        hit, miss = (-1.0, 1.0) if node.negated else (1.0, -1.0)

        def ev(a: Answers, f: Mapping[str, float]) -> float:
            value = a.get(name)
            if value is None:
                return 0.0
            return hit if value in allowed else miss

        return ev

    def includes(self, node: Includes) -> Evaluator:
        question = self.question(node.ref)
        if question.type is not QuestionType.MULTI:
            raise ConditionTypeError(
                codes.WRONG_TYPE,
                f"'includes' needs a multi-choice question, but '{question.id}' is "
                f"{question.type.value}",
                node.ref.start,
                _usage_hint(question),
            )
        wanted = frozenset(self.choice(question, value) for value in node.values)
        name, need_all = question.id, node.mode == "all"

        def ev(a: _Choices, f: Mapping[str, float]) -> float:
            value = a.get(name)
            if value is None:
                return 0.0
            held = wanted <= value if need_all else not wanted.isdisjoint(value)
            return 1.0 if held else -1.0

        return cast(Evaluator, ev)  # see _Choices


def _all_of(evs: tuple[Evaluator, ...]) -> Evaluator:
    """``and``: the minimum. It stops at -1, the lowest possible, so the value is exact."""
    if len(evs) == 2:  # by far the most common shape; worth its own closure
        first, second = evs

        def both(a: Answers, f: Mapping[str, float]) -> float:
            x = first(a, f)
            if x == -1.0:
                return -1.0
            y = second(a, f)
            return x if x < y else y

        return both

    def ev(a: Answers, f: Mapping[str, float]) -> float:
        lowest = 1.0
        for e in evs:
            value = e(a, f)
            if value < lowest:
                if value == -1.0:
                    return -1.0
                lowest = value
        return lowest

    return ev


def _any_of(evs: tuple[Evaluator, ...]) -> Evaluator:
    """``or``: the maximum. It stops at 1, the highest possible, so the value is exact."""
    if len(evs) == 2:
        first, second = evs

        def either(a: Answers, f: Mapping[str, float]) -> float:
            x = first(a, f)
            if x == 1.0:
                return 1.0
            y = second(a, f)
            return x if x > y else y

        return either

    def ev(a: Answers, f: Mapping[str, float]) -> float:
        highest = -1.0
        for e in evs:
            value = e(a, f)
            if value > highest:
                if value == 1.0:
                    return 1.0
                highest = value
        return highest

    return ev


def _show(value: Value) -> str:
    return f"{value.value:g}" if isinstance(value.value, float) else value.value


def _usage_hint(question: Question) -> str:
    name = question.id
    if question.type is QuestionType.YES_NO:
        return f"write '{name}' or 'not {name}'"
    if question.type is QuestionType.NUMBER:
        return f"e.g. '{name} < 90'"
    first = question.choice_values[0] if question.choices else "value"
    if question.type is QuestionType.MULTI:
        return f"e.g. '{name} includes {first}'"
    return f"e.g. '{name} == {first}' or '{name} in [{first}, ...]'"


def compile_condition(
    condition: Condition, questions: Mapping[str, Question], derived: set[str]
) -> Compiled:
    """Check ``condition`` against the rule base; raise ConditionTypeError on misuse."""
    checker = _Checker(questions, derived)
    checked, evaluate = checker.compile(condition)
    return Compiled(
        checked, evaluate, frozenset(checker.used_questions), frozenset(checker.used_facts)
    )
