"""Safety screen v3 (contract v3, issue 21): the right level every time, no referral
for an ordinary tweak, and no result called "ok" without a complete screen.

Each case is a lifter's story told in answers, written from the stories before the
rules were changed; the expected level is the one a sports physiotherapist gives.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.knowledge.rulebase import RuleBase

# A complete v3 screen with nothing to report: every safety question "no", age 30.
CLEAR: dict[str, Any] = {
    "age_years": 30,
    "saddle_numbness": "no",
    "bladder_bowel_change": "no",
    "sexual_function_change": "no",
    "progressive_leg_weakness": "no",
    "new_leg_weakness": "no",
    "both_legs_symptoms": "no",
    "leg_pain_below_knee": "no",
    "fever_or_unwell": "no",
    "unexplained_weight_loss": "no",
    "cancer_history": "no",
    "weakened_immunity_or_iv_drugs": "no",
    "recent_spinal_procedure": "no",
    "steroids_or_osteoporosis": "no",
    "constant_or_night_pain": "no",
    "upper_back_or_chest_pain": "no",
    "pulsating_belly_or_tearing_pain": "no",
    "after_trauma": "no",
    "sudden_sharp_onset": "no",
    "not_improving": "no",
    "morning_stiffness": "no",
}
# What a lifter whose butt peels off the seat at a deep bottom says about form.
FORM: dict[str, Any] = {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 60}


def run(rb: RuleBase, **answers: Any) -> dict[str, Any]:
    return dict(api.diagnose({"answers": {**CLEAR, **FORM, **answers}}, rb))


def level_of(result: dict[str, Any]) -> str | None:
    flags = result["red_flags"]
    return flags[0]["level"] if flags else None


def flag_ids(result: dict[str, Any]) -> set[str]:
    return {flag["id"] for flag in result["red_flags"]}


def test_a_clear_complete_screen_is_ok_with_advice(rb: RuleBase) -> None:
    result = run(rb)
    assert result["status"] == "ok"
    assert result["causes"] and result["fixes"] and not result["red_flags"]


# --- Under-triage ------------------------------------------------------------------


def test_a_pulsing_belly_is_an_emergency_with_the_number_and_nothing_else(rb: RuleBase) -> None:
    # 71, a smoker, new deep ache, "a throbbing in my belly, like I can feel my pulse".
    result = run(rb, age_years=71, pulsating_belly_or_tearing_pain="yes")
    assert result["status"] == "refer" and level_of(result) == "emergency"
    advice = result["red_flags"][0]["advice"]
    assert "999" in advice and "911" in advice and "112" in advice
    assert "emergency" in advice
    assert result["causes"] == [] and result["fixes"] == {} and result["alternatives"] == []


def test_an_unsure_pulsing_belly_refers_the_same_day_and_lists_no_form_causes(
    rb: RuleBase,
) -> None:
    result = run(rb, pulsating_belly_or_tearing_pain="unsure")
    assert level_of(result) == "urgent"
    assert result["red_flags"][0]["unsure"] is True
    assert result["causes"] == []


@pytest.mark.parametrize("fever", ["unsure", "maybe", None, "yes"])
def test_worsening_pain_after_a_spinal_injection_is_urgent_whatever_the_fever(
    rb: RuleBase, fever: Any
) -> None:
    # 63, three weeks after an epidural, worse every day, "shivery maybe".
    result = run(
        rb, age_years=63, recent_spinal_procedure="yes", not_improving="yes", fever_or_unwell=fever
    )
    assert level_of(result) == "urgent"
    assert "spinal_procedure_with_worsening" in flag_ids(result)


def test_a_certain_risk_factor_keeps_its_level_when_only_the_trigger_is_unsure(
    rb: RuleBase,
) -> None:
    # Version 2 lowered this combination to clinician: the risk factor is certain.
    result = run(rb, weakened_immunity_or_iv_drugs="yes", fever_or_unwell="unsure")
    combo = next(f for f in result["red_flags"] if f["id"] == "infection_risk_with_fever")
    assert combo["level"] == "urgent" and combo["unsure"] is True
    # A spinal procedure with an unsure fever: the same rule.
    result = run(rb, recent_spinal_procedure="yes", fever_or_unwell="unsure")
    assert level_of(result) == "urgent"


def test_an_unsure_risk_factor_still_lowers_the_combination(rb: RuleBase) -> None:
    # The trigger is certain, the risk factor is not: one level lower, as in v2.
    result = run(rb, weakened_immunity_or_iv_drugs="unsure", constant_or_night_pain="yes")
    combo = next(f for f in result["red_flags"] if f["id"] == "infection_risk_with_persistent_pain")
    assert combo["level"] == "clinician" and combo["unsure"] is True
    result = run(rb, cancer_history="unsure", constant_or_night_pain="yes")
    combo = next(f for f in result["red_flags"] if f["id"] == "cancer_with_warning_signs")
    assert combo["level"] == "clinician"


def test_a_spinal_procedure_alone_is_a_risk_factor_not_a_referral(rb: RuleBase) -> None:
    # An epidural in childbirth two months ago, no fever, pain easing: form advice.
    result = run(rb, recent_spinal_procedure="yes")
    assert result["status"] == "ok" and not result["red_flags"]


def test_an_unsure_saddle_sign_with_sciatica_stays_an_emergency(rb: RuleBase) -> None:
    result = run(rb, saddle_numbness="unsure", leg_pain_below_knee="yes")
    assert level_of(result) == "emergency" and result["causes"] == []
    assert "nerve_signs_with_sciatica" in flag_ids(result)
    # Unsure alone is one level lower, as always.
    assert level_of(run(rb, saddle_numbness="unsure")) == "urgent"


@pytest.mark.parametrize(("age", "expected"), [(59, "urgent"), (60, "emergency")])
def test_an_unsure_pulsing_belly_from_60_is_an_emergency(
    rb: RuleBase, age: int, expected: str
) -> None:
    assert level_of(run(rb, age_years=age, pulsating_belly_or_tearing_pain="unsure")) == expected


def test_chest_pain_with_effort_is_urgent_and_its_follow_up_is_part_of_the_screen(
    rb: RuleBase,
) -> None:
    result = run(rb, upper_back_or_chest_pain="yes", chest_pain_with_exertion="yes")
    assert level_of(result) == "urgent"
    missing = run(rb, upper_back_or_chest_pain="yes")
    assert "chest_pain_with_exertion" in missing["warnings"][0]["message"]


def test_the_v1_question_yields_to_v2_parts_that_explain_it_without_a_fever(
    rb: RuleBase,
) -> None:
    # 60, a skin cancer long ago: the v1 "yes" is the cancer, and the v2 parts say so.
    explained = run(rb, age_years=60, systemic_symptoms="yes", cancer_history="yes")
    assert flag_ids(explained) == {"cancer_history"} and level_of(explained) == "clinician"
    # Every part "no" contradicts the "yes": nobody can tell, so the flag stays.
    contradicted = run(rb, systemic_symptoms="yes")
    assert "systemic_symptoms" in flag_ids(contradicted) and level_of(contradicted) == "urgent"


def test_a_new_weakness_that_is_not_getting_worse_is_urgent(rb: RuleBase) -> None:
    # "My foot slaps down, the same as last week."
    result = run(rb, new_leg_weakness="yes", progressive_leg_weakness="no")
    assert level_of(result) == "urgent"
    assert result["causes"], "an urgent referral still lists form causes for the clinician"
    assert all(cause["information_only"] for cause in result["causes"])
    assert result["fixes"] == {} and result["alternatives"] == []


def test_both_legs_asks_about_sciatica_that_switches_sides(rb: RuleBase) -> None:
    text = rb.questions["both_legs_symptoms"].text
    assert "switching from one leg to the other" in text
    item = dict(rb.screens["nerve_signs"].items)["both_legs_symptoms"]
    assert "switching" in item


# --- Over-triage -------------------------------------------------------------------


def test_a_twinge_that_has_clearly_settled_gets_form_advice_with_a_safety_net(
    rb: RuleBase,
) -> None:
    # 28, a single sharp twinge during a set, "basically gone" the next day.
    result = run(rb, age_years=28, sudden_sharp_onset="yes", onset_settling="yes")
    assert result["status"] == "ok" and not result["red_flags"]
    assert result["fixes"]
    assert any("comes back" in note and "see a" in note for note in result["notes"])


@pytest.mark.parametrize("settling", ["no", "unsure", None])
def test_a_sudden_onset_that_has_not_clearly_settled_is_referred(
    rb: RuleBase, settling: Any
) -> None:
    result = run(rb, age_years=28, sudden_sharp_onset="yes", onset_settling=settling)
    assert result["status"] == "refer" and level_of(result) == "clinician"
    assert "sudden_sharp_onset" in flag_ids(result)


def test_a_sudden_onset_left_without_its_follow_up_is_an_incomplete_screen(
    rb: RuleBase,
) -> None:
    answers = {**CLEAR, **FORM, "sudden_sharp_onset": "yes"}
    result = api.diagnose({"answers": answers}, rb)
    assert result["status"] == "refer"
    warning = next(w for w in result["warnings"] if w["key"] == "safety_screen_incomplete")
    assert "onset_settling" in warning["message"]
    # Without a sudden onset, the follow-up is not part of a complete screen.
    assert api.diagnose({"answers": {**CLEAR, **FORM}}, rb)["status"] == "ok"


def test_a_settled_sudden_onset_with_a_fracture_risk_factor_is_still_urgent(
    rb: RuleBase,
) -> None:
    result = run(rb, age_years=67, sudden_sharp_onset="yes", onset_settling="yes")
    assert level_of(result) == "urgent"
    result = run(rb, sudden_sharp_onset="yes", onset_settling="yes", steroids_or_osteoporosis="yes")
    assert level_of(result) == "urgent"


def test_an_old_cancer_at_55_is_a_clinician_referral_not_a_same_day_one(rb: RuleBase) -> None:
    # A skin cancer treated 20 years ago; age 55; nothing else.
    result = run(rb, age_years=55, cancer_history="yes")
    assert level_of(result) == "clinician"
    assert flag_ids(result) == {"cancer_history"}
    # With another warning sign it is the same day.
    assert level_of(run(rb, age_years=55, cancer_history="yes", not_improving="yes")) == "urgent"


@pytest.mark.parametrize(("age", "expected"), [(30, "clinician"), (44, "clinician"), (45, None)])
def test_long_morning_stiffness_under_45_sees_a_gp(
    rb: RuleBase, age: int, expected: str | None
) -> None:
    result = run(rb, age_years=age, morning_stiffness="yes")
    assert level_of(result) == expected
    if expected:
        assert "stiffness" in result["red_flags"][0]["advice"]


# --- Wording -----------------------------------------------------------------------


def test_the_questions_name_what_lifters_actually_take(rb: RuleBase) -> None:
    needle = rb.questions["weakened_immunity_or_iv_drugs"].text.lower()
    assert "steroids or any other drugs by needle" in needle
    bones = rb.questions["steroids_or_osteoporosis"]
    assert "corticosteroid" in bones.text and "anabolic" in bones.help
    assert "spine" in rb.questions["recent_spinal_procedure"].text
    assert "week to week" in rb.questions["not_improving"].text
    assert "not the tired legs" in rb.questions["leg_pain_below_knee"].text


def test_no_flag_text_names_or_prejudges_a_condition(rb: RuleBase) -> None:
    for flag in rb.safety_flags.values():
        said = " ".join((flag.title, flag.advice, flag.if_unsure)).lower()
        for word in ("fracture", "x-ray", "infection needs", "tumour", "cancer spread"):
            assert word not in said, (flag.id, word)


def test_every_emergency_text_gives_the_emergency_numbers(rb: RuleBase) -> None:
    from legpress_diag.knowledge.rulebase import FlagLevel
    from legpress_diag.reasoning.safety import REFERRAL_NOTES

    assert "999" in REFERRAL_NOTES[FlagLevel.EMERGENCY]
    for flag in rb.safety_flags.values():
        if flag.level is FlagLevel.EMERGENCY:
            assert "999" in flag.advice and "112" in flag.advice, flag.id


def test_a_clinician_referral_says_what_to_bring_and_to_come_back(rb: RuleBase) -> None:
    result = run(rb, leg_pain_below_knee="yes")
    note = " ".join(result["notes"])
    assert "Bring these answers" in note and "run this check again" in note


# --- Around the screen ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["saddle_numbness", "bladder_bowel_change", "both_legs_symptoms"])
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_an_emergency_sign_yes_or_unsure_lists_no_form_cause(
    rb: RuleBase, key: str, answer: str
) -> None:
    result = run(rb, **{key: answer, "pain_worse_with_heavier_load": "yes"})
    assert result["status"] == "refer"
    assert result["causes"] == [] and result["fixes"] == {} and result["plan"] == []


def test_form_answers_without_a_screen_are_unscreened_not_ok(rb: RuleBase) -> None:
    result = api.diagnose({"answers": FORM}, rb)
    assert result["status"] == "unscreened"
    assert result["causes"] and result["fixes"]  # the advice is there, marked unscreened
    warning = result["warnings"][0]
    assert warning["key"] == "safety_screen_incomplete"
    assert "saddle_numbness" in warning["message"]


def test_a_v2_screen_without_the_v3_keys_is_unscreened(rb: RuleBase) -> None:
    v3_keys = {
        "new_leg_weakness",
        "recent_spinal_procedure",
        "pulsating_belly_or_tearing_pain",
        "morning_stiffness",
    }
    v2 = {k: v for k, v in CLEAR.items() if k not in v3_keys}
    result = api.diagnose({"answers": {**v2, **FORM}}, rb)
    assert result["status"] == "unscreened"
    message = result["warnings"][0]["message"]
    assert all(key in message for key in v3_keys)


def test_one_missing_safety_answer_is_enough_to_be_unscreened(rb: RuleBase) -> None:
    for key in rb.index.screen_questions:
        if rb.questions[key].follow_up_of:
            continue
        answers = {k: v for k, v in {**CLEAR, **FORM}.items() if k != key}
        assert api.diagnose({"answers": answers}, rb)["status"] == "unscreened", key


def test_no_fault_found_stays_no_fault_found_without_a_screen(rb: RuleBase) -> None:
    result = api.diagnose({"answers": {"butt_lifts_off_seat": "no"}}, rb)
    assert result["status"] == "no_fault_found"


def test_a_rule_base_without_a_screen_is_unscreened(write: Any) -> None:
    from legpress_diag.api import load_rulebase

    path = write(
        "solo.yaml",
        """
        rulebase: {name: solo, version: "1"}
        questions:
          - {id: a, type: yes_no, text: A?}
        causes:
          - {id: c, title: C, explanation: Because., fixes: [f]}
        fixes:
          - {id: f, title: F, how: Do it.}
        rules:
          - {id: r, if: a, then: c, cf: 0.9, source: test}
        """,
    )
    solo = load_rulebase([path], include_bundled=False)
    result = api.diagnose({"answers": {"a": "yes"}}, solo)
    assert result["status"] == "unscreened"


# --- One reading of a safety answer (issue 20, items 1, 2 and 14) ---------------------


def test_null_for_a_safety_answer_is_not_sure_never_missing(rb: RuleBase) -> None:
    result = run(rb, saddle_numbness=None)
    assert result["status"] == "refer"
    flag = result["red_flags"][0]
    assert flag["id"] == "saddle_numbness" and flag["unsure"] is True


@pytest.mark.parametrize(
    "key",
    [
        "ｓａｄｄｌｅ_ｎｕｍｂｎｅｓｓ",  # full-width
        "𝐬𝐚𝐝𝐝𝐥𝐞_𝐧𝐮𝐦𝐛𝐧𝐞𝐬𝐬",  # mathematical bold
        "ѕаddlе_numbnеѕѕ",  # Cyrillic look-alikes
        "ꜱᴀᴅᴅʟᴇ_ɴᴜᴍʙɴᴇꜱꜱ",  # Latin small capitals (check 38, L2)
        "Saddle-Numbness",
    ],
)
def test_a_safety_key_written_with_look_alike_letters_is_that_question(
    rb: RuleBase, key: str
) -> None:
    answers = {k: v for k, v in {**CLEAR, **FORM}.items() if k != "saddle_numbness"}
    result = api.diagnose({"answers": {**answers, key: "yes"}}, rb)
    assert result["status"] == "refer" and level_of(result) == "emergency"
    assert any("read as 'saddle_numbness'" in w["message"] for w in result["warnings"])


def test_an_age_written_as_text_is_read_as_the_number_with_a_warning(rb: RuleBase) -> None:
    result = run(rb, age_years="70", sudden_sharp_onset="yes", onset_settling="yes")
    assert level_of(result) == "urgent"
    assert "fracture_risk_sudden_onset" in flag_ids(result)
    warning = next(w for w in result["warnings"] if w["key"] == "age_years")
    assert "read as the number 70" in warning["message"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("seventy", 70),
        ("Seventy-two", 72),
        ("65,5", 65.5),
        (" 70 years ", 70),
        # Attack round 10, M3: what ask and the web page read, a record reads too.
        ("70!", 70),
        ("\uff17\uff10", 70),  # full-width digits
        ("7e1", 70),
    ],
)
def test_an_age_typed_as_the_questionnaire_reads_it_is_that_number(
    rb: RuleBase, text: str, number: float
) -> None:
    """Attack round 9, M3: "seventy" and "65,5" were 70 and 65.5 typed in `ask` or on the
    web page, but errors in a record, which dropped the fracture-risk sign from urgent
    to clinician. One reading now, the questionnaire's, with a warning."""
    result = run(rb, age_years=text, sudden_sharp_onset="yes", onset_settling="yes")
    assert level_of(result) == "urgent" and not result["errors"]
    warning = next(w for w in result["warnings"] if w["key"] == "age_years")
    assert f"read as the number {number:g}" in warning["message"]


