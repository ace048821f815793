"""Records as CRMs and form tools write them (check 28 on 09d9ca7).

HubSpot's form submissions (answers as a list of name/value pairs), Salesforce's
query answer (custom fields named ``..__c``, the client's age on a related record),
answers keyed by a form's field number with the question's name beside them under
any key (WPForms' ``fields``, Alchemer's ``survey_data``), and one person's form in
sections under any name (CommCare's groups, "Page1"/"Page2", "Background"): on
df0cc90 each merged clients, lost a warning sign or split a person so that the age
was not read beside a sudden onset. Each is compared here with the lifter written
plainly; what must stay apart (a client's check-ins, two clients) is tested too.
"""

from __future__ import annotations

import io
import json
from typing import Any

from legpress_diag import api

from .test_records_from_exports import FRACTURE, SCREEN_CLEAR


def _results(data: str | bytes) -> list[dict[str, Any]]:
    raw = data.encode() if isinstance(data, str) else data
    return list(api.diagnose_stream(io.BytesIO(raw)))


def _levels(results: list[dict[str, Any]]) -> dict[str, set[tuple[str, str, bool]]]:
    return {
        str(result["id"]): {(f["id"], f["level"], f["unsure"]) for f in result["red_flags"]}
        for result in results
    }


SADDLE = ("saddle_numbness", "emergency", False)
FRACTURE_FLAGS = {
    ("fracture_risk_sudden_onset", "urgent", False),
    ("sudden_sharp_onset", "clinician", False),
}
ANN = {**SCREEN_CLEAR, "age_years": 34}
BOB = {**SCREEN_CLEAR, "age_years": 41, "saddle_numbness": "yes"}
CAT = {**FRACTURE}


# -- HubSpot: answers as a list of name/value pairs ------------------------------------


def _hubspot(*clients: tuple[str, dict[str, Any]]) -> str:
    def value(answer: Any) -> str:
        return {"yes": "true", "no": "false"}.get(answer, str(answer))

    return json.dumps(
        {
            "results": [
                {
                    "conversionId": f"conv-{name}",
                    "submittedAt": 1715587200000 + index,
                    "values": [{"name": "firstname", "value": name, "objectTypeId": "0-1"}]
                    + [
                        {"name": key, "value": value(answer), "objectTypeId": "0-1"}
                        for key, answer in answers.items()
                    ],
                    "pageUrl": "https://gym.example/check-in",
                }
                for index, (name, answers) in enumerate(clients)
            ],
            "paging": {"next": {"after": "2"}},
        }
    )


def test_hubspot_submissions_are_each_a_record() -> None:
    """Read as one record, every client was merged: one result, the emergency
    "urgent, not sure", and clear clients inside a referral."""
    results = _results(_hubspot(("ann", ANN), ("bob", BOB), ("cat", CAT)))
    # No id of their own: named by their place, as the contract names such records.
    assert _levels(results) == {
        "results[0]": set(),
        "results[1]": {SADDLE},
        "results[2]": FRACTURE_FLAGS,
    }


def test_hubspot_submission_alone_is_read() -> None:
    submission = json.loads(_hubspot(("bob", BOB)))["results"][0]
    (result,) = _results(json.dumps(submission))
    assert _levels([result]) == {"1": {SADDLE}}


# -- Salesforce: ..__c fields, the age on a related record ------------------------------


def _salesforce_field(key: str) -> str:
    return "_".join(word.capitalize() for word in key.split("_")) + "__c"


