"""A key given twice in one record: one reading, and the safe one (issue 20).

JSON allows ``{"answers": {"saddle_numbness": "no", "saddle_numbness": "yes"}}``;
parsers disagree on which value holds (Python keeps the last, some the first), so
the record could be read two ways. Such a record used to be an error, which showed no
red flag at all. Now an answer given twice with different values is read as not sure
(``null``): on the safety screen that is never a "no", so the flag shows (at
clinician level at least); any other question counts it as unknown. A warning names
the key, the values and the record's line. The same key with the same value twice is
simply that value.

Only the record object and its ``answers`` are read this way ('answers' itself given
twice is merged, key by key). A repeated ``id``, ``measured`` or ``not_measured``
stays an error of the record (its answers are still screened), and a repeat deeper
inside a value is the strict JSON error it always was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from ..foundation.jsonvalue import JsonObject, JsonValue
from ..knowledge.rulebase import QuestionType, RuleBase
from ..reasoning.answers import AnswerProblem, show_value
from .answers import plain_number, written_no, written_yes
from .typed import NOT_TYPED, TYPE_TAGS, untyped


class RepeatedKeys(dict[str, JsonValue]):
    """A JSON object in which some key came more than once with different values;
    the first value is kept and ``repeated`` lists every distinct one, in order.

    A record holding such an object deeper inside one of its values is one too, with
    ``nested`` naming those keys (check_places): its result is an error, and its
    answers are still screened."""

    repeated: dict[str, list[JsonValue]]
    nested: tuple[str, ...] = ()


def same_json(one: JsonValue, other: JsonValue) -> bool:
    """Equal as JSON values (``true`` is not ``1``, as Python's == would say)."""
    if type(one) is type(other) and isinstance(one, str | int | float | bool | None):
        return bool(one == other)
    return json.dumps(one, sort_keys=True) == json.dumps(other, sort_keys=True)


def reads_yes(value: JsonValue) -> bool:
    """A yes however it is written (answers.written_yes)."""
    return written_yes(value)


def _reads_no(value: JsonValue) -> bool:
    return written_no(value)


MAX_VALUES_SHOWN = 8  # of one key's different answers, in its warning


def answer_key(value: JsonValue) -> str:
    """What ``value`` answers, as a string two values share exactly when they are the
    same answer: equal JSON (``true`` is not ``1``), or a yes (or a no) written two
    ways ("yes" and "YES", ``true`` and "yes"). Read as different, those made a
    definite yes to an emergency sign "not sure", one level lower (attack round 5,
    P16). A string, so a set of them finds a repeat in one lookup."""
    if reads_yes(value):
        return "yes"
    if _reads_no(value):
        return "no"
    if isinstance(value, str):
        return "s" + value
    # true is not 1 and 1 is not 1.0 in a record's reading, as same_json says.
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True)}"


def keeping_repeats(
    found: list[RepeatedKeys],
) -> Callable[[list[tuple[str, JsonValue]]], JsonObject]:
    """A json ``object_pairs_hook`` that keeps repeated keys (listed in ``found``)."""

    def hook(pairs: list[tuple[str, JsonValue]]) -> JsonObject:
        if len(pairs) == 1 and pairs[0][0] in TYPE_TAGS:
            plain = untyped(pairs)  # {"S": "yes"}: a database's typed value
            if plain is not NOT_TYPED:
                return plain  # type: ignore[return-value]
        result: JsonObject = dict(pairs)  # in C; the keys keep their first place
        if len(result) == len(pairs):
            return result  # no key came twice (nearly every object)
        result = {}
        repeated: dict[str, list[JsonValue]] = {}
        # Each key's answers so far, compared by their reading in one set lookup: a
        # key given 30,000 different values was 30,000 squared comparisons (attack
        # round 6, Q15: minutes of CPU per request, past the 503).
        heard: dict[str, set[str]] = {}
        for key, value in pairs:
            if key not in result:
                result[key] = value
                continue
            known = heard.setdefault(key, {answer_key(result[key])})
            reading = answer_key(value)
            if reading in known:
                continue
            known.add(reading)
            values = repeated.setdefault(key, [result[key]])
            if len(values) < MAX_VALUES_SHOWN:
                values.append(value)
        if not repeated:
            return result
        kept = RepeatedKeys(result)
        kept.repeated = repeated
        found.append(kept)
        return kept

    return hook


