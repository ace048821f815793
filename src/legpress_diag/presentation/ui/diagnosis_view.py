"""A readable terminal view of diagnoses: one panel per record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ...reasoning.explanation import why_it_hurts
from ...reasoning.result import DiagnosisOut, RedFlagOut
from ..render.formats import (
    bar,
    certainty_word,
    flag_answer_words,
    plan_caveat,
    plan_heading,
    question_text,
    root_of,
)
from ..render.labels import flag_heading
from ..render.measured import because_parts, result_measured_lines
from ..render.measured import label as measured_label
from ..render.words import question_label, screen_warning_lines
from .console import plain, safe

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

_STATUS_STYLE = {
    "ok": "green",
    "refer": "bold red",
    "unscreened": "bold yellow",
    "no_fault_found": "yellow",
    "error": "red",
}


# The words for each level are shared with the reports (render/labels.py).


def flag_panel(flag: RedFlagOut, rb: RuleBase | None) -> Panel:
    """One red flag, whole: its level, title, advice and the answers behind it."""
    style = "bold red" if flag["level"] in ("emergency", "urgent") else "red"
    lines = [safe(flag["title"], "bold"), safe(flag["advice"], newlines=True)]
    said = "; ".join(
        f"{question_text(b['key'], rb)}: {flag_answer_words(b)}" for b in flag.get("because", [])
    )
    if said:
        lines.append(safe(f"Because you said: {said}", "italic"))
    heading = flag_heading(flag["level"], bool(flag.get("unsure")))
    # The heading opens the body, not the border: a panel title is cut to the width
    # ("EMERGENCY: go to an emergency depar─" at 40 columns), body text wraps whole.
    return Panel(Group(Text(heading, style=f"{style} bold"), *lines), border_style=style)


def render_result(
    console: Console,
    result: DiagnosisOut,
    *,
    detailed: bool = False,
    rb: RuleBase | None = None,
) -> None:
    parts: list[RenderableType] = []
    for flag in result["red_flags"]:
        parts.append(flag_panel(flag, rb))
    if result["red_flags"]:
        # The referral's own words come first, before anything about form.
        parts += [safe(note, "bold", newlines=True) for note in result.get("notes", [])]
    # The unasked signs in words ("numbness or tingling in the groin, ..."), not ids.
    parts += [safe(f"warning: {line}", "yellow") for line in screen_warning_lines(result, rb)]
    parts += [safe(line, newlines=True) for line in result_measured_lines(result, rb)]
    if result["causes"]:
        table = Table(show_header=True, header_style="bold", expand=False, box=None, padding=(0, 1))
        table.add_column("#", justify="right")
        table.add_column("cause")
        table.add_column("certainty")
        table.add_column("because", overflow="fold")
        for cause in result["causes"]:
            c = cause["certainty"]
            # Questions by the words a person knows them by; what the lifter said, then
            # what was measured from a filmed set (which the lifter did not say).
            by_lifter, measured = because_parts(result, cause)
            said = "; ".join(
                [f"{question_label(rb, q)}: {v}" for q, v in by_lifter]
                + [f"{measured_label(rb, q)}: {v}" for q, v in measured]
            )
            # Cells as Text, not str: a str cell would be read as rich markup.
            why = why_it_hurts(cause.get("explanation", ""))  # none in a referral
            root = root_of(result, cause)
            title = Text.assemble(
                plain(cause["title"]),
                *((f" — {root}",) if root else ()),
                *(("\n", (plain(why), "dim")) if why else ()),
            )
            table.add_row(
                str(cause["rank"]),
                title,
                f"{bar(c)} {c:.2f} {certainty_word(c)}",
                safe(said),
            )
        parts.append(table)
        parts += plan_lines(result, detailed)
    if result["alternatives"]:
        alts = ", ".join(a["title"] for a in result["alternatives"])
        parts.append(Text.assemble(("Alternatives: ", "bold"), plain(alts)))
    for error in result["errors"]:
        expected = f" (expected {error['expected']})" if error.get("expected") else ""
        parts.append(safe(f"error: {error['message']}{expected}", "red"))
    if not result["red_flags"]:
        parts += [safe(note, "dim", newlines=True) for note in result.get("notes", [])]
    status = result["status"]
    title = Text.assemble(plain(f"{result['id']} "), (status, _STATUS_STYLE.get(status, "")))
    console.print(
        Panel(
            Group(*parts) if parts else Text("no answers to reason with"),
            title=title,
            title_align="left",
        ),
        soft_wrap=False,  # wrap inside the box rather than cut: safety text is never lost
    )


def plan_lines(result: DiagnosisOut, detailed: bool = False) -> list[Text]:
    """The plan as numbered lines, each fix once; ``detailed`` adds how to do each."""
    if not result.get("plan"):
        return []
    ranks = {c["id"]: str(c["rank"]) for c in result["causes"]}
    lines = [Text(f"{plan_heading(result)}:", style="bold")]
    caveat = plan_caveat(result)
    if caveat is not None:
        lines.append(safe(caveat, "bold yellow"))
    for number, step in enumerate(result["plan"], 1):
        causes = ", ".join(ranks.get(c, c) for c in step["for_causes"])
        lead = "then, if it keeps hurting: " if step["closing"] else ""
        lines.append(
            Text.assemble(f"{number}. {lead}", (plain(step["title"]), "bold"), f" (for {causes})")
        )
        if detailed:
            lines.append(safe(f"   {step['how']}", newlines=True))
    return lines


def render_results(
    console: Console, results: Iterable[DiagnosisOut], rb: RuleBase | None = None
) -> None:
    for result in results:
        render_result(console, result, rb=rb)
