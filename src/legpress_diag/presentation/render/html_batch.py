"""A batch of diagnoses as one self-contained HTML page (inline CSS, no script).

The page opens with a summary table (id, status, top cause, certainty, red flags)
whose ids link to one section per record. Every text from a record or a rule file is
escaped with :func:`~legpress_diag.presentation.render.report.escape_html`, and a Content Security
Policy forbids scripts and any fetch, so a hostile id or title stays text.

Red flags come first in their record's section, whole (level, what to do, title,
advice, the answers that raised them), in a red box; a referral shows the causes
only as information for the clinician, without exercise advice (the result carries
none).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from ...reasoning.result import CauseOut, DiagnosisOut, RedFlagOut
from .formats import SCREEN_WARNINGS, bar, certainty_word, question_text
from .labels import FOR_THE_CLINICIAN, flag_heading
from .report import escape_html as e

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

Result = DiagnosisOut

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222;background:#fff}
table.summary{border-collapse:collapse;width:100%;margin:1rem 0 2rem}
table.summary th,table.summary td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;
vertical-align:top}
table.summary th{background:#f0f0f0}
tr.refer td{background:#fff0f0}
.status{font-weight:bold;padding:0 .4rem;border-radius:4px}
.status-ok{background:#e6f4ea;color:#165c2b}
.status-refer{background:#c00;color:#fff}
.status-unscreened{background:#ffe3b3;color:#5c3a00}
.status-no_fault_found{background:#fff7d6;color:#6b5400}
.status-error{background:#fde2e2;color:#8a1010}
section.record{border-top:2px solid #ddd;margin-top:2rem;padding-top:.5rem}
.flag{border:3px solid #c00;border-left-width:10px;padding:.5rem 1rem;background:#fff4f4;
margin:1rem 0}
.flag h3{color:#a00;margin:.2rem 0;text-transform:none}
.flaglist{color:#a00;font-weight:bold}
.cause{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.bar{font-family:monospace;color:#2a6}
.info{color:#555;font-style:italic}
.warning{color:#7a5a00}
.error{color:#a00}
.note{color:#555}
footer{margin-top:3rem;color:#777;font-size:.85rem}
"""
# No script, no request of any kind; inline styles only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"


class Prepared(NamedTuple):
    """One record as escaped HTML, less what depends on its position (the anchor)."""

    status: str
    id_html: str
    row: str  # the summary row after the id cell
    section: str  # the section after its opening tag
    rulebase: str


def _anchor(index: int) -> str:
    return f"record-{index}"


def _summary_cells(result: Result) -> str:
    """The summary row after its first cell (the id, which links to the section)."""
    status = result["status"]
    causes = result["causes"]
    top = causes[0] if causes else None
    flags = "<br>".join(f"{e(f['level'].upper())}: {e(f['title'])}" for f in result["red_flags"])
    certainty = f"{top['certainty']:.2f}" if top else ""
    for_clinician = (
        ' <span class="info">(for the clinician)</span>'
        if top and top.get("information_only")
        else ""
    )
    return (
        f'<td><span class="status status-{e(status)}">{e(status)}</span></td>'
        f"<td>{e(top['title']) if top else ''}{for_clinician}</td><td>{certainty}</td>"
        f'<td class="flaglist">{flags}</td></tr>'
    )


def _flag(flag: RedFlagOut, rb: RuleBase | None) -> str:
    heading = flag_heading(flag["level"], bool(flag.get("unsure")))
    said = "; ".join(
        f"{e(question_text(b['key'], rb))}: {e(b['answer'])}" for b in flag.get("because", [])
    )
    return (
        f'<div class="flag" role="alert"><h3>{e(heading)}</h3>'
        f"<p><strong>{e(flag['title'])}</strong></p><p>{e(flag['advice'])}</p>"
        + (f"<p><em>Because: {said}</em></p>" if said else "")
        + "</div>"
    )


