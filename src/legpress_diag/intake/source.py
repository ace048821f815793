"""Where a batch's records come from: a file, or standard input, opened for reading.

Opening is refused with a message naming what went wrong before any work starts:
a folder, a file that cannot be read, standard input that was closed, or an input
that the results would overwrite.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from pathlib import Path
from typing import IO

from ..foundation.problems import LegpressError


class SourceError(LegpressError):
    """The records cannot be read from where the user said, or the results would
    replace them."""


def source_name(file: str) -> str:
    """The input's name in messages: ``<stdin>`` for '-'."""
    return "<stdin>" if file == "-" else file


def open_source(file: str, output: Path | None, *, stdin_closed: bool = False) -> IO[bytes]:
    """``file`` opened for reading bytes ('-': standard input, which the caller does
    not close). ``output`` is where the results go (None: standard output). Raises
    SourceError."""
    if file == "-":
        if stdin_closed:
            raise SourceError("standard input is closed; give a FILE instead of '-'")
        with contextlib.suppress(OSError, ValueError):  # `- < in.jsonl -o in.jsonl` too
            _refuse_writing_over(sys.stdin.buffer, "standard input", output)
        return sys.stdin.buffer
    path = Path(file)
    if path.is_dir():
        raise SourceError(f"{file}: is a directory; give a JSON or JSON Lines file")
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{file}: cannot read: {exc.strerror}") from None
    _refuse_writing_over(stream, file, output)
    return stream


def _refuse_writing_over(stream: IO[bytes], file: str, output: Path | None) -> None:
    """The results must not replace the records they come from (-o the input file,
    through a link too), nor go to the input file through a shell's '>', which has
    already emptied it by the time we run."""
    read = os.fstat(stream.fileno())
    targets: list[tuple[str, os.stat_result]] = []
    if output is not None:
        with contextlib.suppress(OSError):
            targets.append((f"--output {output}", os.stat(output)))
    else:
        with contextlib.suppress(OSError, ValueError):
            targets.append(("standard output", os.fstat(sys.stdout.fileno())))
    # A pipe read from and named as --output (/dev/stdin) was opened for writing and
    # filled until the run hung, nobody reading it (attack round 11, L1).
    kinds = (stat.S_ISREG(read.st_mode), output is not None and stat.S_ISFIFO(read.st_mode))
    for name, written in targets:
        if any(kinds) and (read.st_dev, read.st_ino) == (
            written.st_dev,
            written.st_ino,
        ):
            if stream is not sys.stdin.buffer:
                stream.close()
            raise SourceError(
                f"{name} is the same file as the input ({file}); write the results elsewhere"
            )


def input_size(stream: IO[bytes]) -> int | None:
    """The size of a regular file being read, for a progress bar; None for a pipe."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None