def _salesforce(*clients: tuple[str, dict[str, Any]]) -> str:
    def row(index: int, name: str, answers: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {
            _salesforce_field(key): {"yes": True, "no": False}.get(answer, answer)
            for key, answer in answers.items()
            if key != "age_years"
        }
        return {
            "attributes": {"type": "Checkin__c", "url": f"/services/data/v59.0/x/a0B{index}"},
            "Id": f"a0B{index}",
            "Name": f"CI-{1000 + index}",
            "Client__r": {
                "attributes": {"type": "Contact", "url": "/x"},
                "Name": name,
                "Age__c": float(answers["age_years"]),
            },
            **fields,
        }

    records = [row(index, name, answers) for index, (name, answers) in enumerate(clients)]
    return json.dumps({"totalSize": len(records), "done": True, "records": records})


def test_salesforce_query_records_are_each_read_with_the_related_age() -> None:
    """One result stood for six clients; alone, a record's age on the related
    Contact was not read, and a sudden onset at 70 was referred as clinician."""
    results = _results(_salesforce(("ann", ANN), ("bob", BOB), ("cat", CAT)))
    assert _levels(results) == {"a0B0": set(), "a0B1": {SADDLE}, "a0B2": FRACTURE_FLAGS}


def test_a_salesforce_custom_field_is_read_as_its_question() -> None:
    (result,) = _results(json.dumps({"Id": "x1", "Saddle_Numbness__c": True}))
    assert _levels([result]) == {"x1": {SADDLE}}
    assert not any("did you mean" in w["message"] for w in result["warnings"])


# -- answers keyed by field number, the question's name beside -------------------------


def _numbered(answers: dict[str, Any], name: str = "name", value: str = "value") -> dict[str, Any]:
    return {
        str(number): {"id": number, name: key, value: answer, "type": "radio"}
        for number, (key, answer) in enumerate(answers.items(), start=1)
    }


def test_wpforms_fields_keyed_by_number_are_the_answers() -> None:
    """The same as under 'answers' was an emergency; under 'fields' an error with no
    flag, that read as screened."""
    lines = [
        {"entry_id": "bob", "fields": _numbered(BOB)},
        {"entry_id": "ann", "fields": _numbered(ANN)},
    ]
    results = _results("\n".join(json.dumps({"id": x["entry_id"], **x}) for x in lines))
    assert _levels(results) == {"bob": {SADDLE}, "ann": set()}
    # A record with no 'answers' is an error (its fields were read for the screen).
    assert results[1]["status"] == "error"
    assert not any("unknown" in w["message"] for w in results[1]["warnings"])


def test_alchemer_survey_data_with_questions_beside_answers() -> None:
    labels = {"saddle_numbness": "Saddle numbness", "age_years": "Age (years)"}
    body = {
        "result_ok": True,
        "total_count": "2",
        "data": [
            {
                "id": str(index),
                "status": "Complete",
                "url_variables": {"client": {"key": "client", "value": name, "type": "url"}},
                "survey_data": {
                    str(number): {
                        "id": number,
                        "type": "RADIO",
                        "question": labels.get(key, key),
                        "answer": {"yes": "Yes", "no": "No"}.get(answer, str(answer)),
                        "shown": True,
                    }
                    for number, (key, answer) in enumerate(answers.items(), start=2)
                },
            }
            for index, (name, answers) in enumerate([("bob", BOB), ("cat", CAT)], start=1)
        ],
    }
    assert _levels(_results(json.dumps(body))) == {"1": {SADDLE}, "2": FRACTURE_FLAGS}


# -- one person's form in sections under any name ---------------------------------------


def _in_sections(rid: str, answers: dict[str, Any], first: str, second: str) -> dict[str, Any]:
    about = {key: value for key, value in answers.items() if key == "age_years"}
    screen = {key: value for key, value in answers.items() if key != "age_years"}
    screen["pain_location"] = ["lower_back", "hips"]  # a multi-choice answer: a list
    return {"Id": rid, first: about, second: screen}


def test_a_form_in_sections_is_one_record_whatever_the_sections_are_called() -> None:
    """Split at its sections, the age was not beside the sudden onset: urgent was
    referred as clinician, and each section was one more result."""
    for first, second in [
        ("Page1", "Page2"),
        ("Background", "Questions"),
        ("Section1", "Section2"),
    ]:
        body = [
            _in_sections(rid, answers, first, second)
            for rid, answers in [("ann", ANN), ("bob", BOB), ("cat", CAT)]
        ]
        assert _levels(_results(json.dumps(body))) == {
            "ann": set(),
            "bob": {SADDLE},
            "cat": FRACTURE_FLAGS,
        }, (first, second)


def test_commcare_forms_are_one_record_each() -> None:
    def form(fid: str, name: str, answers: dict[str, Any]) -> dict[str, Any]:
        safety = {key: value for key, value in answers.items() if key != "age_years"}
        return {
            "id": fid,
            "form": {
                "@name": "Leg press check-in",
                "client_name": name,
                "age_years": str(answers["age_years"]),
                "safety": safety,
                "technique": {"rep_tempo": "fast"},
            },
            "received_on": "2024-05-13T08:05:12Z",
        }

    body = {
        "meta": {"limit": 20, "next": None, "offset": 0, "total_count": 2},
        "objects": [form("f3-9a", "cat", CAT), form("f4-9a", "ann", ANN)],
    }
    found = _levels(_results(json.dumps(body)))
    assert sorted(found.values(), key=len) == [set(), FRACTURE_FLAGS]
    assert len(found) == 2
    assert all(rid.startswith(("f3-9a", "f4-9a")) for rid in found)


def test_check_ins_asking_the_same_questions_stay_apart() -> None:
    """Sections ask different questions; a person's check-ins ask the same ones, and
    each is still its own result (the later clear week does not hide the first)."""
    body = {"id": "c2", "profile": {"age_years": 41}, "week1": BOB, "week2": ANN}
    results = _results(json.dumps(body))
    assert len(results) == 2
    assert [bool(r["red_flags"]) for r in results] == [True, False]


def test_two_clients_asking_the_same_questions_are_not_merged() -> None:
    body = {"id": "coach", "alice": ANN, "bob": BOB}
    results = _results(json.dumps(body))
    assert len(results) == 2
    assert {bool(r["red_flags"]) for r in results} == {True, False}


# -- JSON Lines of arrays: a header row, then a row per line ----------------------------


def _array_lines(clients: list[tuple[str, dict[str, Any]]], with_id: bool = True) -> str:
    keys = list(BOB)
    header = (["id"] if with_id else []) + keys
    rows = [
        ([name] if with_id else []) + [answers.get(key) for key in keys]
        for name, answers in clients
    ]
    return "\n".join(json.dumps(row) for row in [header, *rows]) + "\n"


def test_json_lines_of_arrays_under_a_header_line_are_records() -> None:
    """jsonlines.org's own example: every client was one error, every flag lost."""
    text = _array_lines([("ann", ANN), ("bob", BOB), ("cat", CAT)])
    results = _results(text)
    assert _levels(results) == {"ann": set(), "bob": {SADDLE}, "cat": FRACTURE_FLAGS}
    assert [r["line"] for r in results] == [2, 3, 4]


# -- field numbers named by labels given beside them ------------------------------------


_LABELS = {
    "age_years": "Age (years)",
    "saddle_numbness": "Saddle numbness",
    "sudden_sharp_onset": "Sudden sharp onset",
    "onset_settling": "Onset settling",
}


def _label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " ").capitalize())


