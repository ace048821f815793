"""The questionnaire's pure logic: what to ask next, when to stop, undo, replies."""

from __future__ import annotations

from legpress_diag.foundation.jsonvalue import JsonObject
from legpress_diag.intake.questionnaire import (
    Ask,
    SessionState,
    Stop,
    next_step,
    record_answer,
    relevant_questions,
    screen_state,
    why_asked,
)
from legpress_diag.intake.replies import parse_reply
from legpress_diag.knowledge.rulebase import UNSURE_REST, RuleBase


def past_safety(rb: RuleBase) -> SessionState:
    state = SessionState()
    for question in rb.safety_questions():
        state = state.answer(question, 30.0 if question == "age_years" else False)
    return state


def test_the_screen_comes_first_in_a_few_prompts(rb: RuleBase) -> None:
    state = SessionState()
    asked = []
    while True:
        step = next_step(rb, state)
        assert isinstance(step, Ask)
        if step.question.group != "safety":
            break
        asked.append(step.question.id)
        value = 30.0 if step.question.id == "age_years" else False
        state = record_answer(rb, state, step.question.id, value)
    assert asked == [
        "age_years",
        "screen:nerve_signs",
        "screen:general_health",
        "screen:pain_pattern",
    ]
    # "None of these" answered every sign of the screen "no", and nothing is left open.
    assert screen_state(rb, state).flags == () and screen_state(rb, state).unanswered == ()


def test_an_emergency_stops_at_once(rb: RuleBase) -> None:
    step = next_step(rb, SessionState().answer("saddle_numbness", True))
    assert isinstance(step, Stop) and step.kind == "referral"


def test_a_clinician_flag_finishes_the_screen_then_stops(rb: RuleBase) -> None:
    state = SessionState().answer("after_trauma", True)
    step = next_step(rb, state)
    assert isinstance(step, Ask) and step.question.group == "safety"  # emergencies still screened
    for question in rb.safety_questions() - {"after_trauma"}:
        state = state.answer(question, 30.0 if question == "age_years" else False)
    assert next_step(rb, state) == Stop(
        "referral", "an answer is a warning sign for a clinician to check"
    )


def test_questions_no_rule_uses_are_never_asked(rb: RuleBase) -> None:
    weights = relevant_questions(rb, past_safety(rb), frozenset(rb.questions))
    assert "machine_type" not in weights  # it only filters alternatives: asked at the end
    assert "pelvis_tucks_under" in weights


def test_a_question_that_cannot_change_anything_is_skipped(rb: RuleBase) -> None:
    # With the knee angle known to be 120, the depth rules on it are settled, and
    # limb_length still matters; once everything that feeds long_limbs is known it is not.
    state = past_safety(rb).answer("knee_angle_at_bottom", 120.0)
    for question in ("lower_back_rounds", "pelvis_tucks_under", "butt_lifts_off_seat"):
        state = state.answer(question, False)
    free = frozenset(rb.questions) - state.asked
    weights = relevant_questions(rb, state, free)
    assert "limb_length" in weights  # long legs alone can still be reported
    assert "heels_lift" in weights


def test_stops_when_nothing_could_change_the_result(rb: RuleBase) -> None:
    # Answer everything 'no' / unknown: nothing can be reported and the loop must end.
    state = SessionState()
    for _ in range(60):
        step = next_step(rb, state)
        if isinstance(step, Stop):
            break
        state = record_answer(
            rb, state, step.question.id, False if step.question.type.value == "yes_no" else None
        )
    assert isinstance(step, Stop) and step.kind in ("settled", "exhausted")
    assert len(state.history) <= len(rb.questions)


def test_stops_early_once_the_ranking_is_fixed(rb: RuleBase) -> None:
    state = past_safety(rb)
    for question in rb.questions:
        if question not in state.asked and question not in ("heels_lift",):
            kind = rb.questions[question].type.value
            state = state.answer(question, False if kind == "yes_no" else None)
    # Only heels_lift is left, and it alone could add a cause: it must be asked.
    step = next_step(rb, state)
    assert isinstance(step, Ask) and step.question.id == "heels_lift"
    final = next_step(rb, state.answer("heels_lift", False))
    assert final == Stop("exhausted", "every question that matters has been asked")


def test_related_questions_stay_together(rb: RuleBase) -> None:
    state = past_safety(rb).answer("pain_location", frozenset({"lower_back"}))
    step = next_step(rb, state)
    assert isinstance(step, Ask) and step.question.id == "pain_timing"  # same group first


def test_undo_forgets_the_last_answer_but_not_prefilled_ones(rb: RuleBase) -> None:
    state = SessionState().answer("heels_lift", True)
    state = SessionState(state.answers, state.skipped, state.history, frozenset({"heels_lift"}))
    state = state.answer("rep_tempo", "fast").answer("core_braced", None)
    state, undone = state.undo()
    assert undone == "core_braced" and "core_braced" not in state.asked
    state, undone = state.undo()
    assert undone == "rep_tempo" and "rep_tempo" not in state.answers
    assert state.undo() == (state, None)  # the pre-filled answer stays


