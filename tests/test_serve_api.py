"""The HTTP API and the web page through FastAPI's TestClient: every endpoint and error."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app as cli_app
from legpress_diag.knowledge.rulebase import UNSURE_REST, RuleBase

from .conftest import REPO

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import Limits, create_app

EXAMPLES = REPO / "examples" / "clients.jsonl"
runner = CliRunner()
CLEAR_SCREENS = {
    "age_years": 30,
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
}


@pytest.fixture(scope="module")
def client(rb: RuleBase) -> TestClient:
    return TestClient(
        create_app(rb, Limits(max_body_bytes=64 * 1024, max_records=50)), headers=JSON_BODY
    )


JSON_BODY = {"content-type": "application/json"}
PROBLEM_KEYS = {"type", "title", "status", "detail", "problems"}


def problem(response: Any, status: int, kind: str) -> Any:
    """The problem details of an error answer, checked for the one shape every error has."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    assert body["type"] == (f"/docs#problem-{kind}" if kind else "about:blank")
    return body


def cli_output(tmp_path: Path, body: bytes, fmt: str) -> str:
    path = tmp_path / "in.json"
    path.write_bytes(body)
    return runner.invoke(cli_app, ["diagnose", str(path), "--format", fmt, "-q"]).stdout


# --- service endpoints ---------------------------------------------------------------


def test_healthz_and_rulebase(client: TestClient, rb: RuleBase) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/v1/rulebase").json() == rb.identity


def test_questions_lists_every_question_and_the_screens(client: TestClient, rb: RuleBase) -> None:
    body = client.get("/v1/questions").json()
    ids = [q["id"] for q in body["questions"]]
    assert set(ids) == {q for q, question in rb.questions.items() if not question.replaced_by}
    assert [s["id"] for s in body["screens"]] == [f"screen:{s}" for s in rb.screens]
    nerve = next(s for s in body["screens"] if s["id"] == "screen:nerve_signs")
    assert [s["value"] for s in nerve["signs"]] == list(rb.screens["nerve_signs"].question_ids)
    checklist = next(s for s in body["screens"] if s["id"] == "screen:what_happens_in_a_set")
    assert checklist["type"] == "multi"  # a checklist: tick what happens
    # Its items, then "not sure about the rest" (the unticked ones stay unknown).
    assert [c["value"] for c in checklist["choices"]] == [
        *rb.screens["what_happens_in_a_set"].question_ids,
        UNSURE_REST,
    ]
    timing = next(q for q in body["questions"] if q["id"] == "pain_timing")
    assert timing["type"] == "choice" and timing["choices"][0]["value"] == "bottom_of_rep"


def test_openapi_schema_is_generated_and_lists_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/healthz",
        "/v1/rulebase",
        "/v1/questions",
        "/v1/diagnose",
        "/v1/interview",
        "/v1/measure",
    }
    assert "DiagnosisOut" in schema["components"]["schemas"]
    body = schema["paths"]["/v1/interview"]["post"]["requestBody"]["content"]["application/json"]
    assert "screen:nerve_signs" in body["schema"]["properties"]["answers"]["properties"]


def test_the_busy_routes_are_the_apps_own_and_served_by_a_plain_route(rb: RuleBase) -> None:
    """/v1/diagnose and /v1/interview are matched by a plain Starlette route (FastAPI's
    per-request handling is work an endpoint with no parameters does not need), placed
    ahead of the FastAPI route that documents it; both are the app's own routes, not
    an included router's, and the schema lists each operation once."""
    from fastapi.routing import APIRoute
    from starlette.routing import Match, Route

    app = create_app(rb)
    for path in ("/v1/diagnose", "/v1/interview"):
        scope = {"type": "http", "path": path, "method": "POST", "root_path": ""}
        serving = next(r for r in app.router.routes if r.matches(scope)[0] is Match.FULL)
        assert type(serving) is Route and not serving.include_in_schema
        documented = [r for r in app.router.routes if isinstance(r, APIRoute) and r.path == path]
        assert len(documented) == 1 and documented[0].endpoint is serving.endpoint
        order = [id(r) for r in app.router.routes]  # by identity: a Route == its APIRoute
        assert order.index(id(serving)) < order.index(id(documented[0]))
    operations = [op["operationId"] for p in app.openapi()["paths"].values() for op in p.values()]
    assert len(operations) == len(set(operations))


# --- /v1/diagnose: the same bytes as the CLI ---------------------------------------------


@pytest.mark.parametrize("line", EXAMPLES.read_bytes().splitlines()[:6])
def test_diagnose_one_record_is_the_cli_jsonl_line(
    client: TestClient, tmp_path: Path, line: bytes
) -> None:
    response = client.post("/v1/diagnose", content=line)
    expected = cli_output(tmp_path, line + b"\n", "jsonl")
    if json.loads(expected)["errors"]:
        assert problem(response, 422, "invalid-answers")["results"] == [json.loads(expected)]
    else:
        assert response.text == expected
        assert response.headers["content-type"] == "application/json"


