"""Records as other programs and people write them, read as `diagnose` and the cluster
path read them alike, each record on its own (attack round 11):

- H2: records joined by a lone CR (a classic Mac file) with one byte that is not
  UTF-8 among them, or more than 8 MiB of them, were one error: every emergency lost;
- H4: a raw line break inside a string (a note typed with Enter) split the record;
- H5: a pretty-printed record in Windows-1252 or Latin-1 was an error per line;
- M3: pretty-printed records one after another (`jq .` output) were an error per line.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag import api
from legpress_diag.cli.app import app
from legpress_diag.intake.records import MAX_LINE_BYTES, is_json_lines

from .test_interview_two_spellings import SCREEN_CLEAR

runner = CliRunner()
SIGN = {**SCREEN_CLEAR, "saddle_numbness": "yes"}


def _record(index: int, sign: bool) -> dict[str, Any]:
    return {"id": f"lifter{index}", "answers": SIGN if sign else SCREEN_CLEAR}


def _both_paths(data: bytes) -> list[tuple[str, int | None, list[str]]]:
    """What diagnose gives the bytes, checked equal to the cluster path's reading."""
    whole = [
        (r["status"], r.get("line"), [f["level"] for f in r["red_flags"]])
        for r in api.diagnose_stream(io.BytesIO(data))
    ]
    if is_json_lines(io.BytesIO(data)):
        part = api.diagnose_partition(api.numbered_lines(data))
        assert [
            (r["status"], r.get("line"), [f["level"] for f in r["red_flags"]]) for r in part
        ] == whole
        assert api.lines_taken(data) >= (whole[-1][1] or 0)
    return whole


def test_a_mac_roman_letter_among_cr_joined_records_costs_only_its_record() -> None:
    records = [json.dumps(_record(i, i in (1, 4))).encode() for i in range(6)]
    records[5] = records[5].replace(b'"lifter5"', b'"Ren\x8e"')  # Mac Roman e-acute
    results = _both_paths(b"\r".join(records) + b"\r")
    assert [status for status, _, _ in results] == ["ok", "refer", "ok", "ok", "refer", "error"]
    assert [line for _, line, _ in results] == [1, 2, 3, 4, 5, 6]


