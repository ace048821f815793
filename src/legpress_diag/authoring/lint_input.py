"""`rules lint -`: lint a rule file read from standard input, named ``<stdin>``.

Lint reads a file more than once (to load it, then for the source lines of its
findings and its ``# lint: disable`` comments), and a pipe can be read only once;
so the text is read once, bounded, into a temporary file, and the report names it
``<stdin>`` as ruff and yamllint do.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from ..foundation import codes
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan
from ..knowledge.bundled import shown_name
from .lint import LintReport, lint

STDIN = "-"
STDIN_NAME = "<stdin>"


def lint_with_stdin(
    paths: Sequence[str | os.PathLike[str]],
    stdin: IO[bytes],
    *,
    rules: Sequence[str | os.PathLike[str]] = (),
    include_bundled: bool = True,
    exhaustive: bool = True,
) -> LintReport:
    """Lint ``paths``, where ``-`` stands for the text on ``stdin``. Raises RuleBaseError."""
    if not any(str(p) == STDIN for p in paths):
        return lint(paths, rules=rules, include_bundled=include_bundled, exhaustive=exhaustive)
    from ..knowledge.yamlsafe import MAX_FILE_BYTES

    raw = stdin.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.TOO_LARGE,
                    Severity.ERROR,
                    f"the input is more than the {MAX_FILE_BYTES:,} bytes allowed",
                    SourceSpan(STDIN_NAME, 1, 1),
                )
            ]
        )
    with tempfile.TemporaryDirectory(prefix="legpress-diag-stdin-") as folder:
        path = Path(folder) / "stdin.yaml"
        path.write_bytes(raw)
        given = [path if str(p) == STDIN else p for p in paths]
        report = lint(given, rules=rules, include_bundled=include_bundled, exhaustive=exhaustive)
        return _renamed(report, shown_name(path))


def _renamed(report: LintReport, temp: str) -> LintReport:
    def name(text: str) -> str:
        return text.replace(temp, STDIN_NAME)

    def fixed(d: Diagnostic) -> Diagnostic:
        span = d.span
        if span is not None and span.path == temp:
            span = replace(span, path=STDIN_NAME)
        hint = name(d.hint) if d.hint else d.hint
        return replace(d, message=name(d.message), hint=hint, span=span)

    return replace(
        report,
        diagnostics=[fixed(d) for d in report.diagnostics],
        files=[name(f) for f in report.files],
        sources={name(k): v for k, v in report.sources.items()},
    )
