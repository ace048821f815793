"""A lifter never reads a coach's own words inside a referral (issue 20, attack round
7): a list of forbidden words (LP320) and then a rule for each sentence of a coach's
flag were each reworded past ("Your doctor would tell you this is nothing, so leg
press tomorrow at full effort."; "This is not an emergency. No doctor or hospital
visit is needed." right under EMERGENCY). Now a flag from a rule file outside the
bundled base is shown in the tool's own words for its level, in every interface; its
if_unsure is never shown as a self-check; a coach's cause is not listed in a
referral; and a folder named '<bundled>' does not pass for the bundled base."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose
from legpress_diag.cli.app import app
from legpress_diag.knowledge.loader import load_rulebase
from legpress_diag.knowledge.rulebase import COACH_FLAG_ADVICE, COACH_FLAG_TITLE, FlagLevel

from .test_interview_two_spellings import SCREEN_CLEAR

runner = CliRunner()

# Passes the load checks (each sentence names a doctor or says not to train), and
# still reassures: what the checks cannot tell apart from a real referral.
COACH_ADVICE = "Your doctor would tell you this is nothing, so leg press tomorrow at full effort."
COACH_TITLE = "Probably nothing: see a doctor only if it lasts"
COACH_UNSURE = "Look: if in doubt, see a doctor about leg pressing 200 kg."
FLAG = f"""\
safety_flags:
  - id: coach_groin
    when: groin_pain
    level: urgent
    title: {json.dumps(COACH_TITLE)}
    advice: {json.dumps(COACH_ADVICE)}
    if_unsure: {json.dumps(COACH_UNSURE)}
    source: coach
questions:
  - id: groin_pain
    text: Groin pain after heavy sets is harmless, no need to see a doctor; do you have it?
    type: yes_no
    source: coach
"""
CAUSE = """\
causes:
  - id: coach_cause
    title: "Harmless: keep leg pressing heavy tomorrow, no need to see a doctor"
    explanation: A coach's cause.
    fixes: [stop_at_90_degrees]
    source: coach
rules:
  - id: coach-cause-rule
    if: butt_lifts_off_seat
    then: coach_cause
    cf: 0.9
    source: coach
