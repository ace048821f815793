"""Shareable reports of one diagnosis: Markdown, or a self-contained HTML page."""

from __future__ import annotations

import html

from ...knowledge import textsafe
from ...knowledge.rulebase import RuleBase
from ...reasoning.explanation import (
    conclusion_title,
    strength,
    why_it_hurts,
)
from ...reasoning.result import CauseOut, DiagnosisOut, RuleStepOut, StepOut
from .formats import (
    bar,
    certainty_word,
    markdown_one,
    question_text,
    root_of,
    screen_warnings,
)
from .labels import FOR_THE_CLINICIAN, flag_heading


def _rule_lines(step: StepOut, rb: RuleBase | None) -> list[str]:
    lines = []
    rules = rb.index.by_id if rb is not None else {}
    for rule in step["rules"]:
        lines.append(
            f"  rule {rule['rule']} ({rule['defined_at']}): if {rule['if']}  "
            f"→ premise {rule['premise']:.3f} × cf {rule['cf']:+g} = {rule['contribution']:+.3f}"
        )
        known = rules.get(rule["rule"])
        if known is not None and known.note:
            lines.append(f"    why: {known.note}")
        if known is not None and known.source:
            lines.append(f"    source: {known.source}")
    lines += [f"  combine: {arithmetic}" for arithmetic in step["arithmetic"][1:]]
    return lines


def how_lines(result: DiagnosisOut, cause: CauseOut, rb: RuleBase | None = None) -> list[str]:
    """The full reasoning behind a cause as plain lines (shared by terminal and reports).

    With the rule base at hand, each rule's note and source are added.
    """
    reasoning = cause["reasoning"]
    lines = [f"{cause['id']}: certainty {reasoning['certainty']:.3f}", *_rule_lines(reasoning, rb)]
    for fact in reasoning["facts"]:
        step = result["facts"][fact]
        lines += [f"{fact}: certainty {step['certainty']:.3f}", *_rule_lines(step, rb)]
    return lines


def plain_how_lines(result: DiagnosisOut, cause: CauseOut, rb: RuleBase | None = None) -> list[str]:
    """Which answers led to a cause, in words a lifter reads: no rule ids, certainty
    factors or arithmetic (those are in ``how_lines``, for coaches)."""
    reasoning = cause["reasoning"]
    words = {b["question"]: b["in_words"] for b in reasoning["because"]}
    rules = rb.index.by_id if rb is not None else {}

    quoted: set[str] = set()  # each answer is quoted once; later lines refer back

    def said(step: RuleStepOut, *, after_because: bool = False) -> str:
        # What the lifter answered, quoted, apart from what the tool worked out from
        # it: a derived fact is never put in the lifter's mouth.
        fresh = [q for q in step["answers"] if q not in quoted]
        again = len(step["answers"]) - len(fresh)
        quoted.update(fresh)
        answers = [f"“{question_text(q, rb)}?” {words.get(q, step['answers'][q])}" for q in fresh]
        facts = [_title(rb, f) for f in step["facts"]]
        parts = ["you answered " + "; ".join(answers)] if answers else []
        if again:
            same = "the same answers as above" if again > 1 else "the same answer as above"
            parts.append(f"of {same}" if after_because and not parts else same)
        if facts:
            parts.append("your answers suggest that " + " and that ".join(facts))
        return ", and ".join(parts)

    lines = []
    for step in reasoning["rules"]:
        known = rules.get(step["rule"])
        verb = strength(step["cf"]) + " this" if known is None or rb is None else ""
        if known is not None and rb is not None:
            verb = strength(known.cf) + " this"
        reason = said(step)
        lines.append(f"- {reason[:1].upper()}{reason[1:]}. That {verb}.")
    for fact in reasoning["facts"]:
        for step in result["facts"][fact]["rules"]:
            title = _title(rb, fact)
            reason = said(step, after_because=True)
            lines.append(f"- {title[:1].upper()}{title[1:]}, because {reason}.")
    lines.append(f"All together: {certainty_word(cause['certainty'])}.")
    return lines


def _title(rb: RuleBase | None, derived: str) -> str:
    return conclusion_title(rb, derived) if rb is not None else derived.replace("_", " ")


