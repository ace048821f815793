"""Free-form keys about a normal finding or a function, read so that nothing can
clear a sign (check 50, F1 to F5; check 48, H9).

A key that only asks whether a part is normal ("Bowel movements normal?") is read
by an allow-list: parts of the body, grammar, a form's hint and a word that asks.
A yes there finds nothing. Any other key holding a word of a normal finding, or a
function's name alone ("Sexual function"), may be answered no for a finding: only
a blank or "normal" leaves its sign undoubted. Deny-lists of failing words missed
"isnt", "vs.", "beyond", and each miss cleared a sign's yes.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.knowledge.index import asks_if_normal, fold_key, mentions_normal
from legpress_diag.knowledge.rulebase import RuleBase

RB = bundled_rulebase()
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {"age_years": 34}


def run(rb: RuleBase, answers: dict[str, Any]) -> dict[str, Any]:
    return diagnose({"id": "t", "answers": {**answers, "lower_back_rounds": "yes"}}, rb)


def doubted(found: dict[str, Any]) -> set[str]:
    assert found["status"] == "refer" and not found["fixes"] and not found["alternatives"]
    return {f["id"] for f in found["red_flags"] if f["unsure"]}


NORMAL_QUESTIONS = [
    "Bowel movements normal?", "Bladder normal??", "Bladder normal (Y/N)?",
    "Bladder normal yes/no?", "Bowel movements normal? [yes/no]",
    "Bowel movements normal? (Y or N)", "Bowel movements normal? (tick)",
    "Bowel movements normal?:", "Is bladder function normal for you?",
    "Bladder normal today?", "Normal bladder & bowels?", "Normal bladder/bowel?",
    "Bladder normal\uff1f", "Bladder normal\ufe56", "BladderNormal?", "bowelMovementsNormal?",
]  # fmt: skip


@pytest.mark.parametrize("key", NORMAL_QUESTIONS)
def test_a_no_to_whether_a_part_is_normal_is_a_finding(rb: RuleBase, key: str) -> None:
    # Beside the sign's own "no" these were "ok" with advice (check 50, F1, F4, F5).
    assert doubted(run(rb, {**ALL_NO, key: "No"})) == {"bladder_bowel_change"}
    alone = {k: v for k, v in ALL_NO.items() if k != "bladder_bowel_change"}
    assert "bladder_bowel_change" in doubted(run(rb, {**alone, key: "No"}))


@pytest.mark.parametrize("key", NORMAL_QUESTIONS)
@pytest.mark.parametrize("reply", ["yes", "Yes", "normal", "fine", "", "n/a"])
def test_a_yes_or_normal_there_finds_nothing(rb: RuleBase, key: str, reply: str) -> None:
    assert run(rb, {**ALL_NO, key: reply})["status"] == "ok"


@pytest.mark.parametrize(
    ("key", "signs"),
    [("Fever / bowels normal?", {"fever_or_unwell"}),
     ("Fever, bowels normal?", {"fever_or_unwell"}),
     ("Numb groin / bladder normal?", {"saddle_numbness", "bladder_bowel_change"}),
     ("Bladder isnt normal?", {"bladder_bowel_change"}),
     ("Cant feel saddle area normally?", {"saddle_numbness"}),
     ("Bladder doesnt work normally?", {"bladder_bowel_change"}),
     ("Bladder anything but normal?", {"bladder_bowel_change"}),
     ("Bladder weaker vs. normal?", {"bladder_bowel_change"}),
     ("Bladder hardly working normally?", {"bladder_bowel_change"}),
     ("Normal bladder but numb groin?", {"saddle_numbness"}),
     ("Normal sensation gone in saddle area?", {"saddle_numbness"})],
)  # fmt: skip
def test_a_yes_under_a_key_that_is_not_only_asking_doubts_its_signs(
    rb: RuleBase, key: str, signs: set[str]
) -> None:
    # Each was "ok" or "unscreened" with advice (check 50, F2, F3).
    assert signs <= doubted(run(rb, {**ALL_NO, key: "yes"}))


@pytest.mark.parametrize("reply", ["none", "no", "nil", "lost", "absent"])
@pytest.mark.parametrize(
    ("key", "sign"),
    [("Sexual function", "sexual_function_change"), ("Bladder control?", "bladder_bowel_change")],
)
def test_a_no_under_a_function_is_a_finding(rb: RuleBase, key: str, sign: str, reply: str) -> None:
    # "Sexual function": "none" was read as a no, "ok" with advice (check 48, H9).
    assert sign in doubted(run(rb, {**ALL_NO, key: reply}))


def test_a_yes_under_a_function_is_a_doubt_not_the_signs_yes(rb: RuleBase) -> None:
    # "Sexual function": "yes" may say it works: not sure, never an emergency as said.
    found = run(rb, {**ALL_NO, "Sexual function": "yes"})
    assert doubted(found) == {"sexual_function_change"}
    assert run(rb, {**ALL_NO, "Sexual function": "normal"})["status"] == "ok"


@pytest.mark.parametrize(
    "key", ["Loss of bladder control", "No bladder control", "function change"]
)
def test_a_sign_that_names_a_function_is_read_as_a_sign(rb: RuleBase, key: str) -> None:
    assert not mentions_normal(fold_key(key))
    assert run(rb, {**ALL_NO, key: "no"})["status"] == "ok"


@pytest.mark.parametrize(
    ("key", "asks"),
    [("Bowels - regular", True), ("Night pain - regular", False), ("Bladder normal", True),
     ("Fever? Bowels normal?", False), ("Normal bladder but numb groin?", False),
     ("Bladder not normal?", False), ("Bladder normal (Y/N)?", True)],
)  # fmt: skip
def test_only_parts_grammar_and_an_asking_word_ask(key: str, asks: bool) -> None:
    assert asks_if_normal(fold_key(key)) is asks
    assert mentions_normal(fold_key(key))
