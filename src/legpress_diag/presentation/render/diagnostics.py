"""A diagnostic shown in its file: the lines `rules lint` and load errors print.

``file:line:col: CODE message``, then the source line with carets under the span and
the hint, in the style of ruff and rustc. The diagnostic itself is data
(:mod:`legpress_diag.foundation.problems`); this is one way to show it.
"""

from __future__ import annotations

import re

from ...foundation.problems import Diagnostic, Severity, SourceSpan
from .textsafe import terminal


def source_excerpt(diagnostic: Diagnostic, source: str | None) -> list[str]:
    """The lines that show a diagnostic in its file, in the style of ruff and rustc.

    ``file:line:col: CODE message``, the source line with carets under the span, and
    the hint on a line of its own::

        seat.yaml:33:26: LP204 'too_far_foward' is not a choice of 'seat_position'
           |
        33 |     if: seat_position == too_far_foward
           |                          ^^^^^^^^^^^^^^
           = hint: did you mean 'too_far_forward'?

    ``source`` is the file's text (None when it cannot be shown). Control and bidi
    characters in the line are escaped, and the carets move with them.
    """
    first = f"{diagnostic.span}: " if diagnostic.span else ""
    level = "" if diagnostic.severity is Severity.ERROR else f"{diagnostic.severity.value}: "
    lines = [f"{first}{diagnostic.code} {level}{diagnostic.message}"]
    span = diagnostic.span
    source_lines = source.splitlines() if source is not None else []
    if span is not None and 1 <= span.line <= len(source_lines):
        text = source_lines[span.line - 1]
        start = min(max(span.col, 1), len(text) + 1) - 1
        width = _caret_width(text, start, span)
        # A line of 200,000 characters is shown as a window around the column, not
        # whole (with as many carets).
        low = max(0, start - EXCERPT_BEFORE) if len(text) > EXCERPT_CHARS else 0
        high = min(len(text), low + EXCERPT_CHARS) if len(text) > EXCERPT_CHARS else len(text)
        before, after = ("…" if low else ""), ("…" if high < len(text) else "")
        text, start, width = text[low:high], start - low, min(width, high - start)
        shown = before + terminal(text).replace("\t", " ") + after
        pad = len(before) + len(terminal(text[:start]).replace("\t", " "))
        carets = len(terminal(text[start : start + width]).replace("\t", " ")) or 1
        gutter = " " * len(str(span.line))
        lines += [
            f"{gutter} |",
            f"{span.line} | {shown}".rstrip(),
            f"{gutter} | {' ' * pad}{'^' * carets}",
        ]
    if diagnostic.hint:
        lines.append(f"{' ' * len(str(span.line)) if span else ''} = hint: {diagnostic.hint}")
    return lines


EXCERPT_CHARS = 120  # the most of a source line an excerpt shows
EXCERPT_BEFORE = 40  # of which before the column, when the line is longer


def _caret_width(text: str, start: int, span: SourceSpan) -> int:
    """How many characters to underline: the span on its line, else the word at it."""
    if span.end_line == span.line and span.end_col is not None and span.end_col > span.col:
        return min(span.end_col - span.col, len(text) - start)
    if span.end_line is not None and span.end_line > span.line:
        return len(text.rstrip()) - start  # a block starting here: the rest of its line
    word = re.match(r"[\w.\-]+|'[^']*'|\"[^\"]*\"|\S", text[start:])
    return len(word.group(0)) if word else 1
