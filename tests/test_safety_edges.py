"""The safety screen at its edges, from a clinician's review: a warning sign given in
any spelling, under a mistyped key, in an unreadable answer or before the lifter
stops is never lost, and never comes with exercise advice."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.answers import NO_WORDS, UNSURE_WORDS, YES_WORDS
from legpress_diag.intake.replies import parse_reply
from legpress_diag.presentation.render.report import html_report
from legpress_diag.presentation.writers import WriteContext, by_name

from .test_safety import screen_all_no

RB = bundled_rulebase()
FORM = {"butt_lifts_off_seat": "yes", "lower_back_rounds": "yes", "rep_tempo": "fast"}


def _flags(result: Any) -> list[tuple[str, str, bool]]:
    return [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]]


def _no_advice(result: Any) -> bool:
    return (
        result["fixes"] == {}
        and result["alternatives"] == []
        and result["plan"] == []
        and all(c["fixes"] == [] for c in result["causes"])
    )


@pytest.mark.parametrize("key", ["Saddle_Numbness", " saddle_numbness", "SADDLE-NUMBNESS"])
def test_a_safety_key_in_another_case_or_spacing_still_refers(key: str) -> None:
    answers = screen_all_no(**FORM)
    del answers["saddle_numbness"]
    answers[key] = "yes"
    result = diagnose({"answers": answers}, RB)
    assert result["status"] == "refer" and _no_advice(result)
    assert _flags(result) == [("saddle_numbness", "emergency", False)]
    [warning] = result["warnings"]  # the screen is complete: the key was read
    assert warning["key"] == key and warning["message"].startswith(f"{key}: read as 'saddle")


def test_a_folded_key_is_an_error_when_strict_and_still_refers() -> None:
    answers = {**screen_all_no(**FORM), "Cancer_History": "yes"}
    del answers["cancer_history"]
    result = diagnose({"answers": answers}, RB, strict=True)
    assert result["status"] == "refer" and _no_advice(result)
    assert [e["key"] for e in result["errors"]] == ["Cancer_History"]
    assert ("cancer_history", "clinician", False) in _flags(result)


def test_the_same_safety_question_twice_with_different_answers_is_not_sure() -> None:
    answers = {**screen_all_no(**FORM), "Saddle_Numbness": "yes"}  # and saddle_numbness: no
    result = diagnose({"answers": answers}, RB)
    assert result["status"] == "refer" and _no_advice(result)
    assert _flags(result) == [("saddle_numbness", "urgent", True)]
    same = diagnose({"answers": {**screen_all_no(**FORM), "Saddle_Numbness": "no"}}, RB)
    assert same["status"] == "ok"  # two spellings of the same "no" are a "no"


def test_a_form_key_in_another_case_is_read_too() -> None:
    result = diagnose({"answers": {**screen_all_no(), "Butt_Lifts_Off_Seat": "yes"}}, RB)
    assert result["causes"][0]["id"] == "butt_off_seat"


@pytest.mark.parametrize("said", sorted(YES_WORDS | NO_WORDS | UNSURE_WORDS))
def test_batch_and_the_questionnaire_read_every_word_alike(said: str) -> None:
    question = RB.questions["saddle_numbness"]
    reply = parse_reply(question, said)
    result = diagnose({"answers": screen_all_no(saddle_numbness=said, **FORM)}, RB)
    assert result["errors"] == []
    if reply.kind == "skip":
        assert _flags(result) == [("saddle_numbness", "urgent", True)]
    elif reply.value is True:
        assert _flags(result) == [("saddle_numbness", "emergency", False)]
    else:
        assert reply.value is False and result["status"] == "ok"
    assert (said in UNSURE_WORDS) == (reply.kind == "skip")


@pytest.mark.parametrize("said", ["sometimes", "", "2", "perhaps yes", "✗", "treu"])
def test_an_unreadable_safety_answer_is_not_sure_not_no(said: str) -> None:
    result = diagnose({"answers": screen_all_no(saddle_numbness=said, **FORM)}, RB)
    assert result["status"] == "refer" and _no_advice(result)
    assert _flags(result) == [("saddle_numbness", "urgent", True)]
    assert [e["key"] for e in result["errors"]] == ["saddle_numbness"]
    assert any("could not be read" in note for note in result["notes"])


def test_an_unreadable_form_answer_stays_an_error_without_a_referral() -> None:
    result = diagnose({"answers": screen_all_no(rep_tempo="sometimes")}, RB)
    assert result["status"] == "error" and result["red_flags"] == []


def test_version_1s_combined_question_takes_its_highest_part() -> None:
    result = diagnose({"answers": {"systemic_symptoms": "yes", **FORM}}, RB)
    assert ("systemic_symptoms", "urgent", False) in _flags(result)
    assert "today" in result["red_flags"][0]["advice"]


def _csv_row(result: Any) -> dict[str, str]:
    writer = by_name("csv")
    out = io.StringIO()
    writer.write([writer.prepare(result, None)], out, WriteContext())
    return next(csv.DictReader(io.StringIO(out.getvalue())))


def test_csv_marks_unsure_flags_hides_the_top_cause_of_a_referral_and_lists_warnings() -> None:
    # An unsure clinician-level sign still lists the form causes for the clinician (an
    # emergency sign, even unsure, lists none: tests/test_safety_v3.py).
    unsure = _csv_row(diagnose({"answers": {"leg_pain_below_knee": "unsure", **FORM}}, RB))
    assert unsure["red_flags"] == "leg_pain_below_knee:clinician:unsure"
    assert unsure["status"] == "refer" and unsure["top_cause"] == "" == unsure["top_certainty"]
    assert "butt_off_seat" in unsure["causes"]  # for the clinician, not as the headline
    assert "not answered: age_years" in unsure["warnings"]
    screened = _csv_row(diagnose({"answers": screen_all_no(**FORM)}, RB))
    assert screened["warnings"] == "" and screened["top_cause"] == "butt_off_seat"


def test_the_report_puts_the_referral_before_the_form_faults_and_says_not_sure() -> None:
    answers = {"new_leg_weakness": "yes", "leg_pain_below_knee": "unsure", **FORM}
    result = diagnose({"answers": answers}, RB, explain=True)
    page = html_report(result, RB)
    assert "(answered &#39;not sure&#39;)" in page and "Because you said" in page
    assert page.index("See a doctor today") < page.index(result["causes"][0]["title"])
    assert "Information for the clinician, not advice to train." in page


def _ask(stdin: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legpress_diag", "ask", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


@pytest.mark.parametrize("ending", ["quit\n", ""])  # 'quit', and the end of input
def test_stopping_the_questionnaire_after_a_warning_sign_still_refers(
    tmp_path: Path, ending: str
) -> None:
    # Age 30, 'none' of the nerve signs, then 'one or more' of the general signs:
    # no fever, no weight loss, cancer yes; then the lifter stops.
    done = _ask("30\nn\ny\nn\nn\ny\n" + ending, "--report", "r.md", cwd=tmp_path)
    shown = done.stdout + done.stderr
    assert "your answers so far show a warning sign" in shown
    assert "A history of cancer" in done.stdout and "See your doctor" in done.stdout
    report = (tmp_path / "r.md").read_text()
    assert "A history of cancer" in report and "Alternatives" not in report


def test_stopping_before_any_warning_sign_shows_no_referral(tmp_path: Path) -> None:
    done = _ask("30\nn\nquit\n", cwd=tmp_path)
    assert "warning sign:" not in done.stderr and done.returncode == 0
    assert not (tmp_path / "r.md").exists()


WEAKER_FLAG = """safety_flags:
  - id: saddle_numbness
    replaces: true
    when: saddle_numbness and progressive_leg_weakness
    level: urgent
    title: Numbness with weak legs
    advice: See a doctor.
    source: "the gym's own screen"
