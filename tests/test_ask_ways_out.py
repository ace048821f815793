"""Every way out of `legpress-diag ask` keeps the answers (issue 22, item 9): 'quit',
Ctrl-D and Ctrl-C alike save them to the same private fallback file and print the
command to carry on, and the resumed session goes on numbering where it stopped.
Run in a real pseudo-terminal; every wait is on printed text, never a sleep."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

TIMEOUT = 60  # generous: the machine may be loaded
NUMBER = re.compile(r"Question (\d+) of about \d+")
RESUME = re.compile(r"legpress-diag ask --answers (\S+)")


def spawn(state: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "LINES": "40"}
    env["XDG_STATE_HOME"] = str(state)
    return pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 200),  # wide, so the printed command is never wrapped
    )


def question_number(child: pexpect.spawn) -> int:
    child.expect(NUMBER)
    number = int(child.match.group(1))
    child.expect("> ")
    return number


def answer_three(child: pexpect.spawn) -> int:
    """Age, then "none of these" on two safety screens; returns the pending number."""
    assert question_number(child) == 1
    child.sendline("35")
    for expected in (2, 3):
        assert question_number(child) == expected
        child.sendline("n")
    return question_number(child)


WAYS_OUT = {
    "quit": (lambda child: child.sendline("quit"), 0),
    "ctrl-d": (lambda child: child.sendeof(), 1),
    "ctrl-c": (lambda child: child.sendintr(), 130),
}


@pytest.mark.parametrize("way", sorted(WAYS_OUT))
def test_every_way_out_keeps_the_answers_and_resumes_on_the_same_number(
    tmp_path: Path, way: str
) -> None:
    state = tmp_path / "state"
    child = spawn(state)
    pending = answer_three(child)
    leave, status = WAYS_OUT[way]
    leave(child)
    child.expect(RESUME)
    kept = Path(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == status
    # The same private fallback file for every way out, in the state folder.
    assert kept.parent == state / "legpress-diag"
    assert kept.stat().st_mode & 0o777 == 0o600
    answers = json.loads(kept.read_text())["answers"]
    assert answers["age_years"] == 35 and len(answers) > 3

    resumed = spawn(state, "--answers", str(kept))
    assert question_number(resumed) == pending  # numbering goes on where it stopped
    resumed.sendline("quit")
    resumed.expect(pexpect.EOF)


def test_quit_before_any_answer_saves_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    child = spawn(state)
    assert question_number(child) == 1
    child.sendline("quit")
    child.expect("Stopped.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (state / "legpress-diag").exists()
    assert "--answers" not in child.before


def test_quit_with_save_writes_there_and_says_so(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    child = spawn(tmp_path / "state", "--save", str(saved))
    answer_three(child)
    child.sendline("quit")
    child.expect(f"legpress-diag ask --answers {saved} --save {saved}")
    child.expect(pexpect.EOF)
    assert json.loads(saved.read_text())["answers"]["age_years"] == 35
    assert not (tmp_path / "state" / "legpress-diag").exists()