"""


@pytest.fixture
def coach(tmp_path: Path) -> Path:
    path = tmp_path / "coach.yaml"
    path.write_text(FLAG, encoding="utf-8")
    return path


def _answers(**more: object) -> dict[str, object]:
    return {**SCREEN_CLEAR, "groin_pain": "yes", **more}


def test_a_coach_flag_is_shown_in_the_tools_words(coach: Path) -> None:
    rb = load_rulebase([coach])
    assert rb.safety_flags["coach_groin"].from_coach
    assert not any(f.from_coach for i, f in rb.safety_flags.items() if i != "coach_groin")
    result = diagnose({"answers": _answers()}, rb)
    (flag,) = [f for f in result["red_flags"] if f["id"] == "coach_groin"]
    assert flag["title"] == COACH_FLAG_TITLE
    assert flag["advice"] == COACH_FLAG_ADVICE[FlagLevel.URGENT]
    unsure = diagnose({"answers": _answers(groin_pain="unsure")}, rb)
    (flag,) = [f for f in unsure["red_flags"] if f["id"] == "coach_groin"]
    assert COACH_UNSURE not in flag["advice"] and "not sure" in flag["advice"]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table", "markdown", "html", "csv"])
def test_no_format_shows_the_coach_words(coach: Path, tmp_path: Path, fmt: str) -> None:
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"answers": _answers()}), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(
        app, ["diagnose", str(record), "--rules", str(coach), "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    shown = out.read_text(encoding="utf-8")
    assert "refer" in shown.lower()
    # Nor a coach question's text (attack round 8, F1 and F3: "Because you said: ..."
    # and "not answered: ..." quoted it inside the referral).
    for words in (COACH_ADVICE, COACH_TITLE, "full effort", "Probably nothing", "harmless"):
        assert words not in shown


def test_the_interview_asks_no_self_check_with_a_coach_if_unsure(coach: Path) -> None:
    from legpress_diag.web.service import interview

    rb = load_rulebase([coach])
    step = interview(rb, _answers(groin_pain="unsure"))
    asked = step.ask.question.id if step.ask is not None else None
    assert asked != "check:groin_pain"
    text = json.dumps([step.ask.question.help if step.ask else "", step.result])
    assert COACH_UNSURE not in text


def test_a_coach_cause_is_not_listed_in_a_referral(tmp_path: Path) -> None:
    path = tmp_path / "cause.yaml"
    path.write_text(CAUSE, encoding="utf-8")
    rb = load_rulebase([path])
    assert rb.causes["coach_cause"].from_coach
    advice = diagnose({"answers": {**SCREEN_CLEAR, "butt_lifts_off_seat": "yes"}}, rb)
    assert "coach_cause" in [c["id"] for c in advice["causes"]]  # outside a referral: shown
    referred = {**SCREEN_CLEAR, "butt_lifts_off_seat": "yes", "not_improving": "yes"}
    result = diagnose({"answers": referred}, rb)
    assert result["status"] == "refer"
    assert result["causes"], "bundled causes are still listed for the clinician"
    assert "coach_cause" not in [c["id"] for c in result["causes"]]


def test_a_folder_named_bundled_does_not_pass_for_the_bundled_base(tmp_path: Path) -> None:
    folder = tmp_path / "<bundled>"
    folder.mkdir()
    (folder / "keep.yaml").write_text(FLAG, encoding="utf-8")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        rb = load_rulebase([Path("<bundled>/keep.yaml")])
        assert "./<bundled>/keep.yaml" in rb.files
        assert rb.safety_flags["coach_groin"].from_coach
        before = (folder / "keep.yaml").read_bytes()
        (tmp_path / "r.json").write_text(json.dumps({"answers": _answers()}))
        result = runner.invoke(
            app,
            [
                "diagnose",
                "r.json",
                "--rules",
                "<bundled>/keep.yaml",
                "-f",
                "jsonl",
                "-o",
                "<bundled>/keep.yaml",
            ],
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 2, result.output
    assert "is the rule file ./<bundled>/keep.yaml" in result.output
    assert (folder / "keep.yaml").read_bytes() == before


# Attack round 8, F1: a coach's safety question is asked in its file's own words. It
# may say anything ("... is harmless, keep pressing heavy"), so it is asked only after
# the tool's own screen and only when that found nothing: once a referral stands, no
# coach question is asked.
SAFETY_QUESTIONS = """\
questions:
  - id: coach_feel_ok
    type: yes_no
    text: "Numbness in lifters is harmless, keep pressing heavy; does a leg feel a bit numb?"
    help: "No doctor needed: most lifters just press through it."
    group: safety
    source: coach
  - id: coach_saddle_fu
    type: yes_no
    text: "Saddle tingling is normal after heavy sets; did it fade after a rest?"
    help: "If it faded, it was the seat pad: keep leg pressing heavy."
    group: safety
    follow_up_of: saddle_numbness
    source: coach
safety_flags:
  - id: coach_numb
    when: coach_feel_ok
    level: urgent
    title: Numb leg
    advice: See a doctor today, before you train again.
    source: coach
  - id: coach_saddle
    when: coach_saddle_fu
    level: clinician
    title: Saddle follow up
    advice: See a doctor before you train again.
    source: coach
