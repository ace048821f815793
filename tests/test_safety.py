"""The safety screen v2: every flag and combination, "unsure", an incomplete screen,
no exercise advice with any flag in any format, and safety text never cut."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.cli.app import app
from legpress_diag.knowledge.rulebase import FlagLevel, QuestionType
from legpress_diag.presentation import writers
from legpress_diag.presentation.render.report import html_report, markdown_report
from legpress_diag.presentation.ui.console import make_console
from legpress_diag.presentation.ui.diagnosis_view import render_result
from legpress_diag.reasoning.safety import INCOMPLETE_WARNING

RB = bundled_rulebase()
VIGNETTES = yaml.safe_load((Path(__file__).parent / "vignettes" / "safety.yaml").read_text())
LEVEL_WORDS = {
    "emergency": "emergency department now",
    "urgent": "doctor today",
    "clinician": "before you",
}
RANK = {"emergency": 0, "urgent": 1, "clinician": 2, "none": 3}


def screen_all_no(**answers: Any) -> dict[str, Any]:
    """A record whose whole screen is answered: 'no' unless given, age 30 unless given."""
    full: dict[str, Any] = {
        q: "no"
        for q in RB.safety_questions()
        if RB.questions[q].type is QuestionType.YES_NO and not RB.questions[q].replaced_by
    }
    full["age_years"] = 30
    full.update(answers)
    return full


# --- Every flag: its level, its wording, the answers behind it, no advice.


@pytest.mark.parametrize("flag_id", sorted(RB.safety_flags))
def test_each_flag_speaks_at_its_level_and_gives_no_advice(flag_id: str) -> None:
    flag = RB.safety_flags[flag_id]
    # The smallest record that raises it: its yes/no questions "yes", age 70 (or 30
    # for a flag of the young, such as long morning stiffness under 45).
    for age in (70, 30):
        answers = {
            q: age if RB.questions[q].type is QuestionType.NUMBER else "yes" for q in flag.questions
        }
        answers.setdefault("butt_lifts_off_seat", "yes")
        result = diagnose({"answers": answers}, RB)
        if any(f["id"] == flag_id for f in result["red_flags"]):
            break
    raised = {f["id"]: f for f in result["red_flags"]}
    assert flag_id in raised and result["status"] == "refer"
    shown = raised[flag_id]
    assert shown["level"] == flag.level.value and shown["unsure"] is False
    said = shown["advice"].replace("emergency number now", "emergency department now")
    assert LEVEL_WORDS[flag.level.value] in said
    assert {b["key"] for b in shown["because"]} <= flag.questions
    assert all(b["answer"] != "no" for b in shown["because"])
    assert result["fixes"] == {} and result["alternatives"] == []
    assert all(c["fixes"] == [] and c["information_only"] for c in result["causes"])


def test_an_emergency_never_reassures() -> None:
    result = diagnose({"answers": {"saddle_numbness": "yes", "after_trauma": "yes"}}, RB)
    assert result["red_flags"][0]["level"] == "emergency"
    text = json.dumps(result).lower()
    assert "harmless" not in text and "often" not in text
    assert result["causes"] == []


def test_flags_come_most_urgent_first() -> None:
    answers = {"after_trauma": "yes", "fever_or_unwell": "yes", "both_legs_symptoms": "yes"}
    levels = [f["level"] for f in diagnose({"answers": answers}, RB)["red_flags"]]
    assert levels == ["emergency", "urgent", "clinician"]


@pytest.mark.parametrize(
    ("answers", "raised", "not_raised"),
    [
        # Fracture: a risk factor plus a sudden onset, pain higher up, or a fall.
        (
            {"steroids_or_osteoporosis": "yes", "sudden_sharp_onset": "yes"},
            "fracture_risk_sudden_onset",
            None,
        ),
        ({"age_years": 65, "sudden_sharp_onset": "yes"}, "fracture_risk_sudden_onset", None),
        ({"age_years": 64, "sudden_sharp_onset": "yes"}, None, "fracture_risk_sudden_onset"),
        (
            {"age_years": 65, "upper_back_or_chest_pain": "yes"},
            "fracture_risk_upper_back_pain",
            None,
        ),
        ({"age_years": 64, "after_trauma": "yes"}, None, "fracture_risk_after_trauma"),
        (
            {"steroids_or_osteoporosis": "yes", "after_trauma": "yes"},
            "fracture_risk_after_trauma",
            None,
        ),
        # Malignancy: cancer history with weight loss, night pain or worsening. Age
        # alone does not make it the same day (v3): the history is a clinician flag.
        ({"cancer_history": "yes", "age_years": 50}, None, "cancer_with_warning_signs"),
        ({"cancer_history": "yes", "age_years": 80}, None, "cancer_with_warning_signs"),
        ({"cancer_history": "yes", "not_improving": "yes"}, "cancer_with_warning_signs", None),
        (
            {"cancer_history": "yes", "unexplained_weight_loss": "yes"},
            "cancer_with_warning_signs",
            None,
        ),
        (
            {"unexplained_weight_loss": "yes", "age_years": 50},
            "weight_loss_with_warning_signs",
            None,
        ),
        (
            {"unexplained_weight_loss": "yes", "age_years": 49},
            None,
            "weight_loss_with_warning_signs",
        ),
        # Infection: fever with weakened immunity or drug use.
        (
            {"fever_or_unwell": "yes", "weakened_immunity_or_iv_drugs": "yes"},
            "infection_risk_with_fever",
            None,
        ),
        ({"weakened_immunity_or_iv_drugs": "yes"}, None, "infection_risk_with_fever"),
        # Age alone is never a flag.
        ({"age_years": 100}, None, None),
    ],
)
def test_combinations_at_their_thresholds(
    answers: dict[str, Any], raised: str | None, not_raised: str | None
) -> None:
    result = diagnose({"answers": screen_all_no(**answers)}, RB)
    ids = {f["id"]: f["level"] for f in result["red_flags"]}
    if raised is not None:
        assert ids[raised] == "urgent"
    if not_raised is not None:
        assert not_raised not in ids
    if raised is None and not_raised is None:
        assert ids == {} and result["status"] != "refer"


# --- "unsure" is never "no".


@pytest.mark.parametrize(
    "question",
    sorted(
        q
        for q in RB.safety_questions()
        # A follow-up is asked only after its question is yes or unsure (tested apart).
        if RB.questions[q].type is QuestionType.YES_NO
        and not RB.questions[q].follow_up_of
        # A risk factor raises no flag of its own (the contract): tested apart.
        and any(flag.condition_text == q for flag in RB.safety_flags.values())
    ),
)
def test_unsure_on_any_safety_question_refers(question: str) -> None:
    # Every sign with a flag of its own; risk factors: test_a_risk_factor_alone_...
    result = diagnose({"answers": screen_all_no(**{question: "unsure"})}, RB)
    assert result["status"] == "refer" and result["fixes"] == {}
    own = [f for f in result["red_flags"] if {"key": question, "answer": "unsure"} in f["because"]]
    assert own and all(f["unsure"] for f in own)
    declared = min(RB.safety_flags[f["id"]].level.rank for f in own)
    shown = min(FlagLevel(f["level"]).rank for f in own)
    # One level lower than a "yes", never below clinician.
    assert shown == min(declared + 1, FlagLevel.CLINICIAN.rank)


def test_an_unsure_emergency_sign_says_it_was_uncertain_and_how_to_check() -> None:
    flag = diagnose({"answers": {"saddle_numbness": "unsure"}}, RB)["red_flags"][0]
    assert (flag["id"], flag["level"], flag["unsure"]) == ("saddle_numbness", "urgent", True)
    assert "tissue" in flag["advice"] and "emergency department now" in flag["advice"]
    assert flag["because"] == [{"key": "saddle_numbness", "answer": "unsure"}]


@pytest.mark.parametrize(
    "risk", ["weakened_immunity_or_iv_drugs", "steroids_or_osteoporosis", "recent_spinal_procedure"]
)
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_a_risk_factor_alone_is_no_referral_but_counts_in_its_combinations(
    risk: str, answer: str
) -> None:
    alone = diagnose({"answers": screen_all_no(**{risk: answer}, **FORM_ANSWERS)}, RB)
    assert alone["status"] == "ok" and alone["red_flags"] == []
    trigger = {
        "weakened_immunity_or_iv_drugs": "fever_or_unwell",
        "steroids_or_osteoporosis": "sudden_sharp_onset",
        "recent_spinal_procedure": "not_improving",
    }[risk]
    combined = diagnose({"answers": screen_all_no(**{risk: answer, trigger: "yes"})}, RB)
    levels = {f["level"] for f in combined["red_flags"] if risk in str(f["because"])}
    # A certain risk factor makes the combination urgent; an unsure one, one lower.
    assert levels == {"urgent" if answer == "yes" else "clinician"}


# --- An incomplete screen is named, not passed as clear.


def incomplete(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in result["warnings"] if w["key"] == INCOMPLETE_WARNING]


def test_a_record_without_the_screen_is_warned_with_every_key() -> None:
    result = diagnose({"answers": {"butt_lifts_off_seat": "yes"}}, RB)
    assert result["status"] == "unscreened"  # contract v3: advice, but never "ok"
    (warning,) = incomplete(result)
    # Every screen question but a follow-up whose question was not answered yes.
    follow_ups = {q for q in RB.safety_questions() if RB.questions[q].follow_up_of}
    for key in RB.safety_questions() - {"systemic_symptoms"} - follow_ups:
        assert key in warning["message"]
    assert not any(key in warning["message"] for key in follow_ups)
    assert "systemic_symptoms" not in warning["message"]  # replaced by its parts


def test_a_complete_screen_has_no_warning_and_v1_records_name_only_the_new_keys() -> None:
    assert incomplete(diagnose({"answers": screen_all_no()}, RB)) == []
    v1 = {
        q: "no"
        for q in (
            "saddle_numbness",
            "bladder_bowel_change",
            "progressive_leg_weakness",
            "both_legs_symptoms",
            "leg_pain_below_knee",
            "constant_or_night_pain",
            "after_trauma",
            "systemic_symptoms",
            "not_improving",
        )
    }
    result = diagnose({"answers": {**v1, "butt_lifts_off_seat": "yes"}}, RB)
    assert result["status"] == "unscreened"
    message = incomplete(result)[0]["message"]
    named = set(message.split("not answered: ")[1].split(", "))
    # systemic_symptoms "no" covers fever, weight loss and cancer history.
    assert named == {
        "age_years",
        "sexual_function_change",
        "weakened_immunity_or_iv_drugs",
        "steroids_or_osteoporosis",
        "upper_back_or_chest_pain",
        "sudden_sharp_onset",
        # v3's keys
        "new_leg_weakness",
        "recent_spinal_procedure",
        "pulsating_belly_or_tearing_pain",
        "morning_stiffness",
    }


# --- Vignettes: recall of every red flag, no false alarm on plain form faults.


@pytest.mark.parametrize("vignette", VIGNETTES["vignettes"], ids=lambda v: v["story"][:50])
def test_vignette(vignette: dict[str, Any]) -> None:
    result = diagnose({"answers": screen_all_no(**vignette["answers"])}, RB)
    expect = vignette["expect"]
    levels = [f["level"] for f in result["red_flags"]]
    reached = min((RANK[level] for level in levels), default=RANK["none"])
    assert reached == RANK[expect["level"]], (levels, result["red_flags"])
    assert set(expect.get("flags", [])) <= {f["id"] for f in result["red_flags"]}
    if expect["level"] == "none":
        assert result["status"] == "ok" and result["fixes"], "form advice is given"
    else:
        assert result["fixes"] == {} and result["alternatives"] == []


def test_the_vignette_set_is_large_enough_and_balanced() -> None:
    stories = VIGNETTES["vignettes"]
    flagged = [v for v in stories if v["expect"]["level"] != "none"]
    assert len(stories) >= 30 and len(flagged) >= 20 and len(stories) - len(flagged) >= 10


# --- No format carries exercise advice for a referral.

ADVICE = [fix.title for fix in RB.fixes.values()] + [a.title for a in RB.alternatives.values()]
# Advice in running text: how to do each fix, each alternative, and the sentences of
# the causes' explanations (which say what helps as well as why it hurts).
ADVICE_TEXT = sorted(
    {" ".join(text.split())[:60] for text in [f.how for f in RB.fixes.values()]}
    | {" ".join(a.how.split())[:60] for a in RB.alternatives.values()}
    | {
        sentence.strip()[:60]
        for cause in RB.causes.values()
        for sentence in " ".join(cause.explanation.split()).split(". ")
        if len(sentence.strip()) >= 30
    }
)
FORM_ANSWERS = {
    "butt_lifts_off_seat": "yes",
    "pelvis_tucks_under": "yes",
    "knee_angle_at_bottom": 60,
    "rep_tempo": "fast",
    "knees_cave_in": "yes",
    "equipment_available": ["hack_squat", "swiss_ball", "supine_leg_press"],
}


def write_one(name: str, result: dict[str, Any]) -> str:
    writer = writers.by_name(name)
    out = io.StringIO()
    writer.write([writer.prepare(result, RB)], out, writers.WriteContext(rulebase=RB))
    return out.getvalue()


def every_format(result: dict[str, Any]) -> dict[str, str]:
    table = io.StringIO()
    render_result(make_console(table, width=80), result, detailed=True)
    return {
        **{name: write_one(name, result) for name in writers.names() if name != "table"},
        "table": table.getvalue(),
        "report.md": markdown_report(result, RB),
        "report.html": html_report(result, RB),
    }


def test_the_form_answers_do_produce_advice_without_a_flag() -> None:
    result = diagnose({"answers": screen_all_no(**FORM_ANSWERS)}, RB, explain=True)
    shown = every_format(result)
    assert result["alternatives"] and any(title in shown["markdown"] for title in ADVICE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flags=st.dictionaries(
        st.sampled_from(
            sorted(
                q
                for q in RB.safety_questions()
                # Signs with a flag of their own (a follow-up's "yes" may clear a sign,
                # and a risk factor alone raises nothing).
                if RB.questions[q].type is QuestionType.YES_NO
                and any(flag.condition_text == q for flag in RB.safety_flags.values())
            )
        ),
        st.sampled_from(["yes", "unsure"]),
        min_size=1,
        max_size=4,
    )
)
def test_no_format_holds_a_fix_or_an_alternative_when_a_flag_is_raised(
    flags: dict[str, str],
) -> None:
    # explain=True: the fullest result, as the human formats get it.
    result = diagnose({"answers": screen_all_no(**FORM_ANSWERS, **flags)}, RB, explain=True)
    assert result["status"] == "refer" and result["plan"] == []
    for name, text in every_format(result).items():
        for title in ADVICE:
            assert title not in text, (name, title)
        flat = " ".join(text.split())
        for advice in ADVICE_TEXT:
            assert advice not in flat, (name, advice)


# --- Safety text is whole at any width, on a terminal or not.

LONGEST = max(RB.safety_flags.values(), key=lambda f: len(f.advice))


def words(text: str) -> str:
    """The words of rendered text, without box drawing or line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize("width", [40, 80])
