"""The plan: each fix once, ordered by how much of the likely cause it addresses, the
break-and-return step last, and nothing at all with a red flag."""

from __future__ import annotations

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.presentation.output_model import validate
from legpress_diag.reasoning.diagnosis import CLOSING_FIX

RB = bundled_rulebase()
FORM = {"pelvis_tucks_under": "yes", "knee_angle_at_bottom": 70, "can_touch_toes": "no"}


def test_each_fix_once_ordered_by_summed_certainty() -> None:
    result = diagnose({"answers": {**FORM, "lower_back_rounds": "yes"}}, RB)
    validate(result)
    plan = result["plan"]
    fixes = [step["fix"] for step in plan]
    assert len(fixes) == len(set(fixes)) and set(fixes) == set(result["fixes"])
    certainty = {c["id"]: c["certainty"] for c in result["causes"]}
    for step in plan:
        assert step["weight"] == round(sum(certainty[c] for c in step["for_causes"]), 6)
    weights = [step["weight"] for step in plan if not step["closing"]]
    assert weights == sorted(weights, reverse=True)
    # Stopping at a right angle serves three causes here, more than anything else.
    assert fixes[0] == "stop_at_90_degrees"


def test_the_break_closes_the_plan_and_is_not_a_per_cause_item() -> None:
    result = diagnose({"answers": FORM}, RB)
    assert [s["fix"] for s in result["plan"] if s["closing"]] == [CLOSING_FIX]
    assert result["plan"][-1]["fix"] == CLOSING_FIX


def test_ties_follow_the_order_the_causes_declare() -> None:
    result = diagnose({"answers": {"pelvis_tucks_under": "yes", "knee_angle_at_bottom": 70}}, RB)
    # Both serve the same two causes; posterior_pelvic_tilt lists the right angle first.
    assert [s["fix"] for s in result["plan"][:2]] == ["stop_at_90_degrees", "keep_hips_on_pad"]


def test_no_plan_without_an_ok_status() -> None:
    referral = diagnose({"answers": {**FORM, "after_trauma": "yes"}}, RB)
    nothing = diagnose({"answers": {"butt_lifts_off_seat": "no"}}, RB)
    invalid = diagnose({"answers": {"knee_angle_at_bottom": 500}}, RB)
    assert referral["status"] == "refer" and referral["plan"] == []
    assert nothing["status"] == "no_fault_found" and nothing["plan"] == []
    assert invalid["status"] == "error" and invalid["plan"] == []
