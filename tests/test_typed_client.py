"""The package ships its types: a client's own mypy run (strict) checks its use of the
API against the installed package, and the wheel holds the py.typed marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO

CLIENT = """\
from __future__ import annotations

from collections.abc import Iterable

from legpress_diag import api


def top_causes(records: Iterable[dict[str, object]]) -> list[str | None]:
    try:
        rb = api.load_rulebase("my-rules/")
    except api.RuleBaseError as exc:
        for diagnostic in exc.diagnostics:
            span: api.SourceSpan | None = diagnostic.span
            print(diagnostic.format(), span)
        return []
    tops: list[str | None] = []
    for result in api.diagnose_many(records, rb):
        causes: list[api.CauseOut] = result["causes"]
        tops.append(causes[0]["id"] if causes else None)
    return tops


def status(result: api.DiagnosisOut) -> str:
    return result["status"]


try:
    print(top_causes([{"answers": {"heels_lift": "yes"}}]))
except api.LegpressError as exc:
    print(exc)
"""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """mypy --strict on a script in a folder of its own: the installed package, as a
    client sees it (not this repository's src/ or mypy settings)."""
    script = tmp_path / "client.py"
    script.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "client.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_typed_client_passes_mypy_strict(tmp_path: Path) -> None:
    result = mypy(tmp_path, CLIENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_a_misspelt_result_key_fails_mypy(tmp_path: Path) -> None:
    result = mypy(tmp_path, CLIENT.replace('result["causes"]', 'result["cuases"]'))
    assert result.returncode == 1
    assert 'TypedDict "DiagnosisOut" has no key "cuases"' in result.stdout
    assert "missing library stubs or py.typed marker" not in result.stdout


def test_the_wheel_holds_the_py_typed_marker(tmp_path: Path) -> None:
    """Built as a release would be (hatchling, offline: no build isolation)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("legpress_diag-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "legpress_diag/py.typed" in names
    assert "legpress_diag/_bundled_rules/rulebase.yaml" in names


def test_the_api_exports_what_a_client_catches() -> None:
    from legpress_diag import api
    from legpress_diag.foundation.problems import LegpressError, RuleBaseError
    from legpress_diag.intake.records import InputError

    assert api.RuleBaseError is RuleBaseError and api.InputError is InputError
    assert issubclass(api.RuleBaseError, api.LegpressError) and api.LegpressError is LegpressError
    assert {"RuleBaseError", "InputError", "LegpressError", "DiagnosisOut"} <= set(api.__all__)
    with pytest.raises(api.RuleBaseError) as exc:
        api.load_rulebase("/no/such/rules.yaml")
    assert exc.value.diagnostics[0].span is not None
