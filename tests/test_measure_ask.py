"""Issue 26: `ask --answers MEASURED.json` shows what was measured before the first
question, asks the measured questions only where nothing was measured, and lets the
lifter correct a measured answer; the lifter's answer wins and the result says so."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase
from legpress_diag.cli.app import app
from legpress_diag.measure import measure, parse_landmarks
from legpress_diag.measure.synth import SetSpec, generate

from .test_measure_shown import screen_clear
from .test_no_ids import IDS, visible_ids

RB = bundled_rulebase()
SPEC = SetSpec(hip_lift=0.25, heel_lift=18, depth=62, lowering=0.6, seed=21)
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    data, _ = generate(SPEC)
    return dict(measure(parse_landmarks(json.dumps(data).encode())).record)


@pytest.fixture
def answers_file(measured: dict[str, Any], tmp_path: Path) -> Path:
    """The measured record with the safety screen answered clear: only the questions
    nothing was measured for are left."""
    path = tmp_path / "me.json"
    record = {**measured, "answers": {**measured["answers"], **screen_clear(RB)}}
    path.write_text(json.dumps(record))
    return path


def run_ask(answers: Path, save: Path, keys: str) -> Any:
    return CliRunner().invoke(
        app,
        ["ask", "--answers", str(answers), "--save", str(save)],
        input=keys + "?\n" * 40 + "\n",
        env=ENV,
    )


def test_enter_keeps_every_measured_answer_and_none_is_asked(
    answers_file: Path, measured: dict[str, Any], tmp_path: Path
) -> None:
    save = tmp_path / "saved.json"
    result = run_ask(answers_file, save, "\n")
    assert result.exit_code == 0, result.stderr
    angle = measured["answers"]["knee_angle_at_bottom"]
    before = result.stderr.split("Is this right?")[0]
    assert "Measured from your filmed set:" in before
    assert f"1. knee angle at the bottom: about {angle}°, measured in 5 reps" in before
    assert "heels lift off the plate: yes, measured in 5 reps" in before
    for qid in measured["answers"]:  # no measured question is asked again
        assert RB.questions[qid].text not in result.stderr
    saved = json.loads(save.read_text())
    assert set(saved["measured"]) == set(measured["answers"])
    # The result, on standard output, says what was measured, in words.
    assert f"knee angle at the bottom: about {angle}°, measured in 5 reps" in result.stdout
    assert not visible_ids(result.stdout + result.stderr, IDS)


def test_a_corrected_answer_wins_and_the_result_says_so(
    answers_file: Path, measured: dict[str, Any], tmp_path: Path
) -> None:
    save = tmp_path / "saved.json"
    heels = list(measured["answers"]).index("heels_lift") + 1
    result = run_ask(answers_file, save, f"{heels}\nn\n\n")
    assert result.exit_code == 0, result.stderr
    assert "Your own answer" in result.stderr and RB.questions["heels_lift"].text in result.stderr
    # The list is shown again with the lifter's answer in it.
    assert "heels lift off the plate: no, your own answer, used instead of the measurement" in (
        result.stderr
    )
    saved = json.loads(save.read_text())
    assert saved["answers"]["heels_lift"] == "no"
    assert saved["measured"]["heels_lift"]["value"] == "yes"
    flat = " ".join(result.stdout.split())
    assert "heels lift off the plate: no, your own answer, used instead of the measurement" in flat
    replay = CliRunner().invoke(app, ["diagnose", str(save), "--format", "jsonl"])
    line = json.loads(replay.stdout)
    assert "heels_lift" not in line["measured"]
    assert line["measurements"]["heels_lift"]["lifter_answer"] == "no"
    assert "heels_lifting" not in {c["id"] for c in line["causes"]}


def test_a_wrong_number_is_said_and_asked_again(answers_file: Path, tmp_path: Path) -> None:
    result = run_ask(answers_file, tmp_path / "s.json", "9\nfoo\n\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Type a number from 1 to 6, or press Enter to keep them.") == 2


def test_quit_at_the_review_saves_the_answers(answers_file: Path, tmp_path: Path) -> None:
    save = tmp_path / "s.json"
    result = CliRunner().invoke(
        app, ["ask", "--answers", str(answers_file), "--save", str(save)], input="quit\n", env=ENV
    )
    assert result.exit_code == 0 and "Stopped. Answers so far saved" in result.stderr
    assert json.loads(save.read_text())["measured"]


def test_without_measurements_nothing_is_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_text(json.dumps({"answers": {**screen_clear(RB), "heels_lift": "yes"}}))
    result = run_ask(path, tmp_path / "s.json", "")
    assert result.exit_code == 0, result.stderr
    assert "Measured from your filmed set" not in result.stderr + result.stdout


def test_in_a_real_terminal(answers_file: Path, tmp_path: Path) -> None:
    save = tmp_path / "saved.json"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask", "--answers", str(answers_file), "--save", str(save)],
        env={**os.environ, **ENV, "LINES": "40"},
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("Measured from your filmed set:")
    child.expect("Is this right\\? Press Enter to keep it")
    child.expect("> ")
    child.sendline("4")  # butt lifts off the seat
    child.expect("Your own answer")
    child.expect("> ")
    child.sendline("n")
    child.expect("butt lifts off the seat: no, your own answer")
    child.expect("> ")
    child.sendline("")
    while True:
        index = child.expect(["Question \\d+", "Answers saved to"])
        if index == 1:
            break
        child.expect("> ")
        child.sendline("?")
    child.expect("> ")  # 'how N', or Enter to finish
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    saved = json.loads(save.read_text())
    assert saved["answers"]["butt_lifts_off_seat"] == "no"
