"""What `diagnose` decides below the command line, tested on typed values (issue 23,
item 5): the tally and exit status, the worker count, the per-record and summary
lines, the writer for an output, and opening the input."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from legpress_diag import exitcodes
from legpress_diag.intake.batch import Outcome, Tally, workers_for
from legpress_diag.intake.source import SourceError, open_source, source_name
from legpress_diag.presentation import writers
from legpress_diag.presentation.render.batch_text import (
    how_far,
    outcome_messages,
    summary_lines,
)


def _outcome(status: str = "ok", **fields: Any) -> Outcome:
    values: dict[str, Any] = {
        "line": 3,
        "record_id": "r3",
        "errors": [],
        "warnings": [],
        "screen_incomplete": False,
        "payload": {},
    }
    values.update(fields)
    return Outcome(status=status, **values)


def test_the_tally_counts_statuses_and_decides_the_exit_status() -> None:
    tally = Tally()
    assert tally.done == 0 and tally.exit_status == exitcodes.OK
    tally.add(_outcome("ok"))
    tally.add(_outcome("unscreened", screen_incomplete=True))
    assert tally.exit_status == exitcodes.OK  # an incomplete screen is not an error
    # A referral can carry errors too: one record with errors is enough for findings.
    tally.add(_outcome("refer", errors=[{"key": "age", "message": "age: not a number"}]))
    assert tally.counts == {"ok": 1, "unscreened": 1, "refer": 1}
    assert (tally.done, tally.with_errors, tally.unscreened) == (3, 1, 1)
    assert tally.exit_status == exitcodes.FINDINGS


@pytest.mark.parametrize(
    ("jobs", "cpus", "count", "told"),
    [
        (0, 4, 4, False),  # 0: one per CPU
        (1, 4, 1, False),
        (4, 4, 4, False),  # one per CPU: as asked
        (5, 4, 4, True),  # one more: capped, and said
        (2, 1, 2, False),  # never below 2, so --jobs 2 runs alike everywhere
        (3, 1, 2, True),
    ],
)
def test_workers_stop_at_one_per_cpu_but_never_below_two(
    jobs: int, cpus: int, count: int, told: bool
) -> None:
    used, note = workers_for(jobs, cpus)
    assert used == count and (note is not None) == told
    if note:
        assert note == (
            f"--jobs {jobs}: using {count} worker processes ({cpus} CPUs; more only cost memory)"
        )


def test_a_record_gets_its_first_error_with_a_count_then_each_warning() -> None:
    errors = [
        {"key": "knee_angle", "message": "knee_angle: not a number", "expected": "a number"},
        {"key": "age", "message": "age: not a number"},
        {"key": "x", "message": "x: y"},
    ]
    warnings = [{"key": "zzz", "message": "unknown question id"}]
    lines = list(outcome_messages("in.jsonl", _outcome(errors=errors, warnings=warnings)))
    assert lines == [
        "in.jsonl:3: error: knee_angle: not a number (expected a number) (+2 more)",
        "in.jsonl:3: warning: zzz: unknown question id",  # the key is added once
    ]
    in_array = _outcome(line=None, record_id=7, errors=errors[1:2])
    assert list(outcome_messages("in.json", in_array)) == [
        "in.json: record 7: error: age: not a number"
    ]


def test_the_summary_counts_by_status_and_warns_of_an_incomplete_screen() -> None:
    assert summary_lines(Tally()) == ["0 records (the input held none)"]
    one = Tally({"unscreened": 1}, unscreened=1)
    assert summary_lines(one)[0] == "1 record: 1 unscreened"
    assert summary_lines(one)[1].startswith("warning: 1 record leaves safety questions")
    two = Tally({"ok": 1, "error": 2}, with_errors=2, unscreened=2)
    assert summary_lines(two)[0] == "3 records: 2 error, 1 ok"  # statuses by name
    assert summary_lines(two)[1].startswith("warning: 2 records leave")
    assert "no safety screen" in summary_lines(two, has_screen=False)[1]
    assert len(summary_lines(Tally({"ok": 2}))) == 1


def test_how_far_a_stopped_batch_got() -> None:
    tally = Tally({"ok": 1})
    out = Path("results.jsonl")
    assert how_far(tally, out, streamed=True) == (
        "1 record was diagnosed (results.jsonl was left as it was)"
    )
    tally.add(_outcome())
    assert how_far(tally, None, streamed=True) == (
        "2 records were diagnosed (the first 2 results were written)"
    )
    assert how_far(tally, None, streamed=False).endswith("(no results were written)")


def test_the_writer_for_an_output(tmp_path: Path) -> None:
    assert writers.for_output(None, None, terminal=True).name == "table"
    assert writers.for_output(None, None, terminal=False).name == "jsonl"
    assert writers.for_output(None, tmp_path / "r.csv", terminal=True).name == "csv"
    assert writers.for_output("json", tmp_path / "r.csv", terminal=True).name == "json"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no suffix to go by: written as a pipe is
    assert writers.for_output(None, fifo, terminal=True).name == "jsonl"
    with pytest.raises(writers.FormatError, match="cannot tell the format"):
        writers.for_output(None, tmp_path / "results", terminal=False)


def test_opening_the_input_refuses_what_cannot_be_read_or_would_be_overwritten(
    tmp_path: Path,
) -> None:
    assert source_name("-") == "<stdin>" and source_name("a.jsonl") == "a.jsonl"
    with pytest.raises(SourceError, match="is a directory; give a JSON or JSON Lines file"):
        open_source(str(tmp_path), None)
    with pytest.raises(SourceError, match=r"missing\.jsonl: cannot read: No such file"):
        open_source(str(tmp_path / "missing.jsonl"), None)
    with pytest.raises(SourceError, match="standard input is closed"):
        open_source("-", None, stdin_closed=True)
    records = tmp_path / "in.jsonl"
    records.write_text("{}\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(records)
    with pytest.raises(SourceError, match=r"--output .*link.jsonl is the same file as the input"):
        open_source(str(records), link)
    with open_source(str(records), tmp_path / "out.jsonl") as stream:
        assert stream.read() == b"{}\n"


def test_an_id_given_to_two_records_is_named_once_with_both_places() -> None:
    """U17-8: two clients exported with one id; an app keyed by id showed one result
    for both, the other's referral unseen, and the batch said nothing."""
    tally = Tally()
    for line, record_id in [(1, "c1"), (2, "c2"), (3, "c1"), (4, "c1"), (5, 7), (6, "7")]:
        tally.add(_outcome(line=line, record_id=record_id))
    assert tally.repeated_ids == 1  # "c1" once, however often; 7 and "7" are two ids
    lines = summary_lines(tally)
    assert lines[-1].startswith('warning: 1 id is given to more than one record ("c1" at ')
    assert "lines 1 and 3" in lines[-1]
    array = Tally()
    for index in range(5):  # no lines: places by position, one-based
        array.add(_outcome(line=None, record_id=["a", "b", "c", "d", "b"][index]))
    assert '"b" at records #2 and #5' in summary_lines(array)[-1]
    many = Tally()
    for line in range(1, 13):
        many.add(_outcome(line=line, record_id=f"x{line % 5}"))
    said = summary_lines(many)[-1]
    assert said.startswith("warning: 5 ids are given") and "; and 2 more)" in said
    assert len(summary_lines(Tally({"ok": 2}))) == 1  # no repeat, no word


def test_ids_past_the_kept_number_are_not_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from legpress_diag.intake import batch

    monkeypatch.setattr(batch, "MAX_IDS_KEPT", 2)
    tally = Tally()
    for line, record_id in enumerate(["a", "b", "c", "c", "a"], 1):
        tally.add(_outcome(line=line, record_id=record_id))
    assert [r.record_id for r in tally.repeated] == ["a"]  # "c" came after the bound
