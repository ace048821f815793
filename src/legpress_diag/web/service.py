"""What the HTTP API and the web page do, as pure functions of the rule base.

Nothing here imports a web framework: each function takes request data and returns
typed values (the contract's result dicts, the questionnaire's steps), so the API,
the web page and the tests see the same thing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..api import diagnose, diagnose_stream
from ..intake.questionnaire import (
    SCREEN_PREFIX,
    Ask,
    Stop,
    next_step,
    session_record,
    state_from_answers,
)
from ..intake.records import InputError, RawRecord, check_record, parse_json
from ..knowledge import textsafe
from ..knowledge.rulebase import RuleBase
from ..presentation.render.json_codec import encode
from ..presentation.writers import by_name
from ..presentation.writers.interface import WriteContext
from ..reasoning.answers import AnswerProblem, show_value
from ..reasoning.result import DiagnosisOut

INTERVIEW_ID = "interview"


class RequestProblem(Exception):
    """The request as a whole cannot be used; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str, problems: tuple[AnswerProblem, ...] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.message, "problems": [p.to_dict() for p in self.problems]}


def to_json(value: Any) -> str:
    """Compact JSON, escaped the way ``diagnose --format jsonl`` escapes its lines."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return textsafe.json_line(text)


@dataclass(frozen=True)
class Batch:
    """Results of a diagnose request, already encoded as the CLI would write them."""

    text: str
    count: int
    errors: int  # results that list errors


def diagnose_body(body: bytes, rb: RuleBase, max_records: int, explain: bool = False) -> Batch:
    """A request body read exactly as `diagnose FILE` reads a file: one record object
    gives one JSON object (the `--format jsonl` line), an array gives the `--format json`
    array. JSON Lines with several records are refused: the answer would not be JSON."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise RequestProblem(422, "the body is empty; send one record object or an array")
    results: list[DiagnosisOut] = []
    try:
        for result in diagnose_stream(
            io.BytesIO(body), rb, explain=explain
        ):  # the CLI's reader and steps
            results.append(result)
            if len(results) > max_records:
                raise RequestProblem(
                    413, f"more than {max_records} records in one request; split the batch"
                )
            if head != b"[" and len(results) > 1:
                raise RequestProblem(
                    422, "send one record object or a JSON array of records, not JSON Lines"
                )
    except InputError as exc:
        raise RequestProblem(413, str(exc)) from None
    # Any result with errors (status "error", or a referral that still lists bad answers).
    errors = sum(bool(r["errors"]) for r in results)
    if head == b"[":
        # The CLI's own JSON writer, so the bytes are those of `diagnose --format json`.
        writer, out = by_name("json"), io.StringIO()
        writer.write((writer.prepare(r, None) for r in results), out, WriteContext())
        return Batch(out.getvalue(), len(results), errors)
    return Batch(encode(results[0]) + "\n", 1, errors)


def read_interview_body(body: bytes) -> tuple[Any, dict[str, Any]]:
    """(id, answers) from an interview request, which is an answer record."""
    try:
        data = parse_json(body)
    except ValueError as exc:
        raise RequestProblem(400, str(exc)) from None
    checked = check_record(RawRecord(0, None, data=data))
    if checked.errors:
        raise RequestProblem(422, "the request is not an answer record", tuple(checked.errors))
    record_id = checked.record_id if isinstance(data, dict) and "id" in data else INTERVIEW_ID
    return record_id, checked.answers


@dataclass(frozen=True)
class Step:
    """One interview step: the next question, or the end with the result."""

    ask: Ask | None
    stop: Stop | None
    record: dict[str, Any] | None  # the contract's record of the session, at the end
    result: DiagnosisOut | None  # diagnose(record), at the end
    warnings: tuple[AnswerProblem, ...]
    signs: tuple[tuple[str, str], ...] = ()  # a screen's signs still listed: (id, wording)


def interview(
    rb: RuleBase,
    answers: Mapping[str, Any],
    record_id: Any = INTERVIEW_ID,
    *,
    explain: bool = False,
) -> Step:
    """The next step of ``ask`` for these answers so far. Raises RequestProblem (422,
    with the same per-key messages as ``diagnose``) when an answer is invalid."""
    replay = state_from_answers(rb, answers)
    if replay.errors:
        raise RequestProblem(422, "some answers are invalid", replay.errors)
    step = next_step(rb, replay.state)
    if isinstance(step, Ask):
        screen_ = rb.screens.get(step.question.id.removeprefix(SCREEN_PREFIX))
        signs = (
            ()
            if screen_ is None or not step.question.id.startswith(SCREEN_PREFIX)
            else tuple((q, label) for q, label in screen_.items if q not in replay.state.asked)
        )
        return Step(step, None, None, None, replay.warnings, signs)
    record = session_record(rb, replay.state, record_id)
    return Step(None, step, record, diagnose(record, rb, explain=explain), replay.warnings)


def problem_text(problem: AnswerProblem) -> str:
    """The one-line message the CLI prints for a problem."""
    expected = f" (expected {problem.expected})" if problem.expected else ""
    return f"{problem.message}{expected}"


__all__ = [
    "Batch",
    "RequestProblem",
    "Step",
    "diagnose_body",
    "interview",
    "problem_text",
    "read_interview_body",
    "show_value",
    "to_json",
]
