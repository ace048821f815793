"""Answers written where other tools put them, read as the answers they are (check 20's
highs left on 1d77a2b, and check 19's line-reading ones).

Each story is a lifter's yes to a warning sign, written the way a form tool, a coach's
script or an editor left it: boxed in an object, in Typeform's answer list, under
'measured', in a 'profile' group beside the check-in, in a note typed with Enter, in a
record commented out above an array, in a pretty array appended to JSON Lines. Before,
each lowered or lost the sign (an emergency referred as urgent, or not at all). Each
case is compared with the same lifter written plainly.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.intake.records import is_json_lines

from .test_records_from_exports import FRACTURE, SADDLE, SCREEN_CLEAR


def _results(data: bytes | str) -> list[dict[str, Any]]:
    raw = data.encode() if isinstance(data, str) else data
    results = list(api.diagnose_stream(io.BytesIO(raw)))
    if is_json_lines(io.BytesIO(raw)):
        # The cluster path reads JSON Lines the same way, block by block too.
        part = api.diagnose_partition(api.numbered_lines(raw))
        assert [(r["id"], r["red_flags"]) for r in part] == [
            (r["id"], r["red_flags"]) for r in results
        ]
    return results


def _top(result: dict[str, Any]) -> tuple[str, bool] | None:
    """The first (most urgent) flag's level, and whether it was read as a guess."""
    flags = result["red_flags"]
    return (flags[0]["level"], flags[0]["unsure"]) if flags else None


def _plain(answers: dict[str, Any]) -> tuple[str, bool] | None:
    return _top(_results(json.dumps({"id": "x", "answers": answers}))[0])


# -- answers boxed in an object -----------------------------------------------------


@pytest.mark.parametrize(
    "boxed",
    [{"answer": "yes"}, {"value": "yes"}, {"value": "Yes", "type": "choice", "confidence": 0.9}],
)
def test_an_answer_boxed_in_an_object_is_read_as_its_value(boxed: dict[str, Any]) -> None:
    """{"answer": "yes"} was an invalid answer, "not sure": urgent, not emergency."""
    (result,) = _results(json.dumps({"id": "c1", "answers": {**SADDLE, "saddle_numbness": boxed}}))
    assert _top(result) == ("emergency", False) == _plain(SADDLE)
    assert result["errors"] == []
    assert any("inside an object" in w["message"] for w in result["warnings"])


def test_a_boxed_age_is_the_number_it_holds() -> None:
    answers = {**FRACTURE, "age_years": {"value": 70}}
    (result,) = _results(json.dumps({"id": "c7", "answers": answers}))
    assert _top(result) == ("urgent", False) == _plain(FRACTURE)


@pytest.mark.parametrize(
    ("box", "top"),
    [
        ({"value": "no", "answer": "yes"}, ("emergency", False)),
        ({"value": "no", "previous": "yes"}, ("emergency", False)),
        ({"answer": {"choice": {"label": "Yes"}}, "id": "q1"}, ("emergency", False)),
        ({"values": ["no", "unsure"]}, ("urgent", True)),
        ({"value": "maybe"}, ("urgent", True)),
    ],
    ids=["two-fields", "previous-yes", "nested-label", "no-and-unsure", "unreadable"],
)
def test_an_object_holding_several_answers_is_read_the_careful_way(
    box: dict[str, Any], top: tuple[str, bool]
) -> None:
    """A yes is never undone by a "no" beside it (a previous answer, a second field):
    read as the "no", an emergency gave 'no_fault_found' (check 21); nothing readable
    is an invalid answer, "not sure"."""
    answers = {**SCREEN_CLEAR, "saddle_numbness": box}
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    assert result["id"] == "c1"
    assert _top(result) == top


def test_an_age_box_holding_two_ages_reads_the_higher() -> None:
    answers = {**FRACTURE, "age_years": {"value": 30, "previous": 70, "order": 2}}
    (result,) = _results(json.dumps({"id": "c7", "answers": answers}))
    assert _top(result) == ("urgent", False)


# -- Typeform's answer list ---------------------------------------------------------


