"""Records as files really arrive: several on one line with one of them broken, a
record cut by a crash with the next appended behind it, a comment line above `jq .`
output, a cut upload, records wrapped in an export's object, pandas' flattened keys,
and a record an Enter cut over lines (a new check of 1876c42, N1, N3 and N6; a new
user's U15-1, -2, -4, -5 and -7; attack round 12, H2).

Each used to be read as one record, or one per line: answers that differed between
clients became "not sure" (an emergency referred as urgent), a combination of signs
was split (urgent referred as clinician), or a sign was not read at all. Every test
reads the bytes as `diagnose` does and, for JSON Lines, as the cluster path does.
"""

from __future__ import annotations

import io
import json
import random
import re
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.intake.records import is_json_lines
from legpress_diag.web.limits import Deadline, Limits
from legpress_diag.web.problems import RequestProblem
from legpress_diag.web.service import diagnose_body, read_body

from .test_interview_two_spellings import SCREEN_CLEAR

SADDLE = {**SCREEN_CLEAR, "saddle_numbness": "yes"}
# A combination: neither sign alone is urgent (age 70, a sudden onset, not settling).
FRACTURE = {**SCREEN_CLEAR, "age_years": 70, "sudden_sharp_onset": "yes", "onset_settling": "no"}

CLEAN = json.dumps({"id": "clean", "answers": SCREEN_CLEAR})
SIGN = json.dumps({"id": "sign", "answers": SADDLE})
BEFORE = json.dumps({"id": "before", "answers": SCREEN_CLEAR})
AFTER = json.dumps({"id": "after", "answers": SCREEN_CLEAR})

Seen = tuple[object, str, list[tuple[str, bool]]]


def _seen(results: list[dict[str, Any]]) -> list[Seen]:
    return [
        (r["id"], r["status"], [(f["level"], f["unsure"]) for f in r["red_flags"]]) for r in results
    ]


def _read(data: bytes) -> list[Seen]:
    """What diagnose gives the bytes, checked equal to the cluster path's reading."""
    whole = list(api.diagnose_stream(io.BytesIO(data)))
    if is_json_lines(io.BytesIO(data)):
        part = api.diagnose_partition(api.numbered_lines(data))
        assert [(r["id"], r.get("line")) for r in part] == [(r["id"], r.get("line")) for r in whole]
        assert _seen(part) == _seen(whole)
    return _seen(whole)


def _line_between(line: str) -> bytes:
    return f"{BEFORE}\n{line}\n{AFTER}\n".encode()


EMERGENCY = [("emergency", False)]


@pytest.mark.parametrize(
    "line",
    [
        f"[{CLEAN},{SIGN},]",  # an array line with a trailing comma
        f"[{CLEAN}][{SIGN}]",  # two arrays
        f"[{CLEAN}],[{SIGN}]",
        f"[{CLEAN}] [{SIGN}]",
        f"[{CLEAN}]{SIGN}",  # an array, then a record
        f"{CLEAN}[{SIGN}]",  # a record, then an array
        f"[[{CLEAN},{SIGN},]]",  # arrays in an array, with a slip
        f"{CLEAN},}}{SIGN}",  # a stray brace between records
        f"{CLEAN}x{SIGN}",  # odd separators
        f"{CLEAN}'{SIGN}",
        f'{CLEAN}"{SIGN}',
    ],
)
def test_records_on_one_line_with_a_slip_are_each_read_alone(line: str) -> None:
    """N1, round 12's H2: merged, the sign's emergency was "not sure" (urgent)."""
    seen = _read(_line_between(line))
    assert [(i, s) for i, s, _ in seen] == [
        ("before", "ok"),
        ("clean", "ok"),
        ("sign", "refer"),
        ("after", "ok"),
    ]
    assert seen[2][2] == EMERGENCY


