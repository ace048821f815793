"""The live server on loopback against slow and hostile clients, with real sockets
(issue 20, items 2, 6, 9, 10, 12). Counts are bounded and every wait has a generous
limit: a test waits for the server to act, never for a fixed time."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from .serve_live import Server, free_port

WAIT = 30.0  # the most any test waits for the server to act (it acts within ~2 s)
HEAD = b"POST /v1/diagnose HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


@pytest.fixture(params=["auto", "h11"])
def quick(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server whose read deadlines are 1 s, so that a test sees them act; with the
    HTTP parser the serve extra installs (httptools), and with uvicorn's fallback."""
    server = Server.with_limits(
        head_seconds=1, body_idle_seconds=1, body_seconds=3, http=request.param
    )
    try:
        yield server
    finally:
        server.stop()
        assert "Traceback" not in server.log


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or WAIT passes)."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def healthz(server: Server, timeout: float = 10) -> int:
    with urllib.request.urlopen(server.base + "/healthz", timeout=timeout) as response:
        return int(response.status)


def test_half_a_request_head_is_cut_off_with_408(quick: Server) -> None:
    with connect(quick) as sock:
        sock.sendall(HEAD)  # and never the blank line that ends the head
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b'"status":408' in answer


def test_a_connection_that_sends_nothing_is_closed(quick: Server) -> None:
    with connect(quick) as sock:
        assert read_all(sock) == b""


def test_a_body_that_stops_coming_is_cut_off_with_one_log_line(quick: Server) -> None:
    with connect(quick) as sock:
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n" + b'{"answers": ')
        assert read_all(sock) == b""  # closed: nobody waits for the rest
    quick.wait_for("client disconnected before its request arrived: POST /v1/diagnose")
    assert quick.log.count("client disconnected") == 1


def test_a_client_hanging_up_mid_upload_is_one_log_line(quick: Server) -> None:
    with connect(quick) as sock:
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n" + b'{"answers": ')
    quick.wait_for("client disconnected before its request arrived: POST /v1/diagnose")
    assert healthz(quick) == 200


def test_a_request_head_over_16_kib_is_431(quick: Server) -> None:
    with connect(quick) as sock:
        sock.sendall(HEAD + b"X-Padding: " + b"a" * 17_000)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:100]


def test_a_head_just_under_16_kib_is_read(quick: Server) -> None:
    body = b'{"answers": {}}'
    padding = b"X-Padding: " + b"a" * (16 * 1024 - 400) + b"\r\n"
    with connect(quick) as sock:
        sock.sendall(
            HEAD + padding + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        )
        sock.sendall(body)
        assert read_all(sock).startswith(b"HTTP/1.1 200 ")


def _head_of(size: int, body: bytes) -> bytes:
    """A complete request head of exactly ``size`` bytes (its blank line included)."""
    start = HEAD + b"Content-Length: %d\r\nConnection: close\r\nX-Padding: " % len(body)
    return start + b"a" * (size - len(start) - 4) + b"\r\n\r\n"


@pytest.mark.parametrize(("size", "status"), [(16 * 1024, b"200"), (16 * 1024 + 1, b"431")])
def test_a_whole_head_sent_at_once_is_held_to_16_kib(
    quick: Server, size: int, status: bytes
) -> None:
    """A complete head arriving in one piece was parsed and served before its size was
    looked at (17 KB and 64 KB heads got 200): the limit holds to the byte, and the
    body that follows in the same packet does not count."""
    body = b'{"answers": {}}' + b" " * 40_000
    head = _head_of(size, body)
    assert len(head) == size
    with connect(quick) as sock:
        sock.sendall(head + body)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:100]


def test_a_64_kb_head_is_431(quick: Server) -> None:
    with connect(quick) as sock:
        sock.sendall(_head_of(64 * 1024, b"{}") + b"{}")
        assert read_all(sock).startswith(b"HTTP/1.1 431 ")


def _few_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _hold(server: Server, sent: bytes, held: list[socket.socket]) -> None:
    """Open a connection, send ``sent`` and keep it open (in ``held``)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    sock.sendall(sent)
    held.append(sock)


@contextlib.contextmanager
def _holding(server: Server, sent: bytes, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections that sent ``sent`` and wait; closed, and the server
    stopped, at the end."""
    held: list[socket.socket] = []
    try:
        for _ in range(count):
            _hold(server, sent, held)
        yield held
    finally:
        for sock in held:
            sock.close()
        server.stop()


