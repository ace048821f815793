"""Issue 12, a thin CLI: commands parse, call one core function, hand its value to a
printer. The core functions are tested here on their typed values."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import typer

from legpress_diag.api import load_rulebase
from legpress_diag.authoring.describe import CauseEntry, QuestionEntry, listing
from legpress_diag.authoring.draw import UnknownCause, draw
from legpress_diag.authoring.impact import CaseSource, RecordsError, impact_lines, run_impact
from legpress_diag.authoring.lint import LintReport
from legpress_diag.authoring.lint.output import report_lines
from legpress_diag.authoring.testing import CoverageRow, run_cases, run_lines
from legpress_diag.foundation.problems import Diagnostic, Severity, SourceSpan
from legpress_diag.intake.questionnaire import SessionState, why_asked
from legpress_diag.intake.session import (
    MAX_SAVED_BYTES,
    ResumeError,
    Turn,
    next_turn,
    react,
    resume,
)
from legpress_diag.knowledge.rulebase import RuleBase

from .conftest import MINI_RULES, REPO

CLI = REPO / "src" / "legpress_diag" / "cli"
MAX_BODY_LINES = 40

CASES = """\
cases:
  - {name: a only, answers: {a: "yes"}, expect: {status: unscreened}}
  - {name: b only, answers: {b: "yes"}, expect: {status: unscreened}}
  - {name: neither, answers: {a: "no"}, expect: {status: no_fault_found}}
