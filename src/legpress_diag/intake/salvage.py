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

import json
import re
from collections.abc import Iterator

from ..foundation.jsonvalue import JsonObject, JsonValue
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
# What opens or closes a record of an array (strings and comments are skipped whole).
_MARKS = re.compile(
    rf"{_STRING} | // [^\n]*+ | /\* (?: [^*] | \*(?!/) )*+ (?: \*/ )? | [\[\]{{}}]",
    re.VERBOSE | re.DOTALL,
)
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


def salvaged_answers(text: bytes) -> tuple[JsonObject, frozenset[str]]:
    """The answers a lenient reading finds in a refused record (question id or key
    as written -> value), and the keys one of whose values was a yes (never to be
    settled by a self-check: the lifter said yes)."""
    source = decoded(text)
    scanned, said_yes = _scanned_pairs(source)
    if not scanned and len(_QUOTE.findall(source)) % 2:
        # Nothing read, and an odd number of quotes: the text may start inside a
        # string (the second half of a record split by an Enter typed in a note: a
        # new user's F1, its emergency unread). Read it so.
        shifted, shifted_yes = _scanned_pairs('"' + source)
        for key, value in shifted.items():
            if key not in scanned and len(scanned) < MAX_SALVAGED_KEYS:
                scanned[key] = value
                if key in shifted_yes:
                    said_yes.add(key)
    parsed = _parsed_answers(source)
    answers: JsonObject = dict(scanned)
    for key, value in parsed.items():
        if key not in answers or answer_key(answers[key]) == answer_key(value):
            answers[key] = value  # the parse keeps a list or an object the scan drops
        if reads_yes(value):
            said_yes.add(key)
    return answers, frozenset(said_yes)


# What a list of answers as objects calls the question and the answer.
_QUESTION_FIELDS = ("question", "question_id", "id", "key", "name")
_ANSWER_FIELDS = ("answer", "value", "response")


# A record's id as it is written in it: a short string or an integer.
_ID = re.compile(r'"id"\s*+:\s*+(?:"((?:[^"\\\n]|\\.){1,200})"|(-?\d{1,18})\b)')


def salvaged_id(text: bytes) -> str | int | None:
    """The first id written in a refused record, so that its error result names the
    client, not only a line (a new user's F8: "4: Go to an emergency department
    now" was client c05)."""
    source = decoded(text)
    keys = _record_keys(source)
    if keys is not None and "id" not in keys:
        return None  # an id nested deeper names somebody else (a new check, N5)
    start = 0 if keys is None else max(0, keys["id"] - len('"id"') - 8)
    found = _ID.search(source, start)
    if found is None:
        return None
    if found.group(2) is not None:
        return int(found.group(2))
    value = _value('"' + found.group(1) + '"')
    return value if isinstance(value, str) and value.strip() else None


def answers_in(value: str | list[JsonValue]) -> tuple[JsonObject, frozenset[str]]:
    """Answers in a value that stands where a record or its answers should: a string
    of JSON (a record encoded twice) is read as a refused record is; a list of
    ``{"question": ..., "answer": ...}`` objects as the answers it pairs."""
    if isinstance(value, str):
        return salvaged_answers(value.encode("utf-8", "surrogatepass"))
    found: JsonObject = {}
    for item in value[:MAX_SALVAGED_KEYS]:
        if not isinstance(item, dict):
            continue
        key = next((item[f] for f in _QUESTION_FIELDS if isinstance(item.get(f), str)), None)
        answer = next((item[f] for f in _ANSWER_FIELDS if f in item), None)
        if isinstance(key, str):
            # Given twice with different readings: not sure, as in a record.
            same = key not in found or answer_key(found[key]) == answer_key(answer)
            found[key] = answer if same else "unsure"
    return found, frozenset(key for key, answer in found.items() if reads_yes(answer))


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
    the array's end, and what followed was lost without a word (attack round 12, H3)."""
    stack: list[str] = []  # the open brackets
    start = -1
    breaks, counted = 0, 0  # line breaks before ``counted``: counted on, never again
    for match in _MARKS.finditer(source):
        mark = match.group()
        if len(mark) != 1:
            continue  # a string or a comment
        if mark in "[{":
            if mark == "{" and "{" not in stack:
                start = match.start()
            stack.append(mark)
        elif stack:
            stack.pop()
            if mark == "}" and "{" not in stack and start >= 0:
                breaks += source.count("\n", counted, start)
                counted = start
                yield breaks, source[start : match.end()]
                start = -1
    if start >= 0:
        breaks += source.count("\n", counted, start)
        yield breaks, source[start:]  # the last record, cut short


