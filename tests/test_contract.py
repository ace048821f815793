"""Everything ../shared/contract.md promises exists under exactly its name."""

from __future__ import annotations

import pytest

from legpress_diag.api import diagnose
from legpress_diag.knowledge.rulebase import FlagLevel, QuestionType, RuleBase

SAFETY = {
    "saddle_numbness": "emergency",
    "bladder_bowel_change": "emergency",
    "progressive_leg_weakness": "emergency",
    "both_legs_symptoms": "emergency",
    "leg_pain_below_knee": "clinician",
    "constant_or_night_pain": "clinician",
    "after_trauma": "clinician",
    # v1's combined question: "clinician or higher"; it may stand for a fever (urgent).
    "systemic_symptoms": "urgent",
    # v2: the IFOMPT-based keys. Risk factors raise a flag of their own at clinician
    # level; their combinations are tested in test_safety.py.
    "sexual_function_change": "emergency",
    "fever_or_unwell": "urgent",
    "cancer_history": "clinician",
    "unexplained_weight_loss": "clinician",
    "sudden_sharp_onset": "clinician",
    "upper_back_or_chest_pain": "clinician",
    "not_improving": "clinician",
    # v3
    "pulsating_belly_or_tearing_pain": "emergency",
    "new_leg_weakness": "urgent",
}
# v2 and v3 risk factors: a question of the screen with no flag of its own; they raise
# the level only in the combinations the rule base defines.
RISK_FACTORS = {
    "weakened_immunity_or_iv_drugs": "fever_or_unwell",
    "steroids_or_osteoporosis": "sudden_sharp_onset",
    "recent_spinal_procedure": "not_improving",
}
QUESTIONS = {
    "pain_location": ("multi", ["lower_back", "knees", "hips", "other"]),
    "pain_timing": ("choice", ["bottom_of_rep", "lowering", "pushing", "lockout", "after_session"]),
    "butt_lifts_off_seat": ("yes_no", []),
    "lower_back_rounds": ("yes_no", []),
    "pelvis_tucks_under": ("yes_no", []),
    "knee_angle_at_bottom": ("number", []),
    "core_braced": ("choice", ["always", "sometimes", "never"]),
    "can_touch_toes": ("yes_no", []),
    "rep_tempo": ("choice", ["slow", "moderate", "fast"]),
    "pain_worse_with_heavier_load": ("yes_no", []),
    "heels_lift": ("yes_no", []),
    "knees_lock_out": ("yes_no", []),
    "knees_cave_in": ("yes_no", []),
    "limb_length": ("choice", ["short", "average", "long"]),
    "injury_history": ("multi", ["back", "knee"]),
    "machine_type": ("choice", ["incline_45", "horizontal_seated", "vertical", "supine", "other"]),
    "equipment_available": (
        "multi",
        ["hack_squat", "supine_leg_press", "swiss_ball", "dumbbells", "kettlebell"],
    ),
}
CAUSES = [
    "posterior_pelvic_tilt",
    "butt_off_seat",
    "no_core_bracing",
    "excess_depth",
    "tight_hamstrings",
    "too_much_weight",
    "fast_reps",
    "knee_lockout",
    "knees_caving",
    "heels_lifting",
    "long_limbs",
    "injury_history",
]
ALTERNATIVES = ["supine_leg_press", "hack_squat", "swiss_ball_wall_squat"]


@pytest.mark.parametrize(("qid", "level"), SAFETY.items())
def test_safety_question_and_flag(rb: RuleBase, qid: str, level: str) -> None:
    assert rb.questions[qid].type is QuestionType.YES_NO
    assert rb.safety_flags[qid].level is FlagLevel(level)
    result = diagnose({"answers": {qid: "yes", "butt_lifts_off_seat": "yes"}}, rb)
    assert result["status"] == "refer"
    assert [(f["id"], f["level"]) for f in result["red_flags"]] == [(qid, level)]
    assert result["red_flags"][0]["because"] == [{"key": qid, "answer": "yes"}]
    # v2: no exercise advice with any flag; form causes only as information.
    assert result["fixes"] == {} and result["alternatives"] == []
    assert all(c["fixes"] == [] and c["information_only"] for c in result["causes"])
    if level == "emergency":
        assert result["causes"] == []


