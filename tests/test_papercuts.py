"""Issue 24's papercuts: `-o -`, `rules lint -`, LP206's and LP318's hints, a case
file given to lint, `rules lint --format sarif`, `--explain CODE` and `url`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema_rs
import pytest
from typer.testing import CliRunner

from legpress_diag.authoring.lint.registry import CHECKS
from legpress_diag.cli.app import app

from .conftest import HIPS_RULES, REPO

runner = CliRunner()

# A cause with a fix of its own, whose line holds a misspelt suppression (LP370).
RULES = HIPS_RULES.replace("fixes: [stop_at_90_degrees]", "fixes: [even_hips]").replace(
    "rules:\n",
    "fixes:\n"
    "  - {id: even_hips, title: Even hips, how: Keep both hips on the pad.}"
    "  # lint: disable=LP370\n"
    "rules:\n",
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- -o - --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["rules", "draw", "-o", "-"], "flowchart LR"),
        (["rules", "schema", "answers", "-o", "-"], '"$schema"'),
        (["diagnose", "-", "-f", "jsonl", "-o", "-"], '"id":"anna"'),
    ],
)
def test_dash_output_is_standard_output(here: Path, args: list[str], expected: str) -> None:
    record = '{"id": "anna", "answers": {"heels_lift": "yes"}}\n'
    result = runner.invoke(app, args, input=record)
    assert result.exit_code in (0, 1), result.stderr
    assert expected in result.stdout
    assert not (here / "-").exists()


# --- rules lint - ------------------------------------------------------------------


def test_lint_reads_standard_input(here: Path) -> None:
    broken = RULES.replace("cf: 0.6", "cf: 1.6")
    result = runner.invoke(app, ["rules", "lint", "-", "--no-exhaustive"], input=broken)
    assert result.exit_code == 1
    assert "<stdin>:18:9: LP304 rule #1 'hips-shift': cf must be at most 1" in result.stdout
    assert "18 |     cf: 1.6" in result.stdout  # the source line is shown too
    assert result.stdout.rstrip().endswith("in 1 file")
    clean = RULES.replace("  # lint: disable=LP370", "").replace(
        "pad.}", 'pad., source: "other-sources: Causes the article does not name"}'
    )
    ok = runner.invoke(app, ["rules", "lint", "-", "--strict"], input=clean)
    assert ok.exit_code == 0, ok.stdout
    assert ok.stdout.startswith("no problems in 1 file")


def test_lint_of_stdin_as_json_names_it(here: Path) -> None:
    result = runner.invoke(app, ["rules", "lint", "-", "-f", "json"], input="rules: [")
    data = json.loads(result.stdout)
    assert data["diagnostics"][0]["path"] == "<stdin>"
    assert data["summary"]["files"] == ["<stdin>"]


# --- hints -------------------------------------------------------------------------


def test_lp206_without_a_close_name_says_where_to_define_it(here: Path) -> None:
    (here / "r.yaml").write_text(RULES.replace("fixes: [even_hips]", "fixes: [zzz]"), "utf-8")
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "r.yaml"])
    assert "LP206 unknown fix 'zzz' in hips_shifting.fixes" in result.stdout
    assert "hint: define it under `fixes:`, or see `rules show fixes`" in result.stdout
    close = RULES.replace("fixes: [even_hips]", "fixes: [even_hip]")
    (here / "r.yaml").write_text(close, "utf-8")
    again = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "r.yaml"])
    assert "did you mean 'even_hips'?" in again.stdout


def test_rules_show_one_section(here: Path) -> None:
    result = runner.invoke(app, ["rules", "show", "fixes"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("fixes (") and "stop_at_90_degrees" in result.stdout
    assert not any(line.startswith(("questions", "causes")) for line in lines)
    wrong = runner.invoke(app, ["rules", "show", "fixs"])
    assert wrong.exit_code == 2 and "did you mean 'fixes'?" in wrong.stderr


def test_lp318_names_the_code_reported_on_that_line(here: Path) -> None:
    """By spelling, LP370 is nearest LP301; the line's own finding is LP310."""
    (here / "r.yaml").write_text(RULES, "utf-8")
    result = runner.invoke(app, ["rules", "lint", "r.yaml", "--no-exhaustive"])
    assert "r.yaml:13:5: LP310 warning: fix 'even_hips' has no source" in result.stdout
    assert "LP318 warning: '# lint: disable' names unknown code 'LP370'" in result.stdout
    assert "hint: did you mean 'LP310'? it is what lint reports on that line" in result.stdout


