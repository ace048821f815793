"""Records as apps, no-code tools and health software write them (check 26 on 085205c).

Bubble's Data API, a sheet inside the Google Sheets or Microsoft Graph API's answer,
R's and pandas' column-by-column tables, Notion's and Typeform's values kept under
their type's name, Tally's option ids, a Swift app's dictionary, a Google Forms grid,
Typeform's made-up refs, FHIR's made-up linkIds, UCUM ages and LOINC codes, ODK's CSV
columns, a record commented out inside a wrapper, a SurveyJS panel, and keys about
someone else. On 90b48cd each lost a warning sign, lowered it, merged clients or
raised a clear lifter; each is compared here with the lifter written plainly, and a
"no" written the same way raises nothing.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from legpress_diag import api

from .test_records_from_exports import FRACTURE, SCREEN_CLEAR


def _results(data: str | bytes) -> list[dict[str, Any]]:
    raw = data.encode() if isinstance(data, str) else data
    return list(api.diagnose_stream(io.BytesIO(raw)))


def _flags(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(flag["id"], flag["level"], flag["unsure"]) for flag in result["red_flags"]]


def _one(answers: dict[str, Any], rid: str = "c1") -> dict[str, Any]:
    (result,) = _results(json.dumps({"id": rid, "answers": answers}))
    return result


def _stays_clear(key: str, value: Any) -> None:
    """A lifter clear on every sign, ``key`` written as ``value``, gets advice."""
    assert _one({**SCREEN_CLEAR, key: value}, "clear")["status"] == "ok"


def _by_id(results: list[dict[str, Any]]) -> dict[str, list[tuple[str, str, bool]]]:
    return {str(result["id"]): _flags(result) for result in results}


SADDLE_YES = ("saddle_numbness", "emergency", False)
FRACTURE_FLAGS = [
    ("fracture_risk_sudden_onset", "urgent", False),
    ("sudden_sharp_onset", "clinician", False),
]


# -- wrappers and tables ------------------------------------------------------------


def test_a_list_beside_its_count_is_no_table() -> None:
    """Bubble's {"response": {"results": [...], "count": 2}}: the wrapper's keys were
    three records and both clients were lost."""
    body = {
        "response": {
            "results": [
                {"id": "bob", "answers": {"saddle_numbness": "yes"}},
                {"id": "ann", "answers": {"saddle_numbness": "no"}},
            ],
            "count": 2,
            "remaining": 0,
        }
    }
    found = _by_id(_results(json.dumps(body)))
    assert found == {"bob": [SADDLE_YES], "ann": []}


def test_a_pandas_table_by_columns_is_still_a_table() -> None:
    """The guard above leaves pandas' orient="columns" alone."""
    body = {"id": {"0": "bob", "1": "ann"}, "saddle_numbness": {"0": "yes", "1": "no"}}
    found = _by_id(_results(json.dumps(body)))
    assert found == {"bob": [SADDLE_YES], "ann": []}


def test_a_type_a_no_code_tool_appends_to_a_field_name_is_read_past() -> None:
    """Bubble's field names carry their type: "saddle_numbness_boolean"."""
    rows = [
        {"_id": "171x1", "saddle_numbness_boolean": True, "age_years_number": 41},
        {"_id": "171x2", "saddle_numbness_boolean": False, "age_years_number": 34},
    ]
    body = {"response": {"cursor": 0, "results": rows, "count": 2, "remaining": 0}}
    results = _results(json.dumps(body))
    assert [_flags(result) for result in results] == [[SADDLE_YES], []]


def _sheet(header: list[str], *rows: list[Any]) -> list[list[Any]]:
    return [header, *[list(row) for row in rows]]


def test_a_sheet_in_the_google_sheets_api_answer_is_its_rows() -> None:
    values = _sheet(
        ["id", "saddle_numbness", "age_years"], ["ann", "FALSE", "34"], ["bob", "TRUE", "41"]
    )
    body = {"range": "Sheet1!A1:C3", "majorDimension": "ROWS", "values": values}
    found = _by_id(_results(json.dumps(body)))
    assert found == {"ann": [], "bob": [SADDLE_YES]}


def test_graphs_three_copies_of_a_range_are_read_once() -> None:
    """Microsoft Graph gives a range as "values", "text" and "formulas": the values
    are read, and each client is one result, not three."""
    header = ["id", "saddle_numbness", "age_years"]
    body = {
        "address": "Sheet1!A1:C3",
        "values": _sheet(header, ["ann", False, 34], ["bob", True, 41]),
        "text": _sheet(header, ["ann", "FALSE", "34"], ["bob", "TRUE", "41"]),
        "formulas": _sheet(header, ["ann", False, 34], ["bob", True, 41]),
    }
    results = _results(json.dumps(body))
    assert [str(result["id"]) for result in results] == ["ann", "bob"]
    assert _by_id(results) == {"ann": [], "bob": [SADDLE_YES]}


