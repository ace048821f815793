"""The README's setup commands stay true: CI runs the same test command."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib

import pytest

from .conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


E2E = "browser or load or schemathesis"  # the markers of the slow part (pyproject.toml)


def test_readme_starts_with_the_two_setup_commands() -> None:
    run, test = readme_commands()[:2]
    assert "pip install -e ." in run and "legpress-diag" in run
    assert "pip install -e '.[test,e2e]'" in test


def test_ci_runs_the_readme_test_commands_both_parts() -> None:
    *_, install, fast, slow = (part.strip() for part in readme_commands()[1].split("&&"))
    ci = (REPO / ".ci" / "run").read_text()
    assert install == "pip install -e '.[test,e2e]' -c constraints.txt"
    assert fast == "python -m pytest -q"
    assert slow == f'python -m pytest -q -m "{E2E}"'
    ci_lines = [line.strip() for line in ci.splitlines()]
    assert install in ci and fast in ci_lines and slow in ci_lines


def test_the_fast_run_leaves_out_exactly_the_slow_part() -> None:
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]
    ini = options["ini_options"]
    assert ini["addopts"] == "--strict-markers -m 'not browser and not load and not schemathesis'"
    assert sorted(marker.split(":")[0] for marker in ini["markers"]) == sorted(E2E.split(" or "))


def test_constraints_pin_every_direct_test_dependency_exactly() -> None:
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert name and version and re.fullmatch(r"[\w.]+", version), line
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    direct = [*project["dependencies"], *extras["test"], *extras["e2e"]]
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


@pytest.mark.parametrize(
    "command",
    [
        ["chromium", "--headless", "--dump-dom", "about:blank"],
        ["/usr/bin/chromedriver", "--port=0"],
        "chromium-browser --version",
    ],
)
def test_an_unmarked_test_that_starts_a_browser_fails(command: list[str] | str) -> None:
    # This test has no browser marker: tests/conftest.py stops the launch (before any
    # program runs, so with or without chromium installed) and fails the test.
    with pytest.raises(pytest.fail.Exception, match=r"has no @pytest\.mark\.browser"):
        subprocess.run(command, shell=isinstance(command, str), capture_output=True, timeout=60)


def test_ordinary_programs_start_in_any_test() -> None:
    done = subprocess.run([sys.executable, "-c", "print('chromium')"], capture_output=True)
    assert done.stdout.strip() == b"chromium"
