"""Issue 14: lint output a coach can act on (carets, plain words, one run, suppression)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app

runner = CliRunner()

BROKEN = """\
questions:
  - {id: foot_position, type: choise, text: Where are your feet?, source: x}
rules:
  - {id: ok-rule, if: heels_lift, then: heels_lifting, cf: 0.5, source: x}
  - id: deep-from-angle
    if: knee_angle_at_bottom < 90
    then: excess_depth
    cf: 1.5
    sorce: x
  - {id: typo, if: heel_lift, then: heels_lifting, cf: 0.5, source: x}
  - {id: uses-skipped, if: foot_position == low, then: heels_lifting, cf: 0.5, source: x}
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", *args])
    return result.exit_code, result.stdout


def test_schema_and_semantic_findings_in_one_run_with_carets(in_tmp: Path) -> None:
    (in_tmp / "feet.yaml").write_text(BROKEN)
    code, out = lint("feet.yaml")
    assert code == 1
    assert (
        "feet.yaml:2:31: LP102 question #1 'foot_position': type must be one of yes_no, "
        "choice, multi, number (got 'choise')\n"
        "  |\n"
        "2 |   - {id: foot_position, type: choise, text: Where are your feet?, source: x}\n"
        "  |                               ^^^^^^\n"
        "  = hint: did you mean 'choice'?\n"
    ) in out
    assert (
        "feet.yaml:8:9: LP304 rule #2 'deep-from-angle': cf must be at most 1 (got 1.5)\n"
        "  |\n"
        "8 |     cf: 1.5\n"
        "  |         ^^^\n"
    ) in out
    assert "feet.yaml:9:5: LP101 unknown field 'sorce' in rule #2 'deep-from-angle'" in out
    assert "= hint: did you mean 'source'?" in out
    # the semantic error of another item is not hidden by the schema errors
    assert "feet.yaml:10:20: LP203 in condition of 'typo': unknown question or fact" in out
    # a rule naming the broken question is not reported again
    assert "uses-skipped" not in out
    # the rule with a wrong cf is still checked (its id is taken by a bundled rule),
    # and the analysis runs on what loaded (issue 24 item 2: one run shows everything)
    assert "feet.yaml:5:9: LP201 duplicate rule id 'deep-from-angle'" in out
    assert "feet.yaml:4:5: LP311 warning: rule 'ok-rule' repeats rule 'heels-seen'" in out
    assert out.endswith("\n5 errors, 1 warning in 1 file\n")


def test_schema_messages_use_plain_words_and_1_based_items(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text(
        "rulebase: {name: mine, version: 2}\n"
        "settings: {report_threshold: 2}\n"
        "fixes:\n  - {id: a, title: A, how: do it, source: x}\n  - {id: b, title: B}\n"
        "rulez: []\n"
    )
    _, out = lint("s.yaml")
    assert "rulebase: version must be text (got 2)" in out
    assert "= hint: put the value in quotes: '2'" in out
    assert "settings: report_threshold must be at most 1 (got 2)" in out
    assert "fix #2 'b': missing field 'how'" in out
    assert "LP101 unknown section 'rulez'" in out and "did you mean 'rules'?" in out
    assert "Input should" not in out and "rules.1" not in out


def test_summary_reads_naturally(in_tmp: Path) -> None:
    (in_tmp / "a.yaml").write_text("fixes:\n  - {id: spare, title: S, how: s}\n")
    (in_tmp / "b.yaml").write_text("facts: []\n")
    code, out = lint("b.yaml")
    assert code == 0 and out == "no problems in 1 file\n"
    _, out = lint("a.yaml", "b.yaml")
    assert out.endswith("\n2 warnings in 1 of 2 files\n")


def test_inline_suppression_on_the_line_or_the_line_above(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text(
        "fixes:\n"
        "  - {id: spare, title: S, how: s, source: x}  # lint: disable=LP307\n"
        "  # lint: disable=LP307, LP310\n"
        "  - {id: spare2, title: S, how: s}\n"
    )
    code, out = lint("--strict", "s.yaml")
    assert code == 0, out
    assert out == "no problems in 1 file (3 silenced by '# lint: disable')\n"


def test_suppressions_are_checked(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text(
        "fixes:\n"
        "  - {id: spare, title: S, how: s, source: x}  # lint: disable=LP37,LP203\n"
        "facts:\n"
        "  - {id: f, title: F, source: x}  # lint: disable=LP306\n"
    )
    code, out = lint("--notes", "s.yaml")
    assert code == 0
    assert "s.yaml:2:63: LP318 warning: '# lint: disable' names unknown code 'LP37'" in out
    assert "= hint: did you mean 'LP307'?" in out
    assert "LP203 (unknown-name) cannot be disabled" in out
    assert "s.yaml:2:5: LP307 warning: fix 'spare' is not listed by any cause" in out
    assert "s.yaml:4:51: LP319 info: '# lint: disable=LP306' is unused" in out
    assert "s.yaml:4:5: LP315 warning: fact 'f'" in out
    assert runner.invoke(app, ["rules", "lint", "--strict", "s.yaml"]).exit_code == 1


def test_json_format_is_machine_readable(in_tmp: Path) -> None:
    (in_tmp / "feet.yaml").write_text(BROKEN)
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "-f", "json", "feet.yaml"])
    payload = json.loads(result.stdout)
    first = payload["diagnostics"][0]
    assert first == {
        "code": "LP102",
        "severity": "error",
        "message": "question #1 'foot_position': type must be one of yes_no, choice, multi, "
        "number (got 'choise')",
        "hint": "did you mean 'choice'?",
        "path": "feet.yaml",
        "line": 2,
        "col": 31,
        "end_line": 2,
        "end_col": 37,
        "key_path": "questions.0.type",
        "url": "docs/lint-codes.md#lp102",
    }
    assert payload["summary"]["errors"] == 5 and payload["summary"]["suppressed"] == 0
    assert payload["summary"]["text"] == "5 errors, 1 warning in 1 file"
