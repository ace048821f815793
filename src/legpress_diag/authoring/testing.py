"""`rules test`: run case files against a rule base, with coverage of rules,
causes and questions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..foundation.problems import Diagnostic
from ..intake.answers import normalize_answers
from ..knowledge.rulebase import RuleBase
from ..reasoning.engine import infer
from ..reasoning.result import DiagnosisOut
from .cases import (
    Case,
    case_files,
    cause_lines,
    check_case,
    read_case_file,
    reference_problems,
    rejected_answers,
)


@dataclass
class CaseOutcome:
    """One case run: ``problems`` says how it failed (empty when it passed).

    For a failed case, ``details`` says why: each rejected answer and each unknown id,
    with its file:line:col; ``causes`` says, for each cause, what was expected and what
    came, with its certainty.
    """

    file: Path
    case: Case
    problems: list[str]
    details: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)


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

    def rows(self, rb: RuleBase) -> tuple[CoverageRow, ...]:
        """For rules, causes, questions and safety flags: how many cases exercise, of how
        many, and which none does."""
        missing = self.missing(rb)
        totals = {
            "rules": len(rb.rules),
            "causes": len(rb.causes),
            "questions": len(rb.questions),
            "safety_flags": len(rb.safety_flags),
        }
        return tuple(
            CoverageRow(kind, total - len(missing[kind]), total, tuple(missing[kind]))
            for kind, total in totals.items()
        )


@dataclass(frozen=True)
class CoverageRow:
    kind: str  # rules, causes, questions or safety_flags
    covered: int
    total: int
    missing: tuple[str, ...]  # the ids no case exercises

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


@dataclass(frozen=True)
class TestRun:
    outcomes: list[CaseOutcome]
    coverage: Coverage
    seconds: float
    # Problems of case files themselves (YAML, schema): those cases did not run.
    file_problems: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.problems]

    @property
    def ok(self) -> bool:
        return not (self.failed or self.file_problems)


def default_case_dir() -> Path:
    from ..knowledge.bundled import bundled_rules_dir

    return bundled_rules_dir() / "cases"


def run_cases(rb: RuleBase, paths: list[Path]) -> TestRun:
    """Run every case in ``paths`` (files or folders), all in one go.

    A case file's own problems (a case missing 'answers', ``status: okay``) are
    collected in ``file_problems``; every other case still runs.
    """
    started = time.perf_counter()
    coverage = Coverage()
    outcomes = []
    file_problems: list[Diagnostic] = []
    from .case_discovery import ForgottenRules

    for path in case_files(paths):
        cases, problems = read_case_file(path)
        file_problems += problems
        forgotten = ForgottenRules(path, rb)
        for case in cases:
            result, failed = check_case(rb, case)
            unknown = [_line(d) for d in forgotten.hint(reference_problems(rb, case))]
            if unknown:
                failed.append(f"{len(unknown)} unknown id{'s' * (len(unknown) != 1)} in the case")
            outcome = CaseOutcome(path, case, failed)
            if failed:
                outcome.details = [*rejected_answers(case, result), *unknown]
                if any(not p.startswith(("alternative", "red flags", "errors")) for p in failed):
                    outcome.causes = cause_lines(rb, case, result)
            outcomes.append(outcome)
            _cover(rb, case, result, coverage)
    return TestRun(outcomes, coverage, time.perf_counter() - started, file_problems)


def run_lines(run: TestRun, coverage: tuple[CoverageRow, ...] = ()) -> Iterator[str]:
    """The run as `rules test` prints it: each broken file and failed case, a summary,
    then the ``coverage`` rows."""
    for problem in run.file_problems:
        yield f"ERROR {problem.format()}"
    for outcome in run.failed:
        yield f"FAILED {outcome.case.span}: {outcome.case.name}"
        # A cause's line below says what was expected and what came, with why: the
        # summary problem about the same cause would say it a second time.
        said = {line.split(":", 1)[0] for line in outcome.causes if line.startswith("cause ")}
        problems = [p for p in outcome.problems if _about_cause(p) not in said]
        for line in [*outcome.details, *problems, *outcome.causes]:
            yield f"    {line}"
    passed = len(run.outcomes) - len(run.failed)
    broken = len(run.file_problems)
    yield (
        f"{passed} passed, {len(run.failed)} failed"
        + (f", {broken} problem{'s' * (broken != 1)} in case files" if broken else "")
        + f" in {run.seconds:.2f}s"
    )
    for row in coverage:
        line = f"coverage: {row.kind} {row.covered}/{row.total} ({row.percent:.0f}%)"
        yield line + (" - not exercised: " + ", ".join(row.missing) if row.missing else "")


def _about_cause(problem: str) -> str | None:
    """'cause X' for a problem about one expected cause ("cause X expected but not
    reported ..."), else None."""
    if problem.startswith("certainty of "):
        return "cause " + problem.removeprefix("certainty of ").split(":", 1)[0]
    words = problem.split(" ", 2)
    return f"cause {words[1]}" if len(words) > 2 and words[0] == "cause" else None


def _line(d: Diagnostic) -> str:
    return f"{d.span}: {d.message}" + (f" ({d.hint})" if d.hint else "")


def _cover(rb: RuleBase, case: Case, result: DiagnosisOut, coverage: Coverage) -> None:
    answers, errors, _ = normalize_answers(rb, case.answers)
    coverage.questions |= set(case.answers) & set(rb.questions)
    coverage.flags |= {f["id"] for f in result["red_flags"]}
    coverage.causes |= {c["id"] for c in result["causes"]}
    if not errors:
        coverage.rules |= {f.rule.id for f in infer(rb, answers).firings}