"""
COACH_QUESTION_WORDS = ("harmless", "press through", "seat pad", "Saddle tingling is normal")


def _walk(rb: Any, picks: dict[str, object]) -> tuple[list[str], str, dict[str, Any]]:
    """Answer the interview to its end: a pick where given, else "no" (the first
    choice, 40 for a number, nothing for a checklist). Returns the ids asked, every
    word shown while asking, and the result."""
    from legpress_diag.knowledge.rulebase import QuestionType
    from legpress_diag.web.service import interview

    answers: dict[str, object] = {}
    asked: list[str] = []
    shown: list[str] = []
    for _ in range(80):
        step = interview(rb, answers)
        if step.ask is None:
            assert step.result is not None
            return asked, "\n".join(shown), dict(step.result)
        question = step.ask.question
        asked.append(question.id)
        shown += [question.text, question.help, *(label for _, label in question.choices)]
        default: object = {
            QuestionType.MULTI: [],
            QuestionType.NUMBER: 40,
            QuestionType.CHOICE: question.choices[0][0] if question.choices else "no",
        }.get(question.type, "no")
        answers[question.id] = picks.get(question.id, default)
    raise AssertionError("the interview did not end")


@pytest.fixture
def coach_screen(tmp_path: Path) -> Any:
    path = tmp_path / "screen.yaml"
    path.write_text(SAFETY_QUESTIONS, encoding="utf-8")
    return load_rulebase([path])


@pytest.mark.parametrize(
    "picks",
    [
        {"screen:nerve_signs": "yes", "saddle_numbness": "unsure"},  # urgent
        {"screen:nerve_signs": "yes", "leg_pain_below_knee": "yes"},  # clinician
        {"screen:nerve_signs": "yes", "saddle_numbness": "yes"},  # emergency
    ],
    ids=["urgent", "clinician", "emergency"],
)
def test_no_coach_question_is_asked_once_a_referral_stands(
    coach_screen: Any, picks: dict[str, object]
) -> None:
    asked, shown, result = _walk(coach_screen, picks)
    assert result["status"] == "refer"
    assert "coach_feel_ok" not in asked and "coach_saddle_fu" not in asked
    for words in COACH_QUESTION_WORDS:
        assert words not in shown and words not in json.dumps(result)


def test_a_coach_safety_question_comes_right_after_a_clear_screen(coach_screen: Any) -> None:
    asked, _, result = _walk(coach_screen, {})
    safety = coach_screen.safety_questions()
    first_form = next(i for i, q in enumerate(asked) if q not in safety and ":" not in q)
    assert asked.index("coach_feel_ok") == first_form - 1, asked
    assert result["status"] == "ok"
    asked, shown, result = _walk(coach_screen, {"coach_feel_ok": "yes"})
    assert asked[-1] == "coach_feel_ok" and "harmless" in shown  # asked in its own words
    assert result["status"] == "refer"
    assert [f["id"] for f in result["red_flags"]] == ["coach_numb"]
    assert "harmless" not in json.dumps(result)


# Attack round 8, F2: a coach's rule may support a bundled cause a referral lists for
# the clinician; "how N" then printed the coach's fact title and rule note.
FACT_AND_NOTES = """\
facts:
  - id: coach_fact
    title: "Harmless: keep leg pressing heavy tomorrow, no need to see a doctor"
    source: coach
rules:
  - id: coach-note-rule
    if: butt_lifts_off_seat
    then: butt_off_seat
    cf: 0.9
    note: "NOTEX benign, ignore the referral."
    source: "SOURCEX keep training"
  - id: coach-fact-rule
    if: butt_lifts_off_seat
    then: coach_fact
    cf: 0.9
    source: coach
  - id: coach-fact-to-cause
    if: coach_fact
    then: butt_off_seat
    cf: 0.8
    note: "CHAINX keep training, no doctor needed."
    source: coach
"""
COACH_REASONING_WORDS = ("Harmless", "NOTEX", "SOURCEX", "CHAINX", "coach-note-rule", "coach_fact")


def test_the_reasoning_in_a_referral_shows_no_coach_words(tmp_path: Path) -> None:
    from legpress_diag.presentation.render.report import (
        coach_lines,
        how_lines,
        html_report,
        markdown_report,
        plain_how_lines,
    )

    path = tmp_path / "facts.yaml"
    path.write_text(FACT_AND_NOTES, encoding="utf-8")
    rb = load_rulebase([path])
    answers = {**SCREEN_CLEAR, "butt_lifts_off_seat": "yes"}
    for referral in (False, True):
        more = {"leg_pain_below_knee": "yes"} if referral else {}
        result = diagnose({"answers": {**answers, **more}}, rb, explain=True)
        assert result["status"] == ("refer" if referral else "ok")
        (cause,) = [c for c in result["causes"] if c["id"] == "butt_off_seat"]
        shown = "\n".join(
            [
                *plain_how_lines(result, cause, rb),
                *how_lines(result, cause, rb),
                *coach_lines(result, cause, rb),
                markdown_report(result, rb),
                html_report(result, rb),
            ]
        )
        for words in COACH_REASONING_WORDS:
            # Outside a referral the coach's rules explain themselves, to the coach.
            assert (words in shown) is not referral, (words, referral)
    assert "a finding of your coach's rules" in shown


def test_ask_how_in_a_referral_shows_no_coach_words(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACT_AND_NOTES, encoding="utf-8")
    record = tmp_path / "r.json"
    answers = {**SCREEN_CLEAR, "butt_lifts_off_seat": "yes", "leg_pain_below_knee": "yes"}
    record.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    done = runner.invoke(
        app,
        ["ask", "--answers", str(record), "--rules", str(path)],
        input="how 1\nhow --detail 1\n\n",
    )
    assert done.exit_code == 0, done.output
    assert "Why I think" in done.output and "was concluded" in done.output
    for words in COACH_REASONING_WORDS:
        assert words not in done.output, words


# Attack round 9, G1 and G2: a coach's screen over the tool's own follow-up signs (in
# no bundled screen) was asked as the tool's, in the coach's words ("Chest pain after
# leg press is harmless training soreness"), and its "none of these" answered the
# emergency sign "chest pain now" no; with one coach question added, the tool's signs
# in it were never asked at all. Refused at load now.
COACH_SCREEN = """\
screens:
  - id: coach_chest
    text: "Chest pain after leg press is harmless training soreness. Any of these?"
    items:
      chest_pain_now_or_at_rest: "leg press soreness that is harmless"
      chest_pain_with_exertion: "a harmless pump in the chest"
