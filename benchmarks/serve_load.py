"""A bounded load test of `legpress-diag serve` on loopback (not run by the tests).

    python benchmarks/serve_load.py                      # 32 clients, 20 s, 1 worker
    python benchmarks/serve_load.py --workers 2 --clients 64 --seconds 10

Starts the server on a free port, waits for /healthz, then N client threads each
keep one HTTP/1.1 connection open and POST one record to /v1/diagnose as fast as
the server answers, for a fixed time. Prints p50/p90/p99 latency, throughput and
errors (any status other than 200, or a broken connection). The figures are read by
people (docs/performance.md); nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

RECORD = json.dumps(
    {"id": "load", "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70}}
).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(port: int, workers: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "legpress_diag",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def client(port: int, until: float, latencies: list[float], errors: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < until:
        began = time.perf_counter()
        try:
            connection.request("POST", "/v1/diagnose", RECORD, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"status {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - began)
    connection.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    port = free_port()
    server = start(port, args.workers)
    try:
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, until, latencies, errors))
            for _ in range(args.clients)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=10)
    ms = [x * 1000 for x in latencies]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(f"server workers: {args.workers}; clients: {args.clients}; {elapsed:.1f} s")
    print(f"requests: {len(ms)} ok, {len(errors)} errors ({sorted(set(errors))})")
    print(f"throughput: {len(ms) / elapsed:.0f} requests/s")
    if ms:
        print(
            f"latency ms: p50 {percentile(ms, 0.5):.1f}  p90 {percentile(ms, 0.9):.1f}  "
            f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}"
        )


if __name__ == "__main__":
    main()