def _typeform(answers: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
    for key, value in answers.items():
        if isinstance(value, int):
            items.append(
                {"field": {"id": "f" + key[:3], "ref": key}, "type": "number", "number": value}
            )
        else:
            choice = {"label": value.capitalize()}
            items.append(
                {"field": {"id": "f" + key[:3], "ref": key}, "type": "choice", "choice": choice}
            )
    return items


@pytest.mark.parametrize("story", [SADDLE, FRACTURE], ids=["saddle", "fracture"])
def test_a_typeform_answer_list_is_screened(story: dict[str, Any]) -> None:
    """An error (the contract's answers are an object), but its signs are read: each
    such client was an error with no flag."""
    export = {"total_items": 1, "items": [{"id": "tf-1", "answers": _typeform(story)}]}
    (result,) = _results(json.dumps(export))
    assert result["status"] == "refer"
    assert _top(result) == _plain(story)


def test_a_typeform_answer_written_with_value_is_screened() -> None:
    item = {"field": {"ref": "saddle_numbness"}, "type": "choice", "value": "yes"}
    (result,) = _results(json.dumps({"id": "tf-2", "answers": [item]}))
    assert _top(result) == ("emergency", False)


# -- a safety answer under 'measured' -----------------------------------------------


def _measured(value: Any) -> dict[str, Any]:
    return {"value": value, "confidence": 0.9, "evidence": "typed in by another tool"}


def test_a_yes_under_measured_is_read_and_never_dropped() -> None:
    """No camera sees a bladder change; a record that says yes there was dropped in
    silence: 'no_fault_found'."""
    record = {"id": "c6", "answers": {}, "measured": {"bladder_bowel_change": _measured("yes")}}
    (result,) = _results(json.dumps(record))
    assert result["status"] == "refer"
    assert _top(result) == ("emergency", False)
    assert any("'measured'" in w["message"] for w in result["warnings"])


def test_a_no_under_measured_clears_nothing() -> None:
    """A measurement cannot clear a warning sign: the question stays unanswered."""
    record = {"id": "c6", "answers": {}, "measured": {"bladder_bowel_change": _measured("no")}}
    (result,) = _results(json.dumps(record))
    incomplete = [w for w in result["warnings"] if w["key"] == "safety_screen_incomplete"]
    assert "bladder_bowel_change" in incomplete[0]["message"]


def test_an_age_under_measured_is_the_number() -> None:
    answers = {k: v for k, v in FRACTURE.items() if k != "age_years"}
    record = {"id": "c7", "answers": answers, "measured": {"age_years": _measured(70)}}
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("urgent", False) == _plain(FRACTURE)


def test_the_lifters_own_no_beside_a_measured_yes_is_not_sure() -> None:
    record = {
        "id": "c6",
        "answers": SCREEN_CLEAR,
        "measured": {"saddle_numbness": _measured("yes")},
    }
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("urgent", True)


# -- an age or a sign in a group beside the answers ---------------------------------


def _no_age(story: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in story.items() if k != "age_years"}


@pytest.mark.parametrize(
    "record",
    [
        {"id": "c7", "profile": {"age_years": 70}, "answers": _no_age(FRACTURE)},
        {"id": "c7", "profile": {"age_years": 70}, "checkin": {"answers": _no_age(FRACTURE)}},
        {"id": "c7", "age_years": 70, "checkins": [_no_age(FRACTURE)]},
        {"id": "c7", "age_years": 70, "onset": _no_age(FRACTURE)},
    ],
    ids=["profile-beside-answers", "profile-beside-checkin", "flat-checkins", "flat-group"],
)
def test_an_age_and_a_sudden_onset_in_groups_are_read_together(record: dict[str, Any]) -> None:
    """Read apart, or the age "not sure", the urgent combination was clinician (or an
    urgent guess)."""
    results = _results(json.dumps(record))
    assert [r["id"] for r in results] == ["c7"]
    assert _top(results[0]) == ("urgent", False) == _plain(FRACTURE)


def test_groups_in_a_client_of_an_export_are_that_client() -> None:
    client = {"id": "c7", "profile": {"age_years": 70}, "checkin": {"answers": _no_age(FRACTURE)}}
    export = {"exported": "today", "clients": [client, {"id": "c3", "answers": SADDLE}]}
    results = _results(json.dumps(export, indent=2))
    assert [(r["id"], _top(r)) for r in results] == [
        ("c7", ("urgent", False)),
        ("c3", ("emergency", False)),
    ]


def test_a_younger_age_in_a_profile_is_no_fracture_risk() -> None:
    """The number is the lifter's answer both ways: 30 is not 65 or over."""
    record = {"id": "c7", "profile": {"age_years": 30}, "answers": _no_age(FRACTURE)}
    (result,) = _results(json.dumps(record))
    assert [f["id"] for f in result["red_flags"]] == ["sudden_sharp_onset"]


def test_check_ins_with_ids_of_their_own_stay_apart() -> None:
    """Groups that are records of their own (an id each) are not one person's."""
    export = {
        "id": "coach-7",
        "monday": {"id": "c1", "answers": SADDLE},
        "friday": {"id": "c2", "answers": SCREEN_CLEAR},
    }
    assert [r["id"] for r in _results(json.dumps(export))] == ["c1", "c2"]


# -- records cut over lines ---------------------------------------------------------


def test_a_note_whose_next_line_starts_with_a_brace_is_one_record() -> None:
    """An Enter in a note, then a line that starts '{': split, the emergency was filed
    under the next line's number and the note's record lost it."""
    text = (
        '{"id": "n3", "note": "hurt\n{i think} popped", "answers": {"saddle_numbness": "yes"}}\n'
        '{"id": "n4", "answers": {"age_years": 70, "comment": "a\n{b}", '
        '"sudden_sharp_onset": "yes", "onset_settling": "no"}}\n'
    )
    results = _results(text)
    assert [(r["id"], r["line"], _top(r)) for r in results] == [
        ("n3", 1, ("emergency", False)),
        ("n4", 3, ("urgent", False)),
    ]


def test_the_cluster_path_keeps_a_note_with_a_brace_in_one_block(tmp_path: Any) -> None:
    note = '{"id": "n3", "note": "hurt\n{i think} popped", "answers": {"saddle_numbness": "yes"}}\n'
    path = tmp_path / "notes.jsonl"
    path.write_text(note * 3)
    data = path.read_bytes()
    want = [(r["id"], r["red_flags"]) for r in api.diagnose_stream(io.BytesIO(data))]
    for size in (1, 40, 100):
        got = []
        for offset, length, first in api.line_blocks(path, size):
            block = api.numbered_lines(data[offset : offset + length], first)
            got += [(r["id"], r["red_flags"]) for r in api.diagnose_partition(block)]
        assert got == want, size


def test_a_record_commented_out_above_an_array_is_screened() -> None:
    text = "# " + json.dumps({"id": "c1", "answers": SADDLE}) + "\n"
    text += json.dumps([{"id": "c2", "answers": SCREEN_CLEAR}], indent=2)
    results = _results(text)
    assert [(r["id"], _top(r)) for r in results] == [
        ("c1", ("emergency", False)),
        ("c2", None),
    ]
    assert results[0]["status"] == "refer"


def test_a_title_comment_above_an_array_is_no_record() -> None:
    text = "// Monday group {v2}\n" + json.dumps([{"id": "c2", "answers": SADDLE}], indent=2)
    assert [r["id"] for r in _results(text)] == ["c2"]


def test_a_pretty_array_appended_to_json_lines_gives_its_records() -> None:
    """Read line by line, each of its lines was an error and its signs were lost."""
    text = json.dumps({"id": "c1", "answers": SCREEN_CLEAR}) + "\n"
    text += json.dumps(
        [{"id": "c3", "answers": SADDLE}, {"id": "c7", "answers": FRACTURE}], indent=2
    )
    text += "\n" + json.dumps({"id": "c9", "answers": SCREEN_CLEAR}) + "\n"
    results = _results(text)
    assert [(r["id"], r["line"], _top(r)) for r in results] == [
        ("c1", 1, None),
        ("c3", 2, ("emergency", False)),
        ("c7", 2, ("urgent", False)),
        ("c9", len(text.splitlines()), None),
    ]
    assert all(r["errors"] == [] for r in results)


# -- pandas tables without their records' shape ---------------------------------------


def test_a_transposed_split_table_gives_a_record_per_client() -> None:
    """``df.T.to_json(orient="split")``: questions down the index, a client a column.
    Read as one record, the clients were one error and their signs were lost."""
    clients = {"c03": SADDLE, "c07": FRACTURE, "c01": SCREEN_CLEAR}
    questions = list(SCREEN_CLEAR)
    table = {
        "columns": list(clients),
        "index": questions,
        "data": [[clients[c].get(q) for c in clients] for q in questions],
    }
    results = _results(json.dumps(table))
    assert [(r["id"], _top(r)) for r in results] == [
        ("c03", ("emergency", False)),
        ("c07", ("urgent", False)),
        ("c01", None),
    ]


def test_rows_of_values_without_names_are_an_error_a_row() -> None:
    """pandas' orient="values": one error a row that says how to write it, not one per
    cell (391 errors for 11 clients)."""
    rows = [["c1", 34, "no", ["lower_back"], None], ["c2", 41, "yes", [], None]]
    results = _results(json.dumps(rows))
    assert [r["status"] for r in results] == ["error", "error"]
    assert 'orient="records"' in results[0]["errors"][0]["expected"]


def test_records_in_lists_inside_a_list_are_still_each_read() -> None:
    nested = [[{"id": "c03", "answers": SADDLE}], [[{"id": "c07", "answers": FRACTURE}]]]
    assert [(r["id"], _top(r)) for r in _results(json.dumps(nested))] == [
        ("c03", ("emergency", False)),
        ("c07", ("urgent", False)),
    ]


# -- a wrapper on one line longer than a line may be --------------------------------


@pytest.fixture
def small_lines(monkeypatch: pytest.MonkeyPatch) -> int:
    """A line limit of 4 KiB instead of 8 MiB: the same code paths, small inputs."""
    from legpress_diag.intake import records

    monkeypatch.setattr(records, "MAX_LINE_BYTES", 4096)
    return 4096


def _export_line(count: int) -> str:
    stories = {3: SADDLE, 7: FRACTURE}
    clients = [{"id": f"c{i}", "answers": stories.get(i % 10, SCREEN_CLEAR)} for i in range(count)]
    return json.dumps({"exported": "2024-05-01", "clients": clients})


def test_a_one_line_wrapper_over_the_line_limit_gives_its_records(small_lines: int) -> None:
    """json.dump of a big export is one line: it was one error ("line longer than ..."),
    every emergency in it unscreened, while the same records as an array were read."""
    line = _export_line(20)
    assert len(line) > small_lines
    text = line + "\n" + json.dumps({"id": "after", "answers": SADDLE}) + "\n"
    results = _results(text)
    assert [r["id"] for r in results] == [f"c{i}" for i in range(20)] + ["after"]
    assert [(r["id"], _top(r)) for r in results if r["red_flags"]] == [
        ("c3", ("emergency", False)),
        ("c7", ("urgent", False)),
        ("c13", ("emergency", False)),
        ("c17", ("urgent", False)),
        ("after", ("emergency", False)),
    ]
    assert not is_json_lines(io.BytesIO(text.encode()))  # the cluster path reads it whole


def test_a_long_line_that_is_no_wrapper_is_still_one_error(small_lines: int) -> None:
    note = "x" * (small_lines + 10)
    text = json.dumps({"id": "big", "note": note, "answers": SCREEN_CLEAR}) + "\n"
    text += json.dumps({"id": "next", "answers": SADDLE}) + "\n"
    results = _results(text)
    assert [(r["line"], r["status"]) for r in results] == [(1, "error"), (2, "refer")]
    assert "longer than" in results[0]["errors"][0]["message"]


# -- check 21 (a new user on 843d39e) -------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {"id": "c7", "answers": {**FRACTURE, "age_years": ["70"]}},
        {"id": "c7", **{**FRACTURE, "age_years": ["70"], "sudden_sharp_onset": ["Yes"]}},
        {"id": "c7", **{k: [str(v).capitalize()] for k, v in FRACTURE.items()}},
    ],
    ids=["boxed-text-age", "flat-boxed", "namedValues"],
)
def test_an_age_written_as_text_in_a_one_item_list_is_the_number(record: dict[str, Any]) -> None:
    """Google Forms' namedValues write every value as a list of strings: ["70"] was an
    unreadable age, the urgent combination referred as clinician."""
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("urgent", False) == _plain(FRACTURE)


