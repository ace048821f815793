"""Answer records in: one JSON object, a JSON array, or JSON Lines.

JSON Lines are streamed and decoded line by line from bytes, so an invalid line
(bad JSON, bad UTF-8, NaN, duplicate keys, absurd nesting) becomes one error result
and the lines after it are still read. Nothing in a record is ever executed.
"""

from __future__ import annotations

import collections
import functools
import io
import itertools
import json
import math
import re
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, NoReturn, NotRequired, TypedDict

from ..foundation.jsonvalue import JsonObject, JsonValue, is_number, json_in_text
from ..foundation.problems import LegpressError
from ..foundation.values import FieldsRepr
from ..knowledge.index import fold_key, question_named
from ..knowledge.rulebase import (
    CHECK_PREFIX,
    UNSURE_MARK,
    UNSURE_REST,
    QuestionType,
    RuleBase,
    Screen,
)
from ..reasoning.answers import AnswerProblem, show_value
from ..reasoning.diagnosis import diagnose_answers, error_result, refer_despite_errors
from ..reasoning.result import AnswerValue, DiagnosisOut, ProblemOut
from .answers import (
    MAX_UNKNOWN_LISTED,
    answers_name,
    drawn,
    is_screen_key,
    is_unsure,
    misspelt_safety,
    misspelt_safety_id,
    names_a_question,
    number_in_text,
    read_answers,
    says_no,
    screen_named,
    unboxed_answer,
    unlisted,
    written_no,
    written_yes,
)
from .fhir import is_questionnaire_response, response_record
from .fields import (
    FIELD_REFERENCE,
    FLAT_KEY,
    MAX_NESTED_KEYS,
    RECORD_FIELDS,
    careful,
    plain_id,
    record_field,
)
from .measured import measurements, same_answer
from .repeated import (
    RepeatedKeys,
    check_places,
    keeping_repeats,
    read_once,
    reads_yes,
)
from .typed import NOT_TYPED, TYPE_TAGS, untyped
from .wrappers import (
    a_header,
    field_value,
    form_sections,
    holds_an_object,
    question_id,
    question_type,
    question_worded,
    records_in_array,
    survey_pages,
    wrapped_records,
    yes_no_questions_named,
)

MAX_LINE_BYTES = 8 * 1024 * 1024
LINE_TOO_LONG = f"line longer than {MAX_LINE_BYTES:,} bytes"  # a cut line's problem
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
# A UTF-16 or UTF-32 input is read whole to be turned into UTF-8: a smaller bound than
# a document's, as its text takes up to four times its bytes in memory.
MAX_WIDE_BYTES = 64 * 1024 * 1024

if TYPE_CHECKING:
    from .columns import ColumnMap


class AnswerRecord(TypedDict):
    """One answer record as this program writes it (a saved ``ask`` session): the
    contract's input format, which replays to the same result. Records read in are
    checked from plain JSON instead (:func:`check_record`)."""

    id: str | int
    answers: dict[str, AnswerValue]  # in the contract's JSON form (denormalised)
    measured: NotRequired[dict[str, JsonObject]]  # what `measure` said of an answer


@dataclass(repr=False)
class RawRecord(FieldsRepr):
    """One record as read: where it was, and either its data or why it is unreadable."""

    position: int  # 1-based line for JSON Lines and single objects, 0-based index in an array
    line: int | None
    data: object = None  # parsed JSON, or what a Python caller passed
    problem: str | None = None
    expected: str = "one JSON object per line"  # what a record here should have been
    # A JSON line not parsed yet: parsing is left to whoever diagnoses the record, so
    # with --jobs it happens in the worker processes, not in the one reading input.
    text: bytes | None = None
    # A line strict JSON refused, kept so its answers can still be screened (lenient).
    refused: bytes | None = None
    # How the record was read when that is worth a word (one of several on a line
    # strict JSON refused; one of an export's wrapped records): a warning of its result.
    note: str | None = None

    def parsed(self) -> RawRecord:
        if self.text is None:
            return self
        try:
            data = parse_json(self.text, records=True)
            return RawRecord(self.position, self.line, data=data, note=self.note)
        except ValueError as exc:
            expected = self.expected
            if self.text.lstrip()[:1] == b"#" or self.text.lstrip()[:2] == b"//":
                # A coach's heading ("# week 20"): said to be cut short by a crash, or to
                # look like CSV, a coach looked for the wrong fault (check 27, M3).
                expected += "; this line is a comment, and JSON has none: delete it"
            elif b"\x00" in self.text or self.text.startswith((b"\xff\xfe", b"\xfe\xff")):
                # PowerShell's `>` writes UTF-16: say so, not only which byte.
                expected += "; this line looks like UTF-16 or UTF-32: save the file as UTF-8"
            elif "invalid UTF-8" in str(exc):
                # Notepad's "ANSI", a Mac export: say what to do, not only which byte.
                expected += "; save the file as UTF-8"
            elif b"{" not in self.text and b"," in self.text:
                # A spreadsheet's export is the common mistake: say so, not only where.
                expected += "; this line looks like CSV, and records are JSON"
            elif "Invalid control character" in str(exc) and _CONTROL.search(
                self.text.rstrip(b"\r\n")
            ):
                # What happened, in a coach's words, not only where (check 21, M6).
                expected += "; a line break or tab typed inside a text (a note?): write it as \\n"
            elif not self.text.rstrip().endswith((b"}", b"]")) and any(
                words in str(exc) for words in ("Unterminated", "Expecting", "control character")
            ):
                expected += "; the record stops before its end (cut short by a crash?)"
            return RawRecord(
                self.position, self.line, problem=str(exc), expected=expected, refused=self.text
            )


_CONTROL = re.compile(rb"[\x00-\x1f]")  # what JSON's strings may not hold as it is


@dataclass(repr=False)
class CheckedRecord(FieldsRepr):
    """A record's id and answers, with the problems found in it."""

    record_id: str | int
    answers: JsonObject  # raw: read by intake.answers.read_answers
    errors: list[AnswerProblem] = field(default_factory=list)
    warnings: list[AnswerProblem] = field(default_factory=list)
    # question id -> what `legpress-diag measure` said of it: value, confidence, evidence
    measured: dict[str, JsonObject] = field(default_factory=dict)
    # Fields beside 'answers' that the contract does not know (a warning each): one that
    # names a safety question is still read by the screen (see stray_safety_answers).
    stray: JsonObject = field(default_factory=dict)
    # Keys (in 'answers' or beside it) read as "not sure" although a value given for
    # them was a yes: a repeated key, two 'answers' objects, a key beside 'answers'.
    # The interview never lets a self-check settle such a sign (attack round 5, P7).
    said_yes: frozenset[str] = frozenset()
    # No 'answers' object: the record's own fields were read as its answers (an error,
    # screened). A yes in a group of them is the record's yes (stray_safety_answers).
    flat: bool = False

    def measured_answers(self) -> list[str]:
        """The answers that are still the measured value, in answer order: an answer
        the lifter changed is theirs, and is not marked as measured."""
        return [
            key
            for key, value in self.answers.items()
            if key in self.measured and same_answer(self.measured[key]["value"], value)
        ]


MEASURED_SHAPE = '{"value": ..., "confidence": ..., "evidence": ...}'


def _measured(data: JsonObject, errors: list[AnswerProblem]) -> dict[str, JsonObject]:
    """The measured values of a record from `legpress-diag measure`, checked for shape;
    what they say is checked as answers (the same values are in 'answers')."""
    if "measured" not in data and "not_measured" not in data:
        return {}  # a record not from `measure` (most of them)
    measured, reasons = data.get("measured", {}), data.get("not_measured", {})
    if not isinstance(reasons, dict) or not all(isinstance(r, str) for r in reasons.values()):
        errors.append(
            AnswerProblem(
                "not_measured",
                "'not_measured' must be an object of question id -> reason",
                show_value(reasons),
                "an object of strings",
            )
        )
    if not isinstance(measured, dict):
        errors.append(
            AnswerProblem(
                "measured",
                "'measured' must be an object",
                show_value(measured),
                "an object of question id -> " + MEASURED_SHAPE,
            )
        )
        return {}
    values: dict[str, JsonObject] = {}
    for key, entry in measured.items():
        if not isinstance(entry, dict) or "value" not in entry:
            errors.append(
                AnswerProblem(
                    f"measured.{show_value(key)[1:-1]}",
                    "a measured answer must be an object with a 'value'",
                    show_value(entry),
                    MEASURED_SHAPE,
                )
            )
            continue
        values[key] = entry
    return values


class InputError(LegpressError):
    """The input as a whole cannot be read (not one bad record: those become results).

    A user's error, so every command reports it as one (exit 2), not as a bug."""


class JsonProblem(ValueError):
    """Text that is not JSON, and on which line of it (1 for a single line)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _reject_duplicates(pairs: list[tuple[str, JsonValue]]) -> JsonObject:
    if len(pairs) == 1 and pairs[0][0] in TYPE_TAGS:
        plain = untyped(pairs)  # {"S": "yes"}: a database's typed value
        if plain is not NOT_TYPED:
            return plain  # type: ignore[return-value]
    result: JsonObject = dict(pairs)  # in C
    if len(result) == len(pairs):
        return result  # no key came twice
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {show_value(key)} in an object")
        result[key] = value
    return result


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str | bytes, *, records: bool = False) -> JsonValue:
    """Strict JSON: no NaN/Infinity, no duplicate keys. Raises ValueError with a reason.

    With ``records``, a key repeated in a record or its answers is kept for
    check_record to read one safe way (intake/repeated.py); elsewhere it is an error.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start]
            raise ValueError(
                f"invalid UTF-8 (byte 0x{bad:02x} at column {exc.start + 1})"
            ) from None
    decoders = _DECODERS
    found = decoders.found
    found.clear()
    try:
        if text.startswith("\ufeff"):  # what json.loads says of a str that starts so
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        parsed: JsonValue = (decoders.records if records else decoders.strict).decode(text)
        return check_places(parsed, found)
    except json.JSONDecodeError as exc:
        # The standard library says "Invalid control character at" (its own "at").
        problem = exc.msg.removesuffix(" at")
        where = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        raise JsonProblem(f"invalid JSON: {problem} at {where}", exc.lineno) from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # duplicate keys, NaN, integers too long to convert
        digits = _TOO_MANY_DIGITS.search(str(exc))
        if digits:
            raise ValueError(
                f"a number with {digits.group(1)} digits is too long to read"
            ) from None
        raise ValueError(str(exc)) from None
    finally:
        found.clear()  # keep no part of a record past its parse


_TOO_MANY_DIGITS = re.compile(r"integer string conversion: value has (\d+) digits")
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300  # Python's own bound (0: none set)


def _read_int(text: str) -> int | float:
    """A JSON integer; one too long for Python to convert (5,000 digits) is infinity,
    as ``1e400`` is. It used to fail the whole record's parsing, so a warning sign
    beside it went unscreened (attack round 5, P5); now only that value is wrong
    ("not a finite number"), or the id (an error that still refers)."""
    if len(text) - text.startswith("-") > _MAX_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    return int(text)


class _Decoders(threading.local):
    """The JSON decoders, made once per thread: ``json.loads`` with hooks builds a new
    decoder (and its scanner) on every call, half the time of parsing a record. The
    one keeping repeated keys lists them in ``found``, emptied around each parse."""

    def __init__(self) -> None:
        self.found: list[RepeatedKeys] = []
        self.records = json.JSONDecoder(
            object_pairs_hook=keeping_repeats(self.found),
            parse_constant=_reject_constant,
            parse_int=_read_int,
        )
        self.strict = json.JSONDecoder(
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_int=_read_int,
        )


_DECODERS = _Decoders()


def _read_line(stream: IO[bytes]) -> tuple[bytes, bool] | None:
    """The next line (without reading more than the limit into memory), and whether it
    was cut; the rest of a cut line is left for :func:`_skip_rest`, so that the line's
    error is reported before the skipping (an endless stream, such as /dev/zero, has
    no rest to skip to)."""
    line = stream.readline(MAX_LINE_BYTES + 1)
    if not line:
        return None
    too_long = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
    if not too_long and b"\x00" in line:
        line = _narrowed(line)
    return line, too_long


