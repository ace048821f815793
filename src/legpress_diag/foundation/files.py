"""Reading a small named input (a rule file, a saved session, a manifest) whatever
the name turns out to be: a regular file, a FIFO, a device.

Two things go wrong with the obvious ``path.read_bytes()``: /dev/zero or an endless
pipe fills the memory before any size check can run, and a FIFO nobody writes to
blocks ``open`` for ever. Streams that are meant to wait for a writer (the records
``diagnose`` reads, like standard input) do not use this.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO


def open_without_waiting(path: Path | str) -> BinaryIO:
    """``path`` opened for reading in binary, without waiting for a writer: a FIFO
    with none reads as empty. After the open, reads block as usual (a slow writer is
    waited for). Raises OSError."""
    # O_NONBLOCK only for the open: a FIFO with no writer would wait there for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    stream = open(fd, "rb")  # noqa: SIM115 - the caller closes it
    os.set_blocking(fd, True)
    return stream


def read_at_most(path: Path | str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (one more than allowed tells the
    caller the input is too big without reading the rest), opened as
    :func:`open_without_waiting` opens it. Raises OSError."""
    with open_without_waiting(path) as stream:
        return stream.read(limit + 1)


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: the same file through a symlink, a hard link
    or another spelling of the path; for a file not written yet, the same place."""
    try:
        if first.exists() and second.exists():
            return first.samefile(second)
    except OSError:
        pass
    return first.resolve() == second.resolve()
