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

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..diagnostics import Diagnostic, RuleBaseError, Severity, SourceSpan
from ..rulebase import RuleBase
from ..sources import display_path, schema_diagnostics
from ..yamlsafe import decode_source, parse_yaml


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    status: Literal["ok", "refer", "no_fault_found", "error"] | None = None
    top_cause: str | None = None
    causes: list[str] = Field(default_factory=list)
    not_causes: list[str] = Field(default_factory=list)
    only_causes: list[str] | None = None
    alternatives: list[str] = Field(default_factory=list)
    not_alternatives: list[str] = Field(default_factory=list)
    red_flags: list[str] | None = None
    errors: list[str] | None = None
    min_certainty: dict[str, float] = Field(default_factory=dict)


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
    answers: dict[str, Any]
    expect: Expectation
    span: SourceSpan


def load_cases(path: Path) -> list[Case]:
    """Read one case file. Raises RuleBaseError with positions for malformed files."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleBaseError(
            [
                Diagnostic(
                    "LP002", Severity.ERROR, f"cannot read: {exc.strerror}", SourceSpan(shown, 1, 1)
                )
            ]
        ) from None
    document = parse_yaml(decode_source(raw, shown), shown)
    if document is None or not isinstance(document.data, dict):
        raise RuleBaseError(
            [
                Diagnostic(
                    "LP102",
                    Severity.ERROR,
                    "a case file is a mapping with a 'cases' list",
                    SourceSpan(shown, 1, 1),
                )
            ]
        )
    try:
        model = CaseFileModel.model_validate(document.data)
    except ValidationError as exc:
        raise RuleBaseError(schema_diagnostics(exc, document)) from None
    return [
        Case(c.name, c.answers, c.expect, document.span_for(("cases", i)))
        for i, c in enumerate(model.cases)
    ]


def case_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        else:
            found.append(path)
    return found


def check_case(rb: RuleBase, case: Case) -> tuple[dict[str, Any], list[str]]:
    """Diagnose the case's answers; return the result and every way it missed expectations."""
    from ..api import diagnose

    result = diagnose({"id": case.name, "answers": case.answers}, rb)
    return result, compare(result, case.expect)


def compare(result: dict[str, Any], expect: Expectation) -> list[str]:
    problems: list[str] = []
    causes = [c["id"] for c in result["causes"]]
    certainty = {c["id"]: c["certainty"] for c in result["causes"]}
    alternatives = [a["id"] for a in result["alternatives"]]
    flags = sorted(f["id"] for f in result["red_flags"])
    error_keys = sorted({e["key"] for e in result["errors"]})
    if expect.status is not None and result["status"] != expect.status:
        problems.append(f"status: expected {expect.status}, got {result['status']}")
    if expect.top_cause is not None and (causes[:1] or [None])[0] != expect.top_cause:
        problems.append(
            f"top cause: expected {expect.top_cause}, got {causes[0] if causes else 'none'}"
        )
    problems += [
        f"cause {c} expected but not reported (got {causes or 'none'})"
        for c in expect.causes
        if c not in causes
    ]
    problems += [f"cause {c} reported but should not be" for c in expect.not_causes if c in causes]
    if expect.only_causes is not None and sorted(causes) != sorted(expect.only_causes):
        problems.append(
            f"causes: expected exactly {sorted(expect.only_causes)}, got {sorted(causes)}"
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
        problems.append(f"red flags: expected {sorted(expect.red_flags)}, got {flags}")
    if expect.errors is not None and error_keys != sorted(expect.errors):
        problems.append(f"errors on keys: expected {sorted(expect.errors)}, got {error_keys}")
    for cause, minimum in expect.min_certainty.items():
        if certainty.get(cause, 0.0) < minimum:
            problems.append(
                f"certainty of {cause}: expected at least {minimum}, "
                f"got {certainty.get(cause, 0.0)}"
            )
    return problems