@pytest.mark.parametrize(("qid", "trigger"), RISK_FACTORS.items())
def test_a_risk_factor_is_on_the_screen_and_counts_only_in_combination(
    rb: RuleBase, qid: str, trigger: str
) -> None:
    assert rb.questions[qid].type is QuestionType.YES_NO and qid in rb.safety_questions()
    assert qid not in rb.safety_flags
    alone = diagnose({"answers": {qid: "yes", "butt_lifts_off_seat": "yes"}}, rb)
    assert alone["red_flags"] == []
    both = diagnose({"answers": {qid: "yes", trigger: "yes"}}, rb)
    assert "urgent" in {f["level"] for f in both["red_flags"]}


def test_v3_follow_ups_and_age_bound_flags(rb: RuleBase) -> None:
    assert rb.questions["onset_settling"].follow_up_of == "sudden_sharp_onset"
    settled = {"sudden_sharp_onset": "yes", "onset_settling": "yes", "age_years": 28}
    assert diagnose({"answers": settled}, rb)["red_flags"] == []
    young = {"morning_stiffness": "yes", "age_years": 30}
    assert [f["level"] for f in diagnose({"answers": young}, rb)["red_flags"]] == ["clinician"]
    assert diagnose({"answers": {**young, "age_years": 45}}, rb)["red_flags"] == []


def test_age_is_a_number_question_of_the_screen(rb: RuleBase) -> None:
    question = rb.questions["age_years"]
    assert question.type is QuestionType.NUMBER
    assert (question.minimum, question.maximum) == (12, 100)
    assert "age_years" in rb.safety_questions()


@pytest.mark.parametrize(("qid", "spec"), QUESTIONS.items())
def test_question_types_and_choices(rb: RuleBase, qid: str, spec: tuple[str, list[str]]) -> None:
    question = rb.questions[qid]
    assert question.type.value == spec[0]
    assert list(question.choice_values) == spec[1]


def test_knee_angle_range(rb: RuleBase) -> None:
    q = rb.questions["knee_angle_at_bottom"]
    assert (q.minimum, q.maximum, q.unit) == (20, 180, "degrees")


@pytest.mark.parametrize("cause", CAUSES)
def test_every_contract_cause_exists_and_has_fixes(rb: RuleBase, cause: str) -> None:
    assert rb.causes[cause].fixes and rb.rules_by_conclusion[cause]


@pytest.mark.parametrize("alt", ALTERNATIVES)
def test_every_contract_alternative_exists(rb: RuleBase, alt: str) -> None:
    assert rb.alternatives[alt].title


def test_result_shape_and_statuses(rb: RuleBase) -> None:
    ok = diagnose({"id": "c-1", "answers": {"butt_lifts_off_seat": True}}, rb)
    # Contract v3: causes without a complete safety screen are "unscreened", never "ok".
    assert ok["id"] == "c-1" and ok["status"] == "unscreened"
    cause = ok["causes"][0]
    # The default explains each cause by the answers and rules behind it (issue 12);
    # the rule-level reasoning comes with explain=True.
    assert {"id", "title", "certainty", "fixes", "because"} <= set(cause)
    assert "reasoning" not in cause and "facts" not in ok
    assert 0 <= cause["certainty"] <= 1 and cause["fixes"][0]["title"]
    assert cause["because"] == {
        "answers": {"butt_lifts_off_seat": "yes"},
        "rules": ["butt-lift-seen"],
    }
    ok = diagnose({"id": "c-1", "answers": {"butt_lifts_off_seat": True}}, rb, explain=True)
    cause = ok["causes"][0]
    assert {"id", "title", "certainty", "fixes", "because", "reasoning"} <= set(cause)
    assert cause["reasoning"]["rules"][0]["answers"] == {"butt_lifts_off_seat": "yes"}
    assert cause["reasoning"]["because"] == [
        {"question": "butt_lifts_off_seat", "answer": "yes", "in_words": "yes"}
    ]
    assert set(ok["rulebase"]) == {"name", "version", "hash"}
    assert diagnose({"id": 7, "answers": {}}, rb)["status"] == "no_fault_found"
    bad = diagnose({"answers": {"knee_angle_at_bottom": 10}}, rb)
    assert bad["status"] == "error" and bad["errors"][0]["key"] == "knee_angle_at_bottom"
    assert "20 to 180" in bad["errors"][0]["expected"]