def _word(answer: Any) -> str:
    return {"yes": "Yes", "no": "No"}.get(answer, str(answer))


def test_gravity_forms_entries_are_read_by_the_labels_beside_them() -> None:
    """Entries keyed "2", "3" with the labels in "_labels": five clients were one
    result with no flag."""
    keys = list(CAT | BOB)
    number = {key: str(index) for index, key in enumerate(keys, start=2)}
    entries = [
        {"id": rid, "form_id": "3", "1.3": rid, **{number[k]: _word(v) for k, v in answers.items()}}
        for rid, answers in [("100", ANN), ("101", BOB), ("102", CAT)]
    ]
    labels: dict[str, Any] = {"1": {"1.3": "First", "1.6": "Last"}}
    labels |= {number[key]: _label(key) for key in keys}
    body = {"total_count": 3, "entries": entries, "_labels": labels}
    assert _levels(_results(json.dumps(body))) == {
        "100": set(),
        "101": {SADDLE},
        "102": FRACTURE_FLAGS,
    }


def test_smartsheet_rows_are_read_by_their_columns_titles() -> None:
    """Cells {"columnId": ..., "value": ...} named by the sheet's columns: six
    clients were one error, "4583", with no flag."""
    keys = list(CAT | BOB)
    column = {key: 1001 + index for index, key in enumerate(keys)}
    columns = [{"id": 1000, "index": 0, "title": "Client", "primary": True}]
    columns += [{"id": column[key], "title": _label(key), "type": "CHECKBOX"} for key in keys]

    def cell(key: str, answer: Any) -> dict[str, Any]:
        value = {"yes": True, "no": False}.get(answer, answer)
        return {"columnId": column[key], "value": value, "displayValue": str(value)}

    rows = [
        {
            "id": 7000 + index,
            "rowNumber": index,
            "cells": [{"columnId": 1000, "value": name}] + [cell(k, v) for k, v in answers.items()],
        }
        for index, (name, answers) in enumerate([("ann", ANN), ("bob", BOB), ("cat", CAT)])
    ]
    body = {"id": 4583, "name": "Leg press check-ins", "columns": columns, "rows": rows}
    assert _levels(_results(json.dumps(body))) == {
        "7000": set(),
        "7001": {SADDLE},
        "7002": FRACTURE_FLAGS,
    }


def test_a_wufoo_entry_is_read_by_the_field_structure_sent_with_it() -> None:
    keys = list(CAT | BOB)
    field = {key: f"Field{index}" for index, key in enumerate(keys, start=3)}
    structure = {
        "Fields": [
            {
                "Title": "Name",
                "Type": "shortname",
                "ID": "Field1",
                "SubFields": [
                    {"Label": "First", "ID": "Field1"},
                    {"Label": "Last", "ID": "Field2"},
                ],
            },
        ]
        + [{"Title": _label(key), "Type": "radio", "ID": field[key]} for key in keys]
    }
    lines = [
        {
            "EntryId": str(index),
            "Field1": name,
            **{field[k]: _word(v) for k, v in answers.items()},
            "FieldStructure": json.dumps(structure),
        }
        for index, (name, answers) in enumerate([("ann", ANN), ("bob", BOB), ("cat", CAT)], 1)
    ]
    results = _results("\n".join(json.dumps(line) for line in lines))
    assert [_levels([r])[str(r["id"])] for r in results] == [set(), {SADDLE}, FRACTURE_FLAGS]
    assert all("labels given beside them" in str(r["warnings"]) for r in results)


