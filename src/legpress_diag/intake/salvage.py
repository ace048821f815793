"""What can still be read of a record that strict JSON refused, for the safety screen.

A record with a syntax slip stays an error result: nothing in it is diagnosed. But a
warning sign the lifter answered must not be lost to a slip elsewhere in the record,
so its answers are read here as leniently as they can be and screened (attack round
9, M2: one Latin-1 byte; round 10, M2: a trailing comma, a comment, single quotes, a
record cut short, UTF-16 without a byte-order mark, UTF-32).

Two readings are merged. First the record parsed as JSON once its encoding is found
and control characters are allowed in strings, which keeps its structure. Then a scan
of every ``key: value`` pair in it, whatever the quoting, commas, comments or nesting,
which reads what the parse cannot. A key found twice with different readings is "not
sure" (as ``repeated.read_once`` reads a repeated key), so the scan can only make the
screen more careful, never quieter.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..foundation.jsonvalue import JsonObject, JsonValue, is_number, json_in_text
from ..knowledge.index import fold_key
from .answers import (
    answers_in_object,
    careful_answer,
    eases_only_named,
    keeps_answers,
    names_a_question,
)
from .fields import MAX_NESTED_KEYS
from .repeated import answer_key, reads_yes

# The fields of a record that are not answers (records.RECORD_FIELDS, less 'answers',
# whose value is an object: the scan reads the pairs inside it).
_NOT_ANSWERS = frozenset({"id", "measured", "not_measured", "answers"})
# Bounds on the work a hostile record can ask for (the text itself is bounded by the
# line and document limits of records.py).
MAX_SALVAGED_KEYS = 1000

# JSON as people and other programs mistype it. A string may be quoted with ' or
# typographic quotes, and one cut short runs to the end of the text. Quantifiers are
# possessive and a bare key must start after a delimiter, so the regex engine skips
# what is no pair in C, in linear time (a first, token by token, scan took 20 s and
# 390 MB for 4 MiB of commas).
_STRING = (
    r"""(?: "(?:[^"\\]|\\.)*+"? | '(?:[^'\\]|\\.)*+'? | [“”„][^“”]*+[“”]? | [‘’][^‘’]*+[‘’]? )"""
)
_WORD = r"""(?: (?<![^\s{}\[\],:]) [^\s{}\[\]:,"'“”„‘’]++ )"""
_SCAN = re.compile(
    rf"""
      (?P<key> {_STRING} | {_WORD} ) \s*+ : \s*+
      (?P<value> {_STRING} | {_WORD} | \[ [^\[\]{{}}]*+ \]? )
    | {_STRING}
    | // [^\n]*+ | /\* (?: [^*] | \*(?!/) )*+ (?: \*/ )?
    """,
    re.VERBOSE | re.DOTALL,
)
_ITEM = re.compile(rf"{_STRING}|[^\s,\[\]\"'“”„‘’]++", re.VERBOSE | re.DOTALL)
_CLOSED_STRING = re.compile(
    r""""(?:[^"\\]|\\.)*" | '(?:[^'\\]|\\.)*' | [“”„][^“”]*[“”] | [‘’][^‘’]*[‘’]""",
    re.VERBOSE | re.DOTALL,
)
_WORDS: dict[str, JsonValue] = {
    "true": True,
    "false": False,
    "null": None,
    "none": None,  # Python's repr of a dict, pasted
}


def decoded(text: bytes) -> str:
    """The text in the encoding its first bytes show (a byte-order mark, or the NUL
    bytes of UTF-16 and UTF-32 without one, as JSON's own detection reads them), with
    bytes that do not decode replaced and NUL characters dropped: a line of a UTF-16
    JSON Lines file starts with the NUL that followed the previous line's LF."""
    encoding = json.detect_encoding(text)
    return text.decode(encoding, "replace").lstrip("\ufeff").replace("\x00", "")


_QUOTE = re.compile(r'(?<!\\)"')


@dataclass(frozen=True)
class Salvaged:
    """What a lenient reading finds in a refused record: its answers (question id or
    key as written -> value), the keys one of whose values was a yes (never to be
    settled by a self-check: the lifter said yes), and the id written in it."""

    answers: JsonObject
    said_yes: frozenset[str]
    record_id: str | int | None


def salvage(text: bytes) -> Salvaged:
    """A refused record read leniently: decoded once, its own keys found once."""
    source = decoded(text)
    keys = _record_keys(source)
    scanned, said_yes = _scanned_pairs(source, keys)
    if not scanned and len(_QUOTE.findall(source)) % 2:
        # Nothing read, and an odd number of quotes: the text may start inside a
        # string (the second half of a record split by an Enter typed in a note: a
        # new user's F1, its emergency unread). Read it so.
        shifted = '"' + source
        scanned, said_yes = _scanned_pairs(shifted, _record_keys(shifted))
    answers: JsonObject = dict(scanned)
    for key, value in _parsed_answers(source).items():
        if key not in answers or answer_key(answers[key]) == answer_key(value):
            answers[key] = value  # the parse keeps a list or an object the scan drops
        if reads_yes(value):
            said_yes.add(key)
    return Salvaged(answers, frozenset(said_yes), _record_id(source, keys))


def salvaged_answers(text: bytes) -> tuple[JsonObject, frozenset[str]]:
    """The answers and the keys said yes to of ``salvage``."""
    found = salvage(text)
    return found.answers, found.said_yes


# What a list of answers as objects calls the question and the answer.
# "heading" and "answers": SurveyMonkey's questions ({"id": "40001", "heading":
# "Saddle numbness?", "answers": [{"simple_text": "Yes"}]}).
_QUESTION_FIELDS = (
    "question",
    "question_id",
    "id",
    "key",
    "name",
    "field",
    "title",
    "label",
    "heading",
)
_ANSWER_FIELDS = ("answer", "value", "response", "answers", "display_value")


