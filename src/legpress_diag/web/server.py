"""Running the application: our own socket, uvicorn with the connection guard, and
``--workers N`` as forks of one process that has loaded the rule base once.

- The socket is bound here, before anything starts, so a port in use or an address
  that is not ours is a clear one-line error (``BindError``), never uvicorn's log.
- Workers are forked from the process that loaded the rule base: every worker serves
  exactly that rule base (a file changed or broken afterwards cannot reach one), and
  a worker that dies is forked again from the same memory, not reloaded from disk.
- On SIGTERM or Ctrl-C every request's work stops at its next check (``WorkPool``),
  requests in flight get ``Limits.shutdown_seconds`` to finish, and the server ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import logging
import os
import resource
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import FrameType
from typing import TYPE_CHECKING

import uvicorn

from .connections import Throttled, Watch, guarded, loop_exception_handler
from .limits import Limits, WorkPool

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("legpress_diag.web")

# File descriptors kept free of connections: the listening socket, the event loop,
# log files, the work threads, and room to accept (then close) one more.
RESERVED_DESCRIPTORS = 64
RESTARTS_PER_MINUTE = 5  # a worker dying faster than this is a fault: stop, do not loop


class BindError(Exception):
    """The address cannot be listened on; the message says why and what to do."""


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    access_log: bool = False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or BindError with a message for people."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):  # 'a..b', a label over 63 letters: idna
        raise BindError(f"cannot listen on '{host}': no such address") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BindError(
                f"port {port} on {host} is already in use (is another server running "
                "there?): stop it, or choose another port with --port"
            ) from None
        if exc.errno == errno.EACCES:
            raise BindError(
                f"no permission to listen on port {port} (ports below 1024 need "
                "privileges): choose a port of 1024 or more with --port"
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise BindError(
                f"cannot listen on {host}: it is not an address of this machine"
            ) from None
        raise BindError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def fitted_limits(limits: Limits) -> Limits:
    """``limits`` with the connection cap lowered to what the open-file limit allows,
    so the server closes connections itself before it runs out of descriptors."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return limits
    room = max(8, soft - RESERVED_DESCRIPTORS)
    return replace(limits, max_connections=min(limits.max_connections, room))


def _protocol_base() -> type[asyncio.Protocol]:
    try:
        import httptools  # noqa: F401
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    return HttpToolsProtocol


class GuardedServer(uvicorn.Server):
    """uvicorn's server with the connection watch, quiet descriptor exhaustion, and
    a shutdown that stops every request's work at once."""

    def __init__(self, config: uvicorn.Config, watch: Watch, pool: WorkPool) -> None:
        super().__init__(config)
        self.watch = watch
        self.pool = pool

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(loop_exception_handler(loop.get_exception_handler()))
        self.watch.start(loop)
        await super().startup(sockets)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.pool.stop()
        await super().shutdown(sockets)
        self.watch.stop()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.pool.stop()  # work stops at its next check, before the connections drain
        super().handle_exit(sig, frame)


def _quiet_logs(config: uvicorn.Config) -> None:
    """Our log lines through uvicorn's handler, at its level."""
    ours, theirs = logging.getLogger("legpress_diag.web"), logging.getLogger("uvicorn")
    ours.handlers = list(theirs.handlers)
    ours.setLevel(logging.INFO)
    ours.propagate = False


def serve_socket(app: FastAPI, sock: socket.socket, limits: Limits, options: Options) -> None:
    """Serve ``app`` on an open socket in this process until told to stop."""
    limits = fitted_limits(limits)
    watch = Watch(limits)
    config = uvicorn.Config(
        app,
        http=guarded(_protocol_base(), watch),
        access_log=options.access_log,
        server_header=False,
        log_level="info",
        timeout_keep_alive=limits.keep_alive_seconds,
        timeout_graceful_shutdown=limits.shutdown_seconds,
        # A backstop: the guard answers 431 past max_head_bytes, before h11's own 400.
        h11_max_incomplete_event_size=2 * limits.max_head_bytes,
    )
    _quiet_logs(config)
    pool: WorkPool = app.state.work_pool
    app.openapi()  # built now, not by the first request that asks for it
    # Everything loaded so far (the rule base, the app) lives as long as the process:
    # out of the collector's sight, a full collection takes milliseconds, not tens of
    # them, which is what a request's p99 would otherwise wait for.
    gc.freeze()
    GuardedServer(config, watch, pool).run(sockets=[sock])
    # Every request's work was told to stop (``GuardedServer.handle_exit``) and looks
    # at its deadline between records and keys; work that has not ended after
    # ``shutdown_seconds`` more would otherwise hold the process (the interpreter
    # waits for its threads at exit): end without it.
    if not pool.close(timeout=limits.shutdown_seconds):
        log.warning(
            "work still running %d s after the stop: ending without it", limits.shutdown_seconds
        )
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def run(app: FastAPI, limits: Limits, options: Options) -> int:
    """Bind, then serve with ``options.workers`` processes; the exit status. Raises
    BindError before anything starts."""
    sock = bind(options.host, options.port)
    shown = f"[{options.host}]" if ":" in options.host else options.host
    print(
        f"legpress-diag: serving http://{shown}:{sock.getsockname()[1]}/ "
        f"({options.workers} worker{'s' if options.workers > 1 else ''}; Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    if options.workers == 1:
        serve_socket(app, sock, limits, options)
        return 0
    return Supervisor(options.workers, lambda: serve_socket(app, sock, limits, options)).run()


class Supervisor:
    """N forked workers of one loaded process; a dead one is forked again."""

    def __init__(self, workers: int, serve: Callable[[], None]) -> None:
        self.workers = workers
        self.serve = serve
        self.children: set[int] = set()
        self.stopping: int | None = None  # the signal that asked us to stop
        self.restarts: list[float] = []
        self.log = Throttled()

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, signal.SIG_DFL)
                self.serve()
            except BaseException as exc:  # a worker must never return
                code = 0 if isinstance(exc, KeyboardInterrupt | SystemExit) else 3
                if code:
                    log.error("worker %d failed: %s", os.getpid(), type(exc).__name__)
            finally:
                os._exit(code)
        self.children.add(pid)

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        self.stopping = sig
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        for _ in range(self.workers):
            self._fork()
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        code = 0
        try:
            while self.children:
                pid, status = os.wait()
                self.children.discard(pid)
                if self.stopping is not None:
                    continue
                code = self._replace(pid, status)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.stopping == signal.SIGINT:
            raise KeyboardInterrupt
        return code

    def _replace(self, pid: int, status: int) -> int:
        """A worker ended by itself: fork another, unless they die too fast."""
        now = time.monotonic()
        self.restarts = [t for t in self.restarts if now - t < 60] + [now]
        reason = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"status {os.waitstatus_to_exitcode(status)}"
        )
        if len(self.restarts) > RESTARTS_PER_MINUTE:
            log.error("worker %d ended (%s); workers keep ending: stopping", pid, reason)
            self._stop(signal.SIGTERM, None)
            self.stopping = signal.SIGTERM
            return 3
        log.warning("worker %d ended (%s): starting another", pid, reason)
        self._fork()
        return 0
