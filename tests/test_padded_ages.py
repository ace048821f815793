"""An age padded the way exports pad it is still the age (check 50, F6): a label
and hundreds of spaces, no-break spaces, zero-width spaces, dot leaders. Each lost
its number, and a settling sudden onset at 70 (urgent: a fracture risk) was read
as an age "not sure", one level lower (clinician)."""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose

RB = bundled_rulebase()
ONSET: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {
    "sudden_sharp_onset": "yes",
    "onset_settling": "yes",
}


def level(age: Any) -> str | None:
    found = diagnose({"id": "t", "answers": {**ONSET, "age_years": age}}, RB)
    levels = [f["level"] for f in found["red_flags"] if f["id"] == "fracture_risk_sudden_onset"]
    return levels[0] if levels else None


@pytest.mark.parametrize(
    "age",
    ["Age:" + " " * 400 + "70 (x)", "age" + "\u00a0" * 400 + "70 (x)",
     "\u200b" * 400 + "70 (x)", "\u200b" * 400 + "70", "Age " + "." * 80 + " 70 (x)",
     "Age " + "_" * 200 + " 70"],
)  # fmt: skip
def test_a_padded_age_is_the_age(age: str) -> None:
    assert level(age) == "urgent"


def test_the_threshold_holds_through_the_padding() -> None:
    # Urgent from 65 on (the fracture-risk combination): 64 stays the lower level.
    assert level("Age:" + " " * 400 + "65 (x)") == "urgent"
    assert level("Age:" + " " * 400 + "64 (x)") == "clinician"
    assert level("64") is None


def test_padding_past_what_is_read_is_not_sure() -> None:
    # Past 4,096 characters no number is looked for: not sure, never a clear age.
    assert level("\u200b" * 5000 + "70") == "clinician"


@pytest.mark.parametrize(
    ("age", "expected"),
    [(101, "urgent"), (120, "urgent"), (1e308, "urgent"), (100.4, "urgent"), ("101", "urgent"),
     (-70, "urgent"), ("-70", "urgent"), (5, "clinician"), (11.9, "clinician"), (100, "urgent")],
)  # fmt: skip
def test_an_age_out_of_range_is_read_as_the_nearest_age_and_as_not_sure(
    age: Any, expected: str
) -> None:
    # Check 51, F1: 101 read only as "not sure" referred one level lower than 100.
    assert level(age) == expected


def test_an_unsure_pulse_in_the_belly_past_a_hundred_is_an_emergency() -> None:
    answers = {**ONSET, "sudden_sharp_onset": "no", "pulsating_belly_or_tearing_pain": "unsure"}
    for age in (100, 101, 650):
        found = diagnose({"id": "t", "answers": {**answers, "age_years": age}}, RB)
        assert "emergency" in {f["level"] for f in found["red_flags"]}, age


@pytest.mark.parametrize(
    "age",
    ["I am seventy", "I am seventy (retired)", "aged seventy (x)", "about seventy",
     "over seventy (x)", "seventy-ish", "seventy-two-year-old", "seventy years old",
     "70 years of age", "a hundred and one (x)"],
)  # fmt: skip
def test_an_age_in_words_among_words_is_the_age(age: str) -> None:
    # Check 48, H5: digits were found anywhere in the text, words only alone; each of
    # these was "not sure" (clinician) where "aged 70 (x)" was urgent.
    assert level(age) == "urgent"


def test_an_age_in_words_under_the_threshold_is_read_both_ways() -> None:
    assert level("I am sixty-four (x)") == "clinician"  # 64, and not sure: the higher
    assert level("sixty-five (x)") == "urgent"