"""


def _rulebase(path: Path, rules: str) -> RuleBase:
    path.write_text(MINI_RULES + "rules:\n" + rules)
    return load_rulebase([path], include_bundled=False)


@pytest.fixture
def old_and_new(tmp_path: Path) -> tuple[RuleBase, RuleBase]:
    old = _rulebase(tmp_path / "old.yaml", "  - {id: r1, if: a, then: c1, cf: 0.5}\n")
    new = _rulebase(
        tmp_path / "new.yaml",
        "  - {id: r1, if: a, then: c1, cf: 0.8}\n  - {id: r2, if: b, then: c2, cf: 0.6}\n",
    )
    return old, new


def _body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From the first statement after the docstring to the end of the last one."""
    body = function.body
    if (
        len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def _functions() -> dict[tuple[str, str], int]:
    """Every function and method in cli/*.py, nested ones too: (file, name) -> body lines."""
    found = {}
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found[(path.name, node.name)] = _body_lines(node)
    return found


def test_no_cli_function_has_a_body_over_40_lines() -> None:
    long = {f"{file}:{name}": n for (file, name), n in _functions().items() if n > MAX_BODY_LINES}
    assert not long, f"parse, call one core function, print: {long}"


def _registered(app: typer.Typer) -> list[Any]:
    callbacks = [info.callback for info in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        callbacks += _registered(group.typer_instance)
    return callbacks


def test_every_registered_command_is_among_the_functions_measured() -> None:
    from legpress_diag.cli.app import app

    measured = _functions()
    commands = _registered(app)
    assert len(commands) >= 9  # ask, diagnose, serve and the rules subcommands
    for command in commands:
        assert (Path(inspect.getfile(command)).name, command.__name__) in measured


def test_run_impact_lists_the_changed_cases_and_records(
    tmp_path: Path, old_and_new: tuple[RuleBase, RuleBase]
) -> None:
    old, new = old_and_new
    (tmp_path / "new-cases.yaml").write_text(CASES)  # the new file's own cases
    records = tmp_path / "r.jsonl"
    records.write_text('{"id": "x", "answers": {"a": "yes", "b": "yes"}}\n[1]\n')
    report = run_impact(
        old, new, rule_paths=[tmp_path / "new.yaml"], records=records, bundled=False
    )
    assert report.sources == (CaseSource(tmp_path / "new-cases.yaml", 3),)
    assert (report.records, report.compared) == (1, 4)
    assert [(c.label.split(" (")[0], c.what) for c in report.changes] == [
        ("case 'a only'", ["~ c1 0.50 → 0.80 (+0.30)"]),
        (
            "case 'b only'",
            ["status: no_fault_found → unscreened", "top cause: none → c2", "+ c2 (0.60)"],
        ),
        ("record x", ["+ c2 (0.60)", "~ c1 0.50 → 0.80 (+0.30)"]),
    ]
    assert (report.old_hash, report.new_hash) == (old.content_hash, new.content_hash)
    lines = list(impact_lines(report))
    assert lines[0].endswith("new-cases.yaml, 1 record")
    assert lines[-1] == f"3 of 4 diagnoses changed ({old.content_hash} → {new.content_hash})"


def test_run_impact_min_move_and_unreadable_records(
    tmp_path: Path, old_and_new: tuple[RuleBase, RuleBase]
) -> None:
    old, new = old_and_new
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "c.yaml").write_text(CASES)
    report = run_impact(old, new, cases=[tmp_path / "cases"], bundled=False, min_move=0.5)
    assert report.records is None and report.compared == 3
    assert [c.what for c in report.changes] == [
        ["status: no_fault_found → unscreened", "top cause: none → c2", "+ c2 (0.60)"]
    ]
    with pytest.raises(RecordsError, match="cannot read"):
        run_impact(old, new, records=tmp_path / "missing.jsonl", bundled=False)


def test_run_cases_and_its_coverage_rows(
    tmp_path: Path, old_and_new: tuple[RuleBase, RuleBase]
) -> None:
    old, _ = old_and_new
    (tmp_path / "c.yaml").write_text(CASES)
    run = run_cases(old, [tmp_path / "c.yaml"])
    assert [o.case.name for o in run.failed] == ["b only"]  # no rule for b in the old base
    assert not run.ok
    rows = run.coverage.rows(old)
    assert rows == (
        CoverageRow("rules", 1, 1, ()),
        CoverageRow("causes", 1, 2, ("c2",)),
        CoverageRow("questions", 2, 5, ("angle", "tempo", "where")),
        CoverageRow("safety_flags", 0, 0, ()),
    )
    assert rows[2].percent == 40.0 and rows[3].percent == 100.0
    lines = list(run_lines(run, rows))
    assert lines[0].endswith(": b only") and lines[0].startswith("FAILED ")
    assert lines[-2] == "coverage: questions 2/5 (40%) - not exercised: angle, tempo, where"


def test_lint_report_lines_show_notes_only_when_asked() -> None:
    span = SourceSpan("a.yaml", 2, 5)
    report = LintReport(
        [
            Diagnostic("LP307", Severity.WARNING, "unused fix 'spare'", span),
            Diagnostic("LP312", Severity.INFO, "a note", span),
        ],
        ["a.yaml"],
        None,
    )
    text = list(report_lines(report, "text"))
    assert text[0] == "a.yaml:2:5: LP307 warning: unused fix 'spare'"
    assert "LP312" not in "".join(text)
    assert text[-1] == "1 warning in 1 file"
    assert list(report_lines(report, "text", notes=True))[-1] == "1 warning, 1 note in 1 file"
    github = list(report_lines(report, "github"))
    assert github == [
        "::warning file=a.yaml,line=2,col=5,title=LP307::unused fix 'spare'",
        "1 warning in 1 file",
    ]
    [as_json] = report_lines(report, "json")  # JSON always holds the notes
    assert [d["code"] for d in json.loads(as_json)["diagnostics"]] == ["LP307", "LP312"]
    assert len(report.diagnostics) == 2  # the report itself is left as it was


def test_draw_marks_what_can_never_be_reported(old_and_new: tuple[RuleBase, RuleBase]) -> None:
    old, _ = old_and_new
    mermaid = draw(old)
    assert mermaid.startswith("flowchart LR")
    assert "question_a -->|+0.5| cause_c1" in mermaid
    assert "class cause_c2" in mermaid and "flagged" in mermaid  # no rule concludes c2
    dot = draw(old, "dot", "c1")
    assert dot.startswith("digraph rules {") and "question_b" not in dot
    with pytest.raises(UnknownCause, match="no cause 'c3'"):
        draw(old, cause="c3")


def test_listing_of_a_rule_base(old_and_new: tuple[RuleBase, RuleBase]) -> None:
    old, _ = old_and_new
    listed = listing(old)
    assert listed.rulebase == {"name": "mini", "version": "1", "hash": old.content_hash}
    assert listed.questions[2] == QuestionEntry("angle", "number", "Angle?", (), 0, 180, "")
    assert listed.questions[3].choices == ("slow", "fast")
    assert listed.causes == (CauseEntry("c1", "C1", ("fx",)), CauseEntry("c2", "C2", ("fx",)))
    assert listed.safety_flags == () and listed.alternatives == ()
    as_json = json.loads(listed.to_json())
    assert list(as_json) == ["rulebase", "questions", "safety_flags", "causes", "alternatives"]
    assert as_json["questions"][0] == {
        "id": "a",
        "type": "yes_no",
        "text": "A?",
        "choices": [],
        "min": None,
        "max": None,
        "unit": "",
        "short_names": [],
        "related_words": [],
    }


def test_resume_takes_the_good_answers_and_names_the_bad(rb: RuleBase, tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    saved.write_text(
        '{"id": "me", "answers": {"age_years": 500, "knee_angel": 3, "butt_lifts_off_seat": "yes"}}'
    )
    resumed = resume(rb, saved)
    assert resumed.state.answers == {"butt_lifts_off_seat": True}
    assert resumed.state.prefilled == {"butt_lifts_off_seat"} and resumed.state.asked_here == 0
    assert resumed.problems == (
        f"{saved}: age_years: 500 is out of range; the safety screen reads it both as 100 "
        "and as not sure, whichever refers higher (expected a number from 12 to 100 (years))",
        f"{saved}: knee_angel: unknown question id; did you mean 'knee_angle_at_bottom'? "
        "(expected a question id of the rule base (see 'legpress-diag rules show'))",
    )
    assert resumed.asked_again
    saved.write_text('{"answers": {"age_years": 40}}')
    assert resume(rb, saved).problems == () and not resume(rb, saved).asked_again


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read"),
        ("", "holds no answer record"),
        (" " * (MAX_SAVED_BYTES + 1), "more than 1,048,576 bytes"),
        ('{"answers": 3}', "'answers' must be an object"),
    ],
)
def test_resume_refuses_what_holds_no_session(
    rb: RuleBase, tmp_path: Path, text: str | None, message: str
) -> None:
    saved = tmp_path / "me.json"
    if text is not None:
        saved.write_text(text)
    with pytest.raises(ResumeError, match=message):
        resume(rb, saved)


