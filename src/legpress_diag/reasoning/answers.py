"""What the reasoning is given: one record's answers, already read.

A record's raw answers are read once, at the edge (``intake.answers.read_answers``),
into a :class:`ReadAnswers`: the normalised values the rules test (see
``knowledge.facts``), the problems found while reading, and what the safety screen
must know that normalised values cannot say (which safety questions were answered
"not sure", which may hide behind a misspelt key). Nothing below intake reads raw
answers again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..foundation.jsonvalue import JsonValue
from ..foundation.values import FieldsValue
from ..knowledge.facts import NormalisedAnswers, NormalisedValue
from ..knowledge.rulebase import Question, QuestionType
from .result import AnswerValue, ProblemOut, ReadFromOut

_SHOWN_CHARS = 60
# Read per answer shown: a module constant costs less than a lookup on the enum.
_YES_NO, _NUMBER = QuestionType.YES_NO, QuestionType.NUMBER


@dataclass(frozen=True, repr=False, eq=False)
class AnswerProblem(FieldsValue):
    """What is wrong with one answer: the key, the value (shortened) and what was expected."""

    key: str
    message: str
    value: str | None = None
    expected: str | None = None

    def to_dict(self) -> ProblemOut:
        return {
            "key": self.key,
            "value": self.value,
            "message": self.message,
            "expected": self.expected,
        }


# A frozen dataclass, not a TypedDict or a pydantic model: it is made in one place
# from values already checked (nothing to validate again), never serialised as a
# whole, and immutable, so no step between intake and the result can change it.
@dataclass(frozen=True, repr=False, eq=False)
class ReadAnswers(FieldsValue):
    """One record's answers as read at the edge, all the reasoning needs of them."""

    answers: NormalisedAnswers
    errors: tuple[AnswerProblem, ...] = ()
    warnings: tuple[AnswerProblem, ...] = ()
    # Safety questions answered "not sure" in any of its forms (they normalise to
    # unknown, so they are absent from ``answers``): the screen reads them as possible.
    unsure: frozenset[str] = frozenset()
    # Unanswered safety questions an unknown key very likely misspells, when its
    # answer was not a plain "no": the screen reads them as unsure too.
    misspelt: frozenset[str] = frozenset()
    # Where a "not sure" of ``unsure`` or ``misspelt`` was read from when that was not
    # the question's own key (a note, a coach's column, a misspelt id): the flag it
    # raises shows it, so a reader can find the words that raised it.
    read_from: Mapping[str, ReadFrom] = field(default_factory=dict)


@dataclass(frozen=True, repr=False, eq=False)
class ReadFrom(FieldsValue):
    """The record's own key and answer a safety answer was read from."""

    key: str
    answer: str  # shortened for showing (show_value)

    def to_dict(self) -> ReadFromOut:
        return {"key": self.key, "answer": self.answer}


def said_text(value: JsonValue, limit: int) -> str:
    """An answer as a person wrote it, for showing beside a flag: text as it is (no
    quotes), anything else as JSON; shortened to ``limit`` characters."""
    if not isinstance(value, str):
        return show_value(value, limit)
    text = " ".join(value.split())  # a note's line breaks would break a report's line
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(value: JsonValue | object, limit: int = _SHOWN_CHARS) -> str:
    """A short, safe rendering of any JSON value for messages (never a megabyte)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def denormalize(question: Question, value: NormalisedValue) -> AnswerValue:
    """Back to the contract's JSON form (for saved sessions and explanations)."""
    if question.type is _YES_NO:
        return "yes" if value else "no"
    if isinstance(value, frozenset):  # a multi-choice answer
        order = question.choice_values
        return sorted(value, key=order.index)
    if question.type is _NUMBER and float(value).is_integer():
        return int(value)
    return value
