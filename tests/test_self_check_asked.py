"""A self-check answer counts only where the interview asked it; every interface
reads a record as `diagnose` does (issue 20, the attacker's third run: H2, M3, L5).

H2: `"saddle_numbness": "yes"` (or "unsure") then `"check:saddle_numbness": "no"`, a
self-check no interview ever asks (a "yes" is an emergency, and an unsure saddle is
urgent, never a clinician-level "not sure"), made `/v1/interview` carry on to advice
with a record saying "no", `ask --answers` go on and save "no", and the web page go
back to the screen after an EMERGENCY result, while `diagnose` of the same answers
gave emergency. M3: a safety key beside `answers` was read as "not sure" by
`diagnose` and ignored by `/v1/interview`. L5: an emergency "yes" with an invalid
form answer gave `/v1/interview` a 422 naming only the form problem.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.foundation.jsonvalue import JsonValue
from legpress_diag.intake.interview import answer, rebuild
from legpress_diag.intake.questionnaire import record_answer
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase
from legpress_diag.web.api import interview_json
from legpress_diag.web.service import RequestProblem, Step, interview

from .test_interview_two_spellings import SCREEN_CLEAR, ask_with_answers

EMERGENCY_SIGNS = ("saddle_numbness", "bladder_bowel_change", "pulsating_belly_or_tearing_pain")


def _flags(result: Any) -> list[tuple[str, str]]:
    return sorted((f["id"], f["level"]) for f in result["red_flags"])


def _attack(sign: str, first: str, check: str) -> dict[str, Any]:
    """The sign answered, its self-check sent straight after, the rest of the screen
    clear and two form faults: a record that is advice if the self-check counts."""
    rest = {k: v for k, v in SCREEN_CLEAR.items() if k != sign}
    return {sign: first, f"check:{sign}": check, **rest}


def _drive(rb: RuleBase, answers: dict[str, Any]) -> tuple[dict[str, Any], Step]:
    """The interview to its end, "no" (or the first choice) to whatever else it asks."""
    answers = dict(answers)
    for _ in range(100):
        step = interview(rb, answers)
        if step.ask is None:
            return answers, step
        question = step.ask.question
        if question.type is QuestionType.MULTI:
            answers[question.id] = []
        elif question.type is QuestionType.CHOICE:
            answers[question.id] = question.choices[0][0]
        elif question.type is QuestionType.NUMBER:
            answers[question.id] = question.minimum
        else:
            answers[question.id] = "no"
    raise AssertionError("the interview did not end")


def _end(rb: RuleBase, answers: dict[str, Any], **kwargs: Any) -> Step:
    step = interview(rb, answers, **kwargs)
    assert step.ask is None, step.ask  # every question is answered: the interview ends
    assert step.result is not None and step.record is not None
    return step


@pytest.mark.parametrize("check", ["no", "unsure"])
@pytest.mark.parametrize("first", ["yes", "unsure"])
@pytest.mark.parametrize("sign", EMERGENCY_SIGNS)
def test_an_unasked_self_check_leaves_the_interview_where_diagnose_is(
    rb: RuleBase, sign: str, first: str, check: str
) -> None:
    answers = _attack(sign, first, check)
    expected = diagnose({"id": "t", "answers": answers}, rb)
    level = "emergency" if first == "yes" else "urgent"
    assert (sign, level) in _flags(expected)  # diagnose reads the check key as unknown
    step = _end(rb, answers, record_id="t")
    assert step.result is not None and step.record is not None
    assert step.result["status"] == "refer" and _flags(step.result) == _flags(expected)
    assert not step.result["fixes"] and not step.result["alternatives"]
    # The record the interview ends with keeps the first answer, and replays the same.
    assert step.record["answers"][sign] == first
    assert _flags(diagnose(step.record, rb)) == _flags(expected)
    assert any(w.key == f"check:{sign}" and "ignored" in w.message for w in step.warnings)


def test_no_safety_yes_is_lowered_by_a_self_check_sent_after_it(rb: RuleBase) -> None:
    # Every yes/no safety question: "yes", a self-check "no" straight after, the rest
    # clear. The interview's referral is diagnose's, flag for flag.
    differ = []
    for qid in sorted(rb.safety_questions()):
        question = rb.questions[qid]
        if question.type is not QuestionType.YES_NO or question.replaced_by:
            continue
        answers, step = _drive(rb, _attack(qid, "yes", "no"))
        expected = _flags(diagnose({"answers": answers}, rb))
        got = _flags(step.result) if step.result is not None else None
        if got != expected or rebuild(rb, answers).state.answers.get(qid) is not True:
            differ.append((qid, got, expected))
    assert not differ


def test_the_self_check_the_interview_asks_still_counts(rb: RuleBase) -> None:
    # The threshold: an unsure clinician-level sign is asked again; its answer counts.
    answers = {k: v for k, v in SCREEN_CLEAR.items() if k != "leg_pain_below_knee"}
    answers["leg_pain_below_knee"] = "unsure"
    asked = rebuild(rb, answers)
    assert asked.question is not None and asked.question.id == "check:leg_pain_below_knee"
    cleared = rebuild(rb, {**answers, "check:leg_pain_below_knee": "no"})
    assert cleared.state.answers["leg_pain_below_knee"] is False
    assert not cleared.warnings
    # Sent after another answer, it was not asked there: ignored, and the referral
    # the "not sure" makes stands.
    late = {**answers, "heels_lift": "no", "check:leg_pain_below_knee": "no"}
    current = rebuild(rb, late)
    assert "leg_pain_below_knee" in current.state.skipped
    assert any(w.key == "check:leg_pain_below_knee" for w in current.warnings)
    step = _end(rb, late)
    assert step.result is not None and step.result["status"] == "refer"


def test_a_self_check_sent_before_its_question_is_ignored(rb: RuleBase) -> None:
    answers = {"check:leg_pain_below_knee": "no", **SCREEN_CLEAR, "leg_pain_below_knee": "unsure"}
    current = rebuild(rb, answers)
    assert "leg_pain_below_knee" in current.state.skipped
    assert any(w.key == "check:leg_pain_below_knee" for w in current.warnings)


def test_the_core_ignores_a_self_check_it_did_not_ask(rb: RuleBase) -> None:
    current = rebuild(rb, {**SCREEN_CLEAR, "saddle_numbness": "yes"})
    assert current.question is None
    after = answer(rb, current, "check:saddle_numbness", False)
    assert after.state.answers["saddle_numbness"] is True and after.question is None
    # The state machine itself never lets a second answer overwrite a definite one.
    state = current.state
    assert record_answer(rb, state, "check:saddle_numbness", False) is state


def test_ask_answers_keeps_the_yes_and_saves_it(tmp_path: Path) -> None:
    record = {"id": "t", "answers": _attack("saddle_numbness", "yes", "no")}
    output, saved = ask_with_answers(tmp_path, record)
    assert "EMERGENCY" in output, output
    assert "check:saddle_numbness" in output and "ignored" in output
    assert "When in the rep" not in output  # no form question after an emergency
    assert saved["answers"]["saddle_numbness"] == "yes"


def _http(rb: RuleBase, body: dict[str, Any]) -> Any:
    return json.loads(interview_json(rb, json.dumps(body).encode()))


@pytest.mark.parametrize("value", ["yes", "unsure", True])
def test_a_safety_key_beside_answers_is_read_as_diagnose_reads_it(rb: RuleBase, value: Any) -> None:
    # M3: the same body to /v1/diagnose refers (urgent, "not sure"); so does the
    # interview, with the warning that says why.
    body = {"id": "t", "answers": dict(SCREEN_CLEAR), "saddle_numbness": value}
    expected = diagnose(body, rb)
    assert _flags(expected) == [("saddle_numbness", "urgent")]
    out = _http(rb, body)
    assert out["should_stop"] and out["result"]["status"] == "refer"
    assert _flags(out["result"]) == _flags(expected)
    assert out["record"]["answers"]["saddle_numbness"] == "unsure"
    assert any("beside 'answers'" in w["message"] for w in out["warnings"])
    # Mid-interview too: the screen goes on without asking that sign again.
    early = _http(rb, {"answers": {"age_years": 40}, "saddle_numbness": value})
    assert any("beside 'answers'" in w["message"] for w in early["warnings"])
    assert early["question"]["id"] == "screen:nerve_signs"
    assert "saddle_numbness" not in [sign["value"] for sign in early["question"]["signs"]]


def test_a_plain_no_beside_answers_changes_nothing(rb: RuleBase) -> None:
    body = {"answers": dict(SCREEN_CLEAR), "saddle_numbness": "no"}
    assert _http(rb, body) == _http(rb, {"answers": dict(SCREEN_CLEAR)})


def test_an_invalid_answer_does_not_hide_the_referral(rb: RuleBase) -> None:
    # L5: the 422 carries the result, as /v1/diagnose's does: refer, emergency.
    record = {"id": "t", "answers": {"saddle_numbness": "yes", "knee_angle_at_bottom": 500}}
    with pytest.raises(RequestProblem) as caught:
        interview_json(rb, json.dumps(record).encode())
    body: Any = caught.value.to_dict()
    assert [p["key"] for p in body["problems"]] == ["knee_angle_at_bottom"]
    assert "refers" in str(body["detail"])
    (result,) = body["results"]
    assert result == diagnose(record, rb)
    assert result["status"] == "refer" and _flags(result) == [("saddle_numbness", "emergency")]


def test_an_invalid_interview_key_does_not_hide_the_referral(rb: RuleBase) -> None:
    # A key only the interview reads ('screen:ID'): its problem, and the referral.
    answers = {"saddle_numbness": "yes", "screen:nerve_signs": "perhaps"}
    with pytest.raises(RequestProblem) as caught:
        interview(rb, answers)
    extra: Any = caught.value.extra
    (result,) = extra["results"]
    assert result["status"] == "refer" and _flags(result) == [("saddle_numbness", "emergency")]
    assert [e["key"] for e in result["errors"]] == ["screen:nerve_signs"]


def test_an_invalid_answer_without_a_sign_is_an_error_result(rb: RuleBase) -> None:
    with pytest.raises(RequestProblem) as caught:
        interview(rb, {"saddle_numbness": "no", "knee_angle_at_bottom": 500})
    assert caught.value.message == "some answers are invalid"
    extra: Any = caught.value.extra
    (result,) = extra["results"]
    assert result["status"] == "error" and not result["red_flags"]


# Through HTTP: the body of the 422, and the web page's forged form.
pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import create_app  # noqa: E402

from .test_serve_pages import SECRET, key, post, question_of  # noqa: E402


def test_the_http_422_carries_the_referral(rb: RuleBase) -> None:
    client = TestClient(create_app(rb), headers={"content-type": "application/json"})
    record = {"answers": {"saddle_numbness": "yes", "knee_angle_at_bottom": 500}}
    response = client.post("/v1/interview", json=record)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    (result,) = response.json()["results"]
    assert _flags(result) == [("saddle_numbness", "emergency")]


def test_the_page_ignores_a_forged_self_check_after_an_emergency(
    rb: RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legpress_diag.web import answer_cookie

    monkeypatch.setenv(answer_cookie.SECRET_ENV, SECRET)
    client = TestClient(create_app(rb))
    answers: dict[str, JsonValue] = {
        "age_years": 40,
        "screen:nerve_signs": "yes",
        "saddle_numbness": "yes",
    }
    client.cookies.set(answer_cookie.NAME, answer_cookie.encode(answers, key()))
    shown = client.get("/?at=3")
    assert question_of(shown.text) is None and 'role="alert"' in shown.text
    forged = post(client, 3, "check:saddle_numbness", "no")
    assert forged.status_code == 303
    cookie = forged.cookies.get(answer_cookie.NAME)
    if cookie is not None:
        client.cookies.clear()
        client.cookies.set(answer_cookie.NAME, cookie)
    after = client.get(forged.headers["location"])
    assert question_of(after.text) is None  # still the result, not the screen again
    assert after.text.count('role="alert"') == shown.text.count('role="alert"')
    assert "mergency" in after.text


# The attacker's fourth round (N4): "not sure" (or "no") under the id, "yes" under
# another spelling, then a self-check "no": the interview offered the self-check and let
# it clear the sign, so a "yes" the lifter wrote ended in advice.
YES_ELSEWHERE = [
    {"leg_pain_below_knee": "unsure", "leg_pain_below_kne": "yes"},
    {
        "leg_pain_below_knee": "unsure",
        "leg_pain_below_kne": "yes",
        "check:leg_pain_below_knee": "no",
    },
    {"leg_pain_below_knee": "no", "leg_pain_below_kne": "yes", "check:leg_pain_below_knee": "no"},
    {
        "leg_pain_below_knee": "unsure",
        "leg_pain_below_kne\u200b": "yes",
        "check:leg_pain_below_knee": "no",
    },
    {
        "leg_pain_below_knee": "unsure",
        "Leg_Pain_Below_Knee": "yes",
        "check:leg_pain_below_knee": "no",
    },
]


@pytest.mark.parametrize("given", YES_ELSEWHERE)
def test_a_yes_under_another_spelling_is_never_cleared_by_a_self_check(
    rb: RuleBase, given: dict[str, Any]
) -> None:
    from legpress_diag.intake.questionnaire.choice import next_step

    answers = {"age_years": 40, **given}
    state = rebuild(rb, answers).state
    assert "leg_pain_below_knee" in state.skipped  # still not sure
    step = next_step(rb, state)
    assert getattr(getattr(step, "question", None), "id", "") != "check:leg_pain_below_knee"
    assert diagnose({"answers": answers}, rb)["status"] == "refer"


def test_a_plain_not_sure_is_still_offered_its_self_check_and_settled_by_it(
    rb: RuleBase,
) -> None:
    from legpress_diag.intake.questionnaire.choice import next_step

    unsure = {"age_years": 40, "leg_pain_below_knee": "unsure"}
    step = next_step(rb, rebuild(rb, unsure).state)
    assert getattr(getattr(step, "question", None), "id", "") == "check:leg_pain_below_knee"
    checked = rebuild(rb, {**unsure, "check:leg_pain_below_knee": "no"}).state
    assert "leg_pain_below_knee" not in checked.skipped


# Attack round 5, P7: a yes the record's reading made "not sure" (the key given twice,
# a second 'answers' object, the key beside 'answers'), then the self-check "no" right
# after: /v1/interview and `ask --answers` cleared the sign and gave advice, where
# diagnose referred. Such a sign is never settled by a self-check.

SIGN = "leg_pain_below_knee"


def _with_the_yes(rb: RuleBase, how: str, key: str = SIGN) -> str:
    """A whole interview's answers (the screen clear, the sign "no", its self-check
    "no" straight after it) as raw JSON, with the sign also given "yes" ``how``,
    under ``key`` (the id, or a misspelling of it)."""
    answers, _ = _drive(rb, {**SCREEN_CLEAR})
    answers = {k: v for k, v in answers.items() if k != SIGN}
    head = {SIGN: "no", f"check:{SIGN}": "no"}
    body = json.dumps({**head, **answers})[1:-1]
    yes = f'"{key}": "yes"'
    if how == "key twice":
        twice = f'"{key}": "no", ' if key != SIGN else ""  # the misspelt key given twice
        return '{"answers": {' + body + ", " + twice + yes + "}}"
    if how == "two answers objects":
        return '{"answers": {' + body + '}, "answers": {' + yes + "}}"
    return '{"answers": {' + body + "}, " + yes + "}"  # beside 'answers'


HOW = ["key twice", "two answers objects", "beside answers"]


@pytest.mark.parametrize("key", [SIGN, "leg_pain_below_kne"], ids=["the id", "misspelt"])
@pytest.mark.parametrize("how", HOW)
def test_a_yes_read_as_not_sure_is_never_settled_by_a_self_check_over_http(
    rb: RuleBase, how: str, key: str
) -> None:
    # Attack round 6, Q4: under a misspelt key given twice or beside 'answers', the
    # yes still went unseen by the self-check (and beside 'answers', by diagnose).
    raw = _with_the_yes(rb, how, key)
    expected = diagnose(json.loads(raw), rb)  # the last value wins in json.loads...
    assert expected["status"] == "refer"  # ...and either way the batch refers
    step = json.loads(interview_json(rb, raw.encode()))
    assert step["result"] is not None, step.get("question")
    assert step["result"]["status"] == "refer", step["result"]["status"]
    assert step["result"]["fixes"] == {}
    assert step["record"]["answers"][SIGN] == "unsure"
    assert any(w["key"] == f"check:{SIGN}" and "ignored" in w["message"] for w in step["warnings"])


@pytest.mark.parametrize("how", HOW)
def test_a_yes_read_as_not_sure_is_never_settled_in_ask_answers(
    rb: RuleBase, how: str, tmp_path: Path
) -> None:
    output, saved = ask_with_answers(tmp_path, _with_the_yes(rb, how))
    assert "CLINICIAN" in output, output
    assert "Your plan" not in output
    assert saved["answers"][SIGN] == "unsure"


@pytest.mark.parametrize(
    "second", ['"YES"', "true", '"y\\u00e9s"', '"Yes."'], ids=["YES", "true", "accent", "stop"]
)
def test_the_same_yes_written_twice_two_ways_is_a_yes(rb: RuleBase, second: str) -> None:
    # Attack round 5, P16: read as "answered two ways", a definite emergency sign was
    # "not sure": urgent, one level lower.
    from legpress_diag.intake.records import RawRecord, check_record

    raw = '{"answers": {"saddle_numbness": "yes", "saddle_numbness": ' + second + "}}"
    checked = check_record(RawRecord(1, 1, text=raw.encode()))
    assert not checked.warnings, checked.warnings
    result = diagnose({"answers": checked.answers}, rb)
    assert ("saddle_numbness", "emergency") in _flags(result)
    # A yes and a no are still two answers: not sure, never a no.
    mixed = '{"answers": {"saddle_numbness": "yes", "saddle_numbness": "no"}}'
    assert check_record(RawRecord(1, 1, text=mixed.encode())).answers["saddle_numbness"] is None