def test_an_answer_makes_a_new_state_with_every_field_and_fresh_cached_values(
    rb: RuleBase,
) -> None:
    """SessionState.answer and answer_screen build the next state without
    dataclasses.replace: every field is carried over or changed as replace would, and
    the cached ``asked`` and ``frozen`` are the new state's own, never the old one's."""
    from dataclasses import fields, replace

    measured: dict[str, JsonObject] = {"knee_angle_at_bottom": {"value": 70}}
    start = replace(
        SessionState().answer("heels_lift", None),
        prefilled=frozenset({"heels_lift"}),
        measured=measured,
        rechecked=frozenset({"saddle_numbness"}),
    )
    assert "heels_lift" in start.asked and start.frozen is not None  # cached on the old one
    after = start.answer("heels_lift", True).answer("rep_tempo", None)
    assert after == replace(
        start,
        answers={"heels_lift": True},
        skipped=frozenset({"rep_tempo"}),
        history=("heels_lift", "rep_tempo"),
    )
    assert set(vars(after)) == {f.name for f in fields(SessionState)}  # nothing cached yet
    assert after.asked == {"heels_lift", "rep_tempo"} and after.frozen != start.frozen
    # Answered again, an answer moves to the end of the answers and of the history.
    again = after.answer("heels_lift", False)
    assert list(again.answers) == ["heels_lift"] and again.history == ("rep_tempo", "heels_lift")
    assert again.answer("heels_lift", None).skipped == {"rep_tempo", "heels_lift"}
    screen = rb.screens["nerve_signs"]
    cleared = again.answer_screen(screen, none_apply=True)
    assert cleared.measured is measured and cleared.prefilled == start.prefilled
    assert cleared.history[-1] == "screen:nerve_signs" and cleared.rechecked == start.rechecked
    assert all(cleared.answers[q] is False for q in screen.question_ids)
    opened = again.answer_screen(screen, none_apply=False)
    assert opened.opened == {"nerve_signs"} and opened.answers == again.answers


def test_why_speaks_of_answers_and_causes_not_rules(rb: RuleBase) -> None:
    lines = why_asked(rb, "can_touch_toes")
    assert "A no here, together with signs that the lower back flexes" in " ".join(lines)
    assert any("points strongly to tight hamstrings" in line for line in lines)
    angle = " ".join(why_asked(rb, "knee_angle_at_bottom"))
    assert "An answer under 90 degrees here points strongly to lowering the sled too far" in angle
    for question in rb.questions:
        text = " ".join(why_asked(rb, question))
        for engine_word in ("cf ", "rule ", "premise", "×", "deep-from-angle", "_"):
            assert engine_word not in text, (question, engine_word)
    assert "warning sign" in why_asked(rb, "saddle_numbness")[0]


def test_reply_parsing(rb: RuleBase) -> None:
    q = rb.questions
    assert parse_reply(q["heels_lift"], " Y ").value is True
    assert parse_reply(q["heels_lift"], "n").value is False
    assert parse_reply(q["heels_lift"], "?").kind == "skip"
    assert parse_reply(q["heels_lift"], "maybe").kind == "skip"  # issue 14: "not sure"
    assert parse_reply(q["heels_lift"], "perhaps not").kind == "invalid"
    assert parse_reply(q["core_braced"], "3").value == "never"
    assert parse_reply(q["core_braced"], "Every rep").value == "always"
    assert parse_reply(q["core_braced"], "some").value == "sometimes"
    assert "1 always" in parse_reply(q["core_braced"], "9").message
    assert parse_reply(q["pain_location"], "1, knees").value == frozenset({"lower_back", "knees"})
    assert parse_reply(q["pain_location"], "").value == frozenset()
    assert parse_reply(q["pain_location"], "lower back").value == frozenset({"lower_back"})
    assert parse_reply(q["pain_location"], "1 3").value == frozenset({"lower_back", "hips"})
    assert parse_reply(q["pain_location"], "knees, elbows").kind == "invalid"
    assert parse_reply(q["pain_timing"], "bottom").value == "bottom_of_rep"
    assert parse_reply(q["knee_angle_at_bottom"], "85 degrees").value == 85.0
    assert parse_reply(q["knee_angle_at_bottom"], "85°").value == 85.0
    assert "out of range" in parse_reply(q["knee_angle_at_bottom"], "200").message
    assert parse_reply(q["knee_angle_at_bottom"], "back").value == "back"