def test_a_table_written_column_by_column_is_a_record_per_row() -> None:
    """R's jsonlite dataframe="columns" and pandas' to_dict("list")."""
    body = {
        "id": ["ann", "bob", "cal"],
        "saddle_numbness": ["no", "yes", "no"],
        "age_years": [34, 41, 70],
        "sudden_sharp_onset": ["no", "no", "yes"],
        "onset_settling": ["yes", "yes", "no"],
    }
    found = _by_id(_results(json.dumps(body)))
    assert found["ann"] == []
    assert found["bob"] == [SADDLE_YES]
    assert found["cal"] == FRACTURE_FLAGS


def test_one_record_boxed_by_r_stays_one_record() -> None:
    """A column of one cell is R's boxed record, not a table."""
    (result,) = _results(json.dumps({"id": ["c05"], "answers": {"saddle_numbness": ["yes"]}}))
    assert result["id"] == "c05"
    assert _flags(result) == [SADDLE_YES]


def test_a_table_by_columns_names_rows_by_a_name_column_and_repeats_ids() -> None:
    """A client's two weeks are two rows; 'name' names them; a wrapper holds it."""
    table = {
        "name": ["cal", "cal", "ann"],
        "age_years": [70, 70, 34],
        "sudden_sharp_onset": ["no", "yes", "no"],
        "onset_settling": ["yes", "no", "yes"],
    }
    for body in (table, {"exported": "2024-05-01", "data": table}):
        results = _results(json.dumps(body))
        assert [str(result["id"]) for result in results] == ["cal", "cal", "ann"]
        assert [_flags(result) for result in results][1] == FRACTURE_FLAGS


def test_a_records_multi_choice_lists_are_no_table() -> None:
    """Lists of the same length under multi-choice questions are one record's answers."""
    answers = {**SCREEN_CLEAR, "pain_location": ["lower_back", "hips"]}
    record = {"id": "c1", "answers": answers}
    assert [str(result["id"]) for result in _results(json.dumps(record))] == ["c1"]


# -- values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        ({"type": "boolean", "boolean": True}, {"type": "boolean", "boolean": False}),
        (
            {"id": "a1", "type": "checkbox", "checkbox": True},
            {"type": "checkbox", "checkbox": False},
        ),
        (
            {"type": "select", "select": {"name": "Yes"}},
            {"type": "select", "select": {"name": "No"}},
        ),
        (
            {"type": "rich_text", "rich_text": [{"plain_text": "yes"}]},
            {"type": "text", "text": "no"},
        ),
    ],
)
def test_a_value_under_its_types_name_is_read(yes: dict[str, Any], no: dict[str, Any]) -> None:
    """Typeform's answers and Notion's properties keep the value under the type's
    name; read as no answer, each yes was "not sure" and every clear client referred."""
    number = {"type": "number", "number": 70}
    told = {**FRACTURE, "saddle_numbness": yes, "age_years": number}
    result = _one(told, "c1")
    assert SADDLE_YES in _flags(result)
    assert ("fracture_risk_sudden_onset", "urgent", False) in _flags(result)
    _stays_clear("saddle_numbness", no)


def test_notions_database_query_is_read() -> None:
    page = {
        "object": "page",
        "id": "p1",
        "properties": {
            "Saddle numbness": {"id": "a1", "type": "checkbox", "checkbox": True},
            "Age years": {"id": "a2", "type": "number", "number": 41},
        },
    }
    results = _results(json.dumps({"object": "list", "results": [page], "has_more": False}))
    assert [_flags(result) for result in results] == [[SADDLE_YES]]


def _tally(chosen: str) -> dict[str, Any]:
    options = [{"id": "o-yes", "text": "Yes"}, {"id": "o-no", "text": "No"}]
    return {
        "eventType": "FORM_RESPONSE",
        "data": {
            "responseId": "r1",
            "fields": [
                {"key": "question_a", "label": "id", "type": "INPUT_TEXT", "value": "bob"},
                {
                    "key": "question_b",
                    "label": "saddle_numbness",
                    "type": "MULTIPLE_CHOICE",
                    "value": [chosen],
                    "options": options,
                },
            ],
        },
    }