@pytest.mark.parametrize(
    ("item", "kind"),
    [("null", "null"), ('"a note"', "string"), ("42", "number"), ("[]", None)],
)
def test_an_array_line_with_an_item_that_is_no_record_keeps_its_records(
    item: str, kind: str | None
) -> None:
    """N3: one null or string beside the records made the line one error, unscreened."""
    seen = _read(_line_between(f"[{CLEAN},{item},{SIGN}]"))
    errors = [(i, s) for i, s, _ in seen if s == "error"]
    assert ("clean", "ok") in [(i, s) for i, s, _ in seen]
    assert [flags for i, _, flags in seen if i == "sign"] == [EMERGENCY]
    assert len(errors) == (0 if kind is None else 1)


def test_a_record_encoded_as_a_string_in_an_array_line_is_screened() -> None:
    seen = _read(_line_between(f"[{CLEAN},{json.dumps(SIGN)}]"))
    assert [s for _, s, _ in seen] == ["ok", "ok", "refer", "ok"]
    assert seen[2][2] == EMERGENCY


def _dump_loop(records: list[str]) -> bytes:
    return "".join(records).encode()  # json.dump in a loop: no newline between


def _clients() -> list[str]:
    return [
        json.dumps({"id": f"c{i:02d}", "answers": SADDLE if i in (5, 13) else SCREEN_CLEAR})
        for i in range(1, 21)
    ]


@pytest.mark.parametrize(
    "broken",
    [
        lambda r: r[:-1] + ",}",  # a trailing comma
        lambda r: r.replace('"c01"', "'c01'"),  # a single-quoted id
        lambda r: r[:40],  # cut short: the writer was killed, then run again
    ],
)
def test_a_json_dump_loop_with_one_broken_record_keeps_every_client(broken: Any) -> None:
    """N6: one result for 20 clients; with a record cut short, no referral at all."""
    records = _clients()
    records[0] = broken(records[0])
    seen = _read(_dump_loop(records))
    ids = [i for i, _, _ in seen]
    assert ids[1:] == [f"c{i:02d}" for i in range(2, 21)]
    assert [(i, flags) for i, _, flags in seen if flags] == [
        ("c05", EMERGENCY),
        ("c13", EMERGENCY),
    ]


def test_a_record_cut_anywhere_keeps_the_sign_of_the_record_appended_behind_it() -> None:
    """A crash cut a record (in a string, a number, between keys), and the writer,
    run again, appended the next on the same line: cut inside a string, the rest of
    the line was read inside out and the next record's emergency lost (125 of 139
    cut points in round 12's sweep). At every cut point the appended record is read
    whole, under its own id, and the cut one (its nested objects, an id among them,
    too) is no record of its own."""
    cut = json.dumps(
        {
            "id": "cut",
            "note": 'knee {ok}, "twinge" after set 3',
            "answers": {**SCREEN_CLEAR, "history": {"id": "m1", "answers": {"a": 1}}},
        }
    )
    start = cut.index('"note"')  # before it, the cut record has no key to show
    for at in range(start, len(cut)):
        seen = _read(_line_between(cut[:at] + SIGN))
        ids = [i for i, _, _ in seen]
        assert ids[0] == "before" and ids[-2:] == ["sign", "after"], (at, seen)
        assert seen[-2][2] == EMERGENCY, (at, seen)
        # before, the cut record, sign, after; cut just after its nested object (and
        # closing brackets), that object cannot be told from a record appended behind
        # a cut: it is one too (an extra result, no sign lost; the other way, the
        # sign was "not sure"), and the record it holds ("m1") is read as well, as a
        # wrapper's records are (check 19: never merged).
        nested_end = cut.index('"answers": {"a": 1}}') + len('"answers": {"a": 1}}')
        nested_last = at >= nested_end and not cut[nested_end:at].strip("}")
        holder_closed = nested_last and "}" in cut[nested_end:at]  # the answers object
        assert len(seen) == 4 + nested_last + holder_closed, (at, seen)


