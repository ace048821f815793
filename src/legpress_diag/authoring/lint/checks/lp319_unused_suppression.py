"""LP319 unused-suppression: a ``# lint: disable=`` comment that silences nothing.

The finding it was written for is gone (or is on another line), so the comment can
go: left in place, it would hide a new finding of that code on that line.

Bad:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}
    causes:
      - id: seat_too_low
        title: Seat set too low
        explanation: A low seat folds the hips past a right angle.
        fixes: [raise_the_seat]  # lint: disable=LP307

Good:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}  # lint: disable=LP307
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ....foundation.problems import Diagnostic, Severity

if TYPE_CHECKING:
    from ..suppression import Suppression

CODE = "LP319"
NAME = "unused-suppression"
SEVERITY = Severity.INFO
PHASE = "suppression"


def check_suppressions(
    directives: Iterable[Suppression], used: set[Suppression], ran: set[str]
) -> Iterator[Diagnostic]:
    from ..registry import CHECKS

    for directive in directives:
        if directive in used or CHECKS[directive.code].PHASE not in ran:
            continue
        where = "this line" if directive.target_line == directive.span.line else "the next line"
        yield Diagnostic(
            CODE,
            SEVERITY,
            f"'# lint: disable={directive.code}' is unused: no {directive.code} finding on {where}",
            directive.span,
            "remove it",
        )
