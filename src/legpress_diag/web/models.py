"""The HTTP API's shapes, as pydantic models: the OpenAPI schema is generated from them.

A diagnosis is the contract's own model (``output_model.DiagnosisOut``); the models
here only wrap it. Request bodies are read by the same code as ``diagnose`` (strict
JSON, the same per-key messages), so the request models document the body and are
never used to parse it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema, WithJsonSchema

from ..knowledge.rulebase import Question, Screen
from ..presentation.output_model import DiagnosisOut, ProblemOut, RuleBaseIdentity

__all__ = [
    "AnswerProblemOut",
    "ChoiceOut",
    "DiagnosisOut",
    "HealthOut",
    "InterviewIn",
    "InterviewOut",
    "ProblemDetails",
    "ProblemOut",
    "QuestionOut",
    "QuestionsOut",
    "RecordIn",
    "RecordOut",
    "RuleBaseIdentity",
    "question_out",
]


SCREEN_ANSWERS = (
    "A safety screen ('screen:ID', type yes_no) asks about all its signs at once: "
    "answer 'no' when none of them applies (each sign is then 'no'), 'yes' when one or "
    "more does, 'unsure' when not sure (after 'yes' or 'unsure' each sign is asked on "
    "its own). A checklist ('screen:ID', type multi) lists its items as choices: send "
    "the list of those that happen ([] for none), '?ID' for an item that cannot be "
    "told, or 'unsure' to have them asked one by one."
)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Optional, but never null: a record either has an id or leaves it out.
RecordId = Annotated[str, Field(max_length=200)] | int | SkipJsonSchema[None]


class RecordIn(BaseModel):
    """One answer record, the contract's input format."""

    id: RecordId = Field(default=None, description="echoed back; default: the position")
    answers: dict[str, Any] = Field(description="question id -> answer")


# One measured answer's mark, as /v1/measure returns it (contract 3a). Written out
# here rather than as a model: a request body's schema is inlined without $defs.
MEASURED_MARK = {
    "type": "object",
    "required": ["value"],
    "properties": {
        "value": {"description": "the measured answer, the same as in 'answers'"},
        "confidence": {"type": "number", "description": "0 to 1"},
        "evidence": {"description": "what it rests on: {text, unit, reps, frames_left_out}"},
    },
}
MeasuredMarks = Annotated[
    dict[str, dict[str, Any]],
    WithJsonSchema({"type": "object", "additionalProperties": MEASURED_MARK}),
]


class InterviewIn(BaseModel):
    """The answers so far, in the order they were given."""

    id: RecordId = Field(default=None, description="the result's id; default 'interview'")
    answers: dict[str, Any] = Field(
        description="question id -> answer, in the order given; 'unsure' for not sure. "
        + SCREEN_ANSWERS
    )
    measured: MeasuredMarks = Field(
        default_factory=dict,
        description="(v3) the answers measured from a filmed set, as /v1/measure returns "
        "them: question id -> {value, confidence, evidence}; the measured values are in "
        "'answers' too, and a different answer there (the lifter's own) overrides one",
    )
    not_measured: dict[str, str] = Field(
        default_factory=dict,
        description="(v3) from /v1/measure: question id -> why it could not be measured",
    )


class ChoiceOut(_Out):
    value: str
    label: str


class QuestionOut(_Out):
    """One question, in words a person reads: plain sentences, no markup, no ids."""

    id: str = Field(description="a question id, or 'screen:ID' for a grouped screen")
    text: str = Field(description="the question, one plain sentence")
    help: str = Field(description="more about the question, plain sentences ('' for none)")
    type: Literal["yes_no", "choice", "multi", "number"] = Field(
        description="what the answer is: 'yes'/'no', one choice value, a list of choice "
        "values, or a number; any question also takes 'unsure'. " + SCREEN_ANSWERS
    )
    choices: list[ChoiceOut] = Field(description="for choice and multi questions")
    minimum: float | None = Field(description="for number questions")
    maximum: float | None = Field(description="for number questions")
    unit: str
    group: str
    signs: list[ChoiceOut] = Field(
        description="for a safety screen: the signs it asks about, each a yes/no "
        "question of its own (value: its question id). " + SCREEN_ANSWERS
    )
    why: list[str] = Field(description="what the answer is used for, rule by rule")
    why_brief: str = Field(
        default="",
        description="why the question is asked, in one or two plain sentences: what an "
        "app shows a lifter",
    )
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
    measured: list[str] | None = Field(
        default=None,
        description="(v3) with measured answers in the request: the answers so far that are "
        "still the measured value, in answer order (one the lifter changed is not listed)",
    )
    about_left: int | None = Field(
        default=None,
        description="when should_stop is false: about how many questions are left, this "
        "one included; it never goes up as answers are added (the web page shows it)",
    )


class QuestionsOut(_Out):
    questions: list[QuestionOut]
    screens: list[QuestionOut] = Field(description="the safety screens' grouped questions")


class AnswerProblemOut(_Out):
    """What is wrong with one answer, as the command line says it."""

    record: str | int | SkipJsonSchema[None] = Field(
        default=None, description="from /v1/diagnose: the id of the record it is in"
    )
    key: str = Field(description="the answer key ('' for the record as a whole)")
    value: str | None = Field(description="the value sent, shortened")
    message: str
    expected: str | None = Field(description="what would have been right")


class ProblemDetails(_Out):
    """Every error of the API, on every endpoint: RFC 9457 problem details, sent as
    application/problem+json."""

    type: str = Field(
        description="a link to this kind of problem in the server's reference (/docs), "
        "or 'about:blank' when the HTTP status says it all"
    )
    title: str = Field(description="the kind of problem, the same for every occurrence")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what exactly is wrong with this request")
    problems: list[AnswerProblemOut] = Field(description="what is wrong, by answer key")
    results: list[DiagnosisOut] | SkipJsonSchema[None] = Field(
        default=None,
        description="from /v1/diagnose with invalid answers: every record's result, in "
        "order (status 'error' for a record with invalid answers, or 'refer' when a "
        "safety answer raised a flag anyway); from /v1/interview: the one result of the "
        "answers sent, the same way",
    )


class HealthOut(_Out):
    status: Literal["ok"]


def question_out(
    question: Question,
    why: list[str],
    *,
    signs: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
    number: int | None = None,
    screen: Screen | None = None,
    brief: str = "",
) -> dict[str, object]:
    """A question as the API shows it (a plain dict in ``QuestionOut``'s shape). For a
    safety screen, its own sentence and help: the signs go in ``signs``, not in a
    bulleted text, and the terminal's keys are no help to an app."""
    plain = screen is not None and screen.style != "pick"
    out: dict[str, object] = {
        "id": question.id,
        "text": screen.text if plain and screen is not None else question.text,
        "help": screen.help if plain and screen is not None else question.help,
        "type": question.type.value,
        "choices": [{"value": v, "label": label} for v, label in question.choices],
        "minimum": question.minimum,
        "maximum": question.maximum,
        "unit": question.unit,
        "group": question.group,
        "signs": [{"value": q, "label": label} for q, label in signs],
        "why": why,
        "why_brief": brief,
    }
    if number is not None:
        out["number"] = number
    return out