def test_a_record_whose_nested_object_starts_like_a_record_is_not_split() -> None:
    """An object inside a refused record that starts with "id" or "answers" is part
    of it: its keys are not a record of their own, nor are its answers lost."""
    record = {
        "id": "c05",
        "previous": {"answers": {"saddle_numbness": "no"}},
        "referred_by": {"id": "c07"},
        "answers": SADDLE,
    }
    line = json.dumps(record)[:-1] + ",}"  # a trailing comma: strict JSON refuses it
    seen = _read(_line_between(line))
    assert [(i, s) for i, s, _ in seen] == [("before", "ok"), ("c05", "refer"), ("after", "ok")]
    assert seen[1][2] == EMERGENCY


def _pretty(clients: list[str]) -> str:
    return "".join(json.dumps(json.loads(c), indent=2) + "\n" for c in clients)


@pytest.mark.parametrize("comment", ["// Monday group, exported 3 Dec\n", "# Monday group\n\n"])
def test_a_comment_line_above_pretty_records_is_left_out(comment: str) -> None:
    """U15-1: read line by line, 20 clients were 580 records, ids lost, an urgent
    combination referred as clinician. The lines are numbered as an editor shows."""
    clients = _clients()
    clients[8] = json.dumps({"id": "c09", "answers": FRACTURE})
    data = (comment + _pretty(clients)).encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 21)]
    assert results[8]["red_flags"][0]["level"] == "urgent"
    first_line = comment.count("\n") + 1
    assert results[0]["line"] == first_line
    assert not is_json_lines(io.BytesIO(data))


def test_a_comment_line_above_one_pretty_record_keeps_it_one_record() -> None:
    data = ("// client c09\n" + json.dumps({"id": "c09", "answers": FRACTURE}, indent=2)).encode()
    [result] = list(api.diagnose_stream(io.BytesIO(data)))
    assert (result["id"], result["line"], result["status"]) == ("c09", 2, "refer")
    assert result["red_flags"][0]["level"] == "urgent"


def test_a_comment_line_above_json_lines_is_an_error_of_its_own() -> None:
    """In JSON Lines a comment line stays what it was: a line that is no record."""
    data = ("# export\n" + "\n".join(_clients()) + "\n").encode()
    seen = _read(data)
    assert len(seen) == 21 and seen[0][1] == "error"
    assert [i for i, _, _ in seen[1:]] == [f"c{i:02d}" for i in range(1, 21)]


@pytest.mark.parametrize("cut_in", ["c13", "c20"])
def test_jq_output_cut_short_keeps_the_records_before_the_cut(cut_in: str) -> None:
    """U15-2: a cut upload was read line by line (565 records, ids lost)."""
    text = _pretty(_clients())
    start = text.index(f'"{cut_in}"')
    data = text[: text.index('"saddle_numbness"', start) + 30].encode()  # past its answer
    results = list(api.diagnose_stream(io.BytesIO(data)))
    last = int(cut_in[1:])
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, last + 1)]
    assert results[-1]["errors"]  # the cut record: an error, still screened
    flagged = [r["id"] for r in results if r["red_flags"]]
    assert flagged == [c for c in ("c05", "c13") if int(c[1:]) <= last]


def test_a_cut_record_whose_note_holds_an_enter_does_not_swallow_those_after() -> None:
    clients = _clients()
    text = _pretty(clients[:3]) + _pretty(clients[3:]).replace('"c04",', '"c04", "note": "a\nb')
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert [r["id"] for r in results][-17:] == [f"c{i:02d}" for i in range(4, 21)]
    assert [r["id"] for r in results if r["red_flags"]] == ["c05", "c13"]


def _wrapped() -> dict[str, Any]:
    return {"exported": "2026-12-03", "clients": [json.loads(c) for c in _clients()]}


@pytest.mark.parametrize("indent", [None, 2])
def test_records_wrapped_in_an_export_object_are_each_a_record(indent: int | None) -> None:
    """U15-4: one merged result for 20 clients, two emergencies shown as urgent."""
    data = (json.dumps(_wrapped(), indent=indent) + "\n").encode()
    seen = _read(data)
    assert [i for i, _, _ in seen] == [f"c{i:02d}" for i in range(1, 21)]
    assert [(i, flags) for i, _, flags in seen if flags] == [
        ("c05", EMERGENCY),
        ("c13", EMERGENCY),
    ]


