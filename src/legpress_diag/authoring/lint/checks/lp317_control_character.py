r"""LP317 control-character: rule text holding a control or bidi override character.

Titles, advice, notes and question wording are shown in terminals and reports.
A control character there (an escape, a carriage return, a bell) could clear a
screen or retitle a window, and a bidi override (U+202A to U+202E, U+2066 to U+2069)
makes text read differently from what it holds. legpress-diag shows them escaped
(as \x1b or \u202e), so the text looks broken; the file likely came from a copy and
paste or from someone who wanted to hide something. Line breaks are fine.

Bad:
    fixes:
      - {id: lock_soft, title: "Soft knees\e]0;pwned\a", how: Keep a slight bend at the top.}

Good:
    fixes:
      - {id: lock_soft, title: "Soft knees", how: Keep a slight bend at the top.}
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity, SourceSpan
from ....knowledge.sources import ParsedFile
from ....presentation.render.textsafe import unsafe_chars
from ..context import LintContext

CODE = "LP317"
NAME = "control-character"
SEVERITY = Severity.WARNING
PHASE = "analysis"

_SHOWN = 3
# YAML double-quoted escapes, to point at the one that produced the character.
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_NAMED = {"0": 0, "a": 7, "b": 8, "t": 9, "\t": 9, "v": 11, "f": 12, "r": 13, "e": 27}
_NAMED |= {"N": 0x85, "L": 0x2028, "P": 0x2029}


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for parsed in ctx.files:
        starts = _line_starts(parsed.text)
        for scalar in parsed.document.scalars.values():
            if isinstance(scalar.value, str):
                found = _found(scalar.value)
                if found:
                    span = _exact(parsed, starts, scalar.span, scalar.style) or scalar.span
                    yield _diagnostic("text", found, span)
        for key_path, span in parsed.document.key_spans.items():
            name = key_path[-1] if key_path else ""
            found = _found(name) if isinstance(name, str) else []
            if found:
                yield _diagnostic("key", found, span)


def _found(text: str) -> list[str]:
    return [shown for _, shown in unsafe_chars(text) if shown != "\\x0a"]


def _diagnostic(what: str, found: list[str], span: SourceSpan) -> Diagnostic:
    listed = ", ".join(found[:_SHOWN]) + (
        f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
    )
    return Diagnostic(
        CODE,
        SEVERITY,
        f"{what} holds control or bidi characters ({listed}); they are shown escaped",
        span,
        "delete them; for a line break, use a block scalar (|) instead",
    )


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def _exact(
    parsed: ParsedFile, starts: list[int], span: SourceSpan, style: str | None
) -> SourceSpan | None:
    """The line and column of the first offending character inside the scalar's source:
    the character itself when written raw, or the escape sequence that makes it."""
    if span.end_line is None or span.end_col is None or span.end_line > len(starts):
        return None
    begin = starts[span.line - 1] + span.col - 1
    end = starts[span.end_line - 1] + span.end_col - 1
    source = parsed.text[begin:end]
    offsets = [i for i, shown in unsafe_chars(source) if shown not in ("\\x0a", "\\x0d")]
    if style == '"':
        for m in _ESCAPE.finditer(source):
            if _found(_decode(m.group(1))):
                offsets.append(m.start())
                break
    if not offsets:
        return None
    at = begin + min(offsets)
    line = bisect_right(starts, at) - 1
    return SourceSpan(span.path, line + 1, at - starts[line] + 1)


def _decode(escape: str) -> str:
    if escape[0] in "xuU" and len(escape) > 1:
        number = int(escape[1:], 16)
        return chr(number) if number <= 0x10FFFF else ""
    code = _NAMED.get(escape)
    return chr(code) if code is not None else ""