# A record's id as it is written in it: a short string or an integer.
_ID = re.compile(r'"id"\s*+:\s*+(?:"((?:[^"\\\n]|\\.){1,200})"|(-?\d{1,18})\b)')
_ID_VALUE = re.compile(
    r"""\s*+(?:"((?:[^"\\\n]|\\.){1,200})"|(-?\d{1,18})\b|'([^'\\\n]{1,200})'|[“”]([^“”\n]{1,200})[“”])"""
)


def _record_id(source: str, keys: dict[str, int] | None) -> str | int | None:
    """The id written in a refused record, so that its error result names the client,
    not only a line (a new user's F8: "4: Go to an emergency department now" was
    client c05): the record's own, never one nested deeper, which names somebody
    else (a new check, N5); without a record's structure, the first written."""
    if keys is None:
        found = _ID.search(source)
    else:
        found = _ID_VALUE.match(source, keys["id"]) if "id" in keys else None
    if found is None:
        return None
    if found.group(2) is not None:
        return int(found.group(2))
    if found.group(1) is None:  # in single or typographic quotes (a pasted Python dict)
        plain = found.group(3) or found.group(4)
        return plain if plain.strip() else None
    value = _value('"' + found.group(1) + '"')
    return value if isinstance(value, str) and value.strip() else None


def answers_in(value: str | list[JsonValue]) -> tuple[JsonObject, frozenset[str]]:
    """Answers in a value that stands where a record or its answers should: a string
    of JSON (a record encoded twice) is read as a refused record is; a list of
    ``{"question": ..., "answer": ...}`` objects as the answers it pairs."""
    if isinstance(value, str):
        found_in_text = salvaged_answers(value.encode("utf-8", "surrogatepass"))
        return found_in_text if found_in_text[0] else _assignments(value)
    ticked = _ticked_questions(value)
    if ticked is not None:
        return ticked, frozenset(ticked)
    found: JsonObject = {}
    for item in _flat_pairs(value) or _items_opened(value[:MAX_SALVAGED_KEYS]):
        if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str):
            key, answer = item  # [["saddle_numbness", "yes"], ...]: pairs as lists
        elif isinstance(item, dict) and (checked := _checklist_item(item)) is not None:
            key, answer = checked
        elif isinstance(item, dict):
            item = _fields_folded(item)
            # The name that names a question, else the first: Formstack's field number
            # beside its "label" was taken for the question (check 25, H5); also in an
            # object inside (monday.com's "column": {"title": ...}).
            names = [item[f] for f in _QUESTION_FIELDS if isinstance(item.get(f), str)]
            key = next((n for n in names if names_a_question(n)), None)
            if key is None and not isinstance(item.get("field"), dict):
                key = _name_inside(item)  # (a form tool's "field" is read below)
            if key is None and names:
                key = names[0]
            answered = [f for f in _ANSWER_FIELDS if f in item]
            answer = _options_named(item, item[answered[0]]) if answered else None
            if key is None and isinstance(item.get("field"), dict):
                key, answer = _form_answer(item)
            elif not answered:
                # A question with no answer field is no question/answer pair: a form's
                # definition (Typeform's "definition": {"fields": [...]}) listed every
                # question as "not sure" once titles were read (check 26, H2).
                continue
        else:
            continue
        if isinstance(key, str):
            # Given twice with different readings: not sure, as in a record.
            same = key not in found or answer_key(found[key]) == answer_key(answer)
            found[key] = answer if same else "unsure"
    return found, frozenset(key for key, answer in found.items() if reads_yes(answer))


# The longest string read as a form's fields stored as JSON text (a database column).
MAX_FIELDS_TEXT = 1 << 20


def numbered_fields(value: JsonValue) -> list[JsonValue] | None:
    """The items of an object of a form's fields keyed by their numbers, each naming
    its question beside its answer (WPForms' "fields": {"3": {"name": "Saddle
    numbness", "value": "Yes"}}, Alchemer's "survey_data": {"3": {"question": ...,
    "answer": ...}}), under any name; None for anything else. Left as a field, the
    record was an error with no warning sign read, which looked screened (check 28).
    Such an object stored as JSON text (WPForms' database column, as phpMyAdmin
    exports it) is read as that object."""
    if isinstance(value, str):
        value = json_in_text(value, MAX_FIELDS_TEXT)
    if not isinstance(value, dict) or not value:
        return None
    keys = list(value)[:MAX_NESTED_KEYS]
    if any(names_a_question(str(key)) for key in keys):
        return None  # answers boxed in objects under their own names
    items = [value[key] for key in keys]
    if not all(isinstance(item, dict) for item in items):
        return None
    found, _ = answers_in(items)
    return items if any(names_a_question(key) for key in found) else None


def _fields_folded(item: JsonObject) -> JsonObject:
    """An item with its field names in one case and style ("Name", "Value": Mindbody's
    custom fields were no question/answer pairs, and a client's emergency was lost:
    check 29, U-H2); a name given twice keeps its first value."""
    if all(key.islower() for key in item):
        return item
    folded: JsonObject = {}
    for key, value in list(item.items())[:MAX_NESTED_KEYS]:
        folded.setdefault(fold_key(key) if isinstance(key, str) else key, value)
    return folded


def _name_inside(item: JsonObject) -> str | None:
    """A question's name in an object one level inside an item, or None."""
    for inner in list(item.values())[:MAX_NESTED_KEYS]:
        if isinstance(inner, dict):
            for field in _QUESTION_FIELDS:
                name = inner.get(field)
                if isinstance(name, str) and names_a_question(name):
                    return name
    return None


