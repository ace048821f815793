"""A record strict JSON cannot read is an error, and its answers are still screened
when a lenient reading finds them (attack round 9, M2): a readable "yes" to saddle
numbness beside an id "café" in Latin-1, a TAB inside a string, or a UTF-16 file gave
an error with no referral in every interface. Round 10 (M2): so did a trailing comma,
a comment, single quotes, a record cut short, UTF-16 without a byte-order mark, UTF-32,
a UTF-16 JSON Lines file and a JSON array with a trailing comma."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag import api
from legpress_diag.cli.app import app
from legpress_diag.intake.records import is_json_lines

from .test_interview_two_spellings import SCREEN_CLEAR

runner = CliRunner()
SIGN = {**SCREEN_CLEAR, "saddle_numbness": "yes"}


CASES = {
    # An id "café" written by a Latin-1 program: one byte strict UTF-8 refuses.
    "a Latin-1 byte in the id": b'{"id": "caf\xe9", "answers": ' + json.dumps(SIGN).encode() + b"}",
    # A literal TAB inside a string, which strict JSON refuses ("\t" is the escape).
    "a TAB inside a string": b'{"id": "a\tb", "answers": ' + json.dumps(SIGN).encode() + b"}",
}
RECORD = json.dumps({"id": "r1", "answers": SIGN})
SIGN_AT = RECORD.index('"saddle_numbness"')
# Round 10, M2: the mistakes a person or another program makes that JSON refuses.
CASES |= {
    "a trailing comma": (RECORD[:-2] + ",}}").encode(),
    "a comment inside": RECORD.replace('"saddle_numbness"', '/* x */ "saddle_numbness"').encode(),
    "single quotes": RECORD.replace('"', "'").encode(),
    "typographic quotes": RECORD.replace(
        '"saddle_numbness": "yes"', "“saddle_numbness”: “yes”"
    ).encode(),
    "keys without quotes": RECORD.replace('"saddle_numbness"', "saddle_numbness").encode(),
    "a Python dict pasted": str(json.loads(RECORD)).encode(),
    "cut short after the answer": RECORD[: SIGN_AT + len('"saddle_numbness": "yes"') + 2].encode(),
    "cut short inside the answer": RECORD[: SIGN_AT + len('"saddle_numbness": "ye')].encode(),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_error_still_refers(name: str) -> None:
    raw = CASES[name]
    [result] = list(api.diagnose_stream(io.BytesIO(raw)))
    assert result["errors"], "the record is still an error"
    assert result["status"] == "refer"
    # A "yes" cut to "ye" is no answer the reader knows: not sure, one level lower.
    level = "urgent" if name == "cut short inside the answer" else "emergency"
    assert [f["level"] for f in result["red_flags"] if f["id"] == "saddle_numbness"] == [level]
    assert not result["causes"] and not result["fixes"]


# Read as UTF-8 once their encoding is found (PowerShell writes UTF-16): records, not
# errors (a new user's F4: read line by line, 582 records for 20 clients).
WIDE = {
    "UTF-16 with its byte-order mark": json.dumps({"answers": SIGN}).encode("utf-16"),
    "UTF-16 little-endian without a byte-order mark": RECORD.encode("utf-16-le"),
    "UTF-16 big-endian without a byte-order mark": RECORD.encode("utf-16-be"),
    "UTF-32 with its byte-order mark": RECORD.encode("utf-32"),
    "UTF-32 without a byte-order mark": RECORD.encode("utf-32-le"),
}


@pytest.mark.parametrize("name", sorted(WIDE))
def test_utf16_and_utf32_inputs_are_read_as_records(name: str) -> None:
    [result] = list(api.diagnose_stream(io.BytesIO(WIDE[name])))
    assert not result["errors"] and result["status"] == "refer"
    assert [f["level"] for f in result["red_flags"] if f["id"] == "saddle_numbness"] == [
        "emergency"
    ]
    assert not io.BytesIO(WIDE[name]).read(0) and not is_json_lines(io.BytesIO(WIDE[name]))


def test_a_pretty_printed_utf16_array_is_every_record(tmp_path: Path) -> None:
    """PowerShell's `ConvertTo-Json | Out-File`: an array, indented, CRLF, UTF-16."""
    records = [{"id": f"c{i}", "answers": SIGN if i == 3 else SCREEN_CLEAR} for i in range(5)]
    data = json.dumps(records, indent=4).replace("\n", "\r\n").encode("utf-16")
    results = list(api.diagnose_stream(io.BytesIO(data)))
    assert [r["id"] for r in results] == [f"c{i}" for i in range(5)]
    assert [r["status"] for r in results].count("refer") == 1 and results[3]["status"] == "refer"


