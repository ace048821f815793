"""The same answers give the same status, level and text in every interface.

`diagnose` (the Python API and the command line), `POST /v1/diagnose`, the
`/v1/interview` that a phone app steps through, the phone page and `ask` all reach
the screen and the diagnosis through one core; this property test holds them to it on
drawn records: the status, each red flag's id, level, advice and "not sure" mark, the
causes and the notes. The interview, the page and `ask` ask whatever the record leaves
open; here every such question is answered "not sure", which the contract reads as
unknown (or, on the screen, as not sure), so the record they end with must diagnose
exactly as the one given.
"""

from __future__ import annotations

import html
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.cli.app import app

pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import create_app

RB = bundled_rulebase()
SIGNS = [
    q
    for q in RB.index.screen_questions
    if RB.questions[q].type.value == "yes_no" and not RB.questions[q].follow_up_of
]
FORM = {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70, "pain_location": ["lower_back"]}
CLIENT = TestClient(create_app(RB))
runner = CliRunner()


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    # Mostly "no", as real screens are; enough yes and unsure to reach every level.
    reply = st.sampled_from(["no"] * 6 + ["yes", "unsure"])
    answers: dict[str, Any] = {q: draw(reply) for q in SIGNS}
    answers["age_years"] = draw(st.sampled_from([30, 44, 50, 66, "unsure"]))
    for question in RB.questions.values():  # a follow-up is due once its question is not "no"
        if question.follow_up_of and answers.get(question.follow_up_of, "no") != "no":
            answers[question.id] = draw(st.sampled_from(["yes", "no", "unsure"]))
    return {"id": "p", "answers": {**answers, **FORM}}


def essence(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": result["status"],
        "flags": [(f["id"], f["level"], f["advice"], f["unsure"]) for f in result["red_flags"]],
        "causes": [(c["id"], c["information_only"]) for c in result["causes"]],
        "fixes": sorted(result["fixes"]),
        "notes": result["notes"],
    }


def via_command_line(record: dict[str, Any]) -> dict[str, Any]:
    done = runner.invoke(app, ["diagnose", "-", "-f", "jsonl", "-q"], input=json.dumps(record))
    assert done.exit_code == 0, done.output
    return dict(json.loads(done.stdout))


def via_http(record: dict[str, Any]) -> dict[str, Any]:
    response = CLIENT.post("/v1/diagnose", json=record)
    assert response.status_code == 200, response.text
    return dict(response.json())


def via_interview(record: dict[str, Any]) -> dict[str, Any]:
    answers = dict(record["answers"])
    for _ in range(80):  # far more steps than the questionnaire has questions
        response = CLIENT.post("/v1/interview", json={"id": record["id"], "answers": answers})
        assert response.status_code == 200, response.text
        step = response.json()
        if step["should_stop"]:
            return dict(step["result"])
        answers[step["question"]["id"]] = "unsure"
    raise AssertionError("the interview did not end")


def via_page(record: dict[str, Any]) -> dict[str, Any]:
    """The phone page, walked as a person would with these answers (a screen opened
    when any of its signs is not a plain no, "not sure" to anything the record does
    not say), then the answers it downloads, diagnosed."""
    import re
    from urllib.parse import urlencode

    answers = record["answers"]
    page_client = TestClient(create_app(RB))
    form = {"content-type": "application/x-www-form-urlencoded"}
    for at in range(120):
        page = page_client.get(f"/?at={at}").text
        found = re.search(r'name="q" value="([^"]+)"', page)
        if found is None:
            done = page_client.get(f"/answers.json?at={at}")
            assert done.status_code == 200, done.text
            return dict(diagnose(done.json(), RB))
        qid = html.unescape(found.group(1))
        data = [("at", str(at)), ("q", qid)]
        screen = RB.screens.get(qid.removeprefix("screen:"))
        if screen is not None and screen.style == "pick":
            data.append(("do", "unsure"))  # a checklist: its items one by one
        elif screen is not None:
            opened = any(answers.get(q, "unsure") != "no" for q in screen.question_ids)
            data.append(("do", "yes" if opened else "no"))
        elif qid.startswith("check:") or qid not in answers or answers[qid] == "unsure":
            data.append(("do", "unsure"))
        elif RB.questions[qid].type.value == "yes_no":
            data.append(("do", answers[qid]))
        elif isinstance(answers[qid], list):
            data += [("do", "answer"), *(("v", v) for v in answers[qid])]
        else:
            data += [("do", "answer"), ("v", str(answers[qid]))]
        posted = page_client.post("/", content=urlencode(data), headers=form)
        assert posted.status_code == 200 and "could not be used" not in posted.text, qid
    raise AssertionError("the page did not end")


