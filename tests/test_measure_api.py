"""Issue 26: `/v1/measure` answers as `legpress-diag measure` does, size-capped, and
`/v1/diagnose` reads the measured record with its marks."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app as cli_app
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.measure.synth import SetSpec, generate

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import Limits, create_app

BODY = json.dumps(generate(SetSpec(reps=3, hip_lift=0.25, seed=8))[0]).encode()
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(rb: RuleBase) -> TestClient:
    return TestClient(create_app(rb, Limits(max_body_bytes=1024, max_landmarks_bytes=len(BODY))))


def test_measure_answers_the_record_the_command_prints(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/v1/measure", content=BODY, headers=JSON)
    assert response.status_code == 200
    path = tmp_path / "set.json"
    path.write_bytes(BODY)
    assert response.json() == json.loads(CliRunner().invoke(cli_app, ["measure", str(path)]).stdout)
    assert response.json()["answers"]["butt_lifts_off_seat"] == "yes"


def test_measure_caps_its_own_body_size_at_the_limit(client: TestClient) -> None:
    over = client.post("/v1/measure", content=BODY + b" ", headers=JSON)
    assert over.status_code == 413
    assert over.json()["detail"] == f"the body is larger than {len(BODY):,} bytes"


def test_invalid_landmarks_are_a_422_naming_the_frame(client: TestClient) -> None:
    data = json.loads(BODY)
    data["frames"][4]["landmarks"] = data["frames"][4]["landmarks"][:20]
    response = client.post("/v1/measure", content=json.dumps(data).encode(), headers=JSON)
    assert response.status_code == 422
    assert response.json()["title"] == "The body is not valid landmarks"
    assert response.json()["detail"].startswith("frame 4: 'landmarks' is 20 points")


def test_text_that_is_not_json_is_a_400(client: TestClient) -> None:
    response = client.post("/v1/measure", content=b'{"fps": NaN}', headers=JSON)
    assert response.status_code == 400
    assert "NaN is not a number JSON allows" in response.json()["detail"]


def test_diagnose_marks_the_measured_answers(client: TestClient) -> None:
    record = client.post("/v1/measure", content=BODY, headers=JSON).json()
    small = {
        "answers": record["answers"],
        "measured": {
            k: {"value": v["value"], "confidence": v["confidence"], "evidence": {}}
            for k, v in record["measured"].items()
        },
    }
    result = client.post("/v1/diagnose", content=json.dumps(small).encode(), headers=JSON)
    assert result.status_code == 200
    assert result.json()["measured"] == list(record["answers"])
    assert "butt_off_seat" in {c["id"] for c in result.json()["causes"]}


def test_the_schema_lists_measure(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "413" in paths["/v1/measure"]["post"]["responses"]


def test_a_body_of_empty_arrays_is_a_422_before_it_is_parsed(client: TestClient) -> None:
    # Issue 20, attack N3: 16 MiB of `[[],[],...]` held 480 MB while it was parsed.
    body = b'{"fps":30,"width":1,"height":1,"view":"left","frames":[' + b"[]," * 30_000 + b"[]]}"
    assert len(body) <= len(BODY)
    response = client.post("/v1/measure", content=body, headers=JSON)
    assert response.status_code == 422
    assert "expected at most one per 10 characters" in response.json()["detail"]
