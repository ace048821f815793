"""The output formats: one writer per format behind one protocol, chosen by name,
alias or output suffix (issue 14)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose
from legpress_diag.cli.app import app
from legpress_diag.intake import batch
from legpress_diag.presentation import writers

from .conftest import REPO

runner = CliRunner()
EXAMPLES = REPO / "examples" / "clients.jsonl"
BROKEN_RULES = "rules:\n  - {id: x, if: nope, then: nothing, cf: 0.5}\n"


def test_the_registry_holds_every_format_once() -> None:
    found = writers.writers()
    assert sorted(found) == ["csv", "html", "json", "jsonl", "markdown", "table"]
    spellings = [s for w in found.values() for s in (w.name, *w.aliases)]
    suffixes = [s for w in found.values() for s in w.suffixes]
    assert len(spellings) == len(set(spellings)) and len(suffixes) == len(set(suffixes))
    for writer in found.values():
        assert writer.summary and all(s.startswith(".") for s in writer.suffixes)
    assert writers.names(reports=True) == ["html", "markdown"]


@pytest.mark.parametrize(
    "spelling, name",
    [("md", "markdown"), ("ndjson", "jsonl"), ("htm", "html"), ("JSON", "json"), ("csv", "csv")],
)
def test_aliases_name_their_format(spelling: str, name: str) -> None:
    assert writers.by_name(spelling).name == name


@pytest.mark.parametrize(
    "suffix, name",
    [(".html", "html"), (".HTM", "html"), (".md", "markdown"), (".ndjson", "jsonl")],
)
def test_a_known_suffix_chooses_the_format(suffix: str, name: str) -> None:
    assert writers.choose(None, Path(f"out{suffix}"), "jsonl").name == name
    assert writers.choose("csv", Path(f"out{suffix}"), "jsonl").name == "csv"  # --format wins


@pytest.mark.parametrize("name", ["res.pdf", "results"])
def test_an_unknown_suffix_is_refused_naming_the_formats(name: str) -> None:
    with pytest.raises(writers.FormatError, match="cannot tell the format from") as caught:
        writers.choose(None, Path(name), "jsonl")
    assert "use --format with one of: csv, html, json, jsonl, markdown, table" in str(caught.value)


def test_html_output_is_html_not_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "res.html"
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 1, result.stderr  # one invalid record in the examples
    text = out.read_text()
    assert text.startswith("<!doctype html>") and "client-006" in text


def test_pdf_output_is_refused_before_any_work(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_RULES)
    out = tmp_path / "res.pdf"
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-o", str(out), "-r", str(broken)])
    assert result.exit_code == 2
    assert result.stderr.startswith("legpress-diag: error: cannot tell the format from '.pdf'")
    assert "rule base" not in result.stderr  # refused before the rules were loaded
    assert not out.exists() and result.stdout == ""


@pytest.mark.parametrize("fmt", ["md", "markdown"])
def test_md_is_accepted_by_format_as_by_suffix(fmt: str, tmp_path: Path) -> None:
    by_format = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", fmt])
    out = tmp_path / "x.md"
    runner.invoke(app, ["diagnose", str(EXAMPLES), "-o", str(out)])
    assert by_format.exit_code == 1 and "## Record client-001: ok" in by_format.stdout
    assert out.read_text() == by_format.stdout


def test_unknown_format_lists_names_and_aliases() -> None:
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", "xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'; choose one of: csv, html" in result.stderr
    assert "md=markdown" in result.stderr and "ndjson=jsonl" in result.stderr


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_top_certainty_is_rounded_like_the_causes_column() -> None:
    result = runner.invoke(app, ["diagnose", str(EXAMPLES), "-f", "csv"])
    rows = [r for r in _csv_rows(result.stdout) if r["top_cause"]]
    assert rows
    for row in rows:
        first = row["causes"].split(";")[0]
        assert first == f"{row['top_cause']}:{float(row['top_certainty']):.2f}"
        assert len(row["top_certainty"].split(".")[-1]) <= 2


def test_every_per_record_message_names_the_file(tmp_path: Path) -> None:
    data = tmp_path / "clients.jsonl"
    data.write_text('{"answers": {"heels_lift": "yes"}}\n{"answers": {"heels_lift": 5}}\n')
    result = runner.invoke(app, ["diagnose", str(data), "-f", "jsonl"])
    assert f"{data}:2: error: heels_lift: 5 is not" in result.stderr
    piped = runner.invoke(app, ["diagnose", "-", "-f", "jsonl"], input=data.read_text())
    assert "<stdin>:2: error: heels_lift" in piped.stderr
    array = runner.invoke(
        app, ["diagnose", "-", "-f", "jsonl"], input='[{"id": "a", "answers": {"zzz": 1}}]'
    )
    assert "<stdin>: record a: warning: zzz: unknown question id" in array.stderr


# --- the core knows no format ---------------------------------------------------------


def test_batch_does_not_import_the_renderers() -> None:
    code = (
        "import sys, legpress_diag.intake.batch\n"
        "print([m for m in sys.modules if m.startswith('legpress_diag.presentation')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _upper_id(result: dict[str, Any], rb: Any) -> str:
    return str(result["id"]).upper()


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_runs_the_given_prepare_step_and_reports_progress(jobs: int) -> None:
    from legpress_diag.api import bundled_rulebase

    data = b"".join(b'{"id": "r%d", "answers": {}}\n' % i for i in range(600))
    seen: list[tuple[int, int | None]] = []
    outcomes = list(
        batch.run_batch(
            io.BytesIO(data),
            bundled_rulebase(),
            batch.Options(prepare=_upper_id),
            jobs=jobs,
            progress=lambda done, read: seen.append((done, read)),
        )
    )
    assert [o.payload for o in outcomes] == [f"R{i}" for i in range(600)]
    assert [done for done, _ in seen] == list(range(1, 601))
    positions = [read for _, read in seen]
    assert positions == sorted(positions) and positions[-1] == len(data)


def test_each_writer_round_trips_one_result() -> None:
    result = diagnose({"id": "me", "answers": {"heels_lift": "yes"}}, explain=True)
    texts = {}
    for name, writer in writers.writers().items():
        out = io.StringIO()
        writer.write([writer.prepare(result, None)], out, writers.WriteContext())
        texts[name] = out.getvalue()
    assert json.loads(texts["jsonl"])["id"] == "me"
    assert json.loads(texts["json"])[0]["id"] == "me"
    assert _csv_rows(texts["csv"])[0]["top_cause"] == "heels_lifting"
    assert "## Record me: unscreened" in texts["markdown"]  # no screen: never "ok"
    assert "me" in texts["table"] and "</html>" in texts["html"]


# --- ask --report uses the same registry --------------------------------------------


def test_ask_report_with_an_unknown_suffix_is_refused_before_the_questions(
    tmp_path: Path,
) -> None:
    result = runner.invoke(app, ["ask", "--report", str(tmp_path / "r.pdf")], input="40\n")
    assert result.exit_code == 2
    assert "cannot tell the report format from '.pdf'" in result.stderr
    assert ".md" in result.stderr and ".html" in result.stderr
    assert "Question" not in result.stderr and not (tmp_path / "r.pdf").exists()


def test_ask_report_as_csv_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ask", "--report", str(tmp_path / "r.csv")], input="")
    assert result.exit_code == 2 and "report format" in result.stderr