def test_the_longest_advice_survives_narrow_terminals(width: int) -> None:
    answers = {q: "yes" for q in LONGEST.questions if RB.questions[q].type is QuestionType.YES_NO}
    result = diagnose({"answers": answers}, RB)
    out = io.StringIO()
    render_result(make_console(out, width=width), result)
    assert all(len(line) <= width for line in out.getvalue().splitlines())
    assert " ".join(LONGEST.advice.split()) in words(out.getvalue())


def test_the_table_through_a_pipe_keeps_every_flag_whole() -> None:
    # Every sign "yes" (a follow-up that would clear one, "no"), at 80 and at 30: the
    # flags of the old and of the young between them.
    clears = {"onset_settling"}  # a follow-up whose "yes" clears a sign
    every_yes = {
        q: "no" if q in clears else "yes"
        for q in RB.safety_questions()
        if RB.questions[q].type is QuestionType.YES_NO
    }
    records = [{"id": age, "answers": {**every_yes, "age_years": age}} for age in (80, 30)]
    lines = "".join(json.dumps(record) + "\n" for record in records)
    runner = CliRunner()
    result = runner.invoke(app, ["diagnose", "-", "-f", "table"], input=lines)
    shown = words(result.stdout)
    for flag in RB.safety_flags.values():
        assert " ".join(flag.advice.split()) in shown, flag.id


