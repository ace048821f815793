"""A sign's id written whole in a screen's text reply is at least not sure, whatever
words or marks surround it (check 48, H1): "Dr. Smith said saddle_numbness" and
"saddle_numbness! word" under "screen:nerve_signs", beside the sign's own "no", were
"ok" with advice, and `ask --answers` ended with a plan."""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.records import safety_ids_written

RB = bundled_rulebase()
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {"age_years": 34}

REPLIES = [
    "Dr. Smith said saddle_numbness", "none. Actually saddle_numbness",
    "saddle_numbness etc. word", "saddle_numbness! word", "saddle_numbness? word",
    "saddle_numbness \u2014 I noticed it", '["saddle_numbness"]. Dr. said so',
    "saddle_numbness word", "SADDLE-NUMBNESS since monday", "saddle\u200b_numbness, I think",
]  # fmt: skip


@pytest.mark.parametrize("reply", REPLIES)
def test_an_id_in_a_screen_reply_is_not_sure_beside_its_own_no(reply: str) -> None:
    found = diagnose({"id": "t", "answers": {**ALL_NO, "screen:nerve_signs": reply}}, RB)
    assert found["status"] == "refer" and not found["fixes"] and not found["alternatives"]
    # Not sure at least (urgent); read as a tick where the reply is a list (emergency).
    assert {("saddle_numbness", "urgent", True), ("saddle_numbness", "emergency", False)} & {
        (f["id"], f["level"], f["unsure"]) for f in found["red_flags"]
    }


def test_a_reply_read_as_a_tick_stays_a_yes() -> None:
    found = diagnose(
        {"id": "t", "answers": {**ALL_NO, "saddle_numbness": "yes", "screen:nerve_signs": "word"}},
        RB,
    )
    assert ("saddle_numbness", "emergency", False) in {
        (f["id"], f["level"], f["unsure"]) for f in found["red_flags"]
    }


@pytest.mark.parametrize(
    ("text", "ids"),
    [("saddle_numbness", {"saddle_numbness"}), ("Saddle numbness and fever_or_unwell",
      {"saddle_numbness", "fever_or_unwell"}), ("xsaddle_numbness", set()),
     ("saddle_numbnessy", set()), ("no signs", set())],
)  # fmt: skip
def test_ids_are_found_whole(text: str, ids: set[str]) -> None:
    assert safety_ids_written(RB, text) == ids


@pytest.mark.parametrize(
    "reply",
    ["Numbness in the saddle area", ["Numbness in the saddle area"],
     "No, numbness in the saddle area", "Not sure - numbness in the saddle area"],
)  # fmt: skip
def test_a_label_of_a_sign_in_a_screen_reply_is_not_sure_beside_its_own_no(reply: Any) -> None:
    # Check 47, H: the sign's label, unread, beside its own "no": "ok" with advice.
    found = diagnose({"id": "t", "answers": {**ALL_NO, "screen:nerve_signs": reply}}, RB)
    assert ("saddle_numbness", "urgent", True) in {
        (f["id"], f["level"], f["unsure"]) for f in found["red_flags"]
    }
    assert not found["fixes"]


@pytest.mark.parametrize(
    "reply", ["No numbness in the saddle area", "Saddle area normal", "none of these", "nothing"]
)
def test_a_reply_that_denies_or_finds_nothing_refers_no_one(reply: str) -> None:
    answers = {**ALL_NO, "lower_back_rounds": "yes", "screen:nerve_signs": reply}
    found = diagnose({"id": "t", "answers": answers}, RB)
    assert found["status"] == "ok" and not found["red_flags"]