def markdown_report(result: DiagnosisOut, rb: RuleBase | None = None) -> str:
    md = textsafe.markdown
    identity = result["rulebase"]
    parts = [
        "# Leg press diagnosis",
        "",
        f"Rule base: {md(identity['name'])} {md(identity['version'])} ({md(identity['hash'])})",
        "",
        markdown_one(result, rb, heading=f"Result: {md(result['status'])}"),
    ]
    for cause in result["causes"]:
        parts += [f"### In plain words: {md(cause['title'])}", ""]
        parts += [
            f"- {md(line[2:])}" if line.startswith("- ") else md(line, line_start=True)
            for line in plain_how_lines(result, cause, rb)
        ] + [""]
        # The fence is longer than any backtick run in the reasoning (rule notes are
        # free text), so no line of it can close the block early.
        parts += [
            f"### For a coach, the rules behind: {md(cause['title'])}",
            "",
            *textsafe.fenced("\n".join(how_lines(result, cause, rb)), "text"),
            "",
        ]
    return "\n".join(parts)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222}
.flag{border-left:4px solid #c00;padding:.5rem 1rem;background:#fff4f4;margin:1rem 0}
.cause{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.bar{font-family:monospace;color:#2a6}
pre{background:#f6f6f6;padding:.75rem;overflow-x:auto;font-size:.85rem}
.note{color:#555;font-style:italic}
"""


def escape_html(text: object) -> str:
    """Untrusted text as HTML text or an attribute value: ``<``, ``&`` and quotes
    escaped, and control and bidi characters shown escaped as well."""
    return html.escape(textsafe.terminal(text, newlines=True), quote=True)


def html_report(result: DiagnosisOut, rb: RuleBase | None = None) -> str:
    e = escape_html
    body = [f"<h1>Leg press diagnosis</h1><p>Status: <strong>{e(result['status'])}</strong></p>"]
    for flag in result["red_flags"]:
        heading = flag_heading(flag["level"], bool(flag.get("unsure")))
        said = "; ".join(
            f"{e(question_text(b['key'], rb))}: <em>{e(b['answer'])}</em>" for b in flag["because"]
        )
        body.append(
            f'<div class="flag" role="alert"><strong>{e(heading)}: {e(flag["title"])}</strong>'
            f"<p>{e(flag['advice'])}</p>"
            + (f"<p>Because you said: {said}</p>" if said else "")
            + "</div>"
        )
    if result["red_flags"]:
        # The referral's own words come before anything about form, as in every format.
        body += [f'<p class="note"><strong>{e(note)}</strong></p>' for note in result["notes"]]
    # An incomplete (or missing) screen is said before anything else too: without it a
    # report of a session stopped early would read as a clear screen.
    body += [f'<p class="flag">Warning: {e(message)}</p>' for message in screen_warnings(result)]
    if result.get("plan"):
        ranks = {c["id"]: str(c["rank"]) for c in result["causes"]}
        steps = "".join(
            f"<li>&#9744; {'Then, if it keeps hurting: ' if s['closing'] else ''}"
            f"<strong>{e(s['title'])}</strong>"
            f" (for {e(', '.join(ranks[c] for c in s['for_causes']))})."
            f" {e(s['how'])}</li>"
            for s in result["plan"]
        )
        body.append(f"<h2>Your plan, first things first</h2><ol>{steps}</ol>")
    for cause in result["causes"]:
        c = cause["certainty"]
        reasoning = "\n".join(how_lines(result, cause, rb))
        because = "; ".join(
            f"{e(question_text(b['question'], rb))} <em>{e(str(b['in_words']))}</em>"
            for b in cause["reasoning"]["because"]
        )
        why = why_it_hurts(cause.get("explanation", ""))  # none in a referral
        info = f'<p class="note">{FOR_THE_CLINICIAN}</p>' if cause["information_only"] else ""
        root = root_of(result, cause)  # a sign says which root it comes from
        info += f'<p class="note">{e(root[:1].upper() + root[1:])}.</p>' if root else ""
        body.append(
            f'<div class="cause"><h2>{cause["rank"]}. {e(cause["title"])}</h2>{info}'
            f'<p><span class="bar">{bar(c)}</span> {e(certainty_word(c))} ({c:.0%})</p>'
            + (f"<p>{e(why)}</p>" if why else "")
            + f"<p>Because you said: {because}</p>"
            f"<details><summary>How this was concluded</summary><pre>{e(reasoning)}</pre>"
            "</details></div>"
        )
    if result["alternatives"]:
        items = "".join(
            f"<li><strong>{e(a['title'])}</strong>: {e(a['why'])} {e(a['how'])}</li>"
            for a in result["alternatives"]
        )
        body.append(f"<h2>Alternatives</h2><ul>{items}</ul>")
    if not result["red_flags"]:
        body += [f'<p class="note">{e(note)}</p>' for note in result["notes"]]
    identity = result["rulebase"]
    version = f"{identity['name']} {identity['version']} ({identity['hash']})"
    body.append(f'<p class="note">Rule base {e(version)}</p>')
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Leg press diagnosis</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
