"""JSON Lines: one compact JSON object per line, written as each result is ready."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase


class JsonLinesWriter:
    name = "jsonl"
    aliases = ("ndjson", "jsonlines", "json-lines")
    suffixes = (".jsonl", ".ndjson")
    summary = "one JSON object per line"
    explained = False  # the result as built: compact unless --explain

    def prepare(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.json_codec import encode  # imported when used: --help stays quick

        return encode(result) + "\n"

    def write(self, prepared: Iterable[str], out: IO[str], context: WriteContext) -> None:
        for line in prepared:
            out.write(line)
            if context.live:
                out.flush()  # a pipeline sees each result as soon as it is ready


WRITER = JsonLinesWriter()
