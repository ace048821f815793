"""Issue 24 item 2: six typical mistakes in one rule file, all found by ONE lint run.

A coach adding "hips shift sideways" made six mistakes at once. Before, lint needed
three edit-lint rounds: the misspelt field hid the unknown fix id of the same cause,
and the analysis (duplicate rule, a rule that can never fire) ran only once
everything loaded. Each mistake is asserted with its code, line and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.authoring.lint import lint
from legpress_diag.cli.app import app
from legpress_diag.foundation.problems import Diagnostic, RuleBaseError, Severity
from legpress_diag.knowledge.loader import compile_rulebase, load_rulebase, read_all, rule_files

runner = CliRunner()

SIX_MISTAKES = """\
rulebase: {name: hips, version: "1"}

questions:
  - id: hips_shift
    type: yes_no
    group: form
    text: Do your hips shift to one side as you push?
    source: coach
  - id: shift_side
    type: choice
    group: form
    text: Which way do they shift?
    choices:
      left: To the left
      right: To the right
      not_sure: Not sure
    source: coach

causes:
  - id: hips_shifting
    title: Hips shift sideways
    explaination: One leg pushes harder than the other, so the pelvis twists under load.
    fixes: [push_evenly, brace_the_core]
    alternatives: [hack_squat]
    source: coach

fixes:
  - id: push_evenly
    title: Push through both feet evenly
    how: Lighten the sled and feel both heels press the platform equally.
    source: coach

rules:
  - id: shift-seen
    if: hip_shift
    then: hips_shifting
    cf: 0.5
    source: coach
  - id: shift-left
    if: hips_shift and shift_side == lefft
    then: hips_shifting
    cf: 0.3
    source: coach
  - id: shift-right
    if: hips_shift and shift_side == right
    then: hips_shifting
    cf: 0.3
    source: coach
  - id: right-shift
    if: shift_side == right and hips_shift
    then: hips_shifting
    cf: 0.3
    source: coach
  - id: shift-either-way
    if: shift_side == left and shift_side == right
    then: hips_shifting
    cf: 0.3
    source: coach
