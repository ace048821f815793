"""Records as coaches' exports write them (a new user's U17 report, on b4fb934):
notes typed as a session log of many lines, `cat` of JSON Lines and `jq .` output,
`#` comments between pretty records, app wrappers and pandas tables, flat records
with no 'answers' object, flattened keys of other converters, and the values
spreadsheets and R write for yes and no.

Each lost or lowered a warning sign: an emergency gone with a 9-line note, an urgent
combination referred as clinician when its lines were read apart, 20 clients merged
into one result with every differing answer "not sure", or a definite yes ("TRUE",
1, ["yes"]) read "not sure". Each test compares with the same clients written as
clean JSON Lines, and reads JSON Lines the cluster path's way too.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.intake.records import is_json_lines
from legpress_diag.web.limits import Deadline, Limits
from legpress_diag.web.problems import RequestProblem
from legpress_diag.web.service import diagnose_body

from .test_interview_two_spellings import SCREEN_CLEAR

SADDLE = {**SCREEN_CLEAR, "saddle_numbness": "yes"}
FRACTURE = {**SCREEN_CLEAR, "age_years": 70, "sudden_sharp_onset": "yes", "onset_settling": "no"}


def _clients() -> list[dict[str, Any]]:
    """Ten clients: c03 an emergency, c07 an urgent combination of signs."""
    stories = {3: SADDLE, 7: FRACTURE}
    return [{"id": f"c{i:02d}", "answers": stories.get(i, SCREEN_CLEAR)} for i in range(1, 11)]


EXPECTED = [("c03", "emergency"), ("c07", "urgent")]


def _levels(data: bytes) -> list[tuple[object, str]]:
    """(id, highest definite level) of every result that refers, as diagnose reads
    the bytes (checked equal to the cluster path's reading for JSON Lines)."""
    results = list(api.diagnose_stream(io.BytesIO(data)))
    if is_json_lines(io.BytesIO(data)):
        part = api.diagnose_partition(api.numbered_lines(data))
        assert [(r["id"], r["status"], r["red_flags"]) for r in part] == [
            (r["id"], r["status"], r["red_flags"]) for r in results
        ]
    return [
        (r["id"], r["red_flags"][0]["level"])
        for r in results
        if r["red_flags"] and not r["red_flags"][0]["unsure"]
    ]


def _jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


@pytest.mark.parametrize("lines", [2, 9, 30])
def test_a_session_log_typed_into_a_note_keeps_the_record_whole(lines: int) -> None:
    """U17-1: a note of 9 lines or more (beyond the 8 put back together) lost the
    emergency; lines like "session 8: felt ok" were read as pairs of their own."""
    clients = _clients()
    clients[2] = {"id": "c03", "note": "\n".join(f"session {i}: felt ok" for i in range(lines))}
    clients[2]["answers"] = SADDLE
    text = _jsonl(clients).replace("\\n", "\n")  # the Enters, raw, as typed
    assert text.count("\n") == 10 + lines - 1
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert _levels(text.encode()) == EXPECTED


def test_json_lines_then_pretty_records_read_each_record_whole() -> None:
    """U17-3: `cat week1.jsonl week2.json` (week 2 `jq .` output) was read line by
    line after the first record: an urgent combination referred as clinician."""
    clients = _clients()
    text = _jsonl(clients[:2]) + "".join(json.dumps(c, indent=2) + "\n" for c in clients[2:])
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert _levels(text.encode()) == EXPECTED


def test_hash_comments_between_pretty_records_are_left_out() -> None:
    """U17-2: a '#' line between `jq .` records made 20 clients 582 results."""
    pretty = [json.dumps(c, indent=2) for c in _clients()]
    text = "# group A\n" + "\n".join(pretty[:5]) + "\n  # group B\n" + "\n".join(pretty[5:])
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert _levels(text.encode()) == EXPECTED


def _pandas(orient: str) -> dict[str, Any]:
    clients = _clients()
    if orient == "index":
        return {str(i): client for i, client in enumerate(clients)}
    if orient == "split":
        rows = [[c["id"], c["answers"]] for c in clients]
        return {"columns": ["id", "answers"], "index": list(range(10)), "data": rows}
    assert orient == "columns"
    labels = [str(i) for i in range(10)]
    return {
        "id": {label: c["id"] for label, c in zip(labels, clients, strict=True)},
        "answers": {label: c["answers"] for label, c in zip(labels, clients, strict=True)},
    }


@pytest.mark.parametrize(
    "export",
    [
        {"app": "LegLog", "data": {"count": 10, "clients": _clients()}},
        {"status": "ok", "results": [{"client": c} for c in _clients()]},
        {"value": _clients()},
        _pandas("index"),
        _pandas("split"),
        _pandas("columns"),
    ],
    ids=["nested", "results-client", "odata", "pandas-index", "pandas-split", "pandas-columns"],
)
@pytest.mark.parametrize("indent", [None, 2])
def test_exports_that_hold_the_records_give_a_result_per_client(
    export: dict[str, Any], indent: int | None
) -> None:
    """U17-4: one merged result, its emergencies "not sure" (urgent)."""
    data = json.dumps(export, indent=indent).encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert results[0]["warnings"][0]["message"].startswith("read from an object that holds")
    assert _levels(data) == EXPECTED
    with pytest.raises(RequestProblem) as refused:  # the service refuses, with the referrals
        diagnose_body(data, api.bundled_rulebase(), Limits(), Deadline(10.0))
    assert [r["id"] for r in refused.value.extra["results"] if r["red_flags"]] == ["c03", "c07"]


def test_an_id_beside_the_records_does_not_merge_them() -> None:
    """Check 19: an export's own id made the wrapper one record (emergencies urgent).
    The records inside are read each; with no answers of its own, the object is none."""
    record = {"id": "r", "history": [{"id": "old", "answers": SADDLE}]}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert result["id"] == "old" and result["red_flags"][0]["level"] == "emergency"
    export = {"id": "export-7", "data": {"clients": _clients()}}
    assert _levels(json.dumps(export).encode()) == EXPECTED


def test_flat_records_are_an_error_screened_as_written() -> None:
    """U17-5: with no 'answers' object, every yes was "not sure" (emergency ->
    urgent) and a combination of signs was lost (urgent -> clinician)."""
    flat = [{"id": c["id"], **c["answers"]} for c in _clients()]
    data = _jsonl(flat).encode()
    assert _levels(data) == EXPECTED
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert {r["status"] for r in results if r["id"] not in ("c03", "c07")} == {"error"}
    expected = results[0]["errors"][0]["expected"]
    assert "fields were read as its answers for the safety screen" in expected
    assert not any("unknown record field" in w["message"] for w in results[0]["warnings"])


def test_a_flat_record_beside_an_answers_object_is_still_not_sure() -> None:
    """Beside 'answers', a field stays what it was: not trusted as definite."""
    record = {"id": "x", "saddle_numbness": "yes", "answers": SCREEN_CLEAR}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == [("urgent", True)]


@pytest.mark.parametrize("form", ["answers/{}", "answers[{}]", "answers.{}"])
def test_answers_flattened_by_other_converters_are_read(form: str) -> None:
    flat = [
        {"id": c["id"], **{form.format(k): v for k, v in c["answers"].items()}} for c in _clients()
    ]
    assert _levels(_jsonl(flat).encode()) == EXPECTED


@pytest.mark.parametrize(
    ("yes", "no"),
    [("TRUE", "FALSE"), ("true", "false"), (1, 0), (["yes"], ["no"]), ([True], [False])],
)
def test_yes_and_no_as_spreadsheets_and_r_write_them(yes: object, no: object) -> None:
    """U17-6: "TRUE", 1 and R's boxed ["yes"] were read "not sure": every client
    referred at urgent, the emergency shown as urgent."""
    clients = _clients()
    for client in clients:
        client["answers"] = {
            key: yes if value == "yes" else no if value == "no" else value
            for key, value in client["answers"].items()
        }
    data = _jsonl(clients).encode()
    assert _levels(data) == EXPECTED
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["status"] for r in results].count("refer") == 2


