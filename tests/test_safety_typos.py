"""A safety question under a mistyped key (safety.misspelt_safety): which keys are
read as a possible warning sign, wherever they sit in the record, and where the
bounded search stops. A "yes" behind a typo is read as "not sure" (a referral one
level lower); a "no" stays a no; what is not examined stays unanswered, never clear.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.intake.answers import MAX_UNKNOWN_LISTED
from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.sources import parse_rule_text

from .diagnose_raw import diagnose_answers
from .test_safety import screen_all_no

RB = bundled_rulebase()


FORM = {"butt_lifts_off_seat": "yes", "lower_back_rounds": "yes", "rep_tempo": "fast"}
LONGEST = max(len(q) for q in RB.index.screen_questions)


def without(question: str, **extra: Any) -> dict[Any, Any]:
    """The whole screen answered "no" except ``question``, then ``extra`` in order."""
    answers: dict[Any, Any] = screen_all_no(**FORM)
    del answers[question]
    answers.update(extra)
    return answers


def flags(result: Any) -> list[tuple[str, str, bool]]:
    return [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]]


BLADDER_UNSURE = [("bladder_bowel_change", "urgent", True)]


def test_a_typo_after_plain_answers_is_still_read() -> None:
    result = diagnose_answers(RB, without("bladder_bowel_change", bladder_bowel_chnage="yes"))
    assert result["status"] == "refer" and flags(result) == BLADDER_UNSURE


def test_a_typo_refers_in_a_strict_run_too_beside_its_error() -> None:
    # As a key in another case does (test_safety_edges): strict makes the unknown key
    # an error, and the warning sign behind it is not lost to that error.
    answers = without("saddle_numbness", saddle_numbnes="yes")
    result = diagnose_answers(RB, answers, strict=True)
    assert [e["key"] for e in result["errors"]] == ["saddle_numbnes"]
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "urgent", True)]
    assert result["fixes"] == {} and result["plan"] == []


def test_a_typo_after_a_key_in_another_case_is_still_read() -> None:
    answers = without("bladder_bowel_change")
    del answers["age_years"]
    answers.update({"Age_Years": 30, "bladder_bowel_chnage": "yes"})
    result = diagnose_answers(RB, answers)
    assert result["status"] == "refer" and flags(result) == BLADDER_UNSURE


def test_a_key_in_another_case_is_the_answer_itself_not_an_unsure_one() -> None:
    result = diagnose_answers(RB, without("saddle_numbness", Saddle_Numbness="yes"))
    [flag] = result["red_flags"]
    assert flag["because"] == [{"key": "saddle_numbness", "answer": "yes"}]
    assert not flag["unsure"] and flag["level"] == "emergency"


@pytest.mark.parametrize(("value", "flagged"), [(True, True), (False, False)])
def test_a_json_true_or_false_behind_a_typo_is_a_yes_or_a_no(value: bool, flagged: bool) -> None:
    result = diagnose_answers(RB, without("saddle_numbness", saddle_numbnes=value))
    assert (flags(result) == [("saddle_numbness", "urgent", True)]) is flagged
    assert result["status"] == ("refer" if flagged else "unscreened")


# difflib's ratio for 'saddle_numbn' against 'saddle_numbness' is 0.89, for
# 'saddlenumbn' 0.85 less a little (0.846): the cut-off is 0.85. ('saddle_numb', at
# the same ratio, is one of the question's short names in rules/safety.yaml.)
@pytest.mark.parametrize(("key", "flagged"), [("saddle_numbn", True), ("saddlenumbn", False)])
def test_a_key_is_a_typo_only_above_the_cutoff(key: str, flagged: bool) -> None:
    result = diagnose_answers(RB, without("saddle_numbness", **{key: "yes"}))
    assert (result["status"] == "refer") is flagged
    assert any(w["key"] == key for w in result["warnings"])  # an unknown key either way


def _after_unknown_keys(count: int, length: int = 7) -> dict[Any, Any]:
    junk = {f"note_{i:02d}".ljust(length, "x"): "yes" for i in range(count)}
    return without("saddle_numbness", **junk, saddle_numbnes="yes")


def test_the_last_unknown_key_within_the_bound_is_examined() -> None:
    result = diagnose_answers(RB, _after_unknown_keys(MAX_UNKNOWN_LISTED - 1))
    assert flags(result) == [("saddle_numbness", "urgent", True)]


@pytest.mark.parametrize("count", [MAX_UNKNOWN_LISTED, 5000])
def test_past_the_close_check_a_typo_is_still_read_by_the_fast_one(count: int) -> None:
    """Attack round 11, M1: past the first 20 unknown keys a typo was not looked at, and
    beside its question's own "no" the "yes" was dropped: "ok" with fixes."""
    result = diagnose_answers(RB, _after_unknown_keys(count))
    assert flags(result) == [("saddle_numbness", "urgent", True)]
    beside_no = {**_after_unknown_keys(count), "saddle_numbness": "no"}
    assert flags(diagnose_answers(RB, beside_no)) == [("saddle_numbness", "urgent", True)]


@pytest.mark.parametrize(
    "key", ["sadle_numbness", "saddle_numbnes", "sadlde_numbness", "saddle-numbnessx"]
)
def test_the_fast_check_finds_what_the_close_one_finds(key: str) -> None:
    from legpress_diag.intake.answers import _near_safety_id, misspelt_safety_id
    from legpress_diag.knowledge.index import fold_key

    assert misspelt_safety_id(RB, key) == "saddle_numbness"
    assert _near_safety_id(RB.index.screen_questions, fold_key(key)) == "saddle_numbness"


def test_keys_longer_than_twice_any_safety_id_are_no_typo() -> None:
    result = diagnose_answers(RB, without("saddle_numbness", **{"x" * (2 * LONGEST + 1): "yes"}))
    assert result["status"] == "unscreened"


def test_a_key_that_is_not_a_string_is_an_error_and_a_typo_still_refers() -> None:
    answers = without("saddle_numbness", saddle_numbnes="yes")
    answers[5] = "yes"
    result = diagnose_answers(RB, answers)
    assert [e["key"] for e in result["errors"]] == ["5"]
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "urgent", True)]


def test_a_rule_base_without_a_screen_takes_unknown_keys_in_its_stride() -> None:
    text = b"""
rulebase: {name: no-screen, version: "1"}
questions:
  - {id: rounds, type: yes_no, text: Rounds?}
causes:
  - {id: rounding, title: Rounding, explanation: It rounds., fixes: [brace]}
fixes:
  - {id: brace, title: Brace, how: Brace first.}
rules:
  - {id: r1, if: rounds, then: rounding, cf: 0.8}
"""
    rb = build_rulebase([parse_rule_text(text, "coach.yaml")])
    result = diagnose_answers(rb, {"rounds": "yes", "saddle_numbness": "yes"})
    assert result["status"] == "unscreened"
    assert [w["key"] for w in result["warnings"]] == ["safety_screen_missing", "saddle_numbness"]
