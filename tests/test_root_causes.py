"""Root causes and their signs (issue 22, item 8), and reasoning that does not
contradict the answers (item 7).

A cause's ``explains`` names the causes it is a root of. The loader checks the ids
and refuses loops with file:line:col; a reported root ranks above its signs, each
sign names its root, and the root's fix leads the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.foundation.problems import Diagnostic, RuleBaseError
from legpress_diag.knowledge.loader import load_rulebase
from legpress_diag.presentation.output_model import validate
from legpress_diag.presentation.render.formats import markdown_one, root_of
from legpress_diag.presentation.render.report import html_report, plain_how_lines

RB = bundled_rulebase()
# The whole safety screen answered "no", so a result means what it says.
SCREEN: dict[str, Any] = {
    q: "no"
    for q in RB.safety_questions()
    if RB.questions[q].type.value == "yes_no" and not RB.questions[q].replaced_by
} | {"age_years": 35}


def run(answers: dict[str, Any], **kw: Any) -> Any:
    result = diagnose({"id": "t", "answers": {**SCREEN, **answers}}, RB, **kw)
    validate(result)  # the new fields are in the published schema
    return result


def ranked(result: Any) -> list[str]:
    return [c["id"] for c in result["causes"]]


def plan(result: Any) -> list[str]:
    return [step["fix"] for step in result["plan"]]


# --- the stories -----------------------------------------------------------------------

FEET_LOW = {"foot_position": "low", "heels_lift": "yes", "knee_angle_at_bottom": 95}
CRAMPED_100 = {
    "cramped_at_bottom": "yes",
    "knee_angle_at_bottom": 100,
    "pelvis_tucks_under": "yes",
    "lower_back_rounds": "yes",
    "pain_location": ["lower_back"],
}
LONG_LEGS = {"limb_length": "long", "pelvis_tucks_under": "yes", "knee_angle_at_bottom": 90}


@pytest.mark.parametrize(
    ("answers", "root", "sign", "first_fix"),
    [
        (FEET_LOW, "foot_placement", "heels_lifting", "adjust_foot_height"),
        (CRAMPED_100, "seat_setup", "posterior_pelvic_tilt", "adjust_seat_and_backrest"),
        (LONG_LEGS, "long_limbs", "posterior_pelvic_tilt", "adjust_seat_and_backrest"),
    ],
)
def test_the_root_ranks_first_with_its_sign_under_it(
    answers: dict[str, Any], root: str, sign: str, first_fix: str
) -> None:
    result = run(answers, explain=True)
    causes = {c["id"]: c for c in result["causes"]}
    # The sign is more certain than its root, yet the root comes first.
    assert causes[sign]["certainty"] > causes[root]["certainty"]
    assert ranked(result)[0] == root
    assert ranked(result).index(root) < ranked(result).index(sign)
    assert causes[root]["explains"] == [sign] or sign in causes[root]["explains"]
    assert causes[sign]["explained_by"] == [root]
    assert "explained_by" not in causes[root]
    assert [c["rank"] for c in result["causes"]] == list(range(1, len(causes) + 1))
    assert plan(result)[0] == first_fix
    # Nobody who stops at or above a right angle is told to stop at one.
    assert "stop_at_90_degrees" not in plan(result)
    assert all(f["id"] != "stop_at_90_degrees" for c in result["causes"] for f in c["fixes"])
    assert "stop_at_90_degrees" not in result["fixes"]
    # Shown in words under the sign, in every human format.
    line = root_of(result, causes[sign])
    assert line == f"because of 1. {RB.causes[root].title}"
    assert line[1:] in markdown_one(result, RB)
    assert f'<p class="note">B{line[1:]}.</p>' in html_report(result, RB)


def test_the_plan_weight_counts_the_signs_a_root_fix_addresses() -> None:
    result = run(FEET_LOW)
    certainty = {c["id"]: c["certainty"] for c in result["causes"]}
    step = result["plan"][0]
    assert step["for_causes"] == ["foot_placement", "heels_lifting"]
    assert step["weight"] == round(sum(certainty[c] for c in step["for_causes"]), 6)


def test_a_root_without_its_own_evidence_changes_nothing() -> None:
    # Feet in the middle: the foot height is ruled out, so the heels stand alone.
    result = run({"foot_position": "middle", "heels_lift": "yes", "ankles_flexible": "no"})
    assert "foot_placement" not in ranked(result)
    heels = result["causes"][0]
    assert heels["id"] == "heels_lifting" and "explained_by" not in heels


def test_a_root_already_above_its_sign_stays_there() -> None:
    # The 6-foot-5 lifter: long legs and the seat both explain the tuck.
    result = run({**CRAMPED_100, "limb_length": "long", "knee_angle_at_bottom": 95})
    order = ranked(result)
    tilt = order.index("posterior_pelvic_tilt")
    assert order.index("long_limbs") < tilt and order.index("seat_setup") < tilt
    explained = next(c for c in result["causes"] if c["id"] == "posterior_pelvic_tilt")
    assert set(explained["explained_by"]) == {"long_limbs", "seat_setup"}


def test_a_referral_lists_the_links_without_any_plan() -> None:
    result = run({**FEET_LOW, "saddle_numbness": "no", "leg_pain_below_knee": "yes"})
    assert result["status"] == "refer" and result["plan"] == []
    assert ranked(result)[:2] == ["foot_placement", "heels_lifting"]


# --- item 7: nothing that contradicts the answers ---------------------------------------


def test_a_very_deep_lifter_is_not_told_the_seat_is_too_close() -> None:
    result = run({"knee_angle_at_bottom": 60, "cramped_at_bottom": "yes"})
    assert "seat_setup" not in ranked(result)
    assert ranked(result)[0] == "excess_depth"
    # The checklist asks it in the same terms as the question it stands for.
    item = dict(RB.screens["what_happens_in_a_set"].items)["cramped_at_bottom"]
    assert "right angle" in item and "right angle" in RB.questions["cramped_at_bottom"].help


@pytest.mark.parametrize("angle", [74, 75])
def test_the_seat_is_ruled_out_only_past_75_degrees(angle: int) -> None:
    result = run({"knee_angle_at_bottom": angle, "cramped_at_bottom": "yes"})
    assert ("seat_setup" in ranked(result)) is (angle >= 75)


@pytest.mark.parametrize(("worse", "kept"), [("no", False), ("yes", True), (None, True)])
def test_use_less_weight_only_when_the_load_may_matter(worse: str | None, kept: bool) -> None:
    answers = {"pelvis_tucks_under": "yes", "lower_back_rounds": "yes", "core_braced": "sometimes"}
    if worse is not None:
        answers["pain_worse_with_heavier_load"] = worse
    result = run(answers)
    assert ("reduce_the_load" in plan(result)) is kept
    assert plan(result)[0] != "reduce_the_load"


@pytest.mark.parametrize(("angle", "kept"), [(89, True), (90, False)])
def test_stop_at_a_right_angle_only_for_someone_deeper(angle: int, kept: bool) -> None:
    result = run({"pelvis_tucks_under": "yes", "knee_angle_at_bottom": angle})
    assert ("stop_at_90_degrees" in plan(result)) is kept


def test_how_quotes_each_answer_once() -> None:
    result = run({"butt_lifts_off_seat": "yes", "pain_location": ["lower_back"]}, explain=True)
    cause = result["causes"][0]
    lines = plain_how_lines(result, cause, RB)
    question = RB.questions["butt_lifts_off_seat"].text
    assert sum(line.count(question) for line in lines) == 1, lines
    assert any("the same answer as above" in line.lower() for line in lines)


def test_dumbbells_and_a_kettlebell_get_exercises_that_use_them() -> None:
    result = run({**LONG_LEGS, "equipment_available": ["hack_squat", "dumbbells", "kettlebell"]})
    offered = [a["id"] for a in result["alternatives"]]
    assert {"hack_squat", "bulgarian_split_squat", "belt_squat"} <= set(offered)
    assert not {"supine_leg_press", "swiss_ball_wall_squat"} & set(offered)
    for alt in ("bulgarian_split_squat", "belt_squat"):
        assert RB.alternatives[alt].source.startswith("other-sources:")


@pytest.mark.parametrize(
    ("have", "goblet", "belt"),
    [(["dumbbells"], True, False), (["kettlebell"], True, True), (["hack_squat"], False, False)],
)
def test_needs_any_is_one_of_and_needs_is_all_of(have: list[str], goblet: bool, belt: bool) -> None:
    # needs_any: one of them will do (a goblet squat: a dumbbell or a kettlebell).
    from dataclasses import replace

    either = replace(RB.alternatives["belt_squat"], needs=(), needs_any=("dumbbells", "kettlebell"))
    assert either.available(frozenset(have)) is goblet
    offered = {a["id"] for a in run({**LONG_LEGS, "equipment_available": have})["alternatives"]}
    assert ("belt_squat" in offered) is belt
    # The split squat starts with the body's own weight: it needs nothing.
    assert "bulgarian_split_squat" in offered


# --- the loader ---------------------------------------------------------------------------

CAUSES = """
rulebase: {name: roots, version: "1"}
questions:
  - {id: a, type: yes_no, text: A?}