def check_places(data: JsonValue, found: list[RepeatedKeys]) -> JsonValue:
    """``data`` with each record that holds a key repeated deeper than the record or
    its answers (inside a value, where no answer is read) marked in ``nested``.

    Such a repeat used to fail the whole record's parsing, so an emergency among its
    answers went unscreened (attack round 7, R7): the first value is kept, and the
    record is an error that still refers."""
    records = data if isinstance(data, list) else [data]
    allowed = {id(record) for record in records if isinstance(record, dict)}
    for record in records:
        if isinstance(record, dict):
            for answers in [record.get("answers"), *_repeated(record).get("answers", [])]:
                allowed.add(id(answers))
    deeper = {id(obj): obj for obj in found if id(obj) not in allowed}
    if not deeper:
        return data
    marked = [_marked(record, deeper) for record in records]
    return marked if isinstance(data, list) else marked[0]


def _marked(record: JsonValue, deeper: dict[int, RepeatedKeys]) -> JsonValue:
    """``record`` as a RepeatedKeys naming the keys repeated inside its values."""
    if not isinstance(record, dict):
        return record
    keys: list[str] = []
    stack: list[JsonValue] = list(record.values())
    while stack:  # iterative: a value nested thousands deep is no recursion
        value = stack.pop()
        if isinstance(value, dict):
            if id(value) in deeper:
                keys += [k for k in deeper[id(value)].repeated if k not in keys]
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    if not keys:
        return record
    marked = RepeatedKeys(record)
    marked.repeated = _repeated(record)
    marked.nested = tuple(keys)
    return marked


def _repeated(obj: object) -> dict[str, list[JsonValue]]:
    return obj.repeated if isinstance(obj, RepeatedKeys) else {}


RECORD_KEYS_READ_ONCE = ("id", "measured", "not_measured")


def read_once(
    data: JsonObject, line: int | None, rb: RuleBase | None = None
) -> tuple[JsonObject, list[AnswerProblem], list[AnswerProblem], frozenset[str]]:
    """The record with every repeated key read one way: (record, errors, warnings, and
    the keys read as not sure though one of their values was a yes, which a
    self-check must never settle: the lifter said yes). ``rb``: the rule base the
    record is read for, whose comparisons tell numbers given twice apart (without it,
    only equal numbers are one reading)."""
    top = _repeated(data)
    if not top and not _repeated(data.get("answers")):
        return data, [], [], frozenset()
    where = f" on line {line}" if line is not None else ""
    record = dict(data)
    errors: list[AnswerProblem] = []
    warnings: list[AnswerProblem] = []
    said_yes: set[str] = set()
    for key, values in top.items():
        if key in RECORD_KEYS_READ_ONCE:
            errors.append(
                AnswerProblem(
                    key=key,
                    message=f"{key}: given {len(values)} times with different values{where}",
                    value=", ".join(show_value(v) for v in values),
                    expected=f"'{key}' once",
                )
            )
        elif key != "answers":
            record[key] = None  # a stray field: a safety key there reads as not sure
            warnings.append(_not_sure(key, values, where))
            if any(reads_yes(v) for v in values):
                said_yes.add(key)
    answers, conflicts = _merged(top.get("answers") or [data.get("answers")])
    if isinstance(answers, dict):
        for key, values in conflicts.items():
            alike = _numbers_read_alike(key, values, rb)
            if alike is not None:
                # Numbers given twice that no test of the rule base tells apart: one
                # reading. Read as not sure, 72 and 75, or 75 and "75", lowered the
                # fracture-risk sign from urgent to clinician (check 32, A-H2); 40 and
                # 75 stay not sure (the highest alone would lose a flag "under 45").
                answers[key] = alike
                warnings.append(_one_reading(key, values, alike, where))
                continue
            answers[key] = None  # not sure: never a "no" on the safety screen
            warnings.append(_not_sure(key, values, where))
            if any(reads_yes(v) for v in values):
                said_yes.add(key)
        record["answers"] = answers
    else:
        errors.append(
            AnswerProblem(
                key="answers",
                message=f"answers: given {len(top['answers'])} times, not all objects{where}",
                expected="one object of question id -> answer",
            )
        )
    return record, errors, warnings, frozenset(said_yes)


