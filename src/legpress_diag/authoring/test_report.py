"""`rules test --format json|junit`: a test run for CI, beside the text `run_lines` prints.

JUnit XML is what CI systems (GitHub Actions' test reporters, GitLab, Jenkins) show
as a test report: one ``<testcase>`` per case, a ``<failure>`` saying why, and a case
file that does not read as an ``<error>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from .testing import CoverageRow, TestRun, run_lines

FORMATS = ("text", "json", "junit")


def report_text(run: TestRun, fmt: str, coverage: Sequence[CoverageRow] = ()) -> str:
    if fmt == "json":
        return run_json(run, coverage)
    if fmt == "junit":
        return run_junit(run)
    return "\n".join(run_lines(run, tuple(coverage)))


def run_json(run: TestRun, coverage: Sequence[CoverageRow] = ()) -> str:
    """One JSON object: every case with whether it passed and why not, the case files'
    own problems, a summary, and the coverage rows (when asked for)."""
    passed = len(run.outcomes) - len(run.failed)
    text = list(run_lines(run))[-1]
    return json.dumps(
        {
            "cases": [
                {
                    "name": o.case.name,
                    "path": o.case.span.path,
                    "line": o.case.span.line,
                    "col": o.case.span.col,
                    "passed": not o.problems,
                    "problems": o.problems,
                    "details": o.details,
                    "causes": o.causes,
                }
                for o in run.outcomes
            ],
            "file_problems": [d.to_dict() for d in run.file_problems],
            "summary": {
                "passed": passed,
                "failed": len(run.failed),
                "file_problems": len(run.file_problems),
                "seconds": round(run.seconds, 3),
                "text": text,
            },
            "coverage": [
                {"kind": r.kind, "covered": r.covered, "total": r.total, "missing": list(r.missing)}
                for r in coverage
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


# XML 1.0 cannot hold these characters at all, escaped or not; a case name from YAML
# may (YAML allows tabs and most of Unicode, and "\x01" in double quotes).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def run_junit(run: TestRun) -> str:
    """JUnit XML: a ``testsuite`` per case file, a ``testcase`` per case."""
    root = ET.Element("testsuites", name="legpress-diag rules test")
    suites: dict[str, ET.Element] = {}

    def suite(path: str) -> ET.Element:
        if path not in suites:
            suites[path] = ET.SubElement(root, "testsuite", name=_x(path), file=_x(path))
        return suites[path]

    for outcome in run.outcomes:
        span = outcome.case.span
        case = ET.SubElement(
            suite(span.path),
            "testcase",
            name=_x(outcome.case.name),
            classname=_x(span.path),
            file=_x(span.path),
            line=str(span.line),
        )
        if outcome.problems:
            failure = ET.SubElement(case, "failure", message=_x("; ".join(outcome.problems)))
            failure.text = _x("\n".join([*outcome.details, *outcome.problems, *outcome.causes]))
    for problem in run.file_problems:
        path = problem.span.path if problem.span else "(case files)"
        case = ET.SubElement(suite(path), "testcase", name="(the case file)", classname=_x(path))
        error = ET.SubElement(case, "error", message=_x(problem.message))
        error.text = _x(problem.format())
    for element in suites.values():
        cases = element.findall("testcase")
        element.set("tests", str(len(cases)))
        element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        element.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    root.set("tests", str(len(run.outcomes) + len(run.file_problems)))
    root.set("failures", str(len(run.failed)))
    root.set("errors", str(len(run.file_problems)))
    root.set("time", f"{run.seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
