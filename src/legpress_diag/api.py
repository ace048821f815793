"""The public Python API: load a rule base, diagnose one record or many.

    from legpress_diag import api
    rb = api.load_rulebase()                       # the bundled rule base
    result = api.diagnose({"answers": {"butt_lifts_off_seat": "yes"}}, rb)
    for result in api.diagnose_many(records, rb):  # lazily, in order
        ...
    # On a cluster (Dask, Spark): map this over each partition; see docs/scale.md.
    results = api.diagnose_partition([(1, b'{"answers": {}}')], rules=api.rule_texts(["coach/"]))

Results are plain dicts in the contract's shape, typed as ``DiagnosisOut`` (see
docs/reference.md); the package ships its types (``py.typed``), so mypy checks a
client's use of them. The errors a client catches are here too: ``RuleBaseError``
(a rule base that does not load; its ``diagnostics`` say where and why) and
``InputError`` (a stream that cannot be read as records), both ``LegpressError``.
``explain=True`` adds the rule-level reasoning and the long texts (each cause's
``reasoning`` and ``explanation``, the result's ``facts``, each fix's ``how`` and the
alternatives' details).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from .foundation.problems import (
    Diagnostic,
    EngineLoopError,
    LegpressError,
    RuleBaseError,
    Severity,
    SourceSpan,
)
from .intake.records import InputError, RawRecord, diagnose_record, read_records
from .intake.typed import plain_values
from .intake.wrappers import wrapped_records
from .knowledge.rulebase import RuleBase
from .reasoning.result import (
    AlternativeOut,
    CauseOut,
    DiagnosisOut,
    FixOut,
    ProblemOut,
    RedFlagOut,
)

if TYPE_CHECKING:
    from .intake.columns import ColumnMap, ColumnMapError, column_map, load_column_map
    from .intake.partition import (
        diagnose_partition,
        is_json_lines_file,
        line_blocks,
        lines_taken,
        numbered_lines,
        partition_rulebase,
        rule_texts,
    )
    from .presentation.destination import OutputError

# The cluster functions are imported on first use: a run of the command line never
# maps over a partition (see docs/performance.md, one-record start).
_PARTITION = {
    "diagnose_partition",
    "is_json_lines_file",
    "line_blocks",
    "lines_taken",
    "numbered_lines",
    "partition_rulebase",
    "rule_texts",
}

__all__ = [
    "AlternativeOut",
    "CauseOut",
    "ColumnMap",
    "ColumnMapError",
    "DiagnosisOut",
    "Diagnostic",
    "EngineLoopError",
    "FixOut",
    "InputError",
    "LegpressError",
    "OutputError",
    "ProblemOut",
    "RedFlagOut",
    "RuleBase",
    "RuleBaseError",
    "Severity",
    "SourceSpan",
    "bundled_rulebase",
    "check_output",
    "column_map",
    "diagnose",
    "diagnose_many",
    "diagnose_partition",
    "diagnose_stream",
    "is_json_lines_file",
    "line_blocks",
    "lines_taken",
    "load_column_map",
    "load_rulebase",
    "numbered_lines",
    "partition_rulebase",
    "rule_texts",
]


def load_rulebase(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str] = (),
    *,
    include_bundled: bool = True,
) -> RuleBase:
    """The bundled rule base overlaid with ``paths`` (one path, or several), or only
    ``paths``. Raises RuleBaseError."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one folder or file, not a sequence of one-letter paths
    if include_bundled and not paths:
        return bundled_rulebase()
    from .knowledge.loader import load_rulebase as load

    return load(paths, include_bundled=include_bundled)


@lru_cache(maxsize=1)
def bundled_rulebase() -> RuleBase:
    """The bundled rule base: from the signed compiled cache when it holds an entry for
    exactly these files and this code, without importing the loader (most runs of the
    command line); else built, and cached, by the loader."""
    from .knowledge import bundled

    cached = bundled.from_cache()
    if cached is not None:
        return cached
    from .knowledge.loader import load_rulebase as load

    return load()


