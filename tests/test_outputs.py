"""Outputs: checked before any work, written without damaging anything but the output.

Every case runs the real command in a subprocess with a timeout, so a regression that
hangs fails instead. Device nodes are made in a temporary folder (never /dev itself):
the code under test must not replace them, and a broken build would.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

TIMEOUT = 60
RECORD = b'{"id": "c1", "answers": {"heels_lift": "yes"}}\n'
# Enough answers for any path through the questionnaire: age, "one of these" on the
# first screen, then yes to saddle numbness (an emergency), the rest no.
EMERGENCY_SESSION = b"40\ny\ny\n" + b"n\n" * 80

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")


def run(
    *args: str,
    stdin: bytes = b"",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    umask: int | None = None,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "legpress_diag", *args],
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        preexec_fn=None if umask is None else lambda: os.umask(umask),  # type: ignore[misc]
    )


def full_device(folder: Path) -> Path:
    """A node that behaves like /dev/full: every write fails with ENOSPC."""
    node = folder / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return node


def records(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_bytes(RECORD)
    return path


# --- checked before any work ---------------------------------------------------------


@pytest.mark.parametrize(
    "option, target",
    [("--save", "nodir/x.json"), ("--report", "nodir/r.md"), ("--save", "adir")],
)
def test_ask_refuses_an_unwritable_output_before_the_first_question(
    tmp_path: Path, option: str, target: str
) -> None:
    (tmp_path / "adir").mkdir()
    result = run("ask", option, target, stdin=EMERGENCY_SESSION, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"error: {target}:".encode() in result.stderr
    assert b"Question" not in result.stderr  # not one question was asked in vain
    assert b"internal error" not in result.stderr


@pytest.mark.parametrize("target", ["nodir/out.jsonl", "adir"])
def test_diagnose_refuses_an_unwritable_output_with_exit_2(tmp_path: Path, target: str) -> None:
    (tmp_path / "adir").mkdir()
    result = run("diagnose", str(records(tmp_path)), "-o", target, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"legpress-diag: error: {target}:".encode())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "in.jsonl"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_diagnose_refuses_a_read_only_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run("diagnose", str(records(tmp_path)), "-o", str(locked / "out.jsonl"))
    finally:
        locked.chmod(0o700)
    assert result.returncode == 2 and b"cannot write in the folder" in result.stderr


@pytest.mark.parametrize("command", [["rules", "schema", "answers"], ["rules", "draw"]])
def test_rules_outputs_are_checked_too(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "-o", "nodir/x.txt", cwd=tmp_path)
    assert result.returncode == 2 and b"error: nodir/x.txt:" in result.stderr


# --- nothing but the output changes ---------------------------------------------------


@root_only
def test_a_device_given_to_output_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    node = full_device(tmp_path)
    result = run("diagnose", str(records(tmp_path)), "-o", str(node))
    assert stat.S_ISCHR(node.lstat().st_mode)  # still the device
    assert result.returncode == 2, result.stderr
    assert b"cannot write: No space left on device" in result.stderr
    assert b"internal error" not in result.stderr


def test_a_fifo_given_to_output_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Opened for reading first (non-blocking), so the command's open for writing
    # succeeds at once; one result fits in the pipe's buffer.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run("diagnose", str(records(tmp_path)), "-o", str(fifo), "-f", "jsonl")
        data = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(data)["id"] == "c1"


def test_a_symlink_output_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "results.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    result = run("diagnose", str(records(tmp_path)), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["id"] == "c1"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["results.jsonl"]


def test_a_new_output_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode(
    tmp_path: Path,
) -> None:
    new = tmp_path / "new.jsonl"
    assert run("diagnose", str(records(tmp_path)), "-o", str(new), umask=0o022).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    shared = tmp_path / "shared.jsonl"
    shared.write_text("old\n")
    shared.chmod(0o664)
    assert run("diagnose", str(records(tmp_path)), "-o", str(shared), umask=0o077).returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert json.loads(shared.read_text())["id"] == "c1"


def test_a_stale_temp_file_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    # pid 4194305 is above Linux's largest pid, so no live process owns this file.
    stale = tmp_path / ".out.jsonl.legpress-diag.4194305.tmp"
    stale.write_text("half a result")
    someone_elses = tmp_path / ".out.jsonl.other.tmp"
    someone_elses.write_text("not ours")
    result = run("diagnose", str(records(tmp_path)), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".out.jsonl.other.tmp",
        "in.jsonl",
        "out.jsonl",
    ]


# --- the session is never lost --------------------------------------------------------


@root_only
def test_ask_shows_the_result_and_keeps_the_answers_when_save_fails(tmp_path: Path) -> None:
    node = full_device(tmp_path)
    state = tmp_path / "state"
    result = run(
        "ask", "--save", str(node), stdin=EMERGENCY_SESSION, env={"XDG_STATE_HOME": str(state)}
    )
    assert b"EMERGENCY" in result.stdout  # the emergency box is shown whatever else fails
    assert result.returncode == 1, result.stderr
    assert b"No space left on device" in result.stderr
    (kept,) = (state / "legpress-diag").iterdir()
    assert str(kept).encode() in result.stderr  # the message names where they went
    assert json.loads(kept.read_text())["answers"]["saddle_numbness"] == "yes"
    assert stat.S_ISCHR(node.lstat().st_mode)


@root_only
def test_ask_shows_the_answers_when_no_file_can_hold_them(tmp_path: Path) -> None:
    # --save on a full disk, the state folder under a regular file (/dev/null/...: no
    # folder can be made there, even by root), and the temp folder likewise (set in
    # the child by a sitecustomize, as TMPDIR alone falls back to /tmp): the answers
    # are printed on the terminal as the last resort, with how to resume from them.
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text("import tempfile\ntempfile.tempdir = '/dev/null/tmp'\n")
    result = run(
        "ask",
        "--save",
        str(full_device(tmp_path)),
        stdin=EMERGENCY_SESSION,
        env={"XDG_STATE_HOME": "/dev/null/state", "PYTHONPATH": str(hook)},
    )
    assert result.returncode == 1, result.stderr
    stderr = result.stderr.decode()
    assert "No space left on device" in stderr and "Traceback" not in stderr
    assert "legpress-diag ask --answers answers.json" in stderr
    shown = stderr.split("----- answers -----\n", 1)[1].split("----- end of answers -----")[0]
    kept = json.loads(shown)  # the record --answers reads, whole
    assert kept["answers"]["saddle_numbness"] == "yes" and kept["answers"]["age_years"] == 40
    # And it does resume: the shown text, saved by hand, replays the same answers.
    again = tmp_path / "answers.json"
    again.write_text(shown)
    replay = run("ask", "--answers", str(again), stdin=b"n\n" * 80)
    assert b"EMERGENCY" in replay.stdout, replay.stderr


@root_only
def test_ask_answers_from_an_endless_device_is_refused(tmp_path: Path) -> None:
    zero = tmp_path / "zero"
    os.mknod(zero, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    result = run("ask", "--answers", str(zero), stdin=EMERGENCY_SESSION)
    assert result.returncode == 2, result.stderr
    assert f"error: {zero}: more than".encode() in result.stderr
    assert b"Question" not in result.stderr


def test_ask_answers_too_long_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b'{"answers": {"x": "' + b"a" * (2 * 1024 * 1024) + b'"}}\n')
    result = run("ask", "--answers", str(big), stdin=EMERGENCY_SESSION)
    assert result.returncode == 2 and b"more than" in result.stderr


# --- the environment is not a bug -----------------------------------------------------


@root_only
def test_stdout_on_a_full_disk_is_exit_2(tmp_path: Path) -> None:
    with full_device(tmp_path).open("wb") as full:
        result = run("diagnose", str(records(tmp_path)), stdout=full.fileno())
    assert result.returncode == 2, result.stderr
    assert b"standard output: cannot write: No space left on device" in result.stderr


def test_a_narrow_output_encoding_escapes_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "Zoë 💪", "answers": {"heels_lift": "yes"}}\n', encoding="utf-8")
    result = run("diagnose", str(path), "-f", "jsonl", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "Zoë 💪"  # lossless: JSON escapes


@pytest.mark.parametrize(
    "redirect, message",
    [
        ("<&-", b"standard input is closed"),
        (">&-", b"standard output is closed"),
    ],
)
def test_closed_standard_streams_are_exit_2(tmp_path: Path, redirect: str, message: bytes) -> None:
    command = f"{sys.executable} -m legpress_diag diagnose - {redirect}"
    result = subprocess.run(
        ["bash", "-c", command], input=RECORD, capture_output=True, timeout=TIMEOUT
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_ask_with_stdin_closed_is_exit_2() -> None:
    command = f"{sys.executable} -m legpress_diag ask <&-"
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 2 and b"standard input is closed" in result.stderr


def test_output_file_still_works_with_stdout_closed(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    command = f"{sys.executable} -m legpress_diag diagnose {records(tmp_path)} -o {out} >&-"
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["id"] == "c1"


def test_rules_from_a_fifo_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    text = b'rulebase: {name: piped, version: "1"}\n'

    def feed() -> None:
        with fifo.open("wb") as stream:
            stream.write(text)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        result = run("rules", "schema", "answers", "--rules", str(fifo))
    finally:
        # If the command never opened the FIFO, release the writer so the test ends.
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert b"piped" in result.stdout


def test_dev_stdout_as_the_output_writes_into_the_pipe() -> None:
    # /dev/stdout resolves to /proc/PID/fd/pipe:[N], a name that exists nowhere: the
    # path itself must be opened, in place, with the pipe's default format.
    examples = Path(__file__).parents[1] / "examples" / "clients.jsonl"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "legpress_diag",
            "diagnose",
            str(examples),
            "-o",
            "/dev/stdout",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode in (0, 1), run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == sum(1 for line in examples.read_text().splitlines() if line.strip())
    assert all(line.startswith("{") for line in lines)


@pytest.mark.parametrize(
    ("args", "offered"),
    [
        (["diagnose", "EXAMPLES", "-o", "FOLDER"], "results.jsonl"),
        (["rules", "draw", "-o", "FOLDER"], "rules.mmd"),
        (["rules", "schema", "-o", "FOLDER"], "schema.json"),
    ],
)
def test_a_folder_as_output_is_offered_a_name_the_command_accepts(
    tmp_path: Path, args: list[str], offered: str
) -> None:
    from typer.testing import CliRunner

    from legpress_diag.cli.app import app

    examples = Path(__file__).parents[1] / "examples" / "clients.jsonl"
    argv = [
        str(examples) if a == "EXAMPLES" else str(tmp_path) if a == "FOLDER" else a for a in args
    ]
    refused = CliRunner().invoke(app, argv)
    assert refused.exit_code == 2 and f"e.g. {tmp_path / offered}" in refused.output
    argv[-1] = str(tmp_path / offered)  # the name offered works
    assert CliRunner().invoke(app, argv).exit_code in (0, 1)
    assert (tmp_path / offered).stat().st_size > 0


@pytest.mark.parametrize("report", ["same.md", "./same.md"])
def test_ask_refuses_one_file_for_both_answers_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: str
) -> None:
    # The attacker's fourth round (N7): the report was written over the saved answers
    # at the end, with no word. Refused before the first question instead.
    from typer.testing import CliRunner

    from legpress_diag.cli.app import app

    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["ask", "--save", "same.md", "--report", report], input="")
    assert run.exit_code == 2
    assert "--save and --report name the same file" in run.output
    assert "Question 1" not in run.output and not (tmp_path / "same.md").exists()
