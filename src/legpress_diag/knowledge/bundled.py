"""The bundled rule base: where its files are, and its compiled form from the cache.

Most runs use the bundled rule base alone (no pack, no project config, no
``--rules``). Such a run takes it from the signed compiled cache
(``compiled_cache``) through :func:`from_cache`, without importing the loader,
which only a run that reads or builds rule files needs (a millisecond of a
one-record start; docs/performance.md). The loader names the files with the same
functions, so both list the same files in the same order, the entry's key: a
changed, added or removed bundled file changes that key, and the entry made for
the old files is never read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import display_path, expand_paths

if TYPE_CHECKING:
    from .rulebase import RuleBase

BUNDLED_PREFIX = "<bundled>/"  # how messages and rb.files name a bundled file


@cache
def bundled_rules_dir() -> Path:
    """The rule base shipped with the package (inside a wheel, or the source checkout);
    found once per process (it was resolved 25 times a load)."""
    package = Path(__file__).resolve().parents[1]  # legpress_diag/, above knowledge/
    packaged = package / "_bundled_rules"
    return (packaged if packaged.is_dir() else package.parents[1] / "rules").resolve()


def unique_files(entries: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The rule files of these files and folders in load order (see
    ``paths.expand_paths``); a file named twice (say as PATH and --rules) loads once.
    Raises RuleBaseError."""
    unique: dict[Path, Path] = {}
    for path in expand_paths(entries):
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is one of the bundled files. The folder is already resolved, so
    its own files need no resolving (a dozen realpath calls, three times a run)."""
    bundled = bundled_rules_dir()
    return path.parent == bundled or path.resolve().parent == bundled


def shown_name(path: Path) -> str:
    """A rule file's name in messages and in ``RuleBase.files``."""
    if is_bundled(path):
        return f"{BUNDLED_PREFIX}{path.name}"
    return not_bundled(display_path(path))


def not_bundled(name: str) -> str:
    """The name of a file that is not one of the bundled files, as messages and
    ``RuleBase.files`` show it: a folder of one's own named '<bundled>' (attack round
    7, R4 and R5), or a rule text an API caller names '<bundled>/x.yaml' (round 9,
    G5), must not pass for the bundled base, whose files skip a coach's checks."""
    return f"./{name}" if name.startswith(BUNDLED_PREFIX) else name


def bundled_raws(bundled: list[Path]) -> list[tuple[str, bytes]] | None:
    """(shown name, bytes) of each bundled file, the key of both caches; None when one
    cannot be read (the build then reports it)."""
    try:
        return [(shown_name(path), path.read_bytes()) for path in bundled]
    except OSError:
        return None


def from_cache() -> RuleBase | None:
    """The bundled rule base alone, from a cache entry signed for exactly the bytes of
    its files and this code; None when there is none (the loader then builds it, and
    stores it). Raises RuleBaseError when the bundled folder holds no rule file."""
    from . import compiled_cache

    raws = bundled_raws(unique_files([bundled_rules_dir()]))
    return compiled_cache.load(raws) if raws is not None else None