def via_ask(record: dict[str, Any], folder: Path) -> dict[str, Any]:
    given_, saved = folder / "given.json", folder / "saved.json"
    given_.write_text(json.dumps(record))
    done = runner.invoke(
        app, ["ask", "--answers", str(given_), "--save", str(saved)], input="?\n" * 80
    )
    assert done.exit_code == 0, done.output
    return dict(diagnose(json.loads(saved.read_text()), RB))


# Found by a random seed in a loop of the README's test command: an emergency that stops
# the page before a question that settles an earlier flag.
STOPPED_BEFORE_IT_SETTLED = {
    "id": "p",
    "answers": {
        "saddle_numbness": "no",
        "bladder_bowel_change": "no",
        "sexual_function_change": "no",
        "progressive_leg_weakness": "no",
        "new_leg_weakness": "no",
        "both_legs_symptoms": "no",
        "leg_pain_below_knee": "no",
        "fever_or_unwell": "no",
        "unexplained_weight_loss": "unsure",
        "cancer_history": "yes",
        "weakened_immunity_or_iv_drugs": "no",
        "recent_spinal_procedure": "no",
        "steroids_or_osteoporosis": "no",
        "constant_or_night_pain": "no",
        "upper_back_or_chest_pain": "no",
        "pulsating_belly_or_tearing_pain": "yes",
        "after_trauma": "no",
        "sudden_sharp_onset": "no",
        "not_improving": "yes",
        "morning_stiffness": "no",
        "age_years": 30,
        "butt_lifts_off_seat": "yes",
        "knee_angle_at_bottom": 70,
        "pain_location": ["lower_back"],
    },
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records())
@example(record=STOPPED_BEFORE_IT_SETTLED)
def test_every_interface_gives_the_same_status_level_and_text(
    record: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    expected = essence(dict(diagnose(record, RB)))
    assert essence(via_command_line(record)) == expected
    assert essence(via_http(record)) == expected
    assert essence(via_interview(record)) == expected
    # The page asks one question at a time and, like `ask`, stops at a referral before
    # the form questions: the form causes listed for the clinician (and the note that
    # introduces them) are what a record given whole adds. Everything else is the same.
    page = essence(via_page(record))
    if expected["status"] == "refer":
        page["causes"], page["notes"] = expected["causes"], expected["notes"]
        if expected["flags"][0][1] == "emergency":
            # An emergency sign stops the questions at once (as in `ask`): the signs
            # after it are not asked, so its flags are those of the signs asked before
            # it. Which emergency comes first follows the order of the questions (a
            # follow-up such as chest pain at rest is asked right after its sign), not
            # the order the whole record lists its flags in: the page must show an
            # emergency, and only flags the record gives, each at the record's level.
            # A flag may be the "not sure" form of the record's (found by a random seed:
            # cancer history with weight loss unsure is urgent "not sure" on the page,
            # which stopped before asking "not improving", and urgent for certain in
            # the whole record, where that answer is yes).
            assert page["flags"] and page["flags"][0][1] == "emergency", page["flags"]
            levels = {ident: level for ident, level, _, _ in expected["flags"]}
            assert {(ident, level) for ident, level, _, _ in page["flags"]} <= set(levels.items())
            page["flags"] = expected["flags"]
    assert page == expected
    assert essence(via_ask(record, tmp_path_factory.mktemp("ask"))) == expected


def test_the_drawn_records_reach_every_status_and_level() -> None:
    # The property above is only as good as its records: these corners must be drawn.
    clear = {q: "no" for q in SIGNS} | {"age_years": 30}
    cases = {
        "ok": clear,
        "emergency": clear | {"saddle_numbness": "yes"},
        "urgent": clear | {"new_leg_weakness": "yes"},
        "clinician": clear | {"leg_pain_below_knee": "unsure"},
    }
    for name, answers in cases.items():
        result = diagnose({"answers": {**answers, **FORM}}, RB)
        level = result["red_flags"][0]["level"] if result["red_flags"] else "ok"
        assert level == name
        assert essence(via_interview({"id": "p", "answers": {**answers, **FORM}})) == essence(
            dict(result)
        )
