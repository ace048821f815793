"""`legpress-diag ask`: the interactive questionnaire, a thin loop over the state machine."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import exitcodes
from ..foundation.files import same_file
from ..presentation.destination import (
    CLOSED_STREAMS,
    OutputError,
    atomic_output,
    check_output,
    is_environment_error,
    save_fallback,
    silence_stdout,
)
from ..reasoning.result import DiagnosisOut
from .common import (
    IsolatedOption,
    NoDefaultRulesOption,
    RulesOption,
    fail,
    load_rules_and_inputs,
    refuse_overwriting_inputs,
    tell,
)

if TYPE_CHECKING:
    from ..intake.questionnaire import SessionState
    from ..intake.records import AnswerRecord
    from ..intake.session import Reaction
    from ..knowledge.rulebase import Question, RuleBase
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

FALLBACK_STEM = "legpress-diag-answers"


class _Quit(Exception):
    pass


def _read_line() -> str:
    line = sys.stdin.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


def _prefill(
    rb: RuleBase, path: Path, view: QuestionnaireView
) -> tuple[SessionState, str | int | None]:
    """The session the --answers file pre-fills, and the id of its record."""
    from ..intake.session import ResumeError, resume

    try:
        resumed = resume(rb, path)
    except ResumeError as exc:
        fail(str(exc))
    for problem in resumed.problems:
        view.invalid(problem)
    if resumed.asked_again:
        view.note("Those questions will be asked again.")
    return resumed.state, resumed.record_id


def _keep(
    save: Path | None, record: AnswerRecord, *, fallback: bool
) -> tuple[Path | None, str | None]:
    """Save the answers to ``save``, or where that fails, to a fallback file.

    Without ``save``, the fallback is used only when ``fallback`` is true (the run is
    ending early with answers given, or the result could not be shown). Returns where
    they went and what failed.
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
        _last_resort(text)
        return None, problem or f"cannot save the answers anywhere: {exc.strerror}"


def _last_resort(text: str) -> None:
    """No file could be written (full disk, state and temp folders unusable): show the
    answers on the terminal, as the record --answers reads, with how to resume.

    The text is JSON with non-ASCII escaped, so it carries no terminal control codes.
    """
    with contextlib.suppress(OSError):  # after SIGHUP there may be no terminal
        tell(
            "The answers could not be saved to any file. Here they are: copy the lines "
            "between the two marks into a file, say answers.json, and run "
            "legpress-diag ask --answers answers.json to carry on."
        )
        typer.echo(f"----- answers -----\n{text}----- end of answers -----", err=True)


def _tell(view: QuestionnaireView, message: str, *, invalid: bool = False) -> None:
    # After SIGHUP the terminal is gone; a message that cannot be shown must not stop
    # the answers from being saved or the run from ending with the right status.
    with contextlib.suppress(OSError):
        (view.invalid if invalid else view.note)(message)


def _referral_so_far(
    view: QuestionnaireView, rb: RuleBase, record: AnswerRecord, report: Path | None
) -> None:
    """A session stopped early whose answers already raise a warning sign still ends
    with the referral (and its report, if one was asked for): someone who told us of
    a red flag must not leave with nothing but "Stopped"."""
    from ..api import diagnose

    result = diagnose(record, rb, explain=True)
    if not result["red_flags"]:
        return
    _tell(view, "You stopped before the end, but your answers so far show a warning sign:")
    problem = _show_result(view, result) or _write_report(view, report, result, rb)
    if problem:
        _tell(view, problem, invalid=True)


