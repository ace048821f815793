"""A questionnaire session turn by turn, for a front end that asks one question at a
time (``legpress-diag ask``): resuming from a saved record, what to ask now, and what
a typed reply does. Pure, like the state machine it drives; the terminal is the
caller's."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..foundation.files import read_at_most
from ..foundation.problems import LegpressError
from ..knowledge.facts import NormalisedValue
from ..knowledge.rulebase import (
    COACH_QUESTION_LABEL,
    UNSURE_MARK,
    FlagLevel,
    Question,
    QuestionType,
    RuleBase,
    Screen,
)
from ..reasoning.answers import AnswerProblem
from ..reasoning.diagnosis import errors_in_tools_words
from ..reasoning.safety import REFERRAL_NOTES
from .interview import Ask, SessionState, Stop, choose, record_answer
from .questionnaire import on_screen, prompts_left, state_from_answers, why_asked
from .records import RawRecord, check_record, diagnose_record, read_records, stray_safety_answers
from .replies import parse_reply

# A saved session is a few kilobytes; the bound keeps `--answers /dev/zero` (or any
# endless or huge input) from running until it is killed.
MAX_SAVED_BYTES = 1024 * 1024


class ResumeError(LegpressError):
    """A saved session cannot be resumed: unreadable, too big, empty or malformed."""


@dataclass(frozen=True)
class Resumed:
    """A session pre-filled from a saved record."""

    state: SessionState  # the answers taken, marked pre-filled
    problems: tuple[str, ...]  # each rejected or unknown answer, naming the file and key
    asked_again: bool  # answers were rejected: their questions will be asked again
    record_id: str | int | None = None  # the saved record's own id, kept when saved again


def resume(rb: RuleBase, path: Path) -> Resumed:
    """The session a saved record (a file written by ``ask --save``) pre-fills.

    Raises ResumeError when the file cannot be read or holds no usable record."""
    try:
        data = read_at_most(path, MAX_SAVED_BYTES)  # a FIFO with no writer: empty
    except OSError as exc:
        raise ResumeError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_SAVED_BYTES:
        raise ResumeError(
            f"{path}: more than {MAX_SAVED_BYTES:,} bytes; --answers takes one saved "
            "record (a file written by --save)"
        )
    records = list(read_records(io.BytesIO(data)))  # within the 1 MiB read
    if not records:
        raise ResumeError(f"{path}: holds no answer record")
    raw = records[0]
    if len(records) > 1:
        # Resuming from the first alone would leave the others unread, a warning
        # sign among them too (attack round 6, Q1: records joined by a lone CR).
        raise ResumeError(
            f"{path}: holds {len(records)} records; --answers takes one saved record (a "
            f"file written by --save); diagnose reads several{_referral_in(rb, records)}"
        )
    checked = check_record(raw, rb=rb)
    if checked.errors:
        raise ResumeError(f"{path}: {checked.errors[0].message}{_referral_in(rb, [raw])}")
    # A safety answer written beside 'answers' is read as diagnose reads it: "not
    # sure" unless it is a plain no (records.stray_safety_answers).
    answers, stray_notes = stray_safety_answers(rb, checked.answers, checked.stray)
    # Read as the HTTP interview reads its answers; an invalid one is asked again.
    replay = state_from_answers(rb, answers, keep_valid=True, said_yes=checked.said_yes)
    state = replace(
        replay.state, measured=checked.measured, prefilled=frozenset(replay.state.history)
    )
    # A coach's question named in the tool's words: its unit and choice ids are the
    # coach's text, printed just above a referral's box (attack round 12, H4).
    errors = errors_in_tools_words(rb, replay.errors)
    # The record's own warnings too (a key answered two ways: read as not sure, and
    # said so, as diagnose says it: check 51, F3); a field beside 'answers' is said by
    # stray_safety_answers.
    own = [warning for warning in checked.warnings if warning.key not in checked.stray]
    problems = tuple(_problem(path, p) for p in [*own, *stray_notes, *errors, *replay.warnings])
    given = raw.data.get("id") if isinstance(raw.data, dict) else None
    own_id = given if isinstance(given, str | int) and not isinstance(given, bool) else None
    return Resumed(state, problems, bool(replay.errors), own_id)


def _referral_in(rb: RuleBase, raws: list[RawRecord]) -> str:
    """What records that cannot be resumed already say on the safety screen: a
    warning sign is never hidden behind an error of the file's shape."""
    flags = [flag for raw in raws for flag in diagnose_record(raw, rb, False, None)["red_flags"]]
    if not flags:
        return ""
    # Flags come most urgent first within a record; across records, the most urgent.
    top = min(flags, key=lambda flag: FlagLevel(flag["level"]).rank)
    titles = list(dict.fromkeys(f"{flag['title']}: {flag['level'].upper()}" for flag in flags))
    return (
        f". Its answers already show a warning sign ({'; '.join(titles)}): "
        f"{REFERRAL_NOTES[FlagLevel(top['level'])]}"
    )


