"""Answer keys and values as more tools write them (check 25 on b51027b).

A spreadsheet's header "Saddle Numbness (Y/N)", a KoboToolbox group path
"safety/saddle_numbness", a form built from the questions' own words, pandas'
MultiIndex columns, Airtable's lookup "Age (from Client)"; DynamoDB's and Firestore's
typed values ({"S": "yes"}, {"stringValue": "yes"}); a ticked box whose label is the
question's text; a record commented out with '//' or '/* */' inside an array. Each
lost a warning sign or lowered it on b51027b; each is compared with the lifter written
plainly, and a "no" written the same way raises nothing.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.knowledge.loader import bundled_rulebase

from .test_records_from_exports import FRACTURE, SCREEN_CLEAR


def _results(data: str) -> list[dict[str, Any]]:
    return list(api.diagnose_stream(io.BytesIO(data.encode())))


def _levels(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(flag["id"], flag["level"], flag["unsure"]) for flag in result["red_flags"]]


def _one(answers: dict[str, Any]) -> dict[str, Any]:
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    return result


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in SCREEN_CLEAR.items() if name != key}


def _question_text(qid: str) -> str:
    rb = bundled_rulebase()
    assert rb is not None
    return rb.questions[qid].text


SADDLE_YES = ("saddle_numbness", "emergency", False)


# -- keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "Saddle Numbness (Y/N)",  # a spreadsheet's header
        "saddle_numbness (yes/no)",
        "saddle_numbness_yn",
        "safety/saddle_numbness",  # KoboToolbox, ODK
        "group_safety/saddle_numbness",
        "saddle.numbness",
        "Q_saddle_numbness",
        "('answers', 'saddle_numbness')",  # pandas' MultiIndex columns
        "TEXT",  # the question's own words, as a form built from them names it
    ],
)
def test_a_key_around_a_safety_question_is_read_as_it(key: str) -> None:
    """Each was an unknown key: the yes lost (no_fault_found, exit 0) or one level lower."""
    if key == "TEXT":
        key = _question_text("saddle_numbness")
    result = _one({**_without("saddle_numbness"), key: "Y"})
    assert SADDLE_YES in _levels(result)
    assert any("read as 'saddle_numbness'" in w["message"] for w in result["warnings"])
    said_no = _one({**_without("saddle_numbness"), key: "N"})
    assert _levels(said_no) == []  # a no written so raises nothing


@pytest.mark.parametrize("key", ["Age (from Client)", "Age (years)", "age", "How old are you?"])
def test_an_age_under_a_header_or_a_lookup_is_read(key: str) -> None:
    """Airtable's lookup column gives [70]; read as no age, urgent was clinician."""
    answers = {k: v for k, v in FRACTURE.items() if k != "age_years"}
    for age in (70, [70]):
        result = _one({**answers, key: age})
        assert ("fracture_risk_sudden_onset", "urgent", False) in _levels(result)
    young = _one({**answers, key: 30})
    assert "fracture_risk_sudden_onset" not in [flag for flag, _, _ in _levels(young)]


@pytest.mark.parametrize(
    "key", ["saddle_setup", "notes/saddle", "Saddle (seat) height", "numbness"]
)
def test_keys_that_name_no_question_stay_unknown(key: str) -> None:
    result = _one({**SCREEN_CLEAR, key: "yes"})
    assert _levels(result) == []
    assert any("unknown question id" in w["message"] for w in result["warnings"])


# -- typed values -------------------------------------------------------------------


def _dynamodb(value: Any) -> Any:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    if isinstance(value, dict):
        return {"M": {key: _dynamodb(inner) for key, inner in value.items()}}
    return {"S": value}


def _firestore(value: Any) -> Any:
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, dict):
        return {"mapValue": {"fields": {key: _firestore(inner) for key, inner in value.items()}}}
    return {"stringValue": value}