def _merged(objects: list[JsonValue]) -> tuple[JsonValue, dict[str, list[JsonValue]]]:
    """One answers object from one or several (a repeated 'answers'), and the keys
    given different values, with those values."""
    dicts = [obj for obj in objects if isinstance(obj, dict)]
    if len(dicts) != len(objects):
        return (objects[0] if len(objects) == 1 else None), {}
    merged: JsonObject = {}
    conflicts: dict[str, list[JsonValue]] = {}
    heard: dict[str, set[str]] = {}  # each key's readings so far (see keeping_repeats)

    def note(key: str, value: JsonValue) -> None:
        known = heard.setdefault(key, set())
        reading = answer_key(value)
        if reading in known:
            return
        known.add(reading)
        values = conflicts.setdefault(key, [])
        if len(values) < MAX_VALUES_SHOWN:
            values.append(value)

    for obj in dicts:
        for key, values in _repeated(obj).items():
            for value in values:
                note(key, value)
        for key, value in obj.items():
            if key not in merged:
                merged[key] = value
            note(key, value)
    # A key is in conflict when it was given two readings or more.
    conflicts = {key: values for key, values in conflicts.items() if len(heard[key]) > 1}
    return merged, conflicts


def _numbers_read_alike(
    key: str, values: list[JsonValue], rb: RuleBase | None
) -> int | float | None:
    """One number for numbers given for one number question (or text that is plainly
    one, "75"), or None. Equal numbers are that number; different ones are one reading
    only when every comparison of ``rb`` (the rule base in use, a coach's tests
    included: check 34, A-H1) reads them alike (knowledge.thresholds), and then the
    highest the question accepts is kept. None for any other value among them, for
    numbers a test tells apart, and for more values than are kept (one not kept may
    differ)."""
    if len(values) >= MAX_VALUES_SHOWN:
        return None
    numbers: list[int | float] = []
    for value in values:
        number = plain_number(value)
        if number is None:
            return None
        numbers.append(number)
    if all(number == numbers[0] for number in numbers):
        return numbers[0]
    question = None if rb is None else rb.questions.get(key)
    if rb is None or question is None or question.type is not QuestionType.NUMBER:
        return None
    from ..knowledge.thresholds import read_alike  # only for numbers given twice

    if not read_alike(rb, key, [float(n) for n in numbers]):
        return None
    low = -math.inf if question.minimum is None else question.minimum
    high = math.inf if question.maximum is None else question.maximum
    accepted = [n for n in numbers if low <= n <= high]  # 70 and 150: 70, not an error
    return max(accepted or numbers)


def _one_reading(key: str, values: list[JsonValue], kept: int | float, where: str) -> AnswerProblem:
    return AnswerProblem(
        key=key,
        message=f"{key}: answered {len(values)} ways{where} "
        f"({', '.join(show_value(v) for v in values)}); read as {show_value(kept)}: no "
        "question of the screen or the causes tells them apart",
        value=show_value(values[-1]),
        expected=f"'{key}' once",
    )


def _not_sure(key: str, values: list[JsonValue], where: str) -> AnswerProblem:
    return AnswerProblem(
        key=key,
        message=f"{key}: answered {len(values)}{'+' if len(values) >= MAX_VALUES_SHOWN else ''} "
        f"ways{where} "
        f"({', '.join(show_value(v) for v in values)}); read as not sure, which the "
        "safety screen never takes for a no",
        value=show_value(values[-1]),
        expected=f"'{key}' once",
    )
