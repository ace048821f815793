"""state_from_answers: the stateless interview asks what `ask` asks, in the same order.

The terminal loop keeps a SessionState and calls record_answer/undo; a stateless
client keeps only the answers in order and drops the last one to go back. Both must
lead to the same next step and the same saved record.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from legpress_diag.intake.interview import record_value
from legpress_diag.intake.questionnaire import (
    Ask,
    SessionState,
    next_step,
    record_answer,
    session_record,
    state_from_answers,
)
from legpress_diag.knowledge.rulebase import Question, QuestionType, RuleBase


def reply(draw: Any, question: Question) -> Any:
    """A normalized reply as the terminal produces it; None is "not sure"."""
    if draw(st.integers(0, 5)) == 0:
        return None
    if question.group == "safety" and question.type is QuestionType.YES_NO:
        return draw(st.sampled_from([False, False, False, False, True]))  # mostly on to form
    if question.type is QuestionType.YES_NO:
        return draw(st.booleans())
    if question.type is QuestionType.CHOICE:
        return draw(st.sampled_from(question.choice_values))
    if question.type is QuestionType.MULTI:
        return frozenset(draw(st.lists(st.sampled_from(question.choice_values), max_size=3)))
    assert question.minimum is not None and question.maximum is not None
    return float(draw(st.integers(int(question.minimum), int(question.maximum))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_replaying_the_answers_is_the_session(rb: RuleBase, data: st.DataObject) -> None:
    state = SessionState()
    answers: dict[str, Any] = {}
    for _ in range(60):
        replay = state_from_answers(rb, answers)
        assert not replay.errors
        step = next_step(rb, replay.state)
        assert step == next_step(rb, state)
        if not isinstance(step, Ask):
            break
        if answers and data.draw(st.integers(0, 9)) == 0:  # back
            state, undone = state.undo()
            assert undone == list(answers)[-1]
            answers.popitem()
            continue
        question = step.question
        value = reply(data.draw, question)
        state = record_answer(rb, state, question.id, value)
        answers[question.id] = record_value(rb, question.id, value)
    event(f"answers: {len(answers) // 5 * 5}+")
    assert session_record(rb, state_from_answers(rb, answers).state, "x") == session_record(
        rb, state, "x"
    )


def test_a_screen_answered_no_answers_each_sign_no(rb: RuleBase) -> None:
    state = state_from_answers(rb, {"screen:nerve_signs": "no"}).state
    assert all(state.answers[q] is False for q in rb.screens["nerve_signs"].question_ids)
    opened = state_from_answers(rb, {"screen:nerve_signs": "unsure"}).state
    assert opened.opened == {"nerve_signs"} and not opened.answers


def test_bad_answers_are_named_like_batch_errors(rb: RuleBase) -> None:
    replay = state_from_answers(
        rb, {"screen:nerve_signs": "maybe", "heels_lift": 3, "pain_timing": "unsure"}
    )
    messages = {p.key: p.message for p in replay.errors}
    assert messages == {
        "screen:nerve_signs": 'screen:nerve_signs: "maybe" is not a yes/no answer',
        "heels_lift": "heels_lift: 3 is not a yes/no answer",
    }