def test_labels_are_never_read_from_a_records_own_words() -> None:
    """Only a map from field references to labels names a field: a note whose words
    name a question, or an object keyed by words, beside a key "3", changes nothing."""
    record = {
        "id": "x",
        "3": "yes",
        "comment": {"text": "Saddle numbness", "by": "coach"},
        "note": "Saddle numbness was asked about on the phone and she said no",
    }
    (result,) = _results(json.dumps(record))
    assert ("saddle_numbness", "emergency", False) not in _levels([result])["x"]
    labelled = {**record, "labels": {"3": "Saddle numbness"}}
    (result,) = _results(json.dumps(labelled))
    assert ("saddle_numbness", "emergency", False) in _levels([result])["x"]


def test_a_keep_checklist_reads_ticked_as_yes_and_unticked_as_no() -> None:
    def note(title: str, answers: dict[str, Any]) -> dict[str, Any]:
        items = [
            {"text": f"{key}: {value}", "isChecked": False}
            if value not in ("yes", "no")
            else {"text": key, "isChecked": value == "yes"}
            for key, value in answers.items()
        ]
        return {"color": "DEFAULT", "isTrashed": False, "title": title, "listContent": items}

    text = "\n".join(
        json.dumps(note(name, a)) for name, a in [("ann", ANN), ("bob", BOB), ("cat", CAT)]
    )
    results = _results(text)
    assert [_levels([r])[str(r["id"])] for r in results] == [set(), {SADDLE}, FRACTURE_FLAGS]


# -- a yes on the safety screen, whatever follows it --------------------------------------


def test_a_yes_with_a_long_story_or_a_question_mark_is_a_yes_on_the_screen() -> None:
    """Past 200 characters, or with "?" straight after it, the yes was "not sure":
    an emergency lowered to urgent (check 28, A-H3)."""
    story = "Yes, " + "it is numb on both sides when I sit on the pad, " * 8
    for said in [story, "Yes? It started Tuesday", "yes;", "(yes) left side"]:
        (result,) = _results(json.dumps({"id": "b", "answers": {**BOB, "saddle_numbness": said}}))
        assert SADDLE in _levels([result])["b"], said
    assert len(story) > 200


def test_a_long_yes_does_not_ease_a_flag_it_would_lower() -> None:
    """onset_settling's yes lowers a flag: a long story after it is not read as one."""
    story = "Yes, " + "it settled a bit but then it came back worse and worse, " * 5
    answers = {**CAT, "onset_settling": story}
    (result,) = _results(json.dumps({"id": "c", "answers": answers}))
    assert ("fracture_risk_sudden_onset", "urgent", False) in _levels([result])["c"]


# -- a workbook's sheets joined by the client's id -----------------------------------------


def test_a_profile_sheet_is_joined_to_the_check_in_sheet_by_id() -> None:
    """Apps Script's {"Profile": [[id, age_years], ...], "Checkin": [...]}: the ages
    (a two-column sheet, taken for question/answer pairs) were dropped without a word,
    and a sudden onset at 70 was referred as clinician (check 27, M4)."""
    keys = [key for key in CAT if key != "age_years"]
    clients = [("ann", ANN), ("cat", CAT), ("cat", {**CAT, "sudden_sharp_onset": "no"})]
    body = {
        "Profile": [["id", "age_years"], ["ann", 34], ["cat", 70], ["dan", 55]],
        "Checkin": [["id", *keys]] + [[rid, *(a[k] for k in keys)] for rid, a in clients],
    }
    results = _results(json.dumps(body))
    flags = [(r["id"], _levels([r])[str(r["id"])]) for r in results]
    # cat's two check-ins each take her age; dan, in no check-in, is still a row.
    assert [f for f in flags if f[0] != "dan"] == [
        ("ann", set()),
        ("cat", FRACTURE_FLAGS),
        ("cat", set()),
    ]
    assert sorted(str(r["id"]) for r in results) == ["ann", "cat", "cat", "dan"]


def test_two_sheets_asking_the_same_questions_are_not_joined() -> None:
    keys = list(BOB)
    body = {
        "Week1": [["id", *keys], ["bob", *(BOB[k] for k in keys)]],
        "Week2": [["id", *keys], ["bob", *(ANN.get(k, "no") for k in keys)]],
    }
    results = _results(json.dumps(body))
    assert [bool(r["red_flags"]) for r in results] == [True, False]


