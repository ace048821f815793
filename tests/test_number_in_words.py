"""A number the lifter cannot measure also takes words (issue 22, item 11): the knee
angle as "about a right angle / deeper / much deeper", each mapped to a number in the
rule file (not in code), in `ask` and in the interview API."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.intake.questionnaire import state_from_answers
from legpress_diag.intake.replies import parse_reply
from legpress_diag.knowledge.loader import load_rulebase

RB = bundled_rulebase()
KNEE = RB.questions["knee_angle_at_bottom"]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("b", 90),
        ("B", 90),
        ("about a right angle", 90),
        ("deeper", 75),
        ("c", 75),
        ("much deeper", 60),
        ("Much  deeper: knees near the chest", 60),
        ("d", 60),
        ("not as deep", 110),
        ("85", 85),  # numbers still work
        ("ninety", 90),
    ],
)
def test_ask_takes_the_words(typed: str, number: float) -> None:
    reply = parse_reply(KNEE, typed)
    assert (reply.kind, reply.value) == ("answer", number)


@pytest.mark.parametrize("typed", ["e", "de", "right angle", "way down"])
def test_unclear_words_are_asked_again_naming_the_letters(typed: str) -> None:
    reply = parse_reply(KNEE, typed)
    assert reply.kind == "invalid" and "a, b, c or d" in reply.message


def test_the_words_are_the_rule_files(write: Any) -> None:
    # The same question with other words: the numbers come from the file.
    path: Path = write(
        "depth.yaml",
        """
        questions:
          - id: knee_angle_at_bottom
            replaces: true
            type: number
            text: How deep?
            min: 20
            max: 180
            words: {"shallow": 130, "deep": 70}
        """,
    )
    rb = load_rulebase([path])
    question = rb.questions["knee_angle_at_bottom"]
    assert parse_reply(question, "deep").value == 70
    assert parse_reply(question, "b").value == 70
    assert parse_reply(question, "deeper").kind == "invalid"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    words: {'folded': 10}\n", "outside min..max"),
        ("    words: {'folded': 60}\n    choices: {a: A}\n", "takes no 'choices'"),
    ],
)
def test_words_are_checked_when_the_file_loads(write: Any, extra: str, message: str) -> None:
    text = "questions:\n  - id: depth\n    type: number\n    text: How deep?\n"
    path = write("bad.yaml", text + "    min: 20\n    max: 180\n" + extra)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    [d] = info.value.diagnostics
    assert message in d.message and d.span is not None and d.span.line == 2


def test_only_number_questions_take_words(write: Any) -> None:
    path = write("bad.yaml", "questions:\n  - {id: y, type: yes_no, text: Y?, words: {a: 1}}\n")
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    assert "only number questions take 'words'" in info.value.diagnostics[0].message


def test_the_interview_takes_a_label() -> None:
    label = next(label for label, n in KNEE.words if n == 60)
    replay = state_from_answers(RB, {"knee_angle_at_bottom": label})
    assert not replay.errors and replay.state.answers["knee_angle_at_bottom"] == 60
    wrong = state_from_answers(RB, {"knee_angle_at_bottom": "folded in half"})
    assert wrong.errors and wrong.errors[0].key == "knee_angle_at_bottom"


def test_ask_lists_the_words_under_the_question(tmp_path: Path) -> None:
    # In a real terminal: the screen answered, then every question skipped until the
    # depth comes up; it lists the words, and "much deeper" is taken as an answer.
    env = {**os.environ, "NO_COLOR": "1", "XDG_STATE_HOME": str(tmp_path), "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
    )
    replies = iter(["35", "n", "n", "n", "1", "1", "1, 2, ?rest"])
    for _ in range(20):
        child.expect(r"Question \d+ of about \d+ · [^\r\n]*\r?\n([^\r\n]+)")
        asked = child.match.group(1)
        child.expect("> ")
        if asked.startswith("At the deepest point"):
            break
        child.sendline(next(replies, "?"))
    else:
        raise AssertionError("the depth question never came")
    shown = child.before
    for letter, (label, _) in zip("abcd", KNEE.words, strict=True):
        assert f"{letter}. {label}" in shown
    assert "a number 20-180 degrees, or a letter a-d" in shown
    child.sendline("much deeper")
    child.expect(r"Question \d+")  # taken: the next question comes
    child.sendline("quit")
    child.expect(pexpect.EOF)
