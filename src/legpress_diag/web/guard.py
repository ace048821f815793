"""The outermost guard of every request: the security headers on every answer, a cap
on requests in flight and on the bytes of large bodies held at once, and one log line
(never a traceback, never the request) for whatever escapes the routes; and
compression for clients that ask for it.

Starlette's own last-resort handler re-raises after answering, so the server logs a
traceback for every bug and for every client that hangs up mid-upload; this answers
and logs here instead, and lets nothing through. One wrapper does all of it because
each ASGI layer costs every request a little (benchmarks/serve_floor.py).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .api import ClientGone
from .connections import THROTTLED
from .limits import Limits
from .problems import RequestProblem
from .security import HEADERS
from .service import to_json

EXEMPT = frozenset({"/healthz"})  # the readiness check answers even when busy


class _OverBudget(Exception):
    """A body without a declared length has grown past the bytes left in the budget."""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class Guard:
    def __init__(self, app: ASGIApp, max_in_flight: int, limits: Limits | None = None) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        limits = limits or Limits(max_in_flight=max_in_flight)
        # Bodies up to this size are not counted: 256 of them are 1 MiB in all.
        self.small_body = limits.inline_body_bytes
        self.body_budget = limits.max_body_bytes_in_flight
        self.body_bytes = 0  # held now by requests being handled (one event loop)

    def _body_busy(self) -> RequestProblem:
        return RequestProblem(
            "busy",
            f"{self.body_bytes:,} bytes of request bodies are being handled, the most at "
            f"once is {self.body_budget:,}",
            headers={"Retry-After": "1"},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight and scope["path"] not in EXEMPT:
            busy = RequestProblem(
                "busy",
                f"{self.in_flight} requests are being handled, the most at once",
                headers={"Retry-After": "1"},
            )
            await _answer(send, busy)  # no route ran: the headers are added here
            return
        declared = _declared_length(scope)
        held = 0  # this request's bytes counted in self.body_bytes
        # A body larger than the whole budget is past every route's own cap too: the
        # route refuses it (413) before reading it, so it is not counted here.
        if declared is not None and self.small_body < declared <= self.body_budget:
            if self.body_bytes + declared > self.body_budget:
                await _answer(send, self._body_busy())  # before any byte is read
                return
            held = declared
            self.body_bytes += held
        started = False
        seen = 0  # bytes of a body of no declared length so far

        async def counted(*_: object) -> Message:
            # A body of no declared length (chunked) counts as it arrives.
            nonlocal held, seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.small_body:
                    if self.body_bytes - held + seen > self.body_budget:
                        raise _OverBudget
                    self.body_bytes += seen - held
                    held = seen
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in HEADERS if n not in present]
                message["headers"] = headers
            await send(message)

        self.in_flight += 1
        try:
            await self.app(scope, receive if declared is not None else counted, watched)
        except asyncio.CancelledError:
            # The server is stopping and its grace is over. This is the task's top: it
            # ends here, with an answer if it can still give one, and no traceback.
            THROTTLED.note(
                "stopping", "request cut short by the server stopping: %s", _where(scope)
            )
            if not started:
                await _answer(send, RequestProblem("stopping", "the server is stopping"))
        except _OverBudget:
            if not started:
                await _answer(send, self._body_busy())
        except ClientGone:
            THROTTLED.note(
                "gone", "client disconnected before its request arrived: %s", _where(scope)
            )
        except Exception as exc:
            # A bug. Its type and where, never the request: it may hold what a person typed.
            THROTTLED.note(
                "bug",
                "internal error: %s on %s",
                type(exc).__name__,
                _where(scope),
                level=logging.ERROR,
            )
            if not started:
                await _answer(send, RequestProblem("internal-error", "an internal error"))
        finally:
            self.in_flight -= 1
            self.body_bytes -= held


def _where(scope: Scope) -> str:
    return f"{scope.get('method', '?')} {scope.get('path', '?')}"


async def _answer(send: Send, problem: RequestProblem) -> None:
    body = to_json(problem.to_dict()).encode()
    headers = [*HEADERS, (b"content-type", b"application/problem+json")]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Compress(GZipMiddleware):
    """gzip for the clients that accept it. Starlette's middleware also wraps every
    answer to a client that does not, to add ``Vary``; every answer here is
    ``no-store``, so no cache can mix the two up, and those answers pass untouched."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(
            name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"]
        ):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)


__all__ = ["EXEMPT", "Compress", "Guard"]
