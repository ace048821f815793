"""Which files are rule files, and how a path is shown: what both reading the rule
files (``sources``) and finding them (``bundled``, ``packs``) need.

Kept apart from ``sources`` so that a run whose rule base comes from the cache,
which reads no rule file, does not import the reader (docs/performance.md,
one-record start).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
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
            found = _rule_files_in(path)
            if not found:
                problem = file_error(display_path(path), "directory holds no .yaml files")
                problems.append(replace(problem, hint=_nearest_rule_folder(path)))
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


def _rule_files_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in RULE_SUFFIXES and p.is_file() and not is_case_file(p)
    )


def _nearest_rule_folder(folder: Path) -> str | None:
    """Where the rule files are when a coach names the folder above them: a pack's
    project folder (``my-gym-pack/``, its rules in ``my-gym-pack/my_gym_pack/``) is
    the usual case. Looks two levels down, skipping hidden and virtualenv folders."""
    below: list[Path] = []
    try:
        for child in sorted(folder.iterdir()):
            if not child.is_dir() or child.name.startswith((".", "_")) or child.name in _SKIP:
                continue
            below.append(child)
            below.extend(
                sorted(g for g in child.iterdir() if g.is_dir() and not g.name.startswith("."))
            )
    except OSError:
        return None
    holding = [d for d in below if d.name not in _SKIP and _holds_rules(d)]
    if not holding:
        return None
    named = ", ".join(display_path(d) for d in holding[:3])
    more = f" and {len(holding) - 3} more" if len(holding) > 3 else ""
    return f"rule files are in {named}{more}: name that folder"


# Folders that hold a project's tooling, never its rule files.
_SKIP = frozenset({"venv", "site-packages", "node_modules", "build", "dist", "cases"})


def _holds_rules(folder: Path) -> bool:
    try:
        return bool(_rule_files_in(folder))
    except OSError:
        return False


def file_error(path: str, message: str, code: str = codes.UNREADABLE_FILE) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, SourceSpan(path, 1, 1))