def test_a_record_with_a_list_of_past_records_is_no_wrapper() -> None:
    """An object with 'answers' is a record, whatever lists it holds."""
    record = {"id": "r", "answers": SADDLE, "history": [json.loads(CLEAN)]}
    seen = _read((json.dumps(record) + "\n").encode())
    assert [(i, s) for i, s, _ in seen] == [("r", "refer")]


def test_the_service_refuses_a_wrapped_body_with_each_referral() -> None:
    rb = api.bundled_rulebase()
    body = json.dumps(_wrapped()).encode()
    with pytest.raises(RequestProblem) as raised:
        diagnose_body(body, rb, Limits(), Deadline(10.0))
    problem = raised.value
    assert problem.type.status == 422 and "20 records" in problem.message
    assert "'clients'" in problem.message
    results = problem.extra["results"]
    assert [r["id"] for r in results if r["red_flags"]] == ["c05", "c13"]
    assert all(r["status"] != "ok" or not r["red_flags"] for r in results)


def test_pandas_flattened_answers_are_read_as_the_answers() -> None:
    """U15-7: "answers.saddle_numbness": "yes" was an unknown field, its yes read as
    not sure (urgent instead of emergency) or not at all."""
    lines = []
    for client in _clients():
        record = json.loads(client)
        flat = {"id": record["id"], "note": "ok"}
        flat |= {f"answers.{key}": value for key, value in record["answers"].items()}
        lines.append(json.dumps(flat))
    seen = _read(("\n".join(lines) + "\n").encode())
    assert [(i, flags) for i, _, flags in seen if flags] == [
        ("c05", EMERGENCY),
        ("c13", EMERGENCY),
    ]
    assert {s for i, s, _ in seen if i not in ("c05", "c13")} == {"ok"}
    [result] = list(api.diagnose_stream(io.BytesIO(lines[0].encode())))
    assert "flattened" in result["warnings"][0]["message"]


@pytest.mark.parametrize(
    ("inside", "flattened", "flags"),
    [
        ("no", "yes", [("emergency", False)]),  # a yes anywhere is never undone
        ("yes", "no", [("emergency", False)]),  # attack round 13, H1: it was urgent
        ("yes", None, [("emergency", False)]),  # pandas' null for a missing column
        ("no", "maybe", [("urgent", True)]),  # two readings: not sure
    ],
)
def test_a_flattened_answer_beside_the_one_in_answers_is_read_carefully(
    inside: str, flattened: object, flags: list[tuple[str, bool]]
) -> None:
    record = {
        "id": "x",
        "answers": {**SCREEN_CLEAR, "saddle_numbness": inside},
        "answers.saddle_numbness": flattened,
    }
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]] == flags


def test_a_flattened_age_beside_the_record_s_own_keeps_the_higher() -> None:
    record = {"id": "c09", "answers": FRACTURE, "answers.age_years": 30}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert result["red_flags"][0]["level"] == "urgent"  # 70 stands: was clinician


def _fracture_line(note: str) -> str:
    answers = {"age_years": 70, "coach_note": note, **FRACTURE}
    return json.dumps({"id": "c09", "answers": answers}, ensure_ascii=False)


@pytest.mark.parametrize("enters", [1, 2, 3])
def test_an_enter_among_the_answers_keeps_the_record_whole(enters: int) -> None:
    """U15-5: split in two, age and a sudden onset were screened apart (clinician
    instead of urgent)."""
    line = _fracture_line("line one\n" * enters + "end").replace("\\n", "\n")
    assert line.count("\n") == enters
    seen = _read(_line_between(line))
    assert [(i, s) for i, s, _ in seen] == [("before", "ok"), ("c09", "refer"), ("after", "ok")]
    assert seen[1][2][0] == ("urgent", False)  # the combination, at its level