@pytest.mark.parametrize(
    ("field", "keys"),
    [
        ("responses", ("key", "value")),
        ("responses", ("field", "response")),
        ("answers", ("field", "response")),
        ("Answers", ("question", "answer")),
    ],
)
def test_question_answer_pairs_are_screened_wherever_the_answers_go(
    field: str, keys: tuple[str, str]
) -> None:
    """A list of pairs under 'responses' in a record with no 'answers' was a field
    nobody read: an error with no flag."""
    pairs = [{keys[0]: question, keys[1]: answer} for question, answer in FRACTURE.items()]
    (result,) = _results(json.dumps({"id": "c7", field: pairs}))
    assert result["status"] == "refer"
    assert _top(result) == ("urgent", False)


def test_answers_keyed_by_a_forms_field_numbers_are_read_by_their_names() -> None:
    """Jotform's submissions: {"3": {"name": "saddle_numbness", "answer": "Yes"}}. Read
    as unknown keys, an emergency was 'no_fault_found' with exit status 0."""
    story = {**SADDLE}
    answers = {
        str(at): {
            "name": question,
            "order": str(at),
            "type": "control_radio",
            "answer": str(answer),
        }
        for at, (question, answer) in enumerate(story.items(), start=1)
    }
    submission = {"id": "5228593333", "form_id": "2301", "answers": answers}
    export = {"responseCode": 200, "message": "success", "content": [submission]}
    (result,) = _results(json.dumps(export))
    assert result["id"] == "5228593333"
    assert _top(result) == ("emergency", False)
    assert any("name their question" in w["message"] for w in result["warnings"])


