"""Connection-level defences the HTTP server lacks: read and write timeouts, a cap on
open connections, a cap on the request head, and logs that cannot flood.

uvicorn times out only an idle kept-alive connection: a client that connects and
sends nothing, or half a request head, or a body one byte a minute, holds its
connection (and a file descriptor) for as long as it likes, and a few hundred of them
make the server unreachable. ``guarded(protocol)`` wraps uvicorn's HTTP protocol
class so that every connection is in one phase, each with a deadline
(``limits.Limits`` has the numbers):

- **head**: from the connection opening (or the previous answer) until the request
  line and headers are in: ``head_seconds``, at most ``max_head_bytes``;
- **body**: ``body_idle_seconds`` between bytes, ``body_seconds`` in all;
- **busy**: the server is answering;
- **drain**: the answer went before the body was read (a 413, a 503 ``busy``): the
  rest of the body is read and dropped, within the body's deadlines, so the client
  that is still sending reads the answer instead of a connection reset.

In any phase, an answer left unread in the send buffer for ``write_seconds`` drops
the connection.

A sweep once a second closes what is past its deadline. At ``max_connections``, a new
connection first closes the one that has waited longest for its request head, or if
none is waiting, the one whose body has been arriving longest, so a crowd of slow
clients cannot lock others out.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Callable
from typing import Protocol

from .limits import Limits

log = logging.getLogger("legpress_diag.web")

HEAD, BODY, BUSY, DRAIN = "head", "body", "busy", "drain"
SWEEP_SECONDS = 1.0
_HEAD_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/problem+json\r\nconnection: close\r\ncontent-length: 119\r\n\r\n"
    b'{"type":"about:blank","title":"Request Header Fields Too Large","status":431,'
    b'"detail":"the request head is too large"}'
)
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: application/problem+json\r\nconnection: close\r\ncontent-length: 111\r\n\r\n"
    b'{"type":"about:blank","title":"Request Timeout","status":408,'
    b'"detail":"the request did not arrive in time"}'
)
OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


class Throttled:
    """Log lines that an attacker can cause: the first few of a kind per interval,
    then one line that counts the rest, so the log grows by lines a minute, never by
    megabytes."""

    def __init__(self, per_interval: int = 3, seconds: float = 60.0) -> None:
        self.per_interval = per_interval
        self.seconds = seconds
        self._window: dict[str, tuple[float, int]] = {}

    def note(self, kind: str, message: str, *args: object, level: int = logging.INFO) -> None:
        now = time.monotonic()
        started, count = self._window.get(kind, (now, 0))
        if now - started >= self.seconds:
            if count > self.per_interval:
                log.log(
                    level,
                    "(and %d more in the last %.0f s) " + message,
                    count - self.per_interval,
                    now - started,
                    *args,
                )
            started, count = now, 0
        count += 1
        self._window[kind] = (started, count)
        if count <= self.per_interval:
            log.log(level, message, *args)


THROTTLED = Throttled()


class Watched(Protocol):
    """A connection as the watch sees it: uvicorn's HTTP protocol, guarded."""

    transport: asyncio.Transport | None
    watch_phase: str
    watch_since: float
    watch_data_at: float
    watch_unread_since: float
    watch_head_bytes: int


def _phase(protocol: object) -> str:
    cycle = getattr(protocol, "cycle", None)
    if cycle is None:
        return HEAD
    if cycle.response_complete:
        # uvicorn drops the body bytes that come after the answer; until the last,
        # they are not the next request's head (counting them so closed the
        # connection as a head over 16 KiB, and the sender saw a reset).
        return DRAIN if cycle.more_body else HEAD
    return BODY if cycle.more_body else BUSY


