"""`rules test`: run case files against a rule base, with coverage of rules,
causes and questions."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..answers import normalize_answers
from ..engine import infer
from ..rulebase import RuleBase
from .cases import Case, case_files, check_case, load_cases


@dataclass
class CaseOutcome:
    file: Path
    case: Case
    problems: list[str]


@dataclass
class Coverage:
    rules: set[str] = field(default_factory=set)
    causes: set[str] = field(default_factory=set)
    questions: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)

    def missing(self, rb: RuleBase) -> dict[str, list[str]]:
        return {
            "rules": [r.id for r in rb.rules if r.id not in self.rules],
            "causes": [c for c in rb.causes if c not in self.causes],
            "questions": [q for q in rb.questions if q not in self.questions],
            "safety_flags": [f for f in rb.safety_flags if f not in self.flags],
        }

    def ratios(self, rb: RuleBase) -> dict[str, tuple[int, int]]:
        missing = self.missing(rb)
        totals = {
            "rules": len(rb.rules),
            "causes": len(rb.causes),
            "questions": len(rb.questions),
            "safety_flags": len(rb.safety_flags),
        }
        return {k: (totals[k] - len(missing[k]), totals[k]) for k in totals}


@dataclass
class TestRun:
    outcomes: list[CaseOutcome]
    coverage: Coverage
    seconds: float

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.problems]


def default_case_dir() -> Path:
    from ..loader import bundled_rules_dir

    return bundled_rules_dir() / "cases"


def run_cases(rb: RuleBase, paths: list[Path]) -> TestRun:
    """Run every case in ``paths`` (files or folders). Raises RuleBaseError for bad files."""
    started = time.perf_counter()
    coverage = Coverage()
    outcomes = []
    for path in case_files(paths):
        for case in load_cases(path):
            result, problems = check_case(rb, case)
            outcomes.append(CaseOutcome(path, case, problems))
            _cover(rb, case, result, coverage)
    return TestRun(outcomes, coverage, time.perf_counter() - started)


def _cover(rb: RuleBase, case: Case, result: dict[str, object], coverage: Coverage) -> None:
    answers, errors, _ = normalize_answers(rb, case.answers)
    coverage.questions |= set(case.answers) & set(rb.questions)
    coverage.flags |= {f["id"] for f in result["red_flags"]}  # type: ignore[attr-defined]
    coverage.causes |= {c["id"] for c in result["causes"]}  # type: ignore[attr-defined]
    if not errors:
        coverage.rules |= {f.rule.id for f in infer(rb, answers).firings}