def test_unknown_keys_warn_by_default_and_fail_when_strict(rb: RuleBase) -> None:
    lenient = diagnose({"answers": {"butt_lift": "yes"}}, rb)
    assert lenient["status"] == "no_fault_found"
    unknown = [w for w in lenient["warnings"] if w["key"] == "butt_lift"]
    assert len(unknown) == 1 and "butt_lifts_off_seat" in unknown[0]["message"]
    strict = diagnose({"answers": {"butt_lift": "yes"}}, rb, strict=True)
    assert strict["status"] == "error"


def test_alternatives_follow_equipment(rb: RuleBase) -> None:
    # With no other equipment, only what needs none: the split squat starts with the
    # body's own weight (a new user found a gym with nothing else got no alternative).
    answers = {"pelvis_tucks_under": "yes", "equipment_available": []}
    alone = [a["id"] for a in diagnose({"answers": answers}, rb)["alternatives"]]
    assert alone == ["bulgarian_split_squat"]
    answers["equipment_available"] = ["hack_squat"]
    with_hack = [a["id"] for a in diagnose({"answers": answers}, rb)["alternatives"]]
    assert with_hack == ["hack_squat", "bulgarian_split_squat"]


def test_reasoning_traces_through_derived_facts_once(rb: RuleBase) -> None:
    result = diagnose(
        {"answers": {"lower_back_rounds": "yes", "can_touch_toes": "no"}}, rb, explain=True
    )
    causes = {c["id"]: c for c in result["causes"]}
    tilt = causes["posterior_pelvic_tilt"]["reasoning"]
    assert tilt["facts"] == ["lumbar_flexion"]
    assert [r["rule"] for r in tilt["rules"]] == ["tilt-with-flexion"]
    assert tilt["rules"][0]["facts"] == {"lumbar_flexion": 0.9}
    assert [b["question"] for b in tilt["because"]] == [
        "lower_back_rounds"
    ]  # found through the fact
    assert list(result["facts"]) == ["lumbar_flexion"]  # shared by both causes, given once
    flexion = result["facts"]["lumbar_flexion"]
    assert flexion["rules"][0]["rule"] == "flexion-from-rounding"
    assert flexion["rules"][0]["defined_at"].startswith("<bundled>/back.yaml:")
    hamstrings = causes["tight_hamstrings"]["reasoning"]
    # Knowledge v2 (issue 13): failing the toe touch counts only with the rounding or
    # with back pain, so without back pain a single rule fires.
    assert hamstrings["arithmetic"] == ["start at 0.63"]
    with_pain = {
        "lower_back_rounds": "yes",
        "can_touch_toes": "no",
        "pain_location": ["lower_back"],
    }
    causes = {c["id"]: c for c in diagnose({"answers": with_pain}, rb, explain=True)["causes"]}
    assert causes["tight_hamstrings"]["reasoning"]["arithmetic"] == [
        "start at 0.63",
        "0.63 + (0.3) × (1 - 0.63) = 0.741",
    ]


def test_a_fact_that_added_nothing_is_not_listed(rb: RuleBase) -> None:
    # long-legs-with-flexion reads 'lumbar_flexion or deep_bottom_position'; only one holds.
    answers = {"limb_length": "long", "pelvis_tucks_under": "yes"}
    result = diagnose({"answers": answers}, rb, explain=True)
    long_limbs = next(c for c in result["causes"] if c["id"] == "long_limbs")
    assert long_limbs["reasoning"]["facts"] == ["lumbar_flexion"]
    assert "deep_bottom_position" not in result["facts"]
