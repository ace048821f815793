"""One interview, whichever front end drives it.

`legpress-diag ask` (a terminal, one session in memory), the HTTP API's
``/v1/interview`` and the web page (both stateless: the client sends the answers so
far) all hold the same thing, an :class:`Interview`, and move it with the same three
functions:

- :func:`rebuild`: the interview the answers so far (the contract's record format,
  in the order given) lead to; ``ask --answers`` starts from one too;
- :func:`answer`: the interview after one reply to the question it asked;
- :func:`choose`: the next question and why, or why the questions are over.

So the order of the questions, what "not sure" does on the safety screen, when a
self-check is asked, and the record saved at the end cannot differ between them
(tests/test_interface_parity.py, tests/test_interview_paths.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from ..foundation.jsonvalue import JsonObject
from ..foundation.problems import LegpressError
from ..knowledge.facts import NormalisedAnswers, NormalisedValue, RawAnswers
from ..knowledge.rulebase import (
    CHECK_PREFIX,
    SCREEN_PREFIX,
    UNSURE_REST,
    Question,
    QuestionType,
    RuleBase,
)
from ..reasoning.answers import AnswerProblem, denormalize
from ..reasoning.diagnosis import diagnose_answers, error_result, refer_despite_errors
from ..reasoning.result import AnswerValue, DiagnosisOut
from .answers import read_answers
from .questionnaire.choice import next_step, self_check_due
from .questionnaire.replay import state_from_answers
from .questionnaire.state import Ask, SessionState, Stop, record_answer, session_record
from .questionnaire.words import why_asked
from .records import AnswerRecord, stray_safety_answers


class InvalidAnswers(LegpressError):
    """Answers an interview cannot be rebuilt from, each with its per-key problem."""

    def __init__(
        self,
        problems: tuple[AnswerProblem, ...],
        answers: RawAnswers | None = None,
        warnings: tuple[AnswerProblem, ...] = (),
    ) -> None:
        super().__init__("some answers are invalid")
        self.problems = problems
        self.answers: RawAnswers = answers if answers is not None else {}  # as read
        self.warnings = warnings


@dataclass(frozen=True)
class Interview:
    """An interview at one point: what has been said, and what comes next.

    ``state`` holds the answers given, the questions the lifter said "not sure" to
    (``unsure``), the safety questions asked again with their self-check
    (``rechecked``) and the order they were given in; ``next`` is the question to
    ask now, or why the questions are over."""

    state: SessionState
    next: Ask | Stop
    warnings: tuple[AnswerProblem, ...] = ()  # unknown keys, keys read in another case
    # From rebuild: the state after each answer in turn (``Replay.prefixes``), for
    # ``progress.about_left`` without replaying every prefix again.
    prefixes: tuple[SessionState, ...] | None = None
    # From rebuild: the answers as read (a safety key given beside them included),
    # which ``prefixes`` are the replay of.
    read: RawAnswers | None = None

    @property
    def answers(self) -> NormalisedAnswers:
        return self.state.answers

    @property
    def unsure(self) -> frozenset[str]:
        return self.state.skipped

    @property
    def rechecked(self) -> frozenset[str]:
        return self.state.rechecked

    @property
    def question(self) -> Question | None:
        return self.next.question if isinstance(self.next, Ask) else None

    def why(self, rb: RuleBase) -> list[str]:
        """Why the next question is asked, rule by rule, in plain sentences."""
        question = self.question
        return why_asked(rb, question.id) if question is not None else []

    def signs(self, rb: RuleBase) -> tuple[tuple[str, str], ...]:
        """When the next question is a screen: the signs it still lists (id, words)."""
        question = self.question
        if question is None or not question.id.startswith(SCREEN_PREFIX):
            return ()
        screen = rb.screens.get(question.id.removeprefix(SCREEN_PREFIX))
        if screen is None:
            return ()
        return tuple((q, label) for q, label in screen.items if q not in self.state.asked)

    def record(self, rb: RuleBase, record_id: str | int) -> AnswerRecord:
        """The contract's answer record of the interview, which replays to its result."""
        return session_record(rb, self.state, record_id)


def choose(rb: RuleBase, state: SessionState) -> Interview:
    """The interview at ``state``: the next question to ask, or why it is over."""
    return Interview(state, next_step(rb, state))


