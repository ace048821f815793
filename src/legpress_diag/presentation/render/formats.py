"""Pieces shared by the renderings of diagnoses: the JSON encoding of a result (from
json_codec), the certainty bar and words, question wording, and one result as Markdown.

The output formats themselves are the writers in :mod:`legpress_diag.presentation.writers`;
the rich table for terminals lives in ``legpress_diag.presentation.ui``.

Text from records and rule files passes through :mod:`legpress_diag.presentation.render.textsafe` on
the way out: JSON escapes characters a terminal would act on, CSV cells cannot
start a formula, and Markdown fields cannot add structure (see docs/robustness.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...knowledge.rulebase import COACH_QUESTION_LABEL
from ...presentation.render import textsafe
from ...reasoning.explanation import why_it_hurts
from ...reasoning.result import CauseOut, DiagnosisOut, FlagAnswerOut
from ...reasoning.safety import INCOMPLETE_WARNING, MISSING_WARNING, unanswered_screen
from .labels import flag_heading, level_heading

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

BAR_WIDTH = 10


def certainty_word(certainty: float) -> str:
    if certainty >= 0.7:
        return "likely"
    if certainty >= 0.4:
        return "possible"
    return "unlikely but worth a look"


def bar(certainty: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, certainty)) * width)
    return "█" * filled + "░" * (width - filled)


def question_text(question_id: str, rb: RuleBase | None) -> str:
    """The question as asked, when the rule base is at hand; else its id. A coach's
    question is named in the tool's words: a result never quotes a coach's file."""
    if rb is not None and question_id in rb.questions:
        question = rb.questions[question_id]
        return COACH_QUESTION_LABEL if question.from_coach else question.text.rstrip("?")
    return question_id


def flag_answer_words(answer: FlagAnswerOut) -> str:
    """One answer behind a flag, in words every format shows alike: "yes", "not sure",
    a number; a "not sure" read from another answer says which, and its words, so the
    reader can find what raised the flag ("not sure, read from “Anything else?”: …")."""
    given = answer["answer"]
    said = (
        "not sure"
        if given == "unsure"
        else ", ".join(map(str, given))
        if isinstance(given, list)
        else str(given)
    )
    source = answer.get("read_from")
    if source is not None:
        said += f", read from “{source['key']}”: “{source['answer']}”"
    return said


# Shown in every human-readable format: a screen that is incomplete, or missing from
# the rule base altogether, must never read as a clear one.
SCREEN_WARNINGS = (INCOMPLETE_WARNING, MISSING_WARNING)


def root_of(result: DiagnosisOut, cause: CauseOut) -> str | None:
    """For a sign explained by a reported root, the words shown under it ("because of
    1. Foot height on the plate"); None for a cause that is nobody's sign."""
    roots = cause.get("explained_by", [])
    if not roots:
        return None
    by_id = {c["id"]: c for c in result["causes"]}
    named = [f"{by_id[r]['rank']}. {by_id[r]['title']}" for r in roots if r in by_id]
    return "because of " + " and ".join(named) if named else None


def plan_heading(result: DiagnosisOut) -> str:
    """The plan's heading in every format: an unscreened result's plan is for form
    only, and its heading says so (a coach read it as a cleared plan)."""
    if result["status"] == "unscreened":
        return "Your plan for your form, once the safety questions are answered"
    return "Your plan, first things first"


def plan_caveat(result: DiagnosisOut) -> str | None:
    """What an unscreened result says before its plan, in every format: how many
    safety questions were left, and that this is no clearance to train."""
    if result["status"] != "unscreened":
        return None
    left = len(unanswered_screen(result))
    which = (
        "the safety questions were not answered"
        if not left
        else "1 safety question was not answered"
        if left == 1
        else f"{left} safety questions were not answered"
    )
    return (
        f"Not a clearance to train: {which}, so a warning sign may have been missed. "
        "Answer them first (run the check again with them); until then this plan is "
        "about your form only."
    )


def screen_warnings(result: DiagnosisOut) -> list[str]:
    """The messages of the result's warnings about its safety screen."""
    return [w["message"] for w in result["warnings"] if w["key"] in SCREEN_WARNINGS]


def markdown_plan(r: DiagnosisOut) -> list[str]:
    """The plan as a Markdown checklist: each fix once, the break-and-return step last."""
    md = textsafe.markdown
    if not r.get("plan"):
        return []
    ranks = {c["id"]: str(c["rank"]) for c in r["causes"]}
    lines = [f"### {md(plan_heading(r))}", ""]
    caveat = plan_caveat(r)
    if caveat is not None:
        lines += [f"**{md(caveat)}**", ""]
    for step in r["plan"]:
        causes = ", ".join(ranks.get(c, c) for c in step["for_causes"])
        lead = "Then, if it keeps hurting: " if step["closing"] else ""
        lines.append(f"- [ ] {lead}**{md(step['title'])}** (for {causes}). {md(step['how'])}")
    return [*lines, ""]


# Said beside an unscreened record's status in a batch report's heading.
NOT_CLEARED = "not cleared to train: safety questions unanswered"


def record_heading(r: DiagnosisOut) -> str:
    """A batch record's Markdown heading: its id and status, and how soon for a
    referral or that it is not cleared for an unscreened one (the status code alone
    said neither: a coach, check 60)."""
    md = textsafe.markdown
    title = f"Record {md(r['id'])}: {md(r['status'])}"
    if r["status"] == "refer" and r["red_flags"]:
        return f"{title} — {level_heading(r['red_flags'][0]['level'])}"
    if r["status"] != "refer" and screen_warnings(r):
        return f"{title} — {NOT_CLEARED}"
    return title


def markdown_one(r: DiagnosisOut, rb: RuleBase | None = None, heading: str | None = None) -> str:
    """One result as Markdown; ``heading`` replaces the default "Record ID: status".

    Every field is escaped as one line of inline text (:func:`textsafe.markdown`), so
    an id or a rule's title can add no heading, list, link or HTML of its own.
    """
    md = textsafe.markdown
    from .measured import HEADING, because_parts, label, measured_items
    from .words import screen_warning_lines

    # A batch (for a coach) keeps the status code beside the record id; the `ask`
    # report passes a heading in words.
    title = heading if heading is not None else record_heading(r)
    lines = [f"## {title}", ""]
    for flag in r["red_flags"]:
        heading = flag_heading(flag["level"], bool(flag.get("unsure")))
        said = "; ".join(
            f"{md(question_text(b['key'], rb))}: *{md(flag_answer_words(b))}*"
            for b in flag["because"]
        )
        lines.append(
            f"- **{md(heading)}: {md(flag['title'])}.** {md(flag['advice'])}"
            + (f" Because you said: {said}" if said else "")
        )
    if r["red_flags"]:
        lines.append("")
        # The referral's own words come before anything about form.
        lines += [f"> **{md(note)}**" for note in r.get("notes", [])] + [""]
    warned = [f"- warning: {md(message)}" for message in screen_warning_lines(r, rb)]
    lines += [*warned, ""] if warned else []  # a list runs into a heading without it
    items = measured_items(r, rb)
    if items:
        lines += [f"### {HEADING}", "", *(f"- {md(item.line)}" for item in items), ""]
    lines += markdown_plan(r)
    for cause in r["causes"]:
        c = cause["certainty"]
        lines.append(f"### {cause['rank']}. {md(cause['title'])} ({certainty_word(c)}, {c:.0%})")
        lines.append("")
        root = root_of(r, cause)
        if root:
            lines += [f"*{md(root[:1].upper() + root[1:])}.*", ""]
        why = why_it_hurts(cause.get("explanation", ""))  # none in a referral
        if why:
            lines += [md(why, line_start=True), ""]
        said_by_lifter, measured = because_parts(r, cause)
        if said_by_lifter:
            shown = "; ".join(f"{md(question_text(q, rb))}: *{md(v)}*" for q, v in said_by_lifter)
            lines += [f"Because you said: {shown}", ""]
        if measured:
            shown = "; ".join(f"{md(label(rb, q))}: *{md(v)}*" for q, v in measured)
            lines += [f"Because it was measured: {shown}", ""]
        lines.append("")
    if r["alternatives"]:
        lines.append("### Alternatives")
        lines.append("")
        for alt in r["alternatives"]:
            lines.append(f"- **{md(alt['title'])}**: {md(alt['why'])}")
        lines.append("")
    for e in r["errors"]:
        expected = f" (expected {md(e['expected'])})" if e.get("expected") else ""
        lines.append(f"- error: {md(e['message'])}{expected}")
    if not r["red_flags"]:
        lines += [f"> {md(note)}" for note in r.get("notes", [])]
    lines.append("")
    return "\n".join(lines) + "\n"
