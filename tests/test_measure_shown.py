"""Issue 26: measured answers read in words, with their evidence, wherever a result is
shown to a person (diagnose's table, Markdown and HTML, the ask report, the web page);
an answer the lifter changed says so, and is the one used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.cli.app import app
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase
from legpress_diag.measure import measure, parse_landmarks
from legpress_diag.measure.synth import SetSpec, generate
from legpress_diag.presentation.render.report import html_report, markdown_report

from .test_no_ids import IDS, shown, visible_ids

RB = bundled_rulebase()
SPEC = SetSpec(hip_lift=0.25, heel_lift=18, depth=62, lowering=0.6, seed=21)


def screen_clear(rb: RuleBase) -> dict[str, Any]:
    return {
        qid: 35 if rb.questions[qid].type is QuestionType.NUMBER else "no"
        for qid in rb.safety_questions()
    }


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    """A measured record, the safety screen answered clear, heels_lift changed by the
    lifter to "no" (measured "yes")."""
    data, _ = generate(SPEC)
    measured = measure(parse_landmarks(json.dumps(data).encode())).record
    assert measured["answers"]["heels_lift"] == "yes"
    answers = {**measured["answers"], **screen_clear(RB), "heels_lift": "no"}
    return {"id": "film", **measured, "answers": answers}


@pytest.fixture(scope="module")
def knee(record: dict[str, Any]) -> str:
    angle = record["answers"]["knee_angle_at_bottom"]
    return f"knee angle at the bottom: about {angle}°, measured in 5 reps"


def test_the_result_carries_each_measurement_in_words(record: dict[str, Any], knee: str) -> None:
    result = diagnose(record, RB)
    entries = result["measurements"]
    assert set(entries) == set(record["measured"])
    angle = entries["knee_angle_at_bottom"]
    assert f"knee angle at the bottom: {angle['in_words']}" == knee
    assert angle["reps"] == 5 and angle["evidence"].startswith("the hip-knee-ankle angle")
    assert entries["butt_lifts_off_seat"]["in_words"] == "yes, measured in 5 reps"
    assert entries["rep_tempo"]["in_words"] == "fast, measured in 5 reps"
    assert "lifter_answer" not in angle
    heels = entries["heels_lift"]
    assert heels["value"] == "yes" and heels["lifter_answer"] == "no"
    assert heels["lifter_words"] == "no"
    assert "heels_lift" not in result["measured"]


def test_a_record_without_measurements_has_none() -> None:
    result = diagnose({"answers": {"heels_lift": "yes"}}, RB)
    assert "measurements" not in result and "measured" not in result


def test_a_value_no_answer_could_be_is_not_shown() -> None:
    record = {
        "answers": {"heels_lift": "yes"},
        "measured": {"heels_lift": {"value": "yes"}, "rep_tempo": {"value": {"x": 1}}},
    }
    result = diagnose(record, RB)
    assert list(result["measurements"]) == ["heels_lift"]
    assert result["measurements"]["heels_lift"]["in_words"] == "yes, measured"


def test_markdown_says_what_was_measured_and_what_the_lifter_changed(
    record: dict[str, Any], knee: str
) -> None:
    report = markdown_report(diagnose(record, RB, explain=True), RB)
    assert "### Measured from your filmed set" in report
    assert f"- {knee}: the hip-knee-ankle angle" in report
    assert (
        "- heels lift off the plate: no, your own answer, used instead of the measurement "
        "(yes, measured in 5 reps): the heel-to-toe line" in report
    )
    assert "Because it was measured: butt lifts off the seat: *yes, measured in 5 reps*" in report
    # In plain words: the filmed set, never "you answered", for a measured answer.
    assert "your filmed set showed knee angle at the bottom: about" in report
    assert not visible_ids(report, IDS)


def test_the_html_report_says_it_in_words(record: dict[str, Any], knee: str) -> None:
    page = shown(html_report(diagnose(record, RB, explain=True), RB))
    assert "Measured from your filmed set" in page and knee in page
    assert "your own answer, used instead of the measurement" in page
    assert not visible_ids(page, IDS)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_diagnose_in_every_human_format(
    fmt: str, record: dict[str, Any], knee: str, tmp_path: Path
) -> None:
    path = tmp_path / "film.json"
    path.write_text(json.dumps(record))
    result = CliRunner().invoke(
        app,
        ["diagnose", str(path), "--format", fmt],
        env={"COLUMNS": "400", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.stderr
    text = shown(result.stdout) if fmt == "html" else result.stdout
    assert "Measured from your filmed set" in text
    assert knee in " ".join(text.split())
    assert "your own answer, used instead of the measurement" in " ".join(text.split())
    if fmt == "html":
        flat = " ".join(text.split())
        assert "measured: butt lifts off the seat: yes, measured in 5 reps" in flat
        assert not visible_ids(text, IDS)


def test_json_stays_the_contracts_record(record: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "film.json"
    path.write_text(json.dumps(record))
    result = CliRunner().invoke(app, ["diagnose", str(path), "--format", "jsonl"])
    line = json.loads(result.stdout)
    assert "Measured from" not in result.stdout
    assert line["measurements"]["heels_lift"]["lifter_answer"] == "no"
