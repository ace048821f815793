"""`legpress-diag serve` in a subprocess on a free loopback port, for the live tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    # Generous: a server starts in about 2 s, but far slower on a machine loaded by other jobs.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"serve did not answer /healthz within {seconds} s")


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """The base URL of a running server; stopped after the module's tests."""
    server = Server([sys.executable, "-m", "legpress_diag", "serve", "--port", "{port}"])
    try:
        yield server.base
    finally:
        server.stop(seconds=10)
        # Nothing a client sent is logged: no access log, no tracebacks.
        assert "Traceback" not in server.log
        assert "POST /" not in server.log and "GET /" not in server.log


# A server with chosen limits, through the same `web.server.run` as the command.
LAUNCH = """
import json, sys, time
from legpress_diag.api import bundled_rulebase
from legpress_diag.web import service
from legpress_diag.web.app import create_app
from legpress_diag.web.limits import Limits
from legpress_diag.web import server
from legpress_diag.web.server import Options, run

limits, port, slow = Limits(**json.loads(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
if sys.argv[4] == "h11":  # the pure-Python parser, as without the httptools package
    from uvicorn.protocols.http.h11_impl import H11Protocol
    server._protocol_base = lambda: H11Protocol
if slow:  # each record costs `slow` seconds of CPU, to stand for expensive work
    real = service.diagnose_record
    def costly(*args, **kwargs):
        print("working on a record", file=sys.stderr, flush=True)
        end = time.monotonic() + slow
        while time.monotonic() < end:
            pass
        return real(*args, **kwargs)
    service.diagnose_record = costly
sys.exit(run(create_app(bundled_rulebase(), limits), limits, Options(port=port)))
"""


PORT_ATTEMPTS = 5


class Server:
    """A server process whose stderr is read as it comes, to wait on what it logs."""

    def __init__(self, args: list[str], preexec: Any = None) -> None:
        # A free port can be taken by someone else between free_port() and the
        # server's bind (another suite's server, any client's outgoing connection):
        # the server then says so and exits, and it starts again on another port.
        # /healthz alone could not tell: it might be the other process answering.
        for _ in range(PORT_ATTEMPTS):
            self._start(args, preexec)
            if self._bound():
                break
            self._reader.join(timeout=10)
        else:
            raise RuntimeError(f"no free port in {PORT_ATTEMPTS} attempts:\n{self.log}")
        wait_until_healthy(self.base, self.process)

    def _start(self, args: list[str], preexec: Any) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [a.replace("{port}", str(self.port)) for a in args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=preexec,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _bound(self, seconds: float = 120) -> bool:
        """True once the server says it serves on its port; False when it exits
        because the port was in use; an error for any other early exit."""
        serving = f"serving http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + seconds
        while serving not in self.log:
            if self.process.poll() is not None:
                self._reader.join(timeout=10)
                if serving in self.log:
                    break
                if "already in use" in self.log:
                    return False
                raise RuntimeError(
                    f"serve exited early with status {self.process.returncode}:\n{self.log}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start within {seconds} s:\n{self.log}")
            time.sleep(0.05)
        return True

    @classmethod
    def with_limits(
        cls, slow: float = 0.0, preexec: Any = None, http: str = "auto", **limits: Any
    ) -> Server:
        return cls(
            [sys.executable, "-c", LAUNCH, json.dumps(limits), "{port}", str(slow), http],
            preexec,
        )

    def _read(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace"))

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.log:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged within {seconds} s:\n{self.log}")
            time.sleep(0.05)

    # A teardown's wait for a graceful stop: generous, as a loaded machine (two test
    # runs and a CI run at once on two cores) took over 30 s to stop two workers, and
    # the test failed on the wait, not on the server. Tests that time a stop pass their
    # own limit.
    def stop(self, seconds: float = 120) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=seconds)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join(timeout=10)
