"""Issue 26: `legpress-diag measure` on the command line, and its record read by
`diagnose` and `ask --answers` as any record, with the measured answers marked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose
from legpress_diag.cli.app import app
from legpress_diag.intake.questionnaire import session_record
from legpress_diag.intake.session import resume
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase
from legpress_diag.measure.synth import SetSpec, generate

runner = CliRunner()


def _screen_clear(rb: RuleBase) -> dict[str, Any]:
    """Every safety question answered with no warning sign (age: 35)."""
    return {
        qid: 35 if rb.questions[qid].type is QuestionType.NUMBER else "no"
        for qid in rb.safety_questions()
    }


SPEC = SetSpec(hip_lift=0.25, heel_lift=18, depth=62, lowering=0.6, seed=21)


@pytest.fixture(scope="module")
def landmarks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = generate(SPEC)
    path = tmp_path_factory.mktemp("measure") / "set.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def measured(landmarks: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["measure", str(landmarks)])
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_measure_prints_the_contracts_record(measured: dict[str, Any]) -> None:
    assert list(measured) == ["answers", "measured", "not_measured"]
    assert measured["answers"]["butt_lifts_off_seat"] == "yes"
    assert measured["answers"]["heels_lift"] == "yes"
    assert measured["answers"]["rep_tempo"] == "fast"
    # The lifted hip and heel bend the knee further than the sled alone.
    truth = generate(SPEC)[1].knee_angle_at_bottom
    assert truth < 50 and abs(measured["answers"]["knee_angle_at_bottom"] - truth) <= 3
    for key, entry in measured["measured"].items():
        assert set(entry) == {"value", "confidence", "evidence"}
        assert entry["value"] == measured["answers"][key]
        assert 0 < entry["confidence"] <= 1 and entry["evidence"]["reps"]
    assert "lower_back_rounds" in measured["not_measured"]


def test_measure_table_speaks_plain_words(landmarks: Path) -> None:
    result = runner.invoke(app, ["measure", str(landmarks), "--format", "table"])
    assert result.exit_code == 0
    assert "knee angle at the bottom: about " in result.stdout
    assert "°, measured in 5 reps" in result.stdout
    assert "butt lifts off the seat: yes" in result.stdout
    assert "knee_angle_at_bottom" not in result.stdout and "_" not in result.stdout


def test_measure_reads_stdin(landmarks: Path, measured: dict[str, Any]) -> None:
    result = runner.invoke(app, ["measure", "-"], input=landmarks.read_bytes())
    assert result.exit_code == 0 and json.loads(result.stdout) == measured


def test_measure_exits_1_when_nothing_was_measured(tmp_path: Path) -> None:
    data, _ = generate(SetSpec(front=True, seed=2))
    path = tmp_path / "front.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["measure", str(path)])
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["answers"] == {} and record["measured"] == {}
    assert "side view" in record["not_measured"]["knee_angle_at_bottom"]
    table = runner.invoke(app, ["measure", str(path), "-f", "table"])
    assert table.exit_code == 1 and "Nothing could be measured: this does not look" in table.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"fps": 30, "width": 1280, "height": 720, "view": "left", "frames": [{"t": 0}]}',
            "set.json: frame 0: 'landmarks' is missing",
        ),
        (b"not json", "set.json: the landmarks are not valid JSON"),
        (b'{"fps": NaN}', "NaN is not a number JSON allows"),
    ],
)
def test_measure_exits_2_on_invalid_landmarks(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "set.json"
    path.write_bytes(content)
    result = runner.invoke(app, ["measure", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_measure_exits_2_on_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["measure", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    folder = runner.invoke(app, ["measure", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.stderr


def test_a_measured_record_diagnoses_as_the_same_answers_typed_in(
    rb: RuleBase, measured: dict[str, Any]
) -> None:
    answers = {**measured["answers"], **_screen_clear(rb)}
    from_film = diagnose({**measured, "answers": answers}, rb)
    typed = diagnose({"answers": answers}, rb)
    assert from_film.pop("measured") == list(measured["answers"])
    assert set(from_film.pop("measurements")) == set(measured["answers"])
    assert "measured" not in typed and "measurements" not in typed
    assert from_film == typed
    assert from_film["status"] == "ok" and from_film["warnings"] == []
    causes = {c["id"] for c in from_film["causes"]}
    assert {"butt_off_seat", "heels_lifting", "fast_reps"} <= causes


def test_an_answer_the_lifter_gives_overrides_the_measured_one(
    rb: RuleBase, measured: dict[str, Any]
) -> None:
    answers = {**measured["answers"], "butt_lifts_off_seat": "no", **_screen_clear(rb)}
    result = diagnose({**measured, "answers": answers}, rb)
    assert "butt_lifts_off_seat" not in result["measured"]
    assert "heels_lift" in result["measured"]
    assert "butt_off_seat" not in {c["id"] for c in result["causes"]}
    typed = diagnose({"answers": answers}, rb)
    assert [c["id"] for c in result["causes"]] == [c["id"] for c in typed["causes"]]


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        ({"measured": [1]}, "measured", "'measured' must be an object"),
        ({"measured": {"heels_lift": "yes"}}, "measured.heels_lift", "with a 'value'"),
        ({"not_measured": {"heels_lift": 3}}, "not_measured", "question id -> reason"),
    ],
)
def test_a_misshapen_measurement_is_an_error_naming_it(
    rb: RuleBase, extra: dict[str, Any], key: str, message: str
) -> None:
    result = diagnose({"answers": {"heels_lift": "yes"}, **extra}, rb)
    assert result["status"] == "error"
    assert result["errors"][0]["key"] == key and message in result["errors"][0]["message"]


def test_ask_answers_resumes_a_measured_record_and_keeps_the_marks(
    rb: RuleBase, measured: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(measured))
    resumed = resume(rb, path)
    assert resumed.problems == ()  # measured and not_measured are no unknown fields
    assert set(measured["answers"]) <= resumed.state.prefilled
    state = resumed.state
    for qid, value in _screen_clear(rb).items():
        state = state.answer(qid, value if isinstance(value, int) else False)
    state = state.answer("heels_lift", False)  # the lifter corrects one
    record = session_record(rb, state, "me")
    result = diagnose(record, rb)
    assert "heels_lift" not in result["measured"]
    assert set(result["measured"]) == set(measured["answers"]) - {"heels_lift"}


def test_a_measured_result_matches_the_documented_output_model(
    rb: RuleBase, measured: dict[str, Any]
) -> None:
    from legpress_diag.presentation.output_model import validate

    for explain in (False, True):
        validate(diagnose(measured, rb, explain=explain))


def test_every_measurable_question_has_a_measure_a_label_and_a_contract_key(rb: RuleBase) -> None:
    from legpress_diag.measure import MEASURABLE, MEASURES
    from legpress_diag.presentation.render.measured import LABELS

    assert tuple(MEASURES) == MEASURABLE
    assert tuple(LABELS) == MEASURABLE  # measured_lines reads them in this order
    assert set(MEASURABLE) <= set(rb.questions)  # each answers a question of the rules


def test_json_mode_keeps_stdout_clean_and_says_what_was_left_out(tmp_path: Path) -> None:
    data, _ = generate(SetSpec(reps=4, dropout=0.05, seed=11))
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["measure", str(path)])
    assert result.exit_code == 0
    json.loads(result.stdout)  # one JSON document, nothing else
    assert result.stderr.startswith("note: ") and "frames left out" in result.stderr
    table = runner.invoke(app, ["measure", str(path), "-f", "table"])
    assert "Note: " in table.stdout and "frames left out" in table.stdout


def test_view_is_only_for_a_video(landmarks: Path) -> None:
    result = runner.invoke(app, ["measure", str(landmarks), "--view", "left"])
    assert result.exit_code == 2
    assert "--view is for a video" in result.stderr
