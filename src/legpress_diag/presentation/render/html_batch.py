"""A batch of diagnoses as one self-contained HTML page (inline CSS, no script).

The page opens with a summary table (id, status, top cause, certainty, red flags)
whose ids link to one section per record. It is rendered from the ``batch.html``
templates (:mod:`.html`: autoescaped, control characters shown escaped), and a
Content Security Policy forbids scripts and any fetch, so a hostile id or title
stays text. It is written as a stream (constant memory for 50,000 records); past
1,000 records the table is split into folded pages, and a browser lays out only the
sections on screen (``content-visibility``).

Red flags come first in their record's section, whole (level, what to do, title,
advice, the answers that raised them), in a red box; a referral shows the causes
only as information for the clinician, without exercise advice (the result carries
none).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable
from functools import cache
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from ...reasoning.result import DiagnosisOut
from .html import environment, static_text

if TYPE_CHECKING:
    from jinja2 import Template

    from ...knowledge.rulebase import RuleBase

Result = DiagnosisOut

# No script, no request of any kind; inline styles only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"


class Prepared(NamedTuple):
    """One record as escaped HTML, less what depends on its position (the anchor)."""

    status: str
    id_html: str
    row: str  # the summary row after the id cell
    section: str  # the section after its opening tag
    rulebase: str


@cache
def _macros() -> Any:
    return environment().get_template("batch.html").module


@cache
def _text() -> Template:
    return environment().from_string("{{ v }}")


def _anchor(index: int) -> str:
    return f"record-{index}"


def prepare(result: Result, rb: RuleBase | None) -> Prepared:
    """One record's part of the page; pure, may run in a worker process."""
    macros = _macros()
    ident = result.get("rulebase")
    return Prepared(
        status=result["status"],
        id_html=_text().render(v=result["id"]),
        row=str(macros.summary_cells(result)),
        section=str(macros.section_body(result, rb)),
        # A page of many records: the hash alone (a rule file's name is free text).
        rulebase=str(ident["hash"]) if ident else "",
    )


def batch_page(prepared: Iterable[Prepared]) -> str:
    """The page as one string (see :func:`write_page`)."""
    buffer = io.StringIO()
    write_page(prepared, buffer)
    return buffer.getvalue()


# Summary rows per page of the table: past this many records the table is split into
# folded pages, so a browser lays out one page of rows, not 50,000.
ROWS_PER_PAGE = 1000


def write_page(prepared: Iterable[Prepared], out: IO[str]) -> None:
    """The page: a summary table linking to one section per record, in order.

    The summary comes first but needs every record, so rows and sections are spooled
    to temporary files as they come and copied out at the end: memory stays the same
    whatever the number of records (the disk holds about the page's size meanwhile).
    Every piece is a macro of ``batch.html``; what a record brings was escaped when it
    was prepared.
    """
    macros = _macros()
    counts: dict[str, int] = {}
    identity = ""
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as rows,
        tempfile.TemporaryFile("w+", encoding="utf-8") as sections,
    ):
        total = 0
        for total, item in enumerate(prepared, 1):
            anchor = _anchor(total)
            if total % ROWS_PER_PAGE == 1 and total > 1:
                rows.write(str(macros.table_break(total)))
            rows.write(
                str(macros.summary_row(anchor, item.status, Markup(item.id_html), Markup(item.row)))
            )
            sections.write(str(macros.record_section(anchor, Markup(item.section))))
            counts[item.status] = counts.get(item.status, 0) + 1
            identity = identity or item.rulebase
        tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        paged = total > ROWS_PER_PAGE
        style, csp = Markup(static_text("batch.css")), Markup(CSP)
        out.write(
            str(macros.page_start(total, tally, style, csp, paged, min(total, ROWS_PER_PAGE)))
        )
        _copy(rows, out, str(macros.table_close(paged)))
        _copy(sections, out, "")
    out.write(str(macros.page_end(identity)))


def _copy(spool: IO[str], out: IO[str], after: str) -> None:
    spool.seek(0)
    shutil.copyfileobj(spool, out)
    out.write(after)
