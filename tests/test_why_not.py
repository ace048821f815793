""" "Why didn't my rule fire?": the rules that conclude a cause and what stopped each,
in the core (reasoning/why_not.py), in a failing `rules test`, and in
`rules explain --why-not`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase
from legpress_diag.cli.app import app
from legpress_diag.intake.answers import normalize_answers
from legpress_diag.reasoning.why_not import why_not

runner = CliRunner()
ANSWERS = {"knee_angle_at_bottom": 100, "pain_timing": "pushing"}


def _reasons(cause: str, answers: dict[str, object]) -> dict[str, str]:
    rb = bundled_rulebase()
    normal, errors, _ = normalize_answers(rb, answers)
    assert not errors
    return {v.rule: v.reason for v in why_not(rb, normal, cause).rules}


def test_each_rule_says_the_first_part_that_did_not_hold_with_the_answer() -> None:
    reasons = _reasons("excess_depth", ANSWERS)
    assert reasons["depth-past-90"] == "`knee_angle_at_bottom < 90` was false: 100"
    # In 'a and b', the first operand that fails is the reason; one not answered says so.
    assert reasons["depth-pain-at-bottom"] == "`butt_lifts_off_seat` was not answered"
    assert reasons["depth-stops-at-90"].startswith("held; it adds -0.60")
    # The threshold side: 90 is not below 90.
    assert _reasons("excess_depth", {"knee_angle_at_bottom": 90})["depth-past-90"] == (
        "`knee_angle_at_bottom < 90` was false: 90"
    )
    assert _reasons("excess_depth", {"knee_angle_at_bottom": 89.5})["depth-past-90"].startswith(
        "held"
    )


def test_a_failing_case_says_which_condition_failed_and_says_it_once(tmp_path: Path) -> None:
    cases = tmp_path / "depth-cases.yaml"
    cases.write_text(
        "cases:\n"
        "  - name: depth expected at 100 degrees\n"
        f"    answers: {json.dumps(ANSWERS)}\n"
        "    expect:\n"
        "      causes: [excess_depth]\n"
    )
    result = runner.invoke(app, ["rules", "test", str(cases)])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "rule depth-past-90: `knee_angle_at_bottom < 90` was false: 100" in out
    assert "rule depth-pain-at-bottom: `butt_lifts_off_seat` was not answered" in out
    assert out.count("cause excess_depth") == 1, out  # not "expected but not reported" too
    assert "expected but not reported" not in out


def test_rules_explain_why_not(tmp_path: Path) -> None:
    record = tmp_path / "client.json"
    record.write_text(json.dumps({"answers": ANSWERS}))
    args = ["rules", "explain", "--why-not", "excess_depth", "--answers", str(record)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "cause excess_depth: not reported (certainty -0.60, threshold 0.2)"
    assert "rule depth-past-90: `knee_angle_at_bottom < 90` was false: 100" in lines
    wrong = runner.invoke(app, [*args[:3], "excess_dept", *args[4:]])
    assert wrong.exit_code == 2 and "did you mean 'excess_depth'?" in wrong.output
    alone = runner.invoke(app, ["rules", "explain", "--why-not", "excess_depth"])
    assert alone.exit_code == 2 and "--answers FILE" in alone.output