def test_a_pandas_table_by_columns_is_named_by_its_client_column() -> None:
    """pandas' default to_json() of a frame with a 'client' column: rows named 0 to 3."""
    clients = [("ann", ANN), ("bob", BOB)]
    body: dict[str, Any] = {"client": {str(i): name for i, (name, _) in enumerate(clients)}}
    body["email"] = {str(i): "coach@gym.example" for i in range(len(clients))}
    for key in BOB:
        body[key] = {str(i): answers[key] for i, (_, answers) in enumerate(clients)}
    assert _levels(_results(json.dumps(body))) == {"ann": set(), "bob": {SADDLE}}


def test_an_item_that_gives_its_answer_is_never_read_by_its_tick() -> None:
    """A to-do app's {"text": ..., "checked": false, "value": "yes"}: read by the
    tick, the yes would be a no."""
    from legpress_diag.intake.salvage import answers_in

    found, _ = answers_in([{"text": "saddle_numbness", "checked": False, "value": "yes"}])
    assert found.get("saddle_numbness") != "no"
    found, _ = answers_in([{"text": "saddle_numbness", "checked": False}])
    assert found == {"saddle_numbness": "no"}


# -- a UTF-16 line with a long note in Chinese ---------------------------------------------


def test_a_utf16_line_with_a_long_chinese_note_is_read() -> None:
    """PowerShell's >> appends UTF-16 with no BOM; a note of 1,320 CJK characters
    (some with a NUL low byte, U+4E00) left too few NUL high bytes for the line to be
    taken for UTF-16, its commas (U+FF0C, bytes 0C FF) cut it, and the client's
    emergency was lost among 120 errors."""
    note = ("一二三四五六七八九十，" + "腰背疼痛，练习时出现。") * 60
    first = json.dumps({"id": "ann", "answers": ANN}) + "\n"
    second = json.dumps({"id": "bob", "note": note, "answers": BOB}, ensure_ascii=False) + "\n"
    data = first.encode() + second.encode("utf-16-le")
    assert second.encode("utf-16-le")[1::2].count(0) < 0.6 * (len(second) - 1)
    assert _levels(_results(data)) == {"ann": set(), "bob": {SADDLE}}


# -- check 29: what must stay apart, and what eases a flag -------------------------------


def test_clients_keyed_by_name_who_answered_different_questions_stay_apart() -> None:
    """Read as one person's form in sections, two clients were merged, and one's "it
    settled" eased the other's sudden onset away (check 29, A-H1: a regression of
    d8a9155)."""
    for body in [
        {"bob": {"saddle_numbness": "yes"}, "dan": {"leg_pain_below_knee": "yes"}},
        {"hal": {"sudden_sharp_onset": "yes", "age_years": 25}, "ivy": {"onset_settling": "yes"}},
        {"coach": "sam", "09:00": {"saddle_numbness": "yes"}, "10:00": {"age_years": 70}},
    ]:
        results = _results(json.dumps(body))
        assert len(results) >= 2, body
    (hal, _) = _results(
        json.dumps(
            {
                "hal": {"sudden_sharp_onset": "yes", "age_years": 25},
                "ivy": {"onset_settling": "yes"},
            }
        )
    )
    assert ("sudden_sharp_onset", "clinician", False) in _levels([hal])["hal"]


def test_a_user_column_never_names_a_tables_rows() -> None:
    """A 'user' column before 'client' filed every client under the coach (check 29,
    A-H6: a regression of d8a9155)."""
    body: dict[str, Any] = {"user": {"0": "coach_sam", "1": "coach_sam"}}
    body["client"] = {"0": "ann", "1": "bob"}
    for key in BOB:
        body[key] = {"0": ANN.get(key, "no"), "1": BOB[key]}
    assert _levels(_results(json.dumps(body))) == {"ann": set(), "bob": {SADDLE}}


def test_free_text_never_eases_a_flag() -> None:
    """onset_settling's yes eases a sudden onset: "yes; worse now" did (check 29,
    A-H7)."""
    said_so: list[Any] = ["yes; worse now", "Yes, but it came back worse"]
    for said in [*said_so, {"value": "Yes - it eased, then worse"}, ["Yes, then worse"]]:
        (result,) = _results(json.dumps({"id": "h", "answers": {**CAT, "onset_settling": said}}))
        assert _levels([result])["h"] >= FRACTURE_FLAGS, said


def test_a_boxed_yes_with_a_detail_stays_a_yes_on_the_screen() -> None:
    """{"value": "Yes, still numb"}: a word list that doubted a boxed yes to ease
    onset_settling lowered this emergency to urgent (found reviewing 28f16c9)."""
    for said in ["Yes, still numb", "Yes but only on the left", "Yes - left side"]:
        (result,) = _results(
            json.dumps({"id": "s", "answers": {**BOB, "saddle_numbness": {"value": said}}})
        )
        assert SADDLE in _levels([result])["s"], said


