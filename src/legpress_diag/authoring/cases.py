"""Case files: answers and the diagnosis a coach expects from them.

    cases:
      - name: hips tuck under at depth
        answers: {pelvis_tucks_under: "yes", knee_angle_at_bottom: 70}
        expect:
          status: ok
          top_cause: posterior_pelvic_tilt
          causes: [excess_depth]          # must be reported
          not_causes: [fast_reps]         # must not be reported
          alternatives: [hack_squat]
          red_flags: []
          errors: []                      # answer keys that must be rejected

The same files drive the project's own tests and `legpress-diag rules test`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..foundation.jsonvalue import JsonObject
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan, did_you_mean
from ..knowledge.paths import display_path
from ..knowledge.rulebase import RuleBase
from ..knowledge.sources import read_limited, schema_diagnostics
from ..knowledge.yamlsafe import Document, decode_source, parse_yaml
from ..reasoning.result import DiagnosisOut


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    status: Literal["ok", "refer", "unscreened", "no_fault_found", "error"] | None = None
    top_cause: str | None = None
    causes: list[str] = Field(default_factory=list)
    not_causes: list[str] = Field(default_factory=list)
    only_causes: list[str] | None = None
    alternatives: list[str] = Field(default_factory=list)
    not_alternatives: list[str] = Field(default_factory=list)
    red_flags: list[str] | None = None
    errors: list[str] | None = None
    # A certainty is 0 to 1: a case expecting 2 could never pass, and says so at load.
    min_certainty: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(default_factory=dict)
    # The ranking: these causes reported, in this relative order (others may sit between).
    order: list[str] = Field(default_factory=list)
    # A sign -> the reported root shown above it (the cause's 'explained_by').
    explained_by: dict[str, str] = Field(default_factory=dict)
    plan_first: str | None = None
    not_fixes: list[str] = Field(default_factory=list)


class CaseModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    answers: dict[str, Any]
    expect: Expectation


class CaseFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    cases: list[CaseModel]


@dataclass(frozen=True)
class Case:
    name: str
    answers: JsonObject  # raw, as written in the case file
    expect: Expectation
    span: SourceSpan
    # Where the case is written, for positions inside it (None for cases built in code).
    document: Document | None = field(default=None, compare=False, repr=False)
    index: int = 0

    def where(self, *parts: str | int, key: bool = False) -> SourceSpan:
        """The position of a value (or, with ``key``, of its key) inside this case."""
        if self.document is None:
            return self.span
        path = ("cases", self.index, *parts)
        return (self.document.key_spans.get(path) if key else None) or self.document.span_for(path)


def load_cases(path: Path) -> list[Case]:
    """Read one case file. Raises RuleBaseError with positions for malformed files."""
    cases, problems = read_case_file(path)
    if problems:
        raise RuleBaseError(problems)
    return cases


def read_case_file(path: Path) -> tuple[list[Case], list[Diagnostic]]:
    """Every well-formed case of a file, and every problem of the others.

    Cases are validated one by one: a case with a schema problem is left out and
    reported, and the rest still run.
    """
    shown = display_path(path)
    if path.is_fifo() or path.is_socket():
        # Read, a FIFO with no writer is empty ("a case file is a mapping ..."): say
        # what it is. A device goes on to read_limited (/dev/zero: too large).
        return [], [
            Diagnostic(
                "LP002",
                Severity.ERROR,
                "cannot read: not a regular file (a FIFO or socket)",
                SourceSpan(shown, 1, 1),
                "cases are read from YAML files",
            )
        ]
    try:
        raw = read_limited(path, shown)  # /dev/zero: a clear LP002, not a hang
        document = parse_yaml(decode_source(raw, shown), shown)
    except OSError as exc:
        return [], [
            Diagnostic(
                "LP002", Severity.ERROR, f"cannot read: {exc.strerror}", SourceSpan(shown, 1, 1)
            )
        ]
    except RuleBaseError as exc:
        return [], list(exc.diagnostics)
    if document is None or not isinstance(document.data, dict):
        return [], [
            Diagnostic(
                "LP102",
                Severity.ERROR,
                "a case file is a mapping with a 'cases' list",
                SourceSpan(shown, 1, 1),
                "start the file with 'cases:'",
            )
        ]
    try:
        CaseFileModel.model_validate(document.data)
        problems: list[Diagnostic] = []
    except ValidationError as exc:
        problems = schema_diagnostics(exc, document, CaseFileModel)
    items = document.data.get("cases")
    cases = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            model = CaseModel.model_validate(item)
        except ValidationError:
            continue  # reported above, with its position
        span = document.span_for(("cases", index))
        cases.append(Case(model.name, model.answers, model.expect, span, document, index))
    return cases, problems


def reference_problems(rb: RuleBase, case: Case) -> list[Diagnostic]:
    """Ids in the case that the rule base does not have, each with a suggestion."""
    found: list[Diagnostic] = []

    def unknown(
        kind: str, name: str, known: Collection[str], *parts: str | int, key: bool = False
    ) -> None:
        if name not in known:
            what = f"unknown {kind} '{name}'".replace(" (no such question)", "")
            if "(no such question)" in kind:
                what += ": no question has that id"
            found.append(
                Diagnostic(
                    "LP206",
                    Severity.ERROR,
                    what,
                    case.where(*parts, key=key),
                    did_you_mean(name, known),
                )
            )

    for key in case.answers:
        unknown("answer key (no such question)", key, rb.questions, "answers", key, key=True)
    e = case.expect
    if e.top_cause is not None:
        unknown("cause", e.top_cause, rb.causes, "expect", "top_cause")
    for field_name in ("causes", "not_causes", "only_causes"):
        for i, cause in enumerate(getattr(e, field_name) or ()):
            unknown("cause", cause, rb.causes, "expect", field_name, i)
    for cause in e.min_certainty:
        unknown("cause", cause, rb.causes, "expect", "min_certainty", cause, key=True)
    for i, cause in enumerate(e.order):
        unknown("cause", cause, rb.causes, "expect", "order", i)
    for sign, root in e.explained_by.items():
        unknown("cause", sign, rb.causes, "expect", "explained_by", sign, key=True)
        unknown("cause", root, rb.causes, "expect", "explained_by", sign)
    if e.plan_first is not None:
        unknown("fix", e.plan_first, rb.fixes, "expect", "plan_first")
    for i, fix in enumerate(e.not_fixes):
        unknown("fix", fix, rb.fixes, "expect", "not_fixes", i)
    for field_name in ("alternatives", "not_alternatives"):
        for i, alt in enumerate(getattr(e, field_name)):
            unknown("alternative", alt, rb.alternatives, "expect", field_name, i)
    for i, flag in enumerate(e.red_flags or ()):
        unknown("safety flag", flag, rb.safety_flags, "expect", "red_flags", i)
    for i, key in enumerate(e.errors or ()):
        unknown("answer key (no such question)", key, rb.questions, "expect", "errors", i)
    return sorted(found, key=lambda d: d.span or case.span)


def rejected_answers(case: Case, result: DiagnosisOut) -> list[str]:
    """Each answer the diagnosis rejected: where it is, why, and what was expected."""
    return [
        f"{case.where('answers', error['key'])}: answer rejected: {error['message']}"
        + (f" (expected {error['expected']})" if error.get("expected") else "")
        for error in result["errors"]
    ]


def cause_lines(rb: RuleBase, case: Case, result: DiagnosisOut) -> list[str]:
    """For each cause the case names or the diagnosis reports: what was expected, what came."""
    from ..intake.answers import normalize_answers
    from ..reasoning.engine import infer
    from ..reasoning.why_not import verdict_lines, why_not

    e = case.expect
    expected: dict[str, str] = {}
    if e.top_cause:
        expected[e.top_cause] = "top cause"
    for cause in [*e.causes, *(e.only_causes or ())]:
        expected.setdefault(cause, "reported")
    for cause, least in e.min_certainty.items():
        expected[cause] = expected.get(cause, "reported") + f", at least {least:g}"
    for cause in e.not_causes:
        expected.setdefault(cause, "not reported")
    reported = {c["id"]: (rank, c["certainty"]) for rank, c in enumerate(result["causes"], 1)}
    answers, errors, _ = normalize_answers(rb, case.answers)
    beliefs = {} if errors else infer(rb, answers, trace=False).beliefs
    lines = []
    for cause in [*expected, *(c for c in reported if c not in expected)]:
        wanted = expected.get(cause)
        if wanted is None and e.only_causes is not None:
            wanted = "not to be reported"
        if wanted and _met(case, cause, wanted, reported):
            continue  # printed under a failed case, a met expectation reads as a reason
        if cause in reported:
            rank, certainty = reported[cause]
            got = f"{certainty:.2f}, reported (rank {rank})"
        elif errors:
            got = "no diagnosis (an answer was rejected)"
        else:
            got = f"{beliefs.get(cause, 0.0):.2f}, not reported"
        said = f"expected {wanted}" if wanted else "not named in the case"
        lines.append(f"cause {cause}: {said}; got {got}")
        if wanted and wanted != "not reported" and not errors and _short(case, cause, reported):
            # Why it did not come: each rule that concludes it, and what stopped it.
            lines += [f"  {line}" for line in verdict_lines(why_not(rb, answers, cause))]
    return lines


def _met(case: Case, cause: str, wanted: str, reported: dict[str, tuple[int, float]]) -> bool:
    """Whether the case's expectation ``wanted`` about ``cause`` held."""
    if wanted.startswith("not "):
        return cause not in reported
    return not _short(case, cause, reported)


