"""What the screen decides and says, checked where mutation testing found it unpinned:
an unsure answer anywhere in a record, and the exact words of the warning a client
shows when the screen is incomplete."""

from __future__ import annotations

from typing import Any

from legpress_diag.api import bundled_rulebase

from .diagnose_raw import diagnose_answers
from .test_safety import screen_all_no

RB = bundled_rulebase()


FORM = {"butt_lifts_off_seat": "yes", "lower_back_rounds": "yes", "rep_tempo": "fast"}


def test_an_unsure_answer_after_plain_ones_is_read_as_unsure() -> None:
    # The record's first keys are plain "no"s; the unsure one comes last.
    answers = screen_all_no(**FORM)
    del answers["progressive_leg_weakness"]
    answers["progressive_leg_weakness"] = "not sure"
    result = diagnose_answers(RB, answers)
    assert result["status"] == "refer"
    assert [(f["id"], f["level"], f["unsure"], f["because"]) for f in result["red_flags"]] == [
        (
            "progressive_leg_weakness",
            "urgent",
            True,
            [{"key": "progressive_leg_weakness", "answer": "unsure"}],
        )
    ]


def test_an_unsure_answer_after_a_key_that_is_not_a_string_still_refers() -> None:
    # Through the Python API a key can be a number: an error for that key, but the
    # valid answers after it are screened all the same.
    answers: dict[Any, Any] = {5: "yes", **screen_all_no(**FORM)}
    answers["saddle_numbness"] = "unsure"
    result = diagnose_answers(RB, answers)
    assert [e["key"] for e in result["errors"]] == ["5"]
    assert result["status"] == "refer"
    assert [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]] == [
        ("saddle_numbness", "urgent", True)
    ]


def test_the_incomplete_screen_warning_in_full() -> None:
    answers = screen_all_no(**FORM)
    del answers["cancer_history"], answers["fever_or_unwell"]
    result = diagnose_answers(RB, answers)
    assert result["status"] == "unscreened"
    assert result["warnings"] == [
        {
            "key": "safety_screen_incomplete",
            "value": None,
            "message": "the safety screen is incomplete, so a warning sign may have been "
            "missed; not answered: fever_or_unwell, cancer_history",
            "expected": "yes, no or unsure for every safety question",
        }
    ]
