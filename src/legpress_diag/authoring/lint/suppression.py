"""Inline suppression: ``# lint: disable=LP307`` silences one finding on one line.

The comment goes at the end of the line of the finding, or on a line of its own just
above it; several codes are separated by commas. Suppressions are checked too:
LP318 reports a code that does not exist or cannot be disabled, LP319 (a note) one
that silenced nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...foundation.problems import Diagnostic, SourceSpan

_DIRECTIVE = re.compile(r"(?:^|\s)#\s*lint:\s*disable\s*=\s*(?P<codes>[^#\r\n]*)")
_CODE = re.compile(r"[^,\s]+")


@dataclass(frozen=True)
class Suppression:
    code: str
    span: SourceSpan  # where the code is written in the comment
    target_line: int  # the line whose findings it silences

    def silences(self, finding: Diagnostic) -> bool:
        span = finding.span
        return (
            span is not None
            and finding.code == self.code
            and span.path == self.span.path
            and span.line == self.target_line
        )


def parse(path: str, text: str) -> list[Suppression]:
    """Every ``# lint: disable=...`` comment of a file, one Suppression per code."""
    found: list[Suppression] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        own_line = line[: match.start()].strip() == ""
        target = number + 1 if own_line else number
        base = match.start("codes")
        for code in _CODE.finditer(match.group("codes")):
            col = base + code.start() + 1
            span = SourceSpan(path, number, col, number, col + len(code.group(0)))
            found.append(Suppression(code.group(0), span, target))
    return found


def apply(
    findings: Iterable[Diagnostic], sources: Mapping[str, str], ran: set[str]
) -> tuple[list[Diagnostic], int]:
    """Findings left after suppression, with LP318/LP319 added; and how many were silenced.

    ``ran`` names the phases whose checks ran in full; a suppression of a code of a
    phase that did not run is not called unused.
    """
    from .checks import lp318_unknown_suppression, lp319_unused_suppression

    findings = list(findings)
    directives = [s for path, text in sources.items() for s in parse(path, text)]
    allowed = [s for s in directives if lp318_unknown_suppression.can_disable(s.code)]
    kept: list[Diagnostic] = []
    used: set[Suppression] = set()
    silenced = 0
    for finding in findings:
        by = next((s for s in allowed if s.silences(finding)), None)
        if by is None:
            kept.append(finding)
        else:
            used.add(by)
            silenced += 1
    kept += lp318_unknown_suppression.check_suppressions(directives, findings)
    kept += lp319_unused_suppression.check_suppressions(allowed, used, ran)
    return kept, silenced