def _narrowed(line: bytes) -> bytes:
    """A UTF-16 line in a UTF-8 file, as UTF-8: PowerShell's `>>` appends UTF-16 with
    no byte-order mark to a file another program wrote. Split at each LF byte, the
    first such line is UTF-16LE and every later one starts with the NUL after that
    LF: the same bytes as UTF-16BE, which reads them. Read as they were, a client's
    line was an error and the next line's client was merged into it (check 26,
    A-H6). A line is narrowed only when many of every other byte are NULs and the
    bytes between them are not: NUL padding and binary lines are left as they are."""
    if line == b"\x00":
        return b""  # the input ends with the second byte of a UTF-16 LF: no line
    units = line[: len(line) - len(line) % 2]
    for encoding, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        highs, lows = units[high::2], units[1 - high :: 2]
        if (
            len(highs) < 2
            or highs.count(0) < _NUL_SHARE * len(highs)
            or lows.count(0) > _NUL_SHARE * len(lows)
        ):
            continue
        text = units.decode(encoding, "surrogatepass").removeprefix("\ufeff")
        if not _one_json_value(text.rstrip("\r\n")):
            # Only a whole record: a line of other bytes decoded so could hold line
            # breaks of other programs, or open a record, and change how many records
            # the lines around it give.
            return line
        return text.encode("utf-8", "surrogatepass") + line[len(units) :]
    return line


# The share of NULs among a UTF-16 line's high bytes, at least (its ASCII letters),
# and among its low bytes, at most. A note in Chinese has few of the first and some of
# the second (U+4E00): at 60% and 5%, a line with 1,320 CJK characters was not read as
# UTF-16, and its client was lost among 120 errors (check 28, A-H6). A line must still
# read as one whole JSON value to be narrowed.
_NUL_SHARE = 0.2


def _one_json_value(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _skip_rest(stream: IO[bytes]) -> None:
    """Skip the rest of an over-long line in bounded chunks."""
    while True:
        rest = stream.readline(MAX_LINE_BYTES)
        if not rest or rest.endswith(b"\n"):
            return


_RS = b"\x1e"


def _line_record(number: int, line: bytes, too_long: bool) -> RawRecord:
    if too_long:
        return RawRecord(number, number, problem=LINE_TOO_LONG)
    # Without its newline: a record cut short is then "at column 25" of its line, not
    # "at line 2 column 1" (the place after the newline), and reads as a cluster
    # job's line does (api.diagnose_partition is handed lines without it).
    text = line[:-1] if line.endswith(b"\n") else line
    # A JSON text sequence (RFC 7464, `jq --seq`) starts each record with RS: a record
    # still (attack round 11, M2': every one was an error).
    text = text.removeprefix(_RS)
    unpadded = text.lstrip(b"\x00") if text[:1] == b"\x00" else text
    if unpadded is not text and unpadded.strip() and b"\x00" not in unpadded:
        # NUL bytes before a record, as a crash leaves them where a file was being
        # written: read as UTF-16, the record after them was an error with no
        # referral (a new check, N4; attack round 13, N4b).
        text = unpadded
    return RawRecord(number, number, text=text)


# Where other programs end a line but JSON Lines does not: a lone CR (files from old
# Macs, some serial loggers), U+2028 and U+2029, NEL, VT and FF (str.splitlines).
# A CR before NUL and LF is the CRLF of a UTF-16 file, no lone CR.
_OTHER_BREAKS = re.compile(rb"\r(?!\x00?\n)|\xe2\x80[\xa8\xa9]|\xc2\x85|[\x0b\x0c]")
# A byte no line without such a break holds, as one character class: the common line
# is passed in half a microsecond (the exact pattern above takes 3.5 on a record).
_MAYBE_BREAK = re.compile(rb"[\r\x0b\x0c\x85\xa8\xa9]")
# What may stand between joined records.
_GAP_CHARS = " \t\n\r\u2028\u2029\x85\x0b\x0c"
_GAP = re.compile(f"[{_GAP_CHARS}]*")


def _line_records(number: int, line: bytes, too_long: bool) -> tuple[list[RawRecord], int]:
    """The record of one line; or, where the line is JSON values joined by another
    program's line break (a lone CR, U+2028, ...), one record per value, numbered as
    an editor shows them. Joined, they were one error, and an emergency among them
    went unscreened. Returns the records and the number of the last line they took.

    The values are found as a JSON reader finds them, so a lone CR that is
    whitespace inside one record, or a U+2028 inside a string, splits nothing. A line
    that is neither one value nor values joined so (a record cut short before the
    break) is split at every such break: each part is a record, good or bad, so a
    broken one never hides the emergency after it."""
    whole = ([_line_record(number, line, too_long)], number)
    if not too_long and (line.lstrip()[:1] == b"[" or _may_hold_records(line)):
        parsed = whole[0][0].parsed()  # parsed here once, and kept so
        if parsed.problem is None:
            listed = _records_listed(parsed.data)
            note = None
            if listed is None and (listed := wrapped_records(parsed.data)) is not None:
                note = _WRAPPED_NOTE
            if listed is not None:
                return [RawRecord(number, number, data=item, note=note) for item in listed], number
            return [parsed], number
        if not _OTHER_BREAKS.search(line):
            # Records written on one line (json.dump in a loop, arrays, odd
            # separators) with one of them broken, or one cut short and the next
            # appended behind it: each is a record at the line's number. Records
            # joined by another program's line break are read below, numbered as an
            # editor shows them.
            found = _records_on_one_line(number, line)
            if found is not None:
                return found, number
    if too_long or not _MAYBE_BREAK.search(line) or not _OTHER_BREAKS.search(line):
        return whole
    # A byte that is not UTF-8 stays itself (a surrogate escape), in the record it is
    # part of: decoded strictly, one Mac Roman letter made six CR-joined records one
    # error, and their emergencies went unscreened (attack round 11, H2).
    text = line.decode("utf-8-sig", "surrogateescape")
    spans = _joined_values(text)
    if spans is None:
        # One value: the break is whitespace, or inside a string (raw, as a note
        # typed with Enter has it: a lenient reader takes it, and the service does).
        if _parses(line) or _parses_leniently(line):
            return whole
        return _parts(number, line)
    records, at = [], number
    starts = [start for start, _ in spans[1:]] + [len(text)]
    for (start, end), next_start in zip(spans, starts, strict=True):
        records.append(_line_record(at, _encoded(text[start:end]), False))
        at += len(_OTHER_BREAKS.findall(_encoded(text[end:next_start])))
    return records, at


# Whether a line may hold more than one record: an object or array closed and
# another opened behind it, or a second object that starts with a record's key. A
# cheap test first, as most lines hold one record and are parsed where they are read.
_CLOSED_THEN_OPENED = re.compile(rb'[}\]][^"]{0,64}?[{\[]')
# An object with a record's key among its first few (a short string, a number or a
# word before it: {"note": "n", "id": ...}, {"v": 2, "id": ...}).
_RECORD_START = re.compile(
    rb'\{\s*+(?:"[^"\\]{0,64}+"\s*+:\s*+(?:"[^"\\]{0,200}+"|[-\w.+]{1,40}+)\s*+,\s*+){0,4}'
    rb'"(?:id|answers)"\s*+:'
)


_ID_HOLDS_VALUES = re.compile(rb"\s*+[{\[]")


# An object whose first key holds an object or a list, and is no record's field: an
# export's wrapper or a pandas table on one line ({"c1": {...}}, {"clients": [...]}),
# whose flat rows name no 'id' or 'answers' (one merged result in check 19).
_HOLDER_FIRST = re.compile(
    rb'\s*+\{\s*+"(?!(?:answers|measured|not_measured)")[^"\\]{0,200}+"\s*+:\s*+[{\[]'
)


# An object held under a key that is no record field: a group of clients or of one
# person's answers ({"id": "coach-7", "alice": {...}, "bob": {...}}: read as one
# record, a coach's clients were merged, check 21).
_OBJECT_HELD = re.compile(rb'"(?!(?:answers|measured|not_measured)")[^"\\]{0,200}+"\s*+:\s*+\{')


def _may_hold_records(line: bytes) -> bool:
    if _CLOSED_THEN_OPENED.search(line) or _HOLDER_FIRST.match(line):
        return True
    if _OBJECT_HELD.search(line):
        return True
    first = _RECORD_START.search(line)
    if first is None:
        return False
    if _ID_HOLDS_VALUES.match(line, first.end()):
        return True  # {"id": {...}} or {"id": [...]}: a pandas table, R's boxed values
    # A record's object after the line's start (one wrapped in an export's object), or
    # a second one (a record appended behind one cut short).
    return first.start() > len(line) - len(line.lstrip()) or (
        _RECORD_START.search(line, first.end()) is not None
    )


def _records_on_one_line(number: int, line: bytes) -> list[RawRecord] | None:
    """A record per record of a line strict JSON refuses that holds two or more
    (salvage.records_on_line), all at the line's number, each parsed here once; a
    broken one is an error screened on its own answers. None for one record."""
    from .salvage import records_on_line  # only for such a line: not at start

    text = line.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    spans = records_on_line(text)
    if spans is None:
        return _wrapped_in_refused(number, line.rstrip(b"\r\n"))
    records = [_line_record(number, _encoded(text[start:end]), False) for start, end in spans]
    note = (
        f"line {number} is not one JSON value; its {len(records)} records were read one by "
        "one (write one record per line)"
    )
    return [replace(record, note=note).parsed() for record in records]


def _repaired_wrapper(number: int, blob: bytes) -> list[RawRecord] | None:
    """The records of an export's wrapper strict JSON refuses only for a comma before
    a closing bracket (see salvage.repaired_document), each read whole with a warning
    that says so; None when no such repair gives a wrapper. Read one by one instead, a
    Cliniko or FHIR export with one stray comma lost every red flag (check 30)."""
    from .salvage import repaired_document  # only for a refused document: not at start

    text = blob.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    repaired = repaired_document(text)
    if repaired is None or not isinstance(repaired.data, dict):
        return None
    found = wrapped_records(repaired.data)
    if found is None:
        return None
    note = f"{_WRAPPED_NOTE}; the file is not JSON: {repaired.note}"
    return [RawRecord(index, None, data=item, note=note) for index, item in enumerate(found)]


def _wrapped_in_refused(number: int, blob: bytes) -> list[RawRecord] | None:
    """The records of an export's wrapper strict JSON refuses (salvage.wrapped_in),
    each at the line it starts on, parsed here: a whole one a record, a broken one an
    error screened on its own answers, each with a warning; None for no wrapper."""
    from .salvage import wrapped_in  # only for a refused document: not at start

    text = blob.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    spans = wrapped_in(text)
    if spans is None:
        return None
    note = f"{_WRAPPED_NOTE}; the file is not JSON, its records were read one by one"
    records = []
    at, counted = number, 0  # line breaks counted up to each record, once (N2, check 20)
    for start, end in spans:
        at += text.count("\n", counted, start)
        counted = start
        records.append(replace(_line_record(at, _encoded(text[start:end]), False), note=note))
    return [record.parsed() for record in records]


def _records_listed(data: object) -> list[JsonValue] | None:
    """The items of a JSON Lines line that is an array holding records (a batch
    written as a line), arrays inside it opened too: each a record, an item that is
    no object an error of its own. None unless it is an array holding an object. As
    one, it was one error and its records were never screened (attack round 12, H3),
    and so was one beside a null or a string (a new check, N3)."""
    items = records_in_array(data) if isinstance(data, list) else []
    return items if any(isinstance(item, dict) for item in items) else None


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _parses_leniently(data: bytes) -> bool:
    """Whether ``data`` is one JSON object once its encoding is found and control
    characters are allowed inside strings (intake.salvage reads such a record)."""
    from .salvage import decoded  # only for a line strict JSON refused: not at start

    try:
        return isinstance(json.loads(decoded(data), strict=False), dict)
    except (ValueError, RecursionError):
        return False


def _parses(line: bytes) -> bool:
    try:
        parse_json(line, records=True)
    except ValueError:
        return False
    return True


def _parts(number: int, line: bytes) -> tuple[list[RawRecord], int]:
    """A record per part of ``line`` between other programs' line breaks (blank parts
    count as lines, as an editor shows them), and the number of the last line."""
    parts = _OTHER_BREAKS.split(line)
    records = [
        _line_record(number + offset, part, False)
        for offset, part in enumerate(parts)
        if part.strip()
    ]
    return records, number + len(parts) - 1


def _past_gap(text: str, at: int) -> int:
    """Where the gap of whitespace and line breaks at ``at`` ends."""
    gap = _GAP.match(text, at)  # '*' matches even nothing: never None
    return gap.end() if gap else at


def _joined_values(text: str) -> list[tuple[int, int]] | None:
    """Where each JSON value of ``text`` starts and ends, when it holds two or more
    separated by another program's line break and nothing else; else None."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    # Gaps are skipped by a match at a position, never by slicing the rest of the
    # text: slices made 190,000 joined values take 372 s (attack round 6, Q2).
    at = _past_gap(text, 0)
    while at < len(text):
        try:
            _, end = decoder.raw_decode(text, at)
        except ValueError:
            return None
        if spans and not _OTHER_BREAKS.search(text[spans[-1][1] : at].encode()):
            return None  # two values with no line break between them: not joined lines
        spans.append((at, end))
        at = _past_gap(text, end)
    return spans if len(spans) > 1 else None


UTF8_BOM = b"\xef\xbb\xbf"


def _wide_encoding(stream: IO[bytes]) -> str | None:
    """UTF-16 or UTF-32 when the stream's first bytes say so (a byte-order mark, or
    the NUL bytes of ASCII text in them), without consuming them; else None."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(64)[:64]
    elif stream.seekable():
        at = stream.tell()
        head = stream.read(64)
        stream.seek(at)
    else:
        return None
    encoding = json.detect_encoding(head[:4])
    if not encoding.startswith(("utf-16", "utf-32")):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return encoding  # a byte-order mark says so
    # Without a mark, NULs must be the high bytes of ASCII text throughout the start:
    # one NUL before a UTF-8 file (a crash leaves them) read as UTF-16 lost 20 clients
    # (NUL bytes alone, /dev/zero, are no text either).
    unit = 4 if encoding.startswith("utf-32") else 2
    text = head[: len(head) - len(head) % unit].decode(encoding, "replace")
    ascii_text = sum(" " <= char <= "~" or char in "\t\r\n" for char in text)
    return encoding if text and ascii_text >= 0.9 * len(text) else None


