"""Signals and dead workers: a run that is ended cleans up, keeps answers, never hangs.

No test sleeps to "let it start": each waits for a line the command prints once it is
mid-run (a per-record error on stderr, a result on stdout, a question in the
terminal), with the input kept open on a pipe so the run cannot finish first.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pexpect
import pytest

TIMEOUT = 60
GOOD = b'{"answers": {"heels_lift": "yes"}}\n'
BAD = b'{"answers": {"heels_lift": 5}}\n'  # an invalid record: reported on stderr at once


def start_batch(out: Path, jobs: str, first: bytes) -> subprocess.Popen[bytes]:
    child = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-o", str(out), "-j", jobs],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stderr is not None
    child.stdin.write(first)
    child.stdin.flush()
    line = child.stderr.readline()  # the first record has been diagnosed: mid-run
    assert line.startswith(b"<stdin>:1: error: "), line
    return child


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hup_remove_the_temp_file(tmp_path: Path, signum: int, jobs: str) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text("the previous results\n")
    # With two workers, results come back once 6 chunks (of 256) are in flight.
    first = BAD + GOOD * (1 if jobs == "1" else 6 * 256)
    child = start_batch(out, jobs, first)
    assert len(temp_files(tmp_path)) == 1  # mid-run, the output is being written
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 128 + signum, stderr
    assert out.read_text() == "the previous results\n"
    assert temp_files(tmp_path) == []
    assert b"Traceback" not in stderr
    # The person is told how far it got and that the output is as it was.
    assert b"interrupted: " in stderr and f"{out} was left as it was".encode() in stderr


def test_the_temp_file_of_a_kill_9_is_removed_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    child = start_batch(out, "1", BAD + GOOD)
    child.kill()  # SIGKILL cannot be caught: the temp file stays behind...
    child.communicate(timeout=TIMEOUT)
    assert len(temp_files(tmp_path)) == 1
    again = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-o", str(out)],
        input=GOOD,
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert again.returncode == 0, again.stderr
    assert temp_files(tmp_path) == []  # ...until the next run to the same output
    assert json.loads(out.read_text())["status"] in ("ok", "unscreened", "no_fault_found", "refer")


def spawn_ask(*args: str, state: Path) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "XDG_STATE_HOME": str(state)}
    return pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 100),
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_ask_saves_the_answers_on_term_and_hup(tmp_path: Path, signum: int) -> None:
    saved = tmp_path / "partial.json"
    child = spawn_ask("--save", str(saved), state=tmp_path / "state")
    child.expect("> ")
    child.sendline("35")
    child.expect("Question 2")
    child.expect("> ")
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + signum, child.before
    assert json.loads(saved.read_text())["answers"] == {"age_years": 35}


def test_ask_without_save_keeps_the_answers_in_a_named_fallback(tmp_path: Path) -> None:
    state = tmp_path / "state"
    child = spawn_ask(state=state)
    child.expect("> ")
    child.sendline("35")
    child.expect("Question 2")
    child.expect("> ")
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + signal.SIGTERM
    (kept,) = (state / "legpress-diag").iterdir()
    assert kept.name in "".join(child.before.split())  # named on screen (maybe wrapped)
    assert json.loads(kept.read_text())["answers"] == {"age_years": 35}
    # Health details: the owner's alone, in a folder of the owner's alone.
    assert kept.stat().st_mode & 0o777 == 0o600
    assert (state / "legpress-diag").stat().st_mode & 0o777 == 0o700


def _workers(parent: int) -> list[int]:
    """The worker processes of ``parent``: its children running the same command line."""
    with open(f"/proc/{parent}/cmdline", "rb") as stream:
        command = stream.read()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as stream:
                same = stream.read() == command
        except OSError:
            continue
        if int(fields[1]) == parent and same:
            found.append(int(entry))
    return found


def _dead(pid: int) -> bool:
    """True once ``pid`` is a zombie or gone (its parent has not reaped it, or has)."""
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        # Gone before the open, or reaped between the open and the read (ESRCH).
        return True


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to find the workers")
def test_a_killed_worker_fails_the_batch_instead_of_hanging() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-f", "jsonl", "-j", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    results: list[bytes] = []
    started = threading.Event()

    def drain() -> None:  # results are read as they come, so the child never blocks
        assert child.stdout is not None
        for line in child.stdout:
            results.append(line)
            started.set()
        started.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        # Six chunks of 256 fill the pipeline, so results flow while stdin stays open.
        child.stdin.write(GOOD * (6 * 256 + 1))
        child.stdin.flush()
        assert started.wait(TIMEOUT) and results  # the batch is running
        workers = _workers(child.pid)
        assert len(workers) == 2, workers
        # As the out-of-memory killer would. Under load the listed worker may already
        # be gone (a zombie found by the /proc scan): it has died either way.
        with contextlib.suppress(ProcessLookupError):
            os.kill(workers[0], signal.SIGKILL)
        while not _dead(workers[0]):  # the kernel has finished it off: no timing guess
            os.sched_yield()
        with contextlib.suppress(BrokenPipeError):  # it may have stopped already: fine
            child.stdin.write(GOOD * (10 * 256))
        with contextlib.suppress(BrokenPipeError):
            child.stdin.close()
        child.wait(TIMEOUT)
        reader.join(TIMEOUT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.stderr is not None
    stderr = child.stderr.read()
    assert child.returncode == 2, stderr
    assert b"a worker process died" in stderr and b"internal error" not in stderr
    assert f"after {len(results)} records were diagnosed".encode() in stderr