def test_back_after_a_screen_undoes_only_that_screen(rb: RuleBase) -> None:
    state = SessionState()
    for reply in (35.0, False, False):  # age, then "none of these" twice
        step = next_step(rb, state)
        assert isinstance(step, Ask)
        state = record_answer(rb, state, step.question.id, reply)
    first = rb.screens["nerve_signs"].question_ids
    second = rb.screens["general_health"].question_ids
    assert all(state.answers[q] is False for q in (*first, *second))
    state, undone = state.undo()
    assert undone == "screen:general_health"
    assert all(state.answers[q] is False for q in first)  # the earlier screen stays
    assert not set(second) & set(state.answers)
    step = next_step(rb, state)
    assert isinstance(step, Ask) and step.question.id == "screen:general_health"
    assert step.number == 3


def test_an_unsure_age_is_read_at_both_ends_of_its_range(rb: RuleBase) -> None:
    state = SessionState().answer("age_years", None).answer("after_trauma", True)
    flags = {f.flag.id: f for f in screen_state(rb, state).flags}
    assert flags["fracture_risk_after_trauma"].unsure
    assert flags["fracture_risk_after_trauma"].level.value == "clinician"
    assert ("age_years", "unsure") in flags["fracture_risk_after_trauma"].because


def _to_checklist(rb: RuleBase) -> tuple[SessionState, Ask]:
    """Past the screen, answering pain questions until the form checklist comes up."""
    state = past_safety(rb)
    for _ in range(10):
        step = next_step(rb, state)
        assert isinstance(step, Ask)
        if step.question.id == "screen:what_happens_in_a_set":
            return state, step
        value = frozenset({"lower_back"}) if step.question.id == "pain_location" else None
        state = record_answer(rb, state, step.question.id, value)
    raise AssertionError("the checklist never came up")


def test_the_form_checklist_ticks_yes_marks_unsure_and_leaves_no(rb: RuleBase) -> None:
    state, step = _to_checklist(rb)
    items = rb.screens["what_happens_in_a_set"].question_ids
    # The items, then "not sure about the rest" (tested below).
    assert [q for q, _ in step.question.choices] == [*items, UNSURE_REST]
    reply = parse_reply(step.question, "1, ?6, butt")
    assert reply.kind == "answer"
    state = record_answer(rb, state, step.question.id, reply.value)
    assert state.answers["pelvis_tucks_under"] is True
    assert state.answers["butt_lifts_off_seat"] is True
    assert "heels_lift" not in state.answers and "heels_lift" in state.skipped  # ?6
    assert state.answers["knees_cave_in"] is False  # not ticked: no
    # The checklist is asked once; its items are never asked one by one afterwards.
    for _ in range(30):
        step = next_step(rb, state)
        if not isinstance(step, Ask):
            break
        assert step.question.id not in items and not step.question.id.startswith("screen:")
        state = record_answer(rb, state, step.question.id, None)
    undone_state, undone = state.undo()
    while undone is not None and undone != "screen:what_happens_in_a_set":
        undone_state, undone = undone_state.undo()
    assert undone == "screen:what_happens_in_a_set"
    assert not set(items) & (set(undone_state.answers) | undone_state.skipped)


def test_a_question_mark_on_the_checklist_asks_each_item(rb: RuleBase) -> None:
    state, step = _to_checklist(rb)
    assert parse_reply(step.question, "?").kind == "skip"
    state = record_answer(rb, state, step.question.id, None)
    step = next_step(rb, state)
    assert isinstance(step, Ask)
    assert step.question.id in rb.screens["what_happens_in_a_set"].question_ids


def test_unsure_marks_are_only_for_checklists(rb: RuleBase) -> None:
    reply = parse_reply(rb.questions["pain_location"], "?1")
    assert reply.kind in ("invalid", "skip")  # never an answer holding a "?" value


def test_only_safety_screens_count_not_sure_as_a_warning_sign() -> None:
    from legpress_diag.api import bundled_rulebase
    from legpress_diag.intake.questionnaire import on_screen
    from legpress_diag.knowledge.rulebase import SCREEN_PREFIX

    rb = bundled_rulebase()
    safety = rb.safety_questions()
    kinds = {screen.id: on_screen(rb, SCREEN_PREFIX + screen.id) for screen in rb.screens.values()}
    assert any(kinds.values()) and not all(kinds.values())  # the checklist is not one
    for screen in rb.screens.values():
        assert kinds[screen.id] == any(q in safety for q in screen.question_ids)
    assert on_screen(rb, "age_years") and not on_screen(rb, "heels_lift")


def test_the_screen_s_own_words_none_of_these_answer_no(rb: RuleBase) -> None:
    from legpress_diag.intake.questionnaire import screen_as_question

    screen = next(s for s in rb.screens.values() if s.style == "any_of")
    question = screen_as_question(rb, screen, SessionState())
    for words in ("none of these", "None of these.", "none of them", "nothing"):
        reply = parse_reply(question, words)
        assert (reply.kind, reply.value) == ("answer", False), words