@pytest.mark.parametrize("typed", [_dynamodb, _firestore], ids=["dynamodb", "firestore"])
def test_a_databases_typed_values_are_read_as_the_values(typed: Any) -> None:
    """Read as boxes, every answer was "not sure": emergency lowered to urgent, and a
    client who said no everywhere got 28 flags."""
    lines = [
        json.dumps({"Item": {"id": typed("c1"), "answers": typed({**SCREEN_CLEAR, **one})}})
        for one in ({"saddle_numbness": "yes"}, {}, FRACTURE)
    ]
    first, clear, fracture = _results("\n".join(lines) + "\n")
    assert SADDLE_YES in _levels(first)
    assert _levels(clear) == []
    assert ("fracture_risk_sudden_onset", "urgent", False) in _levels(fracture)


def test_a_firestore_document_export_is_read() -> None:
    document = {
        "name": "projects/p/databases/(default)/documents/checkins/bob",
        "fields": {
            "clientId": {"stringValue": "bob"},
            "answers": _firestore({**SCREEN_CLEAR, "saddle_numbness": "yes"}),
        },
    }
    (result,) = _results(json.dumps({"documents": [document]}))
    assert SADDLE_YES in _levels(result)


@pytest.mark.parametrize(
    "not_typed",
    [{"S": 1}, {"N": "seventy"}, {"BOOL": "yes"}, {"M": [1]}, {"S": "yes", "N": "1"}],
)
def test_objects_that_only_look_typed_stay_objects(not_typed: dict[str, Any]) -> None:
    """A one-key object whose value has not its tag's form is no typed value."""
    result = _one({**SCREEN_CLEAR, "saddle_numbness": not_typed})
    assert ("saddle_numbness", "urgent", True) in _levels(result)  # unreadable: not sure


# -- a ticked box ------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["Numbness in the groin or saddle area? Tick if yes", "No feeling in groin / saddle"]
)
def test_a_ticked_box_labelled_with_the_question_is_a_yes(label: str) -> None:
    """Read as the label alone, the tick was "not sure": urgent, not emergency
    (a regression of c911bdf)."""
    ticked = _one({**SCREEN_CLEAR, "saddle_numbness": {"label": label, "value": True}})
    assert SADDLE_YES in _levels(ticked)
    assert ticked["errors"] == []
    left = _one({**SCREEN_CLEAR, "saddle_numbness": {"label": label, "value": False}})
    assert _levels(left) == []


def test_an_option_labelled_with_a_choice_is_still_that_choice() -> None:
    """The tick answers a yes/no; a choice question takes the label."""
    for flag in ("selected", "value"):
        result = _one({**SCREEN_CLEAR, "rep_tempo": {"label": "Fast", flag: True}})
        assert not [e for e in result["errors"] if e["key"] == "rep_tempo"]
        assert "fast_reps" in [cause["id"] for cause in result["causes"]]


# -- a record commented out inside an array -----------------------------------------


@pytest.mark.parametrize(
    "commented",
    [
        '  // {"id": "c3", "answers": {"bladder_bowel_change": "yes"}},',
        '  /* {"id": "c3", "answers": {"bladder_bowel_change": "yes"}}, */',
        '  /*\n  {\n    "id": "c3",\n    "answers": {"bladder_bowel_change": "yes"}\n  },\n  */',
        '  # {"id": "c3", "answers": {"bladder_bowel_change": "yes"}},',
    ],
)
def test_a_record_commented_out_in_an_array_is_screened(commented: str) -> None:
    """With '//' or '/* */' it vanished (no result, no error), where '#' was screened."""
    text = "\n".join(
        [
            "[",
            '  {"id": "c1", "answers": {"saddle_numbness": "no"}},',
            commented,
            '  {"id": "c2", "answers": ' + json.dumps(FRACTURE) + "},",
            '  {"id": "c4", "answers": {"leg_pain_below_knee": "yes"}}',
            "]",
        ]
    )
    by_id = {result["id"]: _levels(result) for result in _results(text)}
    assert set(by_id) == {"c1", "c2", "c3", "c4"}
    assert ("bladder_bowel_change", "emergency", False) in by_id["c3"]
    assert ("fracture_risk_sudden_onset", "urgent", False) in by_id["c2"]
    assert ("leg_pain_below_knee", "clinician", False) in by_id["c4"]


