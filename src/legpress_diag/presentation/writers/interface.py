"""The one protocol every output format follows.

A writer turns diagnoses into text in two steps, so that a batch can spread the
expensive part over worker processes:

- ``prepare(result, rb)`` works on one result alone and is pure; ``diagnose --jobs``
  runs it in the workers (so it must be a plain method of a module-level object);
- ``write(prepared, out, context)`` runs in the main process, in input order, and
  puts the prepared records on ``out`` with whatever header and footer the format has.

A writer that can also make the single-result report of ``ask --report`` implements
:class:`ReportWriter` as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

from ...foundation.values import FieldsValue
from ...reasoning.result import DiagnosisOut

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

Result = DiagnosisOut


@dataclass(frozen=True, repr=False, eq=False)
class WriteContext(FieldsValue):
    """What a writer may need besides the results."""

    rulebase: RuleBase | None = None  # question wording for human-readable formats
    live: bool = False  # flush after each record (a pipe reading results as they come)


class Writer(Protocol):
    """One output format."""

    name: str  # what --format takes
    aliases: tuple[str, ...]  # other names --format accepts (md, ndjson, ...)
    suffixes: tuple[str, ...]  # output file suffixes that choose this format
    summary: str  # a few words for --help and error messages
    # True when the format reads what only an explained result holds (each cause's
    # explanation, the answers behind it in words, the long texts), so its results
    # are always built with ``explain``; the JSON formats write the result as built
    # (full only with ``--explain``) and CSV reads neither.
    explained: bool

    def prepare(self, result: Result, rb: RuleBase | None) -> Any:
        """One result made ready for ``write``; pure, may run in another process."""

    def write(self, prepared: Iterable[Any], out: IO[str], context: WriteContext) -> None:
        """Write the prepared results, in order, with the format's header and footer."""


@runtime_checkable
class ReportWriter(Protocol):
    """A format that can also be a report of one diagnosis (``ask --report``)."""

    def report(self, result: Result, rb: RuleBase | None) -> str:
        """The whole report, reasoning included."""