def test_an_enter_between_keys_makes_a_record_that_parses() -> None:
    line = _fracture_line("plain").replace(', "sudden_sharp_onset"', ',\n "sudden_sharp_onset"')
    whole = list(api.diagnose_stream(io.BytesIO(_line_between(line))))
    assert [(r["id"], r["line"], r["status"]) for r in whole] == [
        ("before", 1, "ok"),
        ("c09", 2, "refer"),
        ("after", 4, "ok"),
    ]
    assert not whole[1]["errors"]


def test_a_record_cut_short_is_not_glued_to_the_record_on_the_next_line() -> None:
    """A crash's cut record is followed by a whole one: each is read alone."""
    data = f"{BEFORE}\n{SIGN[:50]}\n{SIGN}\n".encode()
    seen = _read(data)
    assert [(i, s) for i, s, _ in seen][::2] == [("before", "ok"), ("sign", "refer")]
    assert len(seen) == 3 and seen[1][1] in ("error", "refer")


def test_a_record_of_the_first_line_cut_by_an_enter_is_put_back_together() -> None:
    line = _fracture_line("one\ntwo").replace("\\n", "\n")
    assert line.count("\n") == 1
    seen = _read(f"{line}\n{AFTER}\n".encode())
    assert [(i, s) for i, s, _ in seen] == [("c09", "refer"), ("after", "ok")]
    assert seen[0][2][0] == ("urgent", False)


def test_a_body_with_a_comment_line_refers_as_diagnose_reads_it() -> None:
    body = ("// c05\n" + json.dumps(json.loads(SIGN), indent=2)).encode()
    with pytest.raises(RequestProblem) as raised:
        read_body(body, api.bundled_rulebase())
    results = raised.value.extra["results"]
    assert [(r["id"], r["red_flags"][0]["level"]) for r in results] == [("sign", "emergency")]


def test_a_single_quoted_id_names_its_error_result() -> None:
    line = "{'id': 'c05', 'answers': {'saddle_numbness': 'yes'}}"
    [result] = list(api.diagnose_stream(io.BytesIO(line.encode())))
    assert (result["id"], result["status"]) == ("c05", "refer")


def test_records_read_from_a_line_that_is_no_json_say_so() -> None:
    """Nothing lost, and nothing hidden: the slip is named on each record read."""
    results = list(api.diagnose_stream(io.BytesIO(_line_between(f"{CLEAN}x{SIGN}"))))
    notes = [r["warnings"][0]["message"] if r["warnings"] else "" for r in results]
    assert (
        notes[1]
        == notes[2]
        == (
            "line 2 is not one JSON value; its 2 records were read one by one "
            "(write one record per line)"
        )
    )
    assert "not one JSON value" not in notes[0] + notes[3]


def test_records_read_from_an_export_object_say_so() -> None:
    [result, *_] = list(api.diagnose_stream(io.BytesIO(json.dumps(_wrapped()).encode())))
    assert result["warnings"][0]["message"].startswith("read from an object that holds")


@pytest.mark.parametrize(
    "answers",
    [
        # PowerShell's ConvertTo-Json at its default -Depth 2 (a new user's U15-8)
        "@{age_years=70; sudden_sharp_onset=yes; onset_settling=no; saddle_numbness=no}",
        "age_years=70&sudden_sharp_onset=yes&onset_settling=no",  # a query string
        [["age_years", 70], ["sudden_sharp_onset", "yes"], ["onset_settling", "no"]],
    ],
)
def test_answers_as_key_value_pairs_are_an_error_that_is_screened(answers: object) -> None:
    """Round 12's M3, U15-8: 20 such records were 20 errors, two emergencies unscreened."""
    [result] = list(
        api.diagnose_stream(io.BytesIO(json.dumps({"id": "c09", "answers": answers}).encode()))
    )
    assert (result["id"], result["status"]) == ("c09", "refer") and result["errors"]
    assert result["red_flags"][0]["level"] == "urgent"
    powershell = isinstance(answers, str) and answers.startswith("@{")
    assert ("ConvertTo-Json -Depth 5" in result["errors"][0]["expected"]) == powershell