"""


@pytest.mark.parametrize(
    ("section", "line", "text"),
    [
        ("safety flag", 3, WEAKER_FLAG),
        (
            "question",
            2,
            "questions:\n  - {id: saddle_numbness, replaces: true, type: yes_no, group: safety,"
            " text: Any tingling at all?}\n",
        ),
    ],
)
def test_a_rule_file_cannot_replace_part_of_the_screen(
    tmp_path: Path, section: str, line: int, text: str
) -> None:
    from legpress_diag.api import load_rulebase
    from legpress_diag.foundation.problems import RuleBaseError

    (tmp_path / "coach.yaml").write_text(text)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([tmp_path / "coach.yaml"])
    [problem] = info.value.diagnostics
    assert problem.code == "LP207" and f"{section} 'saddle_numbness'" in problem.message
    assert problem.span is not None and problem.span.line == line  # at 'replaces'


def test_a_flag_naming_an_exercise_fails_lint(tmp_path: Path) -> None:
    from legpress_diag.authoring.lint import lint

    (tmp_path / "coach.yaml").write_text(
        "safety_flags:\n  - id: numb_feet\n    when: leg_pain_below_knee\n    level: clinician\n"
        "    title: Numb feet\n    advice: See a physio; meanwhile use the Hack Squat.\n"
        '    source: "coach"\n'
    )
    report = lint([tmp_path / "coach.yaml"])
    found = [d for d in report.diagnostics if d.code == "LP320"]
    assert len(found) == 1 and "alternative 'hack_squat'" in found[0].message
    assert report.failed(strict=False)


def test_a_rule_base_without_a_screen_says_so_in_every_result(tmp_path: Path) -> None:
    from legpress_diag.api import load_rulebase

    (tmp_path / "feet.yaml").write_text(
        "questions:\n  - {id: feet_low, type: yes_no, group: knees_feet, text: Feet low?}\n"
        "causes:\n  - {id: feet_too_low, title: Feet too low, explanation: Low feet.,"
        " fixes: [raise_feet], source: coach}\n"
        "fixes:\n  - {id: raise_feet, title: Raise your feet, how: Higher., source: coach}\n"
        "rules:\n  - {id: low, if: feet_low, then: feet_too_low, cf: 0.8, source: coach}\n"
    )
    rb = load_rulebase([tmp_path / "feet.yaml"], include_bundled=False)
    result = diagnose({"answers": {"feet_low": "yes"}}, rb)
    assert result["warnings"][0]["key"] == "safety_screen_missing"
    assert "no safety screen" in result["warnings"][0]["message"]
    assert diagnose({"answers": {"feet_low": "yes"}}, RB)["warnings"][0]["key"] != (
        "safety_screen_missing"
    )


@pytest.mark.parametrize("width", [30, 40, 60])
def test_a_flags_heading_is_never_cut_in_a_narrow_terminal(width: int) -> None:
    from rich.console import Console

    from legpress_diag.presentation.ui.diagnosis_view import render_result

    result = diagnose({"answers": {"saddle_numbness": "unsure", **FORM}}, RB, explain=True)
    buffer = io.StringIO()
    render_result(Console(file=buffer, width=width, no_color=True), result)
    words = " ".join(
        line.strip("│╭╮╰╯─ ") for line in buffer.getvalue().splitlines() if line.strip()
    )
    assert "URGENT: see a doctor today (answered 'not sure')" in " ".join(words.split())


@pytest.mark.parametrize(
    ("key", "said", "flagged"),
    [
        ("saddle_numbnes", "yes", True),
        ("sadle_numbness", "unsure", True),
        ("bladder_bowel_chnage", "yes", True),
        ("saddle_numbnes", "no", False),  # a plain no behind a typo stays a no
        ("saddle_setup", "yes", False),  # not a misspelling of any safety question
    ],
)
def test_a_safety_question_misspelt_with_a_yes_is_not_sure(
    key: str, said: str, flagged: bool
) -> None:
    result = diagnose({"answers": {key: said, **FORM}}, RB)
    assert (result["status"] == "refer") is flagged
    if flagged:
        [flag] = result["red_flags"]
        assert flag["unsure"] and flag["level"] == "urgent" and _no_advice(result)
    assert any(w["key"] == key for w in result["warnings"])  # still an unknown key


def test_resuming_a_session_reads_a_safety_key_in_another_case(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text('{"answers": {"age_years": 30, "Saddle_Numbness": "yes"}}')
    done = _ask("quit\n", "--answers", str(saved), cwd=tmp_path)
    assert "EMERGENCY: go to an emergency department now" in done.stdout


def test_not_really_is_not_a_clear_no_on_the_screen() -> None:
    result = diagnose({"answers": screen_all_no(saddle_numbness="not really", **FORM)}, RB)
    assert _flags(result) == [("saddle_numbness", "urgent", True)]


def test_a_flag_giving_training_advice_in_its_own_words_fails_lint(tmp_path: Path) -> None:
    from legpress_diag.authoring.lint import lint

    (tmp_path / "coach.yaml").write_text(
        "safety_flags:\n  - id: coach_note\n    when: leg_pain_below_knee\n"
        "    level: clinician\n    title: Leg pain\n"
        "    advice: Keep training through it, with lighter sets.\n    source: coach\n"
    )
    [found] = [d for d in lint([tmp_path / "coach.yaml"]).diagnostics if d.code == "LP320"]
    assert "'sets'" in found.message and "'keep training'" in found.message


def test_every_report_says_when_the_screen_is_incomplete_or_missing(tmp_path: Path) -> None:
    from legpress_diag.presentation.render.formats import markdown_one

    partial = diagnose({"answers": {"cancer_history": "yes", **FORM}}, RB, explain=True)
    assert "the safety screen is incomplete" in html_report(partial, RB)
    assert "the safety screen is incomplete" in markdown_one(partial, RB)
    missing = dict(
        partial,
        warnings=[
            {
                "key": "safety_screen_missing",
                "value": None,
                "message": "this rule base has no safety screen",
                "expected": None,
            }
        ],
    )
    assert "no safety screen" in html_report(missing, RB)  # type: ignore[arg-type]
    assert "no safety screen" in markdown_one(missing, RB)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "advice",
    [
        # The attacker's third round: look-alike letters (Cyrillic а, і, е) ...
        "Relax, it is nothing. Keep tr\u0430ining as normal, just use a l\u0456ghter load"
        " and do your usual s\u0435ts.",
        # ... a soft hyphen inside a word ...
        "See your doctor this week, and stretch\u00ading is fine meanwhile.",
        # ... and plain rewording that carries on as before and reassures.
        "Relax, this is common and harmless. Continue to train as normal tomorrow, go a"
        " bit easier on the plate, and push through it.",
        # The fourth round: doing what was done before.
        "Nothing serious: go back to the gym tomorrow and do exactly what you always do.",
        "Back to your usual routine in the morning; it will settle.",
        # A new user's tries: leave to go on, or a reassurance that no one need look.
        "No need to see anyone, just train through it.",
        "You are fine to leg press tomorrow.",
    ],
)
def test_advice_in_other_letters_or_other_words_is_refused_at_load(
    tmp_path: Path, advice: str
) -> None:
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge.loader import load_rulebase

    coach = tmp_path / "coach.yaml"
    coach.write_text(
        "safety_flags:\n  - id: coach_note\n    when: saddle_numbness\n"
        f"    level: emergency\n    title: Numb saddle\n    advice: {json.dumps(advice)}\n"
        "    source: coach\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleBaseError) as refused:
        load_rulebase([coach])
    assert [d.code for d in refused.value.diagnostics] == ["LP320"]
    span = refused.value.diagnostics[0].span  # the advice line, where the words are
    assert span is not None and span.line == 6


@pytest.mark.parametrize(
    ("ident", "refused"),
    [
        ("saddle_numbnes", True),  # one letter short: read as the sign when sent as a key
        ("sadle_numbness", True),
        ("Saddle_Numbnes", True),  # in another case too
        ("bladder_bowel_changes", True),
        ("saddle_setup", False),  # a real coach's question about the seat: far enough
        ("saddle_height", False),
        # Check 45, point 3: a safety sign's short name (a yes under it is the sign's)
        ("fever", True),
        ("incontinence", True),
        ("Saddle_Area", True),
        ("aneurysm", True),
        # Check 48, H7: a short name among other words ("fever_last_year": "yes" is
        # read as a doubt of the fever sign, which such a question took away)
        ("fever_last_year", True),
        ("q_fever", True),
        ("recent_fever", True),
    ],
)
def test_a_question_id_that_misspells_a_safety_question_is_refused_at_load(
    tmp_path: Path, ident: str, refused: bool
) -> None:
    # Attack round 5, P2: a coach's question 'saddle_numbnes' linted clean, and then a
    # "yes" under that key, which the screen reads as the sign misspelt, was read as
    # the coach's question instead: advice instead of a referral.
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge.loader import load_rulebase

    coach = tmp_path / "coach.yaml"
    coach.write_text(
        f"questions:\n  - id: {ident}\n    text: Is it so?\n    type: yes_no\n    source: coach\n",
        encoding="utf-8",
    )
    if not refused:
        assert ident in load_rulebase([coach]).questions
        return
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase([coach])
    (problem,) = caught.value.diagnostics
    assert problem.code == "LP201"
    assert "near miss of safety question" in problem.message or (
        "short name of safety question" in problem.message
    )
    assert problem.span is not None and (problem.span.line, problem.span.col) == (2, 9)


@pytest.mark.parametrize("ident", ["saddle_numbness2", "s_addle_numbness", "onset_setling"])
def test_a_near_miss_question_of_the_coachs_own_flag_is_refused_too(
    tmp_path: Path, ident: str
) -> None:
    """Attack round 10, M5: read by a flag of the coach's own, the question counted as
    a safety question and was not checked, so "saddle_numbness2": "yes", which the
    reader takes for saddle numbness (urgent), went to the coach's flag (clinician)."""
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge.loader import load_rulebase

    coach = tmp_path / "coach.yaml"
    coach.write_text(
        f"questions:\n  - id: {ident}\n    text: Is it so?\n    type: yes_no\n"
        f"    group: safety\n    source: coach\n"
        f"safety_flags:\n  - id: f_{ident}\n    when: {ident}\n    level: clinician\n"
        "    title: t\n    advice: See a doctor before you train again.\n    source: coach\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase([coach])
    (problem,) = caught.value.diagnostics
    assert problem.code == "LP201" and f"'{ident}' is a near miss" in problem.message
    assert problem.span is not None and problem.span.path.endswith("coach.yaml")


def _coach_flag(tmp_path: Path, advice: str, if_unsure: str = "") -> Path:
    coach = tmp_path / "coach.yaml"
    unsure = f"    if_unsure: {json.dumps(if_unsure)}\n" if if_unsure else ""
    coach.write_text(
        "safety_flags:\n  - id: coach_note\n    when: saddle_numbness\n"
        f"    level: emergency\n    title: Numb saddle\n    advice: {json.dumps(advice)}\n"
        f"{unsure}    source: coach\n",
        encoding="utf-8",
    )
    return coach


@pytest.mark.parametrize(
    "advice",
    [
        # Attack round 6: seven rewordings, six of which got past the forbidden words.
        "This is benign. Resume leg pressing tomorrow at your normal intensity; no need to"
        " see anyone.",
        "Ignore it and stay active: lift on as you did last week.",
        "Not serious. Feel free to leg press again today, just go lighter on the sled.",
        "Common after heavy sessions; rest a day, then resume your training plan.",
        "See a GP if it lasts a month; in the meantime do 3 x 10 leg presses with a light sled.",
        "It will pass. Do your normal session and add foam rolling.",
        "Completely normal - nothing serious. Keep pushing.",
        # and one with none of those words: a sentence that is neither a place to go
        # nor an instruction not to train
        "Lots of lifters get this after a hard week.",
    ],
)
def test_a_coach_flag_sentence_that_sends_nowhere_is_refused(tmp_path: Path, advice: str) -> None:
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge.loader import load_rulebase

    with pytest.raises(RuleBaseError) as refused:
        load_rulebase([_coach_flag(tmp_path, advice)])
    assert [d.code for d in refused.value.diagnostics] == ["LP320"]


@pytest.mark.parametrize(
    ("advice", "if_unsure"),
    [
        ("See a physiotherapist before you train again.", ""),
        (
            "Go to an emergency department now; do not train until you have been seen.",
            "Touch the inner thighs with a tissue and compare the two sides. If they feel"
            " different, call 999.",
        ),
        ("Call 911 or go to the nearest hospital now. Do not drive yourself.", ""),
    ],
)
def test_a_coach_flag_that_says_where_to_go_and_how_to_check_loads(
    tmp_path: Path, advice: str, if_unsure: str
) -> None:
    from legpress_diag.knowledge.loader import load_rulebase

    assert "coach_note" in load_rulebase([_coach_flag(tmp_path, advice, if_unsure)]).safety_flags


@pytest.mark.parametrize(("said", "level"), [("1", "emergency"), ("0", None), (" 1 ", "emergency")])
def test_one_and_zero_as_text_read_as_yes_and_no(said: str, level: str | None) -> None:
    """Check 19: CSV converters write every cell as text; "1" read "not sure" (urgent,
    not emergency) and every "0" referred, hiding the one real emergency."""
    result = diagnose({"answers": screen_all_no(saddle_numbness=said, **FORM)}, RB)
    assert result["errors"] == []
    assert [f["level"] for f in result["red_flags"]] == ([level] if level else [])


@pytest.mark.parametrize("ident", ["fever_yn", "fever_y_n", "fever_or_chills"])
def test_a_short_name_with_a_yes_no_ending_or_two_short_names_is_refused(
    tmp_path: Path, ident: str
) -> None:
    # Check 47, N6: each loaded, and a yes under it was read as the coach's question.
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge.loader import load_rulebase

    coach = tmp_path / "coach.yaml"
    coach.write_text(
        f"questions:\n  - id: {ident}\n    text: Is it so?\n    type: yes_no\n    source: coach\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase([coach])
    assert "short name of safety question 'fever_or_unwell'" in caught.value.diagnostics[0].message