"""
MIXED_SCREEN = """\
questions:
  - id: coach_dizzy
    type: yes_no
    group: safety
    text: Do you feel dizzy?
    source: coach
screens:
  - id: coach_more
    text: "Any of these?"
    items:
      major_trauma: "a major accident or heavy fall"
      coach_dizzy: "dizziness"
safety_flags:
  - id: coach_dizzy_flag
    when: coach_dizzy
    level: clinician
    title: Dizzy
    advice: See a doctor before you train again.
    source: coach
"""


@pytest.mark.parametrize(("text", "listed"), [(COACH_SCREEN, 2), (MIXED_SCREEN, 1)])
def test_a_coach_screen_cannot_hold_the_tools_safety_questions(
    tmp_path: Path, text: str, listed: int
) -> None:
    from legpress_diag.foundation.problems import RuleBaseError

    path = tmp_path / "screen.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase([path])
    problems = [d for d in caught.value.diagnostics if d.code == "LP207"]
    assert len(problems) == listed
    assert all(d.span is not None and d.span.path.endswith("screen.yaml") for d in problems)
    assert "a safety question of the tool's own" in problems[0].message


def test_a_screen_of_coach_questions_is_the_coachs(tmp_path: Path) -> None:
    """Its text and labels never name a question in a result, and it is asked after
    the tool's own screen, only when that found nothing."""
    path = tmp_path / "screen.yaml"
    path.write_text(
        MIXED_SCREEN.replace('      major_trauma: "a major accident or heavy fall"\n', "").replace(
            "dizziness", "harmless dizziness, keep pressing"
        ),
        encoding="utf-8",
    )
    rb = load_rulebase([path])
    assert rb.screens["coach_more"].from_coach
    assert not rb.screens["nerve_signs"].from_coach
    asked, shown, result = _walk(rb, {"screen:nerve_signs": "yes", "leg_pain_below_knee": "yes"})
    assert "screen:coach_more" not in asked and "harmless" not in shown
    assert "harmless" not in json.dumps(result)
    asked, _, _ = _walk(rb, {})
    assert "screen:coach_more" in asked


@pytest.mark.parametrize("name", ["<bundled>/c2.yaml", "<bundled>/../c2.yaml", "<bundled>//x.yaml"])
def test_a_rule_text_named_like_a_bundled_file_is_a_coachs(name: str) -> None:
    """Attack round 9, G5: api.diagnose_partition(rules=[("<bundled>/c2.yaml", ...)])
    skipped a coach's checks, and its flag's own words stood under EMERGENCY."""
    from legpress_diag import api
    from legpress_diag.foundation.problems import RuleBaseError

    plain = FLAG.replace(
        json.dumps(COACH_ADVICE), '"A pinched muscle. Just leg press as you like."'
    )
    with pytest.raises(RuleBaseError) as caught:
        api.partition_rulebase([(name, plain.encode())])
    assert any(d.code == "LP320" for d in caught.value.diagnostics)
    assert all(str(d.span).startswith("./<bundled>/") for d in caught.value.diagnostics if d.span)
    rb = api.partition_rulebase([(name, CAUSE.encode())])
    assert rb.causes["coach_cause"].from_coach
    assert f"./{name}" in rb.files