@pytest.mark.parametrize("separator", ['"', "'", "x", "]", "}", "[", "\t", ";"])
def test_an_odd_separator_never_turns_the_next_record_inside_out(separator: str) -> None:
    """A quote written between records was read as a string's start, and the record
    after it inside out: its emergency lost (an array's bracket before it made it so)."""
    line = f"[{CLEAN}{separator}{CLEAN.replace('clean', 'more')}{separator}{SIGN}"
    seen = _read(_line_between(line))
    assert [i for i, _, _ in seen] == ["before", "clean", "more", "sign", "after"]
    assert seen[3][2] == EMERGENCY


def test_a_record_appended_behind_a_cut_one_that_starts_with_a_note_is_found() -> None:
    appended = json.dumps({"note": "n", **json.loads(SIGN)})
    seen = _read(_line_between(CLEAN[:60] + "\t" + appended))
    assert [(i, flags) for i, _, flags in seen][-2:] == [("sign", EMERGENCY), ("after", [])]


def _story(index: int, rng: random.Random) -> tuple[str, str | None, str]:
    """A client's record on one line: clean, an emergency, or an urgent combination,
    sometimes with a note that holds brackets or quotes, or a nested object."""
    name, answers, level = rng.choice(
        [("clean", SCREEN_CLEAR, None), ("sign", SADDLE, "emergency"), ("frac", FRACTURE, "urgent")]
    )
    record: dict[str, Any] = {"id": f"{name}{index}", "answers": answers}
    if rng.random() < 0.3:
        record["note"] = rng.choice(["knee {ok}", 'said "ouch"', "a, b; c", "[x]"])
    if rng.random() < 0.2:
        record["previous"] = {"id": "old", "answers": {"saddle_numbness": "no"}}
    return record["id"], level, json.dumps(record)


_SLIPS = [
    lambda text, rng: text[:-1] + ",}",  # a trailing comma
    lambda text, rng: text.replace('"id"', "'id'", 1),  # a single-quoted key
    lambda text, rng: text[: rng.randrange(1, len(text))],  # cut by a crash
]


@pytest.mark.parametrize("seed", range(60))
def test_records_on_a_line_with_one_slip_never_lose_a_sign(seed: int) -> None:
    """Up to six clients written on one line by a program, with the separators
    programs write, one record perhaps broken (a slip, or cut short with the rest
    appended): every other client's sign is referred at its level, under its id, the
    same by diagnose and the cluster path. Seeded: the same cases every run."""
    rng = random.Random(seed)
    stories = [_story(index, rng) for index in range(rng.randint(2, 6))]
    broken = rng.randrange(len(stories)) if rng.random() < 0.7 else -1
    texts = [text for _, _, text in stories]
    if broken >= 0:
        texts[broken] = rng.choice(_SLIPS)(texts[broken], rng)
    separators = ["", " ", ",", ";", "\t", "  ,  ", '"', "x"]
    line = texts[0] + "".join(rng.choice(separators) + text for text in texts[1:])
    seen = _read(_line_between(line))
    for index, (record_id, level, _) in enumerate(stories):
        if level is None or index == broken:
            continue
        flags = [flags for i, _, flags in seen if i == record_id]
        assert flags and flags[0] and flags[0][0] == (level, False), (record_id, seen)


# Attack round 13 (on b4fb934).
@pytest.mark.parametrize(
    "record",
    [
        {"id": "c05", **SADDLE, "history": [{"answers": SCREEN_CLEAR}]},  # answers at the top
        {"id": "c05", "responses": SADDLE, "previous": [{"answers": SCREEN_CLEAR}]},
        {"responses": SADDLE, "previous": [{"answers": SCREEN_CLEAR}]},  # no id either
        {**{f"answers.{k}": v for k, v in SADDLE.items()}, "history": [{"answers": SCREEN_CLEAR}]},
    ],
)
def test_a_record_with_past_records_in_a_list_is_no_wrapper(record: dict[str, Any]) -> None:
    """H2: taken for a wrapper of its history, its own answers were dropped: no referral.
    The record itself is read first (with its id, when it has one), then the past one."""
    results = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert len(results) == 2 and results[0]["status"] == "refer"
    assert results[0]["red_flags"][0]["level"] in ("emergency", "urgent")
    if "id" in record:
        assert results[0]["id"] == "c05" and results[1]["id"].startswith("c05.")


