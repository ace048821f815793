"""From an attacker's and a new user's trial: inputs that used to cost a whole batch
(a lone surrogate, an absurd --jobs, an endless line), an output over its own input,
and the Python API's edges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.presentation.render import textsafe

runner = CliRunner()
RECORDS = (
    '{"id": "\\ud800", "answers": {"heels_lift": "\\udc00"}}\n'
    '{"id": "fine", "answers": {"heels_lift": "yes"}}\n'
)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "table", "markdown", "html"])
def test_a_lone_surrogate_is_shown_escaped_and_the_other_records_are_kept(
    tmp_path: Path, fmt: str
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(RECORDS)
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["diagnose", str(source), "-f", fmt, "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output  # the first record is invalid: findings
    text = out.read_bytes().decode("utf-8")  # valid UTF-8 throughout
    assert "fine" in text and "\\ud800" in text
    if fmt == "jsonl":
        first = json.loads(text.splitlines()[0])
        assert first["id"] == "\ud800"  # JSON keeps the value: "\ud800" reads back the same


def test_every_text_sanitiser_escapes_lone_surrogates() -> None:
    assert textsafe.terminal("a\ud800b") == "a\\ud800b"
    assert textsafe.csv_cell("\udfff") == "\\udfff"
    assert json.loads(textsafe.json_line('"\ud800"')) == "\ud800"
    assert textsafe.json_line('"\ud800"').isascii()


def test_jobs_beyond_the_cpus_are_capped_and_said(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"answers": {}}\n' * 3)
    result = runner.invoke(app, ["diagnose", str(source), "-f", "csv", "--jobs", "10000"])
    assert result.exit_code == 0
    assert "--jobs 10000: using " in result.stderr and "worker processes" in result.stderr
    assert result.stdout.count("\n") == 4  # the header and three rows


def test_the_output_may_not_be_the_input_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text('{"answers": {}}\n' * 2)
    (tmp_path / "link.jsonl").symlink_to(source)
    for target in (source, tmp_path / "link.jsonl"):
        result = runner.invoke(app, ["diagnose", str(source), "-o", str(target)])
        assert result.exit_code == 2 and "is the same file as the input" in result.stderr
        assert source.read_text() == '{"answers": {}}\n' * 2  # untouched
    with source.open("a") as appended:  # `>> in.jsonl`: stdout is the input file
        done = subprocess.run(
            [sys.executable, "-m", "legpress_diag", "diagnose", str(source)],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2 and "standard output is the same file as the input" in done.stderr
    assert source.read_text() == '{"answers": {}}\n' * 2


def test_an_endless_line_is_reported_before_its_end_is_reached() -> None:
    import subprocess
    import sys
    import threading

    child = subprocess.Popen(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-f", "csv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stderr is not None
    guard = threading.Timer(60, child.kill)  # a regression fails instead of hanging
    guard.start()
    try:
        child.stdin.write(b"x" * (9 * 1024 * 1024))  # longer than the cap, and no end yet
        child.stdin.flush()
        line = child.stderr.readline()  # while the input is still open
        assert line.startswith(b"<stdin>:1: error: line longer than 8,388,608 bytes"), line
    finally:
        guard.cancel()
        child.kill()
        child.wait()


def test_the_api_names_a_key_that_is_not_a_string_instead_of_raising() -> None:
    from legpress_diag.api import diagnose

    result = diagnose({"answers": {1: "yes", "knee_anlge": 3}})
    assert result["status"] == "error"
    assert result["errors"][0]["message"] == "1: an answer key must be a string"
    [typo] = [w for w in result["warnings"] if w["key"] == "knee_anlge"]
    assert typo["message"].startswith("knee_anlge: unknown question id; did you mean")


def test_the_api_takes_one_path_and_says_what_a_stream_must_be(tmp_path: Path) -> None:
    import io

    from legpress_diag.api import diagnose_stream, load_rulebase

    rules = Path(__file__).parents[1] / "rules"
    assert load_rulebase(rules, include_bundled=False).content_hash == (
        load_rulebase([rules], include_bundled=False).content_hash
    )
    with pytest.raises(TypeError, match="open the file with 'rb'"):
        list(diagnose_stream(io.StringIO('{"answers": {}}')))  # type: ignore[arg-type]


def test_a_json_array_cut_short_is_reported_where_it_ends(tmp_path: Path) -> None:
    source = tmp_path / "cut.json"
    source.write_text('[{"id": "x", "answers": {"heels_lift": "yes"}},\n')
    result = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl"])
    assert result.exit_code == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["message"].endswith("Expecting value at line 2 column 1")
    assert error["expected"] == "a JSON array of records, closed with ']'"
    # Each record read leniently from a broken array is an error at its own line, and
    # the message says where the reading stopped (attack round 10, M2).
    assert f"{source}:1: error: the JSON array cannot be read" in result.stderr
    assert "Expecting value at line 2 column 1" in result.stderr


def test_every_wrong_item_of_a_list_answer_is_named_with_its_suggestion() -> None:
    from legpress_diag.api import diagnose

    result = diagnose({"answers": {"pain_location": ["lower bak", "knes", "hips"]}})
    [error] = result["errors"]
    assert error["message"] == (
        "pain_location: \"lower bak\" (did you mean 'lower_back'?), "
        "\"knes\" (did you mean 'knees'?) are not among the choices"
    )


def test_reading_the_input_from_stdin_does_not_let_the_output_replace_it(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text('{"answers": {}}\n' * 2)
    with source.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-o", str(source)],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2 and "is the same file as the input" in done.stderr
    assert source.read_text() == '{"answers": {}}\n' * 2


def test_the_pipe_the_input_comes_from_is_no_output() -> None:
    """Attack round 11, L1: `cat in.json | diagnose - -o /dev/stdin` opened the pipe
    for writing and hung, nobody reading it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-", "-o", "/dev/stdin"],
        input='{"answers": {}}\n',
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "--output /dev/stdin is the same file as the input (standard input)" in done.stderr


def test_a_csv_file_given_as_records_is_named_as_csv() -> None:
    result = runner.invoke(app, ["diagnose", "-", "-f", "jsonl"], input="id,age_years\nc1,30\n")
    assert result.exit_code == 1
    assert "this line looks like CSV, and records are JSON" in result.stderr