def _as_utf8(stream: IO[bytes], encoding: str) -> IO[bytes]:
    """A UTF-16 or UTF-32 input read whole (at most MAX_WIDE_BYTES) and given as
    UTF-8: PowerShell's `>` and `ConvertTo-Json | Out-File` write UTF-16, and read
    line by line each line started with a NUL (a new user's F4: 582 records for 20
    clients, a combination of signs referred lower)."""
    data = stream.read(MAX_WIDE_BYTES)
    if stream.read(1):
        raise InputError(
            f"a {encoding.upper()} input larger than {MAX_WIDE_BYTES:,} bytes; save it as "
            "UTF-8 JSON Lines"
        )
    text = _decoded_wide(data, encoding).removeprefix("\ufeff")
    return io.BytesIO(text.encode("utf-8", "surrogatepass"))


def _decoded_wide(data: bytes, encoding: str) -> str:
    """UTF-16 text, with lines among it in another encoding read as UTF-8, line by
    line: Windows PowerShell 5.1's `Out-File` writes UTF-16 and `Add-Content` appends
    in another encoding, and a later `Out-File -Append` UTF-16 again. Decoded whole as
    UTF-16, the appended clients were one error with no flag (check 25, H7); switched
    once and for all, the UTF-16 lines after them were filed under another client
    (check 26)."""
    if encoding not in ("utf-16", "utf-16-le", "utf-16-be"):
        return data.decode(encoding, "replace")
    big = data.startswith(b"\xfe\xff") or encoding == "utf-16-be"
    # Big-endian the same way (check 26: its UTF-8 lines after it were lost).
    wide, high, newline = ("utf-16-be", 0, b"\x00\n") if big else ("utf-16-le", 1, b"\n\x00")
    parts: list[str] = []
    at = 2 if data.startswith((b"\xff\xfe", b"\xfe\xff")) else 0
    while at < len(data):
        head = data[at : at + 8]
        if 0 in head[high::2] or head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16
            end = data.find(newline, at)
            while end != -1 and (end - at) % 2:
                end = data.find(newline, end + 1)  # half of another character
            stop = len(data) if end == -1 else end + 2
            parts.append(data[at:stop].decode(wide, "replace").lstrip("\ufeff\ufffe"))
        else:
            end = data.find(b"\n", at)
            stop = len(data) if end == -1 else end + 1
            parts.append(data[at:stop].decode("utf-8", "replace"))
        at = stop
    return "".join(parts)


# Lines above the records that are none (a coach labelling the file: "// Monday
# group", a title) looked at before deciding how the input is read, at most so many.
MAX_COMMENT_LINES = 1000


# A comment line that holds a record: an object with a quoted key in it.
_RECORD_IN_COMMENT = re.compile(rb"\{\s*['\"][^'\"\n]{1,200}['\"]\s*:")
_COMMENT_MARK = re.compile(rb"(?://|#|/\*)")  # at the line's start: see _json_lines


def commented_at(
    number: int, line: bytes, peek: Callable[[int], bytes | None]
) -> tuple[RawRecord | None, int]:
    """The record commented out at a comment line (line ``number``; ``peek`` gives the
    lines after it), on that line or over it and the comment lines that follow, and
    how many lines it takes; (None, 1) for a comment that holds none."""
    commented = commented_record(number, line)
    if commented is not None:
        return commented, 1
    over_lines = commented_over_lines(number, line, peek)
    return over_lines if over_lines is not None else (None, 1)


def commented_over_lines(
    number: int, first: bytes, peek: Callable[[int], bytes | None]
) -> tuple[RawRecord, int] | None:
    """A record commented out over lines of JSON Lines, from a comment line that opens
    it ('# {') through the comment lines that follow: one error whose answers are
    screened, and the lines it took; None for anything else. Read line by line, its
    emergency was filed under a line's number and its id an error with no flag
    (check 23). At most MAX_REJOINED_LINES lines."""
    mark = _COMMENT_MARK.match(first)
    if mark is None or b"{" not in first[mark.end() :]:
        return None
    bodies = [first[mark.end() :]]
    while len(bodies) < MAX_REJOINED_LINES:
        following = peek(len(bodies))
        inner = _COMMENT_MARK.match(following) if following is not None else None
        if following is None or inner is None or commented_record(0, following) is not None:
            break
        bodies.append(following[inner.end() :])
    text = b"\n".join(bodies)
    start, end = text.find(b"{"), text.rfind(b"}")
    if len(bodies) < 2 or not _RECORD_IN_COMMENT.search(text) or end < start:
        return None
    record = RawRecord(
        number,
        number,
        problem="a record in comment lines",
        expected="the lines without their comment marks, to diagnose it; its answers are screened",
        refused=text[start : end + 1],
    )
    return record, len(bodies)


def commented_record(number: int, line: bytes) -> RawRecord | None:
    """A record commented out on a line above the records ('# {"id": ...}', '// {...}',
    '/* {...} */'): an error, its answers screened, so an emergency in it is never lost
    without a word (check 19, check 21); None for a comment that holds none."""
    if not _COMMENT_MARK.match(line) or not _RECORD_IN_COMMENT.search(line):
        return None
    start, end = line.find(b"{"), line.rfind(b"}")
    return RawRecord(
        number,
        number,
        problem="a record in a comment line",
        expected="the line without its comment mark, to diagnose it; its answers are screened",
        refused=line[start : end + 1] if end > start else line[start:],
    )


def _comment_line(line: bytes) -> bool:
    """A line above the records that is none ("// Monday group", "# export", "/* ...",
    "-- title", a plain title line): what follows decides how the input is read. A
    line with a bracket in it may be a record (a log line's prefix before it): taken
    for a title above one pretty record, 19 clients' lines were dropped unread (a
    new check of cd9efd2, NEW-1)."""
    head = line.lstrip()
    return head.startswith((b"//", b"#", b"/*")) or (b"{" not in head and b"[" not in head)


def read_records(stream: IO[bytes]) -> Iterator[RawRecord]:
    """Records from a binary stream, in order. Blank lines between JSON Lines are skipped."""
    return _opened(_records_as_read(stream))


def _opened(records: Iterator[RawRecord]) -> Iterator[RawRecord]:
    """The records, an export's wrapper among them (found as one of several objects:
    joined on one line or by a lone CR, pretty ones one after another, in an array
    strict JSON refuses) replaced by the records it holds, each with a warning. Read
    as one record, its clients were merged, emergencies "not sure" (check 19)."""
    for raw in records:
        if raw.note == _WRAPPED_NOTE:
            yield raw  # opened already
            continue
        if isinstance(raw.data, dict) and field_value(raw.data, "answers") is None:
            wrapped = wrapped_records(raw.data)  # one of several on a line, say
            if wrapped is not None:
                for item in wrapped:
                    yield RawRecord(raw.position, raw.line, data=item, note=_WRAPPED_NOTE)
                continue
        blob = raw.text if raw.text is not None else raw.refused
        if blob is None or not _may_hold_records(blob):
            yield raw
            continue
        if raw.text is not None:
            raw = raw.parsed()
            wrapped = wrapped_records(raw.data) if raw.problem is None else None
            if wrapped is not None:
                for item in wrapped:
                    yield RawRecord(raw.position, raw.line, data=item, note=_WRAPPED_NOTE)
                continue
        if raw.problem is not None and raw.refused is not None:
            inner = _wrapped_in_refused(raw.line or raw.position, raw.refused)
            if inner is not None:
                yield from inner
                continue
        yield raw


def _records_as_read(stream: IO[bytes]) -> Iterator[RawRecord]:
    wide = _wide_encoding(stream)
    if wide is not None:
        stream = _as_utf8(stream, wide)
    number = 0
    first: tuple[bytes, bool] | None = None
    comments: list[tuple[int, tuple[bytes, bool]]] = []  # above the first record
    while True:
        first = _read_line(stream)
        if first is None:
            break
        number += 1
        if number == 1 and first[0].startswith(UTF8_BOM):
            # Editors on Windows start files with a byte-order mark; without this an
            # array or a pretty-printed object behind one would not be recognised.
            first = (first[0][len(UTF8_BOM) :], first[1])
        if not first[0].strip():
            continue
        if _comment_line(first[0]) and not first[1] and len(comments) < MAX_COMMENT_LINES:
            comments.append((number, first))
            continue
        break
    head = first[0].lstrip() if first is not None else b""
    if first is not None and (
        head.startswith(b"[") or (head.startswith(b"{") and not _complete(first))
    ):
        # A comment line above an array or pretty-printed records is left out of it
        # (kept as a blank line, so lines are numbered as an editor numbers them): read
        # line by line, 20 clients were 580 records and an urgent combination of signs
        # was referred lower (a new user's U15-1).
        above = number - comments[0][0] if comments else 0
        lines = [comment[0].removesuffix(b"\n") for _, comment in comments]
        titles: list[tuple[int, bytes]] = []
        index = 0
        while index < len(comments):
            at, comment = comments[index]
            commented, taken = commented_at(at, lines[index], _peek_in(lines, index))
            if commented is None:
                titles.append((at, comment[0]))  # read as a line only if no document
            else:
                yield commented
            index += taken
        yield from _whole_document(stream, number - above, b"\n" * above + first[0], tuple(titles))
        return
    shift = 0  # line numbers taken by other programs' line breaks inside those lines
    lines = [comment[0].removesuffix(b"\n") for _, comment in comments]
    skip = 0  # comment lines of a record commented out over lines, still to pass
    for index, (at, comment) in enumerate(comments):  # in JSON Lines, read as any line
        if skip:
            skip -= 1
            continue
        commented, taken = commented_at(at + shift, lines[index], _peek_in(lines, index))
        if commented is not None:
            yield commented
            skip = taken - 1
            continue
        records, last = _line_records(at + shift, comment[0], False)
        yield from records
        shift = last - at
    if first is None:
        return
    number = yield from _line_or_long_line(number + shift, first, stream)
    yield from _json_lines(stream, number)


def is_json_lines(stream: IO[bytes]) -> bool:
    """Whether ``read_records`` reads this stream line by line (JSON Lines, which a
    cluster job may cut into blocks of lines) rather than as one document (a JSON
    array, or one object over several lines), which has to be read whole. Consumes
    the stream. The same decision as ``read_records``: a first line that ends
    mid-object starts a document only if the whole input is one."""
    if _wide_encoding(stream) is not None:
        return False  # UTF-16 or UTF-32: read whole, as UTF-8 (_as_utf8)
    comments = 0
    while (first := _read_line(stream)) is not None:
        head = first[0].removeprefix(UTF8_BOM).lstrip()
        if not head:
            continue
        if _comment_line(head) and not first[1] and comments < MAX_COMMENT_LINES:
            comments += 1  # as read_records decides: comment lines above are passed
            continue
        if head.startswith(b"["):
            return False
        if head.startswith(b"{") and first[1]:
            return False  # a line over the limit that may be a wrapper: read whole
        if not head.startswith(b"{") or _complete(first):
            return True
        rest = stream.read(max(0, MAX_DOCUMENT_BYTES - len(first[0])))
        if stream.read(1):
            return False  # read_records refuses it as one document too big
        blob = first[0] + rest
        try:
            parse_json(blob, records=True)
        except ValueError:
            # Records over several lines, one that only a lenient reader reads, or an
            # export's wrapper strict JSON refuses, are read whole (as _whole_document
            # decides); else it is JSON Lines with a broken line.
            return (
                _objects_in_document(blob) is None
                and not _parses_leniently(blob)
                and _repaired_wrapper(1, blob) is None
                and _wrapped_in_refused(1, blob) is None
            )
        return False
    return True


