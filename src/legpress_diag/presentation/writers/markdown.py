"""Markdown: who to see first, then a section per record with fix checklists; also
``ask``'s report."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, NamedTuple

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase


class Prepared(NamedTuple):
    """One record's section, and what the triage at the top lists of it."""

    shown_id: str  # escaped for Markdown
    level: str  # the most urgent flag's level, or ""
    unscreened: bool
    section: str


# The triage's lines, most urgent first: a level's words, and then the unscreened
TRIAGE = (
    ("emergency", "Go to an emergency department now"),
    ("urgent", "See a doctor today"),
    ("clinician", "See a doctor or physiotherapist before training again"),
    ("unscreened", "Safety questions not all answered, so not cleared to train"),
)
NAMES_LISTED = 50  # per line; the sections below hold every record


class MarkdownWriter:
    name = "markdown"
    aliases = ("md",)
    suffixes = (".md", ".markdown")
    summary = "who to see first, then a Markdown section per record"
    explained = True  # shows why each cause hurts and the answers behind it in words

    def prepare(self, result: Result, rb: RuleBase | None) -> Prepared:
        from ..render import textsafe
        from ..render.formats import markdown_one, screen_warnings  # imported when used

        flags = result["red_flags"]
        referred = result["status"] == "refer" and bool(flags)
        return Prepared(
            textsafe.markdown(result["id"]),
            flags[0]["level"] if referred else "",
            not referred and bool(screen_warnings(result)),
            markdown_one(result, rb),
        )

    def write(self, prepared: Iterable[Prepared], out: IO[str], context: WriteContext) -> None:
        """A batch of two or more records opens with who to see first (a coach read the
        referrals only on stderr, lost once the file was opened later: check 60); the
        sections are spooled to a temporary file meanwhile, so memory stays flat."""
        listed: dict[str, list[str]] = {key: [] for key, _ in TRIAGE}
        counted = dict.fromkeys(listed, 0)
        total = 0
        with tempfile.TemporaryFile("w+", encoding="utf-8") as sections:
            for item in prepared:
                total += 1
                sections.write(item.section)
                key = item.level or ("unscreened" if item.unscreened else "")
                if key in listed:
                    counted[key] += 1
                    if len(listed[key]) < NAMES_LISTED:
                        listed[key].append(item.shown_id)
            if total > 1:
                out.write(_triage(total, listed, counted))
            sections.seek(0)
            shutil.copyfileobj(sections, out)

    def report(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.report import markdown_report

        return markdown_report(result, rb)


def _triage(total: int, listed: dict[str, list[str]], counted: dict[str, int]) -> str:
    lines = [f"# Who to see first ({total} records)", ""]
    for key, words in TRIAGE:
        if counted[key]:
            more = counted[key] - len(listed[key])
            names = ", ".join(listed[key]) + (f", and {more:,} more" if more else "")
            lines.append(f"- **{words}** ({counted[key]:,}): {names}")
    rest = total - sum(counted.values())
    if rest == total:
        lines.append("- No record has a warning sign or an unanswered safety question.")
    elif rest:
        lines.append(f"- The other {rest:,}: no warning sign, every safety question answered.")
    return "\n".join([*lines, "", ""])


WRITER = MarkdownWriter()
