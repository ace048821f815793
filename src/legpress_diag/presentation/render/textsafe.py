"""Make untrusted text safe for where it is shown: a terminal, a CSV cell, Markdown.

Text from an answer record (ids, unknown keys) and from a rule file (titles, advice,
notes, question wording) is data, never instructions for whatever displays it. Each
function here takes such text and returns text that shows the same characters to a
reader but cannot drive the display:

- :func:`terminal` escapes control characters (C0, DEL, C1) and the bidi controls
  that reorder what a reader sees, as ``\\x1b`` or ``\\u202e``, so a window-title
  or screen-clearing sequence is printed as harmless letters.
- :func:`csv_cell` keeps a spreadsheet from reading a cell as a formula.
- :func:`markdown` escapes HTML and Markdown structure in one-line fields, and
  :func:`code_fence` picks a fence that the content cannot close.
- :func:`json_line` escapes, inside an already encoded JSON text, the characters
  that JSON allows raw but a terminal or a JavaScript parser treats specially.

Everything is linear in the length of the text. Pure: no terminal library here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# Bidi embedding, override and isolate controls (Trojan Source, CVE-2021-42574).
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
# Line and paragraph separators end a line for some displays and for JavaScript.
_SEPARATORS = (0x2028, 0x2029)
_CONTROL = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
# A lone UTF-16 surrogate ("\ud800" is valid JSON) is no character at all: it cannot
# be written as UTF-8, so it would stop the output; it is shown escaped instead.
_SURROGATES = tuple(range(0xD800, 0xE000))


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@cache
def _terminal_table(newlines: bool) -> dict[int, str]:
    """The escapes for str.translate: made on first need (2,200 entries cost every
    start-up a millisecond or two, and most runs never escape anything)."""
    kept = (0x0A,) if newlines else ()
    codes = (*_CONTROL, *_BIDI, *_SEPARATORS, *_SURROGATES)
    return {c: _escape(c) for c in codes if c not in kept}


def _lazy(pattern: str) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use, like the tables: compiling these
    cost every start-up about a millisecond, and most runs escape nothing."""
    return cache(lambda: re.compile(pattern))


_unsafe = _lazy("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def has_unsafe(text: str) -> bool:
    """True when ``text`` holds a character that :func:`terminal` would escape."""
    return _unsafe().search(text) is not None


def unsafe_chars(text: str) -> list[tuple[int, str]]:
    """(0-based index, escaped form) of each character :func:`terminal` would escape."""
    return [(m.start(), _escape(ord(m.group()))) for m in _unsafe().finditer(text)]


def terminal(text: object, *, newlines: bool = False) -> str:
    """``text`` with every control and bidi character shown escaped (``\\x1b``).

    With ``newlines`` a line feed is kept, for fields that are meant to span lines;
    a carriage return is always escaped, since it lets a line overwrite itself.
    """
    value = str(text)
    if _unsafe().search(value) is None:  # the common case: nothing to copy
        return value
    return value.translate(_terminal_table(newlines))


# OWASP "CSV injection": a cell starting with one of these is a formula to Excel,
# LibreOffice or Google Sheets (tab and carriage return are stripped before the check).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value safe to write as one CSV cell.

    Strings get their control characters escaped (line feeds kept: the CSV writer
    quotes them) and, when they start like a formula, a leading ``'`` as OWASP
    advises, so ``=HYPERLINK(...)`` is shown as text. Numbers (int and float, not
    bool) are returned unchanged: a spreadsheet reads ``-0.4`` as the number it is,
    never as a formula, and prefixing it would turn a numeric column into text.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return terminal(text, newlines=True)


# Characters with meaning in inline Markdown (CommonMark's escapable punctuation that
# can start emphasis, code, links, images, tables, HTML or an entity).
_MD_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "#": "\\#",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)
_line_breaks = _lazy("\r\n|[\n\r\v\f\x85\u2028\u2029]")
# At the start of a line these open a list, a heading underline or a block quote.
_block_start = _lazy(r"([-+=])|(\d{1,9})([.)])")


def markdown(text: object, *, line_start: bool = False) -> str:
    """``text`` as one line of literal Markdown inline text.

    HTML is escaped (``<script>`` shows as text), Markdown punctuation is
    backslash-escaped, and line breaks become spaces, so a field can never start a
    heading, a list or a block of its own. With ``line_start`` (the field begins a
    line) a leading list marker or ``=``/``-`` underline is escaped too. Control
    characters are escaped as for a terminal.
    """
    one_line = _line_breaks().sub(" ", str(text))
    escaped = terminal(one_line.translate(_MD_INLINE))
    if line_start:
        match = _block_start().match(escaped)
        if match is not None and match.group(1):
            escaped = "\\" + escaped
        elif match is not None:
            escaped = match.group(2) + "\\" + escaped[match.end(2) :]
    return escaped


_backtick_runs = _lazy("`+")


def code_fence(content: str) -> str:
    """A backtick fence longer than any run of backticks in ``content`` (at least 3).

    CommonMark closes a fence only with a run of backticks at least as long as the
    opening one, so no line of ``content`` can end the block early.
    """
    longest = max((len(m.group()) for m in _backtick_runs().finditer(content)), default=0)
    return "`" * max(3, longest + 1)


def fenced(content: str, info: str = "") -> list[str]:
    """``content`` as the lines of a fenced code block, control characters escaped."""
    body = terminal(content, newlines=True)
    fence = code_fence(body)
    return [fence + info, *body.split("\n"), fence]


# JSON lets every character from U+007F up stand raw inside a string; of those, C1
# controls act as escape sequences on some terminals, bidi controls reorder what is
# read, and U+2028/2029 end lines in JavaScript. \\uXXXX decodes to the same string.
_json_unsafe = _lazy("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


@cache
def _json_escapes() -> dict[int, str]:
    """The escapes for str.translate, made on first need (as _terminal_table)."""
    codes = (0x7F, *range(0x80, 0xA0), *_BIDI, *_SEPARATORS, *_SURROGATES)
    return {c: f"\\u{c:04x}" for c in codes}


def json_line(encoded: str) -> str:
    """An encoded JSON text with the characters above written as ``\\uXXXX`` escapes.

    Outside strings JSON is ASCII, so this never changes what the text decodes to.
    """
    # Every unsafe character but DEL lies above ASCII, and most results are ASCII:
    # two C-speed checks spare them the regular expression.
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    if _json_unsafe().search(encoded) is None:
        return encoded
    return encoded.translate(_json_escapes())


def mermaid_label(text: str) -> str:
    """A label inside a Mermaid node's quotes: ``"`` written as Mermaid's ``#quot;``.

    Control and bidi characters from a rule file are shown escaped, as in every other
    output: a drawing is printed to a terminal as often as it is rendered.
    """
    return terminal(text).replace('"', "#quot;")


def dot_label(text: str) -> str:
    """A label inside a Graphviz DOT string: backslash and quote escaped."""
    return terminal(text).replace("\\", "\\\\").replace('"', '\\"')


def unencodable_escaped(exc: UnicodeError) -> tuple[str, int]:
    """Write a character the output encoding lacks as a JSON-style \\uXXXX escape.

    JSON output stays valid and lossless (a JSON reader decodes the escape back);
    other text stays readable instead of the program failing on a display setting.
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    parts = []
    for char in exc.object[exc.start : exc.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            parts.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            parts.append(f"\\u{code:04x}")
    return "".join(parts), exc.end
