"""CSV: one row per record, for spreadsheets.

Certainties are rounded to 2 decimals in every column (``top_certainty`` and the
``causes`` list alike), as they are shown everywhere else; the JSON formats keep
full precision. Cells pass through :func:`textsafe.csv_cell`, so none can start a
formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from ...presentation.render import textsafe
from ...reasoning.safety import unanswered_screen
from .interface import Result, WriteContext

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

COLUMNS = (
    "id",
    "line",
    "status",
    "top_cause",
    "top_certainty",
    "causes",
    "red_flags",
    "alternatives",
    "errors",
    "warnings",
    # Added after the others, so readers by position keep working:
    "level",  # the most urgent flag's level: who to call first, sortable at a glance
    "screen_unanswered",  # how many safety questions the record left: 0 when screened
)

DECIMALS = 2


def _row(cells: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


class CsvWriter:
    name = "csv"
    aliases = ()
    suffixes = (".csv",)
    summary = "one spreadsheet row per record"
    explained = False  # reads only the summary fields, which every result has

    def prepare(self, result: Result, rb: RuleBase | None) -> str:
        r = result
        causes = r["causes"]
        # In a referral the form faults are for the clinician only: listed under
        # 'causes', never offered as the row's headline.
        top = causes[0] if causes and r["status"] != "refer" else None
        return _row(
            textsafe.csv_cell(cell)
            for cell in (
                r["id"],
                r.get("line", ""),
                r["status"],
                top["id"] if top else "",
                round(top["certainty"], DECIMALS) if top else "",
                ";".join(f"{c['id']}:{c['certainty']:.{DECIMALS}f}" for c in causes),
                # ':unsure' when the flag rests on a "not sure" (the contract asks every
                # interface to say so).
                ";".join(
                    f"{f['id']}:{f['level']}" + (":unsure" if f.get("unsure") else "")
                    for f in r["red_flags"]
                ),
                ";".join(a["id"] for a in r["alternatives"]),
                "; ".join(e["message"] for e in r["errors"]),
                # The incomplete screen above all: without it an unscreened row would
                # look like a screened one.
                "; ".join(w["message"] for w in r["warnings"]),
                r["red_flags"][0]["level"] if r["red_flags"] else "",  # most urgent first
                len(unanswered_screen(r)),
            )
        )

    def write(self, prepared: Iterable[str], out: IO[str], context: WriteContext) -> None:
        out.write(_row(COLUMNS))
        for row in prepared:
            out.write(row)


WRITER = CsvWriter()