def diagnose(
    record: Mapping[str, object],
    rulebase: RuleBase | None = None,
    *,
    strict: bool = False,
    threshold: float | None = None,
    position: int = 0,
    explain: bool = False,
    columns: ColumnMap | Mapping[str, str | None] | None = None,
) -> DiagnosisOut:
    """Diagnose one record ``{"id": ..., "answers": {...}}``. Invalid input gives status
    'error'. Raises InputError for a list, and for an object that holds several
    records (an export's ``{"clients": [...]}``): read as one, their answers were
    merged into one result (check 25); give them to diagnose_many, which opens such an
    object."""
    rb = rulebase or bundled_rulebase()
    if isinstance(record, list | tuple):
        # A parsed array file: read as one record, it was an error with no screen
        # (check 26, U-H11).
        raise InputError(
            f"diagnose reads one record, and this is a list of {len(record):,}: give it "
            "to diagnose_many, which reads each on its own"
        )
    held = _records_held(record)
    if held is not None and len(held) != 1:
        raise InputError(
            f"diagnose reads one record, and this object holds {len(held):,} (an export's "
            "wrapper): give it to diagnose_many, which reads each on its own"
        )
    raw = RawRecord(position, None, data=plain_values(held[0] if held else record))
    mapped = _columns(columns, rb)
    return diagnose_record(raw, rb, strict, threshold, explain=explain, columns=mapped)


def _records_held(record: object) -> list[object] | None:
    """The records an object holds when it is an export's wrapper (as `diagnose FILE`
    reads one), not a record itself; else None. An object with 'answers' may be one
    too: {"form": ..., "answers": [records]} merged its clients (check 26, A-H8)."""
    if not isinstance(record, dict):
        return None
    held = wrapped_records(record)
    return None if held is None else list(held)


def diagnose_many(
    records: Iterable[Mapping[str, object]],
    rulebase: RuleBase | None = None,
    *,
    strict: bool = False,
    threshold: float | None = None,
    explain: bool = False,
    columns: ColumnMap | Mapping[str, str | None] | None = None,
) -> Iterator[DiagnosisOut]:
    """Diagnose records lazily, in order; ids default to the 0-based index. An object
    that holds records (an export's ``{"clients": [...]}``) gives a result for each,
    named as `diagnose FILE` names them."""
    rb = rulebase or bundled_rulebase()
    if isinstance(records, Mapping):
        # One export's object, as diagnose's InputError advises: iterated, its keys
        # were the records, and every flag was lost (check 28).
        records = [records]
    mapped = _columns(columns, rb)
    for index, record in enumerate(records):
        held = _records_held(record)
        for item in [record] if held is None else held:
            raw = RawRecord(index, None, data=plain_values(item))
            yield diagnose_record(raw, rb, strict, threshold, explain=explain, columns=mapped)


def diagnose_stream(
    stream: IO[bytes],
    rulebase: RuleBase | None = None,
    *,
    strict: bool = False,
    threshold: float | None = None,
    explain: bool = False,
    columns: ColumnMap | Mapping[str, str | None] | None = None,
) -> Iterator[DiagnosisOut]:
    """Diagnose a JSON, JSON-array or JSON Lines byte stream: one result per record, in order."""
    if isinstance(stream, io.TextIOBase):
        raise TypeError("diagnose_stream reads bytes: open the file with 'rb' (or use .buffer)")
    rb = rulebase or bundled_rulebase()
    mapped = _columns(columns, rb)
    for raw in read_records(stream):
        yield diagnose_record(raw, rb, strict, threshold, explain=explain, columns=mapped)


def _columns(
    columns: ColumnMap | Mapping[str, str | None] | None, rb: RuleBase
) -> ColumnMap | None:
    """A column map as given, or made from a mapping (checked: ColumnMapError)."""
    if columns is None:
        return None
    from .intake.columns import ColumnMap, column_map

    return columns if isinstance(columns, ColumnMap) else column_map(columns, rb)


def check_output(
    output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Refuse, before any work, an output path a batch job could not write (a folder,
    a missing folder, no permission) or that names one of its ``inputs`` (the records,
    a rule file, a file in a folder of them: through a link or another spelling too),
    as ``diagnose -o`` does; one input may be given alone.
    Raises OutputError, whose message names the path and what is expected. For the
    driver of a cluster job (examples/dask_batch.py), which writes at the end."""
    from pathlib import Path

    from .foundation.files import same_file
    from .presentation.destination import OutputError
    from .presentation.destination import check_output as check_writable

    path = Path(output)
    check_writable(path)
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]  # one input alone, not its characters
    for given in inputs:
        source = Path(given)
        # A folder of rule files: each file in it is an input.
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []
        for one in [source, *files]:
            if same_file(path, one):
                raise OutputError(
                    f"{path} is the input {one}: the output would replace it; "
                    "give the output its own name"
                )


_COLUMNS = frozenset({"ColumnMap", "ColumnMapError", "column_map", "load_column_map"})


def __getattr__(name: str) -> Any:
    if name in _PARTITION:
        from .intake import partition

        return getattr(partition, name)
    if name in _COLUMNS:  # a coach's column map: not on the one-record path
        from .intake import columns

        return getattr(columns, name)
    if name == "OutputError":  # not on the command line's one-record path either
        from .presentation.destination import OutputError

        return OutputError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
