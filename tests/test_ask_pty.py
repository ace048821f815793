"""`legpress-diag ask` end to end in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from legpress_diag.api import bundled_rulebase, diagnose

QUESTION = re.compile(r"Question (\d+)(?: of about \d+)? · [^\r\n]*\r?\n([^\r\n]+)")
TIMEOUT = 60  # generous: a loaded machine is slow, and a pass waits only as long as it needs


def spawn(*args: str, columns: int = 100) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns), "LINES": "40"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, columns),
    )
    return child


def question_by_text(text: str) -> str:
    rb = bundled_rulebase()
    for screen in rb.screens.values():  # the safety screen's "any of these?" prompts
        if screen.text.startswith(text.strip()[:40]):
            return f"screen:{screen.id}"
    for question in rb.questions.values():
        if question.text.startswith(text.strip()[:40]):
            return question.id
    raise AssertionError(f"unknown question on screen: {text!r}")


def answer_all(
    child: pexpect.spawn, answers: dict[str, str], default_yes_no: str = "n"
) -> list[str]:
    """Answer every question from ``answers`` (default: 'n' / skip) until the result."""
    asked = []
    while True:
        index = child.expect([QUESTION, "That's enough", "Your plan", "No form fault"])
        if index != 0:
            return asked
        qid = question_by_text(child.match.group(2))
        asked.append(qid)
        child.expect("> ")
        rb = bundled_rulebase()
        question = rb.questions.get(qid)
        screen = rb.screens.get(qid.removeprefix("screen:"))
        if screen is not None and screen.style == "pick":
            # A checklist: tick the items answered 'y' (by name), the rest are 'no'.
            ticked = [q for q in screen.question_ids if answers.get(q) == "y"]
            child.sendline(answers.get(qid, ", ".join(ticked)))
            continue
        kind = question.type.value if question is not None else "yes_no"
        child.sendline(answers.get(qid, default_yes_no if kind == "yes_no" else "?"))


def test_red_flag_session_refers_with_no_exercise_advice() -> None:
    child = spawn()
    child.expect("Question 1")
    child.expect("> ")
    child.sendline("40")
    child.expect("Question 2")
    child.expect("none of these")
    child.expect("> ")
    child.sendline("y")  # one of these: each sign is then asked alone
    child.expect("Question 3")
    child.expect("> ")
    child.sendline("y")
    child.expect("EMERGENCY: go to an emergency department now")
    child.expect("Numbness or tingling in the saddle area")
    child.expect(r"does\s+not\s+diagnose")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Exercises to use instead" not in child.before


def test_full_session_saves_and_replays_to_the_same_diagnosis(tmp_path: Path) -> None:
    saved, report = tmp_path / "me.json", tmp_path / "me.html"
    child = spawn("--save", str(saved), "--report", str(report))
    asked = answer_all(
        child,
        {
            "pelvis_tucks_under": "y",
            "lower_back_rounds": "y",
            "knee_angle_at_bottom": "70",
            "can_touch_toes": "n",
            "pain_location": "1",
            "equipment_available": "hack_squat, 4",
            "age_years": "35",
        },
    )
    child.expect("Type 'how N'")
    child.sendline("how posterior_pelvic_tilt")
    child.expect("All together: likely")
    child.sendline("how --detail 1")
    child.expect("combine: ")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # The whole safety screen in four prompts for someone with no warning sign.
    assert asked[:4] == [
        "age_years",
        "screen:nerve_signs",
        "screen:general_health",
        "screen:pain_pattern",
    ]
    # Questions that only filter alternatives come last, once alternatives are certain;
    # without a supine leg press in the gym, the machine type is not asked.
    assert asked[-1] == "equipment_available" and "machine_type" not in asked
    record = json.loads(saved.read_text())
    assert record["answers"]["knee_angle_at_bottom"] == 70
    replay = diagnose(record)
    assert next(c["id"] for c in replay["causes"]) == "posterior_pelvic_tilt"
    # The hack squat, and with the dumbbells (choice 4) the Bulgarian split squat.
    assert [a["id"] for a in replay["alternatives"]] == ["hack_squat", "bulgarian_split_squat"]
    page = report.read_text()
    assert page.startswith("<!doctype html>") and "Pelvis tucking under" in page
    assert "do your hips tuck under" in page  # question wording, looked up in the rule base
    assert "why: Seeing the hips tuck under is direct evidence" in page  # a rule's note


def test_why_back_and_a_wrong_answer() -> None:
    child = spawn()
    child.expect("> ")
    child.sendline("35")
    child.expect("Question 2")
    child.expect("> ")
    child.sendline("why")
    child.expect("warning signs")
    child.sendline("sometimes")  # "maybe" means not sure since issue 14
    child.expect("answer y \\(yes\\), n \\(no\\) or \\? \\(not sure\\)")
    child.sendline("n")
    child.expect("Question 3")
    child.expect("> ")
    child.sendline("back")
    child.expect(r"Question 2 of about \d+ · safety")
    child.sendline("n")
    child.expect("Question 3")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus is not None


def test_ctrl_c_exits_130_and_keeps_answers(tmp_path: Path) -> None:
    saved = tmp_path / "partial.json"
    child = spawn("--save", str(saved))
    child.expect("> ")
    child.sendline("35")
    child.expect("Question 2")
    child.expect("> ")
    child.sendintr()
    child.expect("Interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert json.loads(saved.read_text())["answers"] == {"age_years": 35}


def test_end_of_input_suggests_resuming(tmp_path: Path) -> None:
    saved = tmp_path / "partial.json"
    child = spawn("--save", str(saved))
    child.expect("> ")
    child.sendline("35")
    child.expect("> ")
    child.sendeof()
    child.expect("--answers")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    # Resume: the saved answer is not asked again.
    resumed = spawn("--answers", str(saved))
    resumed.expect(QUESTION)
    assert question_by_text(resumed.match.group(2)) == "screen:nerve_signs"
    resumed.sendintr()
    resumed.expect(pexpect.EOF)


def test_bad_prefilled_answers_are_reported_and_asked_again(tmp_path: Path) -> None:
    prefill = tmp_path / "pre.json"
    prefill.write_text(
        json.dumps({"answers": {"saddle_numbness": "sometimes", "bladder_bowel_change": "no"}})
    )
    child = spawn("--answers", str(prefill))
    # The message starts with the file's path, and rich wraps it to the terminal's
    # width wherever the path happens to end: match the words across any line breaks.
    child.expect(r'saddle_numbness:\s+"sometimes"\s+is\s+not\s+a\s+yes/no\s+answer')
    child.expect(QUESTION)
    assert question_by_text(child.match.group(2)) == "age_years"
    child.sendline("35")
    # The screen asks again about the rejected sign, and not about the one answered.
    child.expect(QUESTION)
    assert question_by_text(child.match.group(2)) == "screen:nerve_signs"
    child.expect("> ")
    assert "numbness or tingling in the groin" in child.before
    assert "bladder" not in child.before
    child.sendintr()
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("stdin_text", ["40\ny\ny\n"])
def test_piped_input_works_line_by_line_without_colour(stdin_text: str) -> None:
    import subprocess

    run = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "ask"],
        input=stdin_text,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    assert run.returncode == 0
    assert "EMERGENCY" in run.stdout and "\x1b[" not in run.stdout + run.stderr
    assert "Question 1" in run.stderr and "Question 1" not in run.stdout


def test_a_referral_in_ask_matches_diagnose_and_gives_no_advice(tmp_path: Path) -> None:
    """58, long-term steroids, a sudden sharp onset: the same flags as diagnose, no advice."""
    saved = tmp_path / "me.json"
    child = spawn("--save", str(saved))
    answers = {
        "age_years": "58",
        "screen:nerve_signs": "n",
        "screen:general_health": "y",
        "steroids_or_osteoporosis": "y",
        "screen:pain_pattern": "y",
        "sudden_sharp_onset": "y",
        "butt_lifts_off_seat": "y",
    }
    while True:
        index = child.expect([QUESTION, "URGENT"])
        if index == 1:
            break
        qid = question_by_text(child.match.group(2))
        child.expect("> ")
        child.sendline(answers.get(qid, "n"))
    child.expect(pexpect.EOF)
    child.close()
    screen = child.before
    assert child.exitstatus == 0
    replay = diagnose(json.loads(saved.read_text()))
    assert replay["status"] == "refer" and replay["fixes"] == {} and replay["alternatives"] == []
    assert replay["red_flags"][0]["level"] == "urgent"
    for flag in replay["red_flags"][1:]:  # the first title was read with "URGENT"
        assert " ".join(flag["title"].split()) in " ".join(screen.split())
    assert "Exercises to use instead" not in screen and "[ ]" not in screen


def test_the_plan_at_80_columns_names_each_fix_once(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    child = spawn("--save", str(saved), columns=80)
    answer_all(
        child,
        {
            "age_years": "35",
            "pain_location": "1",
            "pain_timing": "bottom",
            "pelvis_tucks_under": "y",
            "lower_back_rounds": "y",
            "knee_angle_at_bottom": "70",
            "can_touch_toes": "n",
            "equipment_available": "hack_squat",
        },
    )
    child.expect("Type 'how N'")
    shown = child.before
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = " ".join(shown.split())
    result = diagnose(json.loads(saved.read_text()), explain=True)
    assert len(result["plan"]) >= 4
    for step in result["plan"]:
        assert shown.count(step["title"]) == 1, step["title"]  # each fix once
    assert shown.index("Your plan") < shown.index("Why it hurts")
    for cause in result["causes"]:
        assert cause["title"] in shown
    assert "cf " not in shown and "premise" not in shown


def test_a_piped_result_keeps_every_word_of_the_plan(tmp_path: Path) -> None:
    """Through a pipe (no terminal, no COLUMNS) the plan wraps; it is never cut."""
    import subprocess

    saved = tmp_path / "me.json"
    record = {
        "answers": {
            "age_years": 30,
            **{
                q: "no"
                for q in bundled_rulebase().safety_questions()
                if q not in ("age_years", "systemic_symptoms")
            },
            "butt_lifts_off_seat": "yes",
            "knee_angle_at_bottom": 70,
            "pain_location": ["lower_back"],
        }
    }
    saved.write_text(json.dumps(record))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    run = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "ask", "--answers", str(saved)],
        input="?\n" * 60,  # "not sure" to whatever else it asks
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    shown = " ".join(run.stdout.split())
    plan = diagnose(record, explain=True)["plan"]
    assert plan
    for step in plan:
        assert " ".join(step["how"].split()) in shown, step["fix"]
