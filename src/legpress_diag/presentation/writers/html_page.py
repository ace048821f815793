"""HTML: a self-contained page for a batch (see
:mod:`legpress_diag.presentation.render.html_batch`); also ``ask``'s single report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase
    from ..render.html_batch import Prepared

# The rendering modules are imported when used, so --help does not pay for them.


class HtmlWriter:
    name = "html"
    aliases = ("htm",)
    suffixes = (".html", ".htm")
    summary = "one self-contained page: a summary table, then each record"
    explained = True  # shows why each cause hurts and the answers behind it in words

    def prepare(self, result: Result, rb: RuleBase | None) -> Prepared:
        from ..render.html_batch import prepare

        return prepare(result, rb)

    def write(self, prepared: Iterable[Prepared], out: IO[str], context: WriteContext) -> None:
        from ..render.html_batch import write_page

        write_page(prepared, out)  # streamed: memory stays flat on a big batch

    def report(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.report import html_report

        return html_report(result, rb)


WRITER = HtmlWriter()