@pytest.mark.parametrize("text", ["70 apples", "1_000", "nan", "inf", "", "years", "1,2,3"])
def test_an_age_that_is_not_plainly_a_number_stays_unreadable(rb: RuleBase, text: str) -> None:
    result = run(rb, age_years=text)
    assert any(e["key"] == "age_years" for e in result["errors"])


# --- Rule files cannot weaken the screen, at load time (issue 20, item 3) --------------


def _load_with(write: Any, text: str) -> Any:
    from legpress_diag.api import load_rulebase
    from legpress_diag.foundation.problems import RuleBaseError

    path = write("coach.yaml", text)
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase([path])
    return caught.value.diagnostics


def test_a_coach_question_cannot_cover_screen_questions_by_replacing_them(write: Any) -> None:
    found = _load_with(
        write,
        """
        questions:
          - id: all_clear
            type: yes_no
            text: All clear?
            replaced_by: [saddle_numbness, bladder_bowel_change]
        """,
    )
    assert [d.code for d in found] == ["LP207", "LP207"]
    assert "saddle_numbness" in found[0].message and found[0].span.path.endswith("coach.yaml")


def test_a_coach_question_that_folds_to_a_safety_question_is_refused(write: Any) -> None:
    found = _load_with(
        write,
        """
        questions:
          - {id: Saddle_Numbness, type: yes_no, text: Saddle?}
        """,
    )
    assert [d.code for d in found] == ["LP201"]
    assert "reads as 'saddle_numbness'" in found[0].message


