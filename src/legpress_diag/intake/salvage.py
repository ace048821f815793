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
from dataclasses import dataclass

from ..foundation.jsonvalue import JsonObject, JsonValue
from .repeated import answer_key, reads_yes

# The fields of a record that are not answers (records.RECORD_FIELDS, less 'answers',
# whose value is an object: the scan reads the pairs inside it).
_NOT_ANSWERS = frozenset({"id", "measured", "not_measured", "answers"})
# Bounds on the work a hostile record can ask for (the text itself is bounded by the
# line and document limits of records.py).
MAX_SALVAGED_KEYS = 1000

# One token of JSON as people and other programs mistype it. A string may be quoted
# with ' or typographic quotes, and one cut short runs to the end of the text.
_TOKEN = re.compile(
    r"""
      (?P<string> "(?:[^"\\]|\\.)*"? | '(?:[^'\\]|\\.)*'? | [“”„][^“”]*[“”]? | [‘’][^‘’]*[‘’]? )
    | (?P<comment> //[^\n]* | /\*.*?(?:\*/|\Z) | \#[^\n]* )
    | (?P<mark> [{}\[\]:,] )
    | (?P<word> [^\s{}\[\]:,"'“”„‘’]+ )
    """,
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


@dataclass(frozen=True)
class _Token:
    kind: str  # string, mark or word (comments are dropped)
    text: str


def decoded(text: bytes) -> str:
    """The text in the encoding its first bytes show (a byte-order mark, or the NUL
    bytes of UTF-16 and UTF-32 without one, as JSON's own detection reads them), with
    bytes that do not decode replaced and NUL characters dropped: a line of a UTF-16
    JSON Lines file starts with the NUL that followed the previous line's LF."""
    encoding = json.detect_encoding(text)
    return text.decode(encoding, "replace").lstrip("\ufeff").replace("\x00", "")


def salvaged_answers(text: bytes) -> tuple[JsonObject, frozenset[str]]:
    """The answers a lenient reading finds in a refused record (question id or key
    as written -> value), and the keys one of whose values was a yes (never to be
    settled by a self-check: the lifter said yes)."""
    source = decoded(text)
    scanned, said_yes = _scanned_pairs(source)
    parsed = _parsed_answers(source)
    answers: JsonObject = dict(scanned)
    for key, value in parsed.items():
        if key not in answers or answer_key(answers[key]) == answer_key(value):
            answers[key] = value  # the parse keeps a list or an object the scan drops
        if reads_yes(value):
            said_yes.add(key)
    return answers, frozenset(said_yes)


def salvaged_records(text: bytes) -> list[tuple[int, str]] | None:
    """The objects of a refused JSON array, each as the number of line breaks before
    it and its text (a trailing comma, a comment or one record cut short made the
    whole array one error, and every record in it went unscreened); None when
    ``text`` is not an array that holds objects."""
    source = decoded(text)
    depth, start = 0, -1
    spans: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(source):
        if match.lastgroup != "mark":
            if depth == 0 and match.lastgroup == "word":
                return None  # not an array: a word before any bracket
            continue
        mark = match.group()
        if mark in "[{":
            if depth == 0 and mark != "[":
                return None
            if depth == 1 and mark == "{":
                start = match.start()
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 1 and mark == "}" and start >= 0:
                spans.append((source.count("\n", 0, start), source[start : match.end()]))
                start = -1
            if depth <= 0:
                break
    if start >= 0:
        spans.append((source.count("\n", 0, start), source[start:]))  # the last, cut short
    return spans or None


def _parsed_answers(source: str) -> JsonObject:
    try:
        data = json.loads(source, strict=False)
    except (ValueError, RecursionError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return answers if isinstance(answers, dict) else {}


def _tokens(source: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if kind is not None and kind != "comment":
            found.append(_Token(kind, match.group()))
    return found


def _scanned_pairs(source: str) -> tuple[JsonObject, set[str]]:
    """Every ``key: scalar`` and ``key: [scalars]`` pair, at any depth."""
    tokens = _tokens(source)
    pairs: JsonObject = {}
    readings: dict[str, str] = {}
    said_yes: set[str] = set()
    index = 0
    while index + 2 < len(tokens) and len(pairs) < MAX_SALVAGED_KEYS:
        key, colon = tokens[index], tokens[index + 1]
        if key.kind == "mark" or colon.text != ":":
            index += 1
            continue
        name = str(_value(key))
        value, index = _pair_value(tokens, index + 2)
        if value is _NO_VALUE or name in _NOT_ANSWERS:
            continue
        assert not isinstance(value, _Missing)
        if reads_yes(value):
            said_yes.add(name)
        reading = answer_key(value)
        if name not in pairs:
            pairs[name], readings[name] = value, reading
        elif readings[name] != reading:
            pairs[name] = "unsure"  # two readings of one key: the careful one
    return pairs, said_yes


class _Missing:
    """A pair whose value is an object (its own pairs are scanned) or is cut off."""


_NO_VALUE = _Missing()


def _pair_value(tokens: list[_Token], at: int) -> tuple[JsonValue | _Missing, int]:
    """The value that starts at token ``at``, and the index after it."""
    first = tokens[at]
    if first.kind != "mark":
        return _value(first), at + 1
    if first.text != "[":
        return _NO_VALUE, at  # an object (scanned on), or a stray mark
    items: list[JsonValue] = []
    index = at + 1
    while index < len(tokens):
        token = tokens[index]
        if token.text == "]":
            return items, index + 1
        if token.kind == "mark" and token.text != ",":
            return _NO_VALUE, at + 1  # objects in a list: their pairs are scanned
        if token.kind != "mark":
            items.append(_value(token))
        index += 1
    return items, index  # a list cut short


def _value(token: _Token) -> JsonValue:
    text = token.text
    if token.kind == "string":
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
    if number.is_integer() and re.fullmatch(r"-?\d+", text):
        return int(text)
    return number if number == number and abs(number) != float("inf") else text