def test_a_line_of_them_among_good_lines_refers_on_the_command_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "answers": SCREEN_CLEAR}).encode()
    source = tmp_path / "in.jsonl"
    source.write_bytes(good + b"\n" + CASES["a Latin-1 byte in the id"] + b"\n" + good + b"\n")
    done = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl"])
    assert done.exit_code == 1
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in results] == ["ok", "refer", "ok"]
    assert "invalid UTF-8" in results[1]["errors"][0]["message"]


def test_a_line_with_no_answers_to_read_stays_a_plain_error() -> None:
    [result] = list(api.diagnose_stream(io.BytesIO(b'{"answers": {\xff\xfe yes saddle\n')))
    assert result["status"] == "error" and not result["red_flags"]


def test_a_hand_edited_pretty_printed_record_refers_and_advises_nothing() -> None:
    """A record over several lines with a trailing comma and a comment is read line by
    line once it is not one document; the line that holds the sign refers."""
    text = json.dumps({"id": "p", "answers": SIGN}, indent=2).replace('"yes"', '"yes", // sure')
    results = list(api.diagnose_stream(io.BytesIO(text.encode())))
    assert "refer" in [r["status"] for r in results]
    assert all(r["status"] in ("refer", "error") and not r["fixes"] for r in results)


def test_a_no_cut_short_is_read_as_the_answer_it_is() -> None:
    """Only what was answered is read: a "no" refers nothing, the record stays an error."""
    text = json.dumps({"answers": {**SCREEN_CLEAR, "saddle_numbness": "no"}})[:-3]
    [result] = list(api.diagnose_stream(io.BytesIO(text.encode() + b"\n")))
    assert result["status"] == "error" and not result["red_flags"]


def test_an_answer_inside_a_string_is_not_read_as_one() -> None:
    """The lenient reading takes strings as strings: a note that quotes a key is no answer."""
    note = 'saddle_numbness: yes, \\"saddle_numbness\\": \\"yes\\"'
    text = '{"id": "n", "note": "' + note + '", "answers": {,}}'
    [result] = list(api.diagnose_stream(io.BytesIO(text.encode() + b"\n")))
    assert result["status"] == "error" and not result["red_flags"]


def test_a_key_read_two_ways_is_not_sure() -> None:
    """Given twice with different answers in a refused record, an emergency sign is
    read as not sure (one level lower, still referred), as a repeated key is in a
    readable one; a no beside a yes never makes it a no."""
    text = '{"answers": {"saddle_numbness": "no", "saddle_numbness": "yes",}}'
    [result] = list(api.diagnose_stream(io.BytesIO(text.encode() + b"\n")))
    assert result["status"] == "refer"
    assert [f["level"] for f in result["red_flags"] if f["id"] == "saddle_numbness"] == ["urgent"]


def test_an_array_with_a_slip_screens_each_record_on_its_own(tmp_path: Path) -> None:
    """One error per record of an array JSON refuses, each screened on its own answers:
    one record's sign is never given to another, and none is lost (it was one error)."""
    records = [
        {"id": "a", "answers": {**SCREEN_CLEAR, "saddle_numbness": "no"}},
        {"id": "b", "answers": SIGN},
        {"id": "c", "answers": {**SCREEN_CLEAR, "chest_pain_now_or_at_rest": "yes"}},
    ]
    lines = [json.dumps(record) for record in records]
    source = tmp_path / "in.json"
    source.write_text("[\n" + ",\n".join(lines) + ",\n]\n")
    done = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl"])
    assert done.exit_code == 1
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in results] == ["error", "refer", "refer"]
    assert [[f["id"] for f in r["red_flags"]] for r in results] == [
        [],
        ["saddle_numbness"],
        ["chest_pain_now_or_at_rest"],
    ]
    assert [r["line"] for r in results] == [2, 3, 4]  # where each record starts
    assert all("the JSON array cannot be read" in r["errors"][0]["message"] for r in results)
    cut = tmp_path / "cut.json"
    cut.write_text("[\n" + ",\n".join(lines)[:-3])  # the last record cut short
    done = runner.invoke(app, ["diagnose", str(cut), "-f", "jsonl"])
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in results] == ["error", "refer", "refer"]


def test_a_utf16_json_lines_file_is_read_record_by_record(tmp_path: Path) -> None:
    """PowerShell's `>` writes UTF-16 with CRLF: read line by line, each line after the
    first started with a NUL and the file ended with a phantom record. Read as UTF-8
    once the encoding is found: every record, at its line, none made up."""
    records = [
        {"id": "a", "answers": SIGN},
        {"id": "b", "answers": SCREEN_CLEAR},
        {"answers": SIGN},
    ]
    data = "".join(json.dumps(r) + "\r\n" for r in records).encode("utf-16")
    source = tmp_path / "ps.jsonl"
    source.write_bytes(data)
    done = runner.invoke(app, ["diagnose", str(source), "-f", "jsonl"])
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in results] == ["refer", "ok", "refer"]
    assert [r["line"] for r in results] == [1, 2, 3]
    # The cluster path reads such a file whole, as diagnose does.
    assert not is_json_lines(io.BytesIO(data))


