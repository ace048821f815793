"""Markdown: a section per record with fix checklists; also ``ask``'s report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase


class MarkdownWriter:
    name = "markdown"
    aliases = ("md",)
    suffixes = (".md", ".markdown")
    summary = "a Markdown section per record"
    explained = True  # shows why each cause hurts and the answers behind it in words

    def prepare(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.formats import markdown_one  # imported when used: --help stays quick

        return markdown_one(result, rb)

    def write(self, prepared: Iterable[str], out: IO[str], context: WriteContext) -> None:
        for section in prepared:
            out.write(section)

    def report(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.report import markdown_report

        return markdown_report(result, rb)


WRITER = MarkdownWriter()
