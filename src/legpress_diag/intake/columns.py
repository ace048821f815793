"""A coach's column map: which of a form's columns answers which question.

A form exported as JSON or CSV names its columns in its own words ("Any numbness
around the groin?", "Age"). The free-form readers of answers.py can only ever doubt a
sign under such a key, never read it as answered, so a clear client of an unmapped
form is "unscreened" or referred "not sure". A column map says it exactly:

    {"Any numbness around the groin?": "saddle_numbness",
     "Age": "age_years",
     "Name": "id",
     "When does it hurt most?": {"question": "pain_timing",
                                 "values": {"At the bottom of the rep": "bottom_of_rep"}},
     "Timestamp": null}

A column mapped to a question id is read as that question's own key (its "no" is a
clear no); with "values", the form's own answers are first read as the question's
("At the bottom of the rep" as bottom_of_rep, "Sometimes" as unsure), each item of a
list or of a comma-separated cell alike. "id" names the column that holds the
record's id (a client's name). A column mapped to null is not an answer, so it
gives no unknown-key warning, but its text is still read for warning signs (a note
that mentions one makes it "not sure", and then it is named). Names match exactly,
or failing that with case and surrounding spaces ignored. The map is checked whole
before any record is read: a broken file, an unknown question id or answer, or a
column given twice is an error that names the file, line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..foundation.jsonvalue import JsonValue
from ..foundation.problems import LegpressError, closest, did_you_mean
from ..foundation.values import FieldsValue
from ..knowledge.facts import RawAnswers
from ..knowledge.rulebase import Question, QuestionType, RuleBase
from ..reasoning.answers import AnswerProblem, show_value
from .answers import (
    careful_answer,
    is_unsure,
    said_nothing,
    says_no,
    written_no,
    written_yes,
)

MAX_MAP_BYTES = 1 << 20  # a map of a few hundred columns is a few KB


class ColumnMapError(LegpressError):
    """A column map that cannot be used, with where and why."""


@dataclass(frozen=True, repr=False, eq=False)
class ColumnMap(FieldsValue):
    """Columns to question ids, and columns that are no answers (null)."""

    questions: Mapping[str, str]
    not_answers: frozenset[str]
    source: str = ""
    # question id -> the form's answers (loose: stripped, case folded) -> the question's
    values: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    # columns that hold the record's id ("Name": "id")
    id_columns: frozenset[str] = frozenset()
    given: tuple[str, ...] = ()  # the columns as the map writes them, in order
    # Columns whose name names or mentions a safety sign other than what they map to:
    # read under their own name too (mapped_answers)
    also_read: frozenset[str] = frozenset()
    # ... and what the map says of each, once, on standard error (the CLI)
    doubts: tuple[str, ...] = ()
    # Columns whose name names their target and other signs ("Both legs numb?" mapped
    # to leg_pain_below_knee): read as mapped, and under their name too unless their
    # answer is a plain no (a "Yes" there doubts both legs; a "No" clears its target)
    read_unless_no: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()  # mapped questions that take a list (multi)
    given_at: Mapping[str, str] = field(default_factory=dict)  # column -> "LINE:COL"
    # mapped choice questions: their choices, loose -> as the question spells them
    choices: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)

    def target(self, column: str) -> tuple[bool, str | None]:
        """(mapped at all, the question id, ID_TARGET, or None for "not an answer")."""
        for name in (column, _loose(column)):
            if name in self.questions:
                return True, self.questions[name]
            if name in self.id_columns:
                return True, ID_TARGET
            if name in self.not_answers:
                return True, None
        return False, None

    def check_sheet(
        self, header: list[str], cells: Mapping[str, set[str]], sheet: str
    ) -> tuple[list[str], list[str]]:
        """(errors, warnings) of this map against a sheet's header and the distinct
        texts of its cells (csvinput's ``cells``): a mapped column the sheet lacks is
        an error (its question would be silently unanswered in every row); one mapped
        to null, a warning; an answer of a map's "values" the sheet never has, beside
        one it has that is close, a warning (a misspelt "Yess" is never used), or an
        error when the sheet's answer is no choice of the question."""
        names = {_loose(name): name for name in header}
        errors, warnings = [], []
        for column in self.given:
            if _loose(column) in names:
                continue
            where = f"{self.source}:{self.given_at.get(column, '1:1')}"
            hint = did_you_mean(column, header)
            said = (
                f"{where}: {column!r} matches no column of {sheet}"
                + (f"; {hint}" if hint else "")
                + " (names are matched with case and surrounding spaces ignored)"
            )
            if self.target(column) == (True, None):
                warnings.append(f"warning: {said}")
            else:
                errors.append(f"{said}; correct it, or remove it from the map")
        for column in self.given:
            qid = self.target(column)[1]
            if qid is None or qid not in self.values or _loose(column) not in names:
                continue
            texts = cells.get(names[_loose(column)], set())
            seen = {_loose(t) for t in texts} | {
                _loose(part) for t in texts for part in _ITEMS.split(t) if part.strip()
            }
            unread = sorted(t for t in seen if t not in self.values[qid])
            for said in self.values[qid]:
                if said in seen:
                    continue
                close = closest(said, unread)
                if close is None:
                    continue
                where = f"{self.source}:{self.given_at.get(column, '1:1')}"
                choices = self.choices.get(qid)
                if choices is not None and close not in choices:
                    # the sheet's answer is then no choice of the question: every row
                    # that gave it would be an error (a coach's run: 8 of 15, check 60)
                    errors.append(
                        f"{where}: the answer {said!r} of {column!r} is in no row of "
                        f"{sheet}, which has {close!r}, not a choice of '{qid}'; correct "
                        "the map's answer"
                    )
                else:
                    warnings.append(
                        f"warning: {where}: the answer {said!r} of {column!r} is in no row "
                        f"of {sheet}; did you mean {close!r}? (that answer is read as "
                        "written, not by the map)"
                    )
        return errors, warnings

    def answer(self, qid: str, value: JsonValue) -> JsonValue:
        """A form's answer as the question's, by the map's "values" (items of a list
        or of a comma-separated cell each), else by the question's own choices in any
        case; one answer of a list question as a list of one. An answer that is none
        of these is left as it is, for the question to read (or refuse)."""
        said = {**self.choices.get(qid, {}), **self.values.get(qid, {})}
        if not said:
            return value
        if isinstance(value, list):
            return [self.answer(qid, item) for item in value]
        if not isinstance(value, str):
            return value
        found = said.get(_loose(value))
        if found is not None:
            # the map's own answers are no reading to warn about: "Lower back" as
            # lower_back was said to be "read as a list", "Sometimes" as sometimes
            # "read as" itself, on every row (a coach, check 60)
            return [found] if qid in self.lists and not isinstance(found, list) else found
        parts = [part for part in _ITEMS.split(value) if part.strip()]
        # (a list question's cell only: "Yes, a bit" under a yes/no question is one
        # answer, read as the question reads it; split, it was an error, check 59)
        if qid in self.lists and len(parts) > 1 and any(_loose(part) in said for part in parts):
            return [said.get(_loose(part), part.strip()) for part in parts]
        return value


def _two_columns(key: str, qid: str, value: JsonValue) -> AnswerProblem:
    return AnswerProblem(
        key,
        f"{key}: '{qid}' is answered by another column too; a yes in either is a yes, and "
        "two answers that differ are 'not sure'",
        show_value(value),
        f"one column for '{qid}'",
    )


ID_TARGET = "id"  # a column that holds the record's id
_ITEMS = re.compile(r"[,;]")


def _loose(column: str) -> str:
    return column.strip().casefold()


def load_column_map(path: str | Path, rb: RuleBase) -> ColumnMap:
    """The map in ``path`` (a JSON object), checked against ``rb``'s questions.
    Raises ColumnMapError."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MAP_BYTES + 1)
    except OSError as exc:
        raise ColumnMapError(f"{name}: cannot read the column map: {exc.strerror or exc}") from exc
    if len(data) > MAX_MAP_BYTES:
        raise ColumnMapError(f"{name}: a column map is at most {MAX_MAP_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ColumnMapError(f"{name}: not UTF-8 text (byte {exc.start + 1})") from exc
    return parse_column_map(text, rb, name)


def column_map(mapping: Mapping[str, str | None], rb: RuleBase) -> ColumnMap:
    """A map given as a mapping (the Python API), checked as a file is."""
    return parse_column_map(json.dumps(dict(mapping), indent=1), rb, "columns")


def parse_column_map(text: str, rb: RuleBase, name: str = "<columns>") -> ColumnMap:
    """The map a JSON text gives (see load_column_map)."""
    try:
        pairs = json.loads(text, object_pairs_hook=_Pairs)
    except json.JSONDecodeError as exc:
        before = text[: exc.pos].rstrip()
        if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
            # the commonest slip: a comma after the last entry
            at = len(before) - 1
            raise ColumnMapError(
                f"{name}:{_line_col(text, at)}: not JSON: a comma after the last entry "
                "(JSON allows none before the closing brace)"
            ) from exc
        raise ColumnMapError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise ColumnMapError(f"{name}: nested too deeply to be a column map") from exc
    if not isinstance(pairs, _Pairs):
        raise ColumnMapError(
            f'{name}: a column map is a JSON object, {{"Form column": "question_id", ...}}'
        )
    questions: dict[str, str] = {}
    not_answers: set[str] = set()
    id_columns: set[str] = set()
    values: dict[str, dict[str, JsonValue]] = {}
    seen: dict[str, str] = {}
    found_at: dict[str, int] = {}  # where each name was last found in the text
    for column, target in pairs:
        at = _position(text, column, found_at.get(column, -1) + 1)
        found_at[column] = at
        where = f"{name}:{_line_col(text, at)}"
        if not column.strip():
            raise ColumnMapError(f"{where}: an empty column name")
        loose = _loose(column)
        if loose in seen:
            raise ColumnMapError(
                f"{where}: {column!r} is given twice (as {seen[loose]!r} before; names are "
                "matched with case and surrounding spaces ignored)"
            )
        seen[loose] = column
        if target is None:
            not_answers |= {column, loose}
            continue
        if target == ID_TARGET and ID_TARGET not in rb.questions:
            id_columns |= {column, loose}
            continue
        answers: _Pairs | None = None
        if isinstance(target, _Pairs):
            target, answers = _question_and_values(target, column, where)
        if not isinstance(target, str):
            raise ColumnMapError(
                f"{where}: {column!r} maps to {show_value(_plain(target))}; expected a question "
                'id (a string), {"question": ID, "values": {...}}, "id", or null for a column '
                "that is no answer"
            )
        if target not in rb.questions:
            hint = did_you_mean(target, list(rb.questions))
            raise ColumnMapError(
                f"{where}: {column!r} maps to {target!r}, which is no question of the rule "
                "base" + (f"; {hint}" if hint else " (see `legpress-diag rules show`)")
            )
        questions[column] = target
        questions.setdefault(loose, target)
        if answers is not None:
            read = values.setdefault(target, {})
            for said, meant in answers:
                read[_loose(said)] = _checked_answer(
                    rb.questions[target],
                    column,
                    said,
                    meant,
                    where,
                    safety=target in rb.safety_questions(),
                )
    given = tuple(column for column, _ in pairs)
    as_ids = {column: ID_TARGET for column in given if column in id_columns}
    also_read, unless_no, doubts = _signs_elsewhere(rb, {**questions, **as_ids}, given, name, text)
    return ColumnMap(
        questions,
        frozenset(not_answers),
        name,
        values,
        frozenset(id_columns),
        given,
        frozenset(also_read),
        tuple(doubts),
        frozenset(unless_no),
        frozenset(q for q in questions.values() if rb.questions[q].type is QuestionType.MULTI),
        {column: _line_col(text, at) for column, at in found_at.items()},
        {
            qid: {_loose(choice): choice for choice in rb.questions[qid].choice_values}
            for qid in set(questions.values())
            if rb.questions[qid].type in (QuestionType.CHOICE, QuestionType.MULTI)
        },
    )


def _signs_elsewhere(
    rb: RuleBase, questions: Mapping[str, str], given: tuple[str, ...], name: str, text: str
) -> tuple[set[str], set[str], list[str]]:
    """The mapped columns whose names name or mention safety signs they are not mapped
    to ("Numb groin?": "morning_stiffness", or "id"), those that name their target and
    other signs, and a warning for each: a slip in a map must never hide a sign, so
    such a column is read under its own name too (the second kind unless its answer
    is a plain no)."""
    from ..knowledge.index import safety_named_in_short
    from ..knowledge.related import mentioned, words_in

    also: set[str] = set()
    unless_no: set[str] = set()
    said: list[str] = []
    for column in given:
        target = questions.get(column)
        if target is None:
            continue
        together = safety_named_in_short(rb, column)
        signs = set(together.every) | set(mentioned(rb.index.related, words_in(column)))
        others = signs - {target}
        if together.asks_if_normal or not others:
            continue
        where = f"warning: {name}:{_line_col(text, _position(text, column, 0))}: {column!r}"
        if target in signs:
            # Its own sign among others ("Both legs numb?" mapped to leg pain): read as
            # mapped, so that its "no" stays a clear no (read under its heading too,
            # every clear client of a correct map was referred: a new user, check 59);
            # the others are said, and doubted by any answer but a plain no (read
            # as mapped alone, "Both legs numb?": "Yes" was only the leg pain's
            # clinician level: attack round 60)
            unless_no.add(column)
            said.append(
                f"{where} also names {', '.join(sorted(others))}: any answer there but a "
                "plain no makes them 'not sure'; map a column of the form to each"
            )
            continue
        also.add(column)
        said.append(
            f"{where} names {', '.join(sorted(signs))} but is mapped to '{target}'; it is "
            "read under its own name too, so its answer may make that sign 'not sure'"
        )
    return also, unless_no, said


def _question_and_values(target: _Pairs, column: str, where: str) -> tuple[JsonValue, _Pairs]:
    """The question and the answers of {"question": ID, "values": {...}}."""
    fields = dict(target)
    unknown = set(fields) - {"question", "values"}
    if unknown or "question" not in fields:
        raise ColumnMapError(
            f'{where}: {column!r} maps to an object; expected {{"question": ID, "values": '
            '{"form answer": "answer", ...}}'
            + (f" (unknown: {sorted(unknown)})" if unknown else "")
        )
    answers = fields.get("values", _Pairs())
    if not isinstance(answers, _Pairs):
        raise ColumnMapError(
            f'{where}: "values" of {column!r} is {show_value(_plain(answers))}; expected an '
            'object {"form answer": "answer", ...}'
        )
    return fields["question"], answers


def _checked_answer(
    question: Question, column: str, said: str, meant: JsonValue, where: str, *, safety: bool
) -> JsonValue:
    """``meant`` if it is an answer ``question`` takes (one item, for a list), and not
    a no for a ``safety`` question's "not sure" or yes."""
    kind = question.type
    if kind is QuestionType.YES_NO:
        ok = meant in ("yes", "no", "unsure")
    elif kind in (QuestionType.CHOICE, QuestionType.MULTI):
        ok = meant == "unsure" or meant in question.choice_values
    else:
        ok = meant == "unsure" or (
            isinstance(meant, int | float)
            and not isinstance(meant, bool)
            and (question.minimum is None or meant >= question.minimum)
            and (question.maximum is None or meant <= question.maximum)
        )
    if not ok:
        raise ColumnMapError(
            f"{where}: {column!r} reads {said!r} as {show_value(_plain(meant))}, which "
            f"'{question.id}' does not take; expected {question.expected()}"
        )
    if safety and meant == "no" and not _plain_no(said):
        # A map cannot hide a sign: "Sometimes" or "Not sure" read as a no gave a
        # clear screen (attack round 60)
        raise ColumnMapError(
            f'{where}: {column!r} reads {said!r} as "no" for the safety question '
            f"'{question.id}'; an answer that is not sure, or says the sign is there "
            'at all, is never a no on the screen (read it as "unsure" or "yes"; only a plain '
            'no such as "No", "Never", "Not at all" or "None of these" may be read as "no")'
        )
    return meant


# The words a form's answer may say a plain no in ("No", "Never", "Not at all", "None
# of these", "Nope", "N/A"): only such an answer may a map read as a safety
# question's "no". A word list of what may not ("Sometimes", "A little") let "Numb",
# "Left side" and "Both" through as a no: ok with advice (attack round 62).
_NO_WORDS = frozenset(
    "no never not at all none of these the above nope nah nothing n false zero 0 i dont "
    "do have havent na applicable nil never had".split()
)
_SAYS_NO = frozenset({"no", "never", "not", "none", "nope", "nah", "nothing", "n", "false"})
_SAYS_NO |= {"zero", "0", "dont", "havent", "na", "nil"}


def _plain_no(said: str) -> bool:
    """Whether a form's answer is a plain no and nothing more."""
    words = re.findall(r"[a-z0-9]+", said.casefold().replace("'", ""))
    return (
        written_no(said)
        or says_no(said)
        or (bool(words) and set(words) <= _NO_WORDS and not _SAYS_NO.isdisjoint(words))
    ) and not (is_unsure(said) or written_yes(said))


class _Pairs(list[tuple[str, JsonValue]]):
    """An object's (key, value) pairs in order, its keys given twice kept (a dict
    would keep the last and hide the first)."""


def _plain(value: object) -> JsonValue:
    """A parsed value with its objects as dicts again (for a message)."""
    if isinstance(value, _Pairs):
        return {key: _plain(item) for key, item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value  # type: ignore[return-value]


def _position(text: str, column: str, start: int) -> int:
    """Where a column's name stands in the map's text, from ``start`` (its second
    time after its first), or -1 (written with escapes the search does not undo)."""
    at = text.find(json.dumps(column, ensure_ascii=False), start)
    return at if at >= 0 else text.find(json.dumps(column), start)


def _line_col(text: str, at: int) -> str:
    """A position in the map's text as LINE:COL (1:1 when unknown)."""
    if at < 0:
        return "1:1"
    line = text.count("\n", 0, at) + 1
    return f"{line}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def mapped_answers(
    answers: RawAnswers, columns: ColumnMap
) -> tuple[dict[str, JsonValue], frozenset[str], list[AnswerProblem], JsonValue]:
    """``answers`` with mapped columns under their question ids (their answers read
    by the map's "values"); the columns that are no answers (kept, so that their
    text is still read for warning signs); a warning for each question two columns
    answer (read as their careful answer, as a key given twice is); and the record's
    id from an "id" column, or None."""
    read: dict[str, JsonValue] = {}
    quiet: set[str] = set()
    notes: list[AnswerProblem] = []
    record_id: JsonValue = None
    mapped_to: set[str] = set()  # questions a mapped column answered
    for key, value in answers.items():
        mapped, qid = columns.target(key) if isinstance(key, str) else (False, None)
        if qid is not None and qid != ID_TARGET:
            value = columns.answer(qid, value)
        if not mapped and isinstance(key, str) and key in mapped_to:
            # A column named with the question's own id after a column mapped to it:
            # the careful answer of the two, never the later one alone (a yes under
            # the mapped column was replaced by a "no": check 58, H5)
            read[key] = careful_answer([read[key], value])
            notes.append(_two_columns(key, key, value))
        elif not mapped:
            read[key] = value
        elif qid == ID_TARGET:
            if record_id is None and isinstance(value, str | int) and str(value).strip():
                record_id = value.strip() if isinstance(value, str) else value
                # kept as a column that is no answer: a note mapped as the id by a
                # slip was never read for warning signs (attack round 60)
                read[key] = value
                quiet.add(key)
            else:
                read[key] = value  # a second id column, or an empty one: an answer key
        elif qid is None:
            read[key] = value
            quiet.add(key)
        elif qid in read and key != qid:
            # Two columns (or a column and the id) for one question: the careful
            # answer of the two (a yes stays a yes; two that differ are "not sure")
            read[qid] = careful_answer([read[qid], value])
            notes.append(_two_columns(key, qid, value))
        else:
            read[qid] = value
            mapped_to.add(qid)
        if (
            mapped
            and isinstance(key, str)
            and key in columns.read_unless_no
            and not (written_no(value) or said_nothing(value))
        ):
            read.setdefault(key, value)
            quiet.add(key)
        if mapped and isinstance(key, str) and key in columns.also_read:
            # a column that names a sign the map gives to another question: read as
            # its name too, so that a slip in the map never hides the sign (H6)
            read.setdefault(key, value)
    return read, frozenset(quiet), notes, record_id
