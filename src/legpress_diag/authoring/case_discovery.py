"""Which case files belong to which rule files: one rule for `rules test` and `rules impact`.

A rule file ``seat.yaml`` owns ``seat-cases.yaml`` beside it (or ``seat_cases.yaml``,
``seat.cases.yaml``); a rule folder (a pack) owns its ``cases/`` folder and the case
files beside its rule files. A rule base's own rules are those of its non-bundled
files, so coverage can say how much of a pack its cases exercise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..foundation.files import read_at_most
from ..foundation.problems import Diagnostic, RuleBaseError, SourceSpan
from ..knowledge.paths import CASE_FILE_ENDINGS, RULE_SUFFIXES, display_path, is_case_file
from ..knowledge.rulebase import RuleBase
from ..knowledge.sources import read_rule_file
from .testing import Coverage, CoverageRow


def cases_beside(rule_paths: Iterable[Path]) -> list[Path]:
    """The case files and folders that belong to ``rule_paths`` (files or folders)."""
    found: list[Path] = []
    for path in rule_paths:
        if path.is_dir():
            candidates = [path / "cases"]
            candidates += sorted(p for p in path.iterdir() if p.is_file() and is_case_file(p))
        else:
            stem = path.name.removesuffix(path.suffix)
            candidates = [path.with_name(f"{stem}{end}{path.suffix}") for end in CASE_FILE_ENDINGS]
        found += [c for c in candidates if c.exists() and c not in found]
    return found


def is_pack(path: Path) -> bool:
    """A folder of rule files (with a manifest, or rule files of its own), not of cases."""
    from ..knowledge.packs import MANIFEST_NAME

    if not path.is_dir():
        return False
    if (path / MANIFEST_NAME).is_file():
        return True
    return path.name != "cases" and any(
        p.suffix in RULE_SUFFIXES and not is_case_file(p) and _holds_rules(p)
        for p in path.iterdir()
        if p.is_file()
    )


def _holds_rules(path: Path) -> bool:
    """Does the file start like a rule file rather than a case file (``cases:``)?"""
    try:
        head = read_at_most(path, 4095).decode("utf-8", "replace")  # a FIFO: empty
    except OSError:
        return False
    tops = [line.split(":")[0] for line in head.splitlines() if line[:1].isalpha()]
    return bool(tops) and tops[0] != "cases"


@dataclass(frozen=True)
class TestPlan:
    """What `rules test` runs: the case targets, the packs named as targets (to load as
    rules too), and the files whose rules coverage counts (empty: the whole base)."""

    targets: list[Path]
    packs: list[Path]
    own: list[Path]


def plan_test(
    paths: Sequence[Path], layer_paths: Sequence[Path], bundled_cases: Path | None
) -> TestPlan:
    """Without ``paths``: the cases of the non-bundled rule paths (``layer_paths``:
    installed packs, project config, LEGPRESS_DIAG_RULES, --rules) when there are any
    (none found: no targets), else the bundled cases. A pack folder among ``paths`` is
    loaded as rules and its own cases run."""
    packs = [p for p in paths if is_pack(p)]
    targets = [p for p in paths if p not in packs] + cases_beside(packs)
    own = [*layer_paths, *packs]
    if not paths:
        targets = cases_beside(layer_paths) if layer_paths else []
        if not layer_paths and bundled_cases is not None:
            targets = [bundled_cases]
    return TestPlan(targets, packs, own)


def own_files(rb: RuleBase, own: Sequence[Path]) -> set[str]:
    """The rule base's file names (as in spans) that come from ``own`` paths."""
    from ..knowledge.bundled import shown_name
    from ..knowledge.paths import expand_paths

    try:
        return {shown_name(path) for path in expand_paths(own)} & set(rb.files)
    except RuleBaseError:
        return set()


class _Defined(Protocol):
    """A rule, cause, question or flag: whatever says where it is defined."""

    @property
    def span(self) -> SourceSpan | None: ...


def scoped_rows(coverage: Coverage, rb: RuleBase, files: set[str]) -> tuple[CoverageRow, ...]:
    """Coverage of only the rules, causes, questions and flags defined in ``files``."""
    missing = coverage.missing(rb)
    tables: dict[str, Mapping[str, _Defined]] = {
        "rules": {r.id: r for r in rb.rules},
        "causes": rb.causes,
        "questions": rb.questions,
        "safety_flags": rb.safety_flags,
    }
    rows = []
    for kind, table in tables.items():
        mine = [i for i, item in table.items() if item.span is not None and item.span.path in files]
        gaps = tuple(i for i in missing[kind] if i in mine)
        rows.append(CoverageRow(kind, len(mine) - len(gaps), len(mine), gaps))
    return tuple(rows)


class ForgottenRules:
    """For one case file: an unknown id that a rule file near it defines, though that
    file was not loaded, gets 'did you forget --rules hips.yaml?' rather than a
    look-alike name. The nearby files are read once, on the first unknown id."""

    def __init__(self, case_file: Path, rb: RuleBase) -> None:
        self.case_file = case_file
        self.loaded = set(rb.files)
        self._ids: dict[str, str] | None = None

    def hint(self, problems: list[Diagnostic]) -> list[Diagnostic]:
        fixed = []
        for d in problems:
            named = _UNKNOWN.match(d.message)
            where = self.ids().get(named[1]) if named else None
            if where is not None:
                hint = f"did you forget --rules {where}? it is defined there"
                d = Diagnostic(d.code, d.severity, d.message, d.span, hint, d.key_path)
            fixed.append(d)
        return fixed

    def ids(self) -> dict[str, str]:
        """id -> rule file, for the rule files beside the case file (and above a
        ``cases/`` folder) that are not loaded."""
        if self._ids is None:
            folder = self.case_file.resolve().parent
            folders = [folder, folder.parent] if folder.name == "cases" else [folder]
            self._ids = {}
            for where in folders:
                for path in sorted(where.iterdir()):
                    if path.suffix not in RULE_SUFFIXES or is_case_file(path):
                        continue
                    shown = display_path(path)
                    if shown not in self.loaded and path.is_file():
                        self._ids.update(dict.fromkeys(_ids_in(path), shown))
        return self._ids


_UNKNOWN = re.compile(r"unknown [a-z ]+ '([^']*)'")


def _ids_in(path: Path) -> list[str]:
    try:
        parsed = read_rule_file(path, partial=True)
    except RuleBaseError:
        return []
    from ..knowledge.loader import SECTIONS

    return [item.id for section in SECTIONS for item in getattr(parsed.model, section)]
