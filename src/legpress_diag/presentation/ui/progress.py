"""A progress bar on standard error for a batch, drawn with rich.

The core (``legpress_diag.intake.batch``) only calls a ``progress(done, bytes_read)``
callback; this is the one place that turns it into something on the screen. Lines
said while the bar is shown (per-record errors and warnings) are printed above it.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from ...presentation.render.textsafe import terminal
from .fit import fit


class BatchProgress:
    """``with BatchProgress(total_bytes) as bar:`` then ``bar.update(done, read)``.

    ``total_bytes`` is the input's size when known (a file); without it the bar only
    counts records.
    """

    def __init__(self, total_bytes: int | None, stream: IO[str] | None = None) -> None:
        self.total = total_bytes or None
        console = Console(file=stream if stream is not None else sys.stderr, highlight=False)
        columns = [
            TextColumn("Diagnosing"),
            BarColumn(),
            *([TaskProgressColumn()] if self.total else []),
            TextColumn("{task.fields[records]} records"),
            TimeElapsedColumn(),
        ]
        # Messages are printed through the progress console, so nothing is redirected.
        self._progress = Progress(
            *columns, console=console, redirect_stdout=False, redirect_stderr=False
        )
        self._task: TaskID | None = None
        self._done = 0

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        self._task = self._progress.add_task("diagnose", total=self.total, records=0)
        return self

    def update(self, done: int, bytes_read: int | None) -> None:
        assert self._task is not None
        self._done = done
        if self.total is not None and bytes_read is not None:
            self._progress.update(self._task, completed=bytes_read, records=done)
        else:
            self._progress.update(self._task, records=done)

    def say(self, line: str) -> None:
        """Print one message line above the bar; the text is shown, never obeyed."""
        console = self._progress.console
        # Broken at spaces like every other message on a terminal (ui/fit.py), not
        # wherever the width runs out.
        console.print(Text(fit(terminal(line), console.width)), soft_wrap=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None and self._task is not None:
            # A finished run shows a full bar, also when the input's size was unknown.
            end = self.total if self.total is not None else max(self._done, 1)
            self._progress.update(self._task, total=end, completed=end)
        self._progress.stop()
