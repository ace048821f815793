"""The frame of a diagnosis every client reads: its defaults, its id, the ``facts`` an
explained result carries on every path, the threshold a caller passes, and the note
for a lifter with no form fault."""

from __future__ import annotations

from legpress_diag.api import bundled_rulebase
from legpress_diag.intake.answers import read_answers
from legpress_diag.reasoning.answers import AnswerProblem
from legpress_diag.reasoning.diagnosis import base_result, error_result
from legpress_diag.reasoning.diagnosis import diagnose_answers as reasoning_diagnose

from .diagnose_raw import diagnose_answers
from .test_safety import screen_all_no

RB = bundled_rulebase()


FORM = {"butt_lifts_off_seat": "yes", "lower_back_rounds": "yes", "rep_tempo": "fast"}
NO_FAULT_NOTE = (
    "Nothing you said points to a known form fault. Film a set from the side, "
    "or ask a coach to watch your hips and lower back at the bottom of the rep."
)


def test_by_default_an_unknown_key_warns_and_nothing_rule_level_is_added() -> None:
    raw = screen_all_no(**FORM, seat_colour="red")
    result = reasoning_diagnose(RB, read_answers(RB, raw), record_id=1)  # no options
    assert result["status"] == "ok" and result["errors"] == []
    assert [w["key"] for w in result["warnings"]] == ["seat_colour"]
    assert "facts" not in result
    assert all("reasoning" not in cause for cause in result["causes"])


def test_an_error_result_keeps_the_record_id_and_its_facts_when_explained() -> None:
    answers = screen_all_no(**(FORM | {"rep_tempo": "warp speed"}))
    result = diagnose_answers(RB, answers, record_id="r7", explain=True)
    assert result["status"] == "error" and result["id"] == "r7"
    assert [e["key"] for e in result["errors"]] == ["rep_tempo"]
    assert result["facts"] == {}


def test_an_explained_emergency_referral_carries_empty_facts() -> None:
    result = diagnose_answers(RB, screen_all_no(**FORM, saddle_numbness="yes"), explain=True)
    assert result["status"] == "refer" and result["causes"] == []
    assert result["facts"] == {}


def test_results_built_without_explain_have_no_facts() -> None:
    problem = AnswerProblem(key="k", message="k: bad", expected="good")
    assert "facts" not in error_result(RB, "r1", [problem])
    assert "facts" not in base_result(RB, "r1")
    assert error_result(RB, "r1", [problem], explain=True)["facts"] == {}


def test_a_threshold_passed_in_replaces_the_rule_base_one_and_is_inclusive() -> None:
    answers = screen_all_no(**FORM)
    default = [(c["id"], c["certainty"]) for c in diagnose_answers(RB, answers)["causes"]]
    assert default == [
        ("butt_off_seat", 0.9),
        ("fast_reps", 0.8164),
        ("posterior_pelvic_tilt", 0.388),
    ]
    at_09 = diagnose_answers(RB, answers, threshold=0.9)["causes"]
    assert [c["id"] for c in at_09] == ["butt_off_seat"]


def test_the_no_fault_note_only_when_nothing_was_found() -> None:
    nothing = diagnose_answers(RB, screen_all_no())
    assert nothing["status"] == "no_fault_found" and nothing["notes"] == [NO_FAULT_NOTE]
    found = diagnose_answers(RB, screen_all_no(**FORM))
    assert found["status"] == "ok" and found["notes"] == []
