"""`rules test` and `rules impact` find a rule file's cases by one rule; coverage of a
pack's own rules; 'did you forget --rules'; `rules test --format json|junit`."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from legpress_diag.authoring.case_discovery import cases_beside, is_pack
from legpress_diag.cli.app import app

from .conftest import HIPS_RULES

runner = CliRunner()

HIPS = HIPS_RULES + (
    "  - id: hips-shift-deep\n"
    "    if: hips_shift and knee_angle_at_bottom < 80\n"
    "    then: hips_shifting\n"
    "    cf: 0.3\n"
    '    source: "other-sources: Causes the article does not name"\n'
)

CASES = """\
cases:
  - name: hips shift
    answers: {hips_shift: "yes"}
    expect:
      causes: [hips_shifting]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hips.yaml").write_text(HIPS, "utf-8")
    (tmp_path / "hips-cases.yaml").write_text(CASES, "utf-8")
    return tmp_path


def test_rules_test_finds_the_cases_beside_the_rules(folder: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", "hips.yaml"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("1 passed, 0 failed")  # not the bundled cases


def test_coverage_counts_the_packs_own_rules(folder: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", "hips.yaml", "--coverage"])
    assert "coverage: rules 1/2 (50%) - not exercised: hips-shift-deep" in result.stdout
    assert "coverage: causes 1/1 (100%)" in result.stdout
    assert "coverage: questions 1/1 (100%)" in result.stdout


def test_a_folder_of_rules_and_their_cases_loads_as_rules(folder: Path) -> None:
    """hips-cases.yaml beside hips.yaml is a case file, not one of the folder's rules."""
    lint = runner.invoke(app, ["rules", "lint", "."])
    assert lint.exit_code == 0, lint.stdout
    assert "hips-cases.yaml" not in lint.stdout
    assert is_pack(folder) and not is_pack(folder / "nope")
    result = runner.invoke(app, ["rules", "test", "."])  # a pack folder: its own cases
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("1 passed, 0 failed")


def test_test_and_impact_find_the_same_cases(folder: Path) -> None:
    (folder / "team" / "cases").mkdir(parents=True)
    (folder / "team" / "hips.yaml").write_text(HIPS, "utf-8")
    (folder / "team" / "cases" / "hips.yaml").write_text(CASES, "utf-8")
    (folder / "team" / "hips_cases.yaml").write_text(CASES.replace("hips shift", "beside"), "utf-8")
    assert cases_beside([Path("team")]) == [
        Path("team/cases"),
        Path("team/hips_cases.yaml"),
    ]
    tested = runner.invoke(app, ["rules", "test", "--rules", "team", "-f", "json"])
    names = [c["name"] for c in json.loads(tested.stdout)["cases"]]
    assert names == ["hips shift", "beside"]
    impact = runner.invoke(app, ["rules", "impact", "--rules", "team"])
    assert "1 case from team/cases" in impact.stdout.replace("\\\\", "/")
    assert "1 case from team/hips_cases.yaml" in impact.stdout


def test_an_id_of_a_rule_file_not_loaded_asks_did_you_forget(folder: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "hips-cases.yaml"])
    assert result.exit_code == 1
    assert (
        "unknown answer key 'hips_shift': no question has that id "
        "(did you forget --rules hips.yaml? it is defined there)" in result.stdout
    )
    assert "unknown cause 'hips_shifting' (did you forget --rules hips.yaml?" in result.stdout
    assert "did you mean" not in result.stdout


def test_cases_in_a_cases_folder_look_in_the_pack_above(folder: Path) -> None:
    (folder / "cases").mkdir()
    (folder / "hips-cases.yaml").rename(folder / "cases" / "hips.yaml")
    result = runner.invoke(app, ["rules", "test", "cases/"])
    assert "(did you forget --rules hips.yaml? it is defined there)" in result.stdout


def test_no_cases_found_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hips.yaml").write_text(HIPS, "utf-8")
    result = runner.invoke(app, ["rules", "test", "--rules", "hips.yaml"])
    assert result.exit_code == 2
    assert "no case files found" in result.stderr


def test_a_broken_rule_file_is_named_before_missing_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("questions:\n  - id: x\n    text: [\n", "utf-8")
    result = runner.invoke(app, ["rules", "test", "--rules", "bad.yaml"])
    assert result.exit_code == 2
    assert "bad.yaml:" in result.output and "LP001" in result.output
    assert "no case files found" not in result.output


def test_a_folder_with_no_case_files_is_an_error_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a case", "utf-8")
    result = runner.invoke(app, ["rules", "test", "empty"])
    assert result.exit_code == 2
    assert "empty: no case files (*.yaml) in this folder" in result.stderr
    assert "0 passed" not in result.output


def test_a_fifo_in_a_case_folder_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    os.mkfifo(tmp_path / "cases" / "pipe.yaml")
    (tmp_path / "cases" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    result = runner.invoke(app, ["rules", "test", "cases"])
    assert result.exit_code == 1
    assert "cases/pipe.yaml:1:1: LP002 cannot read: not a regular file (a FIFO" in result.stdout
    assert "cases/gone.yaml:1:1: LP002 cannot read" in result.stdout
    assert "2 problems in case files" in result.stdout


FAILING = textwrap.dedent(
    """\
    cases:
      - name: "fails \\x01 <here> & there"
        answers: {hips_shift: "no"}
        expect:
          causes: [hips_shifting]
      - name: passes
        answers: {hips_shift: "yes"}
        expect:
          causes: [hips_shifting]
    """
)


def test_rules_test_as_json(folder: Path) -> None:
    (folder / "hips-cases.yaml").write_text(FAILING, "utf-8")
    result = runner.invoke(
        app, ["rules", "test", "--rules", "hips.yaml", "-f", "json", "--coverage"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["passed"] == 1 and data["summary"]["failed"] == 1
    first = data["cases"][0]
    assert (first["path"], first["line"], first["passed"]) == ("hips-cases.yaml", 2, False)
    assert any("hips_shifting" in p for p in first["problems"])
    assert data["cases"][1]["passed"] is True and data["cases"][1]["problems"] == []
    assert {"kind": "rules", "covered": 1, "total": 2, "missing": ["hips-shift-deep"]} in data[
        "coverage"
    ]


def test_rules_test_as_junit_xml(folder: Path) -> None:
    (folder / "hips-cases.yaml").write_text(FAILING, "utf-8")
    (folder / "broken-cases.yaml").write_text("cases:\n  - name: x\n", "utf-8")
    result = runner.invoke(
        app,
        [
            "rules",
            "test",
            "hips-cases.yaml",
            "broken-cases.yaml",
            "--rules",
            "hips.yaml",
            "-f",
            "junit",
        ],
    )
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)  # well-formed, though a name held \x01, < and &
    assert root.tag == "testsuites"
    # Two cases, and the broken file's two problems (no answers, no expect).
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "2")
    cases = root.findall("testsuite/testcase")
    failing = next(c for c in cases if c.find("failure") is not None)
    assert failing.get("name") == "fails \\x01 <here> & there"
    assert failing.get("classname") == "hips-cases.yaml" and failing.get("line") == "2"
    assert "hips_shifting" in (failing.find("failure").get("message") or "")  # type: ignore[union-attr]
    errors = [c for c in cases if c.find("error") is not None]
    assert [e.get("classname") for e in errors] == ["broken-cases.yaml"] * 2


def test_an_unknown_test_format_is_refused(folder: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "-f", "xml"])
    assert result.exit_code == 2 and "choose from text, json, junit" in result.stderr
