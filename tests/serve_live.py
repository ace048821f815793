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
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_until_healthy(base, process)
        yield base
    finally:
        process.terminate()
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        # Nothing a client sent is logged: no access log, no tracebacks.
        assert b"Traceback" not in stderr
        assert b"POST /" not in stderr and b"GET /" not in stderr


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


class Server:
    """A server process whose stderr is read as it comes, to wait on what it logs."""

    def __init__(self, args: list[str], preexec: Any = None) -> None:
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
        wait_until_healthy(self.base, self.process)

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

    def stop(self, seconds: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=seconds)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join(timeout=10)