def _stop(
    view: QuestionnaireView,
    rb: RuleBase,
    outputs: tuple[Path | None, Path | None],
    record: AnswerRecord,
    ending: BaseException,
) -> typer.Exit:
    """Show any referral the answers already make, save what was answered and say
    where; the caller raises the returned Exit. ``outputs`` is (--save, --report)."""
    from .main import interrupted_status

    save, report = outputs
    _referral_so_far(view, rb, record, report)

    if isinstance(ending, KeyboardInterrupt):  # Ctrl-C, or SIGTERM / SIGHUP (see cli.main)
        lead, code = "\nInterrupted.", interrupted_status()
    elif isinstance(ending, EOFError):
        lead, code = "\nInput ended before the questions did.", exitcodes.FINDINGS
    else:
        lead, code = "Stopped.", exitcodes.OK
    # Every way out keeps what was answered: 'quit', Ctrl-D and a signal alike, in
    # --save or else the same private fallback file, with the command to carry on.
    where, problem = _keep(save, record, fallback=bool(record["answers"]))
    if problem:
        _tell(view, problem, invalid=True)
    resume = None
    if where is not None:
        again = f" --save {where}" if save is not None else ""
        lead += f" Answers so far saved to {where}; to carry on where you stopped, run:"
        resume = f"legpress-diag ask --answers {where}{again}"
    _tell(view, lead)
    if resume is not None:
        with contextlib.suppress(OSError):  # after SIGHUP there may be no terminal
            view.command(resume)
    return typer.Exit(code)


def _run(
    rb: RuleBase, view: QuestionnaireView, state: SessionState, holder: list[SessionState]
) -> SessionState:
    from ..intake.session import Turn, next_turn

    again: str | None = None  # after 'back', ask the undone question again
    least_left: int | None = None
    while True:
        holder[0] = state
        turn = next_turn(rb, state, again)
        if not isinstance(turn, Turn):
            view.stopped(turn)
            return state
        # What is left never goes up (as on the web page, intake/progress.py): a fresh
        # estimate jumps when a "yes" opens a screen (13, 15, 14, 13 before).
        left = turn.about - turn.step.number + 1
        least_left = left if least_left is None else min(least_left, left)
        view.question(turn.step, turn.step.number - 1 + least_left)
        reaction = _reply(rb, view, state, turn.step.question)
        state, again = reaction.state, reaction.again


def _reply(
    rb: RuleBase, view: QuestionnaireView, state: SessionState, question: Question
) -> Reaction:
    """Prompt until a reply answers the question or undoes the last answer."""
    from ..intake.session import react
    from ..presentation.render.words import why_in_brief

    while True:
        view.prompt()
        reaction = react(rb, state, question, _read_line())
        if reaction.kind == "quit":
            raise _Quit
        if reaction.kind == "invalid":
            view.invalid(reaction.message)
        elif reaction.kind == "why":
            # One or two plain sentences, as on the web page; the rule-by-rule account
            # is `legpress-diag rules explain` and the API's `why`.
            view.lines("Why I ask this:", [why_in_brief(rb, question.id)])
        elif reaction.kind == "help":
            view.lines("How to answer:", _help_lines(question, rb))
        elif reaction.kind == "nothing_to_undo":
            view.note("Nothing to undo yet.")
        elif reaction.unsure_on_screen:
            view.note(_UNSURE_NOTE)
        elif reaction.picked:
            view.note("Noted: " + "; ".join(reaction.picked) + ".")
        if reaction.moves_on:
            return reaction


_UNSURE_NOTE = (
    "Noted as 'not sure'. On the safety screen that is not a 'no': an uncertain warning "
    "sign is treated as one to have checked, and the result will say how."
)


