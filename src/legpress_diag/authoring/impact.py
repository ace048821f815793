"""`rules impact`: what an edit to the rules changes, case by case and record by record."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import diagnose
from ..foundation.problems import LegpressError
from ..intake.records import LINE_TOO_LONG, read_records
from ..knowledge.paths import display_path
from ..knowledge.rulebase import RuleBase
from ..reasoning.result import DiagnosisOut
from .case_discovery import cases_beside
from .cases import case_files, load_cases
from .testing import default_case_dir


@dataclass(frozen=True)
class Change:
    label: str  # case name or record id
    what: list[str]


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
    # Alternatives follow the causes' order, so a reordering is the causes' moves
    # (reported above); only a different set of exercises is a change of its own.
    if set(old_alts) != set(new_alts):
        changes.append(f"alternatives: {_listed(old_alts)} → {_listed(new_alts)}")
    return changes


def impact(
    old: RuleBase,
    new: RuleBase,
    inputs: Iterable[tuple[str, Mapping[str, object]]],
    min_move: float = 0.05,
) -> Iterator[Change]:
    """For each (label, record), the differences between the two rule bases' diagnoses."""
    for label, record in inputs:
        changes = compare_results(diagnose(record, old), diagnose(record, new), min_move)
        if changes:
            yield Change(label, changes)


Labelled = list[tuple[str, Mapping[str, object]]]  # (label, record) for each diagnosis compared


class RecordsError(LegpressError):
    """The --records file cannot be read."""


@dataclass(frozen=True)
class CaseSource:
    """Case files compared: the bundled ones (``path`` None), or a file or folder."""

    path: Path | None
    cases: int


@dataclass(frozen=True)
class ImpactReport:
    """What ``run_impact`` compared, and every diagnosis the edit changes."""

    sources: tuple[CaseSource, ...]
    records: int | None  # records compared; None without a records file
    changes: tuple[Change, ...]
    compared: int  # cases and records, each diagnosed with both rule bases
    old_hash: str
    new_hash: str


def run_impact(
    old: RuleBase,
    new: RuleBase,
    *,
    rule_paths: Sequence[Path] = (),
    cases: Sequence[Path] = (),
    records: Path | None = None,
    bundled: bool = True,
    min_move: float = 0.05,
) -> ImpactReport:
    """Diagnose every case (bundled unless not ``bundled``, those beside ``rule_paths``,
    and ``cases``) and every record in ``records`` with both rule bases.

    Raises RuleBaseError for a malformed case file, RecordsError for unreadable records.
    """
    wanted: list[Path | None] = [None] if bundled else []
    wanted += [*cases_beside(rule_paths), *cases]
    inputs, counts = _case_inputs(wanted)
    sources = tuple(CaseSource(path, n) for path, n in counts.items())
    read = _record_inputs(records) if records is not None else None
    inputs += read or []
    changes = tuple(impact(old, new, inputs, min_move))
    count = None if read is None else len(read)
    return ImpactReport(sources, count, changes, len(inputs), old.content_hash, new.content_hash)


def _case_inputs(wanted: list[Path | None]) -> tuple[Labelled, dict[Path | None, int]]:
    inputs: Labelled = []
    counts: dict[Path | None, int] = {}
    for where in wanted:
        for path in case_files([where or default_case_dir()]):
            found = load_cases(path)
            suffix = "" if where is None else f" ({display_path(path)})"
            inputs += [(f"case '{c.name}'{suffix}", {"answers": c.answers}) for c in found]
            counts[where] = counts.get(where, 0) + len(found)
    return inputs, counts


def _record_inputs(records: Path) -> Labelled:
    inputs: Labelled = []
    try:
        with records.open("rb") as stream:
            for raw in read_records(stream):
                if raw.problem == LINE_TOO_LONG:
                    # /dev/zero is one endless line: stop at the first cut line, as a
                    # records file of answer records has none.
                    raise RecordsError(f"{records}: line {raw.position}: {raw.problem}")
                record = raw.parsed().data
                if isinstance(record, dict):
                    inputs.append((f"record {record.get('id', raw.position)}", record))
    except OSError as exc:
        raise RecordsError(f"{records}: cannot read: {exc.strerror}") from None
    return inputs


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def impact_lines(report: ImpactReport) -> Iterator[str]:
    """The report as `rules impact` prints it: what was compared, each change, a total."""
    compared = [
        _plural(s.cases, "bundled case")
        if s.path is None
        else f"{_plural(s.cases, 'case')} from {display_path(s.path)}"
        for s in report.sources
    ]
    compared += [_plural(report.records, "record")] if report.records is not None else []
    yield "compared: " + (", ".join(compared) or "nothing (no cases found)")
    for change in report.changes:
        yield f"{change.label}:"
        yield from (f"    {what}" for what in change.what)
    yield (
        f"{len(report.changes)} of {report.compared} diagnoses changed "
        f"({report.old_hash} → {report.new_hash})"
    )