def _checklist_item(item: JsonObject) -> tuple[str, JsonValue] | None:
    """A checklist's item as (question, answer): its text names the question, ticked
    a yes and not ticked a no (Google Keep's {"text": "saddle_numbness", "isChecked":
    true}); a text "age_years: 34" gives its own answer. None for any other object.
    Read as nothing, a client's emergency was lost (check 28, U-H2)."""
    text = item.get("text")
    ticked = next(
        (item[n] for n in ("isChecked", "checked") if isinstance(item.get(n), bool)), None
    )
    if not isinstance(text, str) or ticked is None or any(f in item for f in _ANSWER_FIELDS):
        return None  # an item that gives its answer is read by it, ticked or not
    name, colon, given = text.partition(":")
    if colon and given.strip() and names_a_question(name.strip()):
        return name.strip(), given.strip()
    if eases_only_named(text.strip()):
        return None  # a tick never eases a flag ("Onset settling" ticked: check 30, A-R3)
    return text.strip(), "yes" if ticked else "no"


def _ticked_questions(items: list[JsonValue]) -> JsonObject | None:
    """A checklist's ticked items, each a question's name (["saddle_numbness",
    "bladder_bowel_change"]), as a yes to each; None for any other list. Read as one
    [key, value] pair, an emergency was "not sure" (check 27, M4)."""
    if not items or len(items) > MAX_SALVAGED_KEYS:
        return None
    if not all(isinstance(item, str) and names_a_question(item) for item in items):
        return None
    # A name in a list never eases a flag: "not asked: onset settling" (check 30, A-R2).
    return {item: "yes" for item in items if isinstance(item, str) and not eases_only_named(item)}


def _flat_pairs(items: list[JsonValue]) -> list[JsonValue] | None:
    """A dictionary written as one flat list of keys and values, as Swift's JSONEncoder
    writes a ``[Question: Answer]`` dictionary whose keys are an enum: ["age_years",
    41, "saddle_numbness", "yes"], as [key, value] pairs; None for any other list.
    Read as nothing, two emergencies were lost (check 26, U-H9)."""
    if len(items) < 2 or len(items) % 2 or len(items) > 2 * MAX_SALVAGED_KEYS:
        return None
    keys = items[0::2]
    if not all(isinstance(key, str) for key in keys):
        return None
    if not any(isinstance(key, str) and names_a_question(key) for key in keys):
        return None
    if any(isinstance(answer, dict) for answer in items[1::2]):
        return None  # question/answer objects, read as such
    return [[key, answer] for key, answer in zip(keys, items[1::2], strict=True)]


def _items_opened(items: list[JsonValue]) -> list[JsonValue]:
    """The items of a form's answer list, opened: a survey page's questions in its
    place (SurveyMonkey), and a grid item's rows each an item of its own (Google Forms'
    grid, as Apps Script gives it: {"title": "Safety screen", "rows":
    ["saddle_numbness", ...], "response": ["Yes", ...]}, one answer per row, in
    order). Read as one item, every sign in the grid was lost (check 26, U-H4)."""
    opened: list[JsonValue] = []
    for item in items:
        questions = item.get("questions") if isinstance(item, dict) else None
        if isinstance(questions, list):
            # A survey's page of questions (SurveyMonkey's "pages": [{"questions":
            # [...]}]): its questions, each a question/answer pair.
            opened += questions[:MAX_SALVAGED_KEYS]
            continue
        inner = item.get("subquestions") if isinstance(item, dict) else None
        if isinstance(inner, dict | list):
            # A table question's rows (Alchemer's "subquestions": {"8": {"question":
            # ..., "answer": ...}}): each a question/answer pair of its own; read as a
            # record, every response was filed under the table's id "7" and the age
            # was lost (check 29, A-H4).
            table = list(inner.values()) if isinstance(inner, dict) else inner
            opened += table[:MAX_SALVAGED_KEYS]
            continue
        rows = item.get("rows") if isinstance(item, dict) else None
        answered = [f for f in _ANSWER_FIELDS if isinstance(item, dict) and f in item]
        cells = item[answered[0]] if isinstance(item, dict) and answered else None
        if (
            isinstance(rows, list)
            and isinstance(cells, list)
            and len(rows) == len(cells)
            and all(isinstance(row, str) for row in rows)
        ):
            pairs = zip(rows, cells, strict=True)
            opened += [{"question": row, "answer": cell} for row, cell in pairs]
        else:
            opened.append(item)
    return opened[:MAX_SALVAGED_KEYS]


_OPTION_IDS = ("id", "key", "value")
_OPTION_TEXTS = ("text", "label", "name", "title")


def _options_named(item: JsonObject, answer: JsonValue) -> JsonValue:
    """An answer given as the ids of the options offered beside it, as the options'
    texts: Tally's {"value": ["o-yes"], "options": [{"id": "o-yes", "text": "Yes"}]}.
    Read as the ids, every answer was "not sure": emergencies were lowered to urgent
    and every clear client referred (check 26, A-H5, U-H8)."""
    if isinstance(answer, list) and (selected := _selected(answer)) is not None:
        return selected
    options = item.get("options")
    if not isinstance(options, list) or not isinstance(answer, str | list):
        return answer
    texts: dict[str, JsonValue] = {}
    for option in options[:MAX_SALVAGED_KEYS]:
        if isinstance(option, dict):
            ids = [option[f] for f in _OPTION_IDS if isinstance(option.get(f), str)]
            text = next((option[f] for f in _OPTION_TEXTS if isinstance(option.get(f), str)), None)
            if ids and text is not None:
                texts.setdefault(ids[0], text)
    chosen = answer if isinstance(answer, list) else [answer]
    if not texts or not all(isinstance(c, str) and c in texts for c in chosen):
        return answer
    named = [texts[c] for c in chosen if isinstance(c, str)]
    return named if isinstance(answer, list) else named[0]