def test_a_choice_given_by_its_options_id_is_that_option() -> None:
    """Tally's webhook: the chosen option's id, beside the options offered."""
    (result,) = _results(json.dumps(_tally("o-yes")))
    assert _flags(result) == [SADDLE_YES]
    (result,) = _results(json.dumps(_tally("o-no")))
    assert _flags(result) == []


def test_an_id_no_option_has_is_left_as_it_is() -> None:
    (result,) = _results(json.dumps(_tally("o-maybe")))
    assert _flags(result) == [("saddle_numbness", "urgent", True)]


def test_a_swift_dictionary_written_as_a_flat_list_is_read() -> None:
    """Swift's JSONEncoder writes a [Question: Answer] dictionary as [key, value, ...]."""
    line = {"id": "bob", "answers": ["age_years", 41, "saddle_numbness", "yes"]}
    (result,) = _results(json.dumps(line))
    assert _flags(result) == [SADDLE_YES]


def test_a_swift_enum_case_is_its_name() -> None:
    told = {**SCREEN_CLEAR, "saddle_numbness": {"no": {}}, "bladder_bowel_change": {"yes": {}}}
    result = _one(told, "c1")
    assert _flags(result) == [("bladder_bowel_change", "emergency", False)]
    _stays_clear("saddle_numbness", {"no": {}})


def test_a_google_forms_grid_answers_each_row() -> None:
    item = {
        "title": "Safety screen",
        "type": "GRID",
        "rows": ["saddle_numbness", "bladder_bowel_change"],
        "response": ["No", "Yes"],
    }
    body = [
        {
            "respondentEmail": "bob@example.com",
            "items": [{"title": "age_years", "response": "41"}, item],
        }
    ]
    (result,) = _results(json.dumps(body))
    assert _flags(result) == [("bladder_bowel_change", "emergency", False)]


def _typeform(ref: str, answered: bool) -> dict[str, Any]:
    field = {"id": "f1", "type": "yes_no", "ref": ref}
    return {
        "event_type": "form_response",
        "form_response": {
            "hidden": {"client_id": "bob"},
            "definition": {"fields": [{**field, "title": "Saddle numbness?"}]},
            "answers": [{"type": "boolean", "boolean": answered, "field": field}],
        },
    }


def test_typeforms_made_up_refs_are_named_by_the_definitions_titles() -> None:
    ref = "3b9d8f0e-6a4c-4d57-9e61-1c2f7a0b9e11"
    (result,) = _results(json.dumps(_typeform(ref, True)))
    assert _flags(result) == [SADDLE_YES]
    (result,) = _results(json.dumps(_typeform(ref, False)))
    assert _flags(result) == []


# -- FHIR ---------------------------------------------------------------------------


def _response(items: list[dict[str, Any]], rid: str = "q1") -> str:
    return json.dumps({"resourceType": "QuestionnaireResponse", "id": rid, "item": items})


def _item(link: str, text: str | None, answer: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link, "answer": [answer]}
    return item if text is None else {**item, "text": text}


def _texts() -> dict[str, str]:
    from legpress_diag.knowledge.loader import bundled_rulebase

    rb = bundled_rulebase()
    assert rb is not None
    return {qid: question.text for qid, question in rb.questions.items()}


@pytest.mark.parametrize("made_up", ["q{n}", "item-{n}", "3f2a9c1e-6a4c-4d57-9e61-{n:012d}"])
def test_a_made_up_link_id_is_read_by_its_items_text(made_up: str) -> None:
    texts = _texts()
    items = [
        _item(made_up.format(n=n), texts[qid], {"valueBoolean": answer == "yes"})
        for n, (qid, answer) in enumerate({**SCREEN_CLEAR, "saddle_numbness": "yes"}.items())
        if qid != "age_years"
    ]
    (result,) = _results(_response(items))
    assert _flags(result) == [SADDLE_YES]


def test_a_link_id_in_words_of_a_coachs_own_stays_the_name() -> None:
    """A linkId that names no bundled question but is a word (a coach's own) is kept."""
    (result,) = _results(
        _response([_item("grip_strength", "How strong is your grip?", {"valueString": "x"})])
    )
    assert any("grip_strength" in str(warning) for warning in result["warnings"])


def test_an_age_as_a_ucum_quantity_is_its_value() -> None:
    age = {
        "valueQuantity": {
            "value": 72,
            "unit": "years",
            "system": "http://unitsofmeasure.org",
            "code": "a",
        }
    }
    items = [_item("age_years", None, age)] + [
        _item(qid, None, {"valueBoolean": answer == "yes"})
        for qid, answer in FRACTURE.items()
        if qid != "age_years"
    ]
    (result,) = _results(_response(items))
    assert _flags(result) == FRACTURE_FLAGS


