"""A UTF-8 byte-order mark at the start of an answers file changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.intake.records import UTF8_BOM, check_record, read_records

runner = CliRunner()

RECORDS = [
    {"id": "first", "answers": {"heels_lift": "yes"}},
    {"id": "second", "answers": {"knees_cave_in": "yes"}},
    {"id": "third", "answers": {"butt_lifts_off_seat": "yes"}},
]
LAYOUTS = {
    "array on one line": json.dumps(RECORDS),
    "pretty-printed array": json.dumps(RECORDS, indent=2),
    "JSON Lines": "".join(json.dumps(r) + "\n" for r in RECORDS),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_record_behind_a_bom_is_read(layout: str) -> None:
    data = UTF8_BOM + LAYOUTS[layout].encode()
    checked = [check_record(raw) for raw in read_records(io.BytesIO(data))]
    assert [c.record_id for c in checked] == ["first", "second", "third"]
    assert all(not c.errors and c.answers for c in checked)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_record_behind_a_bom_is_diagnosed(layout: str) -> None:
    data = UTF8_BOM + LAYOUTS[layout].encode()
    result = runner.invoke(app, ["diagnose", "-", "--format", "jsonl"], input=data)
    assert result.exit_code == 0, result.output
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in results] == ["first", "second", "third"]
    assert [r["status"] for r in results] == ["unscreened"] * 3


@pytest.mark.parametrize("indent", [None, 2])
def test_a_single_object_behind_a_bom_is_one_record(indent: int | None) -> None:
    data = UTF8_BOM + json.dumps(RECORDS[0], indent=indent).encode() + b"\n"
    (checked,) = [check_record(raw) for raw in read_records(io.BytesIO(data))]
    assert checked.record_id == "first" and checked.answers == {"heels_lift": "yes"}
    assert not checked.errors


def test_a_bom_after_the_start_is_still_an_error() -> None:
    # Only the file's first bytes may be a byte-order mark; one inside an array is not JSON.
    data = b"[" + UTF8_BOM + json.dumps(RECORDS[0]).encode() + b"]"
    (raw,) = read_records(io.BytesIO(data))
    assert raw.problem is not None and "cannot be read" in raw.problem
