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
