"""The questions the interview chooses, pinned for several ways of answering.

Choosing the next question weighs every candidate against the rule base's belief
bounds, which is the costly part of a step and the part most tempting to optimise
(issue 25). Whatever is made faster, the same answers must lead to the same
questions, in the same order, with the same "about N left": this walks the bundled
rule base along fixed answer paths (each answer a pure function of the question and
a seeded generator, so nothing depends on luck) and compares every step with
tests/snapshots/interview_paths.json. Run with UPDATE_SNAPSHOTS=1 to rewrite it after
an intended change of the questionnaire, and say why in the commit.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.intake.progress import about_left
from legpress_diag.intake.questionnaire import SCREEN_PREFIX, SessionState
from legpress_diag.intake.session import Turn, next_turn
from legpress_diag.knowledge.rulebase import Question, QuestionType, RuleBase
from legpress_diag.web.service import interview

SNAPSHOT = Path(__file__).parent / "snapshots" / "interview_paths.json"

Policy = Callable[[Question, random.Random], Any]


def _items(question: Question) -> list[str]:
    return [value for value, _ in question.choices]


def _number(question: Question, where: float) -> float:
    low = question.minimum if question.minimum is not None else 0.0
    high = question.maximum if question.maximum is not None else 100.0
    return round(low + (high - low) * where)


def _answer(question: Question, rng: random.Random, yes: float, unsure: float) -> Any:
    """A record-format answer: "unsure" with chance ``unsure``, else yes with ``yes``."""
    if rng.random() < unsure:
        return "unsure"
    on_screen = question.id.startswith(SCREEN_PREFIX)
    if question.type is QuestionType.MULTI:
        picked = [v for v in _items(question) if not v.startswith("?") and rng.random() < yes]
        return [v for v in picked if v in _items(question)]
    if question.type is QuestionType.YES_NO:
        said = rng.random() < yes
        return ("yes" if said else "no") if on_screen else said
    if question.type is QuestionType.CHOICE:
        return rng.choice(_items(question))
    return _number(question, rng.random())


def _safe_then(yes: float, unsure: float) -> Policy:
    """Clear the safety screen, then answer the form questions at random."""

    def policy(question: Question, rng: random.Random) -> Any:
        if question.group == "safety" or question.id.startswith(SCREEN_PREFIX + "nerve"):
            if question.type is QuestionType.NUMBER:
                return 34
            return "no" if question.id.startswith(SCREEN_PREFIX) else False
        if question.id.startswith(SCREEN_PREFIX) and question.type is QuestionType.YES_NO:
            return "no"
        return _answer(question, rng, yes, unsure)

    return policy


def _anything(yes: float, unsure: float) -> Policy:
    """Any answer anywhere, the safety screen too (so some paths end in a referral)."""

    def policy(question: Question, rng: random.Random) -> Any:
        if question.type is QuestionType.NUMBER and question.group == "safety":
            return _number(question, rng.random())
        return _answer(question, rng, yes, unsure)

    return policy


PATHS: dict[str, tuple[Policy, int]] = {
    "clear screen, mostly yes": (_safe_then(0.8, 0.0), 1),
    "clear screen, mostly no": (_safe_then(0.2, 0.0), 2),
    "clear screen, half yes": (_safe_then(0.5, 0.0), 3),
    "clear screen, half yes, some unsure": (_safe_then(0.5, 0.25), 4),
    "clear screen, all unsure": (_safe_then(0.5, 1.0), 5),
    "clear screen, seed 6": (_safe_then(0.5, 0.1), 6),
    "clear screen, seed 7": (_safe_then(0.6, 0.1), 7),
    "clear screen, seed 8": (_safe_then(0.4, 0.05), 8),
    "anything, seed 9": (_anything(0.15, 0.1), 9),
    "anything, seed 10": (_anything(0.3, 0.2), 10),
    # Warning signs answered "not sure", some asked again with their self-check, and
    # the form questions after a screen that opened.
    "anything, seed 13": (_anything(0.05, 0.5), 13),
    "anything, seed 14": (_anything(0.05, 0.5), 14),
    "anything, seed 17": (_anything(0.1, 0.3), 17),
    "anything, seed 22": (_anything(0.1, 0.3), 22),
    "anything, seed 27": (_anything(0.1, 0.3), 27),
}


def walk(rb: RuleBase, policy: Policy, seed: int) -> list[list[Any]]:
    """[question id, about_left, the terminal's number and about] per step, then the
    stop: what the HTTP interview, the web page and `ask` each show along one path."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    steps: list[list[Any]] = []
    for _ in range(80):
        current = interview(rb, answers)
        if current.ask is None:
            assert current.stop is not None
            steps.append(["stop", current.stop.kind])
            return steps
        question = current.ask.question
        steps.append([question.id, about_left(rb, answers)])
        answers[question.id] = policy(question, rng)
    raise AssertionError(f"no end after 80 steps: {steps}")


def terminal_walk(rb: RuleBase, answers: dict[str, Any]) -> list[list[Any]]:
    """The same answers through `ask`'s turns: the question, its number, about how many."""
    from legpress_diag.intake.questionnaire import state_from_answers

    turns: list[list[Any]] = []
    items = list(answers.items())
    for count in range(len(items) + 1):
        state: SessionState = state_from_answers(rb, dict(items[:count])).state
        turn = next_turn(rb, state)
        if isinstance(turn, Turn):
            turns.append([turn.step.question.id, turn.step.number, turn.about])
        else:
            turns.append(["stop", turn.kind])
    return turns


def _all_paths(rb: RuleBase) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (policy, seed) in PATHS.items():
        steps = walk(rb, policy, seed)
        rng = random.Random(seed)
        answers: dict[str, Any] = {}
        for step in steps[:-1]:
            question_id = step[0]
            question = _question(rb, question_id, answers)
            answers[question_id] = policy(question, rng)
        out[name] = {"steps": steps, "turns": terminal_walk(rb, answers)}
    return out


def _question(rb: RuleBase, question_id: str, answers: dict[str, Any]) -> Question:
    current = interview(rb, answers)
    assert current.ask is not None and current.ask.question.id == question_id
    return current.ask.question


def test_the_chosen_questions_are_pinned(rb: RuleBase) -> None:
    got = _all_paths(rb)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(got, indent=1) + "\n")
    want = json.loads(SNAPSHOT.read_text())
    for name in PATHS:
        assert got[name] == want[name], name


def test_the_paths_reach_past_the_screen_and_stop_each_way(rb: RuleBase) -> None:
    """The pins are worth something only if the paths weigh candidates: each clear
    path asks several form questions, and the paths end all three ways."""
    want = json.loads(SNAPSHOT.read_text())
    kinds = {path["steps"][-1][1] for path in want.values()}
    assert kinds >= {"settled", "referral"}
    asked = {str(s[0]) for path in want.values() for s in path["steps"]}
    assert any(q.startswith("check:") for q in asked)  # a self-check
    assert "saddle_numbness" in asked  # a safety screen opened, its signs one by one
    for name, path in want.items():
        if name.startswith("clear"):
            form = [s for s in path["steps"][:-1] if not str(s[0]).startswith(SCREEN_PREFIX)]
            assert len(form) >= 5, name


@pytest.fixture(scope="module")
def rb() -> RuleBase:
    from legpress_diag.api import bundled_rulebase

    return bundled_rulebase()