# A string for the structure of a document: it ends at its line's end when it is not
# closed there (a JSON string holds no raw line break), so one cut short does not
# turn the rest of a file inside out.
_LINE_STRING = r"""(?:
    "(?:[^"\\\n]|\\.)*+"? | '(?:[^'\\\n]|\\.)*+'? | [“”„][^“”\n]*+[“”]? | [‘’][^‘’\n]*+[‘’]? )"""
_STRUCTURE = re.compile(
    rf"""{_LINE_STRING} | //[^\n]*+ | /\*(?:[^*]|\*(?!/))*+(?:\*/)?
    | (?P<mark>[\[\]{{}}]) | (?P<other>[^\s,])""",
    re.VERBOSE | re.DOTALL,
)


# What programs put between records written on one line, besides spaces and commas.
_SEPARATORS = frozenset(";|\ufeff\u200b\u00a0") | frozenset(chr(c) for c in [*range(32), 127])


def objects_by_braces(text: str, *, one_line: bool = False) -> list[tuple[int, int, int]] | None:
    """The top-level objects of ``text`` when it holds nothing else (whitespace,
    commas and comments between them), each starting on a line of its own: the
    number of line breaks before each, its start and its end. None when anything
    else stands at the top, or an object does not close. How a document strict JSON
    refuses is cut into records (a trailing comma in one record of `jq .` output made
    the whole file an error per line: attack round 11, M3; a new user's F2 and F5)."""
    depth, start, counted, breaks = 0, -1, 0, 0
    found: list[tuple[int, int, int]] = []
    for match in _STRUCTURE.finditer(text):
        mark = match.group("mark")
        if depth == 0:
            if mark != "{":
                other = match.group("other")
                if mark is not None or (
                    other is not None and not (one_line and other in _SEPARATORS)
                ):
                    return None  # a value at the top that is no object
                continue  # a comment or a separator between objects
            if found and not one_line and "\n" not in text[found[-1][2] : match.start()]:
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
    return found if found and depth == 0 else None


