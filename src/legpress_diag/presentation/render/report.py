"""Shareable reports of one diagnosis: Markdown, or a self-contained HTML page."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ...knowledge.rulebase import COACH_FACT_LABEL, COACH_RULE_LABEL, RuleBase
from ...presentation.render import textsafe
from ...reasoning.explanation import conclusion_title, strength
from ...reasoning.result import CauseOut, DiagnosisOut, RuleStepOut, StepOut
from .formats import certainty_word, markdown_one, question_text
from .html import render, static_text
from .measured import is_measured
from .measured import label as measured_label
from .words import in_words, no_markup, result_words, rulebase_words


def _coach_words_hidden(result: DiagnosisOut) -> bool:
    """Whether the reasoning is shown without a coach's words: in a referral (the
    causes listed for the clinician are the bundled base's, but a coach's rules and
    facts may support them, and their titles and notes are free text; attack round 8,
    F2: "Harmless: keep leg pressing heavy tomorrow, no need to see a doctor" under
    "Why I think")."""
    return result["status"] == "refer"


def _rule_lines(step: StepOut, rb: RuleBase | None, hidden: bool) -> list[str]:
    lines = []
    rules = rb.index.by_id if rb is not None else {}
    for rule in step["rules"]:
        known = rules.get(rule["rule"])
        numbers = (
            f"→ premise {rule['premise']:.3f} × cf {rule['cf']:+g} = {rule['contribution']:+.3f}"
        )
        if hidden and known is not None and known.from_coach:
            # Its id, file name and condition are the coach's words too.
            lines.append(f"  {COACH_RULE_LABEL}  {numbers}")
            continue
        lines.append(f"  rule {rule['rule']} ({rule['defined_at']}): if {rule['if']}  {numbers}")
        if known is not None and known.note:
            lines.append(f"    why: {known.note}")
        if known is not None and known.source:
            lines.append(f"    source: {known.source}")
    lines += [f"  combine: {arithmetic}" for arithmetic in step["arithmetic"][1:]]
    return lines


def how_lines(result: DiagnosisOut, cause: CauseOut, rb: RuleBase | None = None) -> list[str]:
    """The full reasoning behind a cause as plain lines (shared by terminal and reports).

    With the rule base at hand, each rule's note and source are added; in a referral,
    a coach's rule or fact is named in the tool's words instead.
    """
    hidden = _coach_words_hidden(result)
    reasoning = cause["reasoning"]
    lines = [
        f"{cause['id']}: certainty {reasoning['certainty']:.3f}",
        *_rule_lines(reasoning, rb, hidden),
    ]
    for fact in reasoning["facts"]:
        step = result["facts"][fact]
        name = COACH_FACT_LABEL if hidden and _from_coach(rb, fact) else fact
        lines += [f"{name}: certainty {step['certainty']:.3f}", *_rule_lines(step, rb, hidden)]
    return lines


def _from_coach(rb: RuleBase | None, fact: str) -> bool:
    known = rb.facts.get(fact) if rb is not None else None
    return known is not None and known.from_coach


def plain_how_lines(result: DiagnosisOut, cause: CauseOut, rb: RuleBase | None = None) -> list[str]:
    """Which answers led to a cause, in words a lifter reads: no rule ids, certainty
    factors or arithmetic (those are in ``how_lines``, for coaches)."""
    reasoning = cause["reasoning"]
    words = {b["question"]: b["in_words"] for b in reasoning["because"]}
    # A measured answer is said as measured: the lifter did not give it.
    for qid, entry in result.get("measurements", {}).items():
        if qid in words and is_measured(result, qid):
            words[qid] = entry["in_words"]
    rules = rb.index.by_id if rb is not None else {}
    hidden = _coach_words_hidden(result)

    quoted: set[str] = set()  # each answer is quoted once; later lines refer back

    def said(step: RuleStepOut, *, after_because: bool = False) -> str:
        # What the lifter answered, quoted, apart from what the tool worked out from
        # it: a derived fact is never put in the lifter's mouth.
        fresh = [q for q in step["answers"] if q not in quoted]
        again = len(step["answers"]) - len(fresh)
        quoted.update(fresh)
        answers = [
            f"“{question_text(q, rb)}?” {words.get(q, step['answers'][q])}"
            for q in fresh
            if not is_measured(result, q)
        ]
        filmed = [
            f"{measured_label(rb, q)}: {words.get(q, step['answers'][q])}"
            for q in fresh
            if is_measured(result, q)
        ]
        facts = [_title(rb, f, hidden) for f in step["facts"]]
        coach = [f for f in facts if f == COACH_FACT_LABEL]  # "that" does not fit it
        facts = [f for f in facts if f != COACH_FACT_LABEL]
        parts = ["you answered " + "; ".join(answers)] if answers else []
        if filmed:
            parts.append("your filmed set showed " + "; ".join(filmed))
        if again:
            same = "the same answers as above" if again > 1 else "the same answer as above"
            parts.append(f"of {same}" if after_because and not parts else same)
        if facts:
            parts.append("your answers suggest that " + " and that ".join(facts))
        if coach:
            parts.append(f"your answers match {COACH_FACT_LABEL}")
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
            title = _title(rb, fact, hidden)
            reason = said(step, after_because=True)
            lines.append(f"- {title[:1].upper()}{title[1:]}, because {reason}.")
    lines.append(f"All together: {certainty_word(cause['certainty'])}.")
    return lines


def _title(rb: RuleBase | None, derived: str, hidden: bool) -> str:
    if hidden and _from_coach(rb, derived):
        return COACH_FACT_LABEL
    return conclusion_title(rb, derived) if rb is not None else derived.replace("_", " ")


def coach_lines(
    result: DiagnosisOut,
    cause: CauseOut,
    rb: RuleBase | None,
    inert: Callable[[str], str] = str,
) -> list[str]:
    """``how_lines`` for a report a lifter may hand on: each question and derived fact
    in words, each cause by its number (its title heads the section); the ids
    themselves are in ``how --detail`` and the JSON."""
    numbers = {c["id"]: f"cause {c['rank']}" for c in result["causes"]}
    if rb is not None and _coach_words_hidden(result):
        # A coach's question is already named in the tool's words (words.py).
        numbers |= {f: COACH_FACT_LABEL for f, fact in rb.facts.items() if fact.from_coach}
    return [in_words(line, rb, numbers, inert) for line in how_lines(result, cause, rb)]


def markdown_report(result: DiagnosisOut, rb: RuleBase | None = None) -> str:
    md = textsafe.markdown
    parts = [
        "# Leg press diagnosis",
        "",
        f"Rule base: {md(rulebase_words(result))}",
        "",
        markdown_one(result, rb, heading=f"Result: {md(result_words(result))}"),
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
            *textsafe.fenced("\n".join(coach_lines(result, cause, rb, no_markup)), "text"),
            "",
        ]
    return "\n".join(parts)


def html_report(result: DiagnosisOut, rb: RuleBase | None = None) -> str:
    """One diagnosis as a self-contained page (the ``report.html`` template): words a
    lifter and their clinician read, with "why I think so" folded under each cause."""

    def plain_how(result: DiagnosisOut, cause: CauseOut) -> list[str]:
        return [line.removeprefix("- ") for line in plain_how_lines(result, cause, rb)]

    return render(
        "report.html",
        result=result,
        rb=rb,
        plain_how=plain_how,
        coach_lines=lambda cause: "\n".join(coach_lines(result, cause, rb)),
        style=Markup(static_text("report.css")),
    )