def _problem(path: Path, problem: AnswerProblem) -> str:
    # Value errors start with their key; an unknown key is named here, as diagnose does.
    # A coach's question named in the tool's words stays unnamed: its id is the coach's
    # text too, and ask prints this just above a referral's box.
    named = problem.message.startswith((f"{problem.key}:", COACH_QUESTION_LABEL))
    return f"{path}: {'' if named else f'{problem.key}: '}{problem.message}" + (
        f" (expected {problem.expected})" if problem.expected else ""
    )


@dataclass(frozen=True)
class Turn:
    """The question to put now, numbered on from the prompts that gave the answers
    brought from a saved record (a resumed session goes on where it stopped), and
    about how many prompts there are in all."""

    step: Ask
    about: int


def next_turn(rb: RuleBase, state: SessionState, again: str | None = None) -> Turn | Stop:
    """What to ask now: the question ``again`` ('back' undid it), or the state
    machine's next; or why the questionnaire is over."""
    if again is not None and again in rb.questions:
        step: Ask | Stop = Ask(rb.questions[again], 0)
    else:
        step = choose(rb, state).next
    if isinstance(step, Stop):
        return step
    asked = earlier_prompts(rb, state) + state.asked_here
    return Turn(replace(step, number=asked + 1), asked + prompts_left(rb, state))


def earlier_prompts(rb: RuleBase, state: SessionState) -> int:
    """How many prompts gave the answers brought from a saved record: one for each
    question outside a screen, one for a checklist, and for a safety screen one, plus
    one per sign when a sign was not "no" (the screen then asks each one alone)."""
    on_a_screen: dict[str, str] = {
        q: sid for sid, sc in rb.screens.items() for q in sc.question_ids
    }
    screens_seen: set[str] = set()
    count = 0
    for qid in state.prefilled:
        sid = on_a_screen.get(qid)
        if sid is None:
            count += 1
        elif sid not in screens_seen:
            screens_seen.add(sid)
            count += 1 + _asked_one_by_one(rb.screens[sid], state)
    return count


def _asked_one_by_one(screen: Screen, state: SessionState) -> int:
    if screen.style != "any_of":
        return 0  # a checklist is one prompt, ticked and "not sure" items alike
    items = [q for q in screen.question_ids if q in state.prefilled]
    if all(state.answers.get(q) is False for q in items):
        return 0  # "none of these"
    return len(items)


ReactionKind = Literal["answered", "undone", "invalid", "why", "help", "quit", "nothing_to_undo"]


@dataclass(frozen=True)
class Reaction:
    """What one reply to a question does.

    "answered" (``state`` holds the answer) and "undone" (``state`` has forgotten the
    last answer; ``again`` is its question, to be asked again) move on; the others
    leave the question waiting: "invalid" (``message`` says what would do), "why"
    (``lines`` say what the question tests), "help", "nothing_to_undo", "quit".
    """

    kind: ReactionKind
    state: SessionState
    message: str = ""
    lines: tuple[str, ...] = ()
    again: str | None = None
    unsure_on_screen: bool = False  # "not sure" on the safety screen: never a "no"
    # The choices a reply typed in words ticked, as labels, to say back: "butt" was
    # read as one item of several, and the person should see which (a new user's try).
    picked: tuple[str, ...] = ()

    @property
    def moves_on(self) -> bool:
        return self.kind in ("answered", "undone")


def react(rb: RuleBase, state: SessionState, question: Question, text: str) -> Reaction:
    """What the reply ``text`` to ``question`` does to the session."""
    reply = parse_reply(question, text)
    if reply.kind == "invalid":
        return Reaction("invalid", state, message=reply.message)
    if reply.kind == "command":
        return _command(rb, state, question, str(reply.value))  # a command's name
    value = reply.value if reply.kind == "answer" else None
    skipped_on_screen = reply.kind == "skip" and on_screen(rb, question.id)
    answered = record_answer(rb, state, question.id, value)
    return Reaction(
        "answered",
        answered,
        unsure_on_screen=skipped_on_screen,
        picked=_picked_in_words(question, text, value),
    )


def _picked_in_words(
    question: Question, text: str, value: NormalisedValue | None
) -> tuple[str, ...]:
    """The labels of the choices ``text`` picked, when it named them in words (a
    number picks what the person saw numbered, and needs no echo)."""
    if question.type not in (QuestionType.CHOICE, QuestionType.MULTI):
        return ()
    if not any(c.isalpha() for c in text) or value is None:
        return ()
    chosen = {value} if isinstance(value, str) else value if isinstance(value, frozenset) else ()
    picked = []
    for choice, label in question.choices:
        if choice in chosen:
            picked.append(label)
        elif UNSURE_MARK + choice in chosen:
            picked.append(f"{label} (cannot tell)")
    return tuple(picked)


def _command(rb: RuleBase, state: SessionState, question: Question, command: str) -> Reaction:
    if command == "why":
        return Reaction("why", state, lines=tuple(why_asked(rb, question.id)))
    if command == "help":
        return Reaction("help", state)
    if command == "quit":
        return Reaction("quit", state)
    undone_state, undone = state.back()
    if undone is None:
        return Reaction("nothing_to_undo", state)
    return Reaction("undone", undone_state, again=undone)