def _loinc(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": "http://loinc.org", "code": code}}


def test_loincs_yes_and_no_codes_without_display_are_yes_and_no() -> None:
    told = {**SCREEN_CLEAR, "saddle_numbness": "yes"}
    items = [
        _item(qid, None, _loinc("LA33-6" if answer == "yes" else "LA32-8"))
        for qid, answer in told.items()
        if qid != "age_years"
    ]
    (result,) = _results(_response(items))
    assert _flags(result) == [SADDLE_YES]


def test_every_item_of_a_long_fhir_intake_is_read() -> None:
    """1,100 items with the safety screen last: the walk stopped at 1,000."""
    items = [_item(f"extra_{n}", None, {"valueString": "x"}) for n in range(1100)]
    items.append(_item("saddle_numbness", None, {"valueBoolean": True}))
    (result,) = _results(_response(items))
    assert SADDLE_YES in _flags(result)


# -- keys ---------------------------------------------------------------------------


def test_an_odk_csv_column_is_read_after_its_group() -> None:
    rows = [
        {"meta-instanceID": "uuid:1", "client_id": "ann", "group_safety-saddle_numbness": "no"},
        {"meta-instanceID": "uuid:2", "client_id": "bob", "group_safety-saddle_numbness": "yes"},
    ]
    found = _by_id(_results(json.dumps(rows)))
    assert found == {"ann": [], "bob": [SADDLE_YES]}


def test_a_no_before_the_dash_is_not_read_as_the_question() -> None:
    told = {**SCREEN_CLEAR, "no-saddle_numbness": "yes"}
    result = _one(told, "c1")
    assert SADDLE_YES not in _flags(result)


@pytest.mark.parametrize(
    "key",
    ["Saddle numbness (asked by coach)", "first_contact/saddle_numbness", "mother/saddle_numbness"],
)
def test_a_label_that_names_someone_else_still_gives_the_lifters_yes(key: str) -> None:
    """A guard that left such keys unread lowered emergencies (checks 27, 28): a key
    is read as the lifter's whoever it names, the careful reading."""
    told = {k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"}
    assert SADDLE_YES in _flags(_one({**told, key: "yes"}))


# -- comments, panels and the Python API --------------------------------------------


@pytest.mark.parametrize("mark", ["// ", "/* ", "# "])
def test_a_record_commented_out_in_a_wrappers_list_is_screened(mark: str) -> None:
    end = " */" if mark == "/* " else ""
    c3 = json.dumps({"id": "c3", "answers": {"bladder_bowel_change": "yes"}})
    text = (
        '{\n  "clients": [\n'
        '    {"id": "c1", "answers": {"saddle_numbness": "no"}},\n'
        f"    {mark}{c3},{end}\n"
        '    {"id": "c2", "answers": {"saddle_numbness": "no"}}\n'
        "  ]\n}\n"
    )
    found = _by_id(_results(text))
    assert found == {"c1": [], "c3": [("bladder_bowel_change", "emergency", False)], "c2": []}


def test_a_persons_repeated_panel_is_read_with_their_age() -> None:
    """SurveyJS' dynamic panel: episodes of one person beside their age."""
    line = {
        "id": "c9",
        "age_years": 72,
        "episodes": [
            {"sudden_sharp_onset": "no"},
            {"sudden_sharp_onset": "yes", "onset_settling": "no"},
        ],
    }
    results = _results(json.dumps(line))
    assert all(str(result["id"]).startswith("c9") for result in results)
    assert ("fracture_risk_sudden_onset", "urgent", False) in [
        flag for result in results for flag in _flags(result)
    ]


def test_the_api_opens_records_listed_under_answers() -> None:
    body = {
        "form": "intake",
        "answers": [
            {"id": "ann", "answers": {"saddle_numbness": "no"}},
            {"id": "bob", "answers": {"saddle_numbness": "yes"}},
        ],
    }
    assert _by_id(list(api.diagnose_many([body]))) == {"ann": [], "bob": [SADDLE_YES]}
    with pytest.raises(api.InputError, match="holds 2"):
        api.diagnose(body)


def test_the_api_refuses_a_list_given_as_one_record() -> None:
    with pytest.raises(api.InputError, match=r"list of 1.*diagnose_many"):
        api.diagnose([{"id": "bob", "answers": {"saddle_numbness": "yes"}}])  # type: ignore[arg-type]


def test_the_api_reads_a_plain_record_with_metadata_as_one() -> None:
    record = {"id": "x", "answers": {"saddle_numbness": "yes"}, "meta": {"app": "z"}}
    assert _flags(api.diagnose(record)) == [SADDLE_YES]


def test_the_service_says_where_a_wrappers_records_are() -> None:
    """The 422's detail named no place, "(under )", and said "1 records"."""
    from legpress_diag.web.limits import Deadline, Limits
    from legpress_diag.web.problems import RequestProblem
    from legpress_diag.web.service import diagnose_body

    records = [{"id": "bob", "answers": {"saddle_numbness": "yes"}}]
    body = json.dumps({"response": {"results": records, "count": 1}}).encode()
    with pytest.raises(RequestProblem) as refused:
        diagnose_body(body, api.bundled_rulebase(), Limits(), Deadline(10.0))
    assert "wraps 1 record in an object (under 'response')" in str(refused.value)
    assert [r["id"] for r in refused.value.extra["results"]] == ["bob"]


# -- encodings and hand-typed lines -------------------------------------------------


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record) + "\r\n"


C1 = {"id": "c1", "answers": {"saddle_numbness": "no"}}
C2 = {"id": "c2", "answers": {"bladder_bowel_change": "yes"}}
C3 = {"id": "c3", "answers": {"saddle_numbness": "yes"}}
C4 = {"id": "c4", "answers": {"leg_pain_below_knee": "yes"}}
EXPECTED_FOUR = {
    "c1": [],
    "c2": [("bladder_bowel_change", "emergency", False)],
    "c3": [SADDLE_YES],
    "c4": [("leg_pain_below_knee", "clinician", False)],
}


def test_utf16_lines_appended_to_a_utf8_file_are_read_each() -> None:
    """PowerShell's `>>` appends UTF-16 with no byte-order mark: c4 was merged into c3."""
    data = (
        b"\xef\xbb\xbf"
        + (_line(C1) + _line(C2)).encode()
        + (_line(C3) + _line(C4)).encode("utf-16-le")
    )
    results = _results(data)
    assert _by_id(results) == EXPECTED_FOUR
    assert [result["status"] for result in results].count("error") == 0


def test_utf8_lines_after_big_endian_utf16_are_read_each() -> None:
    data = (
        b"\xfe\xff" + (_line(C1) + _line(C2)).encode("utf-16-be") + (_line(C3) + _line(C4)).encode()
    )
    assert _by_id(_results(data)) == EXPECTED_FOUR


def test_nul_padding_is_not_taken_for_utf16() -> None:
    """NULs a crash leaves before a record: the record after them is still read."""
    data = _line(C1).encode() + b"\x00" * 64 + _line(C3).encode()
    assert SADDLE_YES in [flag for result in _results(data) for flag in _flags(result)]


def test_a_note_with_an_enter_and_a_bare_yes_is_one_record() -> None:
    text = '{"id": "fay", "note": "started\nafter the holiday", '
    text += '"answers": {"bladder_bowel_change": yes}}\n'
    text += _line(C1)
    results = _results(text)
    assert [str(result["id"]) for result in results] == ["fay", "c1"]
    assert _flags(results[0]) == [("bladder_bowel_change", "emergency", False)]


def test_odk_centrals_groups_of_one_person_are_read_together() -> None:
    """OData groups: the age in "group_profile", the onset in "group_safety"."""
    body = {
        "@odata.context": "x",
        "value": [
            {
                "__id": "uuid:a",
                "client_id": "c5",
                "group_profile": {"age_years": 72},
                "group_safety": {"sudden_sharp_onset": "yes", "onset_settling": "no"},
            }
        ],
    }
    (result,) = _results(json.dumps(body))
    assert _flags(result) == FRACTURE_FLAGS


def test_a_coachs_own_profile_is_not_read_into_a_client_named_beside_it() -> None:
    """A client's record under their name beside the coach's profile stays theirs."""
    client = {"answers": {"sudden_sharp_onset": "yes", "onset_settling": "no", "age_years": 25}}
    line = {"id": "coach-7", "profile": {"age_years": 70}, "alice": client}
    flags = [flag for result in _results(json.dumps(line)) for flag in _flags(result)]
    assert ("fracture_risk_sudden_onset", "urgent", False) not in flags
    assert ("sudden_sharp_onset", "clinician", False) in flags


@pytest.mark.parametrize(
    ("yes", "no"),
    [("WAHR", "FALSCH"), ("Ja", "Nein"), ("VRAI", "FAUX"), ("Oui", "Non"), ("sí", "no")],
)
def test_yes_and_no_in_a_sheets_own_language_are_read(yes: str, no: str) -> None:
    told = {**SCREEN_CLEAR, "saddle_numbness": yes}
    result = _one(told, "c1")
    assert _flags(result) == [SADDLE_YES]
    clear = {key: (no if value == "no" else value) for key, value in SCREEN_CLEAR.items()}
    result = _one(clear, "c2")
    assert result["status"] == "ok"


def test_a_record_found_with_no_id_takes_the_persons_id_it_gives() -> None:
    """Named by their place ("items[0]"), a coach could not find their clients."""
    items = [
        {"hidden": {"client_id": "bob"}, "answers": {"saddle_numbness": "yes"}},
        {"client_id": "ann", "answers": {"saddle_numbness": "no"}},
        {"answers": {"saddle_numbness": "no"}},
    ]
    results = _results(json.dumps({"total_items": 3, "items": items}))
    assert [str(result["id"]) for result in results] == ["bob", "ann", "items[2]"]
    assert _flags(results[0]) == [SADDLE_YES]
    (result,) = _results(json.dumps({"hidden": {"client_id": "cal"}, "answers": {}}))
    assert result["id"] == "cal"


@pytest.mark.parametrize("size", [1, 40, 10_000])
def test_a_cluster_job_reads_appended_utf16_lines_as_diagnose_does(
    size: int, tmp_path: Any
) -> None:
    data = (_line(C1) + _line(C2)).encode() + (_line(C3) + _line(C4)).encode("utf-16-le")
    path = tmp_path / "appended.jsonl"
    path.write_bytes(data)
    blocks = api.line_blocks(path, size)
    found: list[dict[str, Any]] = []
    for index, block in enumerate(blocks):
        chunk = data[block.offset : block.offset + block.length]
        lines = api.numbered_lines(chunk, block.first_line)
        found += api.diagnose_partition(lines, ends_input=index == len(blocks) - 1)
    assert _by_id(found) == EXPECTED_FOUR
    assert [result["id"] for result in found] == [result["id"] for result in _results(data)]


# -- check 27 (a new user's, on 5948a3e) --------------------------------------------


def _surveymonkey(rid: str, saddle: str, age: str) -> dict[str, Any]:
    questions = [
        {
            "id": "40001",
            "family": "single_choice",
            "heading": "Saddle numbness?",
            "answers": [{"choice_id": "c1", "simple_text": saddle}],
        },
        {
            "id": "40002",
            "family": "open_ended",
            "heading": "Age years?",
            "answers": [{"text": age, "simple_text": age}],
        },
        {"id": "40003", "heading": "Sudden sharp onset?", "answers": [{"simple_text": "Yes"}]},
        {"id": "40004", "heading": "Onset settling?", "answers": [{"simple_text": "No"}]},
    ]
    return {
        "id": rid,
        "response_status": "completed",
        "pages": [{"id": "p1", "questions": questions}],
    }


def test_surveymonkeys_responses_are_records_and_its_questions_are_not() -> None:
    """Each question has an id and 'answers': 109 results for 4 clients, no flag."""
    body = {
        "data": [_surveymonkey("r1", "Yes", "44"), _surveymonkey("r2", "No", "70")],
        "per_page": 50,
        "page": 1,
        "total": 2,
    }
    results = _results(json.dumps(body))
    assert [str(result["id"]) for result in results] == ["r1", "r2"]
    assert SADDLE_YES in _flags(results[0])
    assert ("fracture_risk_sudden_onset", "urgent", False) not in _flags(results[0])
    # The age in a list of one answer object is 70, beside a sudden onset: urgent.
    assert ("fracture_risk_sudden_onset", "urgent", False) in _flags(results[1])


@pytest.mark.parametrize("said", ["Yes - since Tuesday", "yes, left side", "yes (a bit)"])
def test_a_yes_with_a_detail_is_a_yes(said: str) -> None:
    result = _one({**SCREEN_CLEAR, "saddle_numbness": said})
    assert _flags(result) == [SADDLE_YES]
    assert any("starts with a yes" in warning["message"] for warning in result["warnings"])


@pytest.mark.parametrize("said", ["yes, I think", "yes but gone now", "yes, started 3 days ago"])
def test_any_yes_on_the_screen_is_a_yes(said: str) -> None:
    """A yes refers at least as high as "not sure": the careful reading (check 28)."""
    assert _flags(_one({**SCREEN_CLEAR, "saddle_numbness": said})) == [SADDLE_YES]


@pytest.mark.parametrize("said", ["yes, I think", "yes? not sure", "yes but not really"])
def test_a_doubted_yes_that_would_lower_a_flag_is_not_read_as_a_yes(said: str) -> None:
    """onset_settling's yes ("it eased") leaves a sudden onset's own flag out: a
    doubted one must not."""
    result = _one({**FRACTURE, "onset_settling": said})
    assert ("sudden_sharp_onset", "clinician", False) in _flags(result)


def test_a_yes_with_a_detail_never_eases_a_flag() -> None:
    """A yes that only eases a flag is read from a plain yes: no word list tells "Yes -
    clearly better each day" from "Yes it eased, though it flared up again" (check
    29, A-H7), so free text stays "not sure" and the flag stays, the careful side."""
    result = _one({**FRACTURE, "onset_settling": "Yes - clearly better each day"})
    assert ("sudden_sharp_onset", "clinician", False) in _flags(result)
    assert ("sudden_sharp_onset", "clinician", False) not in _flags(
        _one({**FRACTURE, "onset_settling": "yes"})
    )


BLANK_FOLLOW_UPS = {
    "chest_pain_now_or_at_rest": None,
    "chest_pain_with_exertion": "",
    "major_trauma": " ",
}


def test_a_follow_up_left_blank_after_a_no_was_never_asked() -> None:
    """A sheet's blank cells and pandas' nulls: every clear client was referred."""
    result = _one({**SCREEN_CLEAR, **BLANK_FOLLOW_UPS})
    assert result["status"] == "ok"
    assert result["errors"] == []


def test_a_follow_up_left_blank_after_a_yes_is_not_sure() -> None:
    told = {**SCREEN_CLEAR, **BLANK_FOLLOW_UPS, "upper_back_or_chest_pain": "yes"}
    flags = _flags(_one(told))
    assert ("chest_pain_now_or_at_rest", "urgent", True) in flags
    assert ("chest_pain_with_exertion", "urgent", True) in flags


def test_a_follow_up_said_not_sure_after_a_no_still_counts() -> None:
    told = {**SCREEN_CLEAR, "chest_pain_now_or_at_rest": "unsure"}
    assert _flags(_one(told)) == [("chest_pain_now_or_at_rest", "urgent", True)]


def test_a_comment_line_in_json_lines_is_called_a_comment() -> None:
    text = "# week 20, Monday group\n" + json.dumps({"id": "a", "answers": SCREEN_CLEAR}) + "\n"
    first, second = _results(text)
    assert "this line is a comment" in first["errors"][0]["expected"]
    assert second["status"] == "ok"


# -- check 27 (an attacker's, on 5948a3e) -------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "Saddle numbness (tell your coach)",
        "coach_checkin/saddle_numbness",
        "('coach_checkin', 'saddle_numbness')",
        "coach_checkin-saddle_numbness",
        "equipment_session/saddle_numbness",
        "after_kids_class/saddle_numbness",
        "Coach check [Saddle numbness]",
    ],
)
def test_a_word_about_someone_else_elsewhere_in_a_key_keeps_the_lifters_yes(key: str) -> None:
    """The guard against another's answer took these lifters' own yes (a regression)."""
    told = {**{k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"}, key: "yes"}
    assert SADDLE_YES in _flags(_one(told))


def test_a_note_that_says_not_a_relatives_is_the_lifters() -> None:
    told = {**{k: v for k, v in SCREEN_CLEAR.items() if k != "cancer_history"}}
    told["Cancer history (yours, not family)"] = "yes"
    assert ("cancer_history", "clinician", False) in _flags(_one(told))


def test_two_notes_with_a_stray_quote_do_not_take_the_records_between_them() -> None:
    """Inches in a note (5" back) broke two lines; rejoined by braces, every record
    between them was taken into one (a regression of the bare-yes rejoin)."""
    clients = [
        {"id": "ann", "note": 'seat 5" back', "answers": SCREEN_CLEAR},
        {"id": "bob", "answers": {**SCREEN_CLEAR, "saddle_numbness": "yes"}},
        {"id": "cal", "answers": FRACTURE},
        {"id": "dee", "note": 'feet 3" higher', "answers": SCREEN_CLEAR},
    ]
    text = "".join(json.dumps(c).replace('\\"', '"') + "\n" for c in clients)
    found = _by_id(_results(text))
    assert found["bob"] == [SADDLE_YES]
    assert found["cal"] == FRACTURE_FLAGS


def test_a_coachs_user_id_or_email_does_not_name_the_clients_rows() -> None:
    rows = [
        {
            "user_id": "coach-sam",
            "email": "sam@gym.example",
            "client_id": "ann",
            "saddle_numbness": "no",
        },
        {
            "user_id": "coach-sam",
            "email": "sam@gym.example",
            "client_id": "bob",
            "saddle_numbness": "yes",
        },
    ]
    results = _results(json.dumps({"exported": "2024-05-01", "rows": rows}))
    assert [str(result["id"]) for result in results] == ["ann", "bob"]


def test_a_sheet_with_a_title_row_above_its_header_is_read() -> None:
    values = [
        ["Week 20 check-ins"],
        [],
        ["id", "saddle_numbness", "age_years"],
        ["ann", "FALSE", "34"],
        ["bob", "TRUE", "41"],
    ]
    found = _by_id(_results(json.dumps({"range": "A1:C5", "values": values})))
    assert found == {"ann": [], "bob": [SADDLE_YES]}


def test_a_sheet_given_column_by_column_is_turned() -> None:
    values = [["id", "ann", "bob"], ["saddle_numbness", "FALSE", "TRUE"], ["age_years", "34", "41"]]
    body = {"range": "A1:C3", "majorDimension": "COLUMNS", "values": values}
    assert _by_id(_results(json.dumps(body))) == {"ann": [], "bob": [SADDLE_YES]}


def test_question_answer_pairs_as_lists_stay_one_records_answers() -> None:
    pairs = [["age_years", 41], ["saddle_numbness", "yes"], ["bladder_bowel_change", "no"]]
    results = _results(json.dumps({"id": "bob", "answers": pairs}))
    assert [str(result["id"]) for result in results] == ["bob"]
    assert _flags(results[0]) == [SADDLE_YES]


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        *[("Tak", "Nie"), ("Ano", "Ne"), ("Kyllä", "Ei"), ("Igen", "Nem"), ("Evet", "Hayır")],
        *[
            ("Да", "Нет"),
            ("Ναι", "Όχι"),
            ("はい", "いいえ"),
            ("SAND", "FALSK"),
            ("PRAWDA", "FAŁSZ"),
        ],
        ("Ja", "Nei"),
    ],
)
def test_yes_and_no_in_more_languages_are_read(yes: str, no: str) -> None:
    assert _flags(_one({**SCREEN_CLEAR, "saddle_numbness": yes})) == [SADDLE_YES]
    _stays_clear("saddle_numbness", no)


