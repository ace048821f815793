"""`legpress-diag ask`: the interactive questionnaire, a thin loop over the state machine."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import exitcodes
from ..reasoning.result import DiagnosisOut
from .common import NoDefaultRulesOption, RulesOption, fail, load_rules
from .output import (
    CLOSED_STREAMS,
    OutputError,
    atomic_output,
    check_output,
    is_environment_error,
    save_fallback,
    silence_stdout,
)

if TYPE_CHECKING:
    from ..intake.questionnaire import SessionState
    from ..knowledge.rulebase import RuleBase
    from ..presentation.ui.questionnaire_view import QuestionnaireView

HELP = """Answer questions about your leg press and get likely causes, fixes and alternatives.

The safety screen comes first; then only questions that can still change the result
are asked. At any prompt: ? skips, 'why' says what the question tests, 'back' undoes
the last answer, 'help' explains the answers, 'quit' stops.

Examples:

  legpress-diag ask

  legpress-diag ask --save me.json --report me.html

  legpress-diag ask --answers me.json          (resume: asks only what is missing)
"""


# A saved session is a few kilobytes; the bound keeps `--answers /dev/zero` (or any
# endless or huge input) from running until it is killed.
MAX_ANSWERS_BYTES = 1024 * 1024
FALLBACK_STEM = "legpress-diag-answers"


class _Quit(Exception):
    pass


def _read_line() -> str:
    line = sys.stdin.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


def _prefill(rb: RuleBase, path: Path, view: QuestionnaireView) -> SessionState:
    from ..intake.questionnaire import SessionState
    from ..intake.records import check_record, read_records
    from ..reasoning.answers import normalize_answers

    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")
    if len(data) > MAX_ANSWERS_BYTES:
        fail(
            f"{path}: more than {MAX_ANSWERS_BYTES:,} bytes; --answers takes one saved "
            "record (a file written by --save)"
        )
    raw = next(iter(read_records(io.BytesIO(data))), None)
    if raw is None:
        fail(f"{path}: holds no answer record")
    checked = check_record(raw)
    for problem in checked.errors:
        fail(f"{path}: {problem.message}")
    answers, errors, warnings = normalize_answers(rb, checked.answers)
    for problem in [*errors, *warnings]:
        # Value errors start with their key; an unknown key is named here, as diagnose does.
        named = problem.message.startswith(f"{problem.key}:")
        view.invalid(
            f"{path}: {'' if named else f'{problem.key}: '}{problem.message}"
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
    from ..intake.questionnaire import session_record

    return session_record(rb, state, record_id)


def _keep(
    save: Path | None, record: dict[str, Any], *, fallback: bool
) -> tuple[Path | None, str | None]:
    """Save the answers to ``save``, or where that fails, to a fallback file.

    Without ``save``, the fallback is used only when ``fallback`` is true (the run is
    ending on a signal with answers given). Returns where they went and what failed.
    """
    text = json.dumps(record, indent=2) + "\n"
    problem: str | None = None
    if save is not None:
        try:
            with atomic_output(save) as out:
                out.write(text)
            return save, None
        except (OutputError, OSError) as exc:
            problem = str(exc) if isinstance(exc, OutputError) else f"{save}: {exc.strerror}"
    elif not fallback:
        return None, None
    try:
        return save_fallback(text, FALLBACK_STEM, ".json"), problem
    except OSError as exc:
        return None, problem or f"cannot save the answers anywhere: {exc.strerror}"


def _tell(view: QuestionnaireView, message: str, *, invalid: bool = False) -> None:
    # After SIGHUP the terminal is gone; a message that cannot be shown must not stop
    # the answers from being saved or the run from ending with the right status.
    with contextlib.suppress(OSError):
        (view.invalid if invalid else view.note)(message)


def _stop(
    view: QuestionnaireView,
    save: Path | None,
    record: dict[str, Any],
    lead: str,
    code: int,
    *,
    fallback: bool = False,
) -> typer.Exit:
    """Save what was answered and say where; the caller raises the returned Exit."""
    where, problem = _keep(save, record, fallback=fallback and bool(record["answers"]))
    if problem:
        _tell(view, problem, invalid=True)
    if where is not None:
        again = f" --save {where}" if save is not None else ""
        lead += (
            f" Answers so far saved to {where}; to carry on where you stopped, run: "
            f"legpress-diag ask --answers {where}{again}"
        )
    elif save is None and code != exitcodes.OK:
        lead += " To resume later, use --save FILE, then --answers FILE."
    _tell(view, lead)
    return typer.Exit(code)


def _run(
    rb: RuleBase, view: QuestionnaireView, state: SessionState, holder: list[SessionState]
) -> SessionState:
    from ..intake.questionnaire import Ask, next_step, prompts_left, record_answer, why_asked
    from ..intake.replies import parse_reply

    pending: str | None = None  # after 'back', ask the undone question again
    while True:
        holder[0] = state
        step = next_step(rb, state)
        if pending is not None and pending in rb.questions:
            step = Ask(rb.questions[pending], 0)
        pending = None
        if not isinstance(step, Ask):
            view.stopped(step)
            return state
        question = step.question
        # Numbered by this session's questions: answers brought by --answers are not.
        asked_here = _asked_here(state)
        view.question(replace(step, number=asked_here + 1), asked_here + prompts_left(rb, state))
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
                state, undone = _undo(state)
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


def _asked_here(state: SessionState) -> int:
    """How many questions this session has settled (pre-filled answers not counted)."""
    return sum(1 for q in state.history if q not in state.prefilled)


def _undo(state: SessionState) -> tuple[SessionState, str | None]:
    """Undo the last answer; once this session's are all undone, 'back' reaches the
    pre-filled ones too, latest first (each is then asked like any other)."""
    undone_state, undone = state.undo()
    if undone is None and state.prefilled:
        last = next(q for q in reversed(state.history) if q in state.prefilled)
        undone_state, undone = replace(state, prefilled=state.prefilled - {last}).undo()
    return undone_state, undone


_UNSURE_NOTE = (
    "Noted as 'not sure'. On the safety screen that is not a 'no': an uncertain warning "
    "sign is treated as one to have checked, and the result will say how."
)


def _on_screen(rb: RuleBase, question_id: str) -> bool:
    from ..intake.questionnaire import SCREEN_PREFIX

    return question_id.startswith(SCREEN_PREFIX) or question_id in rb.safety_questions()


def _help_lines(question: Any, rb: RuleBase) -> list[str]:
    from ..presentation.ui.questionnaire_view import answer_hint

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


def _after_result(view: QuestionnaireView, result: DiagnosisOut) -> None:
    from ..intake.replies import parse_how

    causes = {c["id"]: c for c in result["causes"]}
    if causes:
        view.how_hint(result)
    while causes:
        view.prompt()
        try:
            line = _read_line()
            detail = "--detail" in line.split()  # the coach's view: rules and arithmetic
            reply = parse_how(line.replace("--detail", " "), list(causes))
        except EOFError:
            return
        if reply.kind == "command":
            return
        if reply.kind == "answer":
            view.how(result, causes[reply.value], detail)
        else:
            view.invalid(reply.message + "; 'how --detail N' shows the rules and numbers")


def _write_report(path: Path, result: DiagnosisOut, rb: RuleBase) -> None:
    from ..presentation.writers import report_writer

    text = report_writer(path).report(result, rb)  # the suffix was checked at the start
    with atomic_output(path) as out:
        out.write(text)


def _check_streams_and_outputs(save: Path | None, report: Path | None) -> None:
    """Refuse to start, before the first question, what could only fail at the end."""
    from ..presentation.writers import FormatError, report_writer

    if "stdin" in CLOSED_STREAMS:
        fail("standard input is closed; run ask on a terminal, or pipe the answers in")
    try:
        if report is not None:
            report_writer(report)  # a report format is known from the name, or refused
        check_output(None, "result")
        check_output(save, "answers.json")
        check_output(report, "report.md")
    except (OutputError, FormatError) as exc:
        fail(str(exc))


def _finish(
    view: QuestionnaireView,
    rb: RuleBase,
    record: dict[str, Any],
    save: Path | None,
    report: Path | None,
) -> tuple[bool, DiagnosisOut]:
    """Show the result, then save the answers and the report.

    Returns whether every write succeeded, and the result. The result is shown
    first and the answers are saved whatever happens to the display or the report,
    so a full disk or a vanished folder never costs the session: what cannot go
    where asked goes to a fallback file that is named.
    """
    from ..api import diagnose

    result = diagnose(record, rb, explain=True)  # `how` and the reports show the reasoning
    report_problem: str | None = None
    shown_problem: str | None = None
    try:
        try:
            view.result(result)
        except OSError as exc:  # stdout on a full disk: the answers still get saved
            if not is_environment_error(exc):
                raise
            silence_stdout()
            shown_problem = f"cannot show the result on standard output: {exc.strerror}"
        if report is not None:
            try:
                _write_report(report, result, rb)
                view.note(f"Report written to {report}.")
            except (OutputError, OSError) as exc:
                report_problem = str(exc)
    finally:
        unseen = report_problem is not None or shown_problem is not None
        where, problem = _keep(save, record, fallback=unseen)
    for message in (shown_problem, report_problem, problem):
        if message:
            _tell(view, message, invalid=True)
    if where is not None and where != save:
        _tell(
            view,
            f"Your answers were saved to {where} instead; replay with: "
            f"legpress-diag ask --answers {where}"
            + (f" --report {report}" if report_problem and report else ""),
        )
    elif where is not None:
        _tell(view, f"Answers saved to {where}; replay with: legpress-diag diagnose {where}")
    return (shown_problem or report_problem or problem) is None, result


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
        typer.Option(
            "--report",
            help="Write a report; its suffix chooses Markdown (.md) or HTML (.html).",
        ),
    ] = None,
    record_id: Annotated[
        str, typer.Option("--id", help="The id to store in the saved record.")
    ] = "ask",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
) -> None:
    from ..intake.questionnaire import SessionState, screen_prompts_left
    from ..presentation.ui.console import make_console
    from ..presentation.ui.questionnaire_view import QuestionnaireView
    from .main import interrupted_status

    _check_streams_and_outputs(save, report)
    rb = load_rules(rules, no_default_rules)
    view = QuestionnaireView(make_console(stderr=True), make_console(), rb)
    state = _prefill(rb, answers, view) if answers else SessionState()
    holder = [state]
    try:
        view.intro(screen_prompts_left(rb, state), resumed=len(state.prefilled))
        state = _run(rb, view, state, holder)
    except _Quit:
        record = _session_record(rb, holder[0], record_id)
        raise _stop(view, save, record, "Stopped.", exitcodes.OK) from None
    except EOFError:
        record = _session_record(rb, holder[0], record_id)
        lead = "\nInput ended before the questions did."
        raise _stop(view, save, record, lead, exitcodes.FINDINGS) from None
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM / SIGHUP (see cli.main)
        record = _session_record(rb, holder[0], record_id)
        code = interrupted_status()
        raise _stop(view, save, record, "\nInterrupted.", code, fallback=True) from None
    record = _session_record(rb, state, record_id)
    written, result = _finish(view, rb, record, save, report)
    if not written:
        raise typer.Exit(exitcodes.FINDINGS)
    try:
        _after_result(view, result)
    except KeyboardInterrupt:
        raise typer.Exit(interrupted_status()) from None
