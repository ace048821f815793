"""LP301 yaml11-trap: an unquoted yes / no / on / off where text is meant.

legpress-diag reads YAML 1.2, where an unquoted `no` is the text "no". Many other
tools (and YAML 1.1) read it as the boolean false, so the file means different
things to different readers. Quote such words.

Bad:
    fixes:
      - {id: lock_no, title: no, how: Keep a slight bend at the top.}

Good:
    fixes:
      - {id: lock_no, title: "no", how: Keep a slight bend at the top.}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.yamlsafe import YAML11_BOOLEAN_WORDS
from ..context import LintContext

CODE = "LP301"
NAME = "yaml11-trap"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:

    for parsed in ctx.files:
        for scalar in parsed.document.scalars.values():
            if scalar.style is None and scalar.text in YAML11_BOOLEAN_WORDS:
                yield Diagnostic(
                    CODE,
                    SEVERITY,
                    f"unquoted '{scalar.text}' is the text \"{scalar.text}\" here, but YAML 1.1 "
                    "tools read it as a boolean",
                    scalar.span,
                    f'quote it: "{scalar.text}"',
                )
