"""What one request, one connection and the server as a whole may cost.

Every number here is stated in docs/serve.md and docs/robustness.md; the tests pin
each one at its threshold. Nothing here imports a web framework: ``Deadline`` and
``WorkPool`` are plain objects the service checks between records.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """One request's budget, and the connection timeouts of the server.

    A request's work stops at ``seconds`` (503, and the work ends at the next record,
    see ``Deadline``); its answer may not grow past ``max_response_bytes`` (413).
    """

    max_body_bytes: int = 1024 * 1024
    max_records: int = 1000
    # /v1/measure: a filmed set's landmarks, about 12,000 frames (7 minutes at 30 fps).
    max_landmarks_bytes: int = 16 * 1024 * 1024
    # A video of a set (the page's upload and /v1/measure, with the measure extra only):
    # at most this many bytes and seconds of footage, read within ``video_seconds``,
    # one video at a time.
    max_video_bytes: int = 32 * 1024 * 1024
    max_video_length: float = 60.0
    video_seconds: float = 120.0
    max_form_fields: int = 400
    seconds: float = 10.0
    max_response_bytes: int = 8 * 1024 * 1024
    # Bodies up to this size are a few milliseconds of work at most (an interview of
    # 4 KiB of near-miss keys: 1-3 ms) and run on the event loop;
    # larger ones run in the work pool, at most ``work_threads`` at a time.
    inline_body_bytes: int = 4 * 1024
    work_threads: int = 2
    # Requests being handled at once (past it: 503 at once, never a queue that grows).
    max_in_flight: int = 256
    # Bytes of request bodies larger than ``inline_body_bytes`` held at once, from
    # the first byte read until the answer is sent: past it, 503 with Retry-After
    # (before any byte is read when the length is declared). Forty 16 MiB /v1/measure
    # bodies at once held 1.6 GB; now at most this much body, whatever the mix.
    max_body_bytes_in_flight: int = 64 * 1024 * 1024
    # Connections (past it, the one that has waited longest for its request head is
    # closed to make room; with none waiting, the new one is). The server lowers it
    # to what the open-file limit allows.
    max_connections: int = 1000
    # The request line and headers must arrive within this of the connection opening
    # (or of the previous answer, on a kept-alive connection), in at most 16 KiB.
    head_seconds: float = 10.0
    max_head_bytes: int = 16 * 1024
    # The body may pause this long between bytes, and take this long in all.
    body_idle_seconds: float = 10.0
    body_seconds: float = 30.0
    # A body answered before it was read (413, 503) is read on and dropped, up to
    # this much, so the sender reads the answer rather than a reset; past it the
    # connection is closed (a client sending 1 GB after a 413 gets the reset).
    max_drain_bytes: int = 64 * 1024 * 1024
    # A client that does not read its answer is dropped after this.
    write_seconds: float = 30.0
    # An idle kept-alive connection is closed after this.
    keep_alive_seconds: int = 5
    # On SIGTERM: requests in flight get this long to finish, then they are cancelled.
    shutdown_seconds: int = 10


class TooSlow(Exception):
    """The request's time is up (or the server is stopping): its work has stopped."""


class Deadline:
    """When a request's work must stop. The work calls ``check()`` between records:
    past the time, or once the request has been answered 503, or when the server is
    shutting down, it raises TooSlow, so no thread keeps computing for nobody."""

    __slots__ = ("_cancelled", "_stopping", "at")

    def __init__(self, seconds: float, stopping: threading.Event | None = None) -> None:
        self.at = time.monotonic() + seconds
        self._cancelled = False
        self._stopping = stopping

    def cancel(self) -> None:
        self._cancelled = True

    def expired(self) -> bool:
        return (
            self._cancelled
            or time.monotonic() >= self.at
            or (self._stopping is not None and self._stopping.is_set())
        )

    def check(self) -> None:
        if self.expired():
            raise TooSlow

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())


class WorkPool:
    """Where a request's work runs: small work inline on the event loop (a thread
    hop costs more than the work), larger work in a few threads, each with a
    ``Deadline`` that stops it between records when its time is up."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.stopping = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        self._running: set[concurrent.futures.Future[Any]] = set()

    def stop(self) -> None:
        """The server is shutting down: every request's work stops at its next check."""
        self.stopping.set()

    def close(self, timeout: float | None = None) -> bool:
        """Stop taking work and wait for the threads to end (each stops at its next
        check once its request was answered), at most ``timeout`` seconds: whether
        they all ended. A server that is stopping does not wait longer for work
        that does not look at its deadline (``serve_socket``)."""
        if self._executor is None:
            return True
        executor = self._executor
        executor.shutdown(wait=False, cancel_futures=True)
        _, running = concurrent.futures.wait(list(self._running), timeout)
        if running:
            return False
        executor.shutdown(wait=True)  # the threads have nothing left: they end now
        self._executor = None
        return True

    def deadline(self) -> Deadline:
        return Deadline(self.limits.seconds, self.stopping)

    async def run(self, size: int, work: Callable[[Deadline], T]) -> T:
        """``work(deadline)`` for a request of ``size`` body bytes; TooSlow past the
        time limit, after which the work stops at its next check."""
        deadline = self.deadline()
        if size <= self.limits.inline_body_bytes:
            return work(deadline)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                self.limits.work_threads, thread_name_prefix="legpress-work"
            )
        submitted = self._executor.submit(work, deadline)
        self._running.add(submitted)
        submitted.add_done_callback(self._running.discard)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(submitted), deadline.remaining())
        except TimeoutError:
            raise TooSlow from None
        finally:
            deadline.cancel()  # answered (or given up): any work still going stops
