"""A batch of diagnoses as one self-contained HTML page (inline CSS, no script).

The page opens with a summary table (id, status, top cause, certainty, red flags)
whose ids link to one section per record. It is rendered from the ``batch.html``
templates (:mod:`.html`: autoescaped, control characters shown escaped), and a
Content Security Policy forbids scripts and any fetch, so a hostile id or title
stays text.

Red flags come first in their record's section, whole (level, what to do, title,
advice, the answers that raised them), in a red box; a referral shows the causes
only as information for the clinician, without exercise advice (the result carries
none).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from ...reasoning.result import DiagnosisOut
from .html import environment, static_text

if TYPE_CHECKING:
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
def _text() -> Any:
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
        rulebase=f"{ident['name']} {ident['version']} ({ident['hash']})" if ident else "",
    )


def batch_page(prepared: Iterable[Prepared]) -> str:
    """The page: a summary table linking to one section per record, in order."""
    rows: list[tuple[str, str, Markup, Markup]] = []
    sections: list[tuple[str, Markup]] = []
    identity = ""
    counts: dict[str, int] = {}
    # The summary comes first but needs every record, so rows and sections are held
    # as text until the end (a few kilobytes per record).
    for index, item in enumerate(prepared, 1):
        anchor = _anchor(index)
        # Already escaped when prepared (possibly in another process).
        rows.append((anchor, item.status, Markup(item.id_html), Markup(item.row)))
        sections.append((anchor, Markup(item.section)))
        counts[item.status] = counts.get(item.status, 0) + 1
        identity = identity or item.rulebase
    total = sum(counts.values())
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    page = _macros().page(
        rows, sections, total, tally, identity, Markup(static_text("batch.css")), Markup(CSP)
    )
    return str(page)
