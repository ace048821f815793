"""Keys and replies check 53's attacker found misread on 0cc0b01.

"unchanged", "intact" under a sign's own name said the sign is still there and were
read as nothing found (H1, a regression); keys that ask whether a function is there
("Do you have bladder control?") had their no read as a clear no (H2); a denial
inside a key ("Do you have no fever?") was missed (H3); screen replies that open
with a no named nothing (H4); plurals and other names of signs (H5); decades in
words (H6); and ordinary intake columns that referred clear clients (M1)."""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose

from .free_form import ALL_NO, RB, flagged


@pytest.mark.parametrize("reply", ["unchanged", "no change", "intact", "it's ok"])
@pytest.mark.parametrize("key", ["Numb groin", "Incontinence", "Night pain", "Fever"])
def test_still_there_under_a_signs_name_is_a_doubt(key: str, reply: str) -> None:
    assert flagged(key, reply)  # H1


@pytest.mark.parametrize("reply", ["unchanged", "intact", "no problems", "regular"])
@pytest.mark.parametrize("key", ["Sexual function", "Bowel habits", "Saddle area sensation"])
def test_unchanged_under_a_functions_name_says_it_works(key: str, reply: str) -> None:
    assert flagged(key, reply) == set()


@pytest.mark.parametrize(
    "key",
    ["Do you have bladder control?", "Any bladder control?", "Bladder control present?",
     "Do you have sensation in your saddle area?", "Do you have erections?", "Any sex life?",
     "Do you have no fever?", "I have no fever", "Fever - no?", "No problems with bladder?",
     "Bladder: no problems", "Can you pass urine?", "Feeling well?"],
)  # fmt: skip
def test_a_no_there_is_a_doubt(key: str) -> None:
    assert flagged(key, "No")  # H2, H3, H5


@pytest.mark.parametrize(
    "key", ["Loss of bladder control", "No bladder control", "Feeling unwell?", "Any fever?"]
)
def test_a_no_to_the_signs_own_question_is_a_no(key: str) -> None:
    assert flagged(key, "no") == set()


@pytest.mark.parametrize(
    "reply",
    ["No bladder control", "No feeling in the saddle area", "Not able to control my bladder",
     "Leaking urine", "Can't pee"],
)  # fmt: skip
def test_a_screen_reply_that_opens_with_no_may_name_the_sign(reply: str) -> None:
    assert flagged("screen:nerve_signs", reply)  # H4


def test_a_screen_reply_that_denies_names_nothing() -> None:
    assert flagged("screen:nerve_signs", "No numbness in the saddle area") == set()
    assert flagged("screen:nerve_signs", "No numb groin") == set()


@pytest.mark.parametrize(
    "key", ["Fevers?", "Cancers?", "Footdrop?", "Nightpain", "Sciatic pain?", "Numb genitals?"]
)
def test_other_names_of_signs_are_read(key: str) -> None:
    assert flagged(key, "yes")  # H5


@pytest.mark.parametrize(
    ("age", "level"),
    [("in my seventies", "urgent"), ("late sixties", "urgent"), ("seventies", "urgent"),
     ("early sixties", None)],
)  # fmt: skip
def test_decades_in_words_are_read_as_decades(age: str, level: str | None) -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != "age_years"}
    answers |= {"sudden_sharp_onset": "yes", "onset_settling": "yes", "age_years": age}
    found = diagnose({"id": "t", "answers": answers}, RB)  # H6
    levels = {f["level"] for f in found["red_flags"] if f["id"] == "fracture_risk_sudden_onset"}
    assert levels == ({level} if level else set())


@pytest.mark.parametrize(
    ("key", "value"),
    [("Temperature", "36.6"), ("Temperature", 36.6), ("Body temp", "98.6F"),
     ("Temp (C)", "37,2"), ("Body temperature normal?", "yes"), ("Bowel habits", "regular"),
     ("Incontinence when jumping?", "no"),
     ("Bladder leaks when lifting heavy?", "no"), ("Pins and needles in hands?", "yes")],
)  # fmt: skip
def test_an_ordinary_intake_column_refers_no_one(key: str, value: Any) -> None:
    assert flagged(key, value) == set()  # M1


@pytest.mark.parametrize("value", ["38.2", "37,9", "high", "36.6 but chills", "999"])
def test_a_fever_or_an_unread_temperature_is_a_doubt(value: str) -> None:
    assert flagged("Temperature", value) == {"fever_or_unwell"}
