"""Hostile and malformed input: refused cleanly, with positions, in bounded memory.

Each case runs the real command in a subprocess with an address-space limit and a
timeout. Those are resource bounds that turn a hang or a blow-up into a failure;
they are generous and never measure speed (benchmarks/ does that).
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
import yaml

from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.intake import batch
from legpress_diag.knowledge import yamlsafe

from .conftest import REPO

HOSTILE = REPO / "tests" / "hostile"
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space
TIMEOUT = 60


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(
    *args: str, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "legpress_diag", *args],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


# file -> (code, line, col, fragment of the message)
RULE_CASES = {
    "alias_bomb.yaml": ("LP003", 2, 8, "alias '*a' is not allowed"),
    "cyclic_alias.yaml": ("LP003", 1, 8, "alias '*a'"),
    "python_apply.yaml": ("LP004", 1, 1, "python/object/apply"),
    "python_name.yaml": ("LP004", 1, 12, "python/name"),
    "tabs.yaml": ("LP001", 2, 1, "YAML syntax"),
    "duplicate_key.yaml": ("LP005", 4, 5, "duplicate key 'title' (first defined at line 3)"),
    "empty.yaml": ("LP002", 1, 1, "empty"),
    "top_scalar.yaml": ("LP102", 1, 1, "not a single value"),
    "top_list.yaml": ("LP102", 1, 1, "not a list"),
    "unterminated.yaml": ("LP001", 3, 1, "started at 2:20"),
    "second_document.yaml": ("LP001", 2, 1, "second one"),
    "complex_key.yaml": ("LP001", 1, 3, "a key must be a plain value"),
    "invalid_utf8.yaml": ("LP002", 2, 13, "invalid UTF-8 (byte 0xe9)"),
    "nul_byte.yaml": ("LP002", 1, 10, "NUL byte"),
    "deep_parentheses.yaml": ("LP202", 6, 41, "nested too deeply (limit 32"),
    "deep_nots.yaml": ("LP202", 6, 137, "nested too deeply (limit 32"),
}


def generated_cases(tmp: Path) -> dict[str, tuple[str, int, int, str]]:
    """Large hostile files are made on the fly rather than committed."""
    (tmp / "deep_flow.yaml").write_text("rules: " + "[" * 50_000 + "]" * 50_000 + "\n")
    (tmp / "deep_block.yaml").write_text(
        "".join(" " * i + f"k{i}:\n" for i in range(1500)) + " " * 1500 + "x: 1\n"
    )
    (tmp / "big_scalar.yaml").write_text("fixes:\n  - id: x\n    title: " + "x" * 3_000_000 + "\n")
    with (tmp / "huge.yaml").open("wb") as f:  # sparse: 300 MB on paper, nothing on disk
        f.truncate(300 * 1024 * 1024)
    return {
        "deep_flow.yaml": ("LP006", 1, 71, "nesting deeper than 64"),
        "deep_block.yaml": ("LP006", 65, 65, "nesting deeper than 64"),
        "big_scalar.yaml": ("LP006", 3, 12, "3,000,000 characters"),
        "huge.yaml": ("LP002", 1, 1, "314,572,800 bytes"),
    }


def all_rule_cases(tmp: Path) -> list[tuple[Path, tuple[str, int, int, str]]]:
    cases = [(HOSTILE / "rules" / name, spec) for name, spec in RULE_CASES.items()]
    cases += [(tmp / name, spec) for name, spec in generated_cases(tmp).items()]
    return cases


def test_every_hostile_rule_file_is_linted_with_its_position(tmp_path: Path) -> None:
    for path, (code, line, col, fragment) in all_rule_cases(tmp_path):
        result = run(
            "rules", "lint", "--no-default-rules", "--format", "json", str(path), cwd=tmp_path
        )
        assert result.returncode == 1, (path.name, result.stderr[-500:])
        first = json.loads(result.stdout)["diagnostics"][0]
        assert (first["code"], first["line"], first["col"]) == (code, line, col), (path.name, first)
        assert fragment in first["message"], (path.name, first["message"])
        assert len(first["message"]) < 500
    assert not (tmp_path / "PWNED").exists()


def test_every_hostile_rule_file_stops_other_commands_with_exit_2(tmp_path: Path) -> None:
    for path, (code, line, col, _) in all_rule_cases(tmp_path):
        result = run(
            "diagnose", "--rules", str(path), "-", stdin=b'{"answers": {}}\n', cwd=tmp_path
        )
        assert result.returncode == 2, (path.name, result.stderr[-500:])
        assert result.stdout == b"", path.name
        assert f":{line}:{col}: {code} ".encode() in result.stderr, (path.name, result.stderr[:300])
        assert b"Traceback" not in result.stderr


def test_hostile_answer_lines_each_get_one_result() -> None:
    data = (HOSTILE / "answers.jsonl").read_bytes()
    data += b'{"answers": {"note": "' + b"x" * 1_000_000 + b'"}}\n'
    data += b'{"answers": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
    data += b'{"answers": {"knee_angle_at_bottom": ' + b"9" * 100_000 + b"}}\n"
    result = run("diagnose", "-", "--format", "jsonl", stdin=data)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(results) == len([line for line in data.split(b"\n") if line.strip()]) == 19
    assert [r["line"] for r in results] == list(range(1, 20))
    statuses = [r["status"] for r in results]
    # No line answers the safety screen: causes are "unscreened" (contract v3).
    assert statuses[0] == "unscreened" and statuses[14] == "unscreened"
    assert results[14]["id"] == "last"
    assert statuses[13] == "unscreened" and results[13]["warnings"][0]["key"] == "extra"
    assert all(
        s == "error" for i, s in enumerate(statuses) if i not in (0, 5, 10, 11, 12, 13, 14, 16)
    )
    # A list question's one choice as text is the list of it, with a warning (check 47).
    assert statuses[11] == "no_fault_found" and 'read as ["lower_back"]' in str(results[11])
    # A choice in another case ("FAST") is the choice, with a warning (check 21).
    assert statuses[10] == "unscreened"
    assert any("read as 'fast'" in w["message"] for w in results[10]["warnings"])
    # heels_lift given twice ("yes", "no") is read as not sure, with a warning.
    assert statuses[5] == "no_fault_found" and "answered 2 ways" in str(results[5])
    # A number written as text ("90") is read as the number, with a warning (issue 20).
    assert statuses[12] == "no_fault_found" and "read as the number 90" in str(results[12])
    assert statuses[16] == "no_fault_found"  # an unknown key of a megabyte is only a warning
    messages = {r["line"]: r["errors"][0]["message"] for r in results if r["errors"]}
    assert "invalid JSON" in messages[2] and "NaN" in messages[3] and "Infinity" in messages[4]
    assert "not a finite number" in messages[5] and 6 not in messages
    assert "not string" in messages[7] and "'answers' must be an object" in messages[8]
    assert "id must be a string or an integer" in messages[9] and "id must be" in messages[10]
    assert 11 not in messages and 12 not in messages
    assert "invalid UTF-8" in messages[16]
    assert "nested too deeply" in messages[18]
    # 100,000 digits: read as infinity, as 1e400 is, so only that value is wrong.
    assert "Infinity is not a finite number" in messages[19]
    assert max(len(line) for line in result.stdout.splitlines()) < 20_000  # nothing echoed in full
    assert b"<stdin>:2: error: invalid JSON" in result.stderr


def _first_line(stream: IO[bytes], timeout: float) -> bytes:
    """One line from a child's pipe, or a failure once ``timeout`` has passed."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "the child printed nothing"
    return stream.readline()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_no_output_file(tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text("the previous results\n")
    child = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-o", str(out), "--jobs", jobs],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stderr is not None
    # The first record's warning on stderr says results are being written; stdin stays
    # open, so the run is certainly not over. Workers hand results back only once a few
    # chunks are in flight, so send enough records for the first to come back.
    records = batch.CHUNK * (batch.IN_FLIGHT_PER_WORKER * int(jobs) + 1)
    child.stdin.write(b'{"answers": {"heels_lift": "yes", "extra": 1}}\n')
    child.stdin.write(b'{"answers": {"heels_lift": "yes"}}\n' * records)
    child.stdin.flush()
    assert _first_line(child.stderr, TIMEOUT).startswith(b"<stdin>:1: warning: ")
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 130, stderr
    assert out.read_text() == "the previous results\n"  # untouched: written whole or not at all
    assert [p.name for p in tmp_path.iterdir()] == ["results.jsonl"]
    assert b"Traceback" not in stderr


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "many.jsonl"
    big.write_bytes(b'{"answers": {"heels_lift": "yes"}}\n' * 5000)
    command = f"{sys.executable} -m legpress_diag diagnose {big} -f jsonl"
    shell = f'{command} | head -n 1; echo "status=${{PIPESTATUS[0]}}"'
    result = subprocess.run(["bash", "-c", shell], capture_output=True, timeout=TIMEOUT, text=True)
    assert result.stdout.count("\n") == 2 and result.stdout.endswith("status=0\n")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


@pytest.mark.parametrize(
    "args", [["diagnose", "/nonexistent.jsonl"], ["diagnose", "."], ["rules", "test", "/nope"]]
)
def test_unusable_inputs_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert (
        result.returncode == 2 and b"Traceback" not in result.stderr and b"error" in result.stderr
    )


def test_an_internal_error_is_a_short_report_with_exit_3(tmp_path: Path) -> None:
    # Force a bug: a sitecustomize that breaks the engine, loaded only in this process.
    (tmp_path / "sitecustomize.py").write_text(
        "import legpress_diag.reasoning.engine as e\n"
        "def boom(*a, **k):\n    raise ZeroDivisionError('simulated bug')\n"
        "e.infer = boom\nimport legpress_diag.reasoning.diagnosis as d\nd.infer = boom\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-"],
        input=b'{"answers": {"heels_lift": "yes"}}\n',
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert result.returncode == 3
    assert b"internal error: ZeroDivisionError: simulated bug" in result.stderr
    assert b"This is a bug" in result.stderr and b"Traceback" not in result.stderr


class _LoaderWithALowLimit(yaml.SafeLoader):
    """Stands for any YAML library that gives up on nesting before our cap can act."""

    def get_event(self) -> yaml.Event:
        event = super().get_event()
        if isinstance(event, yaml.SequenceStartEvent) and event.start_mark.column > 20:
            raise yaml.scanner.ScannerError(
                "while increasing flow level",
                None,
                "exceeded maximum nesting depth",
                event.start_mark,
            )
        return event


def test_our_depth_cap_wins_over_a_library_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "_Loader", _LoaderWithALowLimit)
    with pytest.raises(RuleBaseError) as caught:
        yamlsafe.parse_yaml("rules: " + "[" * 100 + "]" * 100 + "\n", "deep.yaml")
    (found,) = caught.value.diagnostics
    assert (found.code, found.span.line, found.span.col) == ("LP006", 1, 71)
    assert "nesting deeper than 64" in found.message


def test_a_library_error_stands_when_our_checks_find_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlsafe, "_Loader", _LoaderWithALowLimit)
    with pytest.raises(RuleBaseError) as caught:
        yamlsafe.parse_yaml("rules: " + "[" * 30 + "]" * 30 + "\n", "deep.yaml")
    (found,) = caught.value.diagnostics
    assert (found.code, found.span.line, found.span.col) == ("LP001", 1, 22)
    assert "exceeded maximum nesting depth" in found.message