@pytest.mark.load
def test_slow_clients_cannot_take_the_server_down() -> None:
    """300 connections sending half a head, under a 256-descriptor limit, with the
    default (10 s) deadlines: /healthz still answers at once."""
    server = Server.with_limits(preexec=_few_descriptors)
    with _holding(server, HEAD, 300):
        assert healthz(server) == 200
        assert healthz(server) == 200
    assert "Traceback" not in server.log
    # Throttled: a few lines and a count, never one per connection.
    assert server.log.count("connections open, the most") <= 3


@pytest.mark.load
def test_slow_bodies_cannot_take_the_server_down() -> None:
    """Attack round 11, H1: 300 connections that send a whole head and then a body
    byte now and then, under a 256-descriptor limit: only connections waiting for their
    head were closed to make room, so /healthz was refused. The one whose body has been
    arriving longest makes room now."""
    server = Server.with_limits(preexec=_few_descriptors)
    full = ("had sent its request body for longest", "refused one")  # with none in a head
    body_begun = HEAD + b"Content-Length: 100000\r\n\r\n{"
    with _holding(server, body_begun, 300) as held:
        # More of them until the server is full of bodies (it says so in its log):
        # then, and only then, a connection that sends its head at once must get in.
        deadline = time.monotonic() + WAIT
        while not any(line in server.log for line in full) and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                _hold(server, body_begun, held)
            time.sleep(0.05)
        assert healthz(server) == 200
        assert healthz(server) == 200
    assert "Traceback" not in server.log
    assert "closed the one that had sent its request body for longest" in server.log
    # Throttled: a few lines of each kind (heads, bodies), never one per connection.
    assert server.log.count("connections open, the most") <= 6


@pytest.mark.load
def test_sigterm_ends_promptly_while_work_is_running() -> None:
    """A request with minutes of work in flight: SIGTERM stops the work at its next
    record and the server ends within its 10 s grace, not when the work would end."""
    server = Server.with_limits(slow=0.05, seconds=600)
    body = json.dumps([{"answers": {}}] * 1000).encode()  # 50 s of work
    answer: list[object] = []

    def post() -> None:
        request = urllib.request.Request(
            server.base + "/v1/diagnose",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer.append(response.status)
        except (urllib.error.HTTPError, OSError) as exc:
            answer.append(getattr(exc, "code", type(exc).__name__))

    client = threading.Thread(target=post)
    client.start()
    server.wait_for("working on a record")
    began = time.monotonic()
    code = server.stop(seconds=WAIT)
    took = time.monotonic() - began
    client.join(timeout=WAIT)
    # It ended on its own (stop() kills after WAIT), before the work would have (50 s).
    assert code in (0, -signal.SIGTERM) and took < WAIT, f"stopped in {took:.1f} s"
    assert server.log.count("working on a record") < 1000
    assert answer and answer[0] != 200
    assert "Traceback" not in server.log


def test_a_port_in_use_is_exit_2_with_our_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "legpress_diag", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"legpress-diag: error: port {port} on 127.0.0.1 is already in use (is another "
        "server running there?): stop it, or choose another port with --port"
    )