fixes:
  - {id: f, title: F, how: Do it.}
rules:
  - {id: r1, if: a, then: low_feet, cf: 0.5}
  - {id: r2, if: a, then: heels_up, cf: 0.5}
  - {id: r3, if: a, then: knees, cf: 0.5}
causes:
  - id: low_feet
    title: Low feet
    explanation: Feet low.
    fixes: [f]
    explains: [{low}]
  - id: heels_up
    title: Heels up
    explanation: Heels up.
    fixes: [f]
    explains: [{heels}]
  - id: knees
    title: Knees
    explanation: Knees.
    fixes: [f]
"""


def problems(write: Any, low: str, heels: str = "knees") -> list[Diagnostic]:
    path: Path = write("roots.yaml", CAUSES.replace("{low}", low).replace("{heels}", heels))
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    return list(info.value.diagnostics)


def test_a_chain_of_roots_loads(write: Any) -> None:
    path = write("roots.yaml", CAUSES.replace("{low}", "heels_up").replace("{heels}", "knees"))
    rb = load_rulebase([path], include_bundled=False)
    assert rb.causes["low_feet"].explains == ("heels_up",)


def test_an_unknown_cause_in_explains_is_named_where_it_is(write: Any) -> None:
    [d] = problems(write, "heels_upp")
    assert d.code == "LP206" and "unknown cause 'heels_upp' in low_feet.explains" in d.message
    assert d.span is not None and (d.span.line, d.span.col) == (15, 16)
    assert d.hint is not None and "heels_up" in d.hint


def test_a_cause_that_explains_itself_is_refused(write: Any) -> None:
    [d] = problems(write, "low_feet")
    assert d.code == "LP208" and "explains itself" in d.message
    assert d.span is not None and (d.span.line, d.span.col) == (15, 16)


@pytest.mark.parametrize("back", ["low_feet"])
def test_causes_that_explain_each_other_are_refused(write: Any, back: str) -> None:
    found = problems(write, "heels_up", heels=back)
    assert [d.code for d in found] == ["LP208", "LP208"]  # at each link: either may go
    assert all("loop: heels_up, low_feet" in d.message for d in found)
    assert [d.span.line for d in found if d.span] == [15, 20]


def test_a_longer_loop_is_refused_once(write: Any) -> None:
    text = CAUSES.replace("{low}", "heels_up").replace("{heels}", "knees")
    text = text.replace(
        "    explanation: Knees.\n", "    explanation: Knees.\n    explains: [low_feet]\n"
    )
    path = write("roots.yaml", text)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    found = info.value.diagnostics
    assert len(found) == 3 and {d.code for d in found} == {"LP208"}
    assert all("loop: heels_up, knees, low_feet" in d.message for d in found)


def test_a_fix_unless_is_checked_like_any_condition(write: Any) -> None:
    text = CAUSES.replace("{low}", "heels_up").replace("{heels}", "knees")
    text = text.replace("how: Do it.}", "how: Do it., unless: not b}")
    path = write("roots.yaml", text)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    [d] = info.value.diagnostics
    assert d.code == "LP203" and "'b'" in d.message
    assert d.span is not None and d.span.line == 5


def test_the_phone_page_names_the_root_beside_the_sign() -> None:
    from legpress_diag.web.pages import ResultView, result_page

    result = run(FEET_LOW)
    view = ResultView(rb=RB, result=result, position=1, stop_reason="done")
    page = result_page(view)
    assert (
        '2. Heels lifting off the foot plate</strong> <span class="note">— because of 1. ' in page
    )
