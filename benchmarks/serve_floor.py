"""`legpress-diag serve` against its framework's floor, measured with wrk on loopback.

    python benchmarks/serve_floor.py                 # 32 connections, 10 s a run
    python benchmarks/serve_floor.py --seconds 5 --connections 64

HTTP servers are measured with a native load generator at fixed connection counts,
so this drives both servers with `wrk` (Debian's package) on 127.0.0.1:

- **ours**: `legpress-diag serve` as a user starts it (the real command, 1 worker);
- **the floor**: a FastAPI app on uvicorn's defaults (benchmarks/serve_floor_app.py)
  that reads the body, parses it as JSON, and answers the very bytes ours answered for
  that request (body and headers), doing no work.

Two requests: one record to `POST /v1/diagnose`, and one `POST /v1/interview` step in
the middle of the questions. The floor and ours run one after the other in the same
run and the printed figures are ratios (requests/s vs the floor, p99 vs the floor):
the machine's speed and load cancel out of them to first order. Each run also reads
the server's CPU time per request from /proc, which other load on a shared machine
disturbs far less than requests/s or p99. Nothing here asserts
a timing; benchmarks/run.py keeps the figures in results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Complete safety answers, so the results mean what they say under contract v3.
SCREENS_CLEAR = {
    "age_years": 34,
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
}


def _screened(**answers: Any) -> dict[str, Any]:
    """A record whose safety screen is answered (all clear), so its result is 'ok'."""
    from legpress_diag.api import bundled_rulebase
    from legpress_diag.knowledge.rulebase import QuestionType

    rb = bundled_rulebase()
    full: dict[str, Any] = {
        q: "no"
        for q in sorted(rb.safety_questions())
        if rb.questions[q].type is QuestionType.YES_NO and not rb.questions[q].replaced_by
    }
    return {**full, "age_years": 34, **answers}


REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "diagnose": (
        "/v1/diagnose",
        {"id": "load", "answers": _screened(butt_lifts_off_seat="yes", knee_angle_at_bottom=70)},
    ),
    # The first step (the age question) and one mid-way, where the questionnaire
    # weighs which question to ask next.
    "interview start": ("/v1/interview", {"answers": {}}),
    "interview step": (
        "/v1/interview",
        {"answers": {**SCREENS_CLEAR, "pain_location": ["lower_back"], "heels_lift": "yes"}},
    ),
}
# Headers that differ per response; the floor adds its own.
PER_RESPONSE = {"date", "content-length", "server", "connection", "transfer-encoding"}
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_healthy(port: int, process: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(port: int, path: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in PER_RESPONSE]
        return response.status, headers, response.read()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(
    server: subprocess.Popen[bytes],
    port: int,
    path: str,
    body: bytes,
    connections: int,
    seconds: float,
    tmp: Path,
) -> Any:
    """One wrk run: requests/s, latency percentiles (ms), errors, and the server's CPU
    time per request (a figure the machine's other load disturbs far less)."""
    script = tmp / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body.decode())}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    threads = max(1, min(2, connections))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    command += ["-s", str(script), f"http://127.0.0.1:{port}{path}"]
    cpu = cpu_seconds(server.pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server.pid) - cpu
    figures = parse_wrk(out)
    figures["cpu_us_per_request"] = cpu / max(1, figures["requests"]) * 1e6
    return figures


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(out: str) -> dict[str, Any]:
    latency = {
        int(q): _ms(value) for q, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.M)
    }
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = re.search(r"^\s+(\d+) requests in", out, re.M)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": int(requests.group(1)) if requests else 0,
        "p50_ms": latency.get(50),
        "p90_ms": latency.get(90),
        "p99_ms": latency.get(99),
        "errors": (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def measure(connections: int = 32, seconds: float = 10.0, rounds: int = 2) -> dict[str, Any]:
    """Ours and the floor for each request, ``rounds`` times alternating; the median."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    ours_port, floor_port = free_port(), free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    ours = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "serve", "--port", str(ours_port)], **quiet
    )
    floor = None
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        try:
            wait_healthy(ours_port, ours)
            answers = {}
            for label, (path, record) in REQUESTS.items():
                body = json.dumps(record).encode()
                status, headers, payload = fetch(ours_port, _url(label, path), body)
                assert status == 200, (label, status)
                answers[label] = {"headers": headers, "body": payload.decode()}
            (tmp / "answers.json").write_text(json.dumps(answers))
            floor = subprocess.Popen(
                [
                    sys.executable,
                    str(HERE / "serve_floor_app.py"),
                    str(tmp / "answers.json"),
                    str(floor_port),
                ],
                **quiet,
            )
            wait_healthy(floor_port, floor, "/ready")
            for label, (path, record) in REQUESTS.items():
                body = json.dumps(record).encode()
                url = _url(label, path)
                servers = {"floor": (floor, floor_port), "ours": (ours, ours_port)}
                for process, port in servers.values():  # warm both up
                    wrk(process, port, url, body, connections, 2, tmp)
                runs: dict[str, list[dict[str, Any]]] = {"floor": [], "ours": []}
                for _ in range(rounds):
                    for who, (process, port) in servers.items():
                        runs[who].append(wrk(process, port, url, body, connections, seconds, tmp))
                results[label] = {who: _median(rows) for who, rows in runs.items()}
                results[label]["response_bytes"] = len(answers[label]["body"])
        finally:
            stop(ours)
            if floor is not None:
                stop(floor)
    for label, row in results.items():
        row["work_us"] = work_us(*REQUESTS[label])
        if label.startswith("interview"):
            row["work_cold_us"] = work_us(*REQUESTS[label], cold=True)
        floor_cpu = row["floor"]["cpu_us_per_request"]
        # What ours would do on a request path as costly as the floor's: the floor's
        # CPU per request plus the work itself (ours' own path now costs less).
        row["best_rate_vs_floor"] = floor_cpu / (floor_cpu + row["work_us"])
        # Where ours' CPU per request goes besides the work: HTTP, the framework, our
        # checks, and the cache misses of interleaving them with the work.
        row["path_us"] = row["ours"]["cpu_us_per_request"] - row["work_us"]
        row["rate_vs_floor"] = row["ours"]["requests_per_s"] / row["floor"]["requests_per_s"]
        row["p99_vs_floor"] = row["ours"]["p99_ms"] / row["floor"]["p99_ms"]
        row["cpu_vs_floor"] = row["ours"]["cpu_us_per_request"] / row["floor"]["cpu_us_per_request"]
    return {"connections": connections, "seconds": seconds, "rounds": rounds, **results}


def work_us(path: str, record: dict[str, Any], repeats: int = 300, cold: bool = False) -> float:
    """CPU time (us) of the work alone for one request, in this process: what the
    service computes for the body, with no HTTP around it. ``cold``: as for answers
    never seen before (the interview's remembered steps forgotten before each call;
    wrk repeats one body, so the server mostly answers it from them)."""
    from legpress_diag.api import bundled_rulebase
    from legpress_diag.intake.questionnaire.memo import forget
    from legpress_diag.web.api import interview_json
    from legpress_diag.web.limits import Deadline, Limits
    from legpress_diag.web.service import diagnose_body

    rb, body, limits = bundled_rulebase(), json.dumps(record).encode(), Limits()

    def once() -> None:
        if path == "/v1/diagnose":
            diagnose_body(body, rb, limits, Deadline(60))
        else:
            interview_json(rb, body)  # what the route runs, about_left included

    once()
    started = time.process_time()
    for _ in range(repeats):
        if cold:
            forget()
        once()
    return (time.process_time() - started) / repeats * 1e6


def _url(label: str, path: str) -> str:
    """The path with the case named in the query (ours ignores it; the floor answers by it)."""
    return f"{path}?case={label.replace(' ', '-')}"


def _median(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median rate (its own percentiles), errors summed over runs."""
    ordered = sorted(rows, key=lambda row: row["requests_per_s"])
    middle = dict(ordered[(len(ordered) - 1) // 2])
    middle["errors"] = sum(row["errors"] for row in rows)
    middle["cpu_us_per_request"] = statistics.median(row["cpu_us_per_request"] for row in rows)
    return middle


def report(figures: dict[str, Any]) -> None:
    print(
        f"\nThe service vs its floor (wrk, {figures['connections']} connections, "
        f"{figures['seconds']:g} s x {figures['rounds']}, loopback, 1 worker)"
    )
    for label in REQUESTS:
        row = figures.get(label)
        if not row:
            continue
        for who in ("floor", "ours"):
            run = row[who]
            print(
                f"  {label:15} {who:5} {run['requests_per_s']:8,.0f} requests/s   "
                f"p50 {run['p50_ms']:6.2f} ms  p99 {run['p99_ms']:6.2f} ms   "
                f"errors {run['errors']}   CPU {run['cpu_us_per_request']:5.0f} us/request"
            )
        print(
            f"  {label:15} ours/floor: {row['rate_vs_floor']:.2f}x requests/s, "
            f"{row['p99_vs_floor']:.2f}x p99, {row['cpu_vs_floor']:.2f}x CPU per request  "
            f"({row['response_bytes']:,} response bytes)"
        )
        print(
            f"  {label:15} the work alone: {row['work_us']:,.0f} us of CPU; on a request path "
            f"as costly as the floor's: {row['best_rate_vs_floor']:.2f}x requests/s"
        )
        if "path_us" in row:
            print(
                f"  {label:15} ours less the work: {row['path_us']:,.0f} us of CPU per request "
                f"(the floor's whole request: {row['floor']['cpu_us_per_request']:,.0f} us)"
            )
        if "work_cold_us" in row:
            print(
                f"  {label:15} the work for answers never seen before: "
                f"{row['work_cold_us']:,.0f} us of CPU"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    figures = measure(args.connections, args.seconds, args.rounds)
    report(figures)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