def test_the_safety_page_lists_every_flag_at_its_level() -> None:
    page = (Path(__file__).parents[1] / "docs" / "safety-flags.md").read_text()
    for flag in RB.safety_flags.values():
        assert f"| `{flag.id}` | {flag.level.value} |" in page, flag.id


def test_a_batch_flags_the_incomplete_screen_instead_of_repeating_its_warning() -> None:
    from legpress_diag.intake.batch import Options, run_batch

    lines = [
        {"id": "none", "answers": {"butt_lifts_off_seat": "yes", "mystery": 1}},
        {"id": "all", "answers": screen_all_no(butt_lifts_off_seat="yes")},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    partial, complete = run_batch(io.BytesIO(data), RB, Options())
    assert partial.screen_incomplete and not complete.screen_incomplete
    assert [w["key"] for w in partial.warnings] == ["mystery"]  # the others stay
    assert INCOMPLETE_WARNING in [w["key"] for w in partial.payload["warnings"]]


def test_a_referral_beside_an_invalid_answer_still_warns_of_the_unanswered_screen() -> None:
    result = diagnose({"answers": {"fever_or_unwell": "unsure", "knee_angle_at_bottom": 500}}, RB)
    assert result["status"] == "refer" and result["errors"][0]["key"] == "knee_angle_at_bottom"
    warning = next(w for w in result["warnings"] if w["key"] == INCOMPLETE_WARNING)
    assert "saddle_numbness" in warning["message"]
    # An invalid safety answer is one not given: it is named as unanswered, and it is
    # not a "no" either: the screen reads it as "not sure", so the record refers.
    invalid = diagnose({"answers": screen_all_no(saddle_numbness="sometimes")}, RB)
    assert invalid["status"] == "refer" and invalid["errors"][0]["key"] == "saddle_numbness"
    assert [(f["id"], f["level"], f["unsure"]) for f in invalid["red_flags"]] == [
        ("saddle_numbness", "urgent", True)
    ]
    assert invalid["fixes"] == {} and invalid["alternatives"] == []
    assert any("could not be read" in note for note in invalid["notes"])
    named = next(w for w in invalid["warnings"] if w["key"] == INCOMPLETE_WARNING)
    assert named["message"].endswith("not answered: saddle_numbness")