@pytest.mark.parametrize("unsure", [["unsure"], [None], ["not sure"]])
def test_a_boxed_not_sure_is_still_not_sure(unsure: object) -> None:
    """Unboxed as R writes it, a "not sure" must stay one: read as no answer at all,
    it would let advice through an unfinished screen."""
    record = {"id": "x", "answers": {**SCREEN_CLEAR, "saddle_numbness": unsure}}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == [("urgent", True)]
    assert result["status"] == "refer"


def test_a_drawn_cross_stays_not_sure() -> None:
    # Some mean "no" by a drawn cross, some "ticked": not sure.
    record = {"id": "x", "answers": {**SCREEN_CLEAR, "saddle_numbness": "✗"}}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == [("urgent", True)]


def test_a_spreadsheets_x_is_its_tick() -> None:
    # Check 46, H5: "x" in a sheet's column is how it ticks a box (read "not sure", an
    # emergency was urgent).
    record = {"id": "x", "answers": {**SCREEN_CLEAR, "saddle_numbness": "x"}}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == [("emergency", False)]


def test_r_boxed_ids_name_their_results() -> None:
    boxed = [
        {"id": [c["id"]], "answers": {k: [v] for k, v in c["answers"].items()}} for c in _clients()
    ]
    data = json.dumps(boxed).encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert "auto_unbox" in results[0]["warnings"][0]["expected"]
    assert _levels(data) == EXPECTED


