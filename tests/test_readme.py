"""The README's setup commands stay true: CI runs the same test command."""

from __future__ import annotations

import io
import re
import tomllib

from .conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_starts_with_the_two_setup_commands() -> None:
    run, test = readme_commands()[:2]
    assert "pip install -e ." in run and "legpress-diag" in run
    assert "pip install -e '.[test]'" in test


def test_ci_runs_the_readme_test_command() -> None:
    *_, install, test_command = (part.strip() for part in readme_commands()[1].split("&&"))
    ci = (REPO / ".ci" / "run").read_text()
    assert install == "pip install -e '.[test]' -c constraints.txt"
    assert install in ci and test_command in ci


def test_constraints_pin_every_direct_test_dependency_exactly() -> None:
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert name and version and re.fullmatch(r"[\w.]+", version), line
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    direct = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    for requirement in direct:
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name).lower() in pins, requirement


def test_readme_example_output_is_true() -> None:
    from legpress_diag.api import diagnose
    from legpress_diag.presentation.writers import WriteContext, by_name

    result = diagnose(
        {"id": "me", "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70}}
    )
    result["line"] = 1
    csv = by_name("csv")
    out = io.StringIO()
    csv.write([csv.prepare(result, None)], out, WriteContext())
    expected = out.getvalue()
    assert expected in (REPO / "README.md").read_text()