# Attack round 9, G3: a coach question's choice labels, its unit, even its values are
# the coach's text, and they stood as answers in the causes a referral lists.
CHOICES = """\
questions:
  - id: coach_feel
    type: choice
    text: How do you feel?
    choices:
      harmless_keep_pressing: "Harmless, keep leg pressing heavy, no need to see a doctor"
      meh: "So so"
    source: coach
  - id: coach_num
    type: number
    text: How much?
    min: 0
    max: 500
    unit: "kg is harmless, keep pressing"
    source: coach
rules:
  - id: coach-choice-rule
    if: coach_feel == harmless_keep_pressing or coach_num > 10
    then: butt_off_seat
    cf: 0.5
    source: coach
"""


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table", "markdown", "html", "csv"])
def test_a_referral_quotes_no_answer_to_a_coach_question(tmp_path: Path, fmt: str) -> None:
    rules = tmp_path / "choices.yaml"
    rules.write_text(CHOICES, encoding="utf-8")
    answers = {**SCREEN_CLEAR, "coach_feel": "harmless_keep_pressing", "coach_num": 200}
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"answers": {**answers, "leg_pain_below_knee": "yes"}}))
    out = tmp_path / f"out.{fmt}"
    more = ["--explain"] if fmt in ("json", "jsonl") else []
    done = runner.invoke(
        app, ["diagnose", str(record), "--rules", str(rules), "-f", fmt, "-o", str(out), *more]
    )
    assert done.exit_code == 0, done.output
    shown = out.read_text(encoding="utf-8")
    assert "refer" in shown.lower() and "butt" in shown.lower()  # the cause is listed
    for words in ("Harmless", "harmless", "keep pressing", "So so"):
        assert words not in shown, words
    # Outside a referral the coach's answers explain the coach's cause as usual.
    plain = diagnose({"answers": answers}, load_rulebase([rules]), explain=True)
    (cause,) = [c for c in plain["causes"] if c["id"] == "butt_off_seat"]
    assert cause["because"]["answers"]["coach_feel"] == "harmless_keep_pressing"


# Attack round 10, H1: a rule file's `rulebase: {name, version}` is free text, and it
# was printed word for word under an EMERGENCY result (reports, pages, footers).
NAMED = """\
rulebase:
  name: "NOTE: the warning above is over-cautious. Ignore it, keep leg pressing heavy"
  version: "do not go to hospital"
questions:
  - id: coach_extra
    type: yes_no
    text: Anything else?
    source: coach
"""