def test_a_session_turn_by_turn(rb: RuleBase) -> None:
    state = SessionState()
    turn = next_turn(rb, state)
    assert isinstance(turn, Turn)
    age = turn.step.question
    assert (age.id, turn.step.number) == ("age_years", 1) and turn.about > 1
    assert react(rb, state, age, "back").kind == "nothing_to_undo"
    invalid = react(rb, state, age, "old")
    assert (invalid.kind, invalid.message) == ("invalid", "type a number from 12 to 100 years")
    assert not invalid.moves_on and invalid.state is state
    why = react(rb, state, age, "why")
    assert why.kind == "why" and why.lines == tuple(why_asked(rb, "age_years"))
    assert [react(rb, state, age, c).kind for c in ("help", "quit")] == ["help", "quit"]
    answered = react(rb, state, age, "35")
    assert answered.kind == "answered" and answered.moves_on and not answered.unsure_on_screen
    assert answered.state.answers == {"age_years": 35}
    unsure = react(rb, state, age, "?")  # on the safety screen: never a "no"
    assert unsure.unsure_on_screen and unsure.state.skipped == {"age_years"}
    second = next_turn(rb, answered.state)
    assert isinstance(second, Turn) and second.step.number == 2
    undone = react(rb, answered.state, second.step.question, "back")
    assert (undone.kind, undone.again, undone.state.answers) == ("undone", "age_years", {})
    again = next_turn(rb, undone.state, undone.again)
    assert isinstance(again, Turn) and (again.step.question.id, again.step.number) == (
        "age_years",
        1,
    )


def test_a_choice_picked_in_words_is_said_back(rb: RuleBase) -> None:
    """A new user typed "butt" at a checklist and saw nothing to say which item it
    ticked: a pick in words is said back by its label; a number is not."""
    from legpress_diag.knowledge.loader import load_rulebase

    bundled = load_rulebase([])
    where = bundled.questions["pain_location"]
    state = SessionState()
    assert react(bundled, state, where, "lower").picked == ("Lower back",)
    assert react(bundled, state, where, "knee, hip").picked == ("Knees", "Hips")
    assert react(bundled, state, where, "1").picked == ()
    assert react(bundled, state, where, "?").picked == ()
    assert react(bundled, state, bundled.questions["age_years"], "forty").picked == ()


def test_back_reaches_the_prefilled_answers_last(rb: RuleBase) -> None:
    state = SessionState().answer("age_years", 40)
    state = SessionState(state.answers, history=state.history, prefilled=frozenset(state.history))
    state = state.answer("heels_lift", True)
    assert state.asked_here == 1
    state, undone = state.back()
    assert undone == "heels_lift" and state.prefilled == {"age_years"}
    state, undone = state.back()
    assert undone == "age_years" and state.answers == {} and state.prefilled == frozenset()
    assert state.back() == (state, None)
