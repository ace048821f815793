"""An app steps through `/v1/interview` to its end, whatever it ticks.

A phone app keeps only the answers so far and sends them all with every step; the
service answers with the next question or the end. Check 32's new user found an app
stuck for ever: ticking hip or back items on the "what happens in a set" checklist
brought the same checklist back, because the body reader opened the checklist's list
into single yes answers and its unticked items were never answered. A JSON object
cannot hold the key twice, so the app could never leave that screen. These tests walk
the interview as an app does and hold each step to what `ask` asks next (the core's
``rebuild``) for the same answers.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.api import diagnose as api_diagnose
from legpress_diag.intake.interview import rebuild
from legpress_diag.intake.questionnaire import Ask

pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import create_app

RB = bundled_rulebase()
CLIENT = TestClient(create_app(RB))
CHECKLIST = "screen:what_happens_in_a_set"
ITEMS = [item for item, _ in RB.screens["what_happens_in_a_set"].items]
# A young lifter with a clear screen and back pain at the bottom of the rep: the
# interview's next question is the checklist.
BEFORE = {
    "age_years": 29,
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
    "pain_location": ["lower_back"],
    "pain_timing": "bottom_of_rep",
}


def step(answers: dict[str, Any]) -> dict[str, Any]:
    response = CLIENT.post("/v1/interview", json={"answers": answers})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def core_next(answers: dict[str, Any]) -> str | None:
    following = rebuild(RB, answers).next
    return following.question.id if isinstance(following, Ask) else None


def test_the_checklist_is_next_before_it_is_answered() -> None:
    assert step(BEFORE)["question"]["id"] == CHECKLIST
    assert len(ITEMS) >= 5  # the pairs below tick the hip and back items


@pytest.mark.parametrize(
    "ticked",
    [[item] for item in ITEMS]
    + [list(pair) for pair in itertools.combinations(ITEMS[:5], 2)]
    + [ITEMS, [ITEMS[0], "?*"], []],
    ids=lambda ticked: "+".join(ticked) or "none",
)
def test_ticking_items_moves_on_as_ask_does(ticked: list[str]) -> None:
    answers = {**BEFORE, CHECKLIST: ticked}
    body = step(answers)
    asked = body["question"]["id"] if body.get("question") else None
    assert asked != CHECKLIST
    assert asked == core_next(answers)


def reply(question: dict[str, Any], how: str) -> Any:
    """An app's answer to a question: 'no' to every safety screen, and on the form
    the first choice, the last real choice, or every item ticked."""
    choices = [c["value"] for c in question.get("choices") or [] if not c["value"].startswith("?")]
    if question.get("signs") and question["type"] == "yes_no":
        return "no"
    if question["type"] == "yes_no":
        return "yes" if how != "first" else "no"
    if question["type"] == "number":
        low, high = question["minimum"], question["maximum"]
        return low if how == "first" else high if how == "last" else (low + high) // 2
    if question["type"] == "choice":
        return choices[0] if how == "first" else choices[-1]
    if question["type"] == "multi":
        return choices[:1] if how == "first" else choices[-1:] if how == "last" else choices
    raise AssertionError(f"a question type an app cannot answer: {question['type']}")


@pytest.mark.parametrize("how", ["first", "last", "all"])
def test_an_app_reaches_the_end_and_never_sees_a_question_twice(how: str) -> None:
    answers: dict[str, Any] = {}
    seen: list[str] = []
    for _ in range(80):
        body = step(answers)
        question = body.get("question")
        if question is None:
            assert body["result"]["status"] in {"ok", "no_fault_found", "refer"}
            return
        assert question["id"] not in seen, f"asked again: {question['id']} after {seen}"
        assert question["id"] == core_next(answers)
        seen.append(question["id"])
        answers[question["id"]] = reply(question, how)
    raise AssertionError(f"no end after 80 steps: {seen}")


@pytest.mark.parametrize("key", ["screen:nerve_signs", CHECKLIST, "screen:symptoms"])
def test_a_safety_sign_listed_under_a_screen_key_still_refers(key: str) -> None:
    # Only a checklist of form items is left to the interview; a list that names a
    # safety sign is read as a yes to it wherever it is (never lost to the key).
    answers = {"age_years": 30, key: ["Saddle numbness", "pelvis_tucks_under"]}
    body = step(answers)
    assert body["should_stop"] is True
    assert [(f["id"], f["level"]) for f in body["result"]["red_flags"]] == [
        ("saddle_numbness", "emergency")
    ]
    assert body["result"]["fixes"] == {}
    result = api_diagnose({"id": "c", "answers": answers})
    assert [(f["id"], f["level"]) for f in result["red_flags"]] == [
        ("saddle_numbness", "emergency")
    ]


def test_diagnose_reads_the_interviews_checklist_as_the_interview_does() -> None:
    # Check 34's attacker: a record holding the checklist as an app sends it lost
    # its answers in diagnose (an unknown key since da7eaad): two causes gone.
    record = {
        "id": "c",
        "answers": {"age_years": 30, **{k: v for k, v in BEFORE.items() if k != "age_years"}},
    }
    ticked = {
        **record,
        "answers": {**record["answers"], CHECKLIST: ["knees_cave_in", "heels_lift"]},
    }
    spelt = {
        **record,
        "answers": {
            **record["answers"],
            **{item: "yes" if item in ("knees_cave_in", "heels_lift") else "no" for item in ITEMS},
        },
    }
    got, expected = api_diagnose(ticked), api_diagnose(spelt)
    assert [c["id"] for c in got["causes"]] == [c["id"] for c in expected["causes"]]
    assert "knees_caving" in [c["id"] for c in got["causes"]]
    assert got["status"] == expected["status"]
    unsure_rest = {**record, "answers": {**record["answers"], CHECKLIST: ["heels_lift", "?*"]}}
    assert api_diagnose(unsure_rest)["status"] != "error"