"""

# (code, line, col, words of the message): one per mistake, in file order.
EXPECTED = [
    ("LP101", 22, 5, "unknown field 'explaination' in cause #1 'hips_shifting'"),
    ("LP206", 23, 26, "unknown fix 'brace_the_core' in hips_shifting.fixes"),
    ("LP203", 35, 9, "unknown question or fact 'hip_shift'"),
    ("LP204", 40, 38, "'lefft' is not a choice of 'shift_side'"),
    ("LP311", 49, 5, "rule 'right-shift' repeats rule 'shift-right'"),
    ("LP305", 55, 9, "rule 'shift-either-way' can never fire"),
]


def findings(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    """Errors and warnings (notes aside) as (code, line, col)."""
    return [
        (d.code, d.span.line, d.span.col)
        for d in diagnostics
        if d.severity is not Severity.INFO and d.span is not None
    ]


def test_one_lint_run_reports_all_six_mistakes_at_their_places(tmp_path: Path) -> None:
    path = tmp_path / "hips.yaml"
    path.write_text(SIX_MISTAKES)
    report = lint([path])
    assert findings(report.diagnostics) == [(c, line, col) for c, line, col, _ in EXPECTED]
    for (_, _, _, words), found in zip(
        EXPECTED, [d for d in report.diagnostics if d.severity is not Severity.INFO], strict=True
    ):
        assert words in found.message, found.format()
    # The cause comes before its symptom: no separate "missing field 'explanation'".
    assert not any("missing field" in d.message for d in report.diagnostics)
    typo = report.diagnostics[0]
    assert typo.hint == "did you mean 'explanation'? It is a required field."


def test_the_command_shows_all_six_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hips.yaml").write_text(SIX_MISTAKES)
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "hips.yaml"])
    assert result.exit_code == 1
    for code, line, col, words in EXPECTED:
        assert f"hips.yaml:{line}:{col}: {code} " in result.stdout, (code, result.stdout)
        assert words in result.stdout
    assert result.stdout.endswith("\n5 errors, 1 warning in 1 file\n"), result.stdout
    as_json = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "-f", "json", "hips.yaml"])
    shown = json.loads(as_json.stdout)["diagnostics"]
    codes = [d["code"] for d in shown if d["severity"] != "info"]
    assert codes == [code for code, *_ in EXPECTED] and as_json.exit_code == 1


def test_other_commands_still_stop_at_load_but_list_every_load_error(tmp_path: Path) -> None:
    path = tmp_path / "hips.yaml"
    path.write_text(SIX_MISTAKES)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path])
    # Every load error (the schema one did not hide the others); the analysis findings
    # (LP311, LP305) are lint's: loading stops before any analysis.
    assert [(d.code, d.span.line, d.span.col) for d in info.value.diagnostics if d.span] == [
        (c, line, col) for c, line, col, _ in EXPECTED[:4]
    ]
    result = runner.invoke(app, ["diagnose", "--rules", str(path), "-"], input="{}")
    assert result.exit_code == 2
    assert "does not load (4 problems)" in result.stderr


def test_the_analysis_reports_no_symptom_of_an_item_it_left_out(tmp_path: Path) -> None:
    # 'sway' has a type lint cannot guess, so it is left out; the rule reading it is
    # then left out of the analysis too, and so is everything resting on that rule:
    # no "never fires" for 'leans', no "unused" for the fact, no "unreachable" cause.
    path = tmp_path / "sway.yaml"
    path.write_text(
        "questions:\n"
        "  - {id: sway, type: sometimes, text: Do you sway?, source: c}\n"
        "facts:\n"
        "  - {id: swaying, title: Swaying, source: c}\n"
        "causes:\n"
        "  - {id: leaning, title: Leaning, explanation: You lean., fixes: [push_evenly],"
        " source: c}\n"
        "fixes:\n"
        "  - {id: push_evenly, title: Push evenly, how: Both feet., source: c}\n"
        "rules:\n"
        "  - {id: sways, if: sway, then: swaying, cf: 0.8, source: c}\n"
        "  - {id: leans, if: swaying, then: leaning, cf: 0.8, source: c}\n"
        "  - {id: dead, if: heels_lift and not heels_lift, then: leaning, cf: 0.3, source: c}\n"
    )
    report = lint([path])
    assert findings(report.diagnostics) == [("LP102", 2, 22), ("LP305", 12, 20)]
    [dead] = [d for d in report.diagnostics if d.code == "LP305"]
    assert dead.message.startswith("rule 'dead' can never fire: no answers make")


def test_a_misspelt_optional_field_is_still_one_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("fixes:\n  - {id: f, title: F, how: h, sorce: x}\n")
    report = lint([path], exhaustive=False)
    [typo] = [d for d in report.diagnostics if d.code == "LP101"]
    assert typo.hint == "did you mean 'source'?"
    # The fix failed, so what the analysis would say about it (unused, LP307) is left
    # out: the typo is the one finding.
    assert [d.code for d in report.diagnostics] == ["LP101"]


def test_a_misspelt_list_is_still_checked(tmp_path: Path) -> None:
    # `fixs:` is read as `fixes:`, so the unknown fix in it is found in the same run,
    # and the fix it does name is not called unused.
    path = tmp_path / "c.yaml"
    path.write_text(
        "causes:\n"
        "  - {id: c, title: C, explanation: E., fixs: [f, nope], source: x}\n"
        "fixes:\n  - {id: f, title: F, how: h, source: x}\n"
        "rules:\n  - {id: r, if: heels_lift, then: c, cf: 0.5, source: x}\n"
    )
    report = lint([path], exhaustive=False)
    assert [(d.code, d.span.line, d.span.col) for d in report.diagnostics if d.span] == [
        ("LP101", 2, 40),
        ("LP206", 2, 50),
    ]
    assert report.diagnostics[0].hint == "did you mean 'fixes'?"


def test_a_suppression_is_not_called_unused_when_the_analysis_left_something_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "fixes:\n  - {id: f, title: F, how: h, source: x}  # lint: disable=LP307\n"
        "  - {id: g, title: G, hwo: h, source: x}\n"
    )
    report = lint([path], exhaustive=False)
    assert [d.code for d in report.diagnostics] == ["LP101"], report.diagnostics
    assert report.suppressed == 1


def test_the_analysis_runs_past_references_the_loader_dropped(tmp_path: Path) -> None:
    # Each of these would leave a rule base the analysis cannot walk (a loop of
    # 'explains', an equipment question that does not exist, a replaced_by naming
    # nothing): the loader reports them and drops the reference, so lint still runs
    # its checks, and the duplicate rule below is found in the same run.
    path = tmp_path / "refs.yaml"
    path.write_text(
        "settings: {equipment_question: gear}\n"
        "questions:\n"
        "  - {id: sways, type: yes_no, text: Sway?, replaced_by: [nothing], source: c}\n"
        "causes:\n"
        "  - {id: a, title: A, explanation: A., fixes: [push_evenly], explains: [b], source: c}\n"
        "  - {id: b, title: B, explanation: B., fixes: [push_evenly], explains: [a], source: c}\n"
        "fixes:\n  - {id: push_evenly, title: Push evenly, how: Both feet., source: c}\n"
        "rules:\n"
        "  - {id: r1, if: heels_lift and knees_cave_in, then: a, cf: 0.5, source: c}\n"
        "  - {id: r2, if: knees_cave_in and heels_lift, then: a, cf: 0.5, source: c}\n"
    )
    report = lint([path])
    codes = [d.code for d in report.diagnostics if d.severity is not Severity.INFO]
    assert codes == ["LP206", "LP206", "LP208", "LP208", "LP311"], report.diagnostics
    # What the analysis saw holds no reference the loader reported as wrong.
    parsed, _ = read_all(rule_files([path]), partial=True)
    rb, problems = compile_rulebase(parsed)
    assert len(problems) == 4 and rb.settings.equipment_question is None
    assert rb.questions["sways"].replaced_by == ()
    assert rb.causes["a"].explains == () and rb.causes["b"].explains == ()
    assert {f for c in rb.causes.values() for f in c.fixes} <= set(rb.fixes)


@pytest.mark.parametrize(
    "when",
    ["saddle_numbnes", "no_such_question", '"saddle_numbness and ("', "age_years >"],
)
def test_a_coach_flag_whose_condition_does_not_compile_is_an_error_not_a_crash(
    tmp_path: Path, when: str
) -> None:
    """Attack round 11, H3: the screen's guard looked the flag up after it had been left
    out for its broken condition: KeyError, exit 3 in every command, rules lint too."""
    rules = tmp_path / "flag.yaml"
    rules.write_text(
        "safety_flags:\n"
        "  - id: coach_saddle_check\n"
        f"    when: {when}\n"
        "    level: emergency\n"
        "    title: Saddle numbness\n"
        "    advice: Go to an emergency department now.\n"
    )
    linted = runner.invoke(app, ["rules", "lint", "--rules", str(rules)])
    assert linted.exit_code == 1, linted.output
    assert f"{rules}:3:" in linted.output and "coach_saddle_check" in linted.output
    done = runner.invoke(app, ["diagnose", "-", "--rules", str(rules)], input="{}")
    assert done.exit_code == 2 and f"{rules}:3:" in done.output
    with pytest.raises(RuleBaseError):
        load_rulebase([rules])
