"""Batch diagnosis of a record stream, in one process or several, in input order.

Records are read in the calling process and handed to workers in chunks; at most a
few chunks per worker are in flight, so memory stays flat however long the input.
The caller may pass a ``prepare`` function (an output writer's per-record step, such
as JSON encoding): it runs in the workers, so that part of the work is parallel too.
This module knows nothing of output formats and never prints; progress is reported
through an optional ``progress`` callback.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, TypedDict

from .. import exitcodes
from ..foundation.problems import LegpressError
from ..foundation.values import FieldsRepr, FieldsValue
from ..knowledge.rulebase import FlagLevel, RuleBase
from ..reasoning.result import DiagnosisOut, ProblemOut
from ..reasoning.safety import INCOMPLETE_WARNING, MISSING_WARNING
from .records import RawRecord, diagnose_record, read_records

if TYPE_CHECKING:
    from .columns import ColumnMap

CHUNK = 256
# Summed up in one line by the caller instead of repeated for every record.
_SCREEN_WARNINGS = (INCOMPLETE_WARNING, MISSING_WARNING)
IN_FLIGHT_PER_WORKER = 3


Prepare = Callable[[DiagnosisOut, RuleBase], object]  # a writer's prepare
__all__ = [
    "Options",
    "Outcome",
    "RepeatedId",
    "Tally",
    "WorkerDied",
    "run_batch",
    "workers_for",
]


class WorkerDied(LegpressError):
    """A worker process ended without being asked to (killed, say by the OOM killer)."""


@dataclass(frozen=True, repr=False, eq=False)
class Outcome(FieldsValue):
    """One record's result, as ``prepare`` made it (the result dict without one)."""

    status: str
    line: int | None  # the 1-based line, for line-based input
    record_id: str | int  # the record's id, or its position
    errors: list[ProblemOut]
    # The warnings, but for the incomplete safety screen, which is a flag of its own:
    # a batch sums it up in one line, and sending its long message back from every
    # worker for every record cost more than the rest of the outcome.
    warnings: list[ProblemOut]
    screen_incomplete: bool
    payload: object  # what ``prepare`` made, for the same writer's ``write``
    # The highest level of a referral ("emergency", "urgent", "clinician"), or None:
    # the batch's summary lists who needs a clinician, most urgent first.
    level: str | None = None

    @property
    def where(self) -> str:
        """Where the record is, for messages: "7" (a line) or "record 3"."""
        return str(self.line) if self.line is not None else f"record {self.record_id}"


@dataclass(frozen=True, repr=False, eq=False)
class Options(FieldsValue):
    """How each record of a batch is diagnosed."""

    strict: bool = False
    threshold: float | None = None
    explain: bool = False  # the rule-level reasoning too (see reasoning/result.py)
    # Run on each result where it is made (in a worker with --jobs); must be picklable,
    # such as a method of a module-level object.
    prepare: Prepare | None = None
    # A coach's column map (intake/columns.py): which form column answers which question.
    columns: ColumnMap | None = None


# Ids remembered to find one given to two records: past this many, later ids are no
# longer looked for (a few tens of MB at most).
MAX_IDS_KEPT = 250_000
# Repeated ids named in the summary, at most (the rest are counted).
REPEATED_IDS_SHOWN = 3


@dataclass(frozen=True, repr=False, eq=False)
class RepeatedId(FieldsValue):
    """An id given to two records: where each is ("7" for a line, "#3" for the third
    record of an array)."""

    record_id: str | int
    first: str
    again: str


@dataclass(repr=False)
class Tally(FieldsRepr):
    """What a batch's summary and exit status need, counted as results go by."""

    counts: dict[str, int] = field(default_factory=dict)  # by status
    with_errors: int = 0  # records with errors (a referral may carry errors too)
    unscreened: int = 0  # records with an incomplete safety screen
    # Ids given to more than one record: an app or a spreadsheet that keys results by
    # id shows one client's result for both, and the other's referral is not seen (a
    # new user's U17-8: two clients exported with one id, no word of it).
    repeated: list[RepeatedId] = field(default_factory=list)  # the first few
    repeated_ids: int = 0  # how many ids were given to more than one record
    # Referrals by their highest level: how many, and the first few ids
    referred: dict[str, int] = field(default_factory=dict)
    referred_ids: dict[str, list[str | int]] = field(default_factory=dict)
    _seen: dict[tuple[bool, str | int], str | None] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        self.with_errors += bool(outcome.errors)
        self.unscreened += outcome.screen_incomplete
        if outcome.level is not None:
            self.referred[outcome.level] = self.referred.get(outcome.level, 0) + 1
            shown = self.referred_ids.setdefault(outcome.level, [])
            if len(shown) < REFERRED_IDS_SHOWN:
                shown.append(outcome.record_id)
        self._look_for_repeats(outcome)

    def _look_for_repeats(self, outcome: Outcome) -> None:
        where = str(outcome.line) if outcome.line is not None else f"#{self.done}"
        # 3 and "3" are two keys in JSON; True is no id (bool is an int in Python).
        key = (isinstance(outcome.record_id, str), outcome.record_id)
        first = self._seen.get(key, "")
        if first == "":
            if len(self._seen) < MAX_IDS_KEPT:
                self._seen[key] = where
        elif first is not None:  # the second record with this id: said once
            self._seen[key] = None
            self.repeated_ids += 1
            if len(self.repeated) < REPEATED_IDS_SHOWN:
                self.repeated.append(RepeatedId(outcome.record_id, first, where))

    @property
    def done(self) -> int:
        """How many records have a result."""
        return sum(self.counts.values())

    @property
    def exit_status(self) -> int:
        """The contract's status for the batch: findings when any record had errors."""
        return exitcodes.FINDINGS if self.with_errors else exitcodes.OK