def _short(case: Case, cause: str, reported: dict[str, tuple[int, float]]) -> bool:
    """Whether an expected cause is missing, or below its expected certainty or rank."""
    if cause not in reported:
        return True
    rank, certainty = reported[cause]
    least = case.expect.min_certainty.get(cause)
    low = least is not None and certainty < least
    return low or (case.expect.top_cause == cause and rank != 1)


def case_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Not only regular files: a FIFO or a dangling link named *.yaml is reported
            # (read_case_file), not skipped without a word.
            found.extend(sorted(p for p in path.rglob("*.yaml") if not p.is_dir()))
        else:
            found.append(path)
    return found


def check_case(rb: RuleBase, case: Case) -> tuple[DiagnosisOut, list[str]]:
    """Diagnose the case's answers; return the result and every way it missed expectations."""
    from ..api import diagnose

    result = diagnose({"id": case.name, "answers": case.answers}, rb)
    return result, compare(result, case.expect)


def compare(result: DiagnosisOut, expect: Expectation) -> list[str]:
    problems: list[str] = []
    causes = [c["id"] for c in result["causes"]]
    certainty = {c["id"]: c["certainty"] for c in result["causes"]}
    alternatives = [a["id"] for a in result["alternatives"]]
    flags = sorted(f["id"] for f in result["red_flags"])
    error_keys = sorted({e["key"] for e in result["errors"]})
    if expect.status is not None and result["status"] != expect.status:
        problems.append(f"status: expected {expect.status}, got {result['status']}")
    if expect.top_cause is not None and causes[:1] != [expect.top_cause]:
        problems.append(
            f"top cause: expected {expect.top_cause}, got {causes[0] if causes else 'none'}"
        )
    problems += [
        f"cause {c} expected but not reported (got {_listed(causes)})"
        for c in expect.causes
        if c not in causes
    ]
    problems += [f"cause {c} reported but should not be" for c in expect.not_causes if c in causes]
    if expect.only_causes is not None and sorted(causes) != sorted(expect.only_causes):
        problems.append(
            f"causes: expected exactly {_listed(sorted(expect.only_causes))}, "
            f"got {_listed(sorted(causes))}"
        )
    problems += [
        f"alternative {a} expected but not offered"
        for a in expect.alternatives
        if a not in alternatives
    ]
    problems += [
        f"alternative {a} offered but should not be"
        for a in expect.not_alternatives
        if a in alternatives
    ]
    if expect.red_flags is not None and flags != sorted(expect.red_flags):
        problems.append(
            f"red flags: expected {_listed(sorted(expect.red_flags))}, got {_listed(flags)}"
        )
    if expect.errors is not None and error_keys != sorted(expect.errors):
        problems.append(
            f"errors on keys: expected {_listed(sorted(expect.errors))}, got {_listed(error_keys)}"
        )
    for cause, minimum in expect.min_certainty.items():
        if certainty.get(cause, 0.0) < minimum:
            problems.append(
                f"certainty of {cause}: expected at least {minimum:g}, "
                f"got {certainty.get(cause, 0.0):.2f}"
            )
    return problems + _compare_ranking(result, expect)


def _compare_ranking(result: DiagnosisOut, expect: Expectation) -> list[str]:
    """The order of the causes, which root each sign is shown under, and the plan."""
    problems: list[str] = []
    causes = [c["id"] for c in result["causes"]]
    if expect.order and [c for c in causes if c in expect.order] != expect.order:
        problems.append(f"order: expected {_listed(expect.order)}, got {_listed(causes)}")
    roots = {c["id"]: c.get("explained_by", []) for c in result["causes"]}
    problems += [
        f"explained_by: expected {sign} under {root}, got {_listed(roots.get(sign, []))}"
        for sign, root in expect.explained_by.items()
        if root not in roots.get(sign, [])
    ]
    plan = [step["fix"] for step in result["plan"]]
    if expect.plan_first is not None and plan[:1] != [expect.plan_first]:
        problems.append(f"plan first: expected {expect.plan_first}, got {_listed(plan[:1])}")
    problems += [f"fix {f} in the plan but should not be" for f in expect.not_fixes if f in plan]
    return problems


def _listed(ids: list[str]) -> str:
    return ", ".join(ids) or "none"
