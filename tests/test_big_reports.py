"""Big batches stay usable: the HTML report is streamed (flat memory) and paged, and a
terminal shows a capped number of per-record messages (issue 24, item 7)."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli import batch_messages
from legpress_diag.cli.app import app
from legpress_diag.presentation.render.html_batch import (
    ROWS_PER_PAGE,
    Prepared,
    batch_page,
    write_page,
)

runner = CliRunner()


def items(n: int) -> Iterator[Prepared]:
    """Prepared records made on demand, each with a 2 kB section, as a batch yields them."""
    for i in range(1, n + 1):
        status = "refer" if i % 7 == 0 else "ok"
        yield Prepared(
            status,
            f"client-{i}",
            f"<td>{status}</td><td>cause</td><td>0.5</td><td></td></tr>",
            f"<h2>client-{i}</h2><p>{'x' * 2000}</p></section>",
            "bundled 1.0.0 (sha256:0)",
        )


def test_the_summary_comes_first_then_each_section_in_order() -> None:
    page = batch_page(items(30))
    assert page.index('<table class="summary">') < page.index('<section class="record"')
    anchors = re.findall(r'<section class="record" id="record-(\d+)">', page)
    assert anchors == [str(i) for i in range(1, 31)]
    assert "30 records: 26 ok, 4 refer" in page
    assert "<details" not in page  # one page of rows: no folding
    assert page.endswith("<footer>Rule base bundled 1.0.0 (sha256:0)</footer></body></html>\n")


def test_past_a_page_of_rows_the_summary_is_folded_into_pages() -> None:
    n = 2 * ROWS_PER_PAGE + 5
    page = batch_page(items(n))
    assert page.count("<details") == 3 and page.count("</details>") == 3
    assert f"<details open><summary>records 1 to {ROWS_PER_PAGE:,}</summary>" in page
    assert f"<details><summary>records from {2 * ROWS_PER_PAGE + 1:,}</summary>" in page
    assert page.count("<tr class=") == n  # every record has its row
    # The page boundary falls between two rows, in order.
    before, _, after = page.partition(f"records from {ROWS_PER_PAGE + 1:,}")
    assert f'href="#record-{ROWS_PER_PAGE}"' in before
    assert f'href="#record-{ROWS_PER_PAGE + 1}"' in after.split("</tr>")[1]  # after the head


def peak_while_writing(n: int, out: Path) -> int:
    with out.open("w", encoding="utf-8") as stream:
        tracemalloc.start()
        try:
            write_page(items(n), stream)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_memory_stays_flat_whatever_the_number_of_records(tmp_path: Path) -> None:
    small = peak_while_writing(200, tmp_path / "small.html")
    big = peak_while_writing(4000, tmp_path / "big.html")
    size = (tmp_path / "big.html").stat().st_size
    assert size > 8_000_000  # the page itself is big ...
    assert big < small + 256_000  # ... but what is held while writing it is not
    assert big < size / 20


def bad_records(n: int) -> str:
    return "".join(
        json.dumps({"id": f"c{i}", "answers": {"knee_angle_at_bottom": "deep"}}) + "\n"
        for i in range(n)
    )


def test_a_terminal_shows_a_capped_number_of_record_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch_messages, "is_terminal", lambda stream: True)
    limit = batch_messages.TERMINAL_MESSAGES
    result = runner.invoke(app, ["diagnose", "-", "-f", "jsonl"], input=bad_records(limit + 13))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == limit
    assert (
        "... and 13 more record messages: every record's errors and warnings are in its result"
        in result.stderr
    )
    assert len(result.stdout.splitlines()) == limit + 13  # the results hold them all


def test_at_the_limit_nothing_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_messages, "is_terminal", lambda stream: True)
    limit = batch_messages.TERMINAL_MESSAGES
    result = runner.invoke(app, ["diagnose", "-", "-f", "jsonl"], input=bad_records(limit))
    assert sum(": error: " in line for line in result.stderr.splitlines()) == limit
    assert "more record message" not in result.stderr


def test_a_log_gets_every_message() -> None:
    result = runner.invoke(app, ["diagnose", "-", "-f", "jsonl"], input=bad_records(45))
    assert sum(": error: " in line for line in result.stderr.splitlines()) == 45
    assert "more record message" not in result.stderr
