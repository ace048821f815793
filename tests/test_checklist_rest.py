"""The form checklist (issue 22, item 10): "not sure about the rest" leaves the
unticked items unknown instead of "no", and a ticked sign brings its root-cause
question (heels lifting: where the feet sit) next."""

from __future__ import annotations

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.questionnaire import (
    Ask,
    SessionState,
    next_step,
    record_answer,
    session_record,
    state_from_answers,
)
from legpress_diag.intake.replies import parse_reply
from legpress_diag.knowledge.rulebase import UNSURE_REST, RuleBase

from .test_questionnaire import _to_checklist

RB = bundled_rulebase()
CHECKLIST = "screen:what_happens_in_a_set"
ITEMS = RB.screens["what_happens_in_a_set"].question_ids


@pytest.fixture
def rb() -> RuleBase:
    return RB


@pytest.mark.parametrize(
    "typed", ["6, ?rest", "heels and not sure about the rest", f"6, {len(ITEMS) + 1}", "6 ?*"]
)
def test_not_sure_about_the_rest_leaves_the_unticked_unknown(rb: RuleBase, typed: str) -> None:
    state, step = _to_checklist(rb)
    assert step.question.choices[-1][0] == UNSURE_REST  # offered as the last choice
    reply = parse_reply(step.question, typed)
    assert reply.kind == "answer", reply.message
    state = record_answer(rb, state, step.question.id, reply.value)
    assert state.answers["heels_lift"] is True
    rest = set(ITEMS) - {"heels_lift"}
    assert not rest & set(state.answers)  # no false "no" among them
    assert rest <= state.skipped  # asked, and unknown: not asked again one by one
    saved = session_record(rb, state, "me")["answers"]
    assert {saved[q] for q in rest} == {"unsure"}


def test_ticking_without_it_still_answers_the_rest_no(rb: RuleBase) -> None:
    state, step = _to_checklist(rb)
    state = record_answer(rb, state, step.question.id, parse_reply(step.question, "6").value)
    assert all(state.answers[q] is False for q in ITEMS if q != "heels_lift")


def test_the_interview_api_takes_it_too(rb: RuleBase) -> None:
    replay = state_from_answers(rb, {CHECKLIST: ["heels_lift", UNSURE_REST]})
    assert not replay.errors
    assert replay.state.answers == {"heels_lift": True}
    assert set(ITEMS) - {"heels_lift"} <= replay.state.skipped
    bad = state_from_answers(rb, {CHECKLIST: ["heels_lift", "?nothing"]})
    assert bad.errors and UNSURE_REST in bad.errors[0].message


def test_it_is_only_a_checklist_choice(rb: RuleBase) -> None:
    reply = parse_reply(rb.questions["pain_location"], "knees, ?rest")
    assert reply.kind == "invalid"


@pytest.mark.parametrize("typed", ["6", "6, ?rest"])
def test_heels_lifting_brings_the_foot_question_next(rb: RuleBase, typed: str) -> None:
    state, step = _to_checklist(rb)
    state = record_answer(rb, state, step.question.id, parse_reply(step.question, typed).value)
    nxt = next_step(rb, state)
    assert isinstance(nxt, Ask) and nxt.question.id == "foot_position"
    # And the root then leads the result when the feet do sit low.
    state = record_answer(rb, state, "foot_position", "low")
    result = diagnose({"answers": session_record(rb, state, "me")["answers"]}, rb)
    assert [c["id"] for c in result["causes"][:2]] == ["foot_placement", "heels_lifting"]


def test_without_the_sign_the_foot_question_is_not_pulled_forward(rb: RuleBase) -> None:
    state, step = _to_checklist(rb)
    state = record_answer(rb, state, step.question.id, parse_reply(step.question, "1").value)
    nxt = next_step(rb, state)
    assert isinstance(nxt, Ask) and nxt.question.id != "foot_position"
    fresh = next_step(rb, SessionState())
    assert isinstance(fresh, Ask) and fresh.question.id != "foot_position"


def test_the_web_page_keeps_the_rest_unknown_when_ticked(rb: RuleBase) -> None:
    from legpress_diag.web.pages import apply_form

    answers, problem = apply_form(rb, {}, CHECKLIST, "answer", ["heels_lift", UNSURE_REST])
    assert problem is None and answers == {CHECKLIST: ["heels_lift", UNSURE_REST]}
    replay = state_from_answers(rb, answers)
    assert replay.state.answers == {"heels_lift": True}