def test_diagnose_an_array_is_the_cli_json_array(client: TestClient, tmp_path: Path) -> None:
    records = [json.loads(line) for line in EXAMPLES.read_text().splitlines() if line.strip()]
    body = json.dumps(records).encode()
    response = client.post("/v1/diagnose", content=body)
    # The examples hold an invalid record, on purpose: every result is still there.
    results = problem(response, 422, "invalid-answers")["results"]
    assert results == json.loads(cli_output(tmp_path, body, "json"))
    assert [r["id"] for r in results] == [r["id"] for r in records]
    # Without it, the answer is the CLI's bytes.
    valid = json.dumps([r for r, out in zip(records, results, strict=True) if not out["errors"]])
    response = client.post("/v1/diagnose", content=valid.encode())
    assert response.status_code == 200 and len(response.json()) == len(records) - 1
    assert response.text == cli_output(tmp_path, valid.encode(), "json")


def test_an_invalid_record_is_422_with_the_cli_messages(client: TestClient, tmp_path: Path) -> None:
    body = b'[{"id": "a", "answers": {"knee_angle_at_bottom": 500}}, {"answers": {}}]'
    response = client.post("/v1/diagnose", content=body)
    body_ = problem(response, 422, "invalid-answers")
    assert body_["results"] == json.loads(cli_output(tmp_path, body, "json"))
    bad, good = body_["results"]
    assert bad["status"] == "error" and good["status"] != "error"
    assert bad["errors"][0]["key"] == "knee_angle_at_bottom"
    assert "500 is out of range" in bad["errors"][0]["message"]
    [one] = body_["problems"]  # each bad answer, with the record it is in
    assert one["record"] == "a" and one["key"] == "knee_angle_at_bottom"
    assert one["expected"] == "a number from 20 to 180 (degrees)"


@pytest.mark.parametrize(
    ("body", "status", "kind", "words"),
    [
        (b"", 400, "not-json", "empty"),
        (b'{"answers": {}}\n{"answers": {}}\n', 400, "not-json", "in a JSON array"),
        (b"[" + b",".join([b'{"answers": {}}'] * 51) + b"]", 413, "too-large", "more than 50"),
        (b'{"answers": {"x": "' + b"a" * 70_000 + b'"}}', 413, "too-large", "larger than"),
        (b"5", 422, "not-a-record", "one answer record"),
    ],
)
def test_diagnose_refuses_unusable_bodies_with_a_problem(
    client: TestClient, body: bytes, status: int, kind: str, words: str
) -> None:
    response = client.post("/v1/diagnose", content=body)
    assert words in problem(response, status, kind)["detail"]
    assert "per line" not in response.text  # the CLI's words, not HTTP's


def test_a_body_over_the_cap_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post("/v1/diagnose", content=b"{}", headers={"content-length": str(10**9)})
    assert response.status_code == 413


# A key repeated in a record's answers is read as not sure, and one repeated deeper
# inside a value is an error of the record that still refers
# (tests/test_repeated_keys.py).
@pytest.mark.parametrize("body", [b"{", b"NaN", b"\xff\xfe"])
@pytest.mark.parametrize("path", ["/v1/diagnose", "/v1/interview"])
def test_broken_json_is_a_400_problem_never_a_500(
    client: TestClient, body: bytes, path: str
) -> None:
    response = client.post(path, content=body)
    assert problem(response, 400, "not-json")["detail"].startswith("the body is not JSON: ")
    assert "Traceback" not in response.text and "per line" not in response.text


def test_a_record_that_is_not_an_object_is_an_error_result(client: TestClient) -> None:
    response = client.post("/v1/diagnose", content=b'{"answers": 5}')
    [result] = problem(response, 422, "invalid-answers")["results"]
    assert result["status"] == "error"


# --- /v1/interview ------------------------------------------------------------------------


