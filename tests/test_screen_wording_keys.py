"""A sign named by the wording the questionnaire shows for it is that sign.

The screens show each warning sign in a short wording of its own ("numbness or
tingling in the groin, genitals, ..."), not the question's id or text. An app that kept
the wording it showed as the answer's key, or listed the wordings ticked, had the sign
read as an unknown key: a yes to saddle numbness gave "unscreened" with exercise
advice (check 39, M2). Every screen item's wording now names its question, in
`diagnose` and the interview alike.
"""

from __future__ import annotations

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.interview import rebuild
from legpress_diag.knowledge.index import question_named
from legpress_diag.knowledge.rulebase import RuleBase

WORDINGS = [
    (qid, wording)
    for screen in bundled_rulebase().screens.values()
    for qid, wording in screen.items
]
SADDLE = next(wording for qid, wording in WORDINGS if qid == "saddle_numbness")


@pytest.mark.parametrize(("qid", "wording"), WORDINGS, ids=[qid for qid, _ in WORDINGS])
def test_every_items_wording_names_its_question(rb: RuleBase, qid: str, wording: str) -> None:
    assert question_named(rb, wording) == qid
    assert question_named(rb, wording.capitalize() + "?") == qid


@pytest.mark.parametrize(
    ("qid", "wording"),
    [(qid, w) for qid, w in WORDINGS if qid in bundled_rulebase().index.screen_questions],
    ids=[qid for qid, _ in WORDINGS if qid in bundled_rulebase().index.screen_questions],
)
def test_a_yes_under_a_signs_wording_is_that_signs_yes(
    rb: RuleBase, qid: str, wording: str
) -> None:
    by_wording = diagnose({"answers": {wording: "yes", "lower_back_rounds": "yes"}}, rb)
    by_id = diagnose({"answers": {qid: "yes", "lower_back_rounds": "yes"}}, rb)
    assert by_wording["status"] == by_id["status"]
    assert [(f["id"], f["level"]) for f in by_wording["red_flags"]] == [
        (f["id"], f["level"]) for f in by_id["red_flags"]
    ]


def test_the_saddle_wording_says_yes_is_an_emergency_everywhere(rb: RuleBase) -> None:
    found = diagnose({"answers": {SADDLE: "Yes", "lower_back_rounds": "yes"}}, rb)
    assert found["status"] == "refer" and not found["fixes"]
    assert {f["id"]: f["level"] for f in found["red_flags"]}["saddle_numbness"] == "emergency"
    assert rebuild(rb, {SADDLE: "yes"}).state.answers.get("saddle_numbness") is True


@pytest.mark.parametrize("key", ["Since the pain began, have you had any of these?", "symptoms"])
def test_wordings_ticked_in_a_list_are_each_a_yes(rb: RuleBase, key: str) -> None:
    weaker = next(w for qid, w in WORDINGS if qid == "progressive_leg_weakness")
    found = diagnose({"answers": {key: [SADDLE, weaker], "lower_back_rounds": "yes"}}, rb)
    flagged = {f["id"]: f["level"] for f in found["red_flags"]}
    assert flagged["saddle_numbness"] == flagged["progressive_leg_weakness"] == "emergency"


def test_a_no_under_the_wording_is_that_signs_no(rb: RuleBase) -> None:
    assert rebuild(rb, {SADDLE: "no"}).state.answers.get("saddle_numbness") is False
    found = diagnose({"answers": {SADDLE: "no", "lower_back_rounds": "yes"}}, rb)
    assert not found["red_flags"]
