"""A safety answer given two ways reads the same in the interview as in `diagnose`.

Found by the attacker's re-run of issue 20: `ask --answers` of a record whose
saddle-numbness "no" sat beside a "yes" under a look-alike key (Cyrillic letters), or
beside a "yes" written next to `answers` instead of inside it, kept the "no" and gave
exercise advice, while `diagnose` of the same record referred (urgent, "not sure").
One record, one reading, the safe one, in every interface.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose
from legpress_diag.cli.app import app
from legpress_diag.intake.interview import rebuild
from legpress_diag.intake.session import resume
from legpress_diag.knowledge.rulebase import RuleBase

# Every safety question a plain no, the form faults yes: a clear screen and causes.
SCREEN_CLEAR: dict[str, Any] = {
    "saddle_numbness": "no",
    "bladder_bowel_change": "no",
    "progressive_leg_weakness": "no",
    "both_legs_symptoms": "no",
    "leg_pain_below_knee": "no",
    "constant_or_night_pain": "no",
    "after_trauma": "no",
    "systemic_symptoms": "no",
    "sexual_function_change": "no",
    "fever_or_unwell": "no",
    "weakened_immunity_or_iv_drugs": "no",
    "cancer_history": "no",
    "unexplained_weight_loss": "no",
    "steroids_or_osteoporosis": "no",
    "sudden_sharp_onset": "no",
    "upper_back_or_chest_pain": "no",
    "not_improving": "no",
    "pulsating_belly_or_tearing_pain": "no",
    "recent_spinal_procedure": "no",
    "new_leg_weakness": "no",
    "morning_stiffness": "no",
    "onset_settling": "no",
    "age_years": 40,
    "butt_lifts_off_seat": "yes",
    "lower_back_rounds": "yes",
}
LOOK_ALIKE = "\u0455\u0430ddl\u0435_numbn\u0435\u0455\u0455"  # Cyrillic s, a, e

TWO_WAYS: dict[str, dict[str, Any]] = {
    "look-alike key says yes": {"answers": {**SCREEN_CLEAR, LOOK_ALIKE: "yes"}},
    "other case says yes": {"answers": {**SCREEN_CLEAR, "Saddle_Numbness": "yes"}},
    "beside answers says yes": {"saddle_numbness": "yes", "answers": dict(SCREEN_CLEAR)},
    "misspelt key says yes": {
        "answers": {k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"}
        | {"saddle_numbnes": "yes"}
    },
    # The attacker's third round (H1): the exact key's "no" used to win over a "yes"
    # under a misspelt key, or under the id with a character that shows nothing.
    "misspelt key says yes beside the exact no": {
        "answers": {**SCREEN_CLEAR, "saddle_numbnes": "yes"}
    },
    # Attack round 9, M1: one object deeper, the yes was lost ("ok", 22 fixes).
    "a misspelt 'Answers' object says yes": {
        "answers": dict(SCREEN_CLEAR),
        "Answers": {"saddle_numbness": "yes"},
    },
    "answers nested in answers says yes": {
        "answers": {**SCREEN_CLEAR, "answers": {"saddle_numbness": "yes"}}
    },
    "a yes three objects down beside answers": {
        "answers": dict(SCREEN_CLEAR),
        "client": {"form": {"page2": {"saddle_numbness": "yes"}}},
    },
    # Attack round 10, M1: past the 20 unknown fields listed, and inside a list.
    "a yes beside answers after 25 unknown fields": {
        "answers": dict(SCREEN_CLEAR),
        **{f"extra_{i}": i for i in range(25)},
        "saddle_numbness": "yes",
    },
    "a yes in an object in a list": {
        "answers": dict(SCREEN_CLEAR),
        "pages": [{"page": 1}, {"saddle_numbness": "yes"}],
    },
    # Attack round 11, M1: six objects down (four was the bound), and a misspelt yes
    # past 21 unknown keys beside the exact no.
    "a yes six objects down beside answers": {
        "answers": dict(SCREEN_CLEAR),
        "a": {"b": {"c": {"d": {"e": {"f": {"saddle_numbness": "yes"}}}}}},
    },
    "a misspelt yes past 21 unknown keys beside the exact no": {
        "answers": {**SCREEN_CLEAR, **{f"m{i}": i for i in range(21)}, "saddle_numbnes": "yes"}
    },
    "zero-width space in the key says yes": {
        "answers": {**SCREEN_CLEAR, "saddle_numbness\u200b": "yes"}
    },
    "soft hyphen in the key says yes": {
        "answers": {**SCREEN_CLEAR, "saddle_\u00adnumbness": "yes"}
    },
}
# Keys that are the id to anyone reading them: a "yes" there is a certain yes.
INVISIBLE = [
    "saddle_numbness\u200b",
    "saddle_\u00adnumbness",
    "sad\u200ddle_numbness",
    "\ufeffsaddle_numbness",
    "saddle\u2060_numbness",
    "saddle_nu\u034fmbness",
    "saddle_numbne\u0301ss",
    "saddle_numbness\ufe0f",
]


def _saddle_level(result: Any) -> str | None:
    levels = [f["level"] for f in result["red_flags"] if f["id"] == "saddle_numbness"]
    return levels[0] if levels else None


def test_the_clear_record_really_is_clear(rb: RuleBase) -> None:
    # The threshold: without the second spelling the same answers give advice.
    result = diagnose({"answers": SCREEN_CLEAR}, rb)
    assert result["status"] == "ok" and result["causes"]
    assert not rebuild(rb, SCREEN_CLEAR).state.skipped


@pytest.mark.parametrize("name", sorted(TWO_WAYS))
def test_ask_answers_reads_it_as_diagnose_does(rb: RuleBase, tmp_path: Path, name: str) -> None:
    record = TWO_WAYS[name]
    expected = diagnose(record, rb)
    assert expected["status"] == "refer"
    saved = tmp_path / "record.json"
    saved.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    state = resume(rb, saved).state
    if _saddle_level(expected) == "emergency":
        assert state.answers.get("saddle_numbness") is True
    else:
        assert "saddle_numbness" in state.skipped  # not sure, as diagnose reads it
        assert state.answers.get("saddle_numbness") is None


@pytest.mark.parametrize(
    "name",
    [
        "look-alike key says yes",
        "misspelt key says yes",
        "misspelt key says yes beside the exact no",
        "zero-width space in the key says yes",
        "answers nested in answers says yes",
    ],
)
def test_the_http_interview_reads_it_as_diagnose_does(rb: RuleBase, name: str) -> None:
    answers = TWO_WAYS[name]["answers"]
    state = rebuild(rb, answers).state
    assert "saddle_numbness" in state.skipped
    assert _saddle_level(diagnose({"answers": answers}, rb)) == "urgent"


def test_a_yes_given_two_ways_is_not_offered_a_self_check(rb: RuleBase) -> None:
    # A clinician-level sign given two ways, one of them "yes", stays "not sure": the
    # interview used to offer its self-check and let a "no" there clear a "yes" the
    # lifter wrote (the attacker's fourth round, N4). No self-check is offered, and one
    # sent anyway is ignored with a warning.
    answers = {**SCREEN_CLEAR, "Leg_Pain_Below_Knee": "yes"}
    asked = rebuild(rb, answers)
    assert asked.question is None or asked.question.id != "check:leg_pain_below_knee"
    assert "leg_pain_below_knee" in asked.state.skipped
    sent = rebuild(rb, {**answers, "check:leg_pain_below_knee": "no"})
    assert "leg_pain_below_knee" in sent.state.skipped
    assert any(w.key == "check:leg_pain_below_knee" for w in sent.warnings)


def test_a_self_check_never_asked_does_not_undo_the_doubt(rb: RuleBase) -> None:
    # Saddle numbness given two ways is urgent: no self-check is asked, so a
    # "check:saddle_numbness": "no" sent anyway changes nothing (it cleared the screen
    # before: the attacker's H2, issue 20).
    answers = {**TWO_WAYS["look-alike key says yes"]["answers"], "check:saddle_numbness": "no"}
    current = rebuild(rb, answers)
    assert "saddle_numbness" in current.state.skipped
    assert any(w.key == "check:saddle_numbness" for w in current.warnings)


def ask_with_answers(tmp_path: Path, record: dict[str, Any] | str) -> tuple[str, dict[str, Any]]:
    """`ask --answers RECORD --save`, Enter to whatever it asks: (output, saved record).
    ``record``: a dict, or raw JSON text (a key given twice)."""
    answers_file = tmp_path / "record.json"
    text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    answers_file.write_text(text, encoding="utf-8")
    save = tmp_path / "saved.json"
    run = CliRunner().invoke(
        app,
        ["ask", "--answers", str(answers_file), "--save", str(save)],
        input="\n" * 60,
        env={"COLUMNS": "100", "NO_COLOR": "1", "LEGPRESS_DIAG_STATE": str(tmp_path)},
    )
    return run.output, json.loads(save.read_text())


def test_ask_refers_and_saves_not_sure(tmp_path: Path) -> None:
    output, saved = ask_with_answers(tmp_path, TWO_WAYS["look-alike key says yes"])
    assert "URGENT" in output, output
    assert saved["answers"]["saddle_numbness"] == "unsure"


@pytest.mark.parametrize("key", INVISIBLE)
def test_a_key_with_an_invisible_character_is_the_question(rb: RuleBase, key: str) -> None:
    answers = {k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"} | {key: "yes"}
    assert _saddle_level(diagnose({"answers": answers}, rb)) == "emergency"
    assert rebuild(rb, answers).state.answers.get("saddle_numbness") is True


@pytest.mark.parametrize(
    "value",
    [
        "\uff59\uff45\uff53",
        "\uff39\uff25\uff33",
        # The attacker's fourth round (N8): read as unsure (urgent) in the CLI, 422 in the API.
        "yes\u200b",
        "y\u00e9s",
        "ye\u0301s",
        "\u00adyes",
    ],
)
def test_a_full_width_yes_is_a_yes(rb: RuleBase, value: str) -> None:
    result = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbness": value}}, rb)
    assert _saddle_level(result) == "emergency"


def test_the_exact_yes_stands_beside_a_misspelt_no(rb: RuleBase) -> None:
    answers = {**SCREEN_CLEAR, "saddle_numbness": "yes", "saddle_numbnes": "no"}
    assert _saddle_level(diagnose({"answers": answers}, rb)) == "emergency"


def test_the_same_answer_under_a_typo_changes_nothing(rb: RuleBase) -> None:
    # Only a difference makes the answer unsure: "yes" twice stays a certain yes, and a
    # misspelt "no" beside the exact "no" keeps the screen clear.
    twice = {**SCREEN_CLEAR, "saddle_numbness": "yes", "saddle_numbnes": "yes"}
    assert _saddle_level(diagnose({"answers": twice}, rb)) == "emergency"
    both_no = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbnes": "no"}}, rb)
    assert both_no["status"] == "ok"


def test_diagnose_on_the_command_line_refers_the_misspelt_yes(tmp_path: Path) -> None:
    record = TWO_WAYS["misspelt key says yes beside the exact no"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    run = CliRunner().invoke(app, ["diagnose", str(path), "--format", "json"])
    [result] = json.loads(run.stdout)  # a JSON file's records come back as a list
    assert result["status"] == "refer" and _saddle_level(result) == "urgent"
    assert not result["causes"] and not result["plan"]


def test_a_look_alike_no_is_still_not_a_no(rb: RuleBase) -> None:
    # Letters of other scripts are not folded in values: 'nо' with a Cyrillic 'о' is
    # unreadable, so "not sure" for the screen, never a clear "no".
    result = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbness": "n\u043e"}}, rb)
    assert result["status"] == "refer"
