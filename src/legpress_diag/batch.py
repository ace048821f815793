"""Batch diagnosis of a record stream, in one process or several, in input order.

Records are read in the calling process and handed to workers in chunks; at most a
few chunks per worker are in flight, so memory stays flat however long the input.
Workers send back results already encoded as JSON when JSON Lines are wanted, so
the encoding (a large part of the work) runs in parallel too.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from .api import _diagnose_raw
from .diagnostics import LegpressError
from .loader import load_rulebase
from .records import RawRecord, read_records
from .render.formats import encode
from .rulebase import RuleBase

CHUNK = 256
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class Outcome:
    """One record's result; ``text`` is its JSON line when encoding was asked for."""

    status: str
    where: str  # "line 7" or "record 3", for messages
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    result: dict[str, Any] | None
    text: str | None


@dataclass(frozen=True)
class Options:
    strict: bool = False
    threshold: float | None = None
    encode: bool = False  # return JSON text instead of result dicts


def _outcome(raw: RawRecord, rb: RuleBase, options: Options) -> Outcome:
    result = _diagnose_raw(raw, rb, options.strict, options.threshold)
    where = f"line {result['line']}" if "line" in result else f"record {result['id']}"
    text = encode(result) if options.encode else None
    return Outcome(
        result["status"],
        where,
        result["errors"],
        result["warnings"],
        None if options.encode else result,
        text,
    )


# Worker state: set before forking (inherited), or loaded by the initializer (spawn).
_WORKER: dict[str, Any] = {}


def _init_worker(paths: Sequence[str], include_bundled: bool, options: Options) -> None:
    import signal

    # The parent owns interruption: Ctrl-C reaches the whole process group, and a
    # worker must not print its own traceback; the parent stops the workers itself.
    # TERM and HUP get their default action back in case the parent's handlers were
    # inherited through fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
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
) -> Iterator[Outcome]:
    """Diagnose every record of ``stream`` in order, with ``jobs`` processes."""
    records = read_records(stream)
    if jobs <= 1:
        for raw in records:
            yield _outcome(raw, rb, options)
        return
    yield from _parallel(records, rb, options, jobs, rule_paths, include_bundled)


class WorkerDied(LegpressError):
    """A worker process ended without being asked to (killed, say by the OOM killer)."""


def _parallel(
    records: Iterator[RawRecord],
    rb: RuleBase,
    options: Options,
    jobs: int,
    rule_paths: Sequence[str],
    include_bundled: bool,
) -> Iterator[Outcome]:
    # Imported only here: they cost every run a few milliseconds.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        _WORKER["rulebase"] = rb  # the children inherit the compiled rule base
    args = (tuple(os.fspath(p) for p in rule_paths), include_bundled, options)
    # ProcessPoolExecutor, not multiprocessing.Pool: when a worker dies, Pool quietly
    # starts another and the dead one's chunk never comes back (the batch hangs),
    # whereas the executor fails every pending chunk with BrokenProcessPool.
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=args)
    broken = False
    try:
        pending: deque[Any] = deque()
        for chunk in _chunks(records):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        broken = True
        raise WorkerDied(
            "a worker process died (killed from outside, perhaps by the out-of-memory killer)"
        ) from None
    finally:
        if broken:
            # A worker killed while it held the task queue's lock leaves the others
            # waiting on that lock for ever, and Python 3.11's executor does not stop
            # them: end them here, and do not wait for them.
            for process in context.active_children():
                process.kill()
        pool.shutdown(wait=not broken, cancel_futures=True)
