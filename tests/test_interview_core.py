"""The one interview core (intake/interview.py) that `ask`, `/v1/interview` and the
web page all drive: one rebuild from the answers, one way to apply a reply, one
choice of the next question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.intake.interview import (
    Ask,
    InvalidAnswers,
    Stop,
    answer,
    choose,
    rebuild,
    record_value,
)
from legpress_diag.intake.questionnaire import SessionState
from legpress_diag.intake.session import resume
from legpress_diag.knowledge.rulebase import UNSURE_REST, Question, QuestionType, RuleBase
from legpress_diag.web.pages import apply_form
from legpress_diag.web.service import interview

CLEAR: dict[str, Any] = {
    "age_years": 34,
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
}


def test_a_key_in_another_case_is_read_by_every_front_end(rb: RuleBase, tmp_path: Path) -> None:
    """'Saddle_Numbness' is saddle_numbness for the HTTP interview and the page too, as
    for `diagnose` and `ask --answers`: a "yes" to it is a warning sign, not a key
    dropped with a warning while the screen asks it again."""
    current = rebuild(rb, {"age_years": 30, "Saddle_Numbness": "yes"})
    assert current.answers["saddle_numbness"] is True
    assert isinstance(current.next, Stop) and current.next.kind == "referral"
    assert [w.key for w in current.warnings] == ["Saddle_Numbness"]
    step = interview(rb, {"age_years": 30, "Saddle_Numbness": "yes"})
    assert step.result is not None and step.result["status"] == "refer"
    saved = tmp_path / "saved.json"
    saved.write_text('{"answers": {"age_years": 30, "Saddle_Numbness": "yes"}}')
    assert resume(rb, saved).state.answers == current.answers


def test_resume_and_rebuild_read_the_same_answers_the_same_way(
    rb: RuleBase, tmp_path: Path
) -> None:
    answers: dict[str, Any] = {
        **CLEAR,
        "pain_location": ["lower_back"],
        "heels_lift": "unsure",
        "knee_angle_at_bottom": 70,
    }
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps({"answers": answers}))
    resumed = resume(rb, saved).state
    rebuilt = rebuild(rb, answers).state
    assert (resumed.answers, resumed.skipped) == (rebuilt.answers, rebuilt.skipped)
    assert resumed.prefilled == frozenset(resumed.history) and not rebuilt.prefilled


def test_invalid_answers_raise_with_each_problem(rb: RuleBase) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        rebuild(rb, {"age_years": 500, "screen:nerve_signs": "maybe"})
    assert [p.key for p in caught.value.problems] == ["screen:nerve_signs", "age_years"]


def test_answer_is_the_rebuild_of_the_answers_with_one_more(rb: RuleBase) -> None:
    """Stepping an interview in memory (`ask`) and rebuilding it from its answers in
    record form (the API, the page) land in the same place, reply by reply."""
    current = choose(rb, SessionState())
    answers: dict[str, Any] = {}
    for turn in range(12):
        assert isinstance(current.next, Ask)
        question = current.next.question
        qid = question.id
        value = _reply(question, turn)
        current = answer(rb, current, qid, value)
        answers[qid] = record_value(rb, qid, value)
        again = rebuild(rb, answers)
        assert (again.state.answers, again.state.skipped, again.next) == (
            current.state.answers,
            current.state.skipped,
            current.next,
        )


def _reply(question: Question, turn: int) -> Any:
    """Some reply of the question's kind: "not sure" now and then, "no" on screens."""
    if turn % 5 == 4:
        return None
    if question.type is QuestionType.NUMBER:
        return 34.0
    if question.type is QuestionType.YES_NO:
        return not question.id.startswith("screen:") and turn % 2 == 0
    if question.type is QuestionType.CHOICE:
        return question.choice_values[0]
    return frozenset(question.choice_values[:1])


def test_record_value_writes_each_kind_of_reply(rb: RuleBase) -> None:
    assert record_value(rb, "screen:nerve_signs", False) == "no"
    assert record_value(rb, "screen:nerve_signs", True) == "yes"
    assert record_value(rb, "screen:nerve_signs", None) == "unsure"
    checklist = next(s for s in rb.screens.values() if s.style == "pick")
    first, second = checklist.question_ids[:2]
    picked = frozenset({UNSURE_REST, second, first})
    assert record_value(rb, f"screen:{checklist.id}", picked) == [first, second, UNSURE_REST]
    assert record_value(rb, "check:saddle_numbness", False) == "no"
    assert record_value(rb, "heels_lift", True) == "yes"
    assert record_value(rb, "age_years", 34.0) == 34
    with pytest.raises(KeyError):
        record_value(rb, "no_such_question", True)


def test_the_page_form_is_read_as_a_reply(rb: RuleBase) -> None:
    """The page keeps the answers as record_value writes them, whatever the form."""
    assert apply_form(rb, {}, "screen:nerve_signs", "no", []) == (
        {"screen:nerve_signs": "no"},
        None,
    )
    assert apply_form(rb, {}, "heels_lift", "unsure", []) == ({"heels_lift": "unsure"}, None)
    assert apply_form(rb, {}, "age_years", "answer", ["34"]) == ({"age_years": 34}, None)
    after, error = apply_form(rb, {"a": 1}, "age_years", "answer", ["five hundred"])
    assert after == {"a": 1} and error
    assert apply_form(rb, {"a": 1}, "screen:no_such", "yes", []) == ({"a": 1}, None)
    assert apply_form(rb, {}, "check:saddle_numbness", "maybe", [])[1]


def test_remembered_steps_are_kept_per_state_and_rule_base(rb: RuleBase) -> None:
    """A step is worked out once per state; a state that differs in anything the
    choice reads (here only the self-check mark) is another entry."""
    from dataclasses import replace

    from legpress_diag.intake.questionnaire.memo import forget, remembered, state_key

    forget()
    calls: list[int] = []
    state = SessionState().answer("heels_lift", True)

    def work() -> int:
        calls.append(1)
        return len(calls)

    first = remembered(rb, "test", state, work)
    again = remembered(rb, "test", SessionState().answer("heels_lift", True), lambda: 99)
    assert (first, again, calls) == (1, 1, [1])
    rechecked = replace(state, rechecked=frozenset({"heels_lift"}))
    assert state_key(rechecked) != state_key(state)
    assert remembered(rb, "test", rechecked, lambda: 7) == 7
    forget()
    assert remembered(rb, "test", state, lambda: 8) == 8
