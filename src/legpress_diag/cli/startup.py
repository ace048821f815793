"""Python's cyclic garbage collector, paused while a run starts.

Start-up (importing typer, pydantic and our modules, typer converting the
parameters, loading the rule base) makes a few hundred thousand objects that live
until the process ends. The collector runs every 700 allocations and looks at them
again and again, finding almost nothing to free: about 12 ms of CPU of a
one-record `diagnose` on the shared 2-CPU machine (docs/performance.md, start-up),
where the whole run is under 200. A command listed in :data:`PAUSING_COMMANDS`
runs its start-up with the collector paused and calls :func:`over` when start-up
ends, before it reads any input: from then on the collector runs as usual, on
the input's objects only, since what start-up made is frozen (moved out of its
sight, as ``gc.freeze`` is meant for; the HTTP server does the same before it
serves). A run that ends before that point (``--help``, a usage error) never
needed the collector.

Only a command that calls :func:`over` belongs in the set: a command left out of
it runs as it always did.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

# The commands whose start-up ends at a call of ``over()`` (cli/diagnose.py).
PAUSING_COMMANDS = frozenset({"diagnose"})

_state = {"paused": False}


@contextmanager
def collector_paused(args: Sequence[str]) -> Iterator[None]:
    """Run the command that ``args`` name with the collector paused until it calls
    :func:`over` (only a command in :data:`PAUSING_COMMANDS`, and only when nothing
    else has turned the collector off); the collector runs again after, whatever
    happened. What ``over`` froze stays frozen: the process is about to end, and the
    collection Python makes at exit would otherwise look at all of it once more."""
    pause = bool(args) and args[0] in PAUSING_COMMANDS and gc.isenabled()
    if pause:
        gc.disable()
        _state["paused"] = True
    try:
        yield
    finally:
        if _state["paused"]:
            gc.enable()
        _state["paused"] = False


def over() -> None:
    """Start-up is over: freeze what it made and let the collector run again.
    Does nothing unless :func:`collector_paused` paused it."""
    if _state["paused"]:
        gc.freeze()
        gc.enable()
        _state["paused"] = False