def _selected(offered: list[JsonValue]) -> JsonValue | None:
    """The options a list marks chosen (Cliniko's [{"value": "Yes"}, {"value": "No",
    "selected": true}]): their values, one alone as itself, none chosen as None (an
    empty answer); None too for a list that marks nothing. Read whole, a yes and a no
    were "not sure" on every sign (check 29, U-H1)."""
    items = [item for item in offered[:MAX_SALVAGED_KEYS] if isinstance(item, dict)]
    if not items or len(items) != len(offered) or not any(_MARKS & item.keys() for item in items):
        return None
    chosen = [
        next((item[f] for f in _ANSWER_FIELDS if f in item), None)
        for item in items
        if any(item.get(mark) is True for mark in _MARKS)
    ]
    return chosen[0] if len(chosen) == 1 else (chosen or None)


_MARKS = frozenset({"selected", "isSelected", "is_selected", "chosen"})


def titled_form_answers(answers: list[JsonValue], definition: JsonValue) -> list[JsonValue]:
    """A form tool's answers, each field given the title its form's definition gives it
    (Typeform's webhook: ``form_response.definition.fields[]`` beside ``answers[]``,
    matched by the field's id). Typeform's refs are UUIDs unless the form's builder
    names them: the title was the only name, and every answer was "not sure"
    (check 26, U-H5)."""
    fields = definition.get("fields") if isinstance(definition, dict) else None
    if not isinstance(fields, list):
        return answers
    titles: dict[str, str] = {}
    for field in fields[:MAX_SALVAGED_KEYS]:
        if isinstance(field, dict) and isinstance(field.get("title"), str):
            for name in ("id", "ref"):
                if isinstance(field.get(name), str):
                    titles.setdefault(field[name], field["title"])
    titled: list[JsonValue] = []
    for answer in answers:
        field = answer.get("field") if isinstance(answer, dict) else None
        if isinstance(answer, dict) and isinstance(field, dict) and "title" not in field:
            names = [field[n] for n in ("id", "ref") if isinstance(field.get(n), str)]
            title = next((titles[name] for name in names if name in titles), None)
            if title is not None:
                answer = {**answer, "field": {**field, "title": title}}
        titled.append(answer)
    return titled


# Where a form tool's answer list (Typeform's webhook) keeps the question's name, and
# its answer under the field named by the answer's type.
_FIELD_NAMES = ("ref", "title", "id")
_TYPED_ANSWERS = ("boolean", "number", "text", "choice", "choices")


def _form_answer(item: JsonObject) -> tuple[str | None, JsonValue]:
    """A form tool's answer, ``{"field": {"ref": "saddle_numbness"}, "type": "choice",
    "choice": {"label": "Yes"}}`` (or ``"value": ...``), as (question, answer). Every
    client of such an export was an error with no warning sign read (check 20)."""
    field = item["field"]
    assert isinstance(field, dict)
    names = [field[f] for f in _FIELD_NAMES if isinstance(field.get(f), str)]
    # The ref a coach gives a field, or its title; the id Typeform makes is a guess.
    key = next((name for name in names if names_a_question(name)), names[0] if names else None)
    answer = next((item[f] for f in (*_ANSWER_FIELDS, *_TYPED_ANSWERS) if f in item), None)
    if isinstance(answer, dict):  # a choice: {"label": "Yes"}, {"labels": [...]}, ...
        held = answers_in_object(answer)
        answer = careful_answer(held) if held else None
    return key, answer


# `key=value` pairs, as PowerShell writes an object nested deeper than ConvertTo-Json's
# -Depth (2 by default): "@{age_years=26; saddle_numbness=yes}", or a query string.
_ASSIGNMENT = re.compile(r"([A-Za-z_][\w.-]{0,200}+)[ \t]*+=[ \t]*+([^;&}\n]{0,200}+)")


def _assignments(text: str) -> tuple[JsonObject, frozenset[str]]:
    """The answers of a string of ``key=value`` pairs (a new user's U15-8: 20 records
    of PowerShell's default depth were 20 errors, two emergencies unscreened)."""
    found = _Pairs()
    for match in itertools.islice(_ASSIGNMENT.finditer(text), MAX_SALVAGED_KEYS):
        found.add(match.group(1), _value(match.group(2).strip()))
    return found.pairs, frozenset(found.said_yes)


def salvaged_records(text: bytes) -> Iterator[tuple[int, str]] | None:
    """The objects of a refused JSON array, one at a time, each as the number of line
    breaks before it and its text (a trailing comma, a comment or one record cut
    short made the whole array one error, and every record in it went unscreened);
    None when ``text`` is not an array. One at a time: an array may hold millions."""
    source = decoded(text)
    if not source.lstrip().startswith("["):
        return None
    return _objects_in(source)


def _objects_in(source: str) -> Iterator[tuple[int, str]]:
    """Every object that no object holds: in the array, in arrays inside it, and after
    it (a record appended to an array file, an array per line). The reading stopped at
    the array's end, and what followed was lost without a word (attack round 12, H3).
    A quote between records is no string (a record pasted in quotes into an array,
    [C01,"C05",C09]: C05 and its emergency vanished, attack round 13, H9)."""
    breaks, counted = 0, 0  # line breaks before ``counted``: counted on, never again
    for start, end in _walked_objects(source, _DOCUMENT_TOKEN):
        breaks += source.count("\n", counted, start)
        counted = start
        yield breaks, source[start : len(source) if end is None else end]