def test_answers_boxed_under_their_own_names_are_not_taken_for_a_forms_fields() -> None:
    answers = {"saddle_numbness": {"value": "no"}, "bladder_bowel_change": {"value": "yes"}}
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    assert [f["id"] for f in result["red_flags"]] == ["bladder_bowel_change"]


@pytest.mark.parametrize("written", ["Sometimes", "SOMETIMES", " sometimes "])
def test_a_choice_in_a_forms_case_is_the_choice(written: str) -> None:
    answers = {**SCREEN_CLEAR, "core_braced": written}
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    plain = _results(
        json.dumps({"id": "c1", "answers": {**SCREEN_CLEAR, "core_braced": "sometimes"}})
    )
    assert result["errors"] == []
    assert [c["id"] for c in result["causes"]] == [c["id"] for c in plain[0]["causes"]]


@pytest.mark.parametrize(("ticked", "level"), [("on", "emergency"), ("checked", "emergency")])
def test_an_html_checkbox_value_is_a_yes(ticked: str, level: str) -> None:
    (result,) = _results(json.dumps({"id": "c1", "answers": {**SADDLE, "saddle_numbness": ticked}}))
    assert _top(result) == (level, False)
    assert result["errors"] == []


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"id": "a", "note": "x\ty", "answers": {}}', "a line break or tab typed inside a text"),
        ('{"id": "b", "answers": {"saddle_numbness": "ye', "cut short by a crash?"),
        ('{"id": "c", "answers": {"saddle_numbness": "yes",', "cut short by a crash?"),
    ],
)
def test_a_refused_line_says_what_happened(line: str, words: str) -> None:
    (result,) = _results(line + "\n")
    assert words in result["errors"][0]["expected"]


# -- check 21 (an attacker on 843d39e) ------------------------------------------------


def _line_of(record_id: str, answers: dict[str, Any]) -> str:
    return json.dumps({"id": record_id, "answers": answers})


def _blocks_equal_diagnose(tmp_path: Any, text: str, sizes: tuple[int, ...] = (1, 60, 300)) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(text)
    data = path.read_bytes()
    want = [(r["id"], r["red_flags"]) for r in api.diagnose_stream(io.BytesIO(data))]
    for size in sizes:
        got = []
        for offset, length, first in api.line_blocks(path, size):
            block = api.numbered_lines(data[offset : offset + length], first)
            got += [(r["id"], r["red_flags"]) for r in api.diagnose_partition(block)]
        assert got == want, size


@pytest.mark.parametrize("after", [1, 2, 4, 6])
def test_a_line_cut_inside_a_string_never_swallows_the_records_after_it(
    tmp_path: Any, after: int
) -> None:
    """Cut inside a string, then good records to the end: the Enter-in-a-note reading
    took them for the note's lines, one merged record (two emergencies lost); the
    cluster path lost them at a block's end."""
    cut = _line_of("cut", SCREEN_CLEAR)[:60]
    assert cut.count('"') % 2 == 1
    stories = [("c3", SADDLE), ("c7", FRACTURE), ("c6", {"bladder_bowel_change": "yes"})]
    good = [
        _line_of(f"{sid}-{i}", story)
        for i in range(after)
        for sid, story in stories[i % 3 : i % 3 + 1]
    ]
    text = "\n".join([_line_of("first", SCREEN_CLEAR), cut, *good]) + "\n"
    results = _results(text)
    assert [r["id"] for r in results] == ["first", "cut"] + [json.loads(g)["id"] for g in good]
    plain = {"c3": ("emergency", False), "c7": ("urgent", False), "c6": ("emergency", False)}
    for result in results[2:]:
        assert _top(result) == plain[result["id"].split("-")[0]]
    _blocks_equal_diagnose(tmp_path, text)


