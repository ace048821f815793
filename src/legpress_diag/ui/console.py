"""Consoles for results (stdout) and for messages (stderr), honouring NO_COLOR."""

from __future__ import annotations

import os
import sys
from typing import IO

from rich.console import Console


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
