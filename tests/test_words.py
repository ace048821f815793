"""What a lifter reads instead of ids: the brief "why I ask this", statuses and
warnings in words, and the progress estimate that never goes up (issue 22)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.progress import about_left
from legpress_diag.intake.questionnaire import (
    SCREEN_PREFIX,
    Ask,
    next_step,
    prompts_left,
    state_from_answers,
)
from legpress_diag.knowledge.rulebase import QuestionType
from legpress_diag.presentation.render.words import (
    STATUS_WORDS,
    in_words,
    screen_warning_lines,
    status_words,
    why_in_brief,
)

from .test_no_ids import rule_base_ids, visible_ids

RB = bundled_rulebase()
IDS = rule_base_ids(RB)
EVERY_PROMPT = [*RB.questions, *(SCREEN_PREFIX + s for s in RB.screens)]


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def test_every_why_is_one_or_two_plain_sentences() -> None:
    for qid in EVERY_PROMPT:
        why = why_in_brief(RB, qid)
        assert 1 <= sentences(why) <= 2, (qid, why)
        assert not visible_ids(why, IDS), (qid, why)
        assert "level)" not in why and "'" not in why.replace("doctor's", ""), (qid, why)


def test_why_names_the_causes_an_answer_bears_on() -> None:
    why = why_in_brief(RB, "knee_angle_at_bottom")
    assert why.startswith("Your answer helps tell whether the pain comes from")
    assert "lowering the sled too far" in why
    assert "safety question" in why_in_brief(RB, "age_years")
    assert "exercises to suggest instead" in why_in_brief(RB, "equipment_available")


def test_statuses_and_the_incomplete_screen_read_in_words() -> None:
    assert set(STATUS_WORDS) >= {"ok", "refer", "no_fault_found", "error", "unscreened"}
    assert status_words("something_new") == "something new"
    result = diagnose({"answers": {"saddle_numbness": "yes"}}, RB)
    [line] = screen_warning_lines(result, RB)
    assert "not answered:" in line and not visible_ids(line, IDS)
    assert "new trouble starting, stopping or controlling your bladder" in line
    assert in_words("age_years and excess_depth", RB) == (
        "How old are you and Lowering the sled too far"
    )
    assert in_words("x_y stays", RB) == "x_y stays"


def walk(choices: list[int]) -> list[dict[str, Any]]:
    """The answers after each step of an interview whose replies are drawn."""
    answers: dict[str, Any] = {}
    seen = [dict(answers)]
    for pick in choices:
        step = next_step(RB, state_from_answers(RB, answers).state)
        if not isinstance(step, Ask):
            break
        question = step.question
        if question.id.startswith(SCREEN_PREFIX) and question.type is QuestionType.YES_NO:
            options: list[Any] = ["yes", "no", "unsure"]
        elif question.type is QuestionType.YES_NO:
            options = ["yes", "no", "unsure"]
        elif question.type is QuestionType.NUMBER:
            options = [question.minimum or 0, 90, question.maximum or 100, "unsure"]
        elif question.type is QuestionType.CHOICE:
            options = [*question.choice_values, "unsure"]
        else:
            options = [[], [question.choice_values[0]], "unsure"]
        answers[question.id] = options[pick % len(options)]
        seen.append(dict(answers))
    return seen


@settings(max_examples=25)
@given(st.lists(st.integers(min_value=0, max_value=20), min_size=5, max_size=40))
def test_the_estimate_never_goes_up(choices: list[int]) -> None:
    lefts = [about_left(RB, answers) for answers in walk(choices)]
    assert all(a >= b for a, b in itertools.pairwise(lefts)), lefts
    assert all(left >= 1 for left in lefts)


def test_the_raw_estimate_swings_where_the_shown_one_does_not() -> None:
    """The case the smoothing is for: after the screens, the fresh estimate goes up."""
    answers: dict[str, Any] = {
        "age_years": 34,
        "screen:nerve_signs": "no",
        "screen:general_health": "no",
    }
    before = prompts_left(RB, state_from_answers(RB, answers).state)
    answers["screen:pain_pattern"] = "no"
    after = prompts_left(RB, state_from_answers(RB, answers).state)
    assert after > before  # one question answered, yet the fresh estimate went up
    shown_before = about_left(RB, dict(list(answers.items())[:-1]))
    assert about_left(RB, answers) <= shown_before < after


def test_the_terminal_total_never_swings_down_and_up() -> None:
    """`ask`'s "Question N of about M": M never goes down once it went up, and the
    questions left (M - N + 1) never go up, through a screen opened with "yes"."""
    from typer.testing import CliRunner

    from legpress_diag.cli.app import app

    done = CliRunner().invoke(
        app,
        ["ask"],
        input="34\ny\n" + "n\n" * 8 + "n\nn\n" + "?\n" * 40 + "\n",
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert done.exit_code == 0, done.stderr
    pairs = [(int(n), int(m)) for n, m in re.findall(r"Question (\d+) of about (\d+)", done.stderr)]
    assert len(pairs) > 8
    lefts = [m - n + 1 for n, m in pairs]
    assert all(a >= b for a, b in itertools.pairwise(lefts)), pairs
    assert all(a <= b for a, b in itertools.pairwise(m for _, m in pairs)), pairs


def test_a_referral_is_headed_by_how_soon_its_most_urgent_flag_says() -> None:
    """Attack round 10, L2: every referral was headed "See a doctor or clinician
    first", an EMERGENCY too, whose box below says go now."""
    from legpress_diag.presentation.render.report import markdown_report
    from legpress_diag.presentation.render.words import REFERRAL_WORDS, result_words

    from .test_interview_two_spellings import SCREEN_CLEAR

    emergency = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}}, RB)
    assert result_words(emergency) == "Go to an emergency department now"
    assert "## Result: Go to an emergency department now" in markdown_report(emergency, RB)
    # Not sure to the emergency sign: one level lower, and the heading says so.
    unsure = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbness": "unsure"}}, RB)
    [level] = {flag["level"] for flag in unsure["red_flags"]}
    assert result_words(unsure) == REFERRAL_WORDS[level] != REFERRAL_WORDS["emergency"]
    clear = diagnose({"answers": SCREEN_CLEAR}, RB)
    assert result_words(clear) == status_words(clear["status"])
