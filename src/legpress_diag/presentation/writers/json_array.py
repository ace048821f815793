"""JSON: one array holding every result, one result per line inside it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase


class JsonArrayWriter:
    name = "json"
    aliases = ("json-array",)
    suffixes = (".json",)
    summary = "a JSON array"
    explained = False  # the result as built: compact unless --explain

    def prepare(self, result: Result, rb: RuleBase | None) -> str:
        from ..render.json_codec import encode  # imported when used: --help stays quick

        return encode(result)

    def write(self, prepared: Iterable[str], out: IO[str], context: WriteContext) -> None:
        out.write("[")
        for index, text in enumerate(prepared):
            out.write(("," if index else "") + "\n  " + text)
        out.write("\n]\n")


WRITER = JsonArrayWriter()
