"""A coach's rules that never settle on some answers cost those records, no others.

Check 32's attacker loaded a pack whose derived facts feed each other (it loads, with
LP303 warnings) and sent a record that makes them loop: the engine's firing limit
raised, `diagnose` stopped at that record (the emergencies after it were never
written; with `--jobs 2` nothing was), `/v1/diagnose` and `/v1/interview` answered
500, and `rules lint` ended with one line and no finding. Now such a record gets an
error result (its safety flags stand), the interview ends where no question can be
chosen, and lint reports the loop as an error at the rule that went past the limit.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose, load_rulebase
from legpress_diag.cli.app import app
from legpress_diag.foundation.problems import EngineLoopError
from legpress_diag.reasoning.engine import infer

runner = CliRunner()

# A sled that wobbles strains the back; the strain makes the lifter guard; guarding
# eases the strain, which eases the guarding, which ... (a negative link in a loop).
LOOP_PACK = """\
questions:
  - id: sled_wobbles
    type: yes_no
    text: Does the sled wobble at the bottom?
facts:
  - id: wobble_strain
    title: Strain from a wobbling sled
  - id: wobble_guard
    title: Guarding against the wobble
rules:
  - id: strain-from-wobble
    if: sled_wobbles
    then: wobble_strain
    cf: 0.8
    source: coach
  - id: guard-from-strain
    if: wobble_strain
    then: wobble_guard
    cf: 0.9
    source: coach
  - id: strain-eased-by-guard
    if: wobble_guard
    then: wobble_strain
    cf: -0.9
    source: coach
"""
FEEDS_A_CAUSE = """\
  - id: weight-from-strain
    if: wobble_strain
    then: too_much_weight
    cf: 0.5
    source: coach
"""
CLEAR_SCREEN = {
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
}
RECORDS = [
    {"id": "ann", "answers": {"saddle_numbness": "yes", "sled_wobbles": "yes"}},
    {"id": "bob", "answers": {"sled_wobbles": "yes", "butt_lifts_off_seat": "yes"}},
    {"id": "cy", "answers": {"bladder_bowel_change": "yes"}},
    {"id": "dee", "answers": {"sled_wobbles": "no", "butt_lifts_off_seat": "yes"}},
    {"id": "eve", "answers": {"sled_wobbles": "yes", "leg_pain_below_knee": "yes"}},
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loop") / "loop.yaml"
    path.write_text(LOOP_PACK, encoding="utf-8")
    return path


def summary(result: dict[str, Any]) -> tuple[Any, ...]:
    flags = tuple((f["id"], f["level"]) for f in result["red_flags"])
    return (result["id"], result["status"], flags, tuple(e["key"] for e in result["errors"]))


EXPECTED = [
    ("ann", "refer", (("saddle_numbness", "emergency"),), ()),
    ("bob", "error", (), ("rules",)),
    ("cy", "refer", (("bladder_bowel_change", "emergency"),), ()),
    ("dee", "unscreened", (), ()),
    ("eve", "refer", (("leg_pain_below_knee", "clinician"),), ("rules",)),
]


def test_the_pack_really_loops_on_a_wobbling_sled(pack: Path) -> None:
    rb = load_rulebase([pack])
    with pytest.raises(EngineLoopError) as caught:
        infer(rb, {"sled_wobbles": True})
    # One of the rules inside the loop (not the rule that starts it) went past the limit.
    assert caught.value.rule_id in {"guard-from-strain", "strain-eased-by-guard"}
    infer(rb, {"sled_wobbles": False})  # and settles where it does not wobble


def test_each_record_gets_its_own_result_and_the_screen_stands(pack: Path) -> None:
    rb = load_rulebase([pack])
    results = [diagnose(record, rb) for record in RECORDS]
    assert [summary(r) for r in results] == EXPECTED
    bob = results[1]
    assert "could not settle" in bob["errors"][0]["message"]
    assert bob["causes"] == [] and bob["fixes"] == {} and bob["plan"] == []
    assert results[4]["fixes"] == {}  # a referral keeps no advice, error or not
    assert results[3]["fixes"]  # a record that settles is diagnosed as ever


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_diagnose_writes_every_record_and_exits_1(pack: Path, tmp_path: Path, jobs: str) -> None:
    source = tmp_path / "clients.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = runner.invoke(
        app,
        ["diagnose", str(source), "-r", str(pack), "--jobs", jobs, "-o", str(out), "-q"],
    )
    assert run.exit_code == 1, run.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [summary(r) for r in written] == EXPECTED


def test_ask_shows_the_problem_not_a_clear_result(pack: Path, tmp_path: Path) -> None:
    answers = tmp_path / "bob.json"
    record = {"id": "bob", "answers": {"age_years": 30, **CLEAR_SCREEN, "sled_wobbles": "yes"}}
    answers.write_text(json.dumps(record), encoding="utf-8")
    run = runner.invoke(app, ["ask", "--answers", str(answers), "-r", str(pack)], input="quit\n")
    assert run.exit_code == 1, run.output
    assert "could not be worked through" in run.output
    assert "No form fault stands out" not in run.output


def test_lint_reports_the_loop_as_an_error_at_its_rule(pack: Path, tmp_path: Path) -> None:
    feeding = tmp_path / "loop2.yaml"
    feeding.write_text(LOOP_PACK + FEEDS_A_CAUSE, encoding="utf-8")
    run = runner.invoke(app, ["rules", "lint", str(feeding)])
    assert run.exit_code == 1, run.output
    assert "LP303 the rules never settle on some answers" in run.output
    assert f"{feeding.name}:" in run.output


def test_the_api_answers_every_record_and_the_interview_ends(pack: Path) -> None:
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(load_rulebase([pack])))
    response = client.post("/v1/diagnose", json=RECORDS)
    assert response.status_code != 500, response.text
    body = response.json()
    results = body if isinstance(body, list) else body.get("results", [])
    assert [summary(r) for r in results] == EXPECTED
    answers = {
        "age_years": 30,
        **CLEAR_SCREEN,
        "sled_wobbles": "yes",
        "pain_location": ["lower_back"],
    }
    step = client.post("/v1/interview", json={"answers": answers})
    assert step.status_code == 200, step.text
    assert step.json()["result"]["status"] == "error"