@pytest.mark.parametrize(
    ("system", "yes", "no"),
    [
        ("http://loinc.org", "LA33-6", "LA32-8"),
        ("http://snomed.info/sct", "373066001", "373067005"),
    ],
)
def test_a_coded_yes_or_no_is_read_before_its_display(system: str, yes: str, no: str) -> None:
    def coded(code: str) -> dict[str, Any]:
        return {"valueCoding": {"system": system, "code": code, "display": "Tak?"}}

    told = {**SCREEN_CLEAR, "saddle_numbness": "yes"}
    items = [
        _item(qid, None, coded(yes if answer == "yes" else no))
        for qid, answer in told.items()
        if qid != "age_years"
    ]
    (result,) = _results(_response(items))
    assert _flags(result) == [SADDLE_YES]


def test_a_checklists_ticked_question_names_are_each_a_yes() -> None:
    """["saddle_numbness", "bladder_bowel_change"] was read as one pair: "not sure"."""
    line = {"id": "bob", "answers": ["saddle_numbness", "bladder_bowel_change"]}
    (result,) = _results(json.dumps(line))
    assert _flags(result) == [SADDLE_YES, ("bladder_bowel_change", "emergency", False)]


# -- check 28 (a new user's, on 09d9ca7) --------------------------------------------