def test_a_note_with_many_lines_starting_with_braces_is_one_record(tmp_path: Any) -> None:
    log = "\\n".join(f"{{day {i}}} sore" for i in range(8))
    first = json.dumps({"id": "k2", "note": "pain log", "answers": FRACTURE})
    text = (
        _line_of("k1", SADDLE)
        + "\n"
        + first.replace('"pain log"', '"pain log\n' + log.replace("\\n", "\n") + '"')
        + "\n"
    )
    text += _line_of("k3", {"bladder_bowel_change": "yes"}) + "\n"
    results = _results(text)
    assert [(r["id"], _top(r)) for r in results] == [
        ("k1", ("emergency", False)),
        ("k2", ("urgent", False)),
        ("k3", ("emergency", False)),
    ]
    _blocks_equal_diagnose(tmp_path, text)


@pytest.mark.parametrize(
    "export",
    [
        {"id": "coach-7", "alice": {"answers": SADDLE}, "bob": {"leg_pain_below_knee": "yes"}},
        {"id": "coach-7", "alice": SADDLE, "bob": {"leg_pain_below_knee": "yes"}},
    ],
    ids=["answers-and-flat", "flat"],
)
def test_a_coachs_clients_under_their_names_are_never_merged(export: dict[str, Any]) -> None:
    results = _results(json.dumps(export))
    assert [(r["id"], _top(r)) for r in results] == [
        ("coach-7.alice", ("emergency", False)),
        ("coach-7.bob", ("clinician", False)),
    ]


@pytest.mark.parametrize(
    "record",
    [
        {"id": "c7", "profile": {"age_years": 70}, "checkins": [{"answers": _no_age(FRACTURE)}]},
        {"profile": {"age_years": 70}, "checkin": {"answers": _no_age(FRACTURE)}},
        {"id": "c7", "profile": {"age_years": "70"}, "checkin": {"answers": _no_age(FRACTURE)}},
        {
            "id": "c7",
            "profile": {"answers": {"age_years": 70}},
            "checkin": {"answers": _no_age(FRACTURE)},
        },
    ],
    ids=["checkins-list", "no-id", "age-as-text", "profile-answers"],
)
def test_one_persons_parts_in_other_shapes_are_read_together(record: dict[str, Any]) -> None:
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("urgent", False)


def test_a_profile_beside_two_check_ins_goes_with_each() -> None:
    record = {
        "id": "c2",
        "profile": {"age_years": 70},
        "checkin1": {"answers": _no_age(FRACTURE)},
        "checkin2": {"answers": {"leg_pain_below_knee": "yes"}},
    }
    results = _results(json.dumps(record))
    assert [(r["id"], _top(r)) for r in results] == [
        ("c2.checkin1", ("urgent", False)),
        ("c2.checkin2", ("clinician", False)),
    ]
    assert all(r["errors"] == [] for r in results)


@pytest.mark.parametrize(
    "box",
    [
        {"answer": {"value": "yes"}},
        {"id": "q1", "answer": {"choice": {"label": "Yes"}}},
        {"answers": "yes"},
    ],
)
def test_an_answer_boxed_two_deep_is_no_wrapper(box: dict[str, Any]) -> None:
    """{"saddle_numbness": {"answer": {"value": "yes"}}} made the answers a wrapper of
    records: the result's id became "saddle_numbness", its emergency lost."""
    (result,) = _results(json.dumps({"id": "x1", "answers": {"saddle_numbness": box}}))
    assert (result["id"], _top(result)) == ("x1", ("emergency", False))


def test_a_pretty_array_after_json_lines_in_every_shape(tmp_path: Any) -> None:
    """Over 1,000 lines, written with indent=0, cut short with more JSON Lines after
    it: read line by line, each was errors and split signs; the cluster path agreed."""
    many = [{"id": f"b{i}", "answers": SADDLE if i % 50 == 0 else SCREEN_CLEAR} for i in range(60)]
    pretty = json.dumps(many, indent=2)
    assert pretty.count("\n") > 1000
    flat0 = json.dumps(
        [{"id": "z3", "answers": SADDLE}, {"id": "z7", "answers": FRACTURE}], indent=0
    )
    cut = json.dumps([{"id": "y3", "answers": SADDLE}, {"id": "y7", "answers": FRACTURE}], indent=2)
    cut = cut[: cut.rindex('"') + 1]  # cut inside the last record, after its last answer
    text = "\n".join([_line_of("a", SCREEN_CLEAR), pretty, _line_of("m", SCREEN_CLEAR), flat0, cut])
    text += "\n" + _line_of("after", {"leg_pain_below_knee": "yes"}) + "\n"
    results = _results(text)
    flagged = [(r["id"], _top(r)) for r in results if r["red_flags"]]
    assert flagged[:2] == [("b0", ("emergency", False)), ("b50", ("emergency", False))]
    assert flagged[2:] == [
        ("z3", ("emergency", False)),
        ("z7", ("urgent", False)),
        ("y3", ("emergency", False)),
        ("y7", ("urgent", False)),
        ("after", ("clinician", False)),
    ]
    assert len(results) == 1 + 60 + 1 + 2 + 2 + 1
    _blocks_equal_diagnose(tmp_path, text, (1, 500, 4096))


