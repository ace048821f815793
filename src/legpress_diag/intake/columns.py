"""A coach's column map: which of a form's columns answers which question.

A form exported as JSON or CSV names its columns in its own words ("Any numbness
around the groin?", "Age"). The free-form readers of answers.py can only ever doubt a
sign under such a key, never read it as answered, so a clear client of an unmapped
form is "unscreened" or referred "not sure". A column map says it exactly:

    {"Any numbness around the groin?": "saddle_numbness",
     "Age": "age_years",
     "Timestamp": null}

A column mapped to a question id is read as that question's own key (its "no" is a
clear no); a column mapped to null is not an answer, so it gives no unknown-key
warning, but its text is still read for warning signs (a note that mentions one
makes it "not sure", and then it is named). Names match exactly, or failing that
with case and surrounding spaces ignored. The map is checked whole before any record
is read: a broken file, an unknown question id or a column given twice is an error
that names the file, line and column.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..foundation.jsonvalue import JsonValue
from ..foundation.problems import LegpressError, did_you_mean
from ..foundation.values import FieldsValue
from ..knowledge.facts import RawAnswers
from ..knowledge.rulebase import RuleBase
from ..reasoning.answers import AnswerProblem, show_value
from .answers import careful_answer

MAX_MAP_BYTES = 1 << 20  # a map of a few hundred columns is a few KB


class ColumnMapError(LegpressError):
    """A column map that cannot be used, with where and why."""


@dataclass(frozen=True, repr=False, eq=False)
class ColumnMap(FieldsValue):
    """Columns to question ids, and columns that are no answers (null)."""

    questions: Mapping[str, str]
    not_answers: frozenset[str]
    source: str = ""

    def target(self, column: str) -> tuple[bool, str | None]:
        """(mapped at all, the question id or None for "not an answer")."""
        for name in (column, _loose(column)):
            if name in self.questions:
                return True, self.questions[name]
            if name in self.not_answers:
                return True, None
        return False, None


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
        raise ColumnMapError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise ColumnMapError(f"{name}: nested too deeply to be a column map") from exc
    if not isinstance(pairs, _Pairs):
        raise ColumnMapError(
            f'{name}: a column map is a JSON object, {{"Form column": "question_id", ...}}'
        )
    questions: dict[str, str] = {}
    not_answers: set[str] = set()
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
        if not isinstance(target, str):
            raise ColumnMapError(
                f"{where}: {column!r} maps to {show_value(_plain(target))}; expected a question id "
                "(a string) or null for a column that is no answer"
            )
        if target not in rb.questions:
            hint = did_you_mean(target, list(rb.questions))
            raise ColumnMapError(
                f"{where}: {column!r} maps to {target!r}, which is no question of the rule "
                "base" + (f"; {hint}" if hint else " (see `legpress-diag rules show`)")
            )
        questions[column] = target
        questions.setdefault(loose, target)
    return ColumnMap(questions, frozenset(not_answers), name)


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
) -> tuple[dict[str, JsonValue], frozenset[str], list[AnswerProblem]]:
    """``answers`` with mapped columns under their question ids; the columns that are
    no answers (kept, so that their text is still read for warning signs); and a
    warning for each question two columns answer (read as their careful answer, as
    a key given twice is)."""
    read: dict[str, JsonValue] = {}
    quiet: set[str] = set()
    notes: list[AnswerProblem] = []
    for key, value in answers.items():
        mapped, qid = columns.target(key) if isinstance(key, str) else (False, None)
        if not mapped:
            read[key] = value
        elif qid is None:
            read[key] = value
            quiet.add(key)
        elif qid in read and key != qid:
            # Two columns (or a column and the id) for one question: the careful
            # answer of the two (a yes stays a yes; two that differ are "not sure")
            read[qid] = careful_answer([read[qid], value])
            notes.append(
                AnswerProblem(
                    key,
                    f"{key}: mapped to '{qid}', which another column answers too; a yes in "
                    "either is a yes, and two answers that differ are 'not sure'",
                    show_value(value),
                    f"one column for '{qid}'",
                )
            )
        else:
            read[qid] = value
    return read, frozenset(quiet), notes
