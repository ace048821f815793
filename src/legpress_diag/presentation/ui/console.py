"""Consoles for results (stdout) and for messages (stderr), honouring NO_COLOR."""

from __future__ import annotations

import os
import sys
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ...knowledge.textsafe import terminal


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
