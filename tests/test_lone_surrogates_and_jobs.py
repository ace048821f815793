"""From an attacker's trial: a lone surrogate ("\\ud800", valid JSON, not valid text)
in a record, and an absurd --jobs, each used to cost a whole batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.knowledge import textsafe

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
