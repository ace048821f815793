"""An age given as a span is read when every test reads the whole span alike.

Forms offer age bands ("65-70"), and people write "70+", "over 65", "about 70". Each
was an unreadable age, "not sure" over the whole range, so a fracture-risk sign that
holds at every age in the band was raised as a guess, one level lower: clinician
where it is urgent (a new user's P7). A span is now read as its lowest age, with a
warning, when no test of the rule base tells two of its ages apart; a span across a
limit ("60-70" across 65) stays "not sure", the careful reading. "age 70" and Excel's
"=70" are 70.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.intake.answers import number_span
from legpress_diag.intake.interview import rebuild
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.thresholds import span_read_alike


def fracture(rb: RuleBase, age: Any) -> tuple[str, bool] | None:
    answers = {"age_years": age, "sudden_sharp_onset": "yes", "onset_settling": "no"}
    found = diagnose({"answers": {**answers, "lower_back_rounds": "yes"}}, rb)
    flags = {flag["id"]: (flag["level"], flag["unsure"]) for flag in found["red_flags"]}
    return flags.get("fracture_risk_sudden_onset")


@pytest.mark.parametrize(
    "age",
    ["65-70", "70 - 75", "65 to 70", "70+", "over 65", "65 and over", "70 or older",
     "at least 66", "~70", "about 70", "approx. 70", "70ish", "70 (approx)", "age 70",
     "Aged: 70", "=70", "70s", "the 70s", "late 60s", "in my 70s",
     # check 44, N3: a note of words only beside the age
     "70 (retired)", "70 (F)", "70 (years)", "70 y.o.", "70 years old.", "72 (at least)"],
)  # fmt: skip
def test_a_span_all_past_the_limit_is_read(rb: RuleBase, age: str) -> None:
    assert fracture(rb, age) == ("urgent", False)  # as for 70 itself


@pytest.mark.parametrize(
    "age",
    ["60-70", "about 64", "63+", "under 70", "60s", "mid 60s", "64ish",
     # check 43, H3: a note may put the age past the limit
     "64 (or 65)", "64 (last year)", "64 (not sure)", "64 (est.)", "30 (born 1950)"],
)  # fmt: skip
def test_a_span_across_the_limit_stays_not_sure(rb: RuleBase, age: str) -> None:
    assert fracture(rb, age) == ("clinician", True)  # urgent, one lower: a guess


@pytest.mark.parametrize("age", ["30-40", "under 40", "about 30", "30s", "early 60s"])
def test_a_young_span_is_read_young(rb: RuleBase, age: str) -> None:
    assert fracture(rb, age) is None


def test_the_warning_says_how_a_span_was_read(rb: RuleBase) -> None:
    found = diagnose({"answers": {"age_years": "70+"}}, rb)
    (warning,) = [w for w in found["warnings"] if w["key"] == "age_years"]
    assert "span (70 to 100)" in warning["message"] and "read as 70" in warning["message"]


def test_the_interview_reads_a_span_as_diagnose_does(rb: RuleBase) -> None:
    assert rebuild(rb, {"age_years": "70+"}).state.answers.get("age_years") == 70


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("65-70", (65, 70)),
        ("70+", (70, float("inf"))),
        ("under 20", (float("-inf"), 20)),
        ("~70", (68, 72)),
        ("late 60s", (66, 69)),
        ("70 (retired)", (70, 70)),
        ("64 (last year)", None),
        ("64 (ish)", (62, 66)),
        ("70 (approx)", (68, 72)),
        ("70-65", None),  # backwards: no span
        ("70", (70, 70)),  # a number (read as one before any span is looked for)
        ("sixty-five", None),
    ],
)
def test_number_span(text: str, span: tuple[float, float] | None) -> None:
    assert number_span(text) == span


def test_span_read_alike_at_the_limits(rb: RuleBase) -> None:
    # The bundled base tests the age at 65 (>= 65): 65 to 100 alike, 64 to 65 not.
    assert span_read_alike(rb, "age_years", 65, 100)
    assert not span_read_alike(rb, "age_years", 64, 65)
    assert span_read_alike(rb, "age_years", 70, float("inf"))
