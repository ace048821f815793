"""Table: a readable panel per record for a terminal.

The panels are drawn by ``legpress_diag.presentation.ui``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase


class TableWriter:
    name = "table"
    aliases = ("text",)
    suffixes = (".txt",)
    summary = "a readable panel per record"
    explained = True  # shows why each cause hurts and the answers behind it in words

    def prepare(self, result: Result, rb: RuleBase | None) -> Result:
        return result

    def write(self, prepared: Iterable[Result], out: IO[str], context: WriteContext) -> None:
        # The panels are drawn with rich, which only legpress_diag.presentation.ui may import.
        from ..ui.console import make_console
        from ..ui.diagnosis_view import render_results

        render_results(make_console(out), prepared, context.rulebase)


WRITER = TableWriter()