def test_a_comment_that_opens_a_record_over_lines_takes_no_record_after_it() -> None:
    """A record commented out line by line with '//' is not read on past its first
    mark: its lines go on in other comments, and read so it took c2's answers."""
    text = "\n".join(
        [
            "[",
            '  {"id": "c1", "answers": {"saddle_numbness": "no"}},',
            "  // {",
            '  //   "id": "c3", "answers": {"bladder_bowel_change": "yes"}',
            "  // },",
            '  {"id": "c2", "answers": ' + json.dumps(FRACTURE) + "}",
            "]",
        ]
    )
    by_id = {result["id"]: _levels(result) for result in _results(text)}
    assert ("fracture_risk_sudden_onset", "urgent", False) in by_id["c2"]
    assert "c3" not in by_id or ("bladder_bowel_change", "emergency", False) in by_id["c3"]


# -- the Python API and an export's wrapper -----------------------------------------


def test_api_diagnose_refuses_an_object_of_several_records() -> None:
    """Read as one record, two clients' answers became one result: ann's clear screen
    and bob's emergency under the id 0."""
    export = {
        "clients": [
            {"id": "ann", "answers": SCREEN_CLEAR},
            {"id": "bob", "answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}},
        ]
    }
    with pytest.raises(api.InputError, match=r"holds 2 .*diagnose_many"):
        api.diagnose(export)
    results = list(api.diagnose_many([export, {"id": "cal", "answers": FRACTURE}]))
    assert [(r["id"], _levels(r)[:1]) for r in results] == [
        ("ann", []),
        ("bob", [SADDLE_YES]),
        ("cal", [("fracture_risk_sudden_onset", "urgent", False)]),
    ]


def test_api_diagnose_reads_the_one_record_a_wrapper_holds() -> None:
    item = {"json": {"id": "bob", "answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}}}
    result = api.diagnose({**item, "pairedItem": {"item": 0}})
    assert (result["id"], _levels(result)[:1]) == ("bob", [SADDLE_YES])


# -- FHIR ---------------------------------------------------------------------------


def _response(rid: str, answers: dict[str, Any]) -> dict[str, Any]:
    def answer(value: Any) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"valueBoolean": value}
        if isinstance(value, int):
            return {"valueInteger": value}
        return {"valueCoding": {"system": "http://loinc.org", "display": value.capitalize()}}

    items = [{"linkId": key, "answer": [answer(value)]} for key, value in answers.items()]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": rid,
        "status": "completed",
        "item": [{"linkId": "safety", "text": "Safety", "item": items}],
    }


def test_a_fhir_questionnaire_response_is_read_by_its_items() -> None:
    """Read as a record with no 'answers', every sign in one was lost; a Bundle of two
    was one merged error."""
    one = _response("qr1", {**SCREEN_CLEAR, "saddle_numbness": True})
    two = _response("qr2", {**SCREEN_CLEAR, **FRACTURE})
    (alone,) = _results(json.dumps(one))
    assert (alone["id"], _levels(alone)[:1]) == ("qr1", [SADDLE_YES])
    assert alone["errors"] == []
    bundle = {"resourceType": "Bundle", "entry": [{"resource": one}, {"resource": two}]}
    by_id = {r["id"]: _levels(r)[:1] for r in _results(json.dumps(bundle))}
    assert by_id == {"qr1": [SADDLE_YES], "qr2": [("fracture_risk_sudden_onset", "urgent", False)]}
    clear = _response("qr3", {**SCREEN_CLEAR})
    assert _levels(_results(json.dumps(clear))[0]) == []


def test_fhir_items_numbered_are_read_by_their_text() -> None:
    item = {
        "linkId": "1.2",
        "text": _question_text("saddle_numbness"),
        "answer": [{"valueBoolean": True}],
    }
    response = {"resourceType": "QuestionnaireResponse", "id": "qr4", "item": [item]}
    assert SADDLE_YES in _levels(api.diagnose(response))


# -- one person's weeks, clients keyed by name ---------------------------------------


def test_a_coachs_book_keyed_by_name_and_week_keeps_each_client_whole() -> None:
    """Weeks keyed by ISO week were read apart from the profile (urgent referred as
    clinician), and every client's results took the same ids."""
    book = {
        "clients": {
            name: {
                "profile": {"age_years": age},
                "weeks": {
                    "2024-W18": {"answers": {**SCREEN_CLEAR}},
                    "2024-W19": {"answers": {**SCREEN_CLEAR, **week}},
                },
            }
            for name, age, week in [
                ("cal", 70, {"sudden_sharp_onset": "yes", "onset_settling": "no"}),
                ("dot", 30, {"sudden_sharp_onset": "yes", "onset_settling": "no"}),
            ]
        }
    }
    by_id = {r["id"]: [flag for flag, _, _ in _levels(r)] for r in _results(json.dumps(book))}
    assert set(by_id) == {
        f"clients.{name}.weeks.2024-W{week}" for name in ("cal", "dot") for week in (18, 19)
    }
    assert "fracture_risk_sudden_onset" in by_id["clients.cal.weeks.2024-W19"]
    assert "fracture_risk_sudden_onset" not in by_id["clients.dot.weeks.2024-W19"]


# -- a note typed with Enter, then a comma or a comment -----------------------------


@pytest.mark.parametrize("after", [",", "  // bob", ", # bob"])
def test_a_note_with_an_enter_keeps_its_record_whole_before_a_comma_or_comment(
    after: str,
) -> None:
    """The client's own row was an error with no flag, the emergency under a line's
    number."""
    text = (
        '{"id": "bob", "note": "started Tuesday,\nnot sure", "answers": '
        + json.dumps({**SCREEN_CLEAR, "saddle_numbness": "yes"})
        + "}"
        + after
        + '\n{"id": "x", "answers": '
        + json.dumps(SCREEN_CLEAR)
        + "}\n"
    )
    results = _results(text)
    assert [r["id"] for r in results] == ["bob", "x"]
    assert SADDLE_YES in _levels(results[0])


def test_utf16_lines_then_utf8_lines_appended_are_all_read() -> None:
    """PowerShell 5.1's Out-File writes UTF-16 and Add-Content appends UTF-8: the
    appended clients, an emergency among them, were one error with no flag."""
    first = "\r\n".join(
        json.dumps({"id": rid, "answers": answers})
        for rid, answers in [("c1", SCREEN_CLEAR), ("c2", FRACTURE)]
    )
    appended = json.dumps({"id": "c3", "answers": {**SCREEN_CLEAR, "bladder_bowel_change": "yes"}})
    data = "\ufeff".encode("utf-16-le") + (first + "\r\n").encode("utf-16-le")
    data += (appended + "\r\n").encode("utf-8")
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == ["c1", "c2", "c3"]
    assert ("bladder_bowel_change", "emergency", False) in _levels(results[2])
    assert ("fracture_risk_sudden_onset", "urgent", False) in _levels(results[1])


@pytest.mark.parametrize("group", ["safety_matrix", "group_safety"])
def test_a_yes_in_a_group_inside_the_answers_is_a_yes(group: str) -> None:
    """A SurveyJS matrix, a KoboToolbox group: read as not sure, urgent not emergency.
    A no there clears nothing."""
    said_yes = _one({**_without("saddle_numbness"), group: {"saddle_numbness": "yes"}})
    assert SADDLE_YES in _levels(said_yes)
    said_no = _one({**_without("saddle_numbness"), group: {"saddle_numbness": "no"}})
    assert _levels(said_no) == []
    assert any(
        w["key"] == "safety_screen_incomplete" and "saddle_numbness" in w["message"]
        for w in said_no["warnings"]
    )
    beside_no = _one({**SCREEN_CLEAR, group: {"saddle_numbness": "yes"}})
    assert ("saddle_numbness", "urgent", True) in _levels(beside_no)  # two readings


def test_formstack_pairs_under_data_are_read_by_their_label() -> None:
    """The field number beside the label was taken for the question, and a list of
    pairs under 'data' was never read: the emergency and the urgent sign lost."""
    pairs = [
        {"field": str(100 + i), "label": key, "value": value}
        for i, (key, value) in enumerate({**SCREEN_CLEAR, **FRACTURE}.items())
    ]
    pairs[0] = {"field": "100", "label": "saddle_numbness", "value": "Yes"}
    record = {"id": "1234567", "form": "55", "data": pairs}
    (result,) = _results(json.dumps(record))
    flags = [flag for flag, _, _ in _levels(result)]
    assert result["id"] == "1234567"
    assert {"saddle_numbness", "fracture_risk_sudden_onset"} <= set(flags)


@pytest.mark.parametrize("name", ["record_id", "client_id"])
def test_a_records_id_under_an_exports_name_names_its_result(name: str) -> None:
    """REDCap writes record_id: named by position, result 1 held record 2's flags."""
    rows = [
        {name: "1", "redcap_event_name": "baseline_arm_1", **SCREEN_CLEAR, "saddle_numbness": "1"},
        {name: "2", "redcap_event_name": "baseline_arm_1", **SCREEN_CLEAR},
    ]
    first, second = _results(json.dumps(rows))
    assert (first["id"], _levels(first)[:1]) == ("1", [SADDLE_YES])
    assert (second["id"], _levels(second)) == ("2", [])
    both = {"id": "c9", name: "other", "answers": SCREEN_CLEAR}
    assert _results(json.dumps(both))[0]["id"] == "c9"  # the contract's id comes first


# -- check 26: what the readings above must not do ----------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("baseline/saddle_numbness", "today/saddle_numbness"), ("Age (injury)", "Age (years)")],
)
def test_two_keys_read_as_one_question_give_the_careful_answer(first: str, second: str) -> None:
    """The first read alone, a later yes was dropped, and an age of 72 lost to 25."""
    base = _without("saddle_numbness") if "saddle" in first else _without("age_years")
    if "saddle" in first:
        for values in (("no", "yes"), ("yes", "no")):
            result = _one({**base, first: values[0], second: values[1]})
            assert SADDLE_YES in _levels(result)
        assert _levels(_one({**base, first: "no", second: "no"})) == []
    else:
        onset = {"sudden_sharp_onset": "yes", "onset_settling": "no"}
        for ages in ((25, [72]), ([72], 25), (25, "72")):
            result = _one({**base, **onset, first: ages[0], second: ages[1]})
            assert ("fracture_risk_sudden_onset", "urgent", False) in _levels(result)


