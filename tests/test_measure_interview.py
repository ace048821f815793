"""Issue 26: `/v1/interview` takes measured answers with their marks (the record
`/v1/measure` returns), asks only what was not measured, returns them marked, and an
answer the lifter gives in a later step overrides a measured one."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.measure.synth import SetSpec, generate

from .test_measure_shown import screen_clear

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import create_app

JSON = {"content-type": "application/json"}
SET = json.dumps(generate(SetSpec(hip_lift=0.25, heel_lift=18, lowering=0.6, seed=21))[0])


@pytest.fixture(scope="module")
def client(rb: RuleBase) -> TestClient:
    return TestClient(create_app(rb))


@pytest.fixture(scope="module")
def measured(client: TestClient) -> dict[str, Any]:
    response = client.post("/v1/measure", content=SET.encode(), headers=JSON)
    assert response.status_code == 200
    record: dict[str, Any] = response.json()
    return record


def step(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/interview", content=json.dumps(body).encode(), headers=JSON)
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


def finish(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    """Answer 'unsure' to every question left, as a client would step by step."""
    answers = dict(body["answers"])
    for _ in range(60):
        out = step(client, {**body, "answers": answers})
        if out["should_stop"]:
            return out
        assert out["question"]["id"] not in body.get("measured", {})  # never asked again
        answers[out["question"]["id"]] = "unsure"
    raise AssertionError("the interview did not end")


def test_measured_answers_are_not_asked_and_come_back_marked(
    client: TestClient, rb: RuleBase, measured: dict[str, Any]
) -> None:
    body = {**measured, "answers": {**screen_clear(rb), **measured["answers"]}}
    first = step(client, body)
    assert first["should_stop"] is False
    assert first["measured"] == list(measured["answers"])
    end = finish(client, body)
    assert set(end["result"]["measured"]) == set(measured["answers"])  # in question order
    assert end["record"]["answers"]["heels_lift"] == "yes"
    assert set(end["record"]["measured"]) == set(measured["answers"])
    words = end["result"]["measurements"]["knee_angle_at_bottom"]["in_words"]
    assert words.endswith("°, measured in 5 reps")
    assert "heels_lifting" in {c["id"] for c in end["result"]["causes"]}


def test_a_later_answer_of_the_lifter_overrides_the_measured_one(
    client: TestClient, rb: RuleBase, measured: dict[str, Any]
) -> None:
    answers = {**screen_clear(rb), **measured["answers"]}
    answers.pop("heels_lift")
    answers["heels_lift"] = "no"  # given later, by the lifter
    body = {**measured, "answers": answers}
    first = step(client, body)
    assert "heels_lift" not in first["measured"]
    end = finish(client, body)
    assert "heels_lift" not in end["result"]["measured"]
    entry = end["result"]["measurements"]["heels_lift"]
    assert entry["value"] == "yes" and entry["lifter_answer"] == "no"
    assert end["record"]["answers"]["heels_lift"] == "no"
    assert "heels_lifting" not in {c["id"] for c in end["result"]["causes"]}


def test_without_marks_the_answer_is_the_lifters(client: TestClient, rb: RuleBase) -> None:
    out = finish(client, {"answers": {**screen_clear(rb), "heels_lift": "yes"}})
    assert "measured" not in out and "measured" not in out["result"]


def test_a_misshapen_mark_is_a_clear_4xx(client: TestClient) -> None:
    body = {"answers": {"heels_lift": "yes"}, "measured": {"heels_lift": "yes"}}
    response = client.post("/v1/interview", content=json.dumps(body).encode(), headers=JSON)
    assert response.status_code == 422
    problem = response.json()
    assert problem["problems"][0]["key"] == "measured.heels_lift"
    assert "with a 'value'" in problem["problems"][0]["message"]