@pytest.mark.parametrize("said", ["yes, 38.4", "yes 38.4", "yes 🙁", "yes 🤒 (38.4)"])
def test_a_yes_with_a_number_or_an_emoji_is_a_yes(said: str) -> None:
    assert ("fever_or_unwell", "urgent", False) in _flags(
        _one({**SCREEN_CLEAR, "fever_or_unwell": said})
    )


def test_an_id_with_its_underscores_dropped_names_the_question() -> None:
    told = {k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"}
    assert _flags(_one({**told, "saddlenumbness": "yes"})) == [SADDLE_YES]


def test_timings_keyed_by_question_are_no_record() -> None:
    """Formbricks' "ttc" (milliseconds per question) was a second, urgent result."""
    response = {
        "id": "r1",
        "data": {"client": "tomas", **SCREEN_CLEAR},
        "ttc": {"age_years": 3100, "saddle_numbness": 2412, "_total": 7312},
    }
    results = _results(json.dumps({"event": "responseFinished", "data": response}))
    assert len(results) == 1
    assert results[0]["red_flags"] == []


def test_diagnose_many_takes_one_exports_object_as_the_advice_says() -> None:
    body = {
        "clients": [{"id": "a", "answers": {"saddle_numbness": "yes"}}, {"id": "b", "answers": {}}]
    }
    assert [str(result["id"]) for result in api.diagnose_many(body)] == ["a", "b"]  # type: ignore[arg-type]
