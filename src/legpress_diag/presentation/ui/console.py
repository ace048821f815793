"""Consoles for results (stdout) and for messages (stderr), honouring NO_COLOR."""

from __future__ import annotations

import os
import re
import sys
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ...presentation.render.textsafe import terminal


def make_console(
    stream: IO[str] | None = None, *, stderr: bool = False, width: int | None = None
) -> Console:
    target = stream if stream is not None else (sys.stderr if stderr else sys.stdout)
    no_color = "NO_COLOR" in os.environ or not target.isatty()
    return Console(
        file=target,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        width=width,
        # In a pipe or file, leave line breaking to whatever displays the text.
        soft_wrap=width is None and not target.isatty(),
    )


def plain(value: object, *, newlines: bool = False) -> str:
    """Untrusted text for a rich ``Text``: control and bidi characters shown escaped.

    Pass the result to ``Text`` (which never reads markup), not to ``console.print``
    as a string; where a string is unavoidable, use :func:`markup_literal`.
    """
    return terminal(value, newlines=newlines)


def markup_literal(value: object, *, newlines: bool = False) -> str:
    """Untrusted text for an API that reads rich markup: ``[bold]`` shown as typed."""
    return escape(terminal(value, newlines=newlines))


def safe(value: object, style: str = "", *, newlines: bool = False) -> Text:
    """Untrusted text as a rich ``Text``: no markup read, control characters escaped."""
    return Text(terminal(value, newlines=newlines), style=style)


# A list item: its indent and marker ("  - ", "  3. "), then its text.
_ITEM = re.compile(r"^( *(?:[-•*]|\d+\.) +)(\S.*)$")


def hanging(value: object, style: str = "") -> RenderableType:
    """Untrusted text whose list items wrap under their own text, not at column 0:
    on a narrow terminal a wrapped item stays readable as one. Each line is escaped
    as :func:`safe` does; lines that are not list items are plain ``Text``."""
    parts: list[RenderableType] = []
    for line in terminal(value, newlines=True).split("\n"):
        item = _ITEM.match(line)
        if item is None:
            parts.append(Text(line, style=style))
            continue
        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(Text(item.group(1), style=style), Text(item.group(2), style=style))
        parts.append(grid)
    return Group(*parts)
