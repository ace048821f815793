"""Diagnose a JSON Lines file on a Dask cluster; the results equal `legpress-diag diagnose`'s.

    pip install -e '.[cluster]' -c constraints.txt     (from a clone of the repository)
    python examples/dask_batch.py IN.jsonl OUT.jsonl [--workers 2] [--rules coach.yaml ...]

The file is cut into blocks that end at a line's end before a record's first line
(``api.line_blocks``: the driver reads it once, to count lines, so each result keeps
its line number, and a record that Enters cut over lines stays in one block); every
block is one task. A worker process reads its block from the file, hands the lines
to ``api.diagnose_partition`` and writes the results to a part file beside OUT (on a
real cluster IN and OUT's folder must be storage every worker can reach); only
counts and error messages travel back. The overlays (``--rules``) are read here and
scattered to every worker once, as bytes: nothing has to be installed or mounted
there. Each worker loads the rule base once and keeps it (keyed by the hash of the
files' bytes). The parts are then joined in input order into OUT.jsonl: one result
per non-blank line, the same results as `diagnose`; a malformed line gets an error
result and a message on stderr (in the order blocks finish), as with `diagnose`.
A JSON array or one object over several lines is read whole, here, as `diagnose`
reads it. An output that is a folder, in a missing folder or names the input or a
rule file is refused before any work. Exit status: 0, or 1 when a record failed,
or 2 when nothing could run. See docs/scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from legpress_diag import api
from legpress_diag.api import RuleBaseError

BLOCK_BYTES = 1024 * 1024  # about 1,500 records a task: big enough to hide the task's cost


def diagnose_block(
    path: str,
    block: tuple[int, int, int],
    part: str,
    rules: list[tuple[str, bytes]],
    include_bundled: bool,
    last: bool = True,
) -> tuple[dict[str, int], list[str]]:
    """Runs on a worker: writes the block's results to ``part``; returns how many
    results of each status, and the error messages (results stay on the worker's
    disk: sending them back through the scheduler cost more than diagnosing them)."""
    offset, length, first_line = block
    with open(path, "rb") as stream:
        stream.seek(offset)
        data = stream.read(length)
    items = api.numbered_lines(data, first_line)  # numbered as diagnose numbers them
    # Every block but the last ends before a line that starts a record (line_blocks).
    results = api.diagnose_partition(
        items, rules=rules, include_bundled=include_bundled, ends_input=last
    )
    counts: Counter[str] = Counter()
    errors = []
    with open(part, "w", encoding="utf-8") as out:
        for result in results:
            out.write(_encode(result) + "\n")
            counts[result["status"]] += 1
            error = _first_error(result)
            if error:
                counts[WITH_ERRORS] += 1
                errors.append(f"{result.get('line')}: error: {error}")
    return dict(counts), errors


# Counted beside the statuses: results with errors, whatever their status.
WITH_ERRORS = "with errors"


def _encode(result: Any) -> str:
    """orjson when installed (the `fast` extra: about six times faster), else json."""
    try:
        import orjson
    except ImportError:
        return json.dumps(result)
    try:
        return orjson.dumps(result).decode()
    except TypeError:  # a lone surrogate in an echoed value: json escapes it
        return json.dumps(result)


def _first_error(result: Any) -> str | None:
    if not result["errors"]:
        return None
    first = result["errors"][0]
    key, message = first["key"], first["message"]
    named = message if not key or message.startswith(key) else f"{key}: {message}"
    expected = f" (expected {first['expected']})" if first.get("expected") else ""
    return named + expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("input", type=Path, help="a JSON Lines file of answer records")
    parser.add_argument("output", type=Path, help="where to write the results (JSON Lines)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--rules", "-r", action="append", default=[], help="an overlay file or folder"
    )
    parser.add_argument("--no-default-rules", action="store_true", help="only the --rules files")
    parser.add_argument("--block-bytes", type=int, default=BLOCK_BYTES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    include_bundled = not args.no_default_rules
    try:
        texts = api.rule_texts(args.rules)
        api.partition_rulebase(texts, include_bundled)  # a broken overlay stops us here
    except RuleBaseError as exc:
        for problem in exc.diagnostics:
            print(problem.format(), file=sys.stderr)
        return 2
    try:
        # Written at the end: a folder, a missing folder or the input itself (the
        # results would replace the records) is refused now, before any work.
        api.check_output(args.output, [args.input, *args.rules])  # it looks into folders
    except api.OutputError as exc:
        print(f"dask_batch.py: error: {exc}", file=sys.stderr)  # it names the path
        return 2
    try:
        if not api.is_json_lines_file(args.input):
            # A JSON array or one object over several lines, read whole as `diagnose`
            # reads it: no blocks of lines to share out, so no cluster.
            counts = run_whole(args.input, args.output, texts, include_bundled)
        else:
            blocks = api.line_blocks(args.input, args.block_bytes)
            counts = run(args.input, args.output, blocks, texts, include_bundled, args.workers)
    except OSError as exc:
        # Which file, when the error names one; a full disk or a closed pipe names
        # none, and may be either side.
        if exc.filename is None:
            where = f"{args.input} -> {args.output}"
        elif os.path.abspath(exc.filename) == os.path.abspath(args.input):
            where = f"{args.input}: cannot read"
        else:
            where = f"{exc.filename}: cannot write"
        print(f"dask_batch.py: error: {where}: {exc.strerror}", file=sys.stderr)
        return 2
    except api.InputError as exc:
        print(f"dask_batch.py: error: {args.input}: {exc}", file=sys.stderr)
        return 2
    with_errors = counts.pop(WITH_ERRORS, 0)
    total = sum(counts.values())
    referred_with_errors = with_errors - counts["error"]  # said as diagnose says them
    summary = ", ".join(
        f"{n} {status}"
        + (
            f" ({referred_with_errors} with errors)"
            if status == "refer" and referred_with_errors > 0
            else ""
        )
        for status, n in sorted(counts.items())
    )
    print(f"{total} record{'s' if total != 1 else ''}: {summary or 'none'}", file=sys.stderr)
    # As diagnose: 1 when any record had errors, a referral that carries some too.
    return 1 if with_errors else 0


def run(
    source: Path,
    output: Path,
    blocks: list[tuple[int, int, int]],
    texts: list[tuple[str, bytes]],
    include_bundled: bool,
    workers: int,
) -> Counter[str]:
    """Every block on the cluster; then the parts joined, in input order, into ``output``."""
    from dask.distributed import Client, LocalCluster, as_completed

    counts: Counter[str] = Counter()
    # The parts go beside the output: on a real cluster, storage the workers can write.
    with tempfile.TemporaryDirectory(dir=output.resolve().parent, prefix=".parts-") as parts:
        names = [os.path.join(parts, f"{index:08d}.jsonl") for index in range(len(blocks))]
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            [shipped] = client.scatter([texts], broadcast=True)  # the overlays, once a worker
            path = str(source.resolve())
            last = len(blocks) - 1
            tasks = [
                client.submit(
                    diagnose_block, path, block, name, shipped, include_bundled, at == last
                )
                for at, (block, name) in enumerate(zip(blocks, names, strict=True))
            ]
            for task in as_completed(tasks):
                done, errors = task.result()
                counts.update(done)
                for error in errors:
                    print(f"{source}:{error}", file=sys.stderr)
                task.release()
        _join(names, os.path.join(parts, "all.jsonl"), output)
    return counts


def run_whole(
    source: Path, output: Path, texts: list[tuple[str, bytes]], include_bundled: bool
) -> Counter[str]:
    """A document that is not JSON Lines, diagnosed here, as `diagnose` reads it."""
    rulebase = api.partition_rulebase(texts, include_bundled)
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(dir=output.resolve().parent, prefix=".parts-") as parts:
        name = os.path.join(parts, "whole.jsonl")
        with source.open("rb") as stream, open(name, "w", encoding="utf-8") as out:
            for result in api.diagnose_stream(stream, rulebase):
                out.write(_encode(result) + "\n")
                counts[result["status"]] += 1
                error = _first_error(result)
                if error:  # a record of an array has no line: named as diagnose names it
                    counts[WITH_ERRORS] += 1
                    line = result.get("line")
                    where = f":{line}" if line is not None else f": record {result['id']}"
                    print(f"{source}{where}: error: {error}", file=sys.stderr)
        _join([name], os.path.join(parts, "all.jsonl"), output)
    return counts


def _join(names: list[str], joined: str, output: Path) -> None:
    """The parts, in order, into ``output``: a regular file is replaced at once (a
    reader never sees half of it); a FIFO or device is written in place."""
    with open(joined, "wb") as out:
        for name in names:
            with open(name, "rb") as part:
                shutil.copyfileobj(part, out)
    if output.exists() and not output.is_file():
        with open(joined, "rb") as done, open(output, "wb") as out:
            shutil.copyfileobj(done, out)
    else:
        os.replace(joined, output)


if __name__ == "__main__":  # the workers start by importing this file: run only here
    raise SystemExit(main())
