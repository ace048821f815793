"""Exports read as a coach's tools write them, never merged into one record (check 19,
an outside attacker and a new user on 4f6b527).

An object was either a record or a wrapper of records, decided by how its top level
looked: an export's own id, a "responses" key, three flags or nine fields of metadata
made a wrapper one record, every client's differing answer "not sure" (emergencies
referred as urgent). Now the records inside an object are always read each, and the
object is one more record only when it shows answers of its own. Records found with
no id are named by where they were found. Each case is compared with the same clients
written as clean JSON Lines, and read the cluster path's way too where it applies.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.intake.records import is_json_lines

from .test_records_from_exports import EXPECTED, _clients, _levels


def _flat() -> list[dict[str, Any]]:
    return [{"id": c["id"], **c["answers"]} for c in _clients()]


def _ids(data: bytes) -> list[object]:
    return [r["id"] for r in api.diagnose_stream(io.BytesIO(data))]


CLIENT_IDS = [f"c{i:02d}" for i in range(1, 11)]


@pytest.mark.parametrize(
    "export",
    [
        {"id": "export-7", "data": {"clients": _clients()}},
        {"responses": _clients()},
        {"Response": {"clients": _clients()}},
        {"form_id": "abc", "replies": _clients()},
        {"success": "yes", "data": _clients()},
        {"success": True, "cached": False, "truncated": False, "data": _clients()},
        {**{f"meta{i}": i for i in range(9)}, "clients": _clients()},
        {"version": [2], "clients": _clients()},
        {"machine_type": "incline_45", "clients": _clients()},
        {"answers": _clients()},
    ],
    ids=[
        "export-id",
        "responses",
        "Response",
        "replies",
        "success-yes",
        "three-flags",
        "nine-fields",
        "boxed-meta",
        "machine",
        "answers-list",
    ],
)
@pytest.mark.parametrize("indent", [None, 2])
def test_a_wrapper_whose_top_looks_like_answers_is_never_one_record(
    export: dict[str, Any], indent: int | None
) -> None:
    data = json.dumps(export, indent=indent).encode()
    assert _levels(data) == EXPECTED
    assert [i for i in _ids(data) if i in CLIENT_IDS] == CLIENT_IDS


def test_a_wrapper_in_a_list_of_records_is_opened_in_its_place() -> None:
    clients = _clients()
    export = {"clients": [*clients[:2], {"team": "B", "members": clients[2:]}]}
    assert _ids(json.dumps(export).encode()) == CLIENT_IDS
    assert _levels(json.dumps(export).encode()) == EXPECTED


@pytest.mark.parametrize("depth", [257, 300])
def test_a_wrapper_deeper_than_any_bound_is_opened(depth: int) -> None:
    export: dict[str, Any] = {"clients": _clients()}
    for level in range(depth):
        export = {f"l{level}": export}
    assert _levels(json.dumps(export).encode()) == EXPECTED


def _pandas_flat(orient: str, ids: bool) -> dict[str, Any]:
    rows = [row if ids else {k: v for k, v in row.items() if k != "id"} for row in _flat()]
    labels = [str(i) for i in range(len(rows))]
    if orient == "columns":
        columns = list(rows[0])
        return {
            c: {label: row.get(c) for label, row in zip(labels, rows, strict=True)} for c in columns
        }
    if orient == "index":
        return dict(zip(labels, rows, strict=True))
    assert orient == "split"
    columns = list(rows[0])
    return {
        "columns": columns,
        "index": labels,
        "data": [[r.get(c) for c in columns] for r in rows],
    }


@pytest.mark.parametrize("orient", ["columns", "index", "split"])
@pytest.mark.parametrize("ids", [True, False], ids=["ids", "no-ids"])
@pytest.mark.parametrize("indent", [None, 2])
def test_pandas_tables_of_flat_rows_give_a_result_per_row(
    orient: str, ids: bool, indent: int | None
) -> None:
    """The default `to_json()` of a flat frame (orient="columns") was one merged
    result; without an id column a row is named by its label."""
    data = json.dumps(_pandas_flat(orient, ids), indent=indent).encode()
    assert _levels(data) == (EXPECTED if ids else [("2", "emergency"), ("6", "urgent")])
    assert _ids(data) == (CLIENT_IDS if ids else [str(i) for i in range(10)])


@pytest.mark.parametrize(
    "line",
    [
        {"clients": [{"saddle_numbness": "yes"}]},
        {"c1": {"saddle_numbness": "yes"}, "c2": {"saddle_numbness": "no"}},
        {"data": {"clients": [{"saddle_numbness": "yes"}]}},
    ],
    ids=["list", "keyed", "nested"],
)
def test_a_json_lines_line_that_wraps_flat_rows_is_opened(line: dict[str, Any]) -> None:
    """Check 19: such a line was never looked at as a wrapper (no 'id' or 'answers'
    key in it), and read as one record."""
    data = (json.dumps({"id": "a", "answers": {}}) + "\n" + json.dumps(line) + "\n").encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    emergencies = [r["id"] for r in results if r["red_flags"] and not r["red_flags"][0]["unsure"]]
    # The only record of a wrapper takes the line's number, as a record with no id
    # does (check 21); two are named by their place.
    assert len(emergencies) == 1 and emergencies[0] == (2 if len(results) == 2 else "c1")
    assert all(r["line"] == 2 for r in results[1:])


def test_records_without_ids_are_named_by_their_place() -> None:
    """A one-line export's clients all took the line's number as their id."""
    answers = _clients()[2]["answers"]
    export = {
        "id": "ben",
        "checkin": {"answers": answers},
        "history": [{"answers": answers}, {"answers": {}}],
    }
    assert _ids(json.dumps(export).encode()) == ["ben.checkin", "ben.history[0]", "ben.history[1]"]


@pytest.mark.parametrize("slip", [",\n  ]\n}", "\n  ]\n} trailing words"])
def test_a_refused_wrapper_with_an_object_inside_is_opened_and_read_whole(slip: str) -> None:
    """A trailing comma in {"exported": ..., "data": {"clients": [...]}} (the
    documented shape) was one merged record, and the cluster path read it line by
    line."""
    text = json.dumps({"exported": "2026-12-01", "data": {"clients": _clients()}}, indent=2)
    broken = (text[: text.rindex("]")].rstrip() + slip + "\n}").encode()
    with pytest.raises(ValueError):
        json.loads(broken)
    assert _levels(broken) == EXPECTED
    assert not is_json_lines(io.BytesIO(broken))


@pytest.mark.parametrize(
    "spelt",
    [str.upper, lambda k: "".join(w.title() for w in k.split("_")), lambda k: k.replace("_", "-")],
    ids=["UPPER", "PascalCase", "kebab"],
)
def test_answer_keys_and_record_fields_in_another_style_are_read(spelt: Any) -> None:
    """camelCase/PascalCase keys ('SaddleNumbness') and record fields in capitals
    ("ID", "Answers") were unknown: a yes "not sure", the id a line number."""
    records = [
        {"ID": c["id"], "Answers": {spelt(k): v for k, v in c["answers"].items()}}
        for c in _clients()
    ]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    assert _levels(data) == EXPECTED
    one = {"id": "x", "answers": {"saddleNumbness": "yes", "bladderBowelChange": "no"}}
    [result] = api.diagnose_stream(io.BytesIO(json.dumps(one).encode()))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == [("emergency", False)]


def _wrapper(clients: list[dict[str, Any]], indent: int | None = None) -> str:
    return json.dumps({"exported": "2026-12-01", "clients": clients}, indent=indent)


@pytest.mark.parametrize(
    "joint",
    ["", ",", "\r", "\n", ",\n"],
    ids=["joined", "comma", "lone-cr", "pretty-then-pretty", "comma-newline"],
)
def test_wrappers_found_as_several_objects_are_each_opened(joint: str) -> None:
    """Two exports joined on one line, by a lone CR, or pretty one after another:
    each was one merged record (check 19)."""
    clients = _clients()
    indent = 2 if joint.endswith("\n") else None
    data = (_wrapper(clients[:5], indent) + joint + _wrapper(clients[5:], indent) + "\n").encode()
    assert _levels(data) == EXPECTED
    assert [i for i in _ids(data) if i in CLIENT_IDS] == CLIENT_IDS


def test_an_array_of_wrappers_strict_json_refuses_is_opened() -> None:
    clients = _clients()
    data = ("[" + _wrapper(clients[:5]) + ", " + _wrapper(clients[5:]) + ",]").encode()
    assert _levels(data) == EXPECTED


@pytest.mark.parametrize(
    "before", [b"", b'{"id": "a", "answers": {}}\n'], ids=["alone", "after-lines"]
)
def test_a_pretty_record_a_crash_cut_short_is_screened_as_one(before: bytes) -> None:
    """Check 19: read line by line, its lines split the combination of age and a sudden
    onset (urgent referred as clinician). At the input's end the open object is one
    error, its answers screened together."""
    fracture = _clients()[6]  # c07: the urgent combination
    pretty = json.dumps({**fracture, "note": "cut"}, indent=2).encode()
    cut = pretty[: pretty.index(b'"note"')]
    results = list(api.diagnose_stream(io.BytesIO(before + cut)))
    last = results[-1]
    assert last["id"] == "c07" and last["status"] == "refer" and last["errors"]
    assert [f["level"] for f in last["red_flags"]][:1] == ["urgent"]
    assert len(results) == 1 + bool(before)


# Check 20 (a re-check of 080fb89).


@pytest.mark.parametrize("field", ["Answers", "responses"])
def test_answers_under_another_name_are_no_pandas_table(field: str) -> None:
    """N1: a record's answers under 'Answers' or 'responses' (no id) were read as a
    pandas table: one error per question, no red flag at all."""
    data = json.dumps({field: {"saddle_numbness": "yes", "age_years": 40}}).encode()
    [result] = api.diagnose_stream(io.BytesIO(data))
    assert result["status"] == "refer" and result["red_flags"][0]["id"] == "saddle_numbness"


@pytest.mark.parametrize(
    "export",
    [
        {"clients": [{"machine_type": "incline_45", "members": _clients()}]},  # P1
        {"answers": {c["id"]: c for c in _clients()}},  # P2: Firebase
        {"form": "v2", "answers": {"count": 10}, "clients": _clients()},  # P2: metadata
        [{"answers": _clients()}],  # P3
        {"clients": [{"answers": _clients()}]},  # P3
        {"clients": [_clients()[:2], _clients()[2:6], *_clients()[6:]]},  # P4
    ],
    ids=["group-question-key", "firebase", "answers-metadata", "array", "nested", "lists"],
)
def test_records_held_where_a_record_might_be_are_read_each(export: Any) -> None:
    data = json.dumps(export, indent=2).encode()
    assert _levels(data) == EXPECTED
    assert [i for i in _ids(data) if i in CLIENT_IDS] == CLIENT_IDS
