"""Lint reports as text (compiler style), JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby

from ..diagnostics import Diagnostic, Severity
from .lint import LintReport

FORMATS = ("text", "json", "github")


def summary(report: LintReport) -> str:
    errors, warnings, infos = (
        report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    files = len({d.span.path for d in report.diagnostics if d.span})
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    if infos:
        parts.append(f"{infos} note{'s' * (infos != 1)}")
    text = (
        ", ".join(parts)
        + f" in {files} of {len(report.files)} file{'s' * (len(report.files) != 1)}"
    )
    if report.walks:
        combos = sum(w.walked for w in report.walks)
        total = sum(w.total for w in report.walks)
        reachable = sum(1 for w in report.walks if w.max_certainty >= _threshold(report))
        coverage = 100.0 * combos / total if total else 100.0
        text += (
            f"; exhaustive: {reachable}/{len(report.walks)} causes reachable, {combos:,} answer "
            f"combinations ({coverage:.0f}% of the space) in {report.exhaustive_seconds:.2f}s"
        )
    return text


def _threshold(report: LintReport) -> float:
    return report.rulebase.settings.report_threshold if report.rulebase else 0.2


def text_lines(report: LintReport) -> Iterator[str]:
    def path_of(d: Diagnostic) -> str:
        return d.span.path if d.span else ""

    for path, group in groupby(report.diagnostics, key=path_of):
        if path:
            yield f"{path}"
        for diagnostic in group:
            yield f"  {diagnostic.format()}"
    yield summary(report)


def github_lines(report: LintReport) -> Iterator[str]:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for d in report.diagnostics:
        where = f" file={d.span.path},line={d.span.line},col={d.span.col}" if d.span else ""
        message = d.message + (f" ({d.hint})" if d.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        yield f"::{level[d.severity]}{where},title={d.code}::{message}"
    yield summary(report)


def json_text(report: LintReport) -> str:
    walks = [
        {
            "cause": w.cause,
            "questions": w.questions,
            "combinations": w.total,
            "walked": w.walked,
            "max_certainty": round(w.max_certainty, 6),
            "gaps": w.gaps,
            "seconds": round(w.seconds, 4),
        }
        for w in report.walks
    ]
    payload = {
        "diagnostics": [d.to_dict() for d in report.diagnostics],
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "notes": report.count(Severity.INFO),
            "files": report.files,
            "text": summary(report),
        },
        "exhaustive": {"seconds": round(report.exhaustive_seconds, 4), "causes": walks},
    }
    return json.dumps(payload, indent=2)
