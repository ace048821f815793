"""A key given twice in one record is read one way, the safe one (issue 20, 3a).

Before, ``{"answers": {"saddle_numbness": "no", "saddle_numbness": "yes"}}`` made the
record an error with no red flag shown. The contract says nothing of repeated keys,
so the record is read: a safety answer given two ways is "not sure" (a referral), any
other is unknown, with a warning naming the key and the line, in every interface.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose, diagnose_stream
from legpress_diag.cli.app import app
from legpress_diag.intake.records import parse_json
from legpress_diag.intake.repeated import same_json

TWICE = b'{"answers": {"saddle_numbness": "no", "saddle_numbness": "yes"}}'


def flags(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(flag["id"], flag["level"]) for flag in result["red_flags"]]


def run_diagnose(path: Path, *args: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "diagnose", str(path), "--format", "jsonl", *args],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr  # a referral is a result, not an error
    assert b"Traceback" not in done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_safety_answer_given_two_ways_is_unsure_and_refers(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"answers": {}}\n' + TWICE + b"\n")
    _, twice = run_diagnose(path)
    assert twice["status"] == "refer" and twice["errors"] == []
    assert flags(twice) == [("saddle_numbness", "urgent")]  # unsure: one level down
    assert twice["red_flags"][0]["because"] == [{"key": "saddle_numbness", "answer": "unsure"}]
    warning = twice["warnings"][0]["message"]
    assert warning.startswith('saddle_numbness: answered 2 ways on line 2 ("no", "yes")')
    assert not twice["fixes"] and not twice["alternatives"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_json_array_and_workers_read_it_the_same_way(tmp_path: Path, jobs: str) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(b"[" + TWICE + b', {"answers": {"heels_lift": "yes"}}]')
    first, _ = run_diagnose(path, "--jobs", jobs)
    assert first["status"] == "refer" and flags(first) == [("saddle_numbness", "urgent")]
    assert "saddle_numbness: answered 2 ways" in first["warnings"][0]["message"]


def test_the_python_api_reads_a_stream_the_same_way() -> None:
    (result,) = diagnose_stream(io.BytesIO(TWICE + b"\n"))
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "urgent")]
    assert result["line"] == 1 and "on line 1" in result["warnings"][0]["message"]


def test_answers_given_twice_are_merged_key_by_key() -> None:
    record = (
        b'{"answers": {"saddle_numbness": "no", "heels_lift": "yes"},'
        b' "answers": {"saddle_numbness": "yes", "rep_tempo": "fast"}}'
    )
    (result,) = diagnose_stream(io.BytesIO(record))
    assert flags(result) == [("saddle_numbness", "urgent")]
    # The keys given once in either object are read; the one given two ways is unsure.
    assert [w["key"] for w in result["warnings"]][:1] == ["saddle_numbness"]


def test_beside_answers_and_inside_them_is_unsure() -> None:
    both = b'{"saddle_numbness": "yes", "answers": {"saddle_numbness": "no"}}'
    twice_beside = b'{"saddle_numbness": "no", "saddle_numbness": "yes", "answers": {}}'
    for record in (both, twice_beside):
        (result,) = diagnose_stream(io.BytesIO(record))
        assert flags(result) == [("saddle_numbness", "urgent")], record


def test_any_other_answer_given_two_ways_is_unknown() -> None:
    (result,) = diagnose_stream(
        io.BytesIO(b'{"answers": {"heels_lift": "no", "heels_lift": "yes"}}')
    )
    assert result["status"] == "no_fault_found"  # neither "yes" nor "no" was believed
    assert "heels_lift: answered 2 ways" in result["warnings"][0]["message"]


def test_the_same_value_twice_is_that_value_without_a_word() -> None:
    record = b'{"answers": {"saddle_numbness": "yes", "saddle_numbness": "yes"}}'
    (result,) = diagnose_stream(io.BytesIO(record))
    assert flags(result) == [("saddle_numbness", "emergency")]
    assert not any("answered 2 ways" in w["message"] for w in result["warnings"])


def test_an_id_given_twice_is_an_error_that_still_refers() -> None:
    record = b'{"id": 1, "id": 2, "answers": {"saddle_numbness": "yes"}}'
    (result,) = diagnose_stream(io.BytesIO(record))
    assert result["errors"][0]["message"] == "id: given 2 times with different values on line 1"
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "emergency")]
    assert not result["fixes"] and not result["alternatives"]


def test_a_record_of_the_wrong_shape_keeps_its_referral() -> None:
    # Any error of the record's shape, not only a repeat: the answers are still screened.
    result = diagnose({"id": [1, 2], "answers": {"saddle_numbness": "yes"}})
    assert result["errors"] and result["status"] == "refer"
    assert flags(result) == [("saddle_numbness", "emergency")]


NESTED = b'{"answers": {"saddle_numbness": "yes", "x": {"a": 1, "a": 2}}}\n'


def test_a_repeat_inside_a_value_is_an_error_that_still_refers() -> None:
    # Attack round 7, R7: it failed the whole record's parsing, so the emergency
    # beside it went unscreened (an error in diagnose, a 400 over HTTP, exit 2 in ask).
    (result,) = diagnose_stream(io.BytesIO(NESTED))
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "emergency")]
    assert 'inside a value ("a"); the first was kept' in result["errors"][0]["message"]
    assert not result["fixes"] and not result["alternatives"]
    with pytest.raises(ValueError, match="duplicate key"):
        parse_json(TWICE)  # outside records (a cookie, a schema), still strict


def test_a_repeat_inside_a_value_over_http_and_in_ask_shows_the_referral(
    tmp_path: Path,
) -> None:
    from legpress_diag.api import load_rulebase
    from legpress_diag.web.api import interview_json
    from legpress_diag.web.problems import RequestProblem

    with pytest.raises(RequestProblem) as refused:
        interview_json(load_rulebase(), NESTED)
    assert [r["status"] for r in refused.value.extra["results"]] == ["refer"]
    assert "refers all the same" in refused.value.message
    saved = tmp_path / "r.json"
    saved.write_bytes(NESTED)
    run = CliRunner().invoke(app, ["ask", "--answers", str(saved)], input="")
    assert run.exit_code == 2
    assert "already show a warning sign" in run.output and "EMERGENCY" in run.output


def test_json_values_are_compared_as_json() -> None:
    assert not same_json(True, 1) and not same_json(1, 1.0) and not same_json("1", 1)
    assert same_json({"a": [1, "x"]}, {"a": [1, "x"]}) and same_json(None, None)


def test_the_http_api_reads_it_the_same_way() -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from fastapi.testclient import TestClient

    from legpress_diag.api import bundled_rulebase
    from legpress_diag.web.app import create_app

    with TestClient(create_app(bundled_rulebase())) as client:
        answer = client.post(
            "/v1/diagnose", content=TWICE, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["status"] == "refer" and flags(result) == [("saddle_numbness", "urgent")]
    assert "saddle_numbness: answered 2 ways" in result["warnings"][0]["message"]


def test_the_interview_reads_it_as_not_sure() -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from fastapi.testclient import TestClient

    from legpress_diag.api import bundled_rulebase
    from legpress_diag.web.app import create_app

    from .test_safety import screen_all_no

    answers = screen_all_no()
    del answers["saddle_numbness"]
    body = json.dumps({"answers": answers})[:-2].encode() + (
        b', "saddle_numbness": "no", "saddle_numbness": "yes"}}'
    )
    with TestClient(create_app(bundled_rulebase())) as client:
        answer = client.post(
            "/v1/interview", content=body, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 200, answer.text
    step = answer.json()
    assert step["should_stop"] and flags(step["result"]) == [("saddle_numbness", "urgent")]


def test_a_key_given_thousands_of_values_is_read_in_one_pass() -> None:
    # Attack round 6, Q15: each new value was compared with every earlier one, so a
    # key given 30,000 values cost minutes of CPU per request. Now one set lookup
    # each; the warning lists the first 8 of them.
    from legpress_diag.intake.records import RawRecord, check_record
    from legpress_diag.intake.repeated import MAX_VALUES_SHOWN

    pairs = ",".join(f'"heels_lift": {i}' for i in range(30_000))
    raw = '{"answers": {"saddle_numbness": "yes", ' + pairs + "}}"
    checked = check_record(RawRecord(1, 1, text=raw.encode()))
    assert checked.answers["heels_lift"] is None and checked.answers["saddle_numbness"] == "yes"
    (warning,) = checked.warnings
    assert f"answered {MAX_VALUES_SHOWN}+ ways" in warning.message


def test_answers_read_alike_are_one_answer_however_many_times_given() -> None:
    from legpress_diag.intake.records import RawRecord, check_record

    pairs = ",".join(['"saddle_numbness": "yes"', '"saddle_numbness": true'] * 5_000)
    checked = check_record(RawRecord(1, 1, text=('{"answers": {' + pairs + "}}").encode()))
    assert checked.answers["saddle_numbness"] == "yes" and not checked.warnings


# A sudden onset that has not settled: urgent at 65 or over (fracture risk), and
# clinician below. Check 32's attacker gave the age twice: read as not sure, 72 and
# 75 (both over the threshold), 75 and 75.0, or 75 and "75" all lowered it to
# clinician. Numbers that no test of the rule base tells apart are now one reading;
# numbers a test tells apart stay not sure, as the highest alone would lose a flag
# "under 45" (morning stiffness).
SUDDEN = '"sudden_sharp_onset": "yes", "onset_settling": "no"'
URGENT = ("fracture_risk_sudden_onset", "urgent", False)
NOT_SURE = ("fracture_risk_sudden_onset", "clinician", True)


def flags_marked(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]]


@pytest.mark.parametrize(
    ("ages", "fracture"),
    [
        ('"age_years": 72, "age_years": 75', URGENT),
        ('"age_years": 75, "age_years": 75.0', URGENT),
        ('"age_years": 75, "age_years": "75"', URGENT),
        ('"age_years": 65, "age_years": 99', URGENT),  # at the threshold
        ('"age_years": 72, "AGE_YEARS": 75', URGENT),  # another spelling beside the id
        ('"AGE_YEARS": 75, "age_years": 72', URGENT),
        ('"age_years": 40, "age_years": 75', NOT_SURE),  # 65 tells them apart
        ('"age_years": 75, "age_years": 40', NOT_SURE),  # whatever the order
        ('"age_years": 64, "age_years": 65', NOT_SURE),
        ('"age_years": 64, "age_years": 64.5', None),  # both under 65: no fracture sign
    ],
)
def test_an_age_given_twice_is_one_reading_when_no_test_tells_them_apart(
    ages: str, fracture: tuple[str, str, bool] | None
) -> None:
    record = f'{{"id": "a", "answers": {{{ages}, {SUDDEN}}}}}'.encode()
    (result,) = diagnose_stream(io.BytesIO(record))
    found = [f for f in flags_marked(result) if f[0] == "fracture_risk_sudden_onset"]
    assert found == ([fracture] if fracture else []), result["red_flags"]
    assert result["status"] == "refer"  # the sudden onset itself is for a clinician
    assert any("age_years" in w["message"] for w in result["warnings"])  # never in silence


@pytest.mark.parametrize(
    "ages", ['"age_years": 40, "age_years": 50', '"age_years": 40, "AGE_YEARS": 50']
)
def test_ages_on_both_sides_of_under_45_keep_the_morning_stiffness_sign(ages: str) -> None:
    # The highest alone (50) would clear "morning stiffness under 45" (found in review).
    record = f'{{"answers": {{{ages}, "morning_stiffness": "yes"}}}}'.encode()
    (result,) = diagnose_stream(io.BytesIO(record))
    assert [f[0] for f in flags_marked(result)] == ["morning_stiffness_under_45"]


def test_an_age_among_words_or_too_many_values_stays_not_sure() -> None:
    # A value that is no number, or more values than are kept: not sure, as before.
    for ages in [
        '"age_years": 75, "age_years": "old"',
        ", ".join(f'"age_years": {70 + n}' for n in range(9)),
    ]:
        record = f'{{"answers": {{{ages}, {SUDDEN}}}}}'.encode()
        (result,) = diagnose_stream(io.BytesIO(record))
        assert URGENT not in flags_marked(result)
        assert any("read as not sure" in w["message"] for w in result["warnings"])


YOUNG_PACK = """\
safety_flags:
  - id: under_16_back_pain
    when: age_years < 16
    level: clinician
    title: Back pain under 16
    advice: See a physiotherapist or doctor before you train again.
    if_unsure: Check your age; see a physiotherapist or doctor before you train again.
    source: coach