# -- check 29: JSON Lines of arrays as people really have them ----------------------------


def test_json_lines_of_arrays_keep_their_rows_past_a_bad_line_and_a_second_header() -> None:
    keys = list(BOB)
    header = json.dumps(["id", *keys])
    rows = {
        name: json.dumps([name, *(answers.get(k) for k in keys)])
        for name, answers in [("ann", ANN), ("bob", BOB), ("cat", CAT)]
    }
    cut = rows["ann"][: len(rows["ann"]) // 2]
    # a line cut short, then `cat` of a second dump with its header in another order
    swapped = list(reversed(keys))
    second = json.dumps(["id", *swapped])
    cat_row = json.dumps(["cat", *(CAT.get(k) for k in swapped)])
    text = "\n".join([header, cut, rows["bob"], second, cat_row]) + "\n"
    found = _levels(_results(text))
    assert found["bob"] == {SADDLE}
    assert found["cat"] == FRACTURE_FLAGS
    assert "id" not in found
    commas = "\n".join(line + "," for line in [header, rows["ann"], rows["bob"]]) + "\n"
    assert _levels(_results(commas)) == {"ann": set(), "bob": {SADDLE}}


# -- check 29: more tools ----------------------------------------------------------------


def test_a_ticked_choice_that_gives_its_own_text_is_a_yes() -> None:
    """Gravity Forms' checkbox sub-input "5.1": "Saddle numbness" (ticked) was "not sure"."""
    body = {
        "entries": [{"id": "102", "5.1": "Saddle numbness", "5.2": "", "6": "No"}],
        "_labels": {
            "5": {"5.1": "Saddle numbness", "5.2": "Leg pain below knee"},
            "6": "Sudden sharp onset",
        },
    }
    assert SADDLE in _levels(_results(json.dumps(body)))["102"]


def test_custom_field_lists_name_their_questions() -> None:
    """Mindbody's "Name"/"Value", Asana's "display_value", monday.com's column title
    with its value as JSON text, Trello's items named by the board's custom fields:
    each was one error with no flag (check 29, U-H2)."""
    mindbody = {
        "Clients": [
            {
                "Id": "1",
                "CustomClientFields": [{"Value": "Yes", "Id": 11, "Name": "Saddle numbness"}],
            }
        ]
    }
    asana = {
        "data": [
            {
                "gid": "1",
                "custom_fields": [{"gid": "9", "name": "Saddle numbness", "display_value": "Yes"}],
            }
        ]
    }
    monday = {
        "items": [
            {
                "id": "1",
                "column_values": [
                    {
                        "id": "checkbox1",
                        "text": "v",
                        "value": '{"checked":true}',
                        "column": {"title": "Saddle numbness"},
                    }
                ],
            }
        ]
    }
    trello = {
        "customFields": [{"id": "cf1", "name": "Saddle numbness"}],
        "cards": [
            {
                "id": "1",
                "customFieldItems": [
                    {"id": "i1", "idCustomField": "cf1", "value": {"checked": "true"}}
                ],
            }
        ],
    }
    for body in (mindbody, asana, monday, trello):
        (result,) = _results(json.dumps(body))
        assert SADDLE in _levels([result])[str(result["id"])], body


def test_rust_enums_labels_with_joining_words_and_openehr_values() -> None:
    lines = [
        {
            "id": "r",
            "answers": {"saddle_numbness": {"YesNo": "Yes"}, "age_years": {"Number": 41.0}},
        },
        {"id": "b", "answers": {"Bladder or bowel change": "Yes"}},
        {
            "id": "o",
            "legpress/screen/saddle_numbness|value": "Present",
            "legpress/screen/saddle_numbness|code": "at0002",
        },
    ]
    found = _levels(_results("\n".join(json.dumps(line) for line in lines)))
    assert found["r"] == {SADDLE}
    assert found["b"] == {("bladder_bowel_change", "emergency", False)}
    assert found["o"] == {SADDLE}
    (clear,) = _results(
        json.dumps({"id": "t", "answers": {**ANN, "saddle_numbness": {"YesNo": "No"}}})
    )
    assert clear["status"] == "ok"


def test_cliniko_patient_forms_are_records_and_their_chosen_options_answers() -> None:
    """Cliniko's "content": {"sections": [{"questions": [...]}]}, each question's
    options marked "selected": read a question at a time, 150 errors for 6 clients
    and no flag (check 29, U-H1)."""

    def question(key: str, answer: Any) -> dict[str, Any]:
        if answer in ("yes", "no"):
            options = [{"value": "Yes"}, {"value": "No"}]
            options[0 if answer == "yes" else 1]["selected"] = True
            return {"name": _label(key), "type": "radiobuttons", "answers": options}
        return {"name": _label(key), "type": "text", "answer": str(answer)}

    forms = [
        {
            "id": fid,
            "name": "Leg press back pain intake",
            "content": {
                "sections": [
                    {
                        "name": "Safety screen",
                        "questions": [
                            question(k, v) for k, v in answers.items() if not isinstance(v, list)
                        ],
                    }
                ]
            },
            "patient_name": name,
        }
        for fid, name, answers in [("f1", "ann", ANN), ("f2", "bob", BOB), ("f3", "cat", CAT)]
    ]
    found = _levels(_results(json.dumps({"patient_forms": forms})))
    assert found == {"f1": set(), "f2": {SADDLE}, "f3": FRACTURE_FLAGS}


def test_a_fhir_bundle_of_observations_is_a_record_per_patient() -> None:
    def observation(patient: str, key: str, answer: Any) -> dict[str, Any]:
        value: dict[str, Any]
        if answer in ("yes", "no"):
            value = {"valueBoolean": answer == "yes"}
        elif isinstance(answer, int | float):
            value = {"valueQuantity": {"value": answer, "unit": "a"}}
        else:
            value = {"valueString": str(answer)}
        return {
            "resource": {
                "resourceType": "Observation",
                "status": "final",
                "code": {"coding": [{"code": key}], "text": _label(key)},
                "subject": {"reference": f"Patient/{patient}"},
                **value,
            }
        }

    entries = [
        observation(p, k, v)
        for p, a in [("ann", ANN), ("bob", BOB), ("cat", CAT)]
        for k, v in a.items()
        if not isinstance(v, list)
    ]
    body = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    found = _levels(_results(json.dumps(body)))
    assert found == {"ann": set(), "bob": {SADDLE}, "cat": FRACTURE_FLAGS}


def test_a_multi_select_of_the_screens_questions_is_a_yes_to_each() -> None:
    """ "Which of these do you have?": ["Saddle numbness"] under a key that names no
    question: the emergency was lost, 'no_fault_found' (check 29, A-M1). A list of
    other words is left alone."""
    said = {**ANN, "Which of these do you have?": ["Saddle numbness", "Leg pain below knee"]}
    del said["saddle_numbness"]
    (result,) = _results(json.dumps({"id": "v", "answers": said}))
    assert SADDLE in _levels([result])["v"]
    (other,) = _results(json.dumps({"id": "w", "answers": {**ANN, "Gym days": ["Mon", "Thu"]}}))
    assert other["status"] == "ok"


def test_an_alchemer_table_questions_rows_are_the_responses_answers() -> None:
    """A table question ("subquestions") was taken for a record: every response was
    filed under its id "7", and the age beside it was lost (check 29, A-H4)."""

    def response(rid: str, answers: dict[str, Any]) -> dict[str, Any]:
        rows = {
            str(10 + n): {
                "id": 10 + n,
                "type": "RADIO",
                "parent": 7,
                "question": _label(k),
                "answer": _word(v),
                "shown": True,
            }
            for n, (k, v) in enumerate(answers.items())
            if k != "age_years"
        }
        return {
            "id": rid,
            "status": "Complete",
            "survey_data": {
                "2": {
                    "id": 2,
                    "type": "TEXTBOX",
                    "question": "Age (years)",
                    "answer": str(answers["age_years"]),
                    "shown": True,
                },
                "7": {
                    "id": 7,
                    "type": "parent",
                    "question": "In the last weeks, have you had:",
                    "subquestions": rows,
                    "shown": True,
                },
            },
        }

    keys = ["age_years", "saddle_numbness", "sudden_sharp_onset", "onset_settling"]
    body = {
        "result_ok": True,
        "data": [
            response(rid, {k: a[k] for k in keys})
            for rid, a in [("11", ANN), ("12", BOB), ("13", CAT)]
        ],
    }
    found = _levels(_results(json.dumps(body)))
    assert found == {"11": set(), "12": {SADDLE}, "13": FRACTURE_FLAGS}


# -- check 30: regressions of 28f16c9, and exports with a slip ------------------------------


def test_one_observation_among_records_keeps_every_record() -> None:
    """An array of clients' records with one FHIR Observation in it gave one result and
    exit 0: every client was dropped (check 30, A-R1)."""
    observation = {
        "resourceType": "Observation",
        "code": {"coding": [{"code": "age_years"}]},
        "subject": {"reference": "Patient/eve"},
        "valueInteger": 30,
    }
    body = [{"id": "ann", "answers": ANN}, {"id": "bob", "answers": BOB}, observation]
    found = _levels(_results(json.dumps(body)))
    assert found["ann"] == set() and found["bob"] == {SADDLE}
    assert "eve" in found


def test_a_list_of_names_or_a_tick_never_eases_a_flag() -> None:
    """ "not_asked": ["Onset settling"] and a ticked "Onset settling" read as its yes
    eased a sudden onset away (check 30, A-R2, A-R3)."""
    for key in ["not_asked", "ruled_out", "none_of_these", "to_ask_next_time", "Checked"]:
        (result,) = _results(
            json.dumps(
                {"id": "h", "answers": {**CAT, "onset_settling": None, key: ["Onset settling"]}}
            )
        )
        assert ("sudden_sharp_onset", "clinician", False) in _levels([result])["h"], key
    flat = {
        "id": "t",
        **{k: v for k, v in CAT.items() if k != "onset_settling"},
        "notes": [{"text": "Onset settling", "checked": True}],
    }
    (ticked,) = _results(json.dumps(flat))
    assert ("sudden_sharp_onset", "clinician", False) in _levels([ticked])["t"]


def test_a_note_that_names_a_question_does_not_make_a_row_a_header() -> None:
    keys = ["id", "age_years", "saddle_numbness", "note"]
    rows = [
        keys,
        ["ann", "34", "no", "fine"],
        ["bob", "41", "yes", "Not improving"],
        ["cat", "70", "yes", "ok"],
    ]
    text = "\n".join(json.dumps(row) for row in rows) + "\n"
    found = _levels(_results(text))
    assert SADDLE in found["bob"] and SADDLE in found["cat"]


def test_observations_are_grouped_by_any_form_of_their_subject() -> None:
    def observation(subject: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "code": {"coding": [{"code": key}]},
            "subject": subject,
            "valueBoolean" if isinstance(value, bool) else "valueInteger": value,
        }

    entries = [
        observation({"reference": "Patient/ann/_history/1"}, "saddle_numbness", False),
        observation({"reference": "Patient/bob/_history/1"}, "saddle_numbness", True),
        observation({"identifier": {"value": "cat"}}, "saddle_numbness", False),
    ]
    body = {"resourceType": "Bundle", "entry": [{"resource": e} for e in entries]}
    found = _levels(_results(json.dumps(body)))
    # An identifier is named apart from a reference: Patient/1001 and record number
    # 1001 were merged as one person (check 31, H5).
    assert set(found) == {"ann", "bob", "identifier cat"} and found["bob"] == {SADDLE}


def test_an_export_with_a_stray_comma_keeps_its_records() -> None:
    """A HubSpot (or Cliniko, FHIR) export with one comma before a closing bracket lost
    every flag (check 30, U-H1 to U-H5)."""
    whole = json.dumps(json.loads(_hubspot(("ann", ANN), ("bob", BOB), ("cat", CAT))), indent=1)
    comma = whole.replace("\n ],\n", "\n ,],\n", 1)
    assert comma != whole
    results = _results(comma)
    found = _levels(results)
    assert found == {"results[0]": set(), "results[1]": {SADDLE}, "results[2]": FRACTURE_FLAGS}
    assert all("comma(s) before a closing bracket" in str(r["warnings"]) for r in results)


def test_an_export_cut_inside_a_record_never_reads_it_as_whole() -> None:
    """Closed at its last whole part, a wrapper cut inside bob's answers read bob as a
    whole record with no flag, and his emergency under another id (check 31, H1)."""
    bob = {"pain_location": ["lower_back"], **BOB}  # a list, then the sign, then the cut
    text = json.dumps({"clients": [{"id": "ann", "answers": ANN}, {"id": "bob", "answers": bob}]})
    cut = text[: text.index('"saddle_numbness"', text.index('"bob"')) + 30]
    found = _levels(_results(cut))
    assert found.get("bob", {SADDLE}) != set()


def test_a_multi_select_under_any_title_is_read() -> None:
    """A title with "no" or "not" in it ("Any of these, even if not sure?") skipped the
    list, and the emergency was lost (check 31, H4); an option that names no question
    is left out, the others read."""
    for title in [
        "Any of these, even if not sure?",
        "Red flags - answer yes or no",
        "Do you have any of these, no matter how mild?",
    ]:
        said = {k: v for k, v in ANN.items() if k != "saddle_numbness"}
        said[title] = ["Saddle numbness", "Something else"]
        (result,) = _results(json.dumps({"id": "a", "answers": said}))
        assert SADDLE in _levels([result])["a"], title
    # A short key that says its names were not said is no one's yes (check 30).
    for key in ["symptoms_denied", "ruled_out", "Not present", "negatives"]:
        (clear,) = _results(json.dumps({"id": "c", "answers": {**ANN, key: ["Saddle numbness"]}}))
        assert clear["status"] == "ok", key
