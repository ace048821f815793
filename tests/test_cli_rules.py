"""`legpress-diag rules …` through CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.knowledge.rulebase import RuleBase

runner = CliRunner()

SEAT = """
questions:
  - id: seat_setting
    type: choice
    text: Where is the seat?
    choices: {low: Lowest notch, middle: Middle, high: High}
    source: "other-sources: Causes the article does not name"
causes:
  - id: seat_too_low
    title: Seat set too low
    explanation: A low seat folds the hips past a right angle before the rep even starts.
    fixes: [stop_at_90_degrees]
    source: "other-sources: Causes the article does not name"
rules:
  - id: seat-low
    if: seat_setting == low
    then: seat_too_low
    cf: 0.6
    source: "other-sources: Causes the article does not name"
"""


def test_lint_clean_bundled_base_exits_zero(rb: RuleBase) -> None:
    result = runner.invoke(app, ["rules", "lint", "--strict"])
    assert result.exit_code == 0, result.stdout
    causes = len(rb.causes)
    assert result.stdout.startswith(f"no problems in {len(rb.files)} files; ")
    assert f"{causes}/{causes} causes reachable" in result.stdout


def test_lint_reports_compiler_style_and_exits_one(tmp_path: Path) -> None:
    bad = tmp_path / "knees.yaml"
    bad.write_text(
        "rules:\n  - {id: k, if: knee_angel < 90, then: excess_depth, cf: 0.3, source: x}\n"
    )
    # The walk runs beside the errors too (one run shows everything); not this test's matter.
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", str(bad)])
    assert result.exit_code == 1
    assert (
        "knees.yaml:2:17: LP203 in condition of 'k': unknown question or fact 'knee_angel'\n"
        "  |\n"
        "2 |   - {id: k, if: knee_angel < 90, then: excess_depth, cf: 0.3, source: x}\n"
        "  |                 ^^^^^^^^^^\n"
        "  = hint: did you mean 'knee_angle_at_bottom'?\n" in result.stdout
    )
    assert result.stdout.endswith("\n1 error in 1 file\n")


def test_lint_warnings_fail_only_when_strict(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("fixes:\n  - {id: spare, title: Spare, how: Nothing uses this., source: x}\n")
    assert runner.invoke(app, ["rules", "lint", str(path)]).exit_code == 0
    assert runner.invoke(app, ["rules", "lint", "--strict", str(path)]).exit_code == 1


def test_lint_json_and_github_formats(rb: RuleBase, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("fixes:\n  - {id: spare, title: Spare, how: Nothing uses this., source: x}\n")
    payload = json.loads(runner.invoke(app, ["rules", "lint", "-f", "json", str(path)]).stdout)
    assert payload["diagnostics"][0]["code"] == "LP307" and payload["diagnostics"][0]["line"] == 2
    assert len(payload["exhaustive"]["causes"]) == len(rb.causes)
    github = runner.invoke(app, ["rules", "lint", "-f", "github", str(path)]).stdout
    assert github.startswith("::warning file=") and "line=2,col=5,title=LP307::" in github


def test_lint_missing_path_cannot_run() -> None:
    result = runner.invoke(app, ["rules", "lint", "/no/such.yaml"])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_test_command_passes_bundled_cases_with_full_coverage(rb: RuleBase) -> None:
    result = runner.invoke(app, ["rules", "test", "--coverage"])
    assert result.exit_code == 0, result.stdout
    assert " passed, 0 failed" in result.stdout
    assert f"coverage: rules {len(rb.rules)}/{len(rb.rules)} (100%)" in result.stdout


def test_test_command_reports_failures(tmp_path: Path) -> None:
    cases = tmp_path / "c.yaml"
    cases.write_text(
        "cases:\n  - name: heels\n    answers: {heels_lift: 'yes'}\n"
        "    expect: {top_cause: fast_reps}\n"
    )
    result = runner.invoke(app, ["rules", "test", str(cases)])
    assert result.exit_code == 1
    assert (
        "c.yaml:2:5: heels" in result.stdout
        and "top cause: expected fast_reps, got heels_lifting" in result.stdout
    )
    assert "0 passed, 1 failed" in result.stdout


def test_test_command_with_a_coach_overlay(rb: RuleBase, tmp_path: Path) -> None:
    rules = tmp_path / "seat.yaml"
    rules.write_text(SEAT)
    cases = tmp_path / "seat-cases.yaml"
    cases.write_text(
        "cases:\n  - name: low seat\n    answers: {seat_setting: low}\n"
        "    expect: {status: unscreened, top_cause: seat_too_low}\n"
    )
    result = runner.invoke(app, ["rules", "test", str(cases), "--rules", str(rules), "--coverage"])
    assert result.exit_code == 0, result.stdout
    assert "coverage: rules 1/1 (100%)" in result.stdout  # SEAT's own rules, not the bundled


def test_impact_shows_what_an_edit_changes(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("rules: []\n")
    new = tmp_path / "new.yaml"
    new.write_text(
        "rules:\n  - {id: heels-extra, if: heels_lift, then: knees_caving, cf: 0.5, source: x}\n"
    )
    result = runner.invoke(app, ["rules", "impact", "--rules", str(new), "--against", str(old)])
    assert result.exit_code == 0
    assert (
        "case 'heels lift at depth':" in result.stdout and "+ knees_caving (0.50)" in result.stdout
    )
    assert "diagnoses changed" in result.stdout
    failing = runner.invoke(
        app, ["rules", "impact", "--rules", str(new), "--against", str(old), "--fail-on-change"]
    )
    assert failing.exit_code == 1


def test_impact_on_real_records(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text('{"id": "x", "answers": {"rep_tempo": "fast"}}\n')
    new = tmp_path / "new.yaml"
    new.write_text(
        "rules:\n  - {id: tempo-more, if: rep_tempo == fast, then: fast_reps, cf: 0.5, source: x}\n"
    )
    old = tmp_path / "old.yaml"
    old.write_text("rules: []\n")
    empty = tmp_path / "no-cases"
    empty.mkdir()
    result = runner.invoke(
        app,
        [
            "rules",
            "impact",
            "--rules",
            str(new),
            "--against",
            str(old),
            "--records",
            str(records),
            "--cases",
            str(empty),
        ],
    )
    assert "record x:" in result.stdout and "~ fast_reps 0.70 → 0.85 (+0.15)" in result.stdout


def test_draw_mermaid_and_dot() -> None:
    mermaid = runner.invoke(app, ["rules", "draw"]).stdout
    assert mermaid.startswith("flowchart LR") and "subgraph safety" in mermaid
    # 'not can_touch_toes and lumbar_flexion': the AND and the NOT are nodes of their own
    assert re.search(
        r"(op\d+_hamstrings_with_rounding) -->\|\+0\.7\| cause_tight_hamstrings", mermaid
    )
    assert re.search(r"question_can_touch_toes --> op\d+_hamstrings_with_rounding_0\n", mermaid)
    dot = runner.invoke(app, ["rules", "draw", "-f", "dot", "--cause", "knee_lockout"]).stdout
    assert (
        dot.startswith("digraph rules {")
        and "cause_knee_lockout" in dot
        and "cluster_safety" not in dot
    )


def test_draw_marks_unused_and_unreachable(tmp_path: Path) -> None:
    extra = tmp_path / "x.yaml"
    extra.write_text(
        "questions:\n  - {id: grip, type: yes_no, text: Grip?, source: x}\n"
        "causes:\n  - {id: orphan, title: Orphan, explanation: never reached,"
        " fixes: [reduce_the_load], source: x}\n"
    )
    out = runner.invoke(app, ["rules", "draw", "--rules", str(extra)]).stdout
    assert "class cause_orphan,question_grip flagged" in out


def test_draw_unknown_cause_suggests() -> None:
    result = runner.invoke(app, ["rules", "draw", "--cause", "fast_rep"])
    assert result.exit_code == 2 and "did you mean 'fast_reps'?" in result.stderr


def test_schema_kinds() -> None:
    rules_schema = json.loads(runner.invoke(app, ["rules", "schema", "rules"]).stdout)
    assert rules_schema["$schema"].endswith("draft-07/schema#") and "definitions" in rules_schema
    answers = json.loads(runner.invoke(app, ["rules", "schema", "answers"]).stdout)
    knee = answers["properties"]["answers"]["properties"]["knee_angle_at_bottom"]
    assert (knee["minimum"], knee["maximum"]) == (20, 180)
    assert runner.invoke(app, ["rules", "schema", "xml"]).exit_code == 2


def test_explain_and_show() -> None:
    explain = runner.invoke(app, ["rules", "explain", "posterior_pelvic_tilt"]).stdout
    assert "rule tilt-seen (cf +0.8, for; <bundled>/back.yaml:" in explain
    assert "lumbar_flexion is concluded by:" in explain
    missing = runner.invoke(app, ["rules", "explain", "posterior_tilt"])
    assert missing.exit_code == 2 and "did you mean 'posterior_pelvic_tilt'?" in missing.stderr
    show = runner.invoke(app, ["rules", "show"]).stdout
    assert (
        "knee_angle_at_bottom" in show
        and "20-180 degrees" in show
        and "Is the leg press safer" in show
    )
    as_json = json.loads(runner.invoke(app, ["rules", "show", "-f", "json"]).stdout)
    assert {c["id"] for c in as_json["causes"]} >= {"fast_reps", "knee_lockout"}


def test_draw_takes_its_format_from_the_output_suffix(tmp_path: Path) -> None:
    dot = tmp_path / "rules.dot"
    assert runner.invoke(app, ["rules", "draw", "-o", str(dot)]).exit_code == 0
    assert dot.read_text().startswith("digraph")
    mermaid = tmp_path / "rules.mmd"
    assert runner.invoke(app, ["rules", "draw", "-o", str(mermaid)]).exit_code == 0
    assert mermaid.read_text().startswith("flowchart")
    unknown = runner.invoke(app, ["rules", "draw", "-o", str(tmp_path / "rules.png")])
    assert unknown.exit_code == 2 and "cannot tell the drawing format" in unknown.output
    assert not (tmp_path / "rules.png").exists()
