"""The default result and --explain: what each carries, and that the default is
exactly the explained result without the explain-only fields."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.cli.app import app

RB = bundled_rulebase()
runner = CliRunner()
RECORD = {
    "id": "me",
    "answers": {
        "pelvis_tucks_under": "yes",
        "knee_angle_at_bottom": 60,
        "pain_location": ["lower_back"],
        "equipment_available": ["hack_squat", "swiss_ball"],
    },
}
# What explain adds, and nothing else: the rule-level reasoning (contract v3: every
# text a client shows is in the default result).
EXPLAIN_ONLY: dict[str, set[str]] = {
    "result": {"facts"},
    "cause": {"reasoning"},
    "fix": set(),
    "plan": set(),
    "alternative": set(),
}


def _without_explain_only(result: dict[str, Any]) -> dict[str, Any]:
    def drop(item: dict[str, Any], kind: str) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in EXPLAIN_ONLY[kind]}

    out = drop(result, "result")
    out["causes"] = [drop(c, "cause") for c in result["causes"]]
    out["fixes"] = {i: drop(f, "fix") for i, f in result["fixes"].items()}
    out["plan"] = [drop(s, "plan") for s in result["plan"]]
    out["alternatives"] = [drop(a, "alternative") for a in result["alternatives"]]
    return out


def test_the_default_explains_each_cause_by_its_answers_and_rules() -> None:
    result = diagnose(RECORD, RB)
    tilt = next(c for c in result["causes"] if c["id"] == "posterior_pelvic_tilt")
    assert tilt["because"]["answers"]["pelvis_tucks_under"] == "yes"
    assert "tilt-seen" in tilt["because"]["rules"]
    # The rules behind the facts it rests on are named too (lumbar flexion here).
    assert "flexion-from-tucking" in tilt["because"]["rules"]
    assert "reasoning" not in tilt and "facts" not in result
    # Contract v3: the texts a client shows are in the default result.
    assert tilt["explanation"]
    assert all(set(f) == {"title", "how"} and f["how"] for f in result["fixes"].values())
    assert all(step["how"] and step["title"] for step in result["plan"])
    assert result["alternatives"] and all(a["how"] for a in result["alternatives"])


def test_explain_adds_the_rule_level_reasoning() -> None:
    result = diagnose(RECORD, RB, explain=True)
    tilt = next(c for c in result["causes"] if c["id"] == "posterior_pelvic_tilt")
    assert tilt["reasoning"]["rules"][0]["defined_at"].startswith("<bundled>/")
    assert tilt["explanation"] and result["facts"]
    assert all(f["how"] for f in result["fixes"].values())
    assert all(step["how"] and step["title"] for step in result["plan"])
    assert result["alternatives"] and all("variations" in a for a in result["alternatives"])
    # The brief 'because' lists the same answers as the full one, in the same order.
    assert list(tilt["because"]["answers"]) == [b["question"] for b in tilt["reasoning"]["because"]]


answer_values = st.fixed_dictionaries(
    {},
    optional={
        q.id: st.sampled_from(["yes", "no", "unsure"])
        if q.type.value == "yes_no"
        else st.sampled_from(list(q.choice_values))
        if q.type.value == "choice"
        else st.lists(st.sampled_from(list(q.choice_values)), unique=True)
        if q.type.value == "multi"
        else st.integers(int(q.minimum or 0), int(q.maximum or 0))
        for q in RB.questions.values()
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_values)
def test_the_default_is_the_explained_result_minus_the_explain_only_fields(
    answers: dict[str, Any],
) -> None:
    record = {"id": "x", "answers": answers}
    assert diagnose(record, RB) == _without_explain_only(
        json.loads(json.dumps(diagnose(record, RB, explain=True)))
    )


def test_diagnose_explain_on_the_command_line(tmp_path: Any) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(RECORD) + "\n")
    plain = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl", "-q"])
    full = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl", "-q", "--explain"])
    assert plain.exit_code == full.exit_code == 0
    brief, explained = json.loads(plain.stdout), json.loads(full.stdout)
    assert "reasoning" not in brief["causes"][0] and "reasoning" in explained["causes"][0]
    assert len(plain.stdout) < len(full.stdout)
    # Formats that show the reasoning always get it; CSV shows neither.
    for fmt in ("markdown", "csv"):
        a = runner.invoke(app, ["diagnose", str(source), "-f", fmt, "-q"])
        b = runner.invoke(app, ["diagnose", str(source), "-f", fmt, "-q", "--explain"])
        assert a.exit_code == 0 and a.stdout == b.stdout, fmt


def test_explain_over_http() -> None:
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(RB))
    plain = client.post("/v1/diagnose", json=RECORD).json()
    full = client.post("/v1/diagnose?explain=true", json=RECORD).json()
    assert "reasoning" not in plain["causes"][0] and "reasoning" in full["causes"][0]
    bad = client.post("/v1/diagnose?explain=maybe", json=RECORD)
    assert bad.status_code == 422
    body = bad.json()
    assert body["type"] == "/docs#problem-invalid-parameter"
    assert body["problems"][0]["key"] == "explain"


def test_explain_read_however_the_query_spells_it() -> None:
    """The flag is read without parsing a query that cannot hold it; one that spells
    the name with escapes, or holds other parameters too, is still read."""
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(RB))
    for query in ("?expl%61in=true", "?case=x&explain=1", "?%65xplain=on"):
        full = client.post("/v1/diagnose" + query, json=RECORD).json()
        assert "reasoning" in full["causes"][0], query
    for query in ("?case=diagnose", "?Explain=true", "?explained=true"):
        plain = client.post("/v1/diagnose" + query, json=RECORD).json()
        assert "reasoning" not in plain["causes"][0], query
    assert client.post("/v1/diagnose?expl%61in=maybe", json=RECORD).status_code == 422