def _objects_in_document(blob: bytes) -> list[tuple[int, bytes]] | None:
    """The top-level objects of a document strict JSON refused, when it is nothing
    but objects each starting on a line of its own (salvage.objects_by_braces), as
    the number of line breaks before each and its bytes; else None."""
    from .salvage import objects_by_braces  # only for a refused document: not at start

    text = blob.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    spans = objects_by_braces(text)
    if spans is None:
        return None
    return [(breaks, _encoded(text[start:end])) for breaks, start, end in spans]


def _complete(line: tuple[bytes, bool]) -> bool:
    if line[1]:
        return True
    try:
        # Without its line end: a string left open at it (a note typed with Enter)
        # read as an invalid control character, a complete line, JSON Lines.
        parse_json(line[0].removesuffix(b"\n").removesuffix(b"\r"))
    except ValueError as exc:
        # A line that ends mid-object is the start of a pretty-printed document.
        return "Expecting" not in str(exc) and "Unterminated" not in str(exc)
    return True


def _json_lines(stream: IO[bytes], number: int) -> Iterator[RawRecord]:
    ahead: collections.deque[tuple[bytes, bool]] = collections.deque()  # read to look

    def peek(offset: int) -> bytes | None:
        while len(ahead) < offset:
            if ahead and ahead[-1][1]:
                return None  # a line over the limit: its rest is still to be read
            item = _read_line(stream)
            if item is None:
                return None
            ahead.append(item)
        line, too_long = ahead[offset - 1]
        return None if too_long else line.removesuffix(b"\n")

    while (item := ahead.popleft() if ahead else _read_line(stream)) is not None:
        number += 1
        if not item[0].strip():
            if item[1]:
                _skip_rest(stream)
            continue
        if item[0][:1] in (b"#", b"/") and not item[1]:
            # '// {...}' or '# {', '#   "id": ...' between records: screened, as above
            commented, taken = commented_at(number, item[0].removesuffix(b"\n"), peek)
            if commented is not None:
                for _ in range(taken - 1):
                    ahead.popleft()
                yield commented
                number += taken - 1
                continue
        rejoined = None if item[1] else rejoined_record(item[0].removesuffix(b"\n"), peek)
        if rejoined is not None:
            text, taken = rejoined
            for _ in range(taken - 1):
                ahead.popleft()
            yield from rejoined_records(number, text)
            number += taken - 1
        else:
            number = yield from _line_or_long_line(number, item, stream)


def _peek_in(lines: list[bytes], index: int) -> Callable[[int], bytes | None]:
    """rejoined_record's view of the lines after ``lines[index]``."""

    def peek(offset: int) -> bytes | None:
        at = index + offset
        return lines[at] if at < len(lines) and len(lines[at]) <= MAX_LINE_BYTES else None

    return peek


# How many lines a record cut by Enter may be put back together from.
MAX_REJOINED_LINES = 1000
# How many objects on a line of their own, after a line that awaits a value ('"answers":'),
# one record may take: a line that starts a record is so passed over by this many
# searches at most, and the searches stay linear (lines of '{"a":' without end).
MAX_VALUES_ON_THEIR_OWN_LINES = 4
# The bytes parsed while trying, at most: a hostile run of lines that never close one
# object costs a few passes over the limit, not one per line.
MAX_REJOIN_PARSED = 4 * MAX_LINE_BYTES


def rejoined_record(
    first: bytes, peek: Callable[[int], bytes | None], *, input_ends: bool = True
) -> tuple[bytes, int] | None:
    """A record that Enters typed into it (in a note, among its answers) or a pretty
    printer cut over lines of JSON Lines, put back together: the first line and those
    ``peek(1)``, ``peek(2)``, ... give (None past the input's end), when together they
    are one object; its text and the lines it took. Else None. Read apart, each part
    was screened without the other: a combination of signs (age with a sudden onset)
    was referred lower (a new user's U15-5, U17-3), and a part starting inside a
    string lost its emergency (F1; a session log of 9 lines in a note, U17-1).

    A line that starts a record (an object with a record's key, or a line that is
    JSON on its own) ends the search: a record cut short by a crash is not glued to
    the one after it, unless the line before awaits a value (an Enter after
    '"answers":'; awaits_value). Only a line with a closing brace can close the
    object, so only then is the text parsed; at most MAX_REJOINED_LINES lines,
    MAX_LINE_BYTES bytes."""
    if first.startswith(b"["):
        return _rejoined_array(first, peek)  # cut at a block's end as diagnose cuts it
    if not first.startswith(b"{") or _complete((first, False)):
        return None  # records start a line: an indented '{' is inside one
    parts, size, parsed = [first], len(first), 0
    last = first  # the last line with text
    awaited = 0
    in_string = string_left_open(first, False)
    in_note = False  # a line that starts a record was read as a note's next line
    crossed = False  # a line that starts a record was taken in
    for offset in range(1, MAX_REJOINED_LINES):
        following = peek(offset)
        if following is None:
            # The input ends with the object still open: a pretty record a crash cut
            # short. Read apart, its lines split a combination of signs (urgent
            # referred as clinician: check 19); together it is one error, screened.
            # Not when a line that starts a record was taken for a note's next line:
            # a line cut inside a string, then good records to the end, was one
            # merged record (check 21).
            # Nor at a block's end that is not the input's (diagnose_partition's
            # ends_input): a line that starts a record follows it there.
            cut_at_end = offset > 1 and not in_note and input_ends
            return (b"\n".join(parts), offset) if cut_at_end else None
        if in_string and note_line(following):
            in_note = True  # "{day 3} sore": a note's next line, however many
        elif starts_record(following):
            # A value on its own line, or a note's next line after an Enter that
            # looks like a record's start (read apart, the note's record lost its
            # emergency: check 19): at most a few a record, see below.
            awaited += 1
            crossed = True
            if not (in_string or awaits_value(last)) or awaited > MAX_VALUES_ON_THEIR_OWN_LINES:
                return None
            in_note = in_note or not awaits_value(last)
        in_string = string_left_open(following, in_string)
        parts.append(following)
        last = following if following.strip() else last  # blank lines between
        size += len(following) + 1
        if size > MAX_LINE_BYTES:
            return None
        if b"}" not in following or in_string:
            continue  # a record ends only outside a string: no parse before
        parsed += size
        if parsed > MAX_REJOIN_PARSED:
            return None
        text = _without_trailer(b"\n".join(parts))
        if _parses(text) or _parses_leniently(text):
            return text, offset + 1
        if not crossed and _one_object(text):
            # Only lines that start no record: by braces alone, two notes with a
            # stray quote each (5" back) took every record between them (check 27, H2).
            return text, offset + 1
    return None


def _one_object(text: bytes) -> bool:
    """Whether ``text`` is one object by its braces and strings, from its first byte to
    its last, though no JSON reader takes it: a note typed with Enter in a record that
    also holds a bare yes. Read as lines apart, the client's own id was an error with
    no flag and the emergency went to a line's number (check 26, U-H10); together it
    is one error, its answers screened."""
    from .salvage import one_object_by_braces  # only for lines being put back together

    return one_object_by_braces(text.decode("utf-8", "surrogateescape"))


# What a hand-typed line may put after a record: a comma (as in an array), a comment.
_TRAILER = re.compile(rb"\s*,?\s*(?:(?://|#)[^\n]*)?\s*")


def _without_trailer(text: bytes) -> bytes:
    """A record put back together without a comma or a comment after its last brace:
    with one, a note typed with Enter was read as lines apart, and the emergency filed
    under a line's number, the client's own id an error with no flag (check 25)."""
    end = text.rfind(b"}")
    if end < 0 or end == len(text) - 1 or not _TRAILER.fullmatch(text, end + 1):
        return text
    return text[: end + 1]


def _rejoined_array(first: bytes, peek: Callable[[int], bytes | None]) -> tuple[bytes, int] | None:
    """A JSON array a pretty printer (any indent, 0 too) or a crash left over lines of
    JSON Lines, as rejoined_record gives it: the lines up to the one that closes it
    (']' at a line's start), or up to where it was cut: the input's end, a line that
    opens another array, or a record of JSON Lines written after it. Its text is read
    as an array (rejoined_records), one strict JSON refuses record by record. Each
    line is so looked at by one array at most; at most MAX_LINE_BYTES bytes. Read
    line by line, its records were errors and their signs split (check 19, 21)."""
    if _complete((first, False)):
        return None  # an array on one line: read as a line
    if not _array_item_start(peek(1)):
        return None  # '[' and then no record: no array written over lines
    parts, size = [first], len(first)
    for offset in range(1, MAX_LINE_BYTES):
        following = peek(offset)
        if following is None or following[:1] == b"[" or ends_array(following):
            return (b"\n".join(parts), offset) if offset > 1 else None
        parts.append(following)
        size += len(following) + 1
        if size > MAX_LINE_BYTES:
            return None
        if following[:1] == b"]":
            return b"\n".join(parts), offset + 1
    return None


def _array_item_start(line: bytes | None) -> bool:
    """Whether a line can follow an array's opening line: an item's start, another
    array, or its end (a '[' line then junk is two lines of junk, each an error)."""
    return line is not None and line.lstrip()[:1] in (b"{", b"[", b"]")


def ends_array(line: bytes) -> bool:
    """Whether a line cuts off the array above it: a record of JSON Lines written
    after it (a whole object at the line's start, no comma after it)."""
    return line[:1] == b"{" and line.rstrip()[-1:] == b"}" and _parses(line)


_ESCAPED = re.compile(rb"\\.")


def note_line(line: bytes) -> bool:
    """Whether a line that follows an Enter typed in a string is that string's next
    line, whatever it starts with ("{day 3} sore"): anything but a line that starts as
    a record does (an object with a record's key, or one JSON value by itself). A note
    with five such lines was cut at the fifth, its signs filed under a line number
    (check 21)."""
    return not (_RECORD_START.match(line) or _parses(line))


def string_left_open(line: bytes, open_before: bool) -> bool:
    """Whether a JSON string is still open at the end of ``line`` (an Enter typed in a
    note), given whether one was open at its start: each unescaped quote opens or
    closes one. One pass over the line."""
    quotes = _ESCAPED.sub(b"", line).count(b'"')
    return open_before != (quotes % 2 == 1)


def rejoined_records(number: int, text: bytes) -> list[RawRecord]:
    """The records of rejoined_record's text, which starts at line ``number``: one
    record, or a pretty array's records (appended to JSON Lines), each at the array's
    first line. Read line by line, each of its lines was an error, its warning signs
    lost (check 19)."""
    if text.startswith(b"["):
        return _line_records(number, text, False)[0]
    return [RawRecord(number, number, text=text)]


def awaits_value(line: bytes) -> bool:
    """Whether a line ends with a key still waiting for its value (an Enter typed after
    '"answers":'): the object on the next line is that value, no record of its own.
    Read as one, the record lost its id to the next line's number, its emergency
    filed under another id (attack round 13, L2)."""
    return line.rstrip().endswith(b":")


def starts_record(line: bytes) -> bool:
    """Whether a line starts a record of its own: a '{' at its start (a record of
    JSON Lines, or one a pretty printer opens: what it holds is indented), an object
    whose first keys are a record's, or a line that is JSON by itself. Each line is
    so looked at by one record's search at most: the searches stay linear."""
    if line[:1] == b"{":
        return True
    head = line.lstrip()
    if head[:1] == b"{" and _RECORD_START.match(head):
        return True
    return head[:1] in (b"{", b"[") and _parses(line)


def _line_or_long_line(
    number: int, item: tuple[bytes, bool], stream: IO[bytes]
) -> Generator[RawRecord, None, int]:
    """The records of a line read by ``_read_line`` (the rest of one cut at the limit
    read from ``stream``), and the number of the last line they took."""
    line, too_long = item
    if too_long and _break_before_end(line) is not None:
        return (yield from long_line_records(number, line, stream))
    if too_long and line.lstrip()[:1] == b"{":
        yield from _long_object_line(number, line, stream)
        return number
    records, number = _line_records(number, line, too_long)
    yield from records
    if too_long:
        _skip_rest(stream)
    return number


def _long_object_line(number: int, head: bytes, stream: IO[bytes]) -> list[RawRecord]:
    """A line over the limit that starts an object: an export's wrapper on one line
    (``json.dump`` of 11,000 clients) is read whole, up to a document's limit, and
    its records each; anything else is one error, as any line over the limit. Read
    as one error, 3,667 emergencies went unscreened (check 19); the same records as
    a one-line array were read."""
    line = head + stream.readline(max(0, MAX_DOCUMENT_BYTES - len(head)))
    if line.endswith(b"\n") or not stream.read(1):
        try:
            data = parse_json(line, records=True)
        except ValueError:
            data = None
        wrapped = wrapped_records(data) if isinstance(data, dict) else None
        if wrapped is not None:
            return [RawRecord(number, number, data=item, note=_WRAPPED_NOTE) for item in wrapped]
    else:
        _skip_rest(stream)
    return [RawRecord(number, number, problem=LINE_TOO_LONG)]