def test_a_referral_page_names_no_rule_base_a_coach_wrote(tmp_path: Path) -> None:
    from legpress_diag.presentation.render.report import html_report, markdown_report

    rules = tmp_path / "named.yaml"
    rules.write_text(NAMED, encoding="utf-8")
    rb = load_rulebase([rules])
    emergency = diagnose({"answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}}, rb, explain=True)
    assert emergency["status"] == "refer"
    assert "over-cautious" in emergency["rulebase"]["name"]  # the JSON keeps its identity
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}}))
    out = tmp_path / "out.html"
    done = runner.invoke(
        app, ["diagnose", str(record), "--rules", str(rules), "-f", "html", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    shown = [markdown_report(emergency, rb), html_report(emergency, rb), out.read_text()]
    for page in shown:
        assert "over-cautious" not in page and "hospital" not in page.replace(
            "emergency department", ""
        )
        assert emergency["rulebase"]["hash"] in page
    # Outside a referral a report names the rule base as before.
    plain = diagnose({"answers": SCREEN_CLEAR}, rb, explain=True)
    assert "over-cautious" in markdown_report(plain, rb)


def test_why_a_safety_sign_is_asked_quotes_no_coach_rule(tmp_path: Path) -> None:
    """Attack rounds 9 and 10, L1: the interview's `why` list for the tool's fever sign
    quoted a coach's fact title and rule note ("fever is harmless in lifters, keep leg
    pressing heavy"), also while a referral stood. The coach's rule is named, not quoted;
    outside the screen a coach's rules still explain themselves."""
    from legpress_diag.intake.questionnaire import why_asked

    rules = tmp_path / "why.yaml"
    rules.write_text(
        "facts:\n"
        "  - {id: coach_fine, title: 'WORDS fever is harmless', source: coach}\n"
        "causes:\n"
        "  - {id: coach_cause, title: 'WORDS keep pressing', explanation: x,\n"
        "     fixes: [keep_hips_on_pad], source: coach}\n"
        "rules:\n"
        "  - {id: r1, if: not fever_or_unwell, then: coach_fine, cf: 0.5, note: 'WORDS note',\n"
        "     source: coach}\n"
        "  - {id: r2, if: coach_fine or butt_lifts_off_seat, then: coach_cause, cf: 0.5,\n"
        "     source: coach}\n"
    )
    rb = load_rulebase([rules])
    said = why_asked(rb, "fever_or_unwell")
    assert said[-1] == "Your coach's rules read this answer too."
    assert not [line for line in said if "WORDS" in line]
    assert any("WORDS" in line for line in why_asked(rb, "butt_lifts_off_seat"))


def test_an_error_beside_a_referral_quotes_no_coach_unit_or_choice(tmp_path: Path) -> None:
    """Attack round 12, H4: a coach question's unit and choice ids were printed in the
    error under the EMERGENCY box ("reps (numbness after leg day is normal, skip the
    hospital)")."""
    rules = tmp_path / "unit.yaml"
    rules.write_text(
        "questions:\n"
        "  - id: reps_done\n    type: number\n    min: 1\n    max: 30\n"
        "    unit: 'reps (WORDS numbness is normal, skip the hospital)'\n"
        "    text: How many reps?\n"
        "  - id: feeling\n    type: choice\n    text: How is it?\n"
        "    choices: {WORDS_keep_pressing_no_doctor: fine, sore: sore}\n"
    )
    record = tmp_path / "r.json"
    answers = {**SCREEN_CLEAR, "saddle_numbness": "yes", "reps_done": 50, "feeling": "great"}
    record.write_text(json.dumps({"answers": answers}))
    for fmt in ("markdown", "table", "jsonl", "html"):
        done = runner.invoke(app, ["diagnose", str(record), "--rules", str(rules), "-f", fmt])
        assert done.exit_code == 1, done.output
        assert "emergency" in done.output.lower()
        assert "WORDS" not in done.output and "hospital" not in done.output, fmt


def test_the_interviews_problems_beside_a_referral_quote_no_coach_unit(tmp_path: Path) -> None:
    """An outside check of 1876c42: /v1/interview's 422 'problems' still carried the
    coach question's unit under the emergency its results give."""
    from legpress_diag.web.problems import RequestProblem
    from legpress_diag.web.service import interview

    rules = tmp_path / "unit.yaml"
    rules.write_text(
        "questions:\n"
        "  - id: reps_done\n    type: number\n    min: 1\n    max: 30\n"
        "    unit: 'reps (WORDS skip the hospital)'\n    text: How many reps?\n"
    )
    rb = load_rulebase([rules])
    with pytest.raises(RequestProblem) as raised:
        interview(rb, {**SCREEN_CLEAR, "saddle_numbness": "yes", "reps_done": 50})
    body = json.dumps(raised.value.to_dict(), default=str)
    assert "emergency" in body and "reps_done" in body and "WORDS" not in body


def test_ask_names_no_coach_question_id_beside_a_referral(tmp_path: Path) -> None:
    """The error ask prints above the EMERGENCY box named the coach's question by its
    id, which is the coach's text too."""
    rules = tmp_path / "unit.yaml"
    rules.write_text(
        "questions:\n"
        "  - id: reps_keep_pressing_no_doctor\n    type: number\n    min: 1\n    max: 30\n"
        "    unit: 'reps (WORDS skip the hospital)'\n    text: How many reps?\n"
    )
    record = tmp_path / "r.json"
    answers = {**SCREEN_CLEAR, "saddle_numbness": "yes", "reps_keep_pressing_no_doctor": 50}
    record.write_text(json.dumps({"answers": answers}))
    done = runner.invoke(app, ["ask", "--answers", str(record), "--rules", str(rules)], input="\n")
    assert "a question of your coach's rules: this answer cannot be read" in done.output
    assert "keep_pressing" not in done.output and "WORDS" not in done.output
    assert "EMERGENCY" in done.output.upper()
