"""Messages on stderr, fitted to the terminal showing them.

A terminal breaks a line that is too long wherever the width runs out, often
mid-word or mid-path; a message fitted here breaks at spaces instead, continuation
lines indented under the first. In a pipe or a log file a message stays one line,
so whatever reads it (grep, an editor's problem matcher) sees it whole.
Standard library only: the error paths that use it must not import rich.
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import IO

# Narrower than this, wrapping helps nobody: leave it to the terminal.
MIN_WIDTH = 20
# A line of a source excerpt ("3 |     how: ..." and the caret line under it) keeps
# its columns, or the caret would no longer point at the place.
_EXCERPT = re.compile(r"^ *\d* *\|")


def terminal_width(stream: IO[str]) -> int | None:
    """The width of the terminal ``stream`` writes to; None if it is not a terminal.

    COLUMNS, when set, wins (as for every terminal program)."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError, OSError):
        return None
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return None


def fit(text: str, width: int | None) -> str:
    """``text`` broken at spaces to ``width`` columns (None: unchanged)."""
    if width is None or width < MIN_WIDTH:
        return text
    fitted = []
    for line in text.split("\n"):
        if len(line) <= width or _EXCERPT.match(line):
            fitted.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        fitted.append(
            textwrap.fill(
                line,
                width=width,
                initial_indent="",
                subsequent_indent=indent + "  ",
                break_long_words=False,  # a path or an id stays whole, even if too long
                break_on_hyphens=False,
            )
        )
    return "\n".join(fitted)


def fit_to(stream: IO[str], text: str) -> str:
    """``text`` fitted to the terminal ``stream`` writes to, if it is one."""
    return fit(text, terminal_width(stream))