def rebuild(
    rb: RuleBase,
    answers: RawAnswers,
    beside: JsonObject | None = None,
    check: Callable[[], None] | None = None,
    said_yes: Collection[str] = (),
) -> Interview:
    """The interview that answering ``answers`` in their order leads to (the record
    format of ``questionnaire.replay.state_from_answers``). Raises InvalidAnswers,
    with the per-key messages ``diagnose`` gives, when an answer is invalid.

    ``beside``: the record's fields beside 'answers' that the contract does not know
    (``CheckedRecord.stray``). A safety question among them is read as ``diagnose``
    and ``ask --answers`` read it: "not sure" unless it is a plain no, with a warning
    (``records.stray_safety_answers``), never dropped in silence; so is one in an
    object nested in the answers. ``check``: a
    request's deadline, called between keys (it may raise). ``said_yes``: keys given a
    yes that the record's reading made "not sure" (``CheckedRecord.said_yes``)."""
    # Also with nothing beside them: an object nested in the answers may hold a sign.
    given = answers if isinstance(answers, dict) else dict(answers)
    answers, notes = stray_safety_answers(rb, given, beside or {})
    replay = state_from_answers(rb, answers, check=check, said_yes=said_yes)
    if replay.errors:
        raise InvalidAnswers(replay.errors, answers, (*notes, *replay.warnings))
    return Interview(
        replay.state,
        next_step(rb, replay.state),
        (*notes, *replay.warnings),
        replay.prefixes,
        answers,
    )


def referral_despite(rb: RuleBase, invalid: InvalidAnswers, record_id: str | int) -> DiagnosisOut:
    """The result of answers an interview cannot go on from: status ``error`` with
    their problems, or ``refer`` with the flags their valid answers raise, as
    ``diagnose`` gives a record with an invalid answer. A warning sign is never
    hidden behind a mistake in another answer (issue 20)."""
    screened = diagnose_answers(rb, read_answers(rb, invalid.answers), record_id=record_id)
    if screened["errors"]:
        # An answer diagnose reads as invalid too: its very result for the record,
        # with what the interview says beside (a safety key given beside 'answers').
        said = [w.to_dict() for w in invalid.warnings]
        screened["warnings"][:0] = [w for w in said if w not in screened["warnings"]]
        return screened
    # Only the interview's own keys are wrong ("screen:ID", "check:ID"), which diagnose
    # does not read: their problems, with the referral the other answers give.
    result = error_result(rb, record_id, invalid.problems, invalid.warnings)
    refer_despite_errors(result, screened)
    return result


def answer(
    rb: RuleBase, current: Interview, question_id: str, value: NormalisedValue | None
) -> Interview:
    """The interview after the reply ``value`` (normalised, as ``replies.parse_reply``
    gives it; None for "not sure") to ``question_id``, the question it asked. A
    self-check ("check:ID") it did not ask changes nothing, as in :func:`rebuild`."""
    target = question_id.removeprefix(CHECK_PREFIX)
    if question_id.startswith(CHECK_PREFIX) and not self_check_due(rb, current.state, target):
        return choose(rb, current.state)
    return choose(rb, record_answer(rb, current.state, question_id, value))


def record_value(rb: RuleBase, question_id: str, value: NormalisedValue | None) -> AnswerValue:
    """A normalised reply to ``question_id`` as the answers a stateless client keeps
    write it (what :func:`rebuild` reads back to the same state): "unsure" for "not
    sure"; a safety screen's "yes"/"no"; a checklist's ticked items (with
    ``UNSURE_REST`` when the rest are unknown); a question's answer in the contract's
    form."""
    if value is None:
        return "unsure"
    if question_id.startswith(SCREEN_PREFIX):
        screen = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        if screen is not None and screen.style == "pick":
            if not isinstance(value, frozenset):
                raise TypeError(f"{question_id}: a checklist's reply is a set of its items")
            order = [*screen.question_ids, UNSURE_REST]
            return sorted(value, key=lambda v: order.index(v) if v in order else len(order))
        return "yes" if value else "no"
    question = rb.questions.get(question_id.removeprefix(CHECK_PREFIX))
    if question is None:
        raise KeyError(question_id)
    if question_id.startswith(CHECK_PREFIX) or question.type is QuestionType.YES_NO:
        return "yes" if value else "no"
    return denormalize(question, value)


__all__ = [
    "Ask",
    "Interview",
    "InvalidAnswers",
    "SessionState",
    "Stop",
    "answer",
    "choose",
    "rebuild",
    "record_answer",
    "record_value",
    "referral_despite",
]