# A string for the structure of a document: it ends at its line's end when it is not
# closed there (a JSON string holds no raw line break), so one cut short does not
# turn the rest of a file inside out. A line that starts with '#' is a comment, as
# '//' is (a coach labelling groups of records: a new user's U17-2).
_LINE_STRING = r"""(?:
    "(?:[^"\\\n]|\\.)*+"? | '(?:[^'\\\n]|\\.)*+'? | [“”„][^“”\n]*+[“”]? | [‘’][^‘’\n]*+[‘’]? )"""
_STRUCTURE = re.compile(
    rf"""{_LINE_STRING} | //[^\n]*+ | /\*(?:[^*]|\*(?!/))*+(?:\*/)? | (?m:^[ \t]*+\#[^\n]*+)
    | (?P<mark>[\[\]{{}}]) | (?P<other>[^\s,:\[\]{{}}"'“”„‘’/]++|[:/])""",
    re.VERBOSE | re.DOTALL,
)


# What programs put between records written on one line, besides spaces and commas.
_SEPARATORS = " ,;|\ufeff\u200b\u00a0" + "".join(chr(c) for c in [*range(32), 127])


def objects_by_braces(text: str) -> list[tuple[int, int, int]] | None:
    """The top-level objects of ``text`` when it holds nothing else (whitespace,
    commas and comments between them), each starting on a line of its own: the
    number of line breaks before each, its start and its end. The last may be cut
    short (a writer stopped: `jq .` output cut mid-record), if one before it closed.
    None when anything else stands at the top, or no object closes. How a document
    strict JSON refuses is cut into records (a trailing comma in one record of `jq .`
    output made the whole file an error per line: attack round 11, M3; a new user's
    F2, F5 and U15-2)."""
    depth, start, counted, breaks = 0, -1, 0, 0
    found: list[tuple[int, int, int]] = []
    for match in _STRUCTURE.finditer(text):
        mark = match.group("mark")
        if depth == 0:
            if mark != "{":
                if mark is not None or match.group("other") is not None:
                    return None  # a value at the top that is no object
                continue  # a comment between objects
            if found and "\n" not in text[found[-1][2] : match.start()]:
                return None  # two on one line: not records one per line
            start = match.start()
        if mark in ("{", "["):
            depth += 1
        elif mark in ("}", "]"):
            depth -= 1
            if depth == 0:
                breaks += text.count("\n", counted, start)
                counted = start
                found.append((breaks, start, match.end()))
    if depth and found:
        # Cut short after records that closed (with none closed, the first line may
        # be a JSON Lines record cut short, and the rest of the file no part of it).
        # A brace at a line's start opens a record, as `jq .` writes them: one that
        # does not close (a note typed with Enter) does not swallow those after it.
        starts = [start] + [m.start() + 1 for m in _LINE_START_BRACE.finditer(text, start)]
        for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
            breaks += text.count("\n", counted, begin)
            counted = begin
            found.append((breaks, begin, begin + len(text[begin:end].rstrip())))
    return found if found else None


_LINE_START_BRACE = re.compile(r"\n\{")


# The tokens of a line for records_on_line: strings (to the line's end when not
# closed), comments, brackets. Text between them is skipped by the search.
_LINE_TOKEN = re.compile(
    rf"""{_LINE_STRING} | //[^\n]*+ | /\*(?:[^*]|\*(?!/))*+(?:\*/)? | (?P<mark>[\[\]{{}}])""",
    re.VERBOSE | re.DOTALL,
)
_DOCUMENT_TOKEN = re.compile(
    rf"""{_STRING} | //[^\n]*+ | /\*(?:[^*]|\*(?!/))*+(?:\*/)? | (?P<mark>[\[\]{{}}])""",
    re.VERBOSE | re.DOTALL,
)
# Where an object starts, whatever the string it may seem to be inside: in JSON a
# quote inside a string is escaped, so '{"key":' is the start of an object, even
# when a record cut inside a string has turned the rest of its line inside out.
_OBJECT_START = re.compile(r'\{\s*+"(?:[^"\\\n]|\\.){0,200}+"\s*+:')


def records_on_line(text: str) -> list[tuple[int, int]] | None:
    """Where each record of a line strict JSON refuses starts and ends, when it holds
    two or more: every object that no object holds, whatever stands between them (a
    separator, an array's brackets, a stray character), and after one cut short the
    records appended behind it (a writer killed, then run again). None for one.

    Written on one line by `json.dump` in a loop, as arrays, or joined by odd
    separators, and one of them broken, they were read as one record: answers that
    differed became "not sure", an emergency was referred as urgent, and a record cut
    inside a string lost every record after it (a new check, N1 and N6; attack round
    12, H2)."""
    spans, cut = _closed_objects(text)
    behind = _after_cut(text, cut) if cut is not None else []
    # Two or more that look like records (a key 'id' or 'answers'), or one behind a
    # record cut short: braces alone ('{}{') are no records to read one by one.
    whole = spans + behind[1:]
    records = sum(1 for start, end in whole if _RECORD_KEY.search(text, start, end))
    if records > 1 or (behind and records > 0 and len(spans) + len(behind) > 1):
        return sorted(spans + behind)
    return None


_RECORD_KEY = re.compile(r"""["'“”]?(?:answers|id)["'“”]?\s*+:""")