def _break_before_end(data: bytes) -> int | None:
    """Where the last of another program's line breaks in ``data`` ends, leaving out
    its last byte (a CR there may be half of a CRLF not read yet); else None."""
    end = None
    for found in _OTHER_BREAKS.finditer(data, 0, len(data) - 1):
        end = found.end()
    return end


def _trailing_breaks(piece: bytes) -> int:
    """How many of other programs' line breaks end ``piece``, after its last value."""
    text = piece.decode("utf-8", "surrogateescape")
    gap = text[len(text.rstrip(_GAP_CHARS)) :]
    return len(_OTHER_BREAKS.findall(_encoded(gap)))


def long_line_records(
    number: int, head: bytes, stream: IO[bytes]
) -> Generator[RawRecord, None, int]:
    """The records of a line longer than the limit whose first ``head`` bytes hold
    other programs' line breaks (a classic Mac file is one "line" of records joined
    by CRs): read and split at those breaks, no more than the limit held at once,
    each piece at most the limit, numbered as an editor numbers them. A file of them
    over 8 MiB was one error, and every emergency in it unscreened (attack round 11,
    H2). A piece over the limit is one error, and reading goes on after the break
    that ends it. Returns the number of the last line they took."""
    buffer = head  # the line's rest read so far: over the limit, its end not read
    while True:
        cut = _break_before_end(buffer)
        if cut is None:
            yield RawRecord(number, number, problem=LINE_TOO_LONG)
            after = _after_next_break(stream)
            if after is None:
                return number
            buffer, number = after, number + 1
        else:
            piece = buffer[:cut]
            records, last = _line_records(number, piece, False)
            yield from records
            # The next piece starts after the piece's breaks: one value read whole
            # (its trailing break is whitespace to it) leaves them uncounted.
            number = last if last != number else number + _trailing_breaks(piece)
            buffer = buffer[cut:]
        if not buffer.endswith(b"\n") and len(buffer) <= MAX_LINE_BYTES:
            buffer += stream.readline(MAX_LINE_BYTES + 1 - len(buffer))
        if buffer.endswith(b"\n") or len(buffer) <= MAX_LINE_BYTES:
            # The line's last piece, of an ordinary length.
            if buffer.strip():
                records, number = _line_records(number, buffer, False)
                yield from records
            return number


def _after_next_break(stream: IO[bytes]) -> bytes | None:
    """Skip to just after the next of other programs' line breaks, in chunks of the
    limit; the bytes read past it, or None when the line (or the input) ends first."""
    while chunk := stream.readline(MAX_LINE_BYTES + 1):
        found = _OTHER_BREAKS.search(chunk)
        if found is not None:
            return chunk[found.end() :]
        if chunk.endswith(b"\n"):
            return None
    return None


def _whole_document(
    stream: IO[bytes], first_number: int, first: bytes, titles: tuple[tuple[int, bytes], ...] = ()
) -> Iterator[RawRecord]:
    """A JSON array, or one object spread over several lines."""
    # The cap counts the whole document, first line included (an array is often one line).
    rest = stream.read(max(0, MAX_DOCUMENT_BYTES - len(first)))
    if len(first) > MAX_DOCUMENT_BYTES or stream.read(1):
        raise InputError(
            f"a single JSON document larger than {MAX_DOCUMENT_BYTES:,} bytes; use JSON Lines"
        )
    blob = first + rest
    try:
        data = parse_json(blob, records=True)
    except ValueError as exc:
        if first.lstrip().startswith(b"{"):
            objects = _objects_in_document(blob)
            if objects is not None and len(objects) > 1:
                # Records each over several lines, one after the other (what `jq .`
                # writes): each is a record at the line it starts on, as JSON Lines
                # would be, a broken one an error of its own that is still screened
                # (attack round 11, M3: read line by line, 330 errors).
                for breaks, record in objects:
                    at = first_number + breaks
                    yield RawRecord(at, at, text=record)
                return
            repaired = _repaired_wrapper(first_number, blob)
            if repaired is not None:
                yield from repaired
                return
            inner = _wrapped_in_refused(first_number, blob)
            if inner is not None:
                yield from inner
                return
            if objects is not None or _parses_leniently(blob):
                # One record over several lines that strict JSON refuses (a trailing
                # comma, a raw line break inside a string, a Windows-1252 letter): one
                # error whose answers are screened together, as the service reads
                # it, not an error per line, which split a combination of signs and
                # referred it lower (attack round 11, H4 and H5; a new user's F2).
                yield RawRecord(
                    first_number,
                    first_number,
                    problem=str(exc),
                    expected="one JSON object",
                    refused=blob,
                )
                return
            # Not one pretty-printed object after all: read it as JSON Lines, the
            # comment lines above too (as any line of JSON Lines, and as the cluster
            # path reads them: a title line was an error there, left out here).
            for at, title in titles:
                yield from _line_records(at, title, False)[0]
            number = first_number - 1
            lines = blob.split(b"\n")
            taken = 0  # lines of a record put back together, still to pass
            for index, line in enumerate(lines):
                number += 1
                if taken:
                    taken -= 1
                    continue
                rejoined = rejoined_record(line, _peek_in(lines, index))
                if rejoined is not None:
                    yield from rejoined_records(number, rejoined[0])
                    taken = rejoined[1] - 1
                elif line.strip():
                    # With its newline, as _json_lines reads a line: a CRLF line's CR is
                    # then no lone CR, which split a cut record in two and numbered
                    # every later line one too far (a new user's 305-line file).
                    whole = line + b"\n" if index < len(lines) - 1 else line
                    records, number = _line_records(number, whole, len(line) > MAX_LINE_BYTES)
                    yield from records
            return
        values = _values_by_line(blob)
        if values is not None:
            yield from _lines_of_arrays(first_number, values)
            return
        # Where the reading stopped (an array cut short ends at its last line).
        stopped = first_number + (exc.line - 1 if isinstance(exc, JsonProblem) else 0)
        problem = f"the JSON array cannot be read: {exc}"
        expected = "a JSON array of records, closed with ']'"
        from .salvage import salvaged_records  # only for a refused array: not at start

        salvaged = salvaged_records(blob)
        found = next(salvaged, None) if salvaged is not None else None
        if salvaged is None or found is None:
            yield RawRecord(first_number, stopped, problem=problem, expected=expected)
            return
        # One error per record found, each screened on its own answers: one slip in
        # the array (a trailing comma, a comment) left every record unscreened.
        for index, (breaks, text) in enumerate(itertools.chain([found], salvaged)):
            at = first_number + breaks
            yield RawRecord(index, at, problem=problem, expected=expected, refused=text.encode())
        return
    wrapped = wrapped_records(data)
    if isinstance(data, list) or wrapped is not None:
        # Arrays inside the array are opened: [[record]] was one error, unscreened.
        items = records_in_array(data) if isinstance(data, list) else wrapped or []
        note = None if wrapped is None else _WRAPPED_NOTE
        for index, item in enumerate(items):
            yield RawRecord(index, None, data=item, note=note)
    else:
        at = first_number + blob.count(b"\n", 0, len(blob) - len(blob.lstrip()))
        yield RawRecord(at, at, data=data)


_WRAPPED_NOTE = (
    "read from an object that holds the records (an export's wrapper, a pandas table); "
    "give them as JSON Lines or a JSON array"
)
_ROW_NOTE = "read as a row under the header line (JSON Lines of arrays); records are objects"


def _values_by_line(blob: bytes) -> list[tuple[int, bytes, JsonValue | None]] | None:
    """(line break count before it, the line, its value or None when it is no JSON)
    for each line of a document that is JSON Lines of arrays: its first line a whole
    array (a header row, or records), and more lines that are whole JSON values than
    not: a header row then a row per line, as jsonlines.org shows and a CSV reader
    dumps line by line. None for anything else (a pretty array, whose first line is
    "["). Read as one array, every client was one error and every flag was lost
    (check 28, A-H2); one bad line did the same (check 29, A-H2)."""
    found: list[tuple[int, bytes, JsonValue | None]] = []
    for breaks, line in enumerate(blob.split(b"\n")):
        if not line.strip():
            continue
        value = _line_value(line)
        if value is None and not found:
            return None
        found.append((breaks, line, value))
    parsed = sum(value is not None for _, _, value in found)
    if len(found) < 2 or not isinstance(found[0][2], list) or 2 * parsed <= len(found):
        return None
    return found


def _most_named(row: list[JsonValue]) -> bool:
    from .wrappers import names_in  # the count a header is found by

    return 2 * names_in(row) >= len(row)


def _line_value(line: bytes) -> JsonValue | None:
    """A line's JSON value, also with a comma left at its end (rows copied out of an
    array: `["bob", 41, "yes"],`); None when it is no JSON."""
    for text in (line, line.rstrip().removesuffix(b",")):
        try:
            value: JsonValue = parse_json(text, records=True)
        except ValueError:
            continue
        return value
    from .salvage import repaired_document  # only for a line strict JSON refused

    repaired = repaired_document(line.decode("utf-8", "replace").rstrip().removesuffix(","))
    return repaired.data if repaired is not None else None


def _lines_of_arrays(
    first_number: int, values: list[tuple[int, bytes, JsonValue | None]]
) -> Iterator[RawRecord]:
    """The records of JSON Lines of arrays (see _values_by_line), each at its line: a
    row under the header line above it as a flat record, with a warning; a header line
    names the columns of the rows below it (a second one after `cat` of two dumps was
    a client called "id", and later rows were read by the first: check 29, A-H3); any
    other line as a line of JSON Lines is read (an object, records in an array, a
    broken line an error of its own, still screened)."""
    header: list[str] | None = None
    for breaks, line, item in values:
        at = first_number + breaks
        if item is None:
            yield from _line_records(at, line + b"\n", False)[0]
        elif isinstance(item, list) and a_header(item) and (header is None or _most_named(item)):
            # A header; past the first, only a row whose cells mostly name questions (a
            # row of strings with a note that names one stayed a client: check 30).
            header = [str(name) for name in item]
        elif isinstance(item, list) and header is not None and not holds_an_object(item):
            row = {name: cell for name, cell in zip(header, item, strict=False) if cell != ""}
            note = _ROW_NOTE
            if len(item) != len(header):
                note += f"; this row has {len(item)} cells and the header {len(header)}"
            yield RawRecord(at, at, data=row, note=note)
        else:
            for record in records_in_array(item) if isinstance(item, list) else [item]:
                yield RawRecord(at, at, data=record)


