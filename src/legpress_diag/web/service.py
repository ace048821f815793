"""What the HTTP API and the web page do, as pure functions of the rule base.

Nothing here imports a web framework: each function takes request data and returns
typed values (the contract's result dicts, the questionnaire's steps), so the API,
the web page and the tests see the same thing.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from ..api import diagnose
from ..foundation.jsonvalue import JsonObject, JsonValue
from ..intake.interview import Ask, InvalidAnswers, Stop, rebuild, referral_despite
from ..intake.progress import about_left
from ..intake.records import (
    UTF8_BOM,
    AnswerRecord,
    InputError,
    RawRecord,
    check_record,
    diagnose_record,
    parse_json,
    read_records,
)
from ..intake.wrappers import records_in_array, wrapped_records
from ..knowledge.facts import RawAnswers
from ..knowledge.rulebase import RuleBase
from ..presentation.render.json_codec import encode
from ..presentation.writers import by_name
from ..presentation.writers.interface import WriteContext
from ..reasoning.answers import AnswerProblem, show_value
from ..reasoning.diagnosis import errors_in_tools_words
from ..reasoning.result import DiagnosisOut
from .limits import Deadline, Limits
from .problems import RequestProblem

INTERVIEW_ID = "interview"


def to_json(value: object) -> str:
    """Compact JSON, escaped the way ``diagnose --format jsonl`` escapes its lines
    (a lone surrogate an answer carried is written as its escape, never a 500)."""
    return encode(value)


@dataclass(frozen=True)
class Batch:
    """Results of a diagnose request, already encoded as the CLI would write them."""

    text: str  # one result (the `--format jsonl` line), or the `--format json` array
    count: int
    errors: int  # results that list errors
    problems: tuple[dict[str, object], ...] = ()  # every error, with its record's id


def _text_bytes(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def read_body(
    body: bytes, rb: RuleBase | None = None, max_records: int = 1000
) -> tuple[JsonValue, int]:
    """The body as one JSON document, and the line its first value starts on (what
    `diagnose FILE` reports as a one-record file's ``line``). RequestProblem 400 when
    it is not JSON; with ``rb``, a body a lenient reader can still read whose answers
    show a warning sign carries that referral under ``results``."""
    try:
        return _read_body(body)
    except RequestProblem as exc:
        raise _refers_all_the_same(exc, body, rb, max_records) from None


def _refers_all_the_same(
    exc: RequestProblem, body: bytes, rb: RuleBase | None, max_records: int
) -> RequestProblem:
    """Attack round 9, M2: a readable "yes" to saddle numbness beside one Latin-1 byte
    was a 400 and nothing more. The body is still not JSON (400), but the referral its
    answers give, read leniently (``intake.salvage``), goes with it: one per record
    of an array, as ``diagnose`` reads a broken array (attack round 10, M2)."""
    if rb is None or exc.type.status != 400 or not body.strip():
        return exc
    # Read as `diagnose FILE` reads the same bytes: a record per JSON Lines line, per
    # object of a broken array, or one for a record a lenient reader takes (a new
    # user's F6: a JSON Lines body was one merged result, its emergency "unsure").
    try:
        raws = list(itertools.islice(read_records(io.BytesIO(body)), max_records + 1))
    except InputError:
        return exc
    # Past max_records the rest are not read: say so, so that a client does not take
    # the list for every record the body holds (a new check, NEW-5).
    cut = ""
    if len(raws) > max_records:
        raws = raws[:max_records]
        cut = f" (the first {max_records:,} records; send fewer at a time)"
    results = [diagnose_record(raw, rb, False, None) for raw in raws]
    if not any(result["red_flags"] for result in results):
        return exc
    return RequestProblem(
        "not-json",
        f"{exc.message}; a safety answer refers all the same (see 'results'){cut}",
        extra={"results": results},
    )


def _read_body(body: bytes) -> tuple[JsonValue, int]:
    text = body.removeprefix(UTF8_BOM)
    start = text.lstrip(b" \t\r\n")
    if not start:
        raise RequestProblem(
            "not-json", "the body is empty: send one answer record, or a JSON array of them"
        )
    try:
        # The C codec; parse_json's own ("utf-8-sig", in Python) words a bad byte.
        decoded: str | bytes = text.decode("utf-8")
    except UnicodeDecodeError:
        decoded = text
    try:
        data = parse_json(decoded, records=True)  # a repeated answer: not sure
    except ValueError as exc:
        hint = ""
        if "Extra data" in str(exc):
            hint = "; send one JSON document (several records go in a JSON array)"
        raise RequestProblem("not-json", f"the body is not JSON: {exc}{hint}") from None
    return data, text[: len(text) - len(start)].count(b"\n") + 1


def diagnose_body(
    body: bytes,
    rb: RuleBase,
    limits: Limits,
    deadline: Deadline,
    explain: bool = False,
) -> Batch:
    """A request body diagnosed exactly as `diagnose FILE` reads a file: one record
    object gives one JSON object (the `--format jsonl` line), an array gives the
    `--format json` array. The deadline is checked between records, and the answer
    may not grow past ``limits.max_response_bytes`` (RequestProblem 413)."""
    data, line = read_body(body, rb, limits.max_records)
    if isinstance(data, list):
        data = records_in_array(data)  # [[record]] as diagnose reads it
        if len(data) > limits.max_records:
            raise RequestProblem(
                "too-large",
                f"{len(data):,} records in one request, more than {limits.max_records:,}: "
                "split the batch",
            )
        raws: list[RawRecord] = [RawRecord(i, None, data=item) for i, item in enumerate(data)]
    elif isinstance(data, dict) and (wrapped := wrapped_records(data)) is not None:
        # Records wrapped in an object (an app's export): answered as one, each answer
        # that differed between clients was "not sure" (a new user's U15-4). The
        # body is refused, with each record's referral, as diagnose reads the file.
        # Where they are: the keys that hold a list or an object ("response" in
        # Bubble's {"response": {"results": [...]}}: "(under )" said nothing, check 26).
        holders = [key for key, value in data.items() if isinstance(value, list | dict)]
        keys = ", ".join(repr(key) for key in holders)[:200]
        where = f" (under {keys})" if keys else ""
        count = f"{len(wrapped):,} record" + ("" if len(wrapped) == 1 else "s")
        results = [
            diagnose_record(RawRecord(i, None, data=item), rb, False, None)
            for i, item in enumerate(wrapped[: limits.max_records])
        ]
        refers = any(result["red_flags"] for result in results)
        raise RequestProblem(
            "not-a-record",
            f"the body wraps {count} in an object{where}; send "
            "one answer record, or a JSON array of them"
            + ("; a safety answer refers all the same (see 'results')" if refers else ""),
            extra={"results": results} if refers else None,
        )
    elif isinstance(data, dict):
        raws = [RawRecord(line, line, data=data)]
    else:
        detail = "the body must be one answer record (a JSON object) or a JSON array of them"
        # A record encoded twice (a JSON string of one) is not one, but a warning sign
        # in it refers all the same, as diagnose reads it (attack round 11, M1).
        result = diagnose_record(RawRecord(line, line, data=data), rb, False, None)
        if not result["red_flags"]:
            raise RequestProblem("not-a-record", detail)
        raise RequestProblem(
            "not-a-record",
            f"{detail}; a safety answer in it refers all the same (see 'results')",
            extra={"results": [result]},
        )
    prepared: list[str] = []
    size, errors = 0, 0
    problems: list[dict[str, object]] = []
    for raw in raws:
        deadline.check()
        result = diagnose_record(raw, rb, False, None, explain=explain)
        text = encode(result)
        size += _text_bytes(text) + 4
        if size > limits.max_response_bytes:
            raise RequestProblem(
                "answer-too-large",
                f"the results would be larger than {limits.max_response_bytes:,} bytes "
                f"after {len(prepared):,} of {len(raws):,} records: send fewer records per "
                "request" + (", or leave out explain=true" if explain else ""),
            )
        prepared.append(text)
        if result["errors"]:
            errors += 1
            problems += [{"record": result["id"], **p} for p in result["errors"]]
    if isinstance(data, list):
        # The CLI's own JSON writer, so the bytes are those of `diagnose --format json`.
        writer, out = by_name("json"), io.StringIO()
        writer.write(prepared, out, WriteContext())
        return Batch(out.getvalue(), len(prepared), errors, tuple(problems))
    return Batch(prepared[0] + "\n", 1, errors, tuple(problems))


def invalid_records(batch: Batch) -> RequestProblem:
    """The 422 for a batch some of whose records have invalid answers: every problem,
    and every result (the valid ones too) under ``results``."""
    some = "the record has" if batch.count == 1 else f"{batch.errors} of {batch.count} records have"
    return RequestProblem(
        "invalid-answers",
        f"{some} invalid answers; every result is under 'results'",
        batch.problems,
    )


def read_interview_body(
    body: bytes, rb: RuleBase | None = None
) -> tuple[
    str | int, JsonObject, dict[str, JsonObject], JsonObject, frozenset[str], list[AnswerProblem]
]:
    """(id, answers, measured, beside, said_yes, warnings) from an interview request,
    which is an answer record (``measured``: the marks of `legpress-diag measure`'s
    record, contract 3a; ``beside``: fields beside 'answers' the contract does not
    know, where a safety key is read as ``diagnose`` reads it; the keys given a yes
    that the reading made "not sure", ``CheckedRecord.said_yes``; and the record's own
    warnings, a key answered two ways among them, as ``diagnose`` gives them)."""
    data, line = read_body(body, rb)
    # Read at its line, as /v1/diagnose reads a one-record body: a warning says where.
    checked = check_record(RawRecord(line, line, data=data), rb=rb)
    if checked.errors:
        # With the rule base, the record's result goes with the 422, as /v1/diagnose's
        # does: a warning sign is never hidden behind an error of the record's shape.
        raw = RawRecord(0, None, data=data)
        result = None if rb is None else diagnose_record(raw, rb, False, None)
        refers = result is not None and bool(result["red_flags"])
        raise RequestProblem(
            "not-a-record",
            "the body is not an answer record"
            + ("; a safety answer refers all the same (see 'results')" if refers else ""),
            tuple(checked.errors),
            extra={"results": [result]} if refers and result is not None else None,
        )
    record_id = checked.record_id if isinstance(data, dict) and "id" in data else INTERVIEW_ID
    return (
        record_id,
        checked.answers,
        checked.measured,
        checked.stray,
        checked.said_yes,
        # (a field beside 'answers' is read, and said, by the interview: rebuild)
        [warning for warning in checked.warnings if warning.key not in checked.stray],
    )


@dataclass(frozen=True)
class Step:
    """One interview step: the next question, or the end with the result."""

    ask: Ask | None
    stop: Stop | None
    record: AnswerRecord | None  # the contract's record of the session, at the end
    result: DiagnosisOut | None  # diagnose(record), at the end
    warnings: tuple[AnswerProblem, ...]
    signs: tuple[tuple[str, str], ...] = ()  # a screen's signs still listed: (id, wording)
    about_left: int | None = None  # while asking: about how many prompts are left


def interview(
    rb: RuleBase,
    answers: RawAnswers,
    record_id: str | int = INTERVIEW_ID,
    *,
    explain: bool = False,
    measured: Mapping[str, JsonObject] | None = None,
    beside: JsonObject | None = None,
    check: Callable[[], None] | None = None,
    said_yes: Collection[str] = (),
) -> Step:
    """The next step of ``ask`` for these answers so far (``measured``: the marks of
    those measured from a filmed set, which the record and the result keep; ``beside``:
    the record's unknown fields, see ``rebuild``). Raises RequestProblem (422, with the
    same per-key messages as ``diagnose``) when an answer is invalid; it carries the
    answers' result under ``results``, as ``/v1/diagnose``'s 422 does, so a warning
    sign among the valid answers is never hidden by the invalid one. ``check``: the
    request's deadline (``Deadline.check``), called inside every loop over the
    answers, so a request answered 503 stops working."""
    try:
        current = rebuild(rb, answers, beside, check, said_yes)
    except InvalidAnswers as exc:
        result = referral_despite(rb, exc, record_id)
        refers = "; a safety answer refers all the same (see 'results')"
        # Beside a referral, a coach's question in the tool's words: its unit and
        # choice ids are the coach's text (attack round 12, H4; its results' errors
        # were, the problems were not).
        problems = errors_in_tools_words(rb, exc.problems) if result["red_flags"] else exc.problems
        raise RequestProblem(
            "invalid-answers",
            "some answers are invalid" + (refers if result["red_flags"] else ""),
            tuple(problems),
            extra={"results": [result]},
        ) from None
    if measured:
        current = replace(current, state=replace(current.state, measured=measured))
    if isinstance(current.next, Ask):
        left = about_left(rb, current.read or answers, current.prefixes, check)
        return Step(current.next, None, None, None, current.warnings, current.signs(rb), left)
    if check is not None:
        check()
    record = current.record(rb, record_id)
    result = diagnose(record, rb, explain=explain)
    return Step(None, current.next, record, result, current.warnings)


def problem_text(problem: AnswerProblem | Mapping[str, object]) -> str:
    """The one-line message the CLI prints for a problem."""
    if not isinstance(problem, AnswerProblem):
        wanted = problem.get("expected")  # a problem's dict form: text or None
        problem = AnswerProblem(
            str(problem.get("key", "")),
            str(problem.get("message", "")),
            None,
            None if wanted is None else str(wanted),
        )
    expected = f" (expected {problem.expected})" if problem.expected else ""
    return f"{problem.message}{expected}"


__all__ = [
    "Batch",
    "RequestProblem",
    "Step",
    "diagnose_body",
    "interview",
    "invalid_records",
    "problem_text",
    "read_body",
    "read_interview_body",
    "show_value",
    "to_json",
]
