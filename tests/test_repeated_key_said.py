"""A safety key given twice with different answers is read as not sure everywhere,
and every front end says so (check 51, F3): `diagnose` and `/v1/diagnose` warned
"answered 2 ways", while `/v1/interview` and `ask --answers` told a lifter who sent
"yes" only that they had said "unsure"."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.knowledge.rulebase import RuleBase

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import create_app

TWICE = b'{"id": "t", "answers": {"saddle_numbness": "yes", "saddle_numbness": "no"}}'
SAID = 'saddle_numbness: answered 2 ways on line 1 ("yes", "no"); read as not sure'


def test_the_interview_says_a_key_was_answered_two_ways(rb: RuleBase) -> None:
    client = TestClient(create_app(rb), headers={"content-type": "application/json"})
    step = client.post("/v1/interview", content=TWICE).json()
    assert any(SAID in warning["message"] for warning in step["warnings"]), step["warnings"]
    diagnosed = client.post("/v1/diagnose", content=TWICE).json()
    assert any(SAID in warning["message"] for warning in diagnosed["warnings"])


def _ask(folder: Path, saved: bytes) -> str:
    """What `ask --answers me.json` prints for ``saved``, quitting at the first prompt."""
    (folder / "me.json").write_bytes(saved)
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            app,
            ["ask", "--answers", "me.json"],
            input="q\n" * 5,
            env={"NO_COLOR": "1", "LEGPRESS_DIAG_STATE": str(folder)},
        )
    finally:
        os.chdir(old)
    return result.output


def test_ask_answers_says_a_key_was_answered_two_ways(tmp_path: Path) -> None:
    output = _ask(tmp_path, TWICE)
    assert f"me.json: {SAID}" in output, output


def test_a_field_beside_answers_is_said_once(tmp_path: Path) -> None:
    output = _ask(tmp_path, b'{"saddle_numbness": "yes", "answers": {}}')
    assert output.count("given beside 'answers'") == 1, output


@pytest.mark.parametrize("empty", ["[]", "null", '""'])
def test_an_unknown_screens_empty_reply_is_a_warning_not_an_error(rb: RuleBase, empty: str) -> None:
    # The live schema test's schema-valid body ({"screen:": []}) was refused with 422.
    client = TestClient(create_app(rb), headers={"content-type": "application/json"})
    body = f'{{"answers": {{"screen:": {empty}, "saddle_numbness": "no"}}}}'.encode()
    step = client.post("/v1/interview", content=body)
    assert step.status_code == 200, step.text
    assert any("unknown safety screen" in w["message"] for w in step.json()["warnings"])
    ticked = b'{"answers": {"screen:nerve_sign": ["x"]}}'
    assert client.post("/v1/interview", content=ticked).status_code == 422  # says something
