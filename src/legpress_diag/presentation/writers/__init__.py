"""The registry of output formats: every module in this package with a ``WRITER``.

Adding a format means adding one module here; the registry, ``--format``, the
``--output`` suffixes, ``ask --report`` and the help texts all pick it up.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import stat
from functools import cache
from pathlib import Path, PurePath

from ...foundation.problems import LegpressError
from .interface import ReportWriter, Result, WriteContext, Writer

__all__ = [
    "FormatError",
    "ReportWriter",
    "Result",
    "WriteContext",
    "Writer",
    "by_name",
    "by_suffix",
    "choose",
    "for_output",
    "names",
    "report_writer",
    "writers",
]


class FormatError(LegpressError):
    """A format name or an output suffix that names no known format."""


@cache
def writers() -> dict[str, Writer]:
    """Every writer by its name, in name order."""
    found: dict[str, Writer] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_") or module.name == "interface":
            continue
        writer = getattr(importlib.import_module(f"{__name__}.{module.name}"), "WRITER", None)
        if writer is not None:
            found[writer.name] = writer
    return dict(sorted(found.items()))


def names(*, reports: bool = False) -> list[str]:
    """Format names (only those that can write a one-result report, with ``reports``)."""
    return [n for n, w in writers().items() if not reports or isinstance(w, ReportWriter)]


def _listing(*, reports: bool = False) -> str:
    return ", ".join(names(reports=reports))


def by_name(name: str, *, reports: bool = False) -> Writer:
    """The writer called ``name`` or one of its aliases (any case). Raises FormatError."""
    wanted = name.strip().lower()
    for writer in writers().values():
        if wanted == writer.name or wanted in writer.aliases:
            if reports and not isinstance(writer, ReportWriter):
                raise FormatError(
                    f"a report cannot be written as {writer.name}; "
                    f"choose one of: {_listing(reports=True)}"
                )
            return writer
    raise FormatError(
        f"unknown format '{name}'; choose one of: {_listing(reports=reports)}"
        + ("" if reports else " (or an alias: " + _aliases() + ")")
    )


def _aliases() -> str:
    return ", ".join(f"{a}={w.name}" for w in writers().values() for a in w.aliases)


def by_suffix(path: PurePath, *, reports: bool = False) -> Writer:
    """The writer whose suffix ``path`` has. Raises FormatError naming the choices."""
    suffix = path.suffix.lower()
    for writer in writers().values():
        if suffix in writer.suffixes and (not reports or isinstance(writer, ReportWriter)):
            return writer
    told = f"'{suffix}'" if suffix else f"'{path.name}' (it has no suffix)"
    if reports:
        known = ", ".join(s for n in names(reports=True) for s in writers()[n].suffixes)
        raise FormatError(
            f"cannot tell the report format from {told}; end the file name with one of: {known}"
        )
    raise FormatError(f"cannot tell the format from {told}; use --format with one of: {_listing()}")


def choose(fmt: str | None, output: PurePath | None, default: str) -> Writer:
    """The writer for ``--format`` / ``--output``: the format wins; else the output's
    suffix, which must name a known format; else ``default``. Raises FormatError."""
    if fmt is not None:
        return by_name(fmt)
    if output is not None:
        return by_suffix(output)
    return by_name(default)


def for_output(fmt: str | None, output: Path | None, *, terminal: bool) -> Writer:
    """The writer of a batch: ``--format``, else the ``--output`` suffix (which must
    name a format), else the default, a table when the results go to a terminal
    (``terminal``: standard output is one) and JSON Lines otherwise. A FIFO or device
    has no suffix to go by: it is written as a pipe would be. Raises FormatError."""
    default = "table" if output is None and terminal else "jsonl"
    if output is not None and not output.suffix and _is_device_or_fifo(output):
        output = None
    return choose(fmt, output, default)


def _is_device_or_fifo(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def report_writer(path: PurePath) -> ReportWriter:
    """The writer for a one-result report at ``path``, from its suffix. Raises FormatError."""
    writer = by_suffix(path, reports=True)
    assert isinstance(writer, ReportWriter)
    return writer