"""


def test_a_coachs_age_test_tells_ages_given_twice_apart(tmp_path: Path) -> None:
    # Check 34's attacker: the bundled rules' tests alone read 14 and 30 as one age
    # (30), and a coach's "under 16" flag was lost: status ok with advice.
    from legpress_diag.api import load_rulebase

    pack = tmp_path / "young.yaml"
    pack.write_text(YOUNG_PACK, encoding="utf-8")
    rb = load_rulebase([pack])
    for ages in ('"age_years": 14, "age_years": 30', '"age_years": 30, "age_years": 14'):
        record = f'{{"id": "a", "answers": {{{ages}}}}}'.encode()
        (result,) = diagnose_stream(io.BytesIO(record), rb)
        assert [f["id"] for f in result["red_flags"]] == ["under_16_back_pain"], ages
        assert result["fixes"] == {}
    (both_under,) = diagnose_stream(
        io.BytesIO(b'{"answers": {"age_years": 14, "age_years": 15}}'), rb
    )
    assert [(f["id"], f["unsure"]) for f in both_under["red_flags"]] == [
        ("under_16_back_pain", False)
    ]


def test_two_ages_the_question_accepts_and_one_it_does_not_keep_the_accepted_one() -> None:
    # 70 and 150 are alike for every test; 150 is past the question's range.
    record = f'{{"answers": {{"age_years": 70, "age_years": 150, {SUDDEN}}}}}'.encode()
    (result,) = diagnose_stream(io.BytesIO(record))
    assert URGENT in flags_marked(result) and result["errors"] == []