def test_a_coach_flag_that_gives_training_advice_is_refused_at_load(write: Any) -> None:
    found = _load_with(
        write,
        """
        safety_flags:
          - id: sore_legs
            when: leg_pain_below_knee
            level: clinician
            title: Sore legs
            advice: Keep training, just lower the weight for a week.
            source: coach
        """,
    )
    assert [d.code for d in found] == ["LP320"]
    assert "'keep training'" in found[0].message and "'lower the weight'" in found[0].message


def test_the_command_line_refuses_such_a_file_too(write: Any) -> None:
    from typer.testing import CliRunner

    from legpress_diag.cli.app import app

    path = write(
        "coach.yaml",
        """
        questions:
          - {id: all_clear, type: yes_no, text: All clear?, replaced_by: [saddle_numbness]}
        """,
    )
    result = CliRunner().invoke(
        app, ["diagnose", "-", "--rules", str(path)], input='{"answers": {"all_clear": "no"}}'
    )
    assert result.exit_code == 2
    assert "LP207" in result.stderr and "coach.yaml" in result.stderr


# --- The default result carries every text a client shows (contract v3) --------------


def test_the_default_result_carries_the_texts(rb: RuleBase) -> None:
    result = run(rb)
    cause = result["causes"][0]
    assert cause["explanation"] and "reasoning" not in cause
    assert all(fix["how"] for fix in result["fixes"].values())
    assert all(step["title"] and step["how"] for step in result["plan"])
    assert all(alt["how"] and alt["why"] for alt in result["alternatives"])
    explained = api.diagnose({"answers": {**CLEAR, **FORM}}, rb, explain=True)
    assert "reasoning" in explained["causes"][0] and "facts" in explained