def _closed_objects(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """The objects no object holds that close, and where one that does not starts."""
    spans: list[tuple[int, int]] = []
    for start, end in _walked_objects(text):
        if end is None:
            return spans, start
        spans.append((start, end))
    return spans, None


def _walked_objects(
    text: str, tokens: re.Pattern[str] | None = None
) -> Iterator[tuple[int, int | None]]:
    """Where each object that no object holds starts and ends, one at a time (an
    array may hold millions); the last one's end None when it does not close.
    ``tokens`` finds strings, comments and brackets: on a line a string ends at the
    line's end (_LINE_TOKEN); in a document it may hold a raw line break (a note
    typed with Enter in a record of an array: _DOCUMENT_TOKEN)."""
    tokens = tokens or _LINE_TOKEN
    opened = bytearray()  # the brackets open, innermost last
    braces = 0  # how many of them are '{'
    start, at = -1, 0
    while (match := tokens.search(text, at)) is not None:
        at, mark = match.end(), match.group("mark")
        if mark is None:
            if braces == 0:
                # A quote between records is no string: read as one, a quote written
                # as a separator turned the record after it inside out (lost).
                comment = match.group()[:1] == "/"
                if not comment or _whole_objects_in(match.group()):
                    # A comment that holds whole objects is read on past its mark: a
                    # record commented out with '//' or '/* */' in an array
                    # vanished, where '#' was screened (check 25, H6).
                    at = match.start() + (2 if comment else 1)
            continue
        if mark in "{[":
            if mark == "{":
                if braces == 0:
                    start = match.start()
                braces += 1
            opened.append(ord(mark))
        elif opened:
            braces -= opened.pop() == ord("{")
            if braces == 0 and start >= 0:
                yield start, match.end()
                start = -1
    if start >= 0:
        yield start, None


def _commented_objects(token: str) -> int:
    """How far into a comment token its text starts, when it holds whole objects (see
    _whole_objects_in); 0 for any other token."""
    if token[:2] in ("//", "/*"):
        return 2 if _whole_objects_in(token) else 0
    hashed = token.lstrip(" \t")
    if hashed[:1] == "#" and _whole_objects_in("#" + hashed):
        return len(token) - len(hashed) + 1
    return 0


def one_object_by_braces(text: str) -> bool:
    """Whether ``text`` is one object from its first character to its last, by its
    braces, strings (which may hold a line break) and comments."""
    objects = _walked_objects(text, _DOCUMENT_TOKEN)
    first = next(objects, None)
    if first is None or first[0] != 0 or first[1] != len(text.rstrip()):
        return False
    return next(objects, None) is None


def _whole_objects_in(comment: str) -> bool:
    """Whether a comment holds a record that closes inside it ('// {"id": ...}', a
    '/* ... */' round pretty records); one whose lines go on in other comments stays
    a comment: read on, its record took the records after it (check 25)."""
    body = comment[2:].removesuffix("*/")
    opened = body.count("{")
    return opened > 0 and opened == body.count("}") and body.find("{") < body.rfind("}")


def _after_cut(text: str, cut: int) -> list[tuple[int, int]]:
    """The record cut short at ``cut`` and the records behind it on the line: from the
    line's end back, each an object whose braces close (strings skipped), that holds
    'answers', and is followed by no key or value (no ':') up to the next record, or
    by the start of another record cut short (a second crash). An object inside the
    cut record is followed by more of its pairs, so it is not taken for a record
    (unless the cut falls just after it: an extra result, and no answer lost). A
    record behind the cut may itself be broken (a slip): it is an error of its own,
    screened alone (attack round 13, H3). The looking is bounded: at most about two
    passes over the line, never a parse whose error counts the whole line's breaks
    (a line of object starts took minutes: attack round 13, H4)."""
    budget = 2 * len(text) + (1 << 20)
    behind: list[tuple[int, int]] = []  # from the right: the leftmost last
    starts = [match.start() for match in _OBJECT_START.finditer(text, cut + 1)]
    for start in reversed(starts):
        right = behind[-1][0] if behind else len(text)
        if start >= right:
            continue
        end, looked = _object_end(text, start, right)
        budget -= looked
        if end is None and behind and text[:right].rstrip().endswith(":"):
            # The record taken last is a key's value ("previous": {...} last in its
            # record): it may be inside this object, which is then the record.
            limit = behind[-2][0] if len(behind) > 1 else len(text)
            end, looked = _object_end(text, start, limit)
            budget -= looked
            if end is not None and end >= behind[-1][1]:
                behind.pop()
                right = behind[-1][0] if behind else len(text)
            else:
                end = None
        if budget < 0:
            break
        if end is None or not _ANSWERS_KEY.search(text, start, end):
            continue
        gap = text[end:right]
        if ":" not in gap:
            behind.append((start, end))
            continue
        second = end + len(gap) - len(gap.lstrip(_SEPARATORS))
        if text.startswith("{", second) and _RECORD_KEY.search(text, second, right):
            # Another record cut short behind this one (a second crash).
            behind += [(second, len(text[:right].rstrip(_SEPARATORS))), (start, end)]
    right = behind[-1][0] if behind else len(text)
    end = len(text[cut:right].rstrip(_SEPARATORS)) + cut
    return [(cut, end), *reversed(behind)]


_ANSWERS_KEY = re.compile(r"""["'“”]?answers["'“”]?\s*+:""")


def _object_end(text: str, start: int, limit: int) -> tuple[int | None, int]:
    """Where the object that opens at ``start`` closes, before ``limit`` (brackets
    counted, strings and comments skipped, as on one line), or None; and how many
    characters were looked at."""
    depth, at = 0, start
    while (match := _LINE_TOKEN.search(text, at, limit)) is not None:
        at, mark = match.end(), match.group("mark")
        if mark is None:
            continue
        depth += 1 if mark in "{[" else -1
        if depth <= 0:
            return (match.end() if depth == 0 else None), at - start
    return None, limit - start


# An export's key: a short name, whatever its characters ("#count", "export (v2)"),
# but no bracket or quote (a record cut inside its first key runs into the next one).
_NAME = re.compile(r"""[^"'{}\[\]\n]{1,64}""")


_NEXT_CHAR = re.compile(r"\s*+(.?)", re.DOTALL)


def _first_char(text: str, at: int) -> str:
    """The first character at or after ``at`` that is no whitespace ('' at the end),
    found in place: a slice of the rest for every key made 22,000 records 118 s
    (check 20, N2)."""
    match = _NEXT_CHAR.match(text, at)
    return match.group(1) if match else ""


def wrapped_in(text: str) -> list[tuple[int, int]] | None:
    """Where each record of a refused object that wraps them starts and ends (an
    export's wrapper with a trailing comma, one single-quoted id, or saved in
    Windows-1252): the outermost objects in it with a key 'answers' of their own, the
    last perhaps cut short. None when the object has an 'answers' or 'id' of its own
    (a record), or holds no such object. Read as one record, 20 clients were one
    result, their emergencies "not sure" (attack round 13, H6)."""
    keys = _record_keys(text)
    if keys is None:
        return None
    # An export's keys are names, and one of them holds a list or an object: a record
    # cut inside its first key ('{"i' then the next record) is no wrapper (a new check,
    # NEW-2). An id or answers of its own do not make it a record: the records it
    # holds are read each (one merged record lost their levels: check 19).
    if not all(_NAME.fullmatch(key) for key in keys) or not any(
        _first_char(text, at) in ("[", "{") for at in keys.values()
    ):
        return None
    opened: list[list[int] | None] = []  # per open bracket: [start, has answers] or None
    found: list[tuple[int, int]] = []
    key: JsonValue = None
    at = 0
    while (match := _STRUCTURE.search(text, at)) is not None:
        at = match.end()
        mark, token = match.group("mark"), match.group()
        commented = _commented_objects(token)
        if commented:
            # A record commented out in the wrapper's list ('// {...}', '/* */', '#'):
            # read on past the mark, as in a bare array. Skipped, it vanished without a
            # word, where in a bare array it was screened (check 26, A-H7).
            at = match.start() + commented
            continue
        if mark in ("{", "["):
            opened.append([match.start(), 0] if mark == "{" else None)
        elif mark is not None:
            top = opened.pop() if opened else None
            if top is not None and top[1]:
                found.append((top[0], match.end()))
        elif token[:1] in "\"'“”„‘’":
            key = _value(token)
            continue
        elif (
            token == ":"
            and isinstance(key, str)
            and opened
            and opened[-1] is not None
            and keeps_answers(key)
            and _first_char(text, match.end()) != "["
        ):  # a record's 'answers', or an answer of a flat row (NEW-6); not a list of them
            opened[-1][1] = 1
        key = None
    found += [(top[0], len(text.rstrip())) for top in opened if top is not None and top[1]]
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if not outermost or start >= outermost[-1][1]:
            outermost.append((start, end))
    if len(outermost) == 1 and not text[: outermost[0][0]].strip():
        return None  # the object itself is the one record: no wrapper
    return outermost or None


def _parsed_answers(source: str) -> JsonObject:
    try:
        data = json.loads(source, strict=False)
    except (ValueError, RecursionError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


_ANSWERS_OPEN = re.compile(r"""(?:"answers"|'answers'|\banswers)\s*+:\s*+\{""")


def _record_keys(source: str) -> dict[str, int] | None:
    """Where the value of each key of the record itself (not of an object inside it)
    starts: key -> the position after its colon; None when the text does not open
    with a record. Strings are skipped whole, so "answers: {" inside a note is no
    key."""
    depth, last = 0, ""
    keys: dict[str, int] = {}
    for match in _STRUCTURE.finditer(source):
        mark, text = match.group("mark"), match.group()
        if mark is not None:
            if depth == 0 and mark != "{":
                return None
            depth += 1 if mark in "{[" else -1
            if depth <= 0:
                break
        elif depth == 0:
            return None  # text before the record: it does not open with one
        elif depth == 1:
            if text[:1] in "\"'“”„‘’":
                last = str(_value(text))
            elif text == ":" and last:
                keys.setdefault(last, match.end())
                last = ""
            else:
                last = ""
    return keys if depth or keys else None


_OPENS_OBJECT = re.compile(r"\s*+\{")


class _Answers:
    """Where the record's ``answers`` object stands (to the text's end if it is not
    closed), and the objects nested in it, whose keys are no answers."""

    def __init__(self, source: str, keys: dict[str, int] | None) -> None:
        self.start = self.end = -1
        self.nested_starts: list[int] = []
        self.nested_ends: list[int] = []
        # The record's own 'answers' key, not the first anywhere: a nested 'previous'
        # object's, or words in a note, were taken for them, and every real answer
        # that differed was "not sure" (a new check, N2).
        if keys is None:
            opened = _ANSWERS_OPEN.search(source)
        else:
            opened = _OPENS_OBJECT.match(source, keys["answers"]) if "answers" in keys else None
        if opened is None:
            return
        self.start, self.end = opened.end(), len(source)
        depth = 0
        for match in _STRUCTURE.finditer(source, opened.end() - 1):
            mark = match.group("mark")
            if mark in ("{", "["):
                depth += 1
                if depth == 2:
                    self.nested_starts.append(match.start())
            elif mark in ("}", "]"):
                depth -= 1
                if depth == 1:
                    self.nested_ends.append(match.end())
                if depth == 0:
                    self.end = match.end()
                    return
        if len(self.nested_ends) < len(self.nested_starts):
            self.nested_ends.append(len(source))

    def found(self) -> bool:
        return self.start >= 0

    def holds(self, at: int) -> bool:
        """Whether a pair at ``at`` is one of the answers, not deeper inside one. By
        bisection: with a scan over the nested objects, 50,000 of them in a 1 MiB
        record took four minutes."""
        if not self.start <= at < self.end:
            return False
        index = bisect.bisect_right(self.nested_starts, at) - 1
        return index < 0 or at >= self.nested_ends[index]


def _scanned_pairs(source: str, keys: dict[str, int] | None) -> tuple[JsonObject, set[str]]:
    """Every ``key: scalar`` and ``key: [scalars]`` pair, at any depth; a key whose
    value is an object has its own pairs found instead. A key inside the record's
    ``answers`` is read from there: the same key elsewhere (last week's "no", a map of
    question texts) made a definite yes "not sure", one level lower (attack round 12,
    H1); outside them a key counts, as a strict reading counts a stray one, only where
    the answers do not have it, and then as not sure unless it is a plain no. With no
    answers object every pair is one (a record cut before its answers, a fragment)."""
    answers = _Answers(source, keys)
    inside, outside = _Pairs(), _Pairs()
    for match in _SCAN.finditer(source):
        key, raw = match.group("key"), match.group("value")
        if key is None or raw is None:
            continue  # a string that is no key, or a comment
        name = str(_value(key))
        if name in _NOT_ANSWERS:
            continue
        if raw.startswith("["):
            items = _ITEM.finditer(raw[1:].removesuffix("]"))
            value: JsonValue = [_value(item.group()) for item in items]
        else:
            value = _value(raw)
        within = not answers.found() or answers.holds(match.start())
        (inside if within else outside).add(name, value)
    for key, value in outside.pairs.items():
        plain_no = value is False or (isinstance(value, str) and value.strip().lower() == "no")
        own = inside.pairs.get(key)
        if is_number(own) and is_number(value):
            # An age elsewhere (last visit's): the higher is the careful reading
            # (attack round 13, H10; "not sure" made urgent clinician).
            inside.pairs[key] = max(own, value)
            continue
        if key in inside.pairs:
            # As a strict reading reads a stray key: it cannot undo a yes, and makes
            # anything else not sure unless it is a plain no itself.
            if not plain_no and not reads_yes(inside.pairs[key]):
                inside.pairs[key] = "unsure"
        elif len(inside.pairs) < MAX_SALVAGED_KEYS:
            inside.pairs[key] = value if plain_no or value == "unsure" else "unsure"
        else:
            continue
        if key in outside.said_yes:
            inside.said_yes.add(key)
    return inside.pairs, inside.said_yes


class _Pairs:
    """Pairs as they are found: a key found twice with two readings is not sure."""

    def __init__(self) -> None:
        self.pairs: JsonObject = {}
        self.readings: dict[str, str] = {}
        self.said_yes: set[str] = set()

    def add(self, name: str, value: JsonValue) -> None:
        if reads_yes(value):
            self.said_yes.add(name)
        reading = answer_key(value)
        if name not in self.pairs:
            if len(self.pairs) < MAX_SALVAGED_KEYS:
                self.pairs[name], self.readings[name] = value, reading
        elif self.readings[name] != reading:
            self.pairs[name] = "unsure"  # two readings of one key: the careful one


def _value(text: str) -> JsonValue:
    """A scalar as written: a string in any quotes, or a bare word."""
    if text[:1] in "\"'“”„‘’":
        closed = _CLOSED_STRING.fullmatch(text) is not None
        inner = text[1:-1] if closed else text[1:]
        if text[0] == '"':
            try:
                loaded = json.loads(f'"{inner}"', strict=False)
            except ValueError:
                return inner
            return loaded if isinstance(loaded, str) else inner
        return inner.replace("\\'", "'")
    lowered = text.lower()
    if lowered in _WORDS:
        return _WORDS[lowered]
    try:
        number = float(text)
    except ValueError:
        return text
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return number if number == number and abs(number) != float("inf") else text


# -- an export's wrapper that strict JSON refuses, repaired -------------------------------

_CLOSERS = {"{": "}", "[": "]"}


@dataclass(frozen=True)
class Repaired:
    """A refused document repaired (see repaired_document): its value, and what was
    done."""

    data: JsonValue
    note: str


def repaired_document(text: str) -> Repaired | None:
    """One JSON document strict JSON refuses only for a comma before a closing bracket
    (a form tool's export edited by hand), with those commas left out; None for any
    other document, or more than one. Read as records one by one, a Cliniko or FHIR
    export with one stray comma lost every red flag (check 30, U-H1 to U-H5). An end
    cut short is not closed here: closed at its last whole part, a record cut in the
    middle read as whole, its emergency under another id (check 31, H1 to H3)."""
    kept: list[str] = []
    stack: list[str] = []
    dropped_commas = 0
    in_string = escaped = False
    pending_comma = -1  # index in kept of a comma not yet followed by a value
    for char in text:
        if in_string:
            kept.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if not stack and kept and not char.isspace():
            return None  # a second document after the first: not one to repair
        if char == '"':
            in_string = True
            pending_comma = -1
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
            pending_comma = -1
        elif char in "]}":
            if not stack or stack[-1] != char:
                return None  # a bracket out of place: no slip this repairs
            if pending_comma >= 0:
                kept[pending_comma] = " "  # the comma before a closer: left out
                dropped_commas += 1
                pending_comma = -1
            stack.pop()
        elif char == ",":
            pending_comma = len(kept)
        elif not char.isspace():
            pending_comma = -1
        kept.append(char)
    if stack or in_string or not dropped_commas:
        return None
    try:
        data = json.loads("".join(kept))
    except (ValueError, RecursionError):
        return None
    return Repaired(data, f"{dropped_commas} comma(s) before a closing bracket left out")
