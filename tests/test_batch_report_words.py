"""A coach's batch report in a human-readable format names the answers behind a
warning sign by their questions, never by ids: `diagnose --format table` printed
"Because you said: fever_or_unwell: yes" (its flag panel was drawn without the rule
base), where markdown and html gave the question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_a_flag_names_the_answers_behind_it_in_words(tmp_path: Path, fmt: str) -> None:
    records = tmp_path / "in.jsonl"
    records.write_text(
        json.dumps({"id": "a", "answers": {"fever_or_unwell": "yes", "heels_lift": "yes"}}) + "\n"
    )
    result = CliRunner().invoke(
        app, ["diagnose", str(records), "--format", fmt], env={"COLUMNS": "200", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    assert "fever or chills" in result.stdout
    assert "fever_or_unwell" not in result.stdout
