"""Behaviour exactly at the two thresholds, as docs/rule-format.md states it.

* A cause is reported when its certainty *reaches* the report threshold (>=).
* A rule fires when its condition scores *above* the premise threshold (>), so a
  premise exactly at the threshold does not fire.

A certainty factor of 0.2 times a premise of 1.0 is exactly 0.2, the default of both
thresholds, so these cases sit on the boundary with no rounding involved.
"""

from __future__ import annotations

import pytest

from legpress_diag.intake.answers import read_answers
from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.sources import parse_rule_text
from legpress_diag.reasoning.diagnosis import diagnose_answers
from legpress_diag.reasoning.engine import infer, ranked

BASE = """
rulebase: {name: thresholds, version: "1"}
questions:
  - {id: a, type: yes_no, text: A?}
  - {id: b, type: yes_no, text: B?}
facts:
  - {id: f, title: F}
  - {id: g, title: G}
causes:
  - {id: c1, title: C1, explanation: c1, fixes: [fx]}
fixes:
  - {id: fx, title: Fix, how: do it}
"""


def rulebase(rules: str) -> RuleBase:
    text = BASE + "rules:\n" + rules
    return build_rulebase([parse_rule_text(text.encode(), "thresholds.yaml")])


def test_both_thresholds_are_0_2_here() -> None:
    settings = rulebase("  - {id: r1, if: a, then: c1, cf: 0.5}\n").settings
    assert settings.report_threshold == settings.premise_threshold == 0.2


# --- the report threshold: reaching it is enough -------------------------------------

AT_REPORT = "  - {id: r1, if: a, then: c1, cf: 0.2}\n"


def test_a_cause_exactly_at_the_report_threshold_is_reported() -> None:
    rb = rulebase(AT_REPORT)
    result = diagnose_answers(rb, read_answers(rb, {"a": "yes"}), record_id=1)
    # A rule base without a screen reports causes as "unscreened", never "ok".
    assert result["status"] == "unscreened"
    assert [(c["id"], c["certainty"]) for c in result["causes"]] == [("c1", 0.2)]


def test_the_engine_ranking_reports_a_cause_at_the_threshold_too() -> None:
    assert ranked(rulebase(AT_REPORT), {"a": True}) == [("c1", 0.2)]


def test_at_threshold_0_only_the_causes_rules_concluded_are_reported() -> None:
    """A cause no rule concluded has no certainty at all, not 0: at ``--threshold 0``
    it is left out (a diagnosis once failed there looking its belief up, exit 3)."""
    with_idle_cause = BASE.replace(
        "causes:\n", "causes:\n  - {id: c0, title: C0, explanation: c0, fixes: [fx]}\n"
    )
    text = with_idle_cause + "rules:\n" + AT_REPORT
    rb = build_rulebase([parse_rule_text(text.encode(), "thresholds.yaml")])
    assert set(rb.causes) == {"c0", "c1"}
    result = diagnose_answers(rb, read_answers(rb, {"a": "yes"}), record_id=1, threshold=0.0)
    assert [(c["id"], c["certainty"]) for c in result["causes"]] == [("c1", 0.2)]
    assert ranked(rb, {"a": True}, 0.0) == [("c1", 0.2)]
    no = diagnose_answers(rb, read_answers(rb, {"a": "no"}), record_id=2, threshold=0.0)
    assert no["causes"] == []


def test_a_cause_just_below_the_report_threshold_is_not() -> None:
    rb = rulebase("  - {id: r1, if: a, then: c1, cf: 0.19}\n")
    result = diagnose_answers(rb, read_answers(rb, {"a": "yes"}), record_id=1)
    assert result["status"] == "no_fault_found" and result["causes"] == []


# --- the premise threshold: a rule needs more than it ---------------------------------

# r1 believes f at exactly 0.2. r2 reads f through 'or' (b is unanswered, so it scores
# 0), which keeps the engine's shortcut for bare facts in a conjunction out of the way:
# r2's premise is computed, and is exactly the threshold.
PREMISE = """
  - {{id: r1, if: a, then: f, cf: {cf}}}
  - {{id: r2, if: f or b, then: c1, cf: 1.0}}
"""


@pytest.mark.parametrize(
    ("cf", "fires"), [(0.2, False), (0.21, True)], ids=["at threshold", "just above"]
)
def test_a_premise_exactly_at_the_threshold_does_not_fire(cf: float, fires: bool) -> None:
    rb = rulebase(PREMISE.format(cf=cf))
    assert rb.index.plan is not None  # acyclic: the one-pass stratified engine runs
    reasoning = infer(rb, {"a": True})
    assert reasoning.beliefs["f"] == cf
    assert ("r2" in reasoning.premises) is fires
    assert ("c1" in reasoning.beliefs) is fires


def test_the_agenda_engine_agrees_at_the_premise_threshold() -> None:
    # g and f conclude each other, so there is no one-pass plan and the agenda runs.
    loop = "  - {id: r3, if: f, then: g, cf: 0.5}\n  - {id: r4, if: g, then: f, cf: 0.5}\n"
    rb = rulebase(PREMISE.format(cf=0.2) + loop)
    assert rb.index.plan is None
    reasoning = infer(rb, {"a": True})
    assert reasoning.beliefs["f"] == 0.2
    assert "r2" not in reasoning.premises and "c1" not in reasoning.beliefs