def test_webhook_lines_each_take_their_line_number_not_one_shared_name() -> None:
    lines = [
        json.dumps(
            {"event_id": f"ev{i}", "form_response": {"form_id": "F1", "answers": _typeform(SADDLE)}}
        )
        for i in range(3)
    ]
    results = _results("\n".join(lines) + "\n")
    assert [r["id"] for r in results] == [1, 2, 3]
    assert {_top(r) for r in results} == {("emergency", False)}


@pytest.mark.parametrize("mark", ["# {}", "// {}", "/* {} */"])
def test_a_record_commented_out_is_screened_whatever_the_mark(mark: str) -> None:
    record = json.dumps({"id": "c1", "answers": SADDLE})
    text = mark.replace("{}", record) + "\n" + json.dumps([{"id": "c2", "answers": SCREEN_CLEAR}])
    results = _results(text)
    assert [(r["id"], r["status"], _top(r)) for r in results] == [
        ("c1", "refer", ("emergency", False)),
        ("c2", "ok", None),
    ]
    assert results[0]["errors"][0]["message"] == "a record in a comment line"
    jsonl = _line_of("c0", SCREEN_CLEAR) + "\n" + mark.replace("{}", record) + "\n"
    assert [_top(r) for r in _results(jsonl)] == [None, ("emergency", False)]


def test_measured_answers_as_a_list_of_pairs_are_screened() -> None:
    record = {
        "id": "x1",
        "answers": {},
        "measured": [{"question": "saddle_numbness", "value": "yes"}],
    }
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("emergency", False)


@pytest.mark.parametrize(
    "box",
    [
        {"value": "no", "visible": True},
        {"value": "no", "valid": "yes", "required": True},
        {"answer": "no", "answered": 1},
    ],
)
def test_a_tools_metadata_never_turns_a_no_into_a_yes(box: dict[str, Any]) -> None:
    """Only fields that hold an answer are read: a flag of the tool's is no answer."""
    (result,) = _results(
        json.dumps({"id": "c1", "answers": {**SCREEN_CLEAR, "saddle_numbness": box}})
    )
    assert result["red_flags"] == []


# -- check 22 (a new user on 6cafefb) -------------------------------------------------


def test_a_coachs_book_of_clients_each_with_a_profile_and_check_ins() -> None:
    """Inside {"clients": [...]}, a client's profile was a record of its own and the
    check-in was screened without the age: urgent referred as clinician."""
    client = {
        "id": "cal",
        "profile": {"age_years": 70},
        "checkins": [{"answers": {"sudden_sharp_onset": "no"}}, {"answers": _no_age(FRACTURE)}],
    }
    results = _results(json.dumps({"clients": [client, {"id": "c3", "answers": SADDLE}]}))
    assert [(r["id"], _top(r)) for r in results] == [
        ("cal.checkins[0]", None),
        ("cal.checkins[1]", ("urgent", False)),
        ("c3", ("emergency", False)),
    ]


def test_weekly_check_ins_beside_a_profile_go_with_it() -> None:
    record = {
        "id": "c1",
        "profile": {"age_years": 70},
        "weekly": [{"date": "d2", **_no_age(FRACTURE)}],
    }
    (result,) = _results(json.dumps(record))
    assert _top(result) == ("urgent", False)


@pytest.mark.parametrize(
    "key", ["Saddle Numbness?", "Answers.saddle_numbness", "saddle_numbness:", "q3_saddle_numbness"]
)
def test_a_forms_header_around_a_question_id_names_it(key: str) -> None:
    others = {k: v for k, v in SCREEN_CLEAR.items() if k != "saddle_numbness"}
    (result,) = _results(json.dumps({"id": "k", "answers": {**others, key: "yes"}}))
    assert _top(result) == ("emergency", False)


def test_zapiers_flattened_answers_are_the_answers() -> None:
    (result,) = _results(json.dumps({"answers__saddle_numbness": "yes", "answers__age_years": 41}))
    assert _top(result) == ("emergency", False)
    assert result["errors"] == []


def test_a_sheet_as_arrays_under_a_header_row_gives_a_record_per_row() -> None:
    """Apps Script's getValues(): the first row names the questions."""
    sheet = [["id", *SADDLE], ["ben", *SADDLE.values()], ["amy", *SCREEN_CLEAR.values()]]
    results = _results(json.dumps(sheet))
    assert [(r["id"], _top(r)) for r in results] == [("ben", ("emergency", False)), ("amy", None)]


def test_google_forms_item_responses_are_screened() -> None:
    items = [{"title": question, "response": answer} for question, answer in SADDLE.items()]
    (result,) = _results(json.dumps([{"itemResponses": items}]))
    assert _top(result) == ("emergency", False)


# -- check 22 (an attacker on 6cafefb) ------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {
            "patient": {"id": "p1", "answers": SADDLE},
            "today": {"id": "p2", "answers": {"leg_pain_below_knee": "yes"}},
        },
        {
            "id": "coach-7",
            "profile": {"answers": {"age_years": 70}},
            "today": {"id": "p1", "answers": SADDLE},
        },
        {
            "id": "team",
            "profile": {"age_years": 70},
            "sessions": [{"id": "p1", "answers": SADDLE}, {"id": "p2", "answers": {}}],
        },
    ],
    ids=["two-parts-with-ids", "coach-profile", "sessions-of-clients"],
)
def test_parts_with_ids_of_their_own_are_clients_never_merged(record: dict[str, Any]) -> None:
    results = _results(json.dumps(record))
    assert "p1" in [r["id"] for r in results]
    (p1,) = [r for r in results if r["id"] == "p1"]
    assert _top(p1) == ("emergency", False)
    assert all("age_years" not in str(r["red_flags"]) for r in results)  # no coach's age


