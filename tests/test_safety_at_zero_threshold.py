"""The screen with the premise threshold at 0, its lowest allowed value.

A test on an unanswered question scores 0 (unknown), exactly this threshold. A flag
needs *more* than the threshold (docs/rule-format.md), so an unknown answer never
raises a flag, never clears one through its `unless`, and never stands in for a
certain risk factor, whatever the rule base's settings. With the default threshold
(0.2) these cases cannot be told apart from a `>=`; at 0 they can.
"""

from __future__ import annotations

from typing import Any

from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.sources import parse_rule_text

from .diagnose_raw import diagnose_answers

RULES = """
rulebase: {name: zero-threshold, version: "1"}
settings: {premise_threshold: 0, report_threshold: 0.2}
questions:
  - {id: numb, type: yes_no, group: safety, text: Numb?}
  - {id: weak, type: yes_no, group: safety, text: Weak?}
  - {id: fever, type: yes_no, group: safety, text: Fever?}
  - {id: chills, type: yes_no, group: safety, text: Chills?}
  - {id: sudden, type: yes_no, group: safety, text: Sudden?}
  - {id: settled, type: yes_no, group: safety, text: Settled?}
  - {id: age, type: number, group: safety, min: 12, max: 100, text: Age?}
  - {id: rounds, type: yes_no, text: Rounds?}
causes:
  - {id: rounding, title: Rounding, explanation: It rounds., fixes: [brace]}
fixes:
  - {id: brace, title: Brace, how: Brace first.}
rules:
  - {id: r1, if: rounds, then: rounding, cf: 0.8}
safety_flags:
  - id: numb_or_weak
    when: numb or weak
    level: urgent
    title: Numb or weak
    advice: See a doctor today.
  - id: fever_and_chills
    when: fever and chills
    level: urgent
    title: Fever and chills
    advice: See a doctor today.
  - id: fever_over_50
    when: age >= 50 and fever
    risk_factors: [age]
    level: urgent
    title: Fever at 50 or over
    advice: See a doctor today.
  - id: sudden_onset
    when: sudden
    unless: settled
    level: clinician
    title: Sudden onset
    advice: See a physiotherapist before you train again.
    if_cleared: It has settled; stop if it comes back.
"""


def rulebase() -> RuleBase:
    return build_rulebase([parse_rule_text(RULES.encode(), "zero.yaml")])


RB = rulebase()


def flags(**answers: Any) -> list[tuple[str, str, bool]]:
    result = diagnose_answers(RB, {"rounds": "yes", **answers})
    return [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]]


def test_the_threshold_really_is_zero() -> None:
    assert RB.settings.premise_threshold == 0.0


def test_a_no_and_an_unanswered_question_raise_no_flag() -> None:
    # 'numb or weak' scores max(-1, 0) = 0: unknown, not above the threshold.
    assert flags(numb="no") == []
    assert flags(numb="no", weak="yes") == [("numb_or_weak", "urgent", False)]


def test_an_unsure_sign_with_its_partner_unanswered_raises_no_flag() -> None:
    # Read as yes, 'fever' makes 'fever and chills' min(1, 0) = 0 with chills missing.
    assert flags(fever="unsure") == []
    assert flags(fever="unsure", chills="yes") == [("fever_and_chills", "clinician", True)]


def test_an_unanswered_risk_factor_is_not_a_certain_one() -> None:
    # Age and fever unsure: raised, one level lower, since the risk factor (age) is not
    # known for certain; with the age given, the unsure fever keeps the level.
    assert flags(age="unsure", fever="unsure", chills="no") == [
        ("fever_over_50", "clinician", True)
    ]
    assert flags(age=70, fever="unsure", chills="no") == [("fever_over_50", "urgent", True)]


def test_an_unanswered_unless_does_not_clear_a_flag() -> None:
    result = diagnose_answers(RB, {"rounds": "yes", "sudden": "yes"})
    assert [f["id"] for f in result["red_flags"]] == ["sudden_onset"]
    cleared = diagnose_answers(RB, {"rounds": "yes", "sudden": "yes", "settled": "yes"})
    assert cleared["red_flags"] == []
    assert "It has settled; stop if it comes back." in cleared["notes"]