def _parsed_answers(source: str) -> JsonObject:
    try:
        data = json.loads(source, strict=False)
    except (ValueError, RecursionError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


_ANSWERS_OPEN = re.compile(r"""(?:"answers"|'answers'|\banswers)\s*+:\s*+\{""")


def _record_keys(source: str) -> dict[str, int] | None:
    """Where each key of the record itself (not of an object inside it) is written:
    key -> the key's position; None when the text does not open with a record.
    Strings are skipped whole, so "answers: {" inside a note is no key."""
    depth, keys, last, after = 0, {}, "", -1
    for match in _STRUCTURE.finditer(source):
        mark, text = match.group("mark"), match.group()
        if mark is not None:
            if depth == 0 and mark != "{":
                return None
            depth += 1 if mark in "{[" else -1
            if mark in "{[" and depth == 2 and after >= 0 and last not in keys:
                keys[last] = after  # an object or list value: opened right here
            after = -1
            if depth <= 0:
                break
            continue
        if depth == 0:
            return None  # text before the record: it does not open with one
        if depth == 1:
            if text[:1] in "\"'“”„‘’":
                last, after = str(_value(text)), -1
            elif text == ":" and last:
                after = match.start()
                keys.setdefault(last, match.start())
            else:
                after = -1
    return keys if depth or keys else None


class _Answers:
    """Where the record's ``answers`` object stands (to the text's end if it is not
    closed), and the objects nested in it, whose keys are no answers."""

    def __init__(self, source: str) -> None:
        self.start = self.end = -1
        self.nested: list[tuple[int, int]] = []
        # The record's own 'answers' key, not the first anywhere: a nested 'previous'
        # object's, or words in a note, were taken for them, and every real answer
        # that differed was "not sure" (a new check, N2).
        keys = _record_keys(source)
        if keys is not None:
            if "answers" not in keys:
                return
            opened = _ANSWERS_OPEN.search(source, keys["answers"] - len('"answers"') - 8)
        else:
            opened = _ANSWERS_OPEN.search(source)
        if opened is None:
            return
        self.start, self.end = opened.end(), len(source)
        depth, inner = 0, -1
        for match in _STRUCTURE.finditer(source, opened.end() - 1):
            mark = match.group("mark")
            if mark in ("{", "["):
                depth += 1
                if depth == 2:
                    inner = match.start()
            elif mark in ("}", "]"):
                depth -= 1
                if depth == 1 and inner >= 0:
                    self.nested.append((inner, match.end()))
                    inner = -1
                if depth == 0:
                    self.end = match.end()
                    return
        if inner >= 0:
            self.nested.append((inner, len(source)))

    def found(self) -> bool:
        return self.start >= 0

    def holds(self, at: int) -> bool:
        """Whether a pair at ``at`` is one of the answers, not deeper inside one."""
        inside = self.start <= at < self.end
        return inside and not any(start <= at < end for start, end in self.nested)


def _scanned_pairs(source: str) -> tuple[JsonObject, set[str]]:
    """Every ``key: scalar`` and ``key: [scalars]`` pair, at any depth; a key whose
    value is an object has its own pairs found instead. A key inside the record's
    ``answers`` is read from there: the same key elsewhere (last week's "no", a map of
    question texts) made a definite yes "not sure", one level lower (attack round 12,
    H1); outside them a key counts, as a strict reading counts a stray one, only where
    the answers do not have it, and then as not sure unless it is a plain no."""
    answers = _Answers(source)
    inside, inside_yes = _pairs(source, answers, True)
    outside, outside_yes = _pairs(source, answers, False)
    for key, value in outside.items():
        plain_no = value is False or (isinstance(value, str) and value.strip().lower() == "no")
        if key in inside:
            # As a strict reading reads a stray key: it cannot undo a yes, and makes
            # anything else not sure unless it is a plain no itself.
            if not plain_no and not reads_yes(inside[key]):
                inside[key] = "unsure"
        elif len(inside) < MAX_SALVAGED_KEYS:
            inside[key] = value if plain_no or value == "unsure" else "unsure"
        else:
            continue
        if key in outside_yes:
            inside_yes.add(key)
    return inside, inside_yes


def _pairs(source: str, answers: _Answers, within: bool) -> tuple[JsonObject, set[str]]:
    """The pairs that are the record's answers (``within``) or not; with no answers
    object, every pair is one (a record cut before its answers, a pasted fragment)."""
    pairs: JsonObject = {}
    readings: dict[str, str] = {}
    said_yes: set[str] = set()
    if not answers.found() and not within:
        return pairs, said_yes
    for match in _SCAN.finditer(source):
        if answers.found() and answers.holds(match.start()) != within:
            continue
        key, raw = match.group("key"), match.group("value")
        if key is None or raw is None:
            continue  # a string that is no key, or a comment
        name = str(_value(key))
        if name in _NOT_ANSWERS:
            continue
        value: JsonValue
        if raw.startswith("["):
            value = [_value(item.group()) for item in _ITEM.finditer(raw[1:].removesuffix("]"))]
        else:
            value = _value(raw)
        if reads_yes(value):
            said_yes.add(name)
        reading = answer_key(value)
        if name not in pairs:
            if len(pairs) >= MAX_SALVAGED_KEYS:
                continue
            pairs[name], readings[name] = value, reading
        elif readings[name] != reading:
            pairs[name] = "unsure"  # two readings of one key: the careful one
    return pairs, said_yes


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
