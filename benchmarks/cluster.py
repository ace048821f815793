"""Throughput of examples/dask_batch.py with 1 and 2 workers, beside `diagnose --jobs`.

    python benchmarks/cluster.py [--records 100000] [--runs 3]

Generates a batch of complete records (benchmarks/workload.py), then times each
command end to end (Python's start, the cluster's start and shutdown included) and
reports the median records/s. Needs the cluster extra. The figures go to
benchmarks/results/cluster.json and docs/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import complete_records, write_jsonl  # noqa: E402

from legpress_diag.api import bundled_rulebase  # noqa: E402


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {done.stderr.decode()[-2000:]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cluster.json")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        batch = write_jsonl(complete_records(bundled_rulebase(), args.records), tmp / "in.jsonl")
        example = [py, str(HERE.parent / "examples" / "dask_batch.py"), str(batch)]
        cli = [py, "-m", "legpress_diag", "diagnose", str(batch), "-q", "--format", "jsonl"]
        commands = {
            "diagnose --jobs 1": [*cli, "-o", str(tmp / "j1.jsonl"), "--jobs", "1"],
            "diagnose --jobs 2": [*cli, "-o", str(tmp / "j2.jsonl"), "--jobs", "2"],
            "dask_batch.py --workers 1": [*example, str(tmp / "d1.jsonl"), "--workers", "1"],
            "dask_batch.py --workers 2": [*example, str(tmp / "d2.jsonl"), "--workers", "2"],
        }
        seconds = {name: timed(command, args.runs) for name, command in commands.items()}
    rows = {name: {"seconds": s, "records_per_s": args.records / s} for name, s in seconds.items()}
    print(f"{args.records:,} records, median of {args.runs} runs, end to end")
    for name, row in rows.items():
        print(f"  {name:28} {row['seconds']:7.2f} s   {row['records_per_s']:9,.0f} records/s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count()}
    args.out.write_text(
        json.dumps({"machine": machine, "records": args.records, "rows": rows}, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