def interview(client: TestClient, answers: dict[str, Any], **extra: Any) -> Any:
    response = client.post("/v1/interview", json={"answers": answers, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_interview_starts_with_the_safety_screen(client: TestClient) -> None:
    first = interview(client, {})
    assert first["should_stop"] is False and first["question"]["id"] == "age_years"
    second = interview(client, {"age_years": 40})["question"]
    assert second["id"] == "screen:nerve_signs" and second["type"] == "yes_no"
    assert second["signs"][0]["value"] == "saddle_numbness"
    assert second["why"]
    # What an app shows a lifter: one or two plain sentences, no level in brackets.
    brief = second["why_brief"]
    assert brief and brief.count(". ") <= 2 and "(" not in brief


def test_each_step_s_brief_why_is_its_own_question_s_asked_again_or_not(
    client: TestClient, rb: RuleBase
) -> None:
    """The brief why is worked out once per rule base and question (the service keeps
    it): every step still gets its own question's, the first time and again."""
    from legpress_diag.presentation.render.words import why_in_brief

    steps = [{}, {"age_years": 40}, {**CLEAR_SCREENS}, {**CLEAR_SCREENS, "heels_lift": "yes"}]
    for _ in range(2):
        seen = set()
        for answers in steps:
            question = interview(client, answers)["question"]
            assert question["why_brief"] == why_in_brief(rb, question["id"])
            seen.add(question["why_brief"])
        assert len(seen) >= 3  # the age, a safety screen and form questions differ


def test_a_screen_answered_yes_or_unsure_is_opened(client: TestClient) -> None:
    for reply in ("yes", "unsure"):
        step = interview(client, {"age_years": 40, "screen:nerve_signs": reply})
        assert step["question"]["id"] == "saddle_numbness"


def test_an_emergency_stops_with_a_referral_and_no_advice(client: TestClient) -> None:
    answers = {"age_years": 40, "screen:nerve_signs": "yes", "saddle_numbness": "yes"}
    step = interview(client, answers)
    assert step["should_stop"] is True
    result = step["result"]
    assert result["status"] == "refer" and result["red_flags"][0]["level"] == "emergency"
    assert result["alternatives"] == [] and all(c["fixes"] == [] for c in result["causes"])


def test_a_finished_interview_is_the_diagnosis_of_its_record(
    client: TestClient, tmp_path: Path
) -> None:
    answers: dict[str, Any] = dict(CLEAR_SCREENS)
    answers |= {"pain_location": ["lower_back"], "pelvis_tucks_under": "yes"}
    step = interview(client, answers, id="me")
    while not step["should_stop"]:
        question = step["question"]
        answers[question["id"]] = "unsure" if question["type"] != "yes_no" else "no"
        step = interview(client, answers, id="me")
    assert step["record"]["id"] == "me"
    assert step["record"]["answers"]["saddle_numbness"] == "no"  # from "screen:...": "no"
    line = json.dumps(step["record"]).encode()
    assert json.loads(cli_output(tmp_path, line, "jsonl")) | {"line": None} == step["result"] | {
        "line": None
    }
    encoded = client.post("/v1/diagnose", content=line).text.rstrip("\n")
    assert (
        encoded.replace(',"line":1', "")
        in client.post("/v1/interview", json={"id": "me", "answers": answers}).text
    )


def test_interview_errors_name_the_key_like_the_cli(client: TestClient) -> None:
    response = client.post(
        "/v1/interview",
        json={"answers": {"age_years": 500, "screen:nerve": "no", "pain_timing": "sometimes"}},
    )
    problems = {p["key"]: p for p in problem(response, 422, "invalid-answers")["problems"]}
    assert problems["age_years"]["message"] == (
        "age_years: 500 is out of range; the safety screen reads it both as 100 and as not "
        "sure, whichever refers higher"
    )
    assert problems["age_years"]["expected"] == "a number from 12 to 100 (years)"
    assert "unknown safety screen" in problems["screen:nerve"]["message"]
    assert problems["pain_timing"]["message"].startswith('pain_timing: "sometimes" is not one')


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"[]", 422), (b'{"answers": []}', 422), (b"{", 400), (b'{"id": true, "answers": {}}', 422)],
)
def test_interview_refuses_bad_bodies(client: TestClient, body: bytes, status: int) -> None:
    response = client.post("/v1/interview", content=body)
    assert set(problem(response, status, "not-json" if status == 400 else "not-a-record")) == (
        PROBLEM_KEYS
    )


def test_unknown_keys_are_warnings(client: TestClient) -> None:
    step = interview(client, {"knee_angel": 90})
    assert step["warnings"][0]["key"] == "knee_angel"
    assert "knee_angle_at_bottom" in step["warnings"][0]["message"]


# The web page: tests/test_serve_pages.py; in a real browser: test_serve_browser.py.


# --- the command --------------------------------------------------------------------------


def test_serve_without_the_extra_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = runner.invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "pip install 'legpress-diag[serve]'" in result.stderr


def test_serve_help_names_the_defaults() -> None:
    result = runner.invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.stdout and "--log-requests" in result.stdout


def test_unknown_paths_and_methods_answer_in_the_api_error_shape(client: TestClient) -> None:
    missing = problem(client.get("/v1/nothing-here"), 404, "")
    assert missing["title"] == "Not Found" and "/v1/nothing-here" in missing["detail"]
    wrong = client.get("/v1/diagnose")
    assert problem(wrong, 405, "")["problems"] == []
    assert wrong.headers["allow"] == "POST"