# --- A clinician's blind stories (tests/vignettes/clinician-v3.yaml) -------------------

BLIND = [
    story
    for name in ("clinician-v3.yaml", "clinician-v3b.yaml")
    for story in __import__("yaml").safe_load(
        (__import__("pathlib").Path(__file__).parent / "vignettes" / name).read_text()
    )["stories"]
]
RANKED = {"emergency": 0, "urgent": 1, "clinician": 2, "none": 3}


@pytest.mark.parametrize("story", BLIND, ids=lambda s: s["id"])
def test_a_blind_story_is_referred_at_the_level_a_clinician_expects(
    rb: RuleBase, story: dict[str, Any]
) -> None:
    result = api.diagnose({"id": story["id"], "answers": story["answers"]}, rb)
    levels = [flag["level"] for flag in result["red_flags"]]
    reached = min(levels, key=RANKED.__getitem__, default="none")
    assert reached == story["expect"], (story["story"], result["red_flags"])
    if reached == "none":
        assert result["status"] == "ok" and result["fixes"], "a clear screen gets the advice"
    else:
        assert result["fixes"] == {} and result["alternatives"] == [] and result["plan"] == []
    if reached == "emergency":
        assert result["causes"] == []


def test_the_blind_stories_cover_every_group_and_the_benign_ones() -> None:
    groups = {story["group"] for story in BLIND}
    assert {"cauda_equina", "fracture", "malignancy", "infection", "vascular"} <= groups
    assert sum(story["expect"] == "none" for story in BLIND) >= 25
    assert len(BLIND) == 107


