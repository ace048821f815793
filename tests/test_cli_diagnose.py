"""`legpress-diag diagnose` through typer's CliRunner: exit codes, stdout, stderr."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from legpress_diag.cli.app import app

from .conftest import REPO

runner = CliRunner()
EXAMPLES = REPO / "examples" / "clients.jsonl"


def test_jsonl_results_on_stdout_messages_on_stderr() -> None:
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "--format", "jsonl"])
    assert result.exit_code == 1  # the examples include one invalid record on purpose
    lines = result.stdout.splitlines()
    assert len(lines) == 7
    parsed = [json.loads(line) for line in lines]
    assert [p["id"] for p in parsed] == [f"client-00{i}" for i in range(1, 8)]
    assert parsed[6]["status"] == "unscreened"  # form answers only: never "ok"
    assert parsed[4]["status"] == "error"
    assert f"{EXAMPLES}:5: error: knee_angle_at_bottom: 500 is out of range" in result.stderr
    assert "7 records" in result.stderr


def test_clean_input_exits_zero_from_stdin() -> None:
    result = runner.invoke(
        app, ["diagnose", "-", "-f", "json"], input='{"answers": {"heels_lift": "yes"}}\n'
    )
    assert result.exit_code == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert record["causes"][0]["id"] == "heels_lifting"


def test_csv_and_markdown_formats() -> None:
    csv_out = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("id,line,status,top_cause")
    assert "client-003,3,refer" in csv_out
    md = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", "markdown"]).stdout
    assert "## Record client-001: ok" in md and "- [ ] **" in md


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "res.jsonl"
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 1 and result.stdout == ""
    assert len(out.read_text().splitlines()) == 7
    assert not list(tmp_path.glob(".res.jsonl.*"))


def test_broken_rule_file_exits_2_with_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {id: x, if: heels_lifts, then: heels_lifting, cf: 0.5}\n")
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "--rules", str(bad)])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        "bad.yaml:2:17: LP203 in condition of 'x': unknown question or fact 'heels_lifts'"
        in result.stderr
    )
    assert "did you mean 'heels_lift'?" in result.stderr


def test_missing_input_file_exits_2() -> None:
    result = runner.invoke(app, ["diagnose", "/no/such/file.jsonl"])
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_bad_format_is_usage_error() -> None:
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.stderr


def test_strict_turns_unknown_keys_into_errors() -> None:
    record = '{"answers": {"heel_lift": "yes"}}\n'
    lenient = runner.invoke(app, ["diagnose", "-"], input=record)
    assert lenient.exit_code == 0 and "did you mean 'heels_lift'?" in lenient.stderr
    strict = runner.invoke(app, ["diagnose", "-", "--strict"], input=record)
    assert strict.exit_code == 1 and json.loads(strict.stdout)["status"] == "error"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("legpress-diag ")


def test_jobs_keep_order_and_give_identical_output(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"id": i, "answers": {"knee_angle_at_bottom": 40 + i % 100, "heels_lift": "yes"}}
        )
        for i in range(700)
    ]
    lines[350] = "{broken"
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n")
    one = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl", "-q"])
    two = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl", "-q", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    ids = [json.loads(line)["id"] for line in two.stdout.splitlines()]
    assert ids[:350] == list(range(350)) and ids[350] == 351 and ids[351:] == list(range(351, 700))


def test_an_id_given_to_two_records_is_said_after_the_summary() -> None:
    """U17-8: the results keep both records (exit 0), and the batch names the id."""
    records = '{"id": "c1", "answers": {"saddle_numbness": "yes"}}\n{"id": "c1", "answers": {}}\n'
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["diagnose", "-", "-f", "jsonl", "--jobs", jobs], input=records)
        assert result.exit_code == 0, result.stderr
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["c1", "c1"]
        assert 'warning: 1 id is given to more than one record ("c1" at lines 1 and 2)' in (
            result.stderr
        )
    quiet = runner.invoke(app, ["diagnose", "-", "-q", "-f", "jsonl"], input=records)
    assert "given to more than one record" not in quiet.stderr
