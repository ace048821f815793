"""`legpress-diag ask`: the interactive questionnaire, a thin loop over the state machine."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import exitcodes
from .common import NoDefaultRulesOption, RulesOption, fail, load_rules
from .output import atomic_output

if TYPE_CHECKING:
    from ..questionnaire import SessionState
    from ..rulebase import RuleBase
    from ..ui.questionnaire_view import QuestionnaireView

HELP = """Answer questions about your leg press and get likely causes, fixes and alternatives.

The safety screen comes first; then only questions that can still change the result
are asked. At any prompt: ? skips, 'why' says what the question tests, 'back' undoes
the last answer, 'help' explains the answers, 'quit' stops.

Examples:

  legpress-diag ask

  legpress-diag ask --save me.json --report me.html

  legpress-diag ask --answers me.json          (resume: asks only what is missing)
"""


class _Quit(Exception):
    pass


def _read_line() -> str:
    line = sys.stdin.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


def _prefill(rb: RuleBase, path: Path, view: QuestionnaireView) -> SessionState:
    from ..answers import normalize_answers
    from ..questionnaire import SessionState
    from ..records import check_record, read_records

    try:
        with path.open("rb") as stream:
            raw = next(iter(read_records(stream)), None)
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")
    if raw is None:
        fail(f"{path}: holds no answer record")
    checked = check_record(raw)
    for problem in checked.errors:
        fail(f"{path}: {problem.message}")
    answers, errors, warnings = normalize_answers(rb, checked.answers)
    for problem in [*errors, *warnings]:
        view.invalid(
            f"{path}: {problem.message}"
            + (f" (expected {problem.expected})" if problem.expected else "")
        )
    if errors:
        view.note("Those questions will be asked again.")
    state = SessionState()
    bad = {p.key for p in errors}
    for key, _value in checked.answers.items():
        if key in rb.questions and key not in bad:
            state = state.answer(key, answers.get(key))
    return SessionState(state.answers, state.skipped, state.history, frozenset(state.history))


def _session_record(rb: RuleBase, state: SessionState, record_id: str) -> dict[str, Any]:
    from ..questionnaire import session_record

    return session_record(rb, state, record_id)


def _save(path: Path | None, record: dict[str, Any]) -> None:
    if path is not None:
        with atomic_output(path) as out:
            out.write(json.dumps(record, indent=2) + "\n")


def _run(
    rb: RuleBase, view: QuestionnaireView, state: SessionState, holder: list[SessionState]
) -> SessionState:
    from ..questionnaire import Ask, next_step, record_answer, why_asked
    from ..replies import parse_reply

    pending: str | None = None  # after 'back', ask the undone question again
    while True:
        holder[0] = state
        step = next_step(rb, state)
        if pending is not None and pending in rb.questions:
            step = Ask(rb.questions[pending], len(state.history) + 1)
        pending = None
        if not isinstance(step, Ask):
            view.stopped(step)
            return state
        question = step.question
        view.question(step)
        while True:
            view.prompt()
            reply = parse_reply(question, _read_line())
            if reply.kind == "invalid":
                view.invalid(reply.message)
                continue
            if reply.kind == "command":
                if reply.value == "why":
                    view.lines("Why I ask this:", why_asked(rb, question.id))
                    continue
                if reply.value == "help":
                    view.lines("How to answer:", _help_lines(question, rb))
                    continue
                if reply.value == "quit":
                    raise _Quit
                state, undone = state.undo()
                if undone is None:
                    view.note("Nothing to undo yet.")
                    continue
                pending = undone
                break
            if reply.kind == "skip" and _on_screen(rb, question.id):
                view.note(_UNSURE_NOTE)
            state = record_answer(
                rb, state, question.id, reply.value if reply.kind == "answer" else None
            )
            break


_UNSURE_NOTE = (
    "Noted as 'not sure'. On the safety screen that is not a 'no': an uncertain warning "
    "sign is treated as one to have checked, and the result will say how."
)


def _on_screen(rb: RuleBase, question_id: str) -> bool:
    from ..questionnaire import SCREEN_PREFIX

    return question_id.startswith(SCREEN_PREFIX) or question_id in rb.safety_questions()


def _help_lines(question: Any, rb: RuleBase) -> list[str]:
    from ..ui.questionnaire_view import answer_hint

    unsure = (
        "Not sure? Type ?: on the safety screen that counts as 'not sure', never as 'no'."
        if _on_screen(rb, question.id)
        else "Not sure? Type ? (or skip): the question counts as unknown, which is fine."
    )
    return [
        f"Answer with {answer_hint(question)}.",
        unsure,
        "why: what this question tests · back: change the previous answer · quit: stop",
    ]


def _after_result(view: QuestionnaireView, result: dict[str, Any]) -> None:
    causes = {c["id"]: c for c in result["causes"]}
    if causes:
        view.how_hint(result)
    while causes:
        view.prompt()
        try:
            words = _read_line().strip().split()
        except EOFError:
            return
        if not words or words[0] in ("quit", "q", "exit"):
            return
        if words[0] == "how" and len(words) == 2 and words[1] in causes:
            view.how(result, causes[words[1]])
        elif (
            words[0] == "how"
            and len(words) == 2
            and words[1].isdigit()
            and 1 <= int(words[1]) <= len(causes)
        ):
            view.how(result, result["causes"][int(words[1]) - 1])
        else:
            view.invalid(
                f"type 'how CAUSE' with one of: {', '.join(causes)}; or press Enter to finish"
            )


def _write_report(path: Path, result: dict[str, Any], rb: RuleBase) -> None:
    from ..render.report import html_report, markdown_report

    text = (
        html_report(result, rb)
        if path.suffix.lower() in (".html", ".htm")
        else markdown_report(result, rb)
    )
    with atomic_output(path) as out:
        out.write(text)


def ask(
    save: Annotated[
        Path | None, typer.Option("--save", help="Save the answers as a batch record (JSON).")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="Pre-fill answers from a saved record; ask only the rest."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write a report: Markdown (.md) or HTML (.html)."),
    ] = None,
    record_id: Annotated[
        str, typer.Option("--id", help="The id to store in the saved record.")
    ] = "ask",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
) -> None:
    from ..api import diagnose
    from ..questionnaire import SessionState, screen_prompts_left
    from ..ui.console import make_console
    from ..ui.questionnaire_view import QuestionnaireView

    rb = load_rules(rules, no_default_rules)
    view = QuestionnaireView(make_console(stderr=True), make_console(), rb)
    state = _prefill(rb, answers, view) if answers else SessionState()
    holder = [state]
    view.intro(screen_prompts_left(rb, state))
    try:
        state = _run(rb, view, state, holder)
    except _Quit:
        _save(save, _session_record(rb, holder[0], record_id))
        view.note(
            "Stopped."
            + (f" Answers so far saved to {save}; resume with --answers {save}." if save else "")
        )
        raise typer.Exit(exitcodes.OK) from None
    except EOFError:
        _save(save, _session_record(rb, holder[0], record_id))
        resume = f"--answers {save}" if save else "--save FILE, then --answers FILE"
        view.note(f"\nInput ended before the questions did. To resume later, use {resume}.")
        raise typer.Exit(exitcodes.FINDINGS) from None
    except KeyboardInterrupt:
        _save(save, _session_record(rb, holder[0], record_id))
        view.note("\nInterrupted." + (f" Answers so far saved to {save}." if save else ""))
        raise typer.Exit(exitcodes.INTERRUPTED) from None
    record = _session_record(rb, state, record_id)
    _save(save, record)
    result = diagnose(record, rb)
    view.result(result)
    if report is not None:
        _write_report(report, result, rb)
        view.note(f"Report written to {report}.")
    if save is not None:
        view.note(f"Answers saved to {save}; replay with: legpress-diag diagnose {save}")
    try:
        _after_result(view, result)
    except KeyboardInterrupt:
        raise typer.Exit(exitcodes.INTERRUPTED) from None