@pytest.mark.parametrize(
    "shape",
    [
        lambda r: json.dumps({"v": 2, **json.loads(r)}),  # the first key is no record's key
        lambda r: json.dumps({"name": "Bob", **json.loads(r)}),
        lambda r: r[:-1] + ",}",  # the appended record has a slip too
        lambda r: r + CLEAN[:50],  # and a second crash behind it
        lambda r: json.dumps({**json.loads(r), "previous": {"id": "old", "answers": {"a": 1}}}),
    ],
)
def test_a_record_appended_behind_a_cut_one_in_other_shapes(shape: Any) -> None:
    """H3: about 70 % of cut points lost the appended record's emergency."""
    appended = shape(SIGN)
    for at in range(5, len(CLEAN), 7):
        seen = _read(_line_between(CLEAN[:at] + appended))
        assert [flags for i, _, flags in seen if i == "sign"] == [EMERGENCY], (at, seen)


@pytest.mark.parametrize(
    "above", ["/* Monday group */\n", "Monday group\n", "-- Monday\n", "; Monday\n"]
)
def test_a_title_line_above_pretty_records_is_left_out(above: str) -> None:
    """H5: read line by line, 20 clients were 580 results and c09 clinician."""
    clients = _clients()
    clients[8] = json.dumps({"id": "c09", "answers": FRACTURE})
    results = list(api.diagnose_stream(io.BytesIO((above + _pretty(clients)).encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 21)]
    assert results[8]["red_flags"][0]["level"] == "urgent"


def test_a_record_pasted_in_quotes_into_an_array_keeps_its_sign() -> None:
    """H9: [C01,"C05",C09]: C05 and its emergency vanished."""
    data = f'[{CLEAN},"{SIGN}",{AFTER}]\n'.encode()
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == ["clean", "sign", "after"]
    assert [(f["level"], f["unsure"]) for f in results[1]["red_flags"]][:1] == EMERGENCY


@pytest.mark.parametrize(
    ("elsewhere", "level"), [(69, "urgent"), (70, "urgent"), (30, "urgent"), (71, "urgent")]
)
def test_an_age_elsewhere_keeps_the_higher_of_the_two(elsewhere: int, level: str) -> None:
    """H10: last visit's age made the record's own "not sure": urgent became clinician.
    In a record strict JSON refuses (a trailing comma) the same."""
    record = {"id": "c09", "answers": FRACTURE, "last_visit": {"answers": {"age_years": elsewhere}}}
    for text in (json.dumps(record), json.dumps(record)[:-1] + ",}"):
        [result] = list(api.diagnose_stream(io.BytesIO(text.encode())))
        assert result["red_flags"][0]["level"] == level, text[-40:]


@pytest.mark.parametrize(
    "slip",
    [
        lambda text: text.replace('"c04"', '"c04",', 1),  # a comma too many in a record
        lambda text: text.replace('"id": "c02"', "'id': 'c02'", 1),
        lambda text: re.sub(r"\]\s*\}\s*$", "],}", text),  # a trailing comma after the list
    ],
)
@pytest.mark.parametrize("indent", [None, 2])
def test_a_wrapper_strict_json_refuses_keeps_its_clients_apart(
    slip: Any, indent: int | None
) -> None:
    """H6: one result for 20 clients, both emergencies "not sure" (urgent)."""
    wrapper = {"exported": "2026-12-03", "clients": [json.loads(c) for c in _clients()]}
    text = slip(json.dumps(wrapper, indent=indent))
    with pytest.raises(ValueError):
        json.loads(text)  # the slip makes it no JSON
    seen = _read((text + "\n").encode())
    assert [i for i, _, _ in seen] == [f"c{i:02d}" for i in range(1, 21)]
    assert [(i, flags) for i, _, flags in seen if flags] == [("c05", EMERGENCY), ("c13", EMERGENCY)]


def test_a_wrapper_in_an_array_line_gives_its_records() -> None:
    line = json.dumps([{"clients": [json.loads(c) for c in _clients()[:6]]}])
    seen = _read(_line_between(line))
    assert [i for i, _, _ in seen] == ["before", *[f"c{i:02d}" for i in range(1, 7)], "after"]
    assert [(i, flags) for i, _, flags in seen if flags] == [("c05", EMERGENCY)]


@pytest.mark.parametrize("indent", [None, 2])
def test_an_enter_in_a_note_inside_a_refused_array_keeps_the_records_apart(
    indent: int | None,
) -> None:
    """Read with strings that end at the line's end, the rest of the note turned the
    records after it inside out: five results for twenty, an emergency urgent."""
    clients = [json.loads(c) for c in _clients()]
    clients[2]["note"] = "line one\nline two"
    text = json.dumps(clients, indent=indent).replace("\\n", "\n") + ","  # a slip at its end
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 21)]
    assert [r["id"] for r in results if r["red_flags"]] == ["c05", "c13"]
    assert {r["red_flags"][0]["level"] for r in results if r["red_flags"]} == {"emergency"}


