"""Lint reports as text (compiler style), JSON, GitHub Actions annotations, or SARIF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from ...foundation.problems import Severity
from ...presentation.render.diagnostics import source_excerpt
from . import LintReport
from .explain import code_url
from .sarif import sarif_text

FORMATS = ("text", "json", "github", "sarif")


def summary(report: LintReport) -> str:
    """``no problems in 3 files`` or ``2 errors, 1 warning in 1 of 3 files``, then the walk."""
    counts = [
        (report.count(Severity.ERROR), "error"),
        (report.count(Severity.WARNING), "warning"),
        (report.count(Severity.INFO), "note"),
    ]
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in counts if n]
    total = len(report.files)
    files = f"{total} file{'s' * (total != 1)}"
    if not parts:
        text = f"no problems in {files}"
    else:
        with_findings = len({d.span.path for d in report.diagnostics if d.span})
        where = files if total == 1 else f"{with_findings} of {files}"
        text = ", ".join(parts) + f" in {where}"
    if report.suppressed:
        text += f" ({report.suppressed} silenced by '# lint: disable')"
    if report.walks:
        combos = sum(w.walked for w in report.walks)
        total_combos = sum(w.total for w in report.walks)
        reachable = sum(1 for w in report.walks if w.max_certainty >= _threshold(report))
        coverage = 100.0 * combos / total_combos if total_combos else 100.0
        text += (
            f"; exhaustive: {reachable}/{len(report.walks)} causes reachable, {combos:,} answer "
            f"combinations ({coverage:.0f}% of the space) in {report.exhaustive_seconds:.2f}s"
        )
        # Said here too: LP321 is a note, hidden without --notes, and a walk cut short
        # proves no cause unreachable and finds only some of the gaps.
        cut = sum(1 for w in report.walks if not w.complete)
        if cut:
            text += f", {cut} of the causes walked only in part (LP321)"
    return text


def _threshold(report: LintReport) -> float:
    return report.rulebase.settings.report_threshold if report.rulebase else 0.2


def text_lines(report: LintReport) -> Iterator[str]:
    """Each finding as ruff shows one: position, code and message; the line; a hint."""
    for diagnostic in report.diagnostics:
        source = report.sources.get(diagnostic.span.path) if diagnostic.span else None
        yield from source_excerpt(diagnostic, source)
        yield ""
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
        "diagnostics": [{**d.to_dict(), "url": code_url(d.code)} for d in report.diagnostics],
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "notes": report.count(Severity.INFO),
            "files": report.files,
            "suppressed": report.suppressed,
            "text": summary(report),
        },
        "exhaustive": {"seconds": round(report.exhaustive_seconds, 4), "causes": walks},
    }
    return json.dumps(payload, indent=2)


def report_lines(report: LintReport, fmt: str, notes: bool = False) -> Iterator[str]:
    """The report in ``fmt`` (one of FORMATS). JSON and SARIF hold every finding; text
    and github annotations leave notes (INFO) out, and out of the summary, unless
    ``notes``."""
    if fmt in ("json", "sarif"):
        yield json_text(report) if fmt == "json" else sarif_text(report)
        return
    if not notes:
        shown = [d for d in report.diagnostics if d.severity is not Severity.INFO]
        report = replace(report, diagnostics=shown)
    yield from github_lines(report) if fmt == "github" else text_lines(report)
