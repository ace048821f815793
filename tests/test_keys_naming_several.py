"""A key or a listed item that names two questions is read as naming both.

A path's last part names the question a form nests it under ("safety/saddle_numbness"),
so "saddle_numbness/leg_pain_below_knee": "yes" was read as leg pain alone: the
emergency sign was lost and the result was clinician. Written the other way round it
was an emergency, so the order of two words set the level. In a screen's list an item
"saddle_numbness & leg_pain_below_knee" lost saddle numbness the same way, and "a and
b" as the screen's text reply was read as a label nobody could read (urgent where it
was an emergency: check 39, M3).

A key names a question only when it names one. A yes, or a "not sure", under a key
that names several safety questions makes each of them "not sure" (which of them holds
cannot be told), in `diagnose`, the interview and `ask --answers` alike; an item of a
screen's list that names several is a tick of each.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.intake.interview import rebuild
from legpress_diag.intake.session import resume
from legpress_diag.knowledge.index import question_named, questions_named
from legpress_diag.knowledge.rulebase import RuleBase

SCREEN = "screen:nerve_signs"
BOTH = ("saddle_numbness", "leg_pain_below_knee")


def levels(rb: RuleBase, answers: dict[str, Any]) -> tuple[str, dict[str, str], int]:
    found = diagnose({"id": "k", "answers": {**answers, "lower_back_rounds": "yes"}}, rb)
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    return found["status"], flagged, len(found["fixes"])


@pytest.mark.parametrize(
    "key",
    [
        "saddle_numbness/leg_pain_below_knee",
        "leg_pain_below_knee/saddle_numbness",
        "saddle_numbness & leg_pain_below_knee",
        "Leg pain below knee + Saddle numbness",
        "saddle numbness and leg pain below knee",
        "saddle_numbness_or_leg_pain_below_knee",
    ],
)
@pytest.mark.parametrize("said", ["yes", "unsure"])
def test_a_key_naming_two_signs_makes_both_not_sure(rb: RuleBase, key: str, said: str) -> None:
    assert set(questions_named(rb, key)) == set(BOTH)
    assert question_named(rb, key) is None  # never the last part alone
    status, flagged, fixes = levels(rb, {key: said})
    assert (status, fixes) == ("refer", 0)
    # emergency one lower: not sure, whichever word comes first
    assert flagged["saddle_numbness"] == "urgent"
    assert "leg_pain_below_knee" in flagged


def test_the_interview_and_ask_read_such_a_key_as_diagnose_does(
    rb: RuleBase, tmp_path: Path
) -> None:
    answers = {"saddle_numbness/leg_pain_below_knee": "yes"}
    state = rebuild(rb, answers).state
    assert set(BOTH) <= set(state.skipped)
    saved = tmp_path / "record.json"
    saved.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    resumed = resume(rb, saved).state
    assert set(BOTH) <= set(resumed.skipped)
    assert resumed.answers.get("saddle_numbness") is None


def test_a_no_under_such_a_key_clears_neither(rb: RuleBase) -> None:
    status, flagged, _ = levels(rb, {"saddle_numbness/leg_pain_below_knee": "no"})
    assert flagged == {} and status == "unscreened"  # unanswered, never read as clear


def test_three_signs_in_one_key_are_each_not_sure(rb: RuleBase) -> None:
    key = "saddle_numbness/bladder_bowel_change/leg_pain_below_knee"
    _, flagged, _ = levels(rb, {key: "yes"})
    assert flagged["saddle_numbness"] == flagged["bladder_bowel_change"] == "urgent"
    assert "leg_pain_below_knee" in flagged


@pytest.mark.parametrize(
    "reply",
    [
        "saddle_numbness and leg_pain_below_knee",
        "saddle numbness and leg pain below knee",
        ["saddle_numbness & leg_pain_below_knee"],
        ["saddle_numbness + leg_pain_below_knee"],
        ["leg_pain_below_knee/saddle_numbness"],
    ],
)
def test_a_listed_item_naming_two_signs_ticks_both(rb: RuleBase, reply: Any) -> None:
    status, flagged, fixes = levels(rb, {SCREEN: reply})
    assert (status, fixes) == ("refer", 0)
    assert flagged["saddle_numbness"] == "emergency"
    assert flagged["leg_pain_below_knee"] == "clinician"


def test_a_marked_item_naming_two_signs_makes_both_not_sure(rb: RuleBase) -> None:
    _, flagged, _ = levels(rb, {SCREEN: ["?saddle_numbness & leg_pain_below_knee"]})
    assert flagged["saddle_numbness"] == "urgent"


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("safety/saddle_numbness", "saddle_numbness"),
        ("group_safety-saddle_numbness", "saddle_numbness"),
        ("('answers', 'saddle_numbness')", "saddle_numbness"),
        ("saddle_numbness|value", "saddle_numbness"),
        ("age_years|magnitude", "age_years"),
        ("Bladder or bowel change", "bladder_bowel_change"),
        ("fever_or_unwell", "fever_or_unwell"),
        ("chest_pain_with_exertion", "chest_pain_with_exertion"),
        ("Saddle Numbness (Y/N)", "saddle_numbness"),
    ],
)
def test_a_key_naming_one_question_is_read_as_before(rb: RuleBase, key: str, meant: str) -> None:
    # A path, a group, a note or an id that holds a joining word names one question.
    assert question_named(rb, key) == meant
    assert questions_named(rb, key) == ()
