"""`rules lint`, `rules test` and `rules impact` read their file arguments within the
rule-file size limit, as `--rules` does (issue 20, attack M6): /dev/zero is a clear
LP002 naming the path and the limit, never a MemoryError (exit 3) or a run that never
ends; a FIFO nobody writes to does not block for ever.

Run as a child with an address-space limit (what turned the unbounded read into a
MemoryError in the attack) and a generous timeout that only guards against a hang."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from legpress_diag.knowledge.yamlsafe import MAX_FILE_BYTES

pytestmark = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")

LIMIT = f"more than the {MAX_FILE_BYTES:,} bytes allowed"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, resource.RLIM_INFINITY))


def legpress(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legpress_diag", *args],
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_limited,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["rules", "lint", "/dev/zero"], 1),  # a finding, as `rules lint --rules /dev/zero`
        (["rules", "test", "/dev/zero"], 1),  # a problem in a case file
        (["rules", "impact", "--cases", "/dev/zero"], 2),
    ],
)
def test_an_endless_file_argument_is_refused_at_the_size_limit(
    args: list[str], code: int, tmp_path: Path
) -> None:
    result = legpress(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    out = result.stdout + result.stderr
    assert f"/dev/zero:1:1: LP002 the input is {LIMIT}" in out
    assert "internal error" not in out


def test_impact_records_stop_at_the_first_line_past_the_limit(tmp_path: Path) -> None:
    result = legpress("rules", "impact", "--records", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2
    assert "/dev/zero: line 1: line longer than 8,388,608 bytes" in result.stderr


def test_a_fifo_nobody_writes_to_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "cases.yaml"
    os.mkfifo(fifo)
    result = legpress("rules", "test", str(fifo), cwd=tmp_path)
    assert result.returncode == 1
    assert "cases.yaml:1:1:" in result.stdout + result.stderr


def test_ask_answers_from_a_fifo_nobody_writes_to_does_not_block(tmp_path: Path) -> None:
    # Attack round 4, N9: `ask --answers FIFO` waited for ever at the open.
    fifo = tmp_path / "me.json"
    os.mkfifo(fifo)
    result = legpress("ask", "--answers", str(fifo), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"{fifo}: holds no answer record" in result.stderr


def test_ask_answers_from_an_endless_device_is_refused_at_its_limit(tmp_path: Path) -> None:
    result = legpress("ask", "--answers", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero: more than 1,048,576 bytes" in result.stderr
    assert "internal error" not in result.stderr


def test_a_fifo_among_a_folders_files_does_not_block_case_discovery(tmp_path: Path) -> None:
    # Telling a rule file from a case file reads the head of every .yaml in a folder.
    os.mkfifo(tmp_path / "left-over.yaml")
    result = legpress("rules", "test", str(tmp_path), cwd=tmp_path)
    # Before, the run waited at the FIFO's open for ever; now it is not opened but
    # named as a problem of the folder (a new user's try: skipped without a word).
    assert result.returncode == 1, result.stdout + result.stderr
    assert "left-over.yaml:1:1: LP002 cannot read: not a regular file" in result.stdout
