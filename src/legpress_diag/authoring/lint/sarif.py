"""`rules lint --format sarif`: SARIF 2.1.0, the format GitHub code scanning reads.

One run of one tool (legpress-diag, its checks as ``rules`` with their documentation),
one result per finding with the file, line and column. Upload it with
``github/codeql-action/upload-sarif`` and the findings show on the pull request.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from ...foundation.problems import Diagnostic, Severity
from . import LintReport
from .explain import CheckDoc, check_doc, code_url

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_text(report: LintReport) -> str:
    from ... import __version__
    from .registry import CHECKS

    codes = sorted({d.code for d in report.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        module = CHECKS.get(code)
        doc = check_doc(module) if module is not None else None
        # helpUri must be an absolute URI, and the docs have no fixed address: the
        # help text holds the examples and names the page instead.
        rule: dict[str, object] = {"id": code}
        if doc is not None:
            rule |= {
                "name": doc.name,
                "shortDescription": {"text": doc.summary},
                "fullDescription": {"text": doc.prose},
                "help": _help(doc),
                "defaultConfiguration": {"level": _LEVEL[Severity(doc.severity)]},
            }
        rules.append(rule)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "legpress-diag",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in report.diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def _help(doc: CheckDoc) -> dict[str, str]:
    more = f"More: {code_url(doc.code)}"
    return {
        "text": f"{doc.prose}\n\nBad:\n{doc.bad}\n\nGood:\n{doc.good}\n\n{more}",
        "markdown": f"{doc.prose}\n\nBad:\n\n```yaml\n{doc.bad}\n```\n\nGood:\n\n"
        f"```yaml\n{doc.good}\n```\n\n{more}",
    }


def _result(d: Diagnostic, rule_index: int) -> dict[str, object]:
    text = d.message + (f" ({d.hint})" if d.hint else "")
    result: dict[str, object] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[d.severity],
        "message": {"text": text},
    }
    span = d.span
    if span is not None:
        region: dict[str, int] = {"startLine": max(span.line, 1), "startColumn": max(span.col, 1)}
        if span.end_line is not None and span.end_col is not None:
            region |= {"endLine": span.end_line, "endColumn": span.end_col}
        result["locations"] = [
            {"physicalLocation": {"artifactLocation": {"uri": _uri(span.path)}, "region": region}}
        ]
    return result


def _uri(path: str) -> str:
    """A path as SARIF wants it: relative and with forward slashes (as GitHub matches
    it to the repository's files), or a file: URI outside the working directory."""
    if path.startswith("<bundled>/"):
        from ...knowledge.bundled import bundled_rules_dir

        real = bundled_rules_dir() / path.removeprefix("<bundled>/")
        relative = os.path.relpath(real)
        return quote(Path(relative).as_posix()) if not relative.startswith("..") else real.as_uri()
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(Path(path).as_posix())
