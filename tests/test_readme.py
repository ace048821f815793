"""The README's setup commands stay true: CI runs the same test command."""

from __future__ import annotations

import re

from .conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_setup_commands() -> None:
    run, test = readme_commands()[:2]
    assert "pip install -e ." in run and "legpress-diag" in run
    assert "pip install -e '.[test]'" in test


def test_ci_runs_the_readme_test_command() -> None:
    test_command = readme_commands()[1].split("&&")[-1].strip()
    ci = (REPO / ".ci" / "run").read_text()
    assert test_command in ci
    assert "pip install --quiet -e '.[test]'" in ci


def test_readme_example_output_is_true() -> None:
    from legpress_diag.api import diagnose
    from legpress_diag.render.formats import csv_rows

    result = diagnose(
        {"id": "me", "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70}}
    )
    result["line"] = 1
    expected = "".join(csv_rows([result]))
    assert expected in (REPO / "README.md").read_text()
