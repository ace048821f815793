"""A record strict JSON cannot read is an error, and its answers are still screened
when a lenient reading finds them (attack round 9, M2): a readable "yes" to saddle
numbness beside an id "café" in Latin-1, a TAB inside a string, or a UTF-16 file gave
an error with no referral in every interface."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag import api
from legpress_diag.cli.app import app

from .test_interview_two_spellings import SCREEN_CLEAR

runner = CliRunner()
SIGN = {**SCREEN_CLEAR, "saddle_numbness": "yes"}


CASES = {
    # An id "café" written by a Latin-1 program: one byte strict UTF-8 refuses.
    "a Latin-1 byte in the id": b'{"id": "caf\xe9", "answers": ' + json.dumps(SIGN).encode() + b"}",
    # A literal TAB inside a string, which strict JSON refuses ("\t" is the escape).
    "a TAB inside a string": b'{"id": "a\tb", "answers": ' + json.dumps(SIGN).encode() + b"}",
    "UTF-16 with its byte-order mark": json.dumps({"answers": SIGN}).encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_error_still_refers(name: str) -> None:
    raw = CASES[name]
    [result] = list(api.diagnose_stream(io.BytesIO(raw)))
    assert result["errors"], "the record is still an error"
    assert result["status"] == "refer"
    assert [f["level"] for f in result["red_flags"] if f["id"] == "saddle_numbness"] == [
        "emergency"
    ]
    assert not result["causes"] and not result["fixes"]


def test_a_line_of_them_among_good_lines_refers_on_the_command_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "answers": SCREEN_CLEAR}).encode()
    source = tmp_path / "in.jsonl"
    source.write_bytes(good + b"\n" + CASES["a Latin-1 byte in the id"] + b"\n" + good + b"\n")
    done = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl"])
    assert done.exit_code == 1
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in results] == ["ok", "refer", "ok"]
    assert "invalid UTF-8" in results[1]["errors"][0]["message"]


def test_a_line_with_no_answers_to_read_stays_a_plain_error() -> None:
    [result] = list(api.diagnose_stream(io.BytesIO(b'{"answers": {"saddle_numbness": "yes"\xff\n')))
    assert result["status"] == "error" and not result["red_flags"]


@pytest.mark.parametrize("path", ["/v1/diagnose", "/v1/interview"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_400_carries_the_referral(path: str, name: str) -> None:
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(api.bundled_rulebase()))
    answer = client.post(path, content=CASES[name], headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    body = answer.json()
    assert "refers all the same" in body["detail"]
    [result] = body["results"]
    assert result["status"] == "refer" and result["errors"]
    assert "emergency" in [f["level"] for f in result["red_flags"]]
    plain = client.post(path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert plain.status_code == 400 and "results" not in plain.json()