def test_cr_joined_records_past_the_line_limit_are_each_read() -> None:
    """More than 8 MiB of CR-joined records: read in pieces, none lost, numbered on."""
    one = json.dumps(_record(0, False)).encode()
    count = MAX_LINE_BYTES // len(one) + 200
    signs = {5, count // 2, count - 1}
    data = b"\r".join(json.dumps(_record(i, i in signs)).encode() for i in range(count)) + b"\r"
    assert len(data) > MAX_LINE_BYTES
    results = _both_paths(data)
    assert len(results) == count
    assert [line for _, line, _ in results] == list(range(1, count + 1))
    assert [i for i, (status, _, _) in enumerate(results) if status == "refer"] == sorted(signs)


def test_a_piece_over_the_limit_is_one_error_and_the_records_after_it_are_read() -> None:
    first = json.dumps(_record(0, False)).encode()
    last = json.dumps(_record(2, True)).encode()
    data = first + b"\r" + b'"' + b"x" * (MAX_LINE_BYTES + 10) + b'"\r' + last + b"\r"
    results = _both_paths(data)
    assert [(status, line) for status, line, _ in results] == [
        ("ok", 1),
        ("error", 2),
        ("refer", 3),
    ]


@pytest.mark.parametrize("inside", ["\r", "\n", "\x0b", "\x0c", "\r\n"])
def test_a_raw_line_break_inside_a_string_keeps_the_record_whole(
    inside: str, tmp_path: Path
) -> None:
    record = {"id": "n", "note": "PLACE", "answers": SIGN}
    text = json.dumps(record).replace("PLACE", f"left side{inside}hurts more") + "\n"
    results = _both_paths(text.encode())
    assert [(status, levels) for status, _, levels in results] == [("refer", ["emergency"])]
    pretty = json.dumps(record, indent=2).replace("PLACE", f"left side{inside}hurts more")
    assert [status for status, _, _ in _both_paths(pretty.encode())] == ["refer"]
    source = tmp_path / "me.json"
    source.write_text(pretty)
    done = runner.invoke(app, ["ask", "--answers", str(source)])
    assert done.exit_code == 2 and "Go to an emergency department now" in done.output


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "mac_roman"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_pretty_printed_record_not_in_utf8_is_one_record(encoding: str, newline: str) -> None:
    record = {"id": "René", "answers": SIGN}
    data = json.dumps(record, indent=2, ensure_ascii=False).replace("\n", newline).encode(encoding)
    results = _both_paths(data + newline.encode())
    assert [(status, levels) for status, _, levels in results] == [("refer", ["emergency"])]


def test_pretty_printed_records_one_after_another_are_records() -> None:
    records = [_record(i, i in (1, 4)) for i in range(6)]
    pretty = "".join(json.dumps(r, indent=2) + "\n" for r in records)
    results = _both_paths(pretty.encode())
    assert [status for status, _, _ in results] == ["ok", "refer", "ok", "ok", "refer", "ok"]
    starts = [1 + pretty[: pretty.index(f'"lifter{i}"')].count("\n") - 1 for i in range(6)]
    assert [line for _, line, _ in results] == starts
    # A pretty-printed record before JSON Lines: the records after it are read too.
    mixed = json.dumps(records[1], indent=2) + "\n" + json.dumps(records[0]) + "\n"
    assert [status for status, _, _ in _both_paths(mixed.encode())] == ["refer", "ok"]
    # Two on one line are no such file: JSON Lines' reading (an error for the line).
    joined = json.dumps(records[0], indent=2) + json.dumps(records[1]) + "\n"
    assert "refer" in [status for status, _, _ in _both_paths(joined.encode())]


def test_a_json_text_sequence_is_read_record_by_record() -> None:
    """RFC 7464 (`jq --seq`): each record starts with RS (attack round 11, M2')."""
    data = b"".join(b"\x1e" + json.dumps(_record(i, i == 1)).encode() + b"\n" for i in range(3))
    results = _both_paths(data)
    assert [(status, line) for status, line, _ in results] == [("ok", 1), ("refer", 2), ("ok", 3)]


# A new user's messy client files (a coach with Windows, Mac and jq exports).
FRACTURE = {**SCREEN_CLEAR, "age_years": 70, "sudden_sharp_onset": "yes", "onset_settling": "no"}


def test_a_trailing_comma_in_a_pretty_record_keeps_its_signs_together() -> None:
    """F2, F3: read an error per line, the age, the onset and its course were screened
    apart: urgent became clinician, emergency became urgent."""
    text = json.dumps({"id": "c09", "answers": FRACTURE}, indent=2)
    broken = text.replace('"onset_settling": "no"', '"onset_settling": "no",')
    [(status, _, levels)] = _both_paths(broken.encode())
    assert status == "refer" and levels[0] == "urgent"
    nerve = {**SCREEN_CLEAR, "saddle_numbness": "unsure", "leg_pain_below_knee": "yes"}
    text = json.dumps({"id": "c19", "answers": nerve}, indent=2) + "  // checked\n"
    [(status, _, levels)] = _both_paths(text.encode())
    assert status == "refer" and levels[0] == "emergency"


def test_jq_output_with_one_trailing_comma_is_every_client_one_an_error() -> None:
    """F5: one hand-added comma made 20 clients 579 records, every id lost."""
    texts = [
        json.dumps({"id": f"c{i:02d}", "answers": FRACTURE if i == 9 else SCREEN_CLEAR}, indent=2)
        for i in range(20)
    ]
    texts[9] = texts[9].replace("\n  }\n}", ",\n  }\n}")  # after c09's last answer
    pretty = "".join(text + "\n" for text in texts)
    results = list(api.diagnose_stream(io.BytesIO(pretty.encode())))
    assert [r["id"] for r in results] == [f"c{i:02d}" for i in range(20)]
    assert results[9]["status"] == "refer" and results[9]["errors"]
    assert results[9]["red_flags"][0]["level"] == "urgent"
    assert [r["status"] for r in results].count("refer") == 1


def test_an_enter_in_a_note_in_json_lines_still_refers() -> None:
    """F1: the second half of a record split by an Enter in its note starts inside a
    string; read as it was, its emergency was lost. The halves are one record again
    (an error, as a raw line break in a string is no JSON), screened whole."""
    first = json.dumps(_record(1, False))
    split = json.dumps({"id": "c05", "note": "line one\nline two", "answers": SIGN})
    data = (first + "\n" + split.replace("\\n", "\n") + "\n").encode()
    results = _both_paths(data)
    assert results == [("ok", 1, []), ("refer", 2, ["emergency"])]


def test_a_record_the_parser_refuses_keeps_its_id_and_says_what_to_do() -> None:
    """F7, F8: a Windows-1252 record was named by its line, and the error gave a byte."""
    record = {"id": "c03", "note": "Fran\u00e7ois", "answers": SIGN}
    data = json.dumps(record, ensure_ascii=False).encode("cp1252")
    [result] = list(api.diagnose_stream(io.BytesIO(data + b"\n")))
    assert result["id"] == "c03" and result["status"] == "refer"
    assert result["errors"][0]["expected"].endswith("save the file as UTF-8")


def test_a_json_lines_body_to_the_service_is_read_record_by_record() -> None:
    """F6: a JSON Lines body was one merged result, its definite emergency 'unsure'."""
    from legpress_diag.web.problems import RequestProblem
    from legpress_diag.web.service import read_body

    body = json.dumps({"id": "a", "answers": SIGN}) + "\n"
    body += json.dumps({"id": "b", "answers": {**SCREEN_CLEAR, "saddle_numbness": "no"}}) + "\n"
    with pytest.raises(RequestProblem) as raised:
        read_body(body.encode(), api.bundled_rulebase())
    results = raised.value.extra["results"]
    assert [(r["id"], r["status"]) for r in results] == [("a", "refer"), ("b", "ok")]
    assert [(f["level"], f["unsure"]) for f in results[0]["red_flags"]] == [("emergency", False)]


# Attack round 12.
@pytest.mark.parametrize(
    "elsewhere",
    [
        {"last_week": {"saddle_numbness": "no"}},
        {"questionnaire": {"saddle_numbness": "Do you have numbness?"}},
    ],
    ids=["last week's no", "a map of question texts"],
)
@pytest.mark.parametrize("slip", ["trailing comma", "Windows-1252 name"])
def test_the_key_elsewhere_does_not_lower_a_refused_records_yes(
    elsewhere: dict[str, Any], slip: str
) -> None:
    """H1: strict, EMERGENCY; with a slip the scan read the key twice: "not sure"."""
    record = {"id": "Ren\u00e9", "answers": SIGN, **elsewhere}
    if slip == "trailing comma":
        data = (json.dumps(record)[:-1] + ",}").encode()
    else:
        data = json.dumps(record, ensure_ascii=False).encode("cp1252")
    [result] = list(api.diagnose_stream(io.BytesIO(data)))
    assert result["errors"] and [f["level"] for f in result["red_flags"]][:1] == ["emergency"]
    nested = {"id": "n", "answers": {**SIGN, "previous": {"saddle_numbness": "no"}}}
    [inner] = list(api.diagnose_stream(io.BytesIO((json.dumps(nested)[:-1] + ",}").encode())))
    assert [f["level"] for f in inner["red_flags"]][:1] == ["emergency"]


@pytest.mark.parametrize("between", ["", " ", ",", ";", "\x00", "\x1e", "\x1c", "|", "\ufeff"])
def test_records_on_one_line_are_each_a_record(between: str) -> None:
    """H2: json.dump in a loop (nothing between records), or a separator: one result
    stood for them all, a yes and a no "not sure", every id lost."""
    records = [json.dumps(_record(i, i == 3)) for i in range(6)]
    data = (between.join(records) + "\n").encode()
    results = _both_paths(data)
    assert [status for status, _, _ in results] == ["ok", "ok", "ok", "refer", "ok", "ok"]
    assert results[3][2] == ["emergency"] and {line for _, line, _ in results} == {1}


def test_records_after_an_array_and_arrays_in_an_array_are_read() -> None:
    """H3: everything after the first ']' was dropped without a word, and a record one
    array deeper, or a JSON Lines line that is an array, was never screened."""
    clean, sign = json.dumps(_record(0, False)), json.dumps(_record(1, True))
    for text in (f"[{clean}]\n{sign}\n", f"[{clean}]\n[{sign}]\n", f"[{clean}][{sign}]"):
        results = list(api.diagnose_stream(io.BytesIO(text.encode())))
        assert [r["id"] for r in results] == ["lifter0", "lifter1"], text
        assert results[1]["red_flags"][0]["level"] == "emergency"
    results = list(api.diagnose_stream(io.BytesIO(f"[[{sign}], {clean}]".encode())))
    assert [(r["id"], r["status"]) for r in results] == [("lifter1", "refer"), ("lifter0", "ok")]
    lines = _both_paths(f"{clean}\n[{sign}, {clean}]\n".encode())
    assert [(status, line) for status, line, _ in lines] == [("ok", 1), ("refer", 2), ("ok", 2)]


# An outside check of the final commit.
@pytest.mark.parametrize(
    "before",
    [
        '"previous": {"answers": {"saddle_numbness": "no"}}, ',
        '"meta": {"form": "v2", "answers": {}}, ',
        '"note": "coach: answers: {see last week}", ',
        '"referred_by": {"id": "c07"}, ',
    ],
    ids=["last week's answers", "an empty answers in meta", "answers: { in a note", "a nested id"],
)
def test_a_refused_record_reads_its_own_answers_and_id(before: str) -> None:
    """N2, N5: the first 'answers' object (or id) anywhere was taken for the record's:
    every real answer that differed was "not sure", and an emergency was filed under
    another client's id."""
    answers = json.dumps({**SIGN, **FRACTURE, "saddle_numbness": "yes"})
    text = '{"id": "c05", ' + before + '"answers": ' + answers + ",}"
    [result] = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert result["id"] == "c05" and result["errors"]
    levels = {f["id"]: (f["level"], f["unsure"]) for f in result["red_flags"]}
    assert levels["saddle_numbness"] == ("emergency", False)
    assert levels["fracture_risk_sudden_onset"] == ("urgent", False)


@pytest.mark.parametrize("nuls", [1, 3, 4096])
def test_nul_bytes_before_a_utf8_file_are_no_utf16(nuls: int) -> None:
    """N4: one NUL before a UTF-8 JSON Lines file read it as UTF-16: 20 clients, one
    error, no referral. NULs before a record are a crash's padding: left out (round
    13, N4b: the record after them was an error with no referral)."""
    lines = [json.dumps(_record(i, i == 2)) for i in range(4)]
    data = b"\x00" * nuls + "\n".join(lines).encode() + b"\n"
    results = _both_paths(data)
    assert [status for status, _, _ in results] == ["ok", "ok", "refer", "ok"]
    padded = "\n".join([*lines[:2], "\x00" * nuls + lines[2], lines[3]]).encode() + b"\n"
    assert [status for status, _, _ in _both_paths(padded)] == ["ok", "ok", "refer", "ok"]


def test_keys_with_quotes_are_read_once() -> None:
    """A random find of the property test: a second reading 'from inside a string'
    added a key of its own to a record that the first reading had read whole."""
    from legpress_diag.intake.salvage import salvaged_answers

    text = json.dumps({"id": "x", "answers": {'"': None, "\\": None}})
    found, _ = salvaged_answers((text[:-2] + ",}}").encode())
    assert found == {'"': None, "\\": None}
