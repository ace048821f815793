"""Where results go: standard output, a device or FIFO written in place, or a regular
file replaced whole or not at all. Used by every command that writes a file; nothing
here knows the command line (which records in ``CLOSED_STREAMS`` the standard
streams that were closed when it started).

Every output path is checked before any work starts (``check_output``), so a typo in
a folder name costs the user nothing. Writing never changes anything but the named
output: a symlink's target is written (the link stays), a device or FIFO is written in
place (never replaced by a regular file), and a replaced file keeps its mode.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..foundation.problems import LegpressError

# Temp files are named ".NAME.legpress-diag.PID.tmp" beside their target, so a later run
# can recognise one left by a process that was killed outright (SIGKILL) and remove it.
_TEMP_MARK = ".legpress-diag."
_TEMP_SUFFIX = ".tmp"

# Errors of the place being written to, not of the program: reported as the user's
# environment (exit 2), never as a bug.
_ENVIRONMENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.EIO,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ENXIO,
        errno.EBADF,
        errno.EISDIR,
        errno.ENOENT,
        errno.ENOTDIR,
    }
)

# The standard streams that were closed when the program started (`<&-`, `>&-`).
CLOSED_STREAMS: set[str] = set()


class OutputError(LegpressError):
    """An output cannot be written: a missing folder, a full disk, a closed stdout."""


def is_environment_error(exc: OSError) -> bool:
    return exc.errno in _ENVIRONMENT_ERRNOS


def check_output(path: Path | None, what: str = "results") -> None:
    """Refuse, before any work, an output that cannot be written. Raises OutputError.

    ``what`` names the output in messages: a word ("results", taken as results.jsonl)
    or a file name with a suffix the command accepts ("answers.json"), which is what
    a folder given by mistake is offered."""
    if path is None:
        if "stdout" in CLOSED_STREAMS:
            raise OutputError(
                f"standard output is closed, so there is nowhere to put the {what}; "
                "give --output FILE or run without '>&-'"
            )
        return
    real = Path(os.path.realpath(path))
    try:
        info = _stat(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        example = what if "." in what else f"{what}.jsonl"
        raise OutputError(f"{path}: is a directory; give a file name, e.g. {path / example}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        if not os.access(path, os.W_OK):
            raise OutputError(f"{path}: cannot write: permission denied")
        return  # a device or FIFO is written in place; its folder does not matter
    folder = real.parent
    written = os.path.dirname(os.fspath(path)) or "."
    if not folder.is_dir() or not os.path.isdir(written):
        # The folder as written too: "nosuchdir/../in.jsonl" resolves, by its letters,
        # to in.jsonl, which the system would never open through a missing folder; the
        # input was replaced by its results (check 51, F2).
        shown = folder if not folder.is_dir() else written
        raise OutputError(f"{path}: the folder {shown} does not exist; create it first")
    # A regular file is replaced through a temp file beside it, so the folder itself
    # must be writable (access() also reports a read-only file system, EROFS).
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"{path}: cannot write in the folder {folder} (read-only or permission denied); "
            "choose another place"
        )


def _temp_name(real: Path) -> Path:
    return real.with_name(f".{real.name}{_TEMP_MARK}{os.getpid()}{_TEMP_SUFFIX}")


def remove_stale_temps(real: Path) -> None:
    """Remove temp files of ``real`` left by runs that no longer exist (killed with -9)."""
    prefix = f".{real.name}{_TEMP_MARK}"
    with contextlib.suppress(OSError):
        for entry in os.scandir(real.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
                continue
            pid = name[len(prefix) : -len(_TEMP_SUFFIX)]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def _write_error(shown: str, exc: OSError) -> OutputError:
    return OutputError(f"{shown}: cannot write: {exc.strerror or exc}")


@contextlib.contextmanager
def atomic_output(path: Path | None) -> Iterator[IO[str]]:
    """Yield a text stream for ``path`` (stdout when None).

    A regular file (or a symlink's resolved target) is written to a temp file beside
    it and renamed into place on success, so a failed or interrupted run never leaves
    a half-written output and never clobbers the previous one. Devices and FIFOs are
    written in place. A write that fails for a reason of the environment (disk full,
    read-only) raises OutputError naming the output.
    """
    if path is None:
        yield from _stdout()
        return
    real = Path(os.path.realpath(path))
    info = _stat(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        yield from _in_place(path)
    else:
        yield from _replaced(path, real, info)


def _stat(path: Path) -> os.stat_result | None:
    """What ``path`` leads to, following links, or None when nothing is there yet.

    The path itself, not its realpath: /dev/stdout resolves to a name such as
    /proc/PID/fd/pipe:[N] that exists nowhere, while the path opens the pipe."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _stdout() -> Iterator[IO[str]]:
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        silence_stdout()  # or the interpreter's final flush fails a second time
        raise _write_error("standard output", exc) from None


def _replaced(path: Path, real: Path, info: os.stat_result | None) -> Iterator[IO[str]]:
    """A regular file, new or replaced whole through a temp file beside it."""
    remove_stale_temps(real)
    temp = _temp_name(real)
    try:
        # 0o666 lets the umask decide a new file's mode, as for any other program.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _write_error(str(path), exc) from None
    try:
        if info is not None:  # a replaced file keeps its mode (and owner, when allowed)
            os.fchmod(fd, stat.S_IMODE(info.st_mode))
            with contextlib.suppress(OSError):
                os.fchown(fd, info.st_uid, info.st_gid)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError) and is_environment_error(exc):
            raise _write_error(str(path), exc) from None
        raise


def _in_place(path: Path) -> Iterator[IO[str]]:
    try:
        stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise _write_error(str(path), exc) from None
    try:
        with stream:
            yield stream
            stream.flush()
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        raise _write_error(str(path), exc) from None


def save_fallback(text: str, stem: str, suffix: str) -> Path:
    """Write ``text`` to a new file in the user's state folder (else the temp folder).

    Used when the place the user asked for cannot be written, or when a session ends
    on a signal without --save, so their answers are never lost. The folder is
    ``$XDG_STATE_HOME/legpress-diag`` (default ``~/.local/state/legpress-diag``).
    Returns the file; raises OSError if no place is writable.
    """
    import tempfile
    import time

    name = f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}"
    last: OSError | None = None
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    for folder in (Path(state) / "legpress-diag", Path(tempfile.gettempdir())):
        try:
            saved = _save_new(folder, name, suffix, text)
        except OSError as exc:
            last = exc
            continue
        if saved is not None:
            return saved
    raise last or OSError(errno.EEXIST, "no free file name")


def _save_new(folder: Path, name: str, suffix: str, text: str) -> Path | None:
    """Write ``text`` to a new file NAME[-N]SUFFIX in ``folder`` (made if missing).

    Returns None when the first hundred names are taken; raises OSError when the
    folder cannot be made or written in (a file begun is removed). The answers are
    health details, and the fallback may be the shared temp folder: the file is
    readable by its owner only, and a folder made here too."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for n in range(100):
        candidate = folder / f"{name}{f'-{n}' if n else ''}{suffix}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(candidate)
            raise
        return candidate
    return None


def silence_stdout() -> None:
    """After a broken pipe or a failed write: point stdout at /dev/null so the exit
    flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
