"""The HTTP API's shapes, as pydantic models: the OpenAPI schema is generated from them.

A diagnosis is the contract's own model (``output_model.DiagnosisOut``); the models
here only wrap it. Request bodies are read by the same code as ``diagnose`` (strict
JSON, the same per-key messages), so the request models document the body and are
never used to parse it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from ..knowledge.rulebase import Question
from ..presentation.output_model import DiagnosisOut, ProblemOut, RuleBaseIdentity

__all__ = [
    "ChoiceOut",
    "DiagnosisOut",
    "ErrorOut",
    "HealthOut",
    "InterviewIn",
    "InterviewOut",
    "ProblemOut",
    "QuestionOut",
    "QuestionsOut",
    "RecordIn",
    "RecordOut",
    "RuleBaseIdentity",
    "question_out",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Optional, but never null: a record either has an id or leaves it out.
RecordId = Annotated[str, Field(max_length=200)] | int | SkipJsonSchema[None]


class RecordIn(BaseModel):
    """One answer record, the contract's input format."""

    id: RecordId = Field(default=None, description="echoed back; default: the position")
    answers: dict[str, Any] = Field(description="question id -> answer")


class InterviewIn(BaseModel):
    """The answers so far, in the order they were given."""

    id: RecordId = Field(default=None, description="the result's id; default 'interview'")
    answers: dict[str, Any] = Field(
        description="question id -> answer, in the order given; 'unsure' for not sure; "
        "'screen:ID' -> 'no' answers every sign of that safety screen 'no', "
        "'yes' or 'unsure' opens it"
    )


class ChoiceOut(_Out):
    value: str
    label: str


class QuestionOut(_Out):
    id: str = Field(description="a question id, or 'screen:ID' for a grouped safety screen")
    text: str
    help: str
    type: Literal["yes_no", "choice", "multi", "number"]
    choices: list[ChoiceOut] = Field(description="for choice and multi questions")
    minimum: float | None = Field(description="for number questions")
    maximum: float | None = Field(description="for number questions")
    unit: str
    group: str
    signs: list[ChoiceOut] = Field(
        description="for a screen: the signs it asks about (value: their question id)"
    )
    why: list[str] = Field(description="what the answer is used for")
    number: int | None = Field(
        default=None, description="in an interview: the how-manieth question this is"
    )


class RecordOut(_Out):
    id: str | int
    answers: dict[str, Any]


class InterviewOut(_Out):
    should_stop: bool
    question: QuestionOut | None = Field(default=None, description="when should_stop is false")
    reason: str | None = Field(default=None, description="why the questions are over")
    result: DiagnosisOut | None = Field(
        default=None, description="when should_stop is true: what `diagnose` gives for record"
    )
    record: RecordOut | None = Field(
        default=None, description="when should_stop is true: the session as an answer record"
    )
    warnings: list[ProblemOut] = Field(description="unknown answer keys, ignored")
    about_left: int | None = Field(
        default=None,
        description="when should_stop is false: about how many questions are left, this "
        "one included; it never goes up as answers are added (the web page shows it)",
    )


class QuestionsOut(_Out):
    questions: list[QuestionOut]
    screens: list[QuestionOut] = Field(description="the safety screens' grouped questions")


class ErrorOut(_Out):
    error: str
    problems: list[ProblemOut] = Field(description="what is wrong, by answer key")


class HealthOut(_Out):
    status: Literal["ok"]


def question_out(
    question: Question,
    why: list[str],
    *,
    signs: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
    number: int | None = None,
) -> dict[str, Any]:
    """A question as the API shows it (a plain dict in ``QuestionOut``'s shape)."""
    out: dict[str, Any] = {
        "id": question.id,
        "text": question.text,
        "help": question.help,
        "type": question.type.value,
        "choices": [{"value": v, "label": label} for v, label in question.choices],
        "minimum": question.minimum,
        "maximum": question.maximum,
        "unit": question.unit,
        "group": question.group,
        "signs": [{"value": q, "label": label} for q, label in signs],
        "why": why,
    }
    if number is not None:
        out["number"] = number
    return out
