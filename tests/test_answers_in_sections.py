"""A record's answers written in a form's sections are one record's answers.

A form tool that groups its questions writes a record's answers by section:
{"id": 1, "answers": {"profile": {"age_years": 70}, "safety": {...}, "technique":
{...}}}. Each section was read as a record keyed by name: two or three results for
one lifter, the sections without a screen errors, and an age in one section was
never beside a sudden onset in another (check 37, L3). Sections (named as a form
names them, plain answers, no id, different questions) are joined; groups that are
clients (named by name, or asking the same questions) are still read apart.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose, diagnose_many
from legpress_diag.knowledge.rulebase import RuleBase


def results(rb: RuleBase, record: dict[str, Any]) -> list[dict[str, Any]]:
    return list(diagnose_many([record], rb))


def test_an_age_and_an_onset_in_two_sections_are_read_together(rb: RuleBase) -> None:
    record = {
        "id": "c1",
        "answers": {
            "profile": {"age_years": 70},
            "safety": {"sudden_sharp_onset": "yes"},
            "technique": {"onset_settling": "no", "lower_back_rounds": "yes"},
        },
    }
    (result,) = results(rb, record)
    assert result["id"] == "c1" and result["status"] == "refer"
    flagged = {flag["id"]: flag["level"] for flag in result["red_flags"]}
    assert flagged["fracture_risk_sudden_onset"] == "urgent"
    assert any("3 sections" in w["message"] for w in result["warnings"])
    assert diagnose(record, rb)["red_flags"] == result["red_flags"]


def test_a_sign_in_one_section_refers_the_one_record(rb: RuleBase) -> None:
    record = {
        "id": 7,
        "answers": {"safety": {"saddle_numbness": "yes"}, "form": {"lower_back_rounds": "yes"}},
    }
    (result,) = results(rb, record)
    assert (result["id"], result["status"], result["errors"]) == (7, "refer", [])
    assert result["red_flags"][0]["level"] == "emergency"


def test_sections_beside_plain_answers_are_joined_with_them(rb: RuleBase) -> None:
    record = {
        "id": 2,
        "answers": {
            "age_years": 70,
            "safety": {"sudden_sharp_onset": "yes"},
            "form": {"onset_settling": "no"},
        },
    }
    (result,) = results(rb, record)
    assert "fracture_risk_sudden_onset" in {flag["id"] for flag in result["red_flags"]}


@pytest.mark.parametrize(
    "answers",
    [
        # clients keyed by name, not sections
        {"alice": {"saddle_numbness": "yes"}, "bob": {"lower_back_rounds": "yes"}},
        # the same question in both: visits or clients, never one form's sections
        {"safety": {"saddle_numbness": "yes"}, "form": {"saddle_numbness": "no"}},
    ],
)
def test_groups_that_are_not_sections_are_still_read_apart(
    rb: RuleBase, answers: dict[str, Any]
) -> None:
    found = results(rb, {"id": 3, "answers": answers})
    assert len(found) == 2
    assert any(flag["level"] == "emergency" for result in found for flag in result["red_flags"])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Block 1", "Block 2"),  # Qualtrics' default
        ("Intro", "Screening Questions"),
        ("personal", "clinical"),
        ("p1", "p2"),
        ("Seite 1", "Seite 2"),
    ],
)
def test_other_common_section_names_are_sections(rb: RuleBase, first: str, second: str) -> None:
    # A new user's P5 and P6: read as clients, the age was apart from the onset
    # (urgent read as clinician), and with "personal" the record's own id was lost.
    record = {
        "id": "c15",
        "answers": {first: {"age_years": 70}, second: {"sudden_sharp_onset": "yes"}},
    }
    (result,) = results(rb, record)
    assert result["id"] == "c15"
    assert "fracture_risk_sudden_onset" in {flag["id"] for flag in result["red_flags"]}


@pytest.mark.parametrize(
    "names",
    [("Q1", "Q2", "Q3"), ("Tab 1", "Tab 2", "Tab 3"), ("Página 1", "Página 2", "Página 3"),
     ("1", "2", "3"), ("A", "B", "C"), ("General", "Medical history", "Leg press"),
     # check 43, H6
     ("Q1.", "Q2.", "Q3."), ("I", "II", "III"), ("A1", "A2", "A3"), ("Sheet1", "Sheet2", "Sheet3"),
     ("Étape 1", "Étape 2", "Étape 3"), ("Bloque 1", "Bloque 2", "Bloque 3")],
)  # fmt: skip
def test_pages_named_as_forms_name_them_inside_answers(
    rb: RuleBase, names: tuple[str, ...]
) -> None:
    # Check 42, H5: split into three error records, a steroid course in one and a
    # sudden onset in another, the urgent fracture risk was lost.
    first, second, third = names
    record = {
        "id": "c42",
        "answers": {
            first: {"age_years": 40, "steroids_or_osteoporosis": "yes"},
            second: {"sudden_sharp_onset": "yes", "onset_settling": "no"},
            third: {"lower_back_rounds": "yes"},
        },
    }
    (result,) = results(rb, record)
    assert result["id"] == "c42"
    flagged = {flag["id"]: flag["level"] for flag in result["red_flags"]}
    assert flagged["fracture_risk_sudden_onset"] == "urgent"