def _cause(cause: CauseOut, result: Result, rb: RuleBase | None) -> str:
    c = cause["certainty"]
    because = "; ".join(
        f"{e(question_text(b['question'], rb))}: <em>{e(b['in_words'])}</em>"
        for b in cause["reasoning"]["because"]
    )
    info = f'<p class="info">{FOR_THE_CLINICIAN}</p>' if cause.get("information_only") else ""
    return (
        f'<div class="cause"><h3>{cause["rank"]}. {e(cause["title"])}</h3>{info}'
        f'<p><span class="bar">{bar(c)}</span> {e(certainty_word(c))} ({c:.2f})</p>'
        + (f"<p>{e(cause['explanation'])}</p>" if cause.get("explanation") else "")
        + (f"<p>Because: {because}</p>" if because else "")
        + "</div>"
    )


def _plan(result: Result) -> str:
    """The plan, as ``ask`` shows it: each fix once, most of the likely cause first, the
    break from the leg press last (empty for a referral: no advice with a flag)."""
    ranks = {c["id"]: str(c["rank"]) for c in result["causes"]}
    steps = "".join(
        f"<li>&#9744; <strong>{e(s['title'])}.</strong> {e(s['how'])} "
        f'<span class="note">(for {e(", ".join(ranks.get(c, c) for c in s["for_causes"]))})'
        "</span></li>"
        for s in result.get("plan", [])
    )
    return f"<h3>Plan: what to do first</h3><ol>{steps}</ol>" if steps else ""


def _section_body(result: Result, rb: RuleBase | None) -> str:
    """A record's section after its opening tag (which carries the anchor)."""
    status = result["status"]
    parts = [
        f'<h2>{e(result["id"])} <span class="status status-{e(status)}">{e(status)}</span></h2>'
    ]
    parts += [_flag(flag, rb) for flag in result["red_flags"]]
    if result["red_flags"]:
        parts += [f"<p><strong>{e(note)}</strong></p>" for note in result.get("notes", [])]
    parts += [
        f'<p class="warning">warning: {e(w["message"])}</p>'
        for w in result["warnings"]
        if w["key"] in SCREEN_WARNINGS
    ]
    parts.append(_plan(result))
    parts += [_cause(cause, result, rb) for cause in result["causes"]]
    if result["alternatives"]:
        items = "".join(
            f"<li><strong>{e(a['title'])}</strong>: {e(a['why'])}</li>"
            for a in result["alternatives"]
        )
        parts.append(f"<h3>Exercises to use instead</h3><ul>{items}</ul>")
    for error in result["errors"]:
        expected = f" (expected {e(error['expected'])})" if error.get("expected") else ""
        parts.append(f'<p class="error">error: {e(error["message"])}{expected}</p>')
    if not result["red_flags"]:
        parts += [f'<p class="note">{e(note)}</p>' for note in result.get("notes", [])]
    parts.append("</section>")
    return "".join(parts)


def page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def prepare(result: Result, rb: RuleBase | None) -> Prepared:
    """One record's part of the page; pure, may run in a worker process."""
    ident = result.get("rulebase")
    return Prepared(
        status=result["status"],
        id_html=e(result["id"]),
        row=_summary_cells(result),
        section=_section_body(result, rb),
        rulebase=f"{ident['name']} {ident['version']} ({ident['hash']})" if ident else "",
    )


def batch_page(prepared: Iterable[Prepared]) -> str:
    """The page: a summary table linking to one section per record, in order."""
    rows: list[str] = []
    sections: list[str] = []
    identity = ""
    counts: dict[str, int] = {}
    # The summary comes first but needs every record, so rows and sections are held
    # as text until the end (a few kilobytes per record).
    for index, item in enumerate(prepared, 1):
        anchor = _anchor(index)
        rows.append(
            f'<tr class="{e(item.status)}"><td><a href="#{anchor}">{item.id_html}</a></td>'
            + item.row
        )
        sections.append(f'<section class="record" id="{anchor}">{item.section}')
        counts[item.status] = counts.get(item.status, 0) + 1
        identity = identity or item.rulebase
    total = sum(counts.values())
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    body = (
        "<h1>Leg press diagnoses</h1>"
        f"<p>{total} record{'s' if total != 1 else ''}{': ' + e(tally) if tally else ''}</p>"
        '<table class="summary"><thead><tr><th>id</th><th>status</th><th>top cause</th>'
        "<th>certainty</th><th>red flags</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + "".join(sections)
        + (f"<footer>Rule base {e(identity)}</footer>" if identity else "")
    )
    return page("Leg press diagnoses", body)
