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
    import multiprocessing  # only here: importing it costs every run a few milliseconds

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        _WORKER["rulebase"] = rb  # the children inherit the compiled rule base
    args = (tuple(os.fspath(p) for p in rule_paths), include_bundled, options)
    with context.Pool(jobs, initializer=_init_worker, initargs=args) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(records):
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