# --- From the attacker's re-run ------------------------------------------------------


@pytest.mark.parametrize("key", ["saddle_numbness", "Saddle_Numbness", "ѕаddlе_numbnеѕѕ"])
def test_a_safety_answer_beside_answers_is_read_by_the_screen(rb: RuleBase, key: str) -> None:
    record = {"id": "top", key: "yes", "answers": {**CLEAR, **FORM}}
    result = api.diagnose(record, rb)
    assert result["status"] == "refer" and result["fixes"] == {}
    assert any("beside 'answers'" in w["message"] for w in result["warnings"])
    # Left out of the answers, it is not an unscreened result with advice either.
    missing = {k: v for k, v in {**CLEAR, **FORM}.items() if k != "saddle_numbness"}
    result = api.diagnose({key: "yes", "answers": missing}, rb)
    assert result["status"] == "refer"


def test_a_plain_no_beside_answers_changes_nothing(rb: RuleBase) -> None:
    result = api.diagnose({"saddle_numbness": "no", "answers": {**CLEAR, **FORM}}, rb)
    assert result["status"] == "ok"


@pytest.mark.parametrize("text", ["70 years", "70 yrs", "70 y/o", "70 years old", " 70 "])
def test_an_age_with_its_unit_is_the_number(rb: RuleBase, text: str) -> None:
    result = run(rb, age_years=text, sudden_sharp_onset="yes", onset_settling="yes")
    assert level_of(result) == "urgent" and not result["errors"]


