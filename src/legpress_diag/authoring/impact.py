"""`rules impact`: what an edit to the rules changes, case by case and record by record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import diagnose
from ..knowledge.rulebase import RuleBase
from ..reasoning.result import DiagnosisOut


@dataclass(frozen=True)
class Change:
    label: str  # case name or record id
    what: list[str]


def cases_beside(rule_paths: Iterable[Path]) -> list[Path]:
    """Case files that belong to rule files: ``feet-cases.yaml`` (or ``feet_cases.yaml``,
    ``feet.cases.yaml``) beside ``feet.yaml``, and a ``cases/`` folder inside a rule folder."""
    found: list[Path] = []
    for path in rule_paths:
        if path.is_dir():
            candidates = [path / "cases"]
        else:
            stem = path.name.removesuffix(path.suffix)
            candidates = [
                path.with_name(f"{stem}{sep}cases{path.suffix}") for sep in ("-", "_", ".")
            ]
        found += [c for c in candidates if c.exists() and c not in found]
    return found


def _listed(ids: list[str]) -> str:
    return ", ".join(ids) or "none"


def compare_results(old: DiagnosisOut, new: DiagnosisOut, min_move: float) -> list[str]:
    """What changed between two diagnoses of one record, one readable line per change."""
    changes = []
    if old["status"] != new["status"]:
        changes.append(f"status: {old['status']} → {new['status']}")
    old_causes = {c["id"]: c["certainty"] for c in old["causes"]}
    new_causes = {c["id"]: c["certainty"] for c in new["causes"]}
    old_top = old["causes"][0]["id"] if old["causes"] else None
    new_top = new["causes"][0]["id"] if new["causes"] else None
    if old_top != new_top:
        changes.append(f"top cause: {old_top or 'none'} → {new_top or 'none'}")
    for cause in sorted(new_causes.keys() - old_causes.keys()):
        changes.append(f"+ {cause} ({new_causes[cause]:.2f})")
    for cause in sorted(old_causes.keys() - new_causes.keys()):
        changes.append(f"- {cause} (was {old_causes[cause]:.2f})")
    for cause in sorted(old_causes.keys() & new_causes.keys()):
        move = new_causes[cause] - old_causes[cause]
        if abs(move) >= min_move:
            changes.append(
                f"~ {cause} {old_causes[cause]:.2f} → {new_causes[cause]:.2f} ({move:+.2f})"
            )
    old_alts = [a["id"] for a in old["alternatives"]]
    new_alts = [a["id"] for a in new["alternatives"]]
    if old_alts != new_alts:
        changes.append(f"alternatives: {_listed(old_alts)} → {_listed(new_alts)}")
    return changes


def impact(
    old: RuleBase,
    new: RuleBase,
    inputs: Iterable[tuple[str, dict[str, Any]]],
    min_move: float = 0.05,
) -> Iterator[Change]:
    """For each (label, record), the differences between the two rule bases' diagnoses."""
    for label, record in inputs:
        changes = compare_results(diagnose(record, old), diagnose(record, new), min_move)
        if changes:
            yield Change(label, changes)