@pytest.mark.parametrize("host", ["a..b", "x" * 70 + ".example"])
def test_a_host_name_idna_cannot_encode_is_exit_2_with_our_message(host: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "serve", "--host", host, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    # (after the warning about plain HTTP that any host but loopback gets)
    assert done.stderr.strip().splitlines()[-1] == (
        f"legpress-diag: error: cannot listen on '{host}': no such address"
    )
    assert "internal error" not in done.stderr


def test_every_interface_is_warned_about() -> None:
    with socket.socket() as taken:  # so that the server stops right after the warning
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "legpress_diag",
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        loopback = subprocess.run(
            [sys.executable, "-m", "legpress_diag", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert "warning: serving plain HTTP on every interface" in done.stderr
    assert "TLS" in done.stderr
    assert loopback.returncode == 2 and "warning" not in loopback.stderr


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_workers_serve_the_rule_base_loaded_once(tmp_path: Path) -> None:
    """Two workers, a rule file broken after the start, a worker killed: the worker
    that replaces it serves the same rule base (same hash), and nothing crash-loops."""
    coach = tmp_path / "coach.yaml"
    coach.write_text((Path(__file__).parents[1] / "docs" / "examples" / "seat.yaml").read_text())
    port = free_port()
    server = Server(
        [
            sys.executable,
            "-m",
            "legpress_diag",
            "serve",
            "--port",
            "{port}",
            "--workers",
            "2",
            "--rules",
            str(coach),
        ]
    )
    try:

        def identity() -> str:
            with urllib.request.urlopen(server.base + "/v1/rulebase", timeout=10) as response:
                return str(json.load(response)["hash"])

        first = identity()
        coach.write_text("rules: [this is: not a rule")  # broken from now on
        workers = _children(server.process.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        server.wait_for("starting another")
        deadline = time.monotonic() + WAIT
        while len(_children(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_children(server.process.pid)) == 2
        assert {identity() for _ in range(20)} == {first}
        assert port  # the helper picked its own
    finally:
        code = server.stop()
    assert code in (0, -signal.SIGTERM)
    assert "Traceback" not in server.log and "error" not in server.log.lower()


def test_running_out_of_descriptors_is_logged_a_few_times_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """asyncio reports every failed accept with a traceback (55 MB in 12 s under
    attack); the server's handler logs three lines a minute and counts the rest."""
    import asyncio
    import errno
    import logging

    from legpress_diag.web import connections

    seen: list[dict[str, object]] = []
    throttled = connections.Throttled(per_interval=3, seconds=60)
    handler = connections.loop_exception_handler(lambda loop, context: seen.append(context))
    loop = asyncio.new_event_loop()
    try:
        with caplog.at_level(logging.INFO, logger="legpress_diag.web"):
            original, connections.THROTTLED = connections.THROTTLED, throttled
            try:
                for _ in range(500):
                    error = OSError(errno.EMFILE, "Too many open files")
                    handler(
                        loop,
                        {"message": "socket.accept() out of system resource", "exception": error},
                    )
                handler(loop, {"message": "something else", "exception": ValueError()})
            finally:
                connections.THROTTLED = original
    finally:
        loop.close()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3 and all("out of file descriptors (EMFILE)" in x for x in lines)
    assert "Traceback" not in caplog.text
    assert [c["message"] for c in seen] == ["something else"]  # the rest as before


def test_a_client_that_does_not_read_its_answer_is_dropped() -> None:
    """An answer of megabytes to a client that never reads: the server drops the
    connection after write_seconds instead of holding it and its buffers for ever."""
    server = Server.with_limits(write_seconds=1, max_response_bytes=64 * 1024 * 1024)
    try:
        body = json.dumps([{"answers": {"butt_lifts_off_seat": "yes"}}] * 1000).encode()
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a tiny window
        sock.settimeout(WAIT)
        sock.connect(("127.0.0.1", server.port))
        with sock:
            sock.sendall(
                b"POST /v1/diagnose?explain=true HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            )
            server.wait_for("did not read its answer within 1 s")
            answer = read_all(sock)
        head, _, rest = answer.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        assert len(rest) < length  # cut off, not delivered whole
    finally:
        server.stop()
    assert "Traceback" not in server.log


@pytest.mark.load
def test_a_half_sent_body_does_not_hold_sigterm() -> None:
    """With the body deadlines far away, a client holding half a body could keep the
    server from stopping; the graceful shutdown gives it shutdown_seconds, then ends."""
    server = Server.with_limits(body_idle_seconds=600, body_seconds=600, shutdown_seconds=2)
    with connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n" + b'{"answers": ')
        server.wait_for("Application startup complete")
        began = time.monotonic()
        code = server.stop(seconds=WAIT)
        took = time.monotonic() - began
    # It ended on its own (stop() kills after WAIT), long before the body's 600 s.
    assert code in (0, -signal.SIGTERM) and took < WAIT, f"stopped in {took:.1f} s"
    assert "Traceback" not in server.log


@pytest.mark.load
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_twelve_large_explained_batches_at_once_stay_in_bounded_memory() -> None:
    """Issue 20's figure: 12 explained batches at once took the server from 53 MB to
    1.35 GB. Each answer now stops at its 8 MiB budget (413), and only two compute
    at a time: the server's peak stays near 100 MB (asserted: under 400 MB)."""
    from .test_safety import screen_all_no

    # The default limits but the time: on a loaded machine a request can pass the 10 s
    # limit (503 too-slow) before its answer reaches the budget this test is about.
    server = Server.with_limits(seconds=600)
    record = {"answers": screen_all_no(butt_lifts_off_seat="yes", knee_angle_at_bottom=60)}
    body = json.dumps([record] * 1000).encode()  # about 0.8 MB
    kinds: list[object] = []

    def post() -> None:
        request = urllib.request.Request(
            server.base + "/v1/diagnose?explain=true",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                kinds.append(response.status)
        except urllib.error.HTTPError as exc:
            kinds.append(json.loads(exc.read())["type"])

    try:
        clients = [threading.Thread(target=post) for _ in range(12)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=120)
        status = Path(f"/proc/{server.process.pid}/status").read_text()
        peak_mb = int(status.split("VmHWM:")[1].split()[0]) // 1024
    finally:
        server.stop()
    assert kinds == ["/docs#problem-answer-too-large"] * 12
    assert peak_mb < 400, f"peak RSS {peak_mb} MB"


def test_a_port_taken_before_the_server_binds_it_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The test harness's own race: free_port() then the server's bind. Another process
    # taking the port in between (two suites at once) failed a test by luck.
    from . import serve_live

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        ports = iter([taken.getsockname()[1], free_port()])
        monkeypatch.setattr(serve_live, "free_port", lambda: next(ports))
        server = Server.with_limits()
        try:
            assert server.port != taken.getsockname()[1]
            assert "already in use" not in server.log  # the second start's log only
        finally:
            server.stop()


def _upload(server: Server, size: int) -> tuple[int, bytes]:
    """Send a ``size``-byte body in full, then read the answer: the bytes that went
    out before the connection failed (if it did), and what came back."""
    sent = 0
    with connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % size)
        chunk = b" " * 65536
        with contextlib.suppress(OSError):  # a reset or a broken pipe
            while sent < size:
                sent += sock.send(chunk[: size - sent])
        with contextlib.suppress(OSError):
            return sent, read_all_until_answer(sock)
    return sent, b""


def read_all_until_answer(sock: socket.socket) -> bytes:
    """The answer's bytes, up to the end of a JSON body (the connection may stay open)."""
    answer = b""
    while not answer.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def test_a_body_answered_before_it_was_read_is_drained_so_its_sender_reads_the_answer(
    quick: Server,
) -> None:
    # Attack round 4: the rest of a body sent after its 413 (or a 503 busy) was
    # counted as the next request's head, closed as over 16 KiB, and the sender got a
    # connection reset instead of the answer. 8 MiB is far past the socket buffers.
    size = 8 * 1024 * 1024
    sent, answer = _upload(quick, size)
    assert sent == size
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert healthz(quick) == 200


def test_draining_stops_at_its_limit() -> None:
    server = Server.with_limits(max_drain_bytes=1024 * 1024)
    try:
        sent, _ = _upload(server, 64 * 1024 * 1024)
        assert sent < 64 * 1024 * 1024  # the connection was closed, not read to the end
        assert healthz(server) == 200
    finally:
        server.stop()


def test_an_accept_retry_after_the_server_closed_logs_no_traceback() -> None:
    """Out of descriptors, asyncio retries accepting 0.1 s later; when the server
    closed in between, the retry raised on the closed socket and its traceback was
    logged (test_slow_clients_cannot_take_the_server_down failed once in 12 loaded
    runs: '... None, None)>' then a traceback). The handler drops it, and only it."""
    import asyncio
    import socket as sockets

    from legpress_diag.web import connections

    seen: list[dict[str, object]] = []
    handler = connections.loop_exception_handler(lambda loop, context: seen.append(context))
    loop = asyncio.new_event_loop()
    closed = sockets.socket()
    closed.close()
    try:
        retry = asyncio.Handle(
            loop._start_serving,  # type: ignore[attr-defined]
            (None, closed, None, None, 100, None, None),
            loop,
        )
        error = ValueError("Invalid file descriptor: -1")
        handler(loop, {"message": "Exception in callback", "exception": error, "handle": retry})
        other = asyncio.Handle(print, (), loop)
        handler(loop, {"message": "Exception in callback", "exception": error, "handle": other})
    finally:
        loop.close()
    assert [c["handle"] for c in seen] == [other]  # anything else goes on as before


ACCEPT_RETRY = """
import asyncio, resource, socket
from legpress_diag.web.connections import loop_exception_handler

resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(loop_exception_handler(None))
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = [socket.socket() for _ in range(3)]
    hold = []
    try:
        while True:
            hold.append(open("/dev/null"))  # every descriptor taken: accept fails
    except OSError:
        pass
    for client in clients:
        client.setblocking(False)
        try:
            client.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
    await asyncio.sleep(0.1)
    server.close()  # asyncio retries accepting a second after running out
    await asyncio.sleep(1.3)
    print("done")


asyncio.run(main())
"""


def test_a_server_closed_while_out_of_descriptors_logs_no_traceback() -> None:
    """The real thing, in a process of its own with 64 descriptors."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", ACCEPT_RETRY], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "done", done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "_start_serving" not in done.stderr