def test_reworded_training_advice_in_a_flag_is_refused(write: Any) -> None:
    found = _load_with(
        write,
        """
        safety_flags:
          - id: sore
            when: leg_pain_below_knee
            level: emergency
            title: Sore
            advice: >-
              Go now. Afterwards carry on with your programme at half the load;
              squats are fine.
            source: coach
        """,
    )
    assert [d.code for d in found] == ["LP320"]
    assert "'carry on'" in found[0].message and "'squats'" in found[0].message


# --- An unsure answer at clinician level is checked once before it counts -------------


def _interview(rb: RuleBase, answers: dict[str, Any]) -> Any:
    from legpress_diag.web.service import interview

    return interview(rb, answers)


def test_an_unsure_clinician_sign_is_asked_again_with_its_self_check(rb: RuleBase) -> None:
    # A 45-year-old not sure about a tingle: before that ends the check, how to tell.
    answers: dict[str, Any] = {"age_years": 45, "screen:nerve_signs": "unsure"}
    for qid in ("saddle_numbness", "bladder_bowel_change", "sexual_function_change"):
        answers[qid] = "no"
    for qid in ("progressive_leg_weakness", "new_leg_weakness", "both_legs_symptoms"):
        answers[qid] = "no"
    answers["leg_pain_below_knee"] = "unsure"
    step = _interview(rb, answers)
    assert step.ask is not None and step.ask.question.id == "check:leg_pain_below_knee"
    assert "Before that counts" in step.ask.question.text
    assert step.ask.question.help == rb.safety_flags["leg_pain_below_knee"].if_unsure
    # Checked: no tingle after all. The screen goes on, and no referral is made for it.
    cleared = _interview(rb, {**answers, "check:leg_pain_below_knee": "no"})
    assert cleared.ask is not None and cleared.ask.question.id == "screen:general_health"
    # Still not sure: the referral stands, and it is not asked a third time.
    still = _interview(rb, {**answers, "check:leg_pain_below_knee": "unsure"})
    assert still.ask is not None and not still.ask.question.id.startswith("check:")