def test_log_lines_above_one_pretty_record_are_records_not_titles() -> None:
    """A new check of cd9efd2, NEW-1: lines with a log prefix before each record,
    then one pretty record, were taken for titles and dropped: 19 clients unread."""
    clients = _clients()
    lines = [f"2026-12-03 10:{i:02d} {c}" for i, c in enumerate(clients[:19])]
    text = "\n".join(lines) + "\n" + json.dumps(json.loads(clients[19]), indent=2) + "\n"
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert len(results) >= 20
    assert {r["id"] for r in results if r["red_flags"]} >= {"c05", "c13"}


def test_a_flat_row_among_an_export_s_records_is_read() -> None:
    """NEW-4: a row with no 'answers' object in a wrapper's list was dropped."""
    clients = [json.loads(c) for c in _clients()]
    clients[4] = {"id": "c05", **SADDLE}
    results = list(api.diagnose_stream(io.BytesIO(json.dumps({"clients": clients}).encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(1, 21)]
    assert results[4]["red_flags"][0]["level"] == "emergency"


@pytest.mark.parametrize("cut", [2, 3, 4])
def test_a_crash_inside_the_first_key_of_the_first_line_is_no_wrapper(cut: int) -> None:
    """NEW-2: '{"i' then the appended record read the whole file as a wrapper."""
    data = (CLEAN[:cut] + SIGN + "\n" + AFTER + "\n").encode()
    seen = _read(data)
    assert [flags for i, _, flags in seen if i == "sign"] == [EMERGENCY]
    assert seen[-1][0] == "after"


def test_flat_answers_beside_a_null_answers_object_are_read_as_written() -> None:
    """NEW-7: pandas writes "answers": null for a row of another shape; the row's own
    fields were read "not sure": emergency urgent, urgent clinician."""
    record = {"id": "c09", "answers": None, **FRACTURE, "saddle_numbness": "yes"}
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert [(f["level"], f["unsure"]) for f in result["red_flags"]][:2] == [
        ("emergency", False),
        ("urgent", False),
    ]


def test_a_refused_body_past_the_record_limit_says_its_results_are_cut() -> None:
    """NEW-5: over 1,000 records the 400 carried the first 1,000 without a word."""
    body = ("\n".join([CLEAN] * 5 + [SIGN]) + "\n{\n").encode()
    with pytest.raises(RequestProblem) as raised:
        read_body(body, api.bundled_rulebase(), max_records=6)
    assert "the first 6 records" in raised.value.message
    for limit in (7, 10):  # 7 records in all (the last a cut one): none left out
        with pytest.raises(RequestProblem) as whole:
            read_body(body, api.bundled_rulebase(), max_records=limit)
        assert "the first" not in whole.value.message
        assert len(whole.value.extra["results"]) == 7