def workers_for(jobs: int, cpus: int) -> tuple[int, str | None]:
    """Worker processes for ``--jobs`` on a machine with ``cpus`` CPUs, and what to
    tell the user when fewer are used than asked. 0 means one per CPU; more than one
    per CPU only costs memory (each holds the rule base; --jobs 10000 once filled the
    machine's memory), so the count stops there, though never below 2, so that
    --jobs 2 runs the same way on any machine."""
    most = max(cpus, 2)
    note = None
    if jobs > most:
        note = f"--jobs {jobs}: using {most} worker processes ({cpus} CPUs; more only cost memory)"
    return min(jobs or cpus, most), note


def _outcome(raw: RawRecord, rb: RuleBase, options: Options) -> Outcome:
    result = diagnose_record(
        raw,
        rb,
        options.strict,
        options.threshold,
        explain=options.explain,
        columns=options.columns,
    )
    payload = options.prepare(result, rb) if options.prepare is not None else result
    warnings = result["warnings"]
    others = [w for w in warnings if w["key"] not in _SCREEN_WARNINGS]
    levels = [FlagLevel(flag["level"]) for flag in result["red_flags"]]
    return Outcome(
        result["status"],
        result.get("line"),
        result["id"],
        result["errors"],
        others,
        len(others) != len(warnings),
        payload,
        min(levels, key=lambda level: level.rank).value if levels else None,
    )


LEVELS = tuple(level.value for level in FlagLevel)  # most urgent first (FlagLevel.rank)
REFERRED_IDS_SHOWN = 5  # ids named in the summary per level (the rest are counted)


# Worker state: set before forking (inherited), or loaded by the initializer (spawn).
class _WorkerState(TypedDict, total=False):
    rulebase: RuleBase
    options: Options


_WORKER: _WorkerState = {}


def _init_worker(paths: Sequence[str], include_bundled: bool, options: Options) -> None:
    import signal

    from ..knowledge.loader import load_rulebase  # a worker's own: one job needs no loader

    # The parent owns interruption: Ctrl-C reaches the whole process group, and a
    # worker must not print its own traceback; the parent stops the workers itself.
    # TERM, HUP and the others get their default action back in case the parent's
    # handlers were inherited through fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in exitcodes.ENDING_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if "rulebase" not in _WORKER:
        _WORKER["rulebase"] = load_rulebase(paths, include_bundled=include_bundled)
    _WORKER["options"] = options


def _work(chunk: list[RawRecord]) -> list[Outcome]:
    rb, options = _WORKER["rulebase"], _WORKER["options"]
    return [_outcome(raw, rb, options) for raw in chunk]


def _chunks(records: Iterator[RawRecord]) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for raw in records:
        chunk.append(raw)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(
    stream: IO[bytes],
    rb: RuleBase,
    options: Options,
    *,
    jobs: int = 1,
    rule_paths: Sequence[str] = (),
    include_bundled: bool = True,
    progress: Callable[[int, int | None], None] | None = None,
) -> Iterator[Outcome]:
    """Diagnose every record of ``stream`` in order, with ``jobs`` processes.

    ``progress(done, bytes_read)`` is called after each record is handed back: how
    many records are done and how far the input has been read (None when the
    stream cannot tell, as for a pipe). With several jobs the input is read a few
    chunks ahead of the results.
    """
    records = read_records(stream)
    outcomes = (
        (_outcome(raw, rb, options) for raw in records)
        if jobs <= 1
        else _parallel(records, rb, options, jobs, rule_paths, include_bundled)
    )
    if progress is None:
        yield from outcomes
        return
    position = _position_of(stream)
    for done, outcome in enumerate(outcomes, 1):
        yield outcome
        progress(done, position())


def _position_of(stream: IO[bytes]) -> Callable[[], int | None]:
    """How far ``stream`` has been read, if it can say (a file can, a pipe cannot)."""
    try:
        seekable = stream.seekable()
    except (OSError, ValueError):
        seekable = False
    if not seekable:
        return lambda: None

    def position() -> int | None:
        try:
            return stream.tell()
        except (OSError, ValueError):
            return None

    return position


def _parallel(
    records: Iterator[RawRecord],
    rb: RuleBase,
    options: Options,
    jobs: int,
    rule_paths: Sequence[str],
    include_bundled: bool,
) -> Iterator[Outcome]:
    # Imported only here: it costs every run a few milliseconds.
    import multiprocessing

    from .workers import Pool

    context = (
        multiprocessing.get_context("fork")
        if "fork" in multiprocessing.get_all_start_methods()
        else multiprocessing.get_context("spawn")
    )
    if context.get_start_method() == "fork":
        _WORKER["rulebase"] = rb  # the children inherit the compiled rule base
    args = (tuple(os.fspath(p) for p in rule_paths), include_bundled, options)
    pool = Pool(jobs, context, _work, _init_worker, args)
    try:
        # The worker of each chunk in flight, oldest first: results are taken in
        # this order, so they come out in input order.
        pending: deque[int] = deque()
        for chunk in _chunks(records):
            pending.append(pool.submit(chunk))
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield from pool.result(pending.popleft())
        while pending:
            yield from pool.result(pending.popleft())
        pool.close()
    finally:
        pool.kill()  # a dead worker, an error, Ctrl-C, or the caller stopped reading
