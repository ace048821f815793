"""Which files are rule files, and how a path is shown: what both reading the rule
files (``sources``) and finding them (``bundled``, ``packs``) need.

Kept apart from ``sources`` so that a run whose rule base comes from the cache,
which reads no rule file, does not import the reader (docs/performance.md,
one-record start).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..foundation import codes
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan

RULE_SUFFIXES = (".yaml", ".yml")
# A rule file's own cases sit beside it as ``seat-cases.yaml`` (or ``seat_cases.yaml``,
# ``seat.cases.yaml``): such a file is never one of a folder's rule files.
CASE_FILE_ENDINGS = ("-cases", "_cases", ".cases")


def is_case_file(path: Path) -> bool:
    """Is this file named as a rule file's cases (``seat-cases.yaml``)?"""
    return path.suffix in RULE_SUFFIXES and path.stem.endswith(CASE_FILE_ENDINGS)


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # a different drive on Windows
        return str(path)
    return str(path.resolve()) if relative.startswith("..") else relative


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files in the order given; a directory contributes its rule files sorted by name
    (not its case files: ``seat-cases.yaml``, or anything in a ``cases/`` folder)."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in RULE_SUFFIXES and p.is_file() and not is_case_file(p)
            )
            if not found:
                problems.append(file_error(display_path(path), "directory holds no .yaml files"))
            files.extend(found)
        elif path.exists():
            # A FIFO or device (`--rules <(curl ...)`) is read like a file, within
            # the same size bound; only a path that is really absent is "not found".
            files.append(path)
        else:
            problems.append(file_error(str(path), "no such file or directory"))
    if problems:
        raise RuleBaseError(problems)
    return files


def file_error(path: str, message: str, code: str = codes.UNREADABLE_FILE) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, SourceSpan(path, 1, 1))