def check_record(
    raw: RawRecord, *, strict: bool = False, rb: RuleBase | None = None
) -> CheckedRecord:
    """The record's id and answers, or errors naming what is wrong with its shape.
    ``rb``: the rule base the record is read for (see repeated.read_once)."""
    raw = raw.parsed()
    data = raw.data
    fallback_id = raw.position
    if raw.problem is not None:
        problem = AnswerProblem("", raw.problem, expected=raw.expected)
        if raw.refused is None:
            return CheckedRecord(fallback_id, {}, [problem])
        # An error all the same; its answers, read leniently, are only screened.
        from .salvage import salvage  # only for a refused record: not at start

        found = salvage(raw.refused)
        named = fallback_id if found.record_id is None else found.record_id
        return CheckedRecord(named, found.answers, [problem], said_yes=found.said_yes)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        kind = {
            "list": "array",
            "str": "string",
            "int": "number",
            "float": "number",
            "bool": "boolean",
        }.get(kind, kind)
        # A record encoded twice (a string of JSON), or a list of them: an error, but
        # its answers are screened (attack round 11, M1).
        screened, yes = _screened_anyway(data)
        expected = '{"id": ..., "answers": {...}}'
        if isinstance(data, list) and not holds_an_object(data):
            expected += (
                "; a row of values without their questions' names, as pandas writes "
                'to_json(orient="values"): write orient="records"'
            )
        return CheckedRecord(
            fallback_id,
            screened,
            [
                AnswerProblem(
                    "",
                    f"a record must be a JSON object, not {kind}",
                    show_value(data),
                    expected,
                )
            ],
            said_yes=yes,
        )
    if is_questionnaire_response(data):
        data = response_record(data)
        note = "read from a FHIR QuestionnaireResponse: each item's answer by its linkId or text"
        raw = replace(raw, note=note if raw.note is None else f"{raw.note}; {note}")
    # A key given twice with different values is read one way, the safe one.
    nested = data.nested if isinstance(data, RepeatedKeys) else ()
    data, errors, warnings, said_yes = read_once(data, raw.line, rb)
    if nested:
        names = ", ".join(show_value(key) for key in nested[:MAX_UNKNOWN_LISTED])
        errors.append(
            AnswerProblem(
                "",
                f"a key given twice with different values inside a value ({names}); the "
                "first was kept",
                expected="each key once in an object",
            )
        )
    data = _fields_named_otherwise(data, warnings)
    data = _hidden_id(data, warnings)
    data = _unflattened(data, warnings)
    data = _labelled(data, warnings)
    if raw.note is not None:
        warnings.insert(0, AnswerProblem("", raw.note))
    record_id = data.get("id", fallback_id)
    if isinstance(record_id, list) and len(record_id) == 1 and plain_id(record_id[0]):
        # R's jsonlite boxes every value without auto_unbox: ["c05"] names c05.
        record_id = record_id[0]
        warnings.append(
            AnswerProblem(
                "id",
                "values boxed in one-item lists (as R's jsonlite writes them); read unboxed",
                expected="write_json(..., auto_unbox = TRUE)",
            )
        )
    if isinstance(record_id, dict) and len(record_id) == 1:
        ((kind, inner),) = record_id.items()
        if kind.startswith("$") and plain_id(inner):
            # MongoDB's extended JSON ({"$oid": "..."}, mongoexport's _id): the id it
            # holds; refused, every record of such a file was an error (check 22).
            record_id = inner
            warnings.append(AnswerProblem("id", f"the id read from {kind}", show_value(inner)))
    if "id" in data and (isinstance(record_id, bool) or not isinstance(record_id, str | int)):
        errors.append(
            AnswerProblem(
                "id",
                "the id must be a string or an integer",
                show_value(record_id),
                "a string or an integer",
            )
        )
        record_id = fallback_id
    elif isinstance(record_id, str) and len(record_id) > 200:
        errors.append(
            AnswerProblem(
                "id",
                "the id is longer than 200 characters",
                show_value(record_id),
                "a short string",
            )
        )
        record_id = fallback_id
    unknown = [key for key in data if key not in RECORD_FIELDS]
    for key in unknown[:MAX_UNKNOWN_LISTED]:
        problem = AnswerProblem(
            show_value(key)[1:-1],
            "unknown record field",
            expected="'id', 'answers', 'measured' and 'not_measured'",
        )
        (errors if strict else warnings).append(problem)
    if len(unknown) > MAX_UNKNOWN_LISTED:
        (errors if strict else warnings).append(
            unlisted("record", len(unknown) - MAX_UNKNOWN_LISTED, "unknown record fields")
        )
    answers = data.get("answers")
    if answers is None:
        message = "'answers' is null" if "answers" in data else "missing 'answers'"
        errors.append(
            AnswerProblem("answers", message, expected="an object of question id -> answer")
        )
        answers = {}
    elif not isinstance(answers, dict):
        errors.append(
            AnswerProblem(
                "answers",
                "'answers' must be an object",
                show_value(answers),
                "an object of question id -> answer"
                + (
                    "; PowerShell wrote this string: use ConvertTo-Json -Depth 5"
                    if isinstance(answers, str) and answers.startswith("@{")
                    else ""
                ),
            )
        )
        # A string of JSON, or of key=value pairs (PowerShell's default depth), or a
        # list of {"question": ..., "answer": ...} or [key, value] pairs: an error,
        # but a warning sign in it is screened (attack round 11, M1).
        if isinstance(answers, list) and isinstance(data.get("definition"), dict):
            from .salvage import titled_form_answers  # only for a form tool's webhook

            answers = titled_form_answers(answers, data["definition"])
        answers, yes = _screened_anyway(answers)
        said_yes |= yes
    else:
        answers = _ticked_lists(
            _named_pairs(_sections_joined(answers, warnings), warnings), warnings, rb
        )
    measured = _measured(data, errors)
    # The fields listed, and past the list's cap every other that may hold a sign: a
    # "yes" after 20 unknown fields was lost (attack round 10, M1).
    stray = {key: data[key] for key in unknown[:MAX_UNKNOWN_LISTED] if isinstance(key, str)}
    stray |= {
        key: data[key]
        for key in unknown[MAX_UNKNOWN_LISTED:]
        if isinstance(key, str) and not _plain_no(data[key])
    }
    # (an id that is not a string or an integer was replaced above, with an error)
    kept_id = record_id if isinstance(record_id, str | int) else fallback_id
    # A yes written beside 'answers', or in an object nested where answers do not
    # belong, is read as not sure too (stray_safety_answers).
    said_yes |= {key for key, value in stray.items() if reads_yes(value)}
    said_yes |= {key for _, key, value in nested_answers(answers, stray) if reads_yes(value)}
    if data.get("answers") is None and stray:
        # No 'answers' object at all (or null, as pandas writes it for a row of
        # another shape: a new check, NEW-7): the record's own fields are its
        # answers (a spreadsheet's rows, hand-made flat records). An error still, but screened
        # as given: beside nothing they conflict with nothing, and read "not sure" as
        # strays are, every yes was one level lower and a combination of signs (age,
        # sudden onset, not settling) lost (a new user's U17-5).
        answers, stray = _pairs_opened(stray), {}
        errors[:] = [_read_flat(problem) for problem in errors]
        # Its fields are its answers, not fields the record does not know: the one
        # error says so, not a warning per field.
        warnings[:] = [w for w in warnings if "unknown record field" not in w.message]
        flat = True
    else:
        flat = False
    if isinstance(data.get("measured"), dict | list):
        # A safety question under 'measured' (a camera cannot see it: a hand-made or
        # another tool's record) is read as one beside the answers; dropped, a yes to
        # bladder changes gave "no_fault_found" (check 20).
        stray = {**stray, "measured": data["measured"]}
    return CheckedRecord(kept_id, answers, errors, warnings, measured, stray, said_yes, flat)


_NO_ANSWERS = ("missing 'answers'", "'answers' is null")


def _read_flat(problem: AnswerProblem) -> AnswerProblem:
    """The "missing 'answers'" error of a flat record, saying how it was read."""
    if problem.key != "answers" or problem.message not in _NO_ANSWERS:
        return problem
    return AnswerProblem(
        problem.key,
        problem.message,
        expected="the answers in one object under 'answers'; the record's fields were read "
        "as its answers for the safety screen",
    )