def _help_lines(question: Question, rb: RuleBase) -> list[str]:
    from ..intake.questionnaire import on_screen
    from ..presentation.ui.questionnaire_view import answer_hint

    unsure = (
        "Not sure? Type ?: on the safety screen that counts as 'not sure', never as 'no'."
        if on_screen(rb, question.id)
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
            view.how(result, causes[str(reply.value)], detail)  # a cause id
        else:
            view.invalid(reply.message + "; 'how --detail N' shows the rules and numbers")


def _write_report(
    view: QuestionnaireView, path: Path | None, result: DiagnosisOut, rb: RuleBase
) -> str | None:
    """Write the report, if one is asked for; what went wrong when it cannot be."""
    from ..presentation.writers import report_writer

    if path is None:
        return None
    try:
        text = report_writer(path).report(result, rb)  # the suffix was checked at the start
        with atomic_output(path) as out:
            out.write(text)
        view.note(f"Report written to {path}.")
    except (OutputError, OSError) as exc:
        return str(exc)
    return None


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
    if save is not None and report is not None and same_file(save, report):
        # One would overwrite the other at the end, after every question was answered.
        fail(f"--save and --report name the same file ({report}): give each its own name")


def _finish(
    view: QuestionnaireView,
    rb: RuleBase,
    record: AnswerRecord,
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
        shown_problem = _show_result(view, result)
        report_problem = _write_report(view, report, result, rb)
    finally:
        unseen = report_problem is not None or shown_problem is not None
        where, problem = _keep(save, record, fallback=unseen)
    for message in (shown_problem, report_problem, problem):
        if message:
            _tell(view, message, invalid=True)
    _say_where(view, where, save, report if report_problem else None)
    return (shown_problem or report_problem or problem) is None, result


def _show_result(view: QuestionnaireView, result: DiagnosisOut) -> str | None:
    """Show the result; what went wrong when standard output cannot take it."""
    try:
        view.result(result)
    except OSError as exc:  # stdout on a full disk: the answers still get saved
        if not is_environment_error(exc):
            raise
        silence_stdout()
        return f"cannot show the result on standard output: {exc.strerror}"
    return None


def _say_where(
    view: QuestionnaireView, where: Path | None, save: Path | None, report_again: Path | None
) -> None:
    """Where the answers went and how to replay them (with the report still to write)."""
    if where is not None and where != save:
        _tell(
            view,
            f"Your answers were saved to {where} instead; replay with: "
            f"legpress-diag ask --answers {where}"
            + (f" --report {report_again}" if report_again else ""),
        )
    elif where is not None:
        _tell(view, f"Answers saved to {where}; replay with: legpress-diag diagnose {where}")


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
        str | None,
        typer.Option(
            "--id",
            help="The id to store in the saved record [default: the --answers record's "
            "id, else 'ask'].",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    from ..intake.questionnaire import SessionState, screen_prompts_left, session_record
    from ..presentation.ui.console import make_console
    from ..presentation.ui.questionnaire_view import QuestionnaireView
    from .ask_measured import review_measured
    from .main import interrupted_status

    _check_streams_and_outputs(save, report)
    rb, _, made_from = load_rules_and_inputs(rules, no_default_rules, isolated)
    # --save may name the --answers file (a resumed session saved over itself); the
    # report, in another format, may not; neither may name a rule file.
    refuse_overwriting_inputs([("--save", save), ("--report", report)], made_from)
    if answers is not None:
        refuse_overwriting_inputs([("--report", report)], [("the --answers file", answers)])
    view = QuestionnaireView(make_console(stderr=True), make_console(), rb)
    state, resumed_id = _prefill(rb, answers, view) if answers else (SessionState(), None)
    # A client's id read from --answers stays its id when saved again (it was "ask": a
    # new user's P9, check 47).
    saved_id: str | int = (
        record_id if record_id is not None else resumed_id if resumed_id is not None else "ask"
    )
    holder = [state]  # the latest state, for what an interruption saves
    try:
        view.intro(screen_prompts_left(rb, state), resumed=len(state.prefilled))
        state = review_measured(rb, view, state, _read_line, _reply, holder)
        state = _run(rb, view, state, holder)
    except (_Quit, EOFError, KeyboardInterrupt) as ending:
        record = session_record(rb, holder[0], saved_id)
        raise _stop(view, rb, (save, report), record, ending) from None
    written, result = _finish(view, rb, session_record(rb, state, saved_id), save, report)
    if not written:
        raise typer.Exit(exitcodes.FINDINGS)
    try:
        _after_result(view, result)
    except KeyboardInterrupt:
        raise typer.Exit(interrupted_status()) from None
    if result["status"] == "error":  # the rules could not settle on these answers
        raise typer.Exit(exitcodes.FINDINGS)
