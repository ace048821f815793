"""An output never replaces one of the command's inputs (issue 20, attack round 5, P1
and P6): `ask --answers A --report A` wrote the report over the saved answers, and an
output naming a `--rules` file (`diagnose -o`, `ask --save`/`--report`, `rules schema
--output`, `rules draw --output`) wrote over the coach's rule file, each with exit 0.
Now each is refused with exit 2 before any work, the file untouched; through a
symlink too. `ask --answers A --save A` stays allowed: a resumed session saved over
itself is the point of --save."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app

runner = CliRunner()

COACH = """\
questions:
  - id: coach_grip
    text: Do you grip the handles hard?
    type: yes_no
    source: coach
"""
RECORD = {"id": "a", "answers": {"saddle_numbness": "no", "heels_lift": "yes"}}


def _run(args: list[str], cwd: Path) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(
            app, args, input="\n" * 40, env={"NO_COLOR": "1", "LEGPRESS_DIAG_STATE": str(cwd)}
        )
    finally:
        os.chdir(old)
    return result.exit_code, result.output


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "coach.yaml").write_text(COACH, encoding="utf-8")
    (tmp_path / "me.json").write_text(json.dumps(RECORD), encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "coach.yaml")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "me.json", "--rules", "coach.yaml", "-f", "jsonl", "-o", "coach.yaml"],
        ["diagnose", "me.json", "--rules", "coach.yaml", "-f", "jsonl", "-o", "link.yaml"],
        ["diagnose", "me.json", "--rules", ".", "-f", "jsonl", "-o", "./coach.yaml"],
        ["ask", "--rules", "coach.yaml", "--save", "coach.yaml"],
        ["ask", "--rules", "coach.yaml", "--report", "link.yaml.md", "--save", "coach.yaml"],
        ["rules", "schema", "--rules", "coach.yaml", "--output", "coach.yaml"],
        ["rules", "draw", "--rules", "coach.yaml", "--format", "dot", "--output", "coach.yaml"],
    ],
    ids=[
        "diagnose -o",
        "through a symlink",
        "a folder's file",
        "ask --save",
        "ask both",
        "rules schema",
        "rules draw",
    ],
)
def test_an_output_naming_a_rule_file_is_refused(folder: Path, args: list[str]) -> None:
    before = (folder / "coach.yaml").read_bytes()
    code, output = _run(args, folder)
    assert code == 2, output
    assert "is the rule file coach.yaml: the output would replace it" in output, output
    assert (folder / "coach.yaml").read_bytes() == before


@pytest.mark.parametrize("report", ["saved.md", "./saved.md", "link.html"])
def test_ask_report_naming_the_answers_file_is_refused(folder: Path, report: str) -> None:
    # The attack's saved answers had a report's suffix; a .json report is refused anyway.
    (folder / "saved.md").write_text(json.dumps(RECORD), encoding="utf-8")
    (folder / "link.html").symlink_to(folder / "saved.md")
    before = (folder / "saved.md").read_bytes()
    code, output = _run(["ask", "--answers", "saved.md", "--report", report], folder)
    assert code == 2, output
    assert "is the --answers file: the output would replace it" in output
    assert output.count("\n") == 1  # the error alone: refused before the first question
    assert (folder / "saved.md").read_bytes() == before


def test_ask_saving_a_resumed_session_over_its_own_file_is_allowed(folder: Path) -> None:
    code, output = _run(["ask", "--answers", "me.json", "--save", "me.json"], folder)
    assert code in (0, 1), output
    saved = json.loads((folder / "me.json").read_text())
    assert saved["answers"]["heels_lift"] == "yes"


def test_an_output_over_the_project_settings_or_a_pack_manifest_is_refused(
    folder: Path,
) -> None:
    # Attack round 6, Q3: `ask --save pyproject.toml`, `diagnose -o pyproject.toml`
    # and `-o PACK/legpress-pack.toml` replaced the files the rule base came from, and
    # every later run in that folder failed.
    from .test_packs import GOOD, pack

    settings = folder / "pyproject.toml"
    settings.write_text('[tool.legpress-diag]\nrules = ["coach.yaml"]\n', encoding="utf-8")
    team = pack(folder / "team", GOOD)
    cases = [
        (["ask", "--save", "pyproject.toml"], "the settings file pyproject.toml"),
        (["diagnose", "me.json", "-f", "jsonl", "-o", "pyproject.toml"], "the settings file"),
        (
            [
                "diagnose",
                "me.json",
                "--rules",
                "team",
                "-f",
                "jsonl",
                "-o",
                "team/legpress-pack.toml",
            ],
            "the pack manifest team/legpress-pack.toml",
        ),
    ]
    before = (settings.read_bytes(), (team / "legpress-pack.toml").read_bytes())
    for args, named in cases:
        code, output = _run(args, folder)
        assert code == 2, (args, output)
        assert f"is {named}" in output, output
    assert (settings.read_bytes(), (team / "legpress-pack.toml").read_bytes()) == before


def test_ask_answers_holding_several_records_is_refused(folder: Path) -> None:
    # Attack round 6, Q1: a file of two records joined by a lone CR (the second an
    # emergency) was resumed from the first alone, and gave a plan.
    second = {"id": "b", "answers": {"saddle_numbness": "yes"}}
    (folder / "two.json").write_text(json.dumps(RECORD) + "\r" + json.dumps(second))
    code, output = _run(["ask", "--answers", "two.json"], folder)
    assert code == 2, output
    assert "two.json: holds 2 records; --answers takes one" in output


@pytest.mark.parametrize("name", ["pyproject.toml", "legpress-diag.toml", "legpress-pack.toml"])
def test_an_output_named_like_a_settings_file_is_refused_even_when_not_read(
    folder: Path, name: str
) -> None:
    # Attack round 7, R8: a sub-folder's pyproject.toml without the table (so not
    # read) was replaced by results, and every later run there failed.
    sub = folder / "sub"
    sub.mkdir()
    (sub / name).write_text("[project]\nname = 'x'\n", encoding="utf-8")
    code, output = _run(["diagnose", "me.json", "-f", "jsonl", "-o", f"sub/{name}"], folder)
    assert code == 2, output
    assert "holds a project's settings, never results" in output
    assert (sub / name).read_text(encoding="utf-8") == "[project]\nname = 'x'\n"


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "me.json", "-f", "jsonl", "-o", "nosuchdir/../me.json"],
        ["diagnose", "me.json", "--rules", "coach.yaml", "-o", "gone/../coach.yaml"],
        ["ask", "--answers", "me.json", "--save", "nosuchdir/../me.json"],
        ["rules", "schema", "--rules", "coach.yaml", "--output", "x/../coach.yaml"],
    ],
    ids=["diagnose -o", "diagnose over a rule file", "ask --save", "rules schema"],
)
def test_an_output_through_a_missing_folder_is_refused(folder: Path, args: list[str]) -> None:
    # Check 51, F2: "nosuchdir/../in.jsonl" resolved, by its letters, to the input,
    # and the records were replaced by their results with exit 0.
    before = {name: (folder / name).read_bytes() for name in ("me.json", "coach.yaml")}
    code, output = _run(args, folder)
    assert code == 2, output
    assert "does not exist; create it first" in output, output
    assert {name: (folder / name).read_bytes() for name in before} == before