@pytest.mark.parametrize("path", ["/v1/diagnose", "/v1/interview"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_400_carries_the_referral(path: str, name: str) -> None:
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(api.bundled_rulebase()))
    answer = client.post(path, content=CASES[name], headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    body = answer.json()
    assert "refers all the same" in body["detail"]
    [result] = body["results"]
    assert result["status"] == "refer" and result["errors"]
    assert {"emergency", "urgent"} & {f["level"] for f in result["red_flags"]}
    broken_array = (
        b"[" + json.dumps({"answers": SCREEN_CLEAR}).encode() + b"," + CASES[name] + b",]"
    )
    answer = client.post(path, content=broken_array, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert [r["status"] for r in answer.json()["results"]] == ["error", "refer"]
    plain = client.post(path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert plain.status_code == 400 and "results" not in plain.json()


def test_the_lenient_reading_is_bounded() -> None:
    """At most MAX_SALVAGED_KEYS keys a record, and at most max_records results in a
    400 (a body of a million empty objects and a slip is no million results)."""
    from legpress_diag.intake.salvage import MAX_SALVAGED_KEYS, salvaged_answers
    from legpress_diag.web.limits import Limits
    from legpress_diag.web.problems import RequestProblem
    from legpress_diag.web.service import read_body

    many = ", ".join(f'"k{i}": "yes"' for i in range(MAX_SALVAGED_KEYS + 500))
    answers, _ = salvaged_answers(("{" + many + ",}").encode())
    assert len(answers) == MAX_SALVAGED_KEYS
    body = b"[" + CASES["a trailing comma"] + b"," + b"{}," * 3000 + b"]"
    limits = Limits()
    with pytest.raises(RequestProblem) as raised:
        read_body(body, api.bundled_rulebase(), limits.max_records)
    results = raised.value.extra["results"]
    assert len(results) == limits.max_records
    assert results[0]["status"] == "refer"


@pytest.mark.parametrize(
    "record",
    [
        {"answers": json.dumps(SIGN)},  # the answers encoded twice
        json.dumps({"id": "x", "answers": SIGN}),  # the whole record encoded twice
        {"answers": [{"question": k, "answer": v} for k, v in SIGN.items()]},
        {"answers": [{"id": k, "value": v} for k, v in SIGN.items()]},
    ],
    ids=["answers as a string", "record as a string", "question/answer list", "id/value list"],
)
def test_answers_in_the_wrong_shape_are_an_error_that_still_refers(record: Any) -> None:
    """Attack round 11, M1: an error with no referral in every interface."""
    [result] = list(api.diagnose_stream(io.BytesIO(json.dumps(record).encode())))
    assert result["errors"] and result["status"] == "refer"
    assert [(f["id"], f["level"]) for f in result["red_flags"]] == [
        ("saddle_numbness", "emergency")
    ]
    assert not result["fixes"]
    no = json.dumps({"answers": json.dumps(SCREEN_CLEAR)})
    [plain] = list(api.diagnose_stream(io.BytesIO(no.encode())))
    assert plain["status"] == "error" and not plain["red_flags"]


@pytest.mark.parametrize("path", ["/v1/diagnose", "/v1/interview"])
def test_the_service_refers_answers_in_the_wrong_shape_too(path: str) -> None:
    pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    client = TestClient(create_app(api.bundled_rulebase()))
    for record in (
        json.dumps({"id": "x", "answers": SIGN}),
        {"answers": json.dumps(SIGN)},
        {"answers": [{"question": k, "answer": v} for k, v in SIGN.items()]},
    ):
        answer = client.post(
            path, content=json.dumps(record), headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 422, answer.text
        [result] = answer.json()["results"]
        assert [f["level"] for f in result["red_flags"]] == ["emergency"]


def test_a_wide_input_is_read_whole_within_its_bound(tmp_path: Path) -> None:
    """A UTF-16 input is read whole to become UTF-8: past 64 MiB it is refused, and
    NUL bytes alone (/dev/zero) are no UTF-32 text (they were read for 512 MB)."""
    from legpress_diag.intake.records import MAX_WIDE_BYTES

    big = tmp_path / "big.json"
    big.write_bytes("\ufeff".encode("utf-16-le") + b" \x00" * (MAX_WIDE_BYTES // 2))
    done = runner.invoke(app, ["diagnose", str(big)])
    assert done.exit_code == 2
    assert "UTF-16 input larger than 67,108,864 bytes; save it as UTF-8" in done.output
    zeros = tmp_path / "zeros.jsonl"
    zeros.write_bytes(b"\x00" * 64 + b"\n")
    done = runner.invoke(app, ["diagnose", str(zeros), "-f", "jsonl"])
    assert done.exit_code == 1 and "looks like UTF-16 or UTF-32" in done.output