def _fields_named_otherwise(data: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """The record with its fields under their names when a program wrote them in
    another case or style ("ID", "Answers", "NotMeasured"): read as unknown fields, the
    id was lost and every yes "not sure", one level lower (check 19). A field under
    its own name as well keeps it, and the other stays unknown."""
    renamed = {
        key: field
        for key in list(data)[:MAX_NESTED_KEYS]
        if key not in RECORD_FIELDS
        and (field := record_field(key) or ("id" if fold_key(key) in _ID_NAMES else None))
        is not None
        and field not in data
    }
    if not renamed:
        return data
    taken: set[str] = set()
    fixed: JsonObject = {}
    for key, value in data.items():
        field = renamed.get(key)
        if field is None or field in taken:
            fixed[key] = value
            continue
        taken.add(field)
        fixed[field] = value
        warnings.append(
            AnswerProblem(field, f"record field {show_value(key)} read as '{field}'", None)
        )
    return fixed


# What exports call a record's id when it has no 'id': REDCap's record_id, an app's
# client_id. Named by their position instead, a coach who looked up record 1 of a
# REDCap export read record 2's result (check 25, H9).
_ID_NAMES = frozenset({"record_id", "client_id", "participant_id", "respondent_id"})


def _labelled(data: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """A record with no 'answers', keyed by a form's field references ("Field4"), read
    by the labels it carries beside them (Wufoo's "FieldStructure"), with a warning;
    anything else as it is (see intake.labels)."""
    keys = list(data)[:MAX_NESTED_KEYS]
    if "answers" in data or not any(FIELD_REFERENCE.fullmatch(str(key)) for key in keys):
        return data  # the common record
    from .labels import labelled_record  # only for a record keyed by field numbers

    found = labelled_record(data)
    if found is None:
        return data
    warnings.append(_LABELLED_WARNING)
    return found


_LABELLED_WARNING = AnswerProblem(
    "answers",
    "answers keyed by a form's field numbers, read by the labels given beside them",
    expected="an object of question id -> answer",
)


def _hidden_id(data: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """A record with no id, named by the person's id a form passed in its hidden
    fields (Typeform's ``"hidden": {"client_id": "bob"}``), with a warning; named by
    its position instead, a coach could not find the client (check 26, M1)."""
    hidden = data.get("hidden")
    if "id" in data or not isinstance(hidden, dict):
        return data
    for key, value in list(hidden.items())[:MAX_UNKNOWN_LISTED]:
        if (fold_key(key) in _ID_NAMES or fold_key(key) == "id") and plain_id(value):
            warnings.append(
                AnswerProblem("id", f"the id read from the hidden field {show_value(key)}", None)
            )
            return {"id": value, **data}
    return data


def _unflattened(data: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """A record whose answers pandas flattened (``json_normalize``, then ``to_json``:
    "answers.saddle_numbness": "yes") with its answers put back in 'answers', and a
    warning. As unknown fields, a definite yes was read "not sure", one level lower,
    or not at all (a new user's U15-7). Beside the same answer inside 'answers', the
    careful one of the two holds (``_careful``): a "no" or a lower age elsewhere never
    undoes a yes or a higher age (attack round 13, H1)."""
    flat = {
        key: found.group(1) or found.group(2)
        for key in data
        if (found := FLAT_KEY.fullmatch(key)) is not None
    }
    answers = data.get("answers")
    if not flat or not isinstance(answers, dict | None):
        return data
    answers = dict(answers or {})
    for key, qid in flat.items():
        value = data[key]
        answers[qid] = careful(answers[qid], value) if qid in answers else value
    warnings.append(
        AnswerProblem(
            "answers",
            f"{len(flat)} answers given as flattened fields ('answers.<id>', as pandas "
            "writes them); read as the answers",
            expected='the answers in one object: "answers": {"<id>": ...}',
        )
    )
    unflat = {key: value for key, value in data.items() if key not in flat}
    unflat["answers"] = answers
    return unflat


def _named_pairs(answers: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """Answers keyed by a form's field number, each an object that names its question
    ({"3": {"name": "saddle_numbness", "answer": "Yes"}}, Jotform's submissions), read
    by their names, with a warning. Read as unknown keys, an emergency was
    'no_fault_found' (check 21). Anything else is returned as it is."""
    values = list(answers.values())[:MAX_NESTED_KEYS]
    if not values or not all(isinstance(value, dict) for value in values):
        return answers
    if any(names_a_question(str(key)) for key in list(answers)[:MAX_NESTED_KEYS]):
        return answers  # answers boxed in objects under their own names
    from .salvage import answers_in  # only for answers in this shape

    found, _ = answers_in(values)
    if not any(names_a_question(key) for key in found):
        return answers
    warnings.append(
        AnswerProblem(
            "answers",
            "answers given as objects that name their question (a form tool's export); "
            "read by those names",
            expected="an object of question id -> answer",
        )
    )
    return found


def _sections_joined(answers: JsonObject, warnings: list[AnswerProblem]) -> JsonObject:
    """A record's answers written in a form's sections ("safety": {...}, "technique":
    {...}: see wrappers.form_sections) as one object, with a warning: read as records
    keyed by name, each section was one more result, an error or unscreened (check
    37, L3). The sections ask different questions, so nothing is answered twice; an
    answer beside them keeps the careful reading of the two."""
    sections = form_sections(answers)
    if not sections:
        return answers
    joined = {key: value for key, value in answers.items() if key not in sections}
    for section in sections:
        part = answers[section]
        assert isinstance(part, dict)  # form_sections holds objects only
        for key, value in part.items():
            joined[key] = careful(joined[key], value) if key in joined else value
    warnings.append(
        AnswerProblem(
            "answers",
            f"answers in {len(sections)} sections ({', '.join(sections)[:120]}); read as one "
            "record's answers",
            expected='the answers in one object: "answers": {"<id>": ...}',
        )
    )
    return joined


def _names_not_said(key: str) -> bool:
    """Whether a short key says its names were not said ("not_asked", "ruled_out",
    "denies", "none_of_these", "negatives"): such a list is no one's yes (read so, a
    clear client was referred: check 30). A question's title is longer, and is read
    whatever words it has ("Any of these, even if not sure?": skipped, an emergency
    was lost: check 31, H4)."""
    folded = fold_key(key)
    return (
        len(folded.split("_")) <= 3
        and not key.rstrip().endswith("?")
        and bool(_NOT_SAID.search(folded))
    )


_NOT_SAID = re.compile(
    r"(?:^|_)(?:not|no|none|never|without|ruled|denies|denied|deny|negatives?|absent"
    r"|skip|skipped|unanswered|unasked|excluded?)(?:_|$)"
)


def _ticked_lists(
    answers: JsonObject, warnings: list[AnswerProblem], rb: RuleBase | None = None
) -> JsonObject:
    """Answers with a multi-select under a key that names no question, whose options
    name yes/no questions ("Which of these do you have?": ["Saddle numbness", "Pain
    below the knee"]), read as a yes to each option that names one, with a warning;
    read as an unknown key, the emergency was lost and the client 'no_fault_found'
    (check 29, A-M1; check 31). Never a yes to a question whose yes only eases a flag
    ("not_asked": ["Onset settling"] eased a sudden onset away: check 30, A-R2); a
    "ruled out" list may refer a clear client, the careful side. An interview's
    checklist ("screen:ID": the form items ticked, the rest "no") is the interview's
    to read: opened here, its unticked items were never answered and the HTTP
    interview asked the same checklist again for ever (check 32, U-M1); such a key is
    opened only when it lists a safety sign ("screen:nerve_signs": ["saddle_numbness"]),
    which is never lost. Anything else is returned as it is."""
    from .answers import (  # only for a list under an unknown key
        eases_only_named,
        misspelt_bundled_safety,
        names_a_screen,
        safety_named,
    )

    opened = dict(answers)
    looked = 0  # unread items looked up as misspelt signs, in every list of the record
    mentioned: set[str] = set()  # safety ids written whole in a screen's text reply
    for key, value in list(answers.items())[:MAX_NESTED_KEYS]:
        interview_key = (
            str(key).startswith(CHECK_PREFIX)
            or is_screen_key(str(key))
            or (
                isinstance(value, str | list)
                and not _plain_reply(value)
                and names_a_screen(str(key), rb)
            )
        )
        if isinstance(value, str) and interview_key and not str(key).startswith(CHECK_PREFIX):
            mentioned.update(safety_ids_written(rb, value))
        if isinstance(value, str) and interview_key:
            # A single-select widget's string, "a, b" or the list as JSON text: read as
            # "screen:nerve_signs" was dropped, and a ticked emergency sign got advice
            # (check 37, A-M1). Opened only when it lists a safety sign (below).
            value = _listed_in_text(value)
        if isinstance(value, list):
            value = _several_parted(value)
        if not isinstance(value, list) or not value or names_a_question(str(key)):
            continue
        if _names_not_said(str(key)):
            continue
        if not interview_key and not all(isinstance(item, str) for item in value[:MAX_NESTED_KEYS]):
            continue
        if interview_key and not any(
            isinstance(item, str) and safety_named(item) for item in value[:MAX_NESTED_KEYS]
        ):
            continue
        items = [item for item in value[:MAX_NESTED_KEYS] if isinstance(item, str)]
        # "?ID" in an interview's list: that sign is not sure, not a yes (it was read
        # as a yes, an emergency: check 38).
        marked = {item for item in items if interview_key and item.startswith(UNSURE_MARK)}
        # Each by the id it names: "Saddle numbness" beside "?saddle_numbness" is one
        # sign ticked, a yes, never two spellings read as not sure (check 40, N1).
        ticked = [
            (question_id(item.removeprefix(UNSURE_MARK)) or item, "unsure")
            if item in marked
            else (question_id(item) or item, "yes")
            for item in items
            if question_type(item.removeprefix(UNSURE_MARK) if item in marked else item) == "yes_no"
            and not eases_only_named(item)
        ]
        if not ticked:
            continue
        del opened[key]
        for question, said in ticked:
            # careful: a tick beside its own "?" stays a yes (a yes is never undone;
            # check 39, A-H1, a regression of 90f5066)
            opened[question] = careful(opened[question], said) if question in opened else said
        unread = _unread_items(items, marked)
        if interview_key and any(
            item is not None and not isinstance(item, str) for item in value[:MAX_NESTED_KEYS]
        ):
            # A number or a list among a screen's items: kept as one it cannot read
            # (the list was left whole, and a plain tick beside it was not sure).
            unread.append(
                show_value([v for v in value if v is not None and not isinstance(v, str)][:1])
            )
        for item in unread:
            # A sign misspelt beside one read ("bladder_bowel_chnage" beside
            # "leg_pain_below_knee") is not sure: it was dropped, and ticking one
            # more box lowered urgent to clinician (check 38, A-H1). difflib for the
            # record's first items, a fast lookup after (per record, not per list).
            looked += 1
            qid = misspelt_bundled_safety(
                item.removeprefix(UNSURE_MARK), fast=looked > MAX_UNKNOWN_LISTED
            )
            if qid is not None:
                opened[qid] = careful(opened[qid], "unsure") if qid in opened else "unsure"
        if unread and interview_key:
            # Kept for the screen, whose other signs it leaves not sure (a label of
            # one, "Loss of bladder control", beside a sign read).
            opened[key] = list[JsonValue](unread)
        warnings.append(
            AnswerProblem(
                str(key),
                "read as a yes to each question it lists: "
                + ", ".join(sorted(question for question, _ in ticked))[:200],
                None,
            )
        )
    # A sign's id written whole in a screen's text reply, whatever the words around it
    # ("Dr. Smith said saddle_numbness", "saddle_numbness! word"), is at least not sure,
    # beside its own "no" too: unread, such replies were "ok" with advice (check 48,
    # H1). A tick read as a yes stays a yes (careful never undoes one).
    for qid in sorted(mentioned):
        opened[qid] = careful(opened[qid], "unsure") if qid in opened else "unsure"
    return opened


def safety_ids_written(rb: RuleBase | None, text: str) -> frozenset[str]:
    """The screened questions whose ids a text holds whole, their words joined by "_",
    "-" or spaces, in its first 4,096 characters ("said saddle_numbness!")."""
    if rb is None:
        from ..knowledge.loader import bundled_rulebase

        rb = bundled_rulebase()
    if rb is None:
        return frozenset()
    pattern = _ids_pattern(rb.index.screen_questions)
    written = (
        "_".join(re.split(r"[_\s-]+", found.group(0).lower()))
        for found in pattern.finditer(drawn(text[:_MAX_LISTED_TEXT], marks=False))
    )
    return frozenset(qid for qid in written if qid in rb.index.screen_questions)


@functools.lru_cache(maxsize=16)
def _ids_pattern(screened: tuple[str, ...]) -> re.Pattern[str]:
    ids = sorted(screened, key=len, reverse=True)
    spelled = (r"[_\s-]+".join(map(re.escape, qid.split("_"))) for qid in ids)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(spelled) + r")(?![a-z0-9])", re.IGNORECASE)


def _several_parted(items: list[JsonValue]) -> list[JsonValue]:
    """A list's items, with one that names several yes/no questions ("saddle_numbness
    & leg_pain_below_knee", "saddle numbness and leg pain below knee") given as each
    of them, a "?" before it kept on each: read as one, it named only its last part
    or none, and a ticked emergency sign was read as urgent or lost (check 39, A-M3)."""
    parted: list[JsonValue] = []
    for item in items[:MAX_NESTED_KEYS]:
        mark = UNSURE_MARK if isinstance(item, str) and item.startswith(UNSURE_MARK) else ""
        named = yes_no_questions_named(item.removeprefix(mark)) if isinstance(item, str) else ()
        parted.extend([mark + qid for qid in named] if named else [item])
    return parted


def _plain_reply(value: JsonValue) -> bool:
    """A yes, a no or a "not sure" as a record writes one: no list of signs."""
    return written_yes(value) or written_no(value) or is_unsure(value)


def _unread_items(items: list[str], marked: set[str]) -> list[str]:
    """The items of a list that name no question and say something (not a no, not
    blank). A "?" before one says the sign it names is not sure, so one that names no
    question is unread too ("?saddle_numbnes", "?Loss of bladder control"), and so is
    the checklist's "?*" (the rest not sure): dropped beside a sign read, they left the
    screen's other signs unanswered, and a saddle numbness marked "?" with a typo was
    lost (check 39, M1)."""
    return [
        item
        for item in items
        if item.strip()
        and not says_no(item)
        and question_type(item.removeprefix(UNSURE_MARK) if item in marked else item) is None
    ]


_MAX_LISTED_TEXT = 4096  # a checklist's items as text: far more than every item's name


def _listed_in_text(text: str) -> list[JsonValue] | str:
    """The items a string lists: a JSON array written as text, or names parted by
    commas, semicolons or bars; the string itself when it is none of these."""
    # Runs of spaces and blank lines say nothing: padded past the limit, a ticked sign
    # was read as naming nothing, "ok" with advice (check 45, X1).
    # So do characters that draw nothing and runs of one mark ("....", "----"): check
    # 47, N7. (A sentence's end is no item's: parted there, "saddle_numbness (approx.
    # 3 days)" named nothing, check 48 H6.)
    text = drawn(text, marks=False)
    text = re.sub(r"([^\w\s])\1{2,}", r"\1", text)
    text = re.sub(r"\s*\n\s*", "\n", re.sub(r"[^\S\n]+", " ", text.strip()))
    held = json_in_text(text, _MAX_LISTED_TEXT)
    if isinstance(held, list):
        return held
    # "Yes: <wording>": the yes says the wording that follows is ticked (read as one
    # unreadable item, the emergency it named was lost: check 44, N4).
    text = _YES_BEFORE.sub("", text, count=1)
    if len(text) > _MAX_LISTED_TEXT or question_worded(text) is not None:
        return text if len(text) > _MAX_LISTED_TEXT else [text]
    # Parted by commas, semicolons, bars, slashes, line breaks or " and " (a sign's
    # wording may hold any of these: a run that names one word for word is one item).
    # Joined by a line break, " and " or " / ", wordings ticked nothing, and an
    # emergency was read as urgent (check 43, H4).
    pieces = re.split(r"(\r?\n|[,;|/]| and )", text)
    parts, marks = pieces[::2], pieces[1::2]
    if len(parts) > _MAX_PARTS_JOINED:  # no checklist has as many boxes: bounded work
        return [part.strip() for part in parts if part.strip()] or text
    items: list[JsonValue] = []
    start = 0
    while start < len(parts):
        # A sign's own wording may hold commas ("numbness or tingling in the groin,
        # genitals, ..."), as a form joins the boxes ticked (Google Forms): the longest
        # run of parts that names a question is one item. Split at every comma, such
        # wordings were unread and an emergency was read as urgent.
        end = next(
            (
                stop
                for stop in range(min(len(parts), start + _MAX_PARTS_IN_ONE), start + 1, -1)
                if question_worded(_rejoined(parts[start:stop], marks[start : stop - 1]))
            ),
            start + 1,
        )
        item = _rejoined(parts[start:end], marks[start : end - 1]).strip()
        if item:
            items.append(item)
        start = end
    return items or text


_YES_BEFORE = re.compile(r"^\s*(?:yes|y|yeah|yep)\s*[:\-\u2013\u2014,]\s*", re.IGNORECASE)
_MAX_PARTS_IN_ONE = 8  # of a wording with commas in it: the bundled ones have at most 4
_MAX_PARTS_JOINED = 32  # parts of a text tried together: 7 screen items of 4 commas each


def _rejoined(parts: list[str], marks: list[str]) -> str:
    return "".join(part + mark for part, mark in zip(parts, [*marks, ""], strict=True))


def _pairs_opened(fields: JsonObject) -> JsonObject:
    """A flat record's fields, with a list of question/answer pairs under a name like
    'answers' ("responses": [{"key": "saddle_numbness", "value": "yes"}]) read as the
    answers it pairs: left as a field, its warning signs were never read (check 21).
    An answer given as a field too keeps the careful reading of the two."""
    lists = [
        key
        for key, value in fields.items()
        if (isinstance(value, list) and (answers_name(key) or _pairs_naming_questions(value)))
        or _numbered(value) is not None
        or (isinstance(value, dict) and survey_pages(value) is not None)
    ]
    if not lists:
        return fields
    opened = {key: value for key, value in fields.items() if key not in lists}
    for key in lists:
        value = fields[key]
        if isinstance(value, dict) and (pages := survey_pages(value)) is not None:
            value = pages  # a form's "content": {"sections": [{"questions": [...]}]}
        numbered = _numbered(value)
        found, _ = _screened_anyway(value if numbered is None else numbered)
        for question, answer in found.items():
            opened[question] = careful(opened[question], answer) if question in opened else answer
    return opened


def _numbered(value: JsonValue) -> list[JsonValue] | None:
    if not isinstance(value, dict | str):
        return None
    from .salvage import numbered_fields  # only for an object in a flat record

    return numbered_fields(value)


def _pairs_naming_questions(items: list[JsonValue]) -> bool:
    """A list of question/answer objects whose names name questions, under any name
    (Formstack's "data": [{"field": "101", "label": "saddle_numbness", "value":
    "Yes"}]): left as a field, its warning signs were lost (check 25, H5)."""
    if not items or not all(isinstance(item, dict) for item in items[:MAX_NESTED_KEYS]):
        return False
    from .salvage import answers_in  # only for a list of objects

    found, _ = answers_in(items)
    return any(names_a_question(key) for key in found)


def _screened_anyway(value: object) -> tuple[JsonObject, frozenset[str]]:
    """The answers a lenient reading finds in what stands where a record or its answers
    should (intake.salvage), to be screened only."""
    if not isinstance(value, str | list) or not value:
        return {}, frozenset()
    from .salvage import answers_in  # only for a record in the wrong shape

    return answers_in(value)


# How far nested_answers looks: a bound on the work a hostile record can ask for.
MAX_NESTED_DEPTH = 64  # 4 left a yes 6 objects deep unread (attack round 11, M1)


def nested_answers(answers: JsonObject, stray: JsonObject) -> list[tuple[str, str, JsonValue]]:
    """(where, key, value) for every key of an object nested where answers do not go:
    under an unknown record field ("Answers": {...}) or under a key of 'answers'
    ("answers": {"answers": {...}}), up to MAX_NESTED_DEPTH levels and MAX_NESTED_KEYS
    keys (attack round 9, M1: a yes to saddle numbness in either was lost, "ok")."""
    found: list[tuple[str, str, JsonValue]] = []
    todo: list[tuple[str, JsonValue, int]] = [
        (f"'{key}'", value, 1) for key, value in stray.items() if isinstance(value, dict | list)
    ]
    todo += [
        (f"'answers.{key}'", value, 1)
        for key, value in answers.items()
        if isinstance(value, dict) or (isinstance(value, list) and _holds_objects(value))
    ]
    visited = 0  # containers looked into: bounded, as the keys are
    while todo and len(found) < MAX_NESTED_KEYS and visited < MAX_NESTED_KEYS:
        where, container, depth = todo.pop()
        visited += 1
        if isinstance(container, list):  # objects in a list: each is looked into
            if any(isinstance(item, dict) for item in container[:MAX_NESTED_KEYS]):
                # A list of question/answer pairs ('measured': [{"question": ...,
                # "value": "yes"}]): its answers too (lost before: check 21).
                from .salvage import answers_in  # only for a list of objects

                pairs, _ = answers_in(container)
                found += [(where, key, answer) for key, answer in pairs.items()]
            if depth < MAX_NESTED_DEPTH:
                items = container[:MAX_NESTED_KEYS]
                todo += [(where, i, depth + 1) for i in items if isinstance(i, dict | list)]
            continue
        assert isinstance(container, dict)
        for key, value in list(container.items())[: MAX_NESTED_KEYS - len(found)]:
            if not isinstance(key, str):
                continue
            found.append((where, key, value))
            if isinstance(value, dict | list) and depth < MAX_NESTED_DEPTH:
                todo.append((f"{where[:-1]}.{key}'", value, depth + 1))
    return found


def _holds_objects(values: list[JsonValue]) -> bool:
    """A list answer holds strings; one that holds objects may hide a sign in them."""
    return any(isinstance(item, dict | list) for item in values[:MAX_NESTED_KEYS])


def _plain_no(value: JsonValue) -> bool:
    text = value.strip().lower() if isinstance(value, str) else None
    return value is False or value is None or text == "no"


def stray_safety_answers(
    rb: RuleBase, answers: JsonObject, stray: JsonObject, *, flat: bool = False
) -> tuple[JsonObject, list[AnswerProblem]]:
    """The answers with any safety question written beside 'answers' instead of inside
    it ({"saddle_numbness": "yes", "answers": {...}}), or in an object nested where
    answers do not go (``nested_answers``), read as "not sure" for the screen
    (a plain "no" changes nothing): a warning sign is never lost to a misplaced key, and
    a value outside the answers is not trusted as a definite one either.

    Unless nothing else answers the question: a number (an age in a 'profile' object;
    read "not sure", an urgent combination of signs was referred as clinician), and a
    yes under its own name in a record whose fields are its answers (``flat``), under
    'measured' or in a group inside the answers, are read as given (check 20, 25)."""
    merged, notes = answers, []
    placed = [("beside 'answers', not inside it", key, value) for key, value in stray.items()]
    placed += [
        (f"inside {where}, not in 'answers'", key, value)
        for where, key, value in nested_answers(answers, stray)
    ]
    for where, key, value in placed:
        # A misspelt safety key beside 'answers' too (attack round 6): inside them it
        # was read as the sign, beside them not at all ("ok" beside a "yes").
        qid = question_named(rb, key) or misspelt_safety_id(rb, key)
        if qid is None or qid not in rb.index.safety_questions:
            continue
        value = unboxed_answer(value)  # {"value": 70, "confidence": 0.9} under 'measured'
        if value is False or (isinstance(value, str) and says_no(value)):
            continue
        own = merged.get(qid)
        if isinstance(value, str) and rb.questions[qid].type is QuestionType.NUMBER:
            value = number_in_text(value) or value  # "70" in a 'profile' group: 70
        if own is None and is_number(value) and not isinstance(value, bool):
            merged = dict(merged) if merged is answers else merged
            merged[qid] = value
            notes.append(_placed_note(key, where, qid, "as given", value))
            continue
        if is_number(own) and is_number(value):
            # An age elsewhere (last visit's) beside the record's own: the higher is
            # the careful reading; read "not sure", an urgent combination of signs was
            # referred as clinician (attack round 13, H10).
            if value > own:
                merged = dict(merged) if merged is answers else merged
                merged[qid] = value
            continue
        if merged is answers:
            merged = dict(answers)
        # Named exactly (a misspelt key is a guess), a yes, and nothing else answers it,
        # in a group of a record with no 'answers' object, under 'measured', or in a
        # group inside the answers (a SurveyJS matrix, a KoboToolbox group: read as
        # not sure, an emergency was urgent, check 25).
        direct = (
            own is None
            and (flat or where.startswith((_MEASURED_PLACE, _IN_ANSWERS_PLACE)))
            and question_named(rb, key) == qid
            and reads_yes(value)
        )
        if merged.get(qid) not in ("yes", True):
            merged[qid] = "yes" if direct else "unsure"
        notes.append(_placed_note(key, where, qid, "as yes" if direct else "as not sure", value))
    return merged, notes


_MEASURED_PLACE = "inside 'measured"
_IN_ANSWERS_PLACE = "inside 'answers."


def _placed_note(key: str, where: str, qid: str, reading: str, value: JsonValue) -> AnswerProblem:
    return AnswerProblem(
        key=key,
        message=f"{key}: given {where}; the safety screen reads '{qid}' {reading}",
        value=show_value(value),
        expected=f'the answer inside \'answers\': "answers": {{"{qid}": ...}}',
    )


def checklists_answered(
    rb: RuleBase, answers: JsonObject
) -> tuple[JsonObject, list[AnswerProblem]]:
    """The answers with each checklist the interview asks ("screen:ID" with the list
    of its items that happen) read as the interview reads it: a ticked item is a yes,
    "?ID" not sure, any other item no ("?*": unknown), unless the record answers that
    item itself. A record the interview saved with its checklist, sent to diagnose,
    lost those answers to an unknown key (check 34, A-M1; da7eaad left such a list to
    the interview). The key, the items and an item's own answer are read in any
    spelling an answer key is read in ("Heels_Lift", a trailing space, an item ticked
    twice): the checklist's "no" overrode an item's own yes under another spelling,
    and a form cause was lost (check 35, A-M2). Anything else is returned as it is."""
    found = [
        (key, screen)
        for key in answers
        # a key that is not a string comes only from the Python API: an error elsewhere
        if isinstance(key, str) and isinstance(answers[key], list)
        for screen in (_pick_screen_named(rb, key),)
        if screen is not None
    ]
    if not found:
        return answers, []
    opened = dict(answers)
    notes = []
    answered: frozenset[str] | None = None
    for key, screen in found:
        said = _ticked(rb, screen, answers[key])
        if said is None:
            continue  # not the interview's list: left for the other readers
        if answered is None:  # worked out once, and only for a checklist
            answered = frozenset(
                qid
                for other in list(answers)[:MAX_NESTED_KEYS]
                if isinstance(other, str) and not is_screen_key(other)
                for qid in (question_named(rb, other),)
                if qid is not None
            )
        del opened[key]
        ticked, unsure, rest_unknown = said
        for item in screen.question_ids:
            if item in answered:
                continue  # its own answer stands, under whatever spelling
            if item in ticked:
                opened[item] = "yes"
            elif item in unsure:
                opened[item] = "unsure"
            elif not rest_unknown:
                opened[item] = "no"
        notes.append(
            AnswerProblem(
                key,
                f"{key}: read as the interview's checklist: the items listed happen, "
                + ("the others are not known" if rest_unknown else "the others do not"),
                None,
            )
        )
    return opened, notes


def _pick_screen_named(rb: RuleBase, key: str) -> Screen | None:
    """The checklist (a 'pick' screen) a "screen:ID" key names, in any spelling."""
    screen = screen_named(rb, key)
    return screen if screen is not None and screen.style == "pick" else None


def _ticked(
    rb: RuleBase, screen: Screen, value: JsonValue
) -> tuple[frozenset[str], frozenset[str], bool] | None:
    """A checklist's list read as (ticked, not sure, whether the rest are unknown), each
    entry an item in any spelling an answer key is read in, or "?" and one, or "?*";
    None when it is not such a list (an entry that names no item, or too long a list)."""
    if not isinstance(value, list) or len(value) > MAX_NESTED_KEYS:
        return None
    items = set(screen.question_ids)
    ticked: set[str] = set()
    unsure: set[str] = set()
    rest_unknown = False
    for entry in value:
        if not isinstance(entry, str):
            return None
        if entry.strip() == UNSURE_REST:
            rest_unknown = True
            continue
        named = entry.strip()
        marked = named.startswith(UNSURE_MARK)
        named = named.removeprefix(UNSURE_MARK)
        item = named if named in items else question_named(rb, named)
        if item not in items:
            return None
        (unsure if marked else ticked).add(item)
    return frozenset(ticked), frozenset(unsure - ticked), rest_unknown


def diagnose_record(
    raw: RawRecord,
    rb: RuleBase,
    strict: bool,
    threshold: float | None,
    *,
    explain: bool = False,
    columns: ColumnMap | None = None,
) -> DiagnosisOut:
    """One raw record's result: checked, then diagnosed (or an error result).
    ``columns``: a coach's column map (intake/columns.py), applied to its answers."""
    checked = check_record(raw, strict=strict, rb=rb)
    quiet: frozenset[str] = frozenset()
    if columns is not None:
        from .columns import mapped_answers  # only a coach's sheet with a map needs it

        checked.answers, quiet, column_notes, named = mapped_answers(checked.answers, columns)
        if isinstance(named, str | int):
            checked.record_id = named  # the map's id column ("Name": "id")
        checked.warnings += column_notes
    answers, stray_notes = stray_safety_answers(
        rb, checked.answers, checked.stray, flat=checked.flat
    )
    answers, checklist_notes = checklists_answered(rb, answers)
    stray_notes = [*stray_notes, *checklist_notes]
    if checked.errors:
        result = error_result(
            rb, checked.record_id, checked.errors, checked.warnings, explain=explain
        )
        screened = diagnose_answers(
            rb, read_answers(rb, answers), record_id=checked.record_id, explain=explain
        )
        refer_despite_errors(result, screened)
    else:
        result = diagnose_answers(
            rb,
            read_answers(rb, answers, strict=strict),
            record_id=checked.record_id,
            threshold=threshold,
            explain=explain,
        )
        result["warnings"][:0] = [w.to_dict() for w in (*checked.warnings, *stray_notes)]
        if checked.measured:
            result["measured"] = checked.measured_answers()
            result["measurements"] = measurements(rb, checked.answers, checked.measured)
    if quiet:
        # Columns the map calls no answers say nothing of themselves, unless their
        # text mentions a warning sign (then the warning says which).
        loud = {
            key
            for key in quiet
            if key in checked.answers and misspelt_safety(rb, {key: checked.answers[key]})
        }
        result["warnings"] = [
            _mapped_column_said(w) if w["key"] in loud else w
            for w in result["warnings"]
            if w["key"] not in quiet or w["key"] in loud
        ]
    if raw.line is not None:
        result["line"] = raw.line
    return result


def _mapped_column_said(warning: ProblemOut) -> ProblemOut:
    """A mapped column's warning of a sign its text mentions, without "unknown question
    id": the map named the column (a coach read it as a wrong map: check 61)."""
    key = warning["key"]
    message = warning["message"].replace(f"{key}: unknown question id; ", f"{key}: ", 1)
    return {
        **warning,
        "message": message,
        "expected": "a plain no, or the sign answered under its own id",
    }