def test_a_forms_definition_beside_its_answers_is_no_answer() -> None:
    """Typeform's webhook lists every question in 'definition': once titles were read,
    each was "not sure", an emergency urgent and every clear client referred (a
    regression of 5ece884, check 26)."""
    fields = [
        {"id": f"F{i}", "ref": key.replace("_", "-"), "type": "yes_no", "title": f"{key}?"}
        for i, key in enumerate(SCREEN_CLEAR)
    ]
    answers = [
        {
            "field": {"id": f"F{i}", "ref": key.replace("_", "-")},
            "type": "boolean",
            "boolean": False,
        }
        for i, key in enumerate(SCREEN_CLEAR)
    ]
    webhook = {
        "event_type": "form_response",
        "form_response": {
            "hidden": {"client_id": "ann"},
            "definition": {"id": "lp", "fields": fields},
            "answers": answers,
        },
    }
    (clear,) = _results(json.dumps(webhook))
    assert _levels(clear) == []
    answers[1] = {**answers[1], "boolean": True}
    assert list(SCREEN_CLEAR)[1] in [
        flag for flag, _, _ in _levels(_results(json.dumps(webhook))[0])
    ]


def test_utf16_then_another_encoding_then_utf16_again_keeps_each_client() -> None:
    """Out-File, Add-Content, Out-File -Append: switched to UTF-8 once for all, the
    UTF-16 lines after it were filed under another client (check 26)."""
    wide = lambda rid, answers: (  # noqa: E731
        json.dumps({"id": rid, "answers": answers}) + "\r\n"
    ).encode("utf-16-le")
    data = "\ufeff".encode("utf-16-le") + wide("c1", SCREEN_CLEAR)
    for padding in ("", " "):  # the UTF-16 after it at an even place, and at an odd one
        narrow = (json.dumps({"id": "c2", "answers": FRACTURE}) + padding + "\r\n").encode()
        if len(data + narrow) % 2:
            break
    data += narrow + wide("c3", SCREEN_CLEAR)
    data += wide("c4", {**SCREEN_CLEAR, "saddle_numbness": "yes"})
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [(r["id"], _levels(r)[:1]) for r in results] == [
        ("c1", []),
        ("c2", [("fracture_risk_sudden_onset", "urgent", False)]),
        ("c3", []),
        ("c4", [SADDLE_YES]),
    ]
