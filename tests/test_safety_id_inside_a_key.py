"""A yes under a key that holds a safety question's id among other words.

Check 32's attacker wrote `"safety_saddle_numbness": "yes"` (and `client_...`,
`..._today`, `answers_...`, the interview's own `screen:nerve_signs`) into an otherwise
clear record, with `saddle_numbness` itself unanswered: the key was an unknown key and
the result "unscreened" with twelve fixes beside a typed yes. Such a key now makes its
question "not sure" for the screen (a referral, no advice), as a misspelt key does. A
notes column beside an answered question changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose

from .test_safety import screen_all_no


def flags(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]]


def without(qid: str) -> dict[str, Any]:
    answers = screen_all_no()
    del answers[qid]
    return {**answers, "butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70}


KEYS = [
    "safety_saddle_numbness",
    "client_saddle_numbness",
    "saddle_numbness_today",
    "answers_saddle_numbness",
    "Saddle Numbness Now",
    "screen:nerve_signs",
]
VALUES = ["yes", True, "unsure", ["Yes"]]


@pytest.mark.parametrize(
    ("key", "value"),
    # A screen's "not sure" is how the interview opens it (its signs asked one by one),
    # not an answer to any of them: left out here, and tested below.
    [(k, v) for k in KEYS for v in VALUES if not (k.startswith("screen:") and v == "unsure")],
)
def test_a_yes_under_a_key_holding_the_id_refers(key: str, value: Any) -> None:
    result = diagnose({"id": "a", "answers": {**without("saddle_numbness"), key: value}})
    assert ("saddle_numbness", "urgent", True) in flags(result)
    assert result["status"] == "refer" and result["fixes"] == {} and result["plan"] == []


def test_a_screens_not_sure_raises_none_of_its_signs() -> None:
    answers = {**without("saddle_numbness"), "screen:nerve_signs": "unsure"}
    result = diagnose({"id": "a", "answers": answers})
    assert flags(result) == []
    assert result["status"] == "unscreened"  # saddle_numbness is still unanswered


@pytest.mark.parametrize("value", ["no", False, "", "none reported", None])
def test_a_no_or_a_note_under_such_a_key_changes_nothing(value: Any) -> None:
    result = diagnose(
        {"id": "a", "answers": {**without("saddle_numbness"), "safety_saddle_numbness": value}}
    )
    assert flags(result) == []


def test_a_notes_column_beside_its_answered_question_changes_nothing() -> None:
    answers = {**screen_all_no(), "saddle_numbness_details": "yes, last year, gone now"}
    result = diagnose({"id": "a", "answers": {**answers, "butt_lifts_off_seat": "yes"}})
    assert flags(result) == []
    assert result["status"] == "ok"


def test_an_id_inside_a_longer_word_is_not_that_question() -> None:
    # 'after_trauma' inside 'after_traumatic_event' is no word edge: not read as it.
    result = diagnose(
        {"id": "a", "answers": {**without("after_trauma"), "after_traumatic_event": "yes"}}
    )
    assert not any(f[0] == "after_trauma" for f in flags(result))


@pytest.mark.parametrize(
    ("qid", "answered", "side"),
    [
        ("saddle_numbness", {"Saddle numbness": "no"}, {"Saddle numbness - asked": "Yes"}),
        ("saddle_numbness", {"SaddleNumbness": "no"}, {"SaddleNumbness_Answered": "Yes"}),
        ("cancer_history", {"Cancer history": "no"}, {"Family cancer history": "Yes"}),
        ("after_trauma", {"After trauma": "no"}, {"knee_pain_after_trauma": "yes"}),
    ],
)
def test_a_side_column_beside_an_answer_under_another_spelling_changes_nothing(
    qid: str, answered: dict[str, str], side: dict[str, str]
) -> None:
    # Check 33's attacker: the question answered under a spelling the tool reads was
    # taken for unanswered, and a yes in a side column referred a clear client.
    result = diagnose({"id": "a", "answers": {**without(qid), **answered, **side}})
    assert flags(result) == []
    assert result["status"] == "ok"


def test_the_answered_questions_are_worked_out_once_a_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Check 34's attacker: with no key read as a question, the set of answered
    # questions was empty and worked out again for every side column: a 1 MB record
    # took minutes, and two such requests held the service's workers.
    from legpress_diag.intake import answers as module

    calls = []
    real = module._answered_anyhow

    def counted(rb: Any, raw: Any) -> frozenset[str]:
        calls.append(1)
        return real(rb, raw)

    monkeypatch.setattr(module, "_answered_anyhow", counted)
    record = {f"safety_saddle_numbness_{n:04d}": "yes" for n in range(300)}
    result = diagnose({"id": "a", "answers": record})
    assert ("saddle_numbness", "urgent", True) in flags(result)
    assert len(calls) == 1
