"""The command line's own part of its output: the standard streams as it found them.

Where results go (atomic files, devices and FIFOs, standard output) is below the
command line, in ``presentation/destination.py``. What is left here is the command
line's own: putting /dev/null in place of a standard stream that was closed when
the program started, and remembering it in ``CLOSED_STREAMS``.
"""

from __future__ import annotations

import os
import sys

from ..presentation.destination import CLOSED_STREAMS


def reopen_closed_std_streams() -> None:
    """Put /dev/null on any standard descriptor that was closed at start.

    Otherwise the first file opened takes descriptor 0, 1 or 2, and whatever is later
    written to "stdout" would land in it. The streams are remembered as closed so a
    command that needs one refuses to start with a clear message.
    """
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:  # the lowest free descriptor is normally the closed one
                os.dup2(null, fd)
                os.close(null)
            CLOSED_STREAMS.add(name)
            mode = "r" if fd == 0 else "w"
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
