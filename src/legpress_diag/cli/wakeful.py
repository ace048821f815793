"""Standard input that a signal always interrupts.

Python runs a signal's handler between bytecodes; the C-level handler only notes the
signal. A TERM, HUP or Ctrl-C that lands after the last check and before the blocking
``read()`` starts (the window right after a prompt is printed, which a loaded machine
widens) is noted and then waits, unseen, until the next line is typed or the pipe
ends: ``ask`` and ``diagnose -`` looked hung (issue 23, 1 loaded run in 5). The same
happens when the signal is delivered to a thread other than the main one.

The signal module writes a byte to its wakeup fd whenever a signal arrives, whichever
thread it lands on; waiting on standard input and that fd together cannot miss one.
Only streams whose reads can block (a terminal, a pipe, a socket) are wrapped.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from typing import TextIO


class WakefulReader(io.RawIOBase):
    """A raw reader of ``fd`` that waits for data or a signal, whichever comes first."""

    def __init__(self, fd: int, wakeup: int) -> None:
        super().__init__()
        self._fd = fd
        self._wakeup = wakeup

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while True:
            ready, _, _ = select.select([self._fd, self._wakeup], [], [])
            if self._wakeup in ready:
                _drain(self._wakeup)
            if self._fd in ready:
                return os.readv(self._fd, [buffer])
            # Only a signal: its Python handler runs at the next bytecode check, in
            # this loop (Terminated, KeyboardInterrupt); one that returns waits again.


def _drain(fd: int) -> None:
    with contextlib.suppress(BlockingIOError, InterruptedError):
        while os.read(fd, 512):
            pass


def _can_block(fd: int) -> bool:
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


@contextlib.contextmanager
def wakeful_stdin() -> Iterator[None]:
    """Within the block, ``sys.stdin`` (and its ``.buffer``) reads through a
    :class:`WakefulReader`; the previous stdin and wakeup fd come back afterwards."""
    stdin: TextIO = sys.stdin
    try:
        fd = stdin.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        fd = -1  # a test's in-memory stdin: nothing blocks
    if (
        fd < 0
        or os.name != "posix"
        or threading.current_thread() is not threading.main_thread()
        or not _can_block(fd)
    ):
        yield
        return
    wakeup, wake = os.pipe()
    os.set_blocking(wakeup, False)
    os.set_blocking(wake, False)
    previous = signal.set_wakeup_fd(wake, warn_on_full_buffer=False)
    sys.stdin = io.TextIOWrapper(
        io.BufferedReader(WakefulReader(fd, wakeup)),
        encoding=stdin.encoding,
        errors=stdin.errors,
        newline="\n",  # as Python's own stdin on POSIX: lines end at \n only
    )
    try:
        yield
    finally:
        sys.stdin = stdin
        signal.set_wakeup_fd(previous)
        os.close(wakeup)
        os.close(wake)
