"""Check 45 replayed issue 20 on 6c100df: two points still reproduced.

Point 1: a follow-up left null or blank after the question it follows was answered a
plain no was "never asked" in ``diagnose`` ("ok" with advice) but "not sure" in the
interview (urgent), so ``ask --save`` wrote "unsure" and its record replayed to a
referral the original record did not give. Point 3: a coach's question whose id is a
safety question's short name ("fever", "incontinence") loaded, and a yes under that
key went to the coach's question instead of the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.interview import rebuild
from legpress_diag.intake.questionnaire.state import session_record

RB = bundled_rulebase()
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {"age_years": 34}


@pytest.mark.parametrize("blank", [None, ""])
@pytest.mark.parametrize("follow_up", ["major_trauma", "chest_pain_now_or_at_rest"])
def test_a_blank_follow_up_after_a_no_is_never_asked_in_every_front_end(
    follow_up: str, blank: Any
) -> None:
    answers = {**ALL_NO, follow_up: blank, "lower_back_rounds": "yes"}
    assert diagnose({"id": "a", "answers": answers}, RB)["status"] == "ok"
    interview = rebuild(RB, answers)
    assert follow_up not in interview.state.skipped
    saved = session_record(RB, interview.state, "a")
    assert follow_up not in saved["answers"]
    assert diagnose(saved, RB)["status"] == "ok"


def test_a_blank_follow_up_after_a_yes_is_still_not_sure() -> None:
    answers = {**ALL_NO, "after_trauma": "yes", "major_trauma": None}
    assert "major_trauma" in rebuild(RB, answers).state.skipped
    flagged = {f["id"] for f in diagnose({"answers": answers}, RB)["red_flags"]}
    assert "after_trauma" in flagged or "major_trauma" in flagged


@pytest.mark.parametrize("age", ["70/71", "70 or 71", "70, 71", "66/67", "70 (roughly)", "70?"])
def test_two_ages_past_the_limit_keep_the_fracture_referral_urgent(age: str) -> None:
    # Point 14: each was "not sure" alone, clinician where 70 is urgent.
    answers = {**ALL_NO, "age_years": age, "sudden_sharp_onset": "yes", "onset_settling": "yes"}
    found = diagnose({"answers": answers}, RB)
    levels = {f["id"]: (f["level"], f["unsure"]) for f in found["red_flags"]}
    assert levels["fracture_risk_sudden_onset"] == ("urgent", False)


def test_a_screen_reply_padded_with_spaces_is_still_read() -> None:
    # X1: past 4,096 characters a reply named nothing, "ok" beside the sign's own "no".
    answers = {**ALL_NO, "screen:nerve_signs": "saddle_numbness" + " " * 4100 + "\n\n"}
    found = diagnose({"answers": answers}, RB)
    assert [f["id"] for f in found["red_flags"]] == ["saddle_numbness"] and not found["fixes"]


def test_a_resumed_record_keeps_its_own_id(tmp_path: Path) -> None:
    # A new user's P9 (check 47): `ask --answers rec.json --save out.json` saved the
    # client as "ask".
    from legpress_diag.intake.session import resume

    with_id = tmp_path / "with.json"
    with_id.write_text('{"id": "client-7", "answers": {"age_years": 30}}', encoding="utf-8")
    without = tmp_path / "without.json"
    without.write_text('{"answers": {"age_years": 30}}', encoding="utf-8")
    assert resume(RB, with_id).record_id == "client-7"
    assert resume(RB, without).record_id is None