class Watch:
    """Every open connection of one server process, and its sweep."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.open: set[Watched] = set()
        self._sweeping: asyncio.TimerHandle | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._sweeping = loop.call_later(SWEEP_SECONDS, self._sweep, loop)

    def stop(self) -> None:
        if self._sweeping is not None:
            self._sweeping.cancel()

    def opened(self, protocol: Watched) -> bool:
        """Room for ``protocol``? At the cap, the connection that has waited longest
        for its request head is closed to make room; with none waiting, the one whose
        body has been arriving longest (attack round 11, H1: a client that sent whole
        heads, then a body byte every 3 s, and reopened what was dropped, held every
        place, and /healthz was refused); with none of those, no room: every place is
        being answered."""
        if len(self.open) >= self.limits.max_connections:
            phases = {p: _phase(p) for p in self.open}
            waiting = [p for p, phase in phases.items() if phase == HEAD]
            kind, what = "evicted", "waited longest for its request"
            if not waiting:
                waiting = [p for p, phase in phases.items() if phase in (BODY, DRAIN)]
                kind, what = "evicted-body", "had sent its request body for longest"
            if not waiting:
                THROTTLED.note(
                    "refused",
                    "%d connections open, the most: refused one",
                    len(self.open),
                    level=logging.WARNING,
                )
                return False
            oldest = min(waiting, key=lambda p: p.watch_since)
            THROTTLED.note(
                kind,
                "%d connections open, the most: closed the one that %s",
                len(self.open),
                what,
                level=logging.WARNING,
            )
            self.close(oldest)
        self.open.add(protocol)
        return True

    def closed(self, protocol: Watched) -> None:
        self.open.discard(protocol)

    def close(self, protocol: Watched, answer: bytes = b"") -> None:
        self.open.discard(protocol)
        transport = protocol.transport
        if transport is None or transport.is_closing():
            return
        if transport.get_write_buffer_size():
            transport.abort()  # close() would wait for a reader that does not read
            return
        if answer:
            transport.write(answer)
        transport.close()

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        now = time.monotonic()
        for protocol in list(self.open):
            self._check(protocol, now)
        self._sweeping = loop.call_later(SWEEP_SECONDS, self._sweep, loop)

    def _check(self, protocol: Watched, now: float) -> None:
        limits = self.limits
        transport = protocol.transport
        # An answer the client is not reading: uvicorn hands the whole body to the
        # transport and calls the response complete, so this is about the buffer.
        if transport is not None and transport.get_write_buffer_size():
            if now - protocol.watch_unread_since > limits.write_seconds:
                THROTTLED.note(
                    "write",
                    "closed a connection that did not read its answer within %g s",
                    limits.write_seconds,
                )
                self.close(protocol)
            return
        protocol.watch_unread_since = now
        phase = _phase(protocol)
        if phase != protocol.watch_phase:
            protocol.watch_phase, protocol.watch_since = phase, now
        if phase == HEAD and now - protocol.watch_since > limits.head_seconds:
            partial = protocol.watch_head_bytes > 0
            if partial:
                THROTTLED.note(
                    "head",
                    "closed a connection whose request head did not arrive within %g s",
                    limits.head_seconds,
                )
            self.close(protocol, _TIMED_OUT if partial else b"")
        elif phase in (BODY, DRAIN) and (
            now - protocol.watch_data_at > limits.body_idle_seconds
            or now - protocol.watch_since > limits.body_seconds
        ):
            # The app sees the disconnect and logs the request as cut short.
            self.close(protocol)


def guarded(base: type[asyncio.Protocol], watch: Watch) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol class ``base`` with the watch's deadlines and caps."""
    max_head = watch.limits.max_head_bytes
    max_drain = watch.limits.max_drain_bytes

    class Guarded(base):  # type: ignore[misc, valid-type]  # a class chosen at run time
        watch_phase = HEAD
        watch_since = 0.0
        watch_data_at = 0.0
        watch_unread_since = 0.0
        watch_head_bytes = 0
        watch_head_tail = b""  # the last bytes of the head so far: its end may be split
        watch_drained = 0  # body bytes dropped after the answer

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)
            self.watch_since = self.watch_data_at = self.watch_unread_since = time.monotonic()
            if not watch.opened(self):
                watch.close(self)

        def connection_lost(self, exc: Exception | None) -> None:
            watch.closed(self)
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            now = time.monotonic()
            self.watch_data_at = now
            if self.watch_phase == HEAD:
                # Counted before the parser sees it: a whole head that arrives at once
                # (17 KB, 64 KB) would otherwise be parsed and served before its size
                # was looked at. Only the bytes up to the blank line that ends the
                # head count (a body may follow in the same packet).
                seen = self.watch_head_tail + data
                end = seen.find(b"\r\n\r\n")
                head = len(data) if end < 0 else max(0, end + 4 - len(self.watch_head_tail))
                self.watch_head_bytes += head
                self.watch_head_tail = seen[-3:]
                if self.watch_head_bytes > max_head:
                    watch.close(self, _HEAD_TOO_LARGE)
                    return
            elif self.watch_phase == DRAIN:
                self.watch_drained += len(data)
                if self.watch_drained > max_drain:
                    watch.close(self)  # the answer is out; this much more is not read
                    return
            super().data_received(data)
            phase = _phase(self)
            if phase != self.watch_phase:
                self._watch_reset(phase, now)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._watch_reset(_phase(self), time.monotonic())  # HEAD, or DRAIN

        def _watch_reset(self, phase: str, now: float) -> None:
            self.watch_phase, self.watch_since = phase, now
            self.watch_head_bytes, self.watch_head_tail, self.watch_drained = 0, b"", 0

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{base.__name__}"
    return Guarded


def loop_exception_handler(
    default: Callable[[asyncio.AbstractEventLoop, dict[str, object]], object] | None,
) -> Callable[[asyncio.AbstractEventLoop, dict[str, object]], None]:
    """Out of file descriptors, asyncio logs a traceback for every failed accept (55 MB
    in 12 s under attack): one line a minute instead. Anything else as before."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        exc = context.get("exception")
        callback = getattr(context.get("handle"), "_callback", None)
        if getattr(callback, "__name__", "") == "_start_serving" and isinstance(
            exc, ValueError | OSError
        ):
            # Out of descriptors, asyncio stops accepting and retries 0.1 s later; if
            # the server closed in between (shutdown), the retry finds the listening
            # socket closed ("Invalid file descriptor: -1") and its traceback was
            # logged (once in 12 loaded runs of the suite). Nothing is left to serve.
            THROTTLED.note(
                "retry", "a closed server's accept retry was dropped", level=logging.DEBUG
            )
            return
        if isinstance(exc, OSError) and exc.errno in OUT_OF_DESCRIPTORS:
            THROTTLED.note(
                "descriptors",
                "out of file descriptors (%s): new connections wait until some close",
                errno.errorcode.get(exc.errno or 0, "?"),
                level=logging.WARNING,
            )
            return
        if default is not None:
            default(loop, context)
        else:
            loop.default_exception_handler(context)

    return handle
