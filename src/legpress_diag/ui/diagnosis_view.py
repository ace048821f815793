"""A readable terminal view of diagnoses: one panel per record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..render.formats import bar, certainty_word
from .console import plain, safe

_STATUS_STYLE = {"ok": "green", "refer": "bold red", "no_fault_found": "yellow", "error": "red"}


def render_result(console: Console, result: dict[str, Any], *, detailed: bool = False) -> None:
    parts: list[Any] = []
    for flag in result["red_flags"]:
        style = "bold red" if flag["level"] == "emergency" else "red"
        parts.append(
            Text.assemble(
                (plain(f"{flag['level'].upper()}: {flag['title']}") + "\n", style),
                plain(flag["advice"], newlines=True),
            )
        )
    if result["causes"]:
        table = Table(show_header=True, header_style="bold", expand=False, box=None, padding=(0, 1))
        table.add_column("#", justify="right")
        table.add_column("cause")
        table.add_column("certainty")
        table.add_column("because you said", overflow="fold")
        for cause in result["causes"]:
            c = cause["certainty"]
            said = "; ".join(
                f"{b['question']}: {b['in_words']}" for b in cause["reasoning"]["because"]
            )
            # Cells as Text, not str: a str cell would be read as rich markup.
            table.add_row(
                str(cause["rank"]),
                safe(cause["title"]),
                f"{bar(c)} {c:.2f} {certainty_word(c)}",
                safe(said),
            )
        parts.append(table)
        if detailed:
            for cause in result["causes"]:
                fixes = "\n".join(
                    f"  [ ] {fix['title']}: {result['fixes'][fix['id']]['how']}"
                    for fix in cause["fixes"]
                )
                parts.append(safe(f"{cause['title']}\n{fixes}", newlines=True))
    if result["alternatives"]:
        alts = ", ".join(a["title"] for a in result["alternatives"])
        parts.append(Text.assemble(("Alternatives: ", "bold"), plain(alts)))
    for error in result["errors"]:
        expected = f" (expected {error['expected']})" if error.get("expected") else ""
        parts.append(safe(f"error: {error['message']}{expected}", "red"))
    for note in result.get("notes", []):
        parts.append(safe(note, "dim", newlines=True))
    status = result["status"]
    title = Text.assemble(plain(f"{result['id']} "), (status, _STATUS_STYLE.get(status, "")))
    console.print(
        Panel(
            Group(*parts) if parts else Text("no answers to reason with"),
            title=title,
            title_align="left",
        )
    )


def render_results(console: Console, results: Iterable[dict[str, Any]]) -> None:
    for result in results:
        render_result(console, result)