@pytest.mark.parametrize(
    ("who", "visit"),
    [
        ("user_profile", "checkin"),
        ("personal_details", "latest_checkin"),
        ("profile", "followup"),
        ("basic_info", "2024-05-01"),
    ],
)
def test_one_persons_parts_under_other_names_are_read_together(who: str, visit: str) -> None:
    record = {"id": "c7", who: {"age_years": 70}, visit: {"answers": _no_age(FRACTURE)}}
    (result,) = _results(json.dumps(record))
    assert (result["id"], _top(result)) == ("c7", ("urgent", False))


@pytest.mark.parametrize(
    "box",
    [
        {"type": "select", "select": {"id": "a1b2", "name": "Yes", "color": "green"}},
        {"option": {"title": "Yes"}},
    ],
)
def test_a_select_boxes_yes_is_a_yes(box: dict[str, Any]) -> None:
    (result,) = _results(json.dumps({"id": "y1", "answers": {"saddle_numbness": box}}))
    assert _top(result) == ("emergency", False)


@pytest.mark.parametrize(
    "box",
    [
        {"value": "no", "page": 1},
        {"value": "no", "score": 1, "answered": True},
        {"value": "no", "options": ["Yes", "No"]},
        {"value": "no", "comment": "yes it was fine"},
        {"choice": {"id": "c2", "ref": "yes-ref", "label": "No"}},
    ],
)
def test_a_boxed_no_beside_a_tools_fields_stays_a_no(box: dict[str, Any]) -> None:
    answers = {**SCREEN_CLEAR, "saddle_numbness": box}
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    assert result["red_flags"] == []


def test_a_boxed_age_with_its_bounds_is_the_age() -> None:
    answers = {**FRACTURE, "age_years": {"value": 30, "min": 12, "max": 100}}
    (result,) = _results(json.dumps({"id": "c7", "answers": answers}))
    assert [f["id"] for f in result["red_flags"]] == ["sudden_sharp_onset"]


def test_a_pretty_record_commented_out_line_by_line_is_screened() -> None:
    record = json.dumps({"id": "c1", "answers": SADDLE}, indent=2)
    text = "# old:\n" + "".join(f"# {line}\n" for line in record.splitlines())
    text += json.dumps([{"id": "c2", "answers": SCREEN_CLEAR}])
    results = _results(text)
    assert [(r["id"], r.get("line"), _top(r)) for r in results] == [
        ("c1", 2, ("emergency", False)),
        ("c2", None, None),
    ]


def test_mongoexport_ids_and_numbers_are_read() -> None:
    line = {"_id": {"$oid": "6630"}, "answers": {**FRACTURE, "age_years": {"$numberInt": "70"}}}
    (result,) = _results(json.dumps(line))
    assert (result["id"], _top(result)) == ("6630", ("urgent", False))


# -- check 23 (an attacker on 0901bb5) ------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {
            "id": "c7",
            "profile": {"age_years": 70},
            "checkins": [
                {"id": "c7-w1", "answers": _no_age(FRACTURE)},
                {"id": "c7-w2", "answers": {}},
            ],
        },
        {"profile": {"id": "c7", "age_years": 70}, "checkin": {"answers": _no_age(FRACTURE)}},
        {
            "id": "c7",
            "profile": {"id": "c7", "age_years": 70},
            "checkin": {"id": "c7", "answers": _no_age(FRACTURE)},
        },
    ],
    ids=["check-in-ids-from-the-persons", "id-in-profile", "same-id-everywhere"],
)
def test_ids_made_from_the_persons_keep_one_person_together(record: dict[str, Any]) -> None:
    results = _results(json.dumps(record))
    assert ("urgent", False) in [_top(r) for r in results]
    # No part split off as an error with no flag (the profile alone, its age lost).
    assert all(r["red_flags"] or r["status"] != "error" for r in results)


def test_clients_named_by_client_id_under_check_in_names_are_never_merged() -> None:
    record = {
        "profile": {"age_years": 70, "role": "coach"},
        "week1": {"client_id": "alice", "answers": {"age_years": 25, **_no_age(FRACTURE)}},
        "week2": {"hidden": {"client_id": "bob"}, "answers": SADDLE},
    }
    results = _results(json.dumps(record))
    assert ("urgent", False) not in [_top(r) for r in results]  # no coach's age given to alice
    assert ("emergency", False) in [_top(r) for r in results]


