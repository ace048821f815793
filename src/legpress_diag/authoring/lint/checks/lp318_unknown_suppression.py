"""LP318 unknown-suppression: a ``# lint: disable=`` comment names a code that does not exist or cannot be disabled.

A misspelt code silences nothing, so the finding it was meant for comes back. Codes
of the load phase (LP0xx, LP1xx, LP2xx and LP304) cannot be disabled: a file with
such an error does not load, whatever lint says.

Bad:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}  # lint: disable=LP37

Good:
    fixes:
      - {id: raise_the_seat, title: Raise the seat, how: Move the seat up one notch.}  # lint: disable=LP307
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ....foundation.problems import Diagnostic, Severity, did_you_mean

if TYPE_CHECKING:
    from ..suppression import Suppression

CODE = "LP318"
NAME = "unknown-suppression"
SEVERITY = Severity.WARNING
PHASE = "suppression"


def can_disable(code: str) -> bool:
    from ..registry import CHECKS

    module = CHECKS.get(code)
    return module is not None and module.PHASE not in ("load", "suppression")


def check_suppressions(
    directives: Iterable[Suppression], findings: Sequence[Diagnostic] = ()
) -> Iterator[Diagnostic]:
    """An unknown code is most likely meant for a finding on the line it silences:
    the hint names that code (the closest one, if there are several), and only when
    the line has none, the code spelt most like it."""
    from ..registry import CHECKS

    for directive in directives:
        module = CHECKS.get(directive.code)
        if module is None:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"'# lint: disable' names unknown code '{directive.code}'",
                directive.span,
                _reported_hint(directive, findings)
                or did_you_mean(directive.code, CHECKS)
                or "codes are listed in docs/lint-codes.md",
            )
        elif not can_disable(directive.code):
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"{directive.code} ({module.NAME}) cannot be disabled: the file does not load "
                "with it",
                directive.span,
                "fix the problem instead",
            )


def _reported_hint(directive: Suppression, findings: Sequence[Diagnostic]) -> str | None:
    on_line = sorted(
        {
            f.code
            for f in findings
            if f.span is not None
            and f.span.path == directive.span.path
            and f.span.line == directive.target_line
            and can_disable(f.code)
        }
    )
    if not on_line:
        return None
    if len(on_line) == 1:
        chosen = on_line[0]
    else:
        import difflib

        close = difflib.get_close_matches(directive.code, on_line, n=1, cutoff=0.0)
        chosen = close[0] if close else on_line[0]
    return f"did you mean '{chosen}'? it is what lint reports on that line"