def test_lp318_falls_back_to_spelling_on_a_line_with_no_finding(here: Path) -> None:
    text = RULES.replace("  # lint: disable=LP370", "").replace(
        "    cf: 0.6\n", "    cf: 0.6  # lint: disable=LP37\n"
    )
    (here / "r.yaml").write_text(text, "utf-8")
    result = runner.invoke(app, ["rules", "lint", "r.yaml", "--no-exhaustive"])
    assert "names unknown code 'LP37'" in result.stdout
    assert "it is what lint reports" not in result.stdout


def test_linting_a_case_file_says_to_run_rules_test(here: Path) -> None:
    (here / "hips-cases.yaml").write_text(
        "cases:\n  - name: x\n    answers: {}\n    expect: {}\n", "utf-8"
    )
    result = runner.invoke(app, ["rules", "lint", "hips-cases.yaml"])
    assert result.exit_code == 1
    assert "hips-cases.yaml:1:1: LP101 this is a case file" in result.stdout
    assert "run `legpress-diag rules test hips-cases.yaml`" in result.stdout
    assert "did you mean 'causes'" not in result.stdout


# --- SARIF, --explain, url -----------------------------------------------------------

# The part of SARIF 2.1.0 (OASIS) that GitHub code scanning reads, in the schema's own
# terms: a log with version and runs; a run's tool.driver with a name and rules; each
# result with a message, a level from the spec's four, and physical locations whose
# regions count lines and columns from 1.
SARIF_SHAPE = {
    "type": "object",
    "required": ["version", "runs", "$schema"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {"$ref": "#/$defs/message"},
                                                "fullDescription": {"$ref": "#/$defs/message"},
                                                "help": {"$ref": "#/$defs/message"},
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message", "ruleId", "level"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"$ref": "#/$defs/message"},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation", "region"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                        "properties": {
                                                            "uri": {
                                                                "type": "string",
                                                                "format": "uri-reference",
                                                            }
                                                        },
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "required": ["startLine"],
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "startColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "endLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "endColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "message": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "minLength": 1}},
        }
    },
}


def test_sarif_has_the_shape_github_code_scanning_reads(here: Path) -> None:
    (here / "r.yaml").write_text(RULES.replace("fixes: [even_hips]", "fixes: [zzz]"), "utf-8")
    result = runner.invoke(app, ["rules", "lint", "r.yaml", "-f", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema_rs.validate(SARIF_SHAPE, log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for finding in run["results"]:  # each result points at its rule
        assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"]
    lp206 = next(r for r in run["results"] if r["ruleId"] == "LP206")
    assert lp206["level"] == "error"
    location = lp206["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "r.yaml"
    assert location["region"]["startLine"] == 10
    rule = rules[lp206["ruleIndex"]]
    assert rule["name"] == "unknown-reference" and "Bad:" in rule["help"]["text"]


def test_sarif_of_the_bundled_base_has_notes_only_at_repository_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Notes are in SARIF (as in JSON); a bundled file is named as the repository has it."""
    monkeypatch.chdir(REPO)
    log = json.loads(runner.invoke(app, ["rules", "lint", "-f", "sarif"]).stdout)
    jsonschema_rs.validate(SARIF_SHAPE, log)
    results = log["runs"][0]["results"]
    assert results and {r["level"] for r in results} == {"note"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert all(re.fullmatch(r"rules/[a-z-]+\.yaml", uri) for uri in uris), uris


def test_explain_a_code(here: Path) -> None:
    result = runner.invoke(app, ["rules", "lint", "--explain", "lp204"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "LP204 not-a-choice (error, load phase)"
    assert "Bad:" in lines and "Good:" in lines
    assert lines[-1] == "More: docs/lint-codes.md#lp204"
    wrong = runner.invoke(app, ["rules", "lint", "--explain", "LP2004"])
    assert wrong.exit_code == 2 and "no lint code 'LP2004'" in wrong.stderr


def test_every_code_explains_and_its_url_has_a_heading() -> None:
    page = (REPO / "docs" / "lint-codes.md").read_text("utf-8")
    for code in CHECKS:
        result = runner.invoke(app, ["rules", "lint", "--explain", code])
        assert result.exit_code == 0, code
        anchor = result.stdout.splitlines()[-1].rsplit("#", 1)[1]
        assert re.search(rf"^## {anchor.upper()}$", page, re.M), code


def test_json_findings_carry_their_url(here: Path) -> None:
    (here / "r.yaml").write_text(RULES, "utf-8")
    data = json.loads(runner.invoke(app, ["rules", "lint", "r.yaml", "-f", "json"]).stdout)
    urls = {d["code"]: d["url"] for d in data["diagnostics"]}
    assert urls["LP310"] == "docs/lint-codes.md#lp310"
    assert urls["LP318"] == "docs/lint-codes.md#lp318"