# A new check of cd9efd2: NEW-3, NEW-6.


@pytest.mark.parametrize(
    ("own", "level"),
    [
        ({"saddle_numbness": True}, "emergency"),
        ({"saddle_numbness": 1}, "emergency"),
        ({"ＳＡＤＤＬＥ_ＮＵＭＢＮＥＳＳ": "y"}, "emergency"),  # folded as answer keys are
        ({"Saddle-Numbness": "true"}, "emergency"),
        ({"saddle_numbnes": True}, "urgent"),  # a typo of a safety question: not sure
    ],
    ids=["boolean", "one", "full-width", "spelt-otherwise", "typo"],
)
def test_a_record_with_one_answer_and_a_history_is_no_wrapper(
    own: dict[str, Any], level: str
) -> None:
    """NEW-3: no id, one answer of its own and a list of past records: taken for their
    wrapper, its own emergency was lost and last week's "no" read instead. Both are
    read: the record itself (without its history) first, then each past record."""
    past = [{"answers": SCREEN_CLEAR} for _ in range(3)]
    for indent in (None, 2):
        data = json.dumps({**own, "history": past}, indent=indent).encode()
        results = list(api.diagnose_stream(io.BytesIO(data)))
        assert [r["id"] for r in results][1:] == ["history[0]", "history[1]", "history[2]"]
        assert results[0]["red_flags"][0]["level"] == level
        assert results[0]["status"] == "refer"


def test_an_export_flag_beside_the_records_still_makes_a_wrapper() -> None:
    """The other side of NEW-3: an export's own fields name no question."""
    export = {"success": True, "exported_by": "coach", "clients": _clients()}
    results = list(api.diagnose_stream(io.BytesIO(json.dumps(export).encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]


@pytest.mark.parametrize("indent", [None, 2])
def test_a_wrapper_of_flat_rows_gives_a_result_per_row(indent: int | None) -> None:
    """NEW-6: flat rows only (no row with 'answers') were one merged result."""
    flat = [{"id": c["id"], **c["answers"]} for c in _clients()]
    data = json.dumps({"exported": "2026-12-01", "clients": flat}, indent=indent).encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 11)]
    assert _levels(data) == EXPECTED
    keyed = json.dumps({"clients": {c["id"]: c for c in flat}}).encode()  # keyed by id
    assert [r["id"] for r in api.diagnose_stream(io.BytesIO(keyed))] == [c["id"] for c in flat]


def test_a_refused_wrapper_of_flat_rows_gives_a_result_per_row() -> None:
    """NEW-6 in a wrapper strict JSON refuses (a trailing comma)."""
    flat = [{"id": c["id"], **c["answers"]} for c in _clients()]
    data = json.dumps({"exported": "2026-12-01", "clients": flat}, indent=2)
    data = data.replace('"c10"', '"c10",', 1).replace('"c10",:', '"c10":', 1)
    broken = data[: data.rindex("]")] + ",\n  ]\n}"  # a trailing comma after the last row
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken)
    assert _levels(broken.encode()) == EXPECTED


@pytest.mark.parametrize("depth", [8, 9, 20, 100])
def test_records_nested_deep_in_a_wrapper_are_found(depth: int) -> None:
    """NEW-6: nested deeper than 8 levels, the wrapper was one merged result."""
    export: dict[str, Any] = {"clients": _clients()}
    for level in range(depth):
        export = {f"level{level}": export}
    data = json.dumps(export).encode()
    assert [r["id"] for r in api.diagnose_stream(io.BytesIO(data))] == [
        f"c{i:02d}" for i in range(1, 11)
    ]
    assert _levels(data) == EXPECTED


@pytest.mark.parametrize(
    "cut",
    [b'"answers":\n', b'"answers" :  \n', b'"answers":\r\n', b'"answers":\n\n'],
    ids=["lf", "spaces", "crlf", "blank-line"],
)
def test_an_enter_after_a_key_keeps_the_value_in_its_record(cut: bytes) -> None:
    """Round 13, L2: an Enter typed after '"answers":' left the object on the next line
    a record of its own: the emergency was filed under that line's number, and the
    client's own id was an error with no referral (an app keyed by id showed none)."""
    lines = _jsonl(_clients()).encode().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"answers": ', cut, 1)  # c03, the emergency
    data = b"".join(lines)
    assert _levels(data) == EXPECTED
    assert [r["id"] for r in api.diagnose_stream(io.BytesIO(data))] == [
        f"c{i:02d}" for i in range(1, 11)
    ]
