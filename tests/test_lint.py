"""Lint: the registry's meta-tests, and each check run on its own documented examples."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.authoring.lint import lint
from legpress_diag.authoring.lint.registry import CHECKS, RETIRED
from legpress_diag.foundation.problems import Severity


def examples(module: ModuleType) -> tuple[str, str]:
    doc = module.__doc__ or ""
    match = re.search(r"\nBad:\n(.*?)\nGood:\n(.*)$", doc, re.S)
    assert match, f"{module.CODE} needs 'Bad:' and 'Good:' examples in its docstring"
    return textwrap.dedent(match.group(1)), textwrap.dedent(match.group(2))


def test_codes_are_unique_well_formed_and_match_modules() -> None:
    assert len(CHECKS) == len({m.NAME for m in CHECKS.values()})
    for code, module in CHECKS.items():
        assert re.fullmatch(r"LP\d{3}", code) and code not in RETIRED
        assert module.__name__.rsplit(".", 1)[1].startswith(code.lower())
        assert module.__doc__.startswith(f"{code} {module.NAME}: ")
        assert isinstance(module.SEVERITY, Severity)
        assert module.PHASE in ("load", "analysis", "exhaustive", "suppression")
        assert (module.PHASE in ("load", "suppression")) == (not hasattr(module, "check"))
        assert (module.PHASE == "suppression") == hasattr(module, "check_suppressions")


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_bad_example_is_caught_and_good_example_passes(code: str, tmp_path: Path) -> None:
    bad, good = examples(CHECKS[code])
    # The exhaustive walk (seconds over the bundled base) only where the check needs it.
    walk = CHECKS[code].PHASE == "exhaustive"
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(bad, encoding="utf-8")
    found = lint([bad_file], exhaustive=walk)
    assert code in {d.code for d in found.diagnostics}, [d.format() for d in found.diagnostics]
    assert all(
        d.span and d.span.path.endswith("bad.yaml") for d in found.diagnostics if d.code == code
    )
    good_file = tmp_path / "good.yaml"
    good_file.write_text(good, encoding="utf-8")
    passed = lint([good_file], exhaustive=walk)
    assert code not in {d.code for d in passed.diagnostics}, [
        d.format() for d in passed.diagnostics
    ]


def test_bundled_rule_base_has_no_errors_or_warnings() -> None:
    report = lint()
    assert not report.failed(strict=True), [d.format() for d in report.diagnostics]
    assert all(w.complete and w.max_certainty >= 0.2 for w in report.walks)
    assert len(report.walks) == len(bundled_rulebase().causes)


def test_findings_point_inside_the_condition(tmp_path: Path) -> None:
    path = tmp_path / "coach.yaml"
    path.write_text(
        "rules:\n  - id: deep\n    if: heels_lift and knee_angle_at_bottom < 250\n"
        "    then: excess_depth\n    cf: 0.3\n    source: coach\n"
    )
    [finding] = [d for d in lint([path]).diagnostics if d.code == "LP302"]
    assert finding.span and (finding.span.line, finding.span.col) == (3, 47)
    assert "always true" in finding.message


def test_only_findings_in_the_given_files_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "coach.yaml"
    path.write_text("fixes:\n  - {id: spare, title: Spare, how: Nothing uses this., source: x}\n")
    report = lint([path])
    assert [d.code for d in report.diagnostics] == ["LP307"]
    assert report.files == [str(path.resolve())] or report.files[0].endswith("coach.yaml")


def test_every_error_of_a_broken_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "rules:\n  - {id: a, if: heel_lift, then: heels_lifting, cf: 0.5, source: x}\n"
        "  - {id: b, if: rep_tempo == quick, then: fast_reps, cf: 0.5, source: x}\n"
    )
    codes = [d.code for d in lint([path]).diagnostics]
    assert codes == ["LP203", "LP204"]


def test_every_bundled_pain_location_but_other_feeds_a_rule() -> None:
    """Issue 13: 'hips' fed no rule. LP316 notes choices no condition tests."""
    from legpress_diag.authoring.lint.checks.lp316_unused_choice import tested_values

    named = tested_values(bundled_rulebase())
    assert {"lower_back", "knees", "hips"} <= named["pain_location"]
    assert {"low", "middle", "high"} <= named["foot_position"]


def test_a_walk_past_the_work_budget_says_what_it_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A small budget stands in for a rule file of thousands of rules: the walk stops
    # within it, and lint names each cause it did not finish instead of running for
    # hours (250 rules took 48 s, 1,000 more than 200 s) or staying silent.
    from legpress_diag.authoring import exhaustive

    monkeypatch.setattr(exhaustive, "WORK_BUDGET", 100_000)
    report = lint()
    rules = len(bundled_rulebase().rules)
    assert sum(walk.walked for walk in report.walks) * rules <= 100_000
    cut = [walk for walk in report.walks if not walk.complete]
    assert cut and min(report.walks, key=lambda walk: walk.total).complete  # smallest first
    said = [d for d in report.diagnostics if d.code == "LP321"]
    assert {d.message.split("'")[1] for d in said} == {walk.cause for walk in cut}
    assert all("skipped the rest" in d.message and d.severity is Severity.INFO for d in said)
    assert not report.failed(strict=False)  # information, not a finding


def test_a_rule_that_can_never_fire_is_an_error(tmp_path: Path) -> None:
    rules = tmp_path / "dead.yaml"
    rules.write_text(
        "rules:\n  - {id: both-ways, if: heels_lift and not heels_lift, then: heels_lifting,"
        " cf: 0.4, source: coach}\n"
    )
    report = lint([rules], exhaustive=False)
    (dead,) = [d for d in report.diagnostics if d.code == "LP305"]
    assert dead.severity is Severity.ERROR and report.failed(strict=False)


def test_duplicates_are_found_once_normalised_and_say_where_the_other_is(
    tmp_path: Path,
) -> None:
    # The bundled rule 'heels-seen' is `heels_lift` -> heels_lifting.
    rules = tmp_path / "again.yaml"
    rules.write_text(
        "rules:\n"
        "  - {id: spelt-out, if: heels_lift == yes, then: heels_lifting, cf: 0.3, source: c}\n"
        "  - {id: one, if: knees_cave_in and heels_lift, then: knees_caving, cf: 0.3, source: c}\n"
        "  - {id: two, if: heels_lift and knees_cave_in, then: knees_caving, cf: 0.3, source: c}\n"
        "  - {id: negated, if: heels_lift == no, then: knees_caving, cf: 0.3, source: c}\n"
        "  - {id: not-spelt, if: not heels_lift, then: knees_caving, cf: 0.3, source: c}\n"
    )
    found = {
        d.message.split("'")[1]: d.message
        for d in lint([rules], exhaustive=False).diagnostics
        if d.code == "LP311"
    }
    assert set(found) == {"spelt-out", "two", "not-spelt"}
    assert "repeats rule 'heels-seen' in <bundled>/knees-and-feet.yaml:" in found["spelt-out"]
    assert found["two"].startswith("rule 'two' repeats rule 'one' (")  # same file: no 'in'


@pytest.mark.parametrize("condition", ["shift_side != not_sure", "shift_side not in [not_sure]"])
def test_a_choice_reached_by_an_exclusion_is_tested(tmp_path: Path, condition: str) -> None:
    # Coach trial: `shift_side != not_sure` makes 'left' and 'right' change the result,
    # yet LP316 said nothing tested them. Each choice decides whether `!=` holds.
    rules = tmp_path / "sides.yaml"
    rules.write_text(
        "questions:\n"
        "  - id: shift_side\n"
        "    type: choice\n"
        "    group: form\n"
        "    text: Which way do the hips shift?\n"
        "    choices: {left: To the left, right: To the right, not_sure: Not sure}\n"
        "    source: coach\n"
        "rules:\n"
        "  - id: side\n"
        f"    if: heels_lift and {condition}\n"
        "    then: heels_lifting\n"
        "    cf: 0.3\n"
        "    source: coach\n"
    )
    report = lint([rules], exhaustive=False)
    assert not report.failed(strict=False), report.diagnostics
    assert not [d for d in report.diagnostics if d.code == "LP316" and "shift_side" in d.message]
    # `==` still tests only what it names: the other choices are noted.
    rules.write_text(rules.read_text().replace(condition, "shift_side == left"))
    (note,) = [d for d in lint([rules], exhaustive=False).diagnostics if d.code == "LP316"]
    assert "'right', 'not_sure'" in note.message


def test_the_summary_says_when_walks_were_cut_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from legpress_diag.authoring import exhaustive
    from legpress_diag.authoring.lint.output import summary

    assert "walked only in part" not in summary(lint())
    monkeypatch.setattr(exhaustive, "WORK_BUDGET", 50_000)
    report = lint()
    cut = sum(1 for w in report.walks if not w.complete)
    assert 0 < cut < len(report.walks)
    assert summary(report).endswith(f", {cut} of the causes walked only in part (LP321)")