@pytest.mark.parametrize(
    ("box", "top"),
    [
        ({"history": ["no"] * 60, "value": "yes"}, ("emergency", False)),
        ({"label": "No", "value": 1}, None),
        ({"label": "No", "selected": True}, None),
        ({"value": "no", "choices": ["Yes", "No"]}, None),
        (
            {
                "value": "no",
                "choices": [{"value": "yes", "text": "Yes"}, {"value": "no", "text": "No"}],
            },
            None,
        ),
        ({"name": "saddle_numbness", "title": "Saddle numbness?", "value": "no"}, None),
        ({"choice_id": "4385172", "simple_text": "No"}, None),
        ({"answer": ["yes", "no"]}, ("emergency", False)),
        ({"value": "no", "other": "yes sometimes"}, None),
    ],
    ids=[
        "yes-after-history",
        "label-no-value-1",
        "selected",
        "offered-choices",
        "surveyjs",
        "name-title",
        "surveymonkey",
        "both-only",
        "free-text-yes",
    ],
)
def test_a_box_is_read_by_what_answers_in_it(box: Any, top: Any) -> None:
    answers = {**SCREEN_CLEAR, "saddle_numbness": box}
    (result,) = _results(json.dumps({"id": "c1", "answers": answers}))
    assert _top(result) == top


def test_a_form_list_of_options_reads_the_chosen_one() -> None:
    options = [{"label": "Yes", "selected": False}, {"label": "No", "selected": True}]
    (result,) = _results(
        json.dumps({"id": "c1", "answers": {**SCREEN_CLEAR, "saddle_numbness": options}})
    )
    assert result["red_flags"] == [] and result["errors"] == []


def test_an_age_beside_an_earlier_not_sure_is_the_age() -> None:
    answers = {**FRACTURE, "age_years": {"value": 70, "previous": "not sure"}}
    (result,) = _results(json.dumps({"id": "c7", "answers": answers}))
    assert _top(result) == ("urgent", False)


@pytest.mark.parametrize("mark", ["# ", "#", "// "])
def test_a_pretty_record_commented_out_among_json_lines_is_screened(
    tmp_path: Any, mark: str
) -> None:
    record = json.dumps({"id": "c1", "answers": SADDLE}, indent=2)
    commented = "".join(f"{mark}{line}\n" for line in record.splitlines())
    text = commented + _line_of("c2", SCREEN_CLEAR) + "\n" + commented.replace('"c1"', '"c4"')
    text += _line_of("c3", {"leg_pain_below_knee": "yes"}) + "\n"
    results = _results(text)
    assert [(r["id"], _top(r)) for r in results] == [
        ("c1", ("emergency", False)),
        ("c2", None),
        ("c4", ("emergency", False)),
        ("c3", ("clinician", False)),
    ]
    _blocks_equal_diagnose(tmp_path, text)


# -- check 24 (an attacker on 2533503) ------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {
            "id": "c7",
            "profile": {"age_years": 70},
            "checkin": {"session_id": "s1", "answers": _no_age(FRACTURE)},
            "week2": {"form_id": "f9", "answers": {}},
        },
        {
            "id": "c7",
            "profile": {"age_years": 70},
            "checkins": [
                {"device_id": "d1", "answers": _no_age(FRACTURE)},
                {"device_id": "d2", "answers": {}},
            ],
        },
    ],
    ids=["session-and-form-ids", "device-ids"],
)
def test_a_sessions_or_devices_id_is_no_ones(record: dict[str, Any]) -> None:
    results = _results(json.dumps(record))
    assert ("urgent", False) in [_top(r) for r in results]


@pytest.mark.parametrize(
    "record",
    [
        {
            "today": [
                {"id": "client-001", "answers": {"age_years": 80}},
                {"id": "client-002", "answers": _no_age(FRACTURE)},
            ],
            "profile": {"age_years": 30},
        },
        {
            "checkin": {"id": "client-001", "answers": SADDLE},
            "week2": {"id": "client-002", "answers": {"age_years": 80}},
            "profile": {"note": "x", "age_years": 40},
        },
    ],
    ids=["list-of-clients", "parts-of-clients"],
)
def test_clients_whose_ids_share_a_first_word_are_never_merged(record: dict[str, Any]) -> None:
    """ "client-001" and "client-002" are two people, not one person's check-ins."""
    ids = [r["id"] for r in _results(json.dumps(record))]
    assert "client-001" in ids and "client-002" in ids


@pytest.mark.parametrize(
    ("box", "top"),
    [
        ({"current": "yes", "previous": "no"}, ("emergency", False)),
        ({"new": "yes", "old": "no"}, ("emergency", False)),
        ({"after": "yes", "before": "no"}, ("emergency", False)),
        ([{"label": "Yes", "selected": 1}, {"label": "No", "selected": 0}], ("emergency", False)),
        (
            [{"label": "Yes", "selected": "true"}, {"label": "No", "selected": "false"}],
            ("emergency", False),
        ),
        ([{"label": "Yes", "checked": False}, {"label": "No", "checked": True}], None),
        ({"selected": 1, "choices": ["Yes", "No"]}, None),
        ({"selected": 0, "choices": ["Yes", "No"]}, ("emergency", False)),
        ({"value": "no", "label": "Yes, sometimes, when I bend"}, None),
    ],
    ids=[
        "current",
        "new",
        "after",
        "selected-1",
        "selected-true",
        "checked",
        "index-no",
        "index-yes",
        "free-text-beside-no",
    ],
)
def test_a_box_in_more_tools_shapes(box: Any, top: Any) -> None:
    test_a_box_is_read_by_what_answers_in_it(box, top)  # the same reading, check 24's shapes


def test_an_age_beside_the_ages_a_form_offers_is_the_age() -> None:
    answers = {**FRACTURE, "age_years": {"value": 30, "choices": [18, 30, 50, 90]}}
    (result,) = _results(json.dumps({"id": "c7", "answers": answers}))
    assert [f["id"] for f in result["red_flags"]] == ["sudden_sharp_onset"]
