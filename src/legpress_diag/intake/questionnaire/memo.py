"""Steps already worked out, kept by the session's frozen state.

The stateless front ends ask the same questions of the same states again and
again: ``about_left`` estimates what is left after every prefix of the answers on
each request (so step N repeats the N estimates of step N-1), the web page works out
a step on its POST and again on the GET it redirects to, and a client retries. The
choice of the next question and the estimate are pure functions of the rule base
and the state, so each is kept, per rule base, in a small least-recently-used table
keyed by everything in the state they read.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from ...knowledge.rulebase import RuleBase
from .state import SessionState

T = TypeVar("T")

# Entries per table: a few kilobytes each, so a few megabytes at most per rule base.
SIZE = 2048


class _Table:
    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()  # the service works out steps on a thread pool


_TABLES: dict[tuple[int, str], _Table] = {}


def state_key(state: SessionState) -> Hashable | None:
    """Everything the choice and the estimate read of a state (not ``measured``,
    which only marks the saved record); None when an answer is not hashable."""
    return state.frozen


def remembered(rb: RuleBase, name: str, state: SessionState | Hashable, work: Callable[[], T]) -> T:
    """``work()``, or what it gave before for the same rule base, ``name`` and state
    (or any other hashable key)."""
    key = state_key(state) if isinstance(state, SessionState) else state
    if key is None:
        return work()
    table = _TABLES.get((id(rb), name))
    if table is None:
        table = _TABLES.setdefault((id(rb), name), _Table())
        # Kept as long as the rule base (tests and overlays load many).
        weakref.finalize(rb, _TABLES.pop, (id(rb), name), None)
    with table.lock:
        if key in table.entries:
            table.entries.move_to_end(key)
            return table.entries[key]  # type: ignore[return-value]
    value = work()
    with table.lock:
        table.entries[key] = value
        if len(table.entries) > SIZE:
            table.entries.popitem(last=False)
    return value


def forget() -> None:
    """Empty every table (for measuring the cost of a step never seen before)."""
    for table in list(_TABLES.values()):
        with table.lock:
            table.entries.clear()