def test_no_self_check_when_the_unsure_sign_is_above_clinician_level(rb: RuleBase) -> None:
    # Unsure saddle numbness is urgent: it is not asked again, it is referred.
    answers = {"age_years": 45, "screen:nerve_signs": "unsure", "saddle_numbness": "unsure"}
    step = _interview(rb, answers)
    assert step.ask is None or not step.ask.question.id.startswith("check:")


def test_a_prefilled_unsure_answer_is_not_asked_again(rb: RuleBase) -> None:
    # A record given whole (batch, or a resumed session) counts as it is.
    record = {**CLEAR, **FORM, "leg_pain_below_knee": "unsure"}
    assert api.diagnose({"answers": record}, rb)["status"] == "refer"


def test_a_check_of_an_unknown_question_is_a_clear_error(rb: RuleBase) -> None:
    from legpress_diag.web.service import RequestProblem

    with pytest.raises(RequestProblem) as caught:
        _interview(rb, {"check:pain_location": "no"})
    assert "check:pain_location" in caught.value.problems[0].key


def test_the_terminal_asks_it_again_too(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from legpress_diag.cli.app import app

    saved = tmp_path / "me.json"
    # age, the nerve screen not sure, its first six signs no, the tingle not sure, then
    # the self-check answered no: the tingle is a no in the saved answers.
    replies = "45\n?\nn\nn\nn\nn\nn\nn\n?\nn\n" + "n\n" * 40
    done = CliRunner().invoke(app, ["ask", "--save", str(saved)], input=replies)
    assert "Before that counts" in done.output
    import json

    assert json.loads(saved.read_text())["answers"]["leg_pain_below_knee"] == "no"
