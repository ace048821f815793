"""The coach-style case files under rules/cases, one test per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpress_diag.authoring.cases import Case, case_files, check_case, load_cases
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.knowledge.rulebase import RuleBase

from .conftest import REPO


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        cases = [(f, c) for f in case_files([REPO / "rules" / "cases"]) for c in load_cases(f)]
        metafunc.parametrize(
            "case", [c for _, c in cases], ids=[f"{f.stem}: {c.name}" for f, c in cases]
        )


def test_case(rb: RuleBase, case: Case) -> None:
    _, problems = check_case(rb, case)
    assert not problems, f"{case.span}: " + "; ".join(problems)


def test_cases_cover_every_cause_and_flag(rb: RuleBase) -> None:
    seen_causes: set[str] = set()
    seen_flags: set[str] = set()
    statuses: set[str] = set()
    for path in case_files([REPO / "rules" / "cases"]):
        for case in load_cases(path):
            result, _ = check_case(rb, case)
            seen_causes |= {c["id"] for c in result["causes"]}
            seen_flags |= {f["id"] for f in result["red_flags"]}
            statuses.add(result["status"])
    assert seen_causes == set(rb.causes)
    assert seen_flags == set(rb.safety_flags)
    assert statuses == {"ok", "refer", "unscreened", "no_fault_found", "error"}


def test_a_wrong_expectation_is_reported(rb: RuleBase, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "cases:\n  - name: x\n    answers: {heels_lift: 'yes'}\n"
        "    expect: {top_cause: fast_reps}\n"
    )
    [case] = load_cases(path)
    _, problems = check_case(rb, case)
    assert problems == ["top cause: expected fast_reps, got heels_lifting"]


def test_cramped_tall_lifter_ranks_build_and_seat_above_hamstrings(rb: RuleBase) -> None:
    """Issue 13: a long-legged lifter who feels cramped had tight hamstrings ranked
    ahead of the build and the seat. The case format checks only the top cause."""
    from legpress_diag.api import diagnose

    answers = {
        "limb_length": "long",
        "cramped_at_bottom": "yes",
        "lower_back_rounds": "yes",
        "can_touch_toes": "no",
        "pain_location": ["lower_back"],
    }
    ranked = [c["id"] for c in diagnose({"answers": answers}, rb)["causes"]]
    assert ranked.index("long_limbs") < ranked.index("tight_hamstrings")
    assert ranked.index("seat_setup") < ranked.index("tight_hamstrings")


def test_a_minimum_certainty_above_1_is_refused_where_it_is_written(tmp_path: Path) -> None:
    from legpress_diag.authoring.cases import load_cases

    path = tmp_path / "cases.yaml"
    path.write_text(
        "cases:\n  - name: heels\n    answers: {heels_lift: 'yes'}\n"
        "    expect: {min_certainty: {heels_lifting: 2}}\n"
    )
    with pytest.raises(RuleBaseError) as info:
        load_cases(path)
    [problem] = info.value.diagnostics
    assert problem.span is not None and (problem.span.line, problem.span.col) == (4, 45)
    assert "must be at most 1 (got 2)" in problem.message
