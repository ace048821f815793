"""The questionnaire's state machine: what has been asked and answered, and what an
answer to each kind of prompt (a question, a safety screen, a checklist, a safety
question asked again with its self-check) does to it. Pure; no terminal, no HTTP."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property

from ...foundation.jsonvalue import JsonObject
from ...knowledge.facts import NormalisedAnswers, NormalisedValue
from ...knowledge.rulebase import (
    CHECK_PREFIX,
    SCREEN_PREFIX,
    UNSURE_MARK,
    UNSURE_REST,
    Question,
    QuestionType,
    RuleBase,
    Screen,
)
from ...reasoning.answers import denormalize
from ...reasoning.result import AnswerValue
from ...reasoning.safety import ScreenOutcome, screen
from ..records import AnswerRecord


@dataclass(frozen=True)
class SessionState:
    """What has been asked and answered. Skipped questions are asked but unknown."""

    answers: NormalisedAnswers = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()
    history: tuple[str, ...] = ()  # question ids, in the order they were settled
    prefilled: frozenset[str] = frozenset()  # from --answers: not undone by 'back'
    # Screens answered "yes" or "not sure": their signs are asked one at a time.
    opened: frozenset[str] = frozenset()
    # Screens answered "none of these", with the signs each answered "no", for 'back'.
    cleared: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # From --answers with a measured record: `legpress-diag measure`'s entries by
    # question id, saved again beside the answers so the result marks them measured.
    measured: Mapping[str, JsonObject] = field(default_factory=dict)
    # Safety questions asked again with their self-check ("check:ID"), once each.
    rechecked: frozenset[str] = frozenset()

    @cached_property
    def asked(self) -> frozenset[str]:
        # Worked out once per state (a state never changes): the screen and the
        # checklists test it once per question.
        return frozenset(self.answers) | self.skipped

    def answer(self, question_id: str, value: NormalisedValue | None) -> SessionState:
        """Record an answer; None means skipped (unknown; on the safety screen, unsure)."""
        # (Copies and tests rather than comprehensions: a replayed interview makes a
        # state per answer on every request.) The answer moves to the end, as a new one.
        answers = dict(self.answers)
        answers.pop(question_id, None)
        skipped = self.skipped
        if value is None:
            skipped |= {question_id}
        else:
            answers[question_id] = value
            if question_id in skipped:
                skipped -= {question_id}
        return self._with(answers=answers, skipped=skipped, history=self._settled(question_id))

    def answer_screen(self, screen: Screen, none_apply: bool) -> SessionState:
        """'None of these' answers each sign the screen still lists 'no'; anything else
        (yes, not sure) opens the screen, so its signs are asked one at a time."""
        key = SCREEN_PREFIX + screen.id
        history = self._settled(key)
        if none_apply:
            asked = self.asked
            fresh = {q: False for q in screen.question_ids if q not in asked}
            cleared = (*self.cleared, (key, tuple(fresh)))
            return self._with(answers={**self.answers, **fresh}, history=history, cleared=cleared)
        return self._with(opened=self.opened | {screen.id}, history=history)

    def _settled(self, question_id: str) -> tuple[str, ...]:
        """The history with ``question_id`` settled last."""
        if question_id in self.history:
            return (*(q for q in self.history if q != question_id), question_id)
        return (*self.history, question_id)

    def _with(
        self,
        *,
        answers: NormalisedAnswers | None = None,
        skipped: frozenset[str] | None = None,
        history: tuple[str, ...] | None = None,
        opened: frozenset[str] | None = None,
        cleared: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
    ) -> SessionState:
        """``dataclasses.replace`` for the fields an answer changes, at a fraction of its
        cost (it inspects the fields on every call): the HTTP interview rebuilds a state
        per answer on every request (benchmarks/serve_floor.py). The new state computes
        its cached properties afresh."""
        new = object.__new__(SessionState)
        own, values = self.__dict__, new.__dict__
        for name in _FIELDS:  # not the cached properties: they are the old state's
            values[name] = own[name]
        if answers is not None:
            values["answers"] = answers
        if skipped is not None:
            values["skipped"] = skipped
        if history is not None:
            values["history"] = history
        if opened is not None:
            values["opened"] = opened
        if cleared is not None:
            values["cleared"] = cleared
        return new

    def pick(
        self, screen: Screen, picked: frozenset[str], unsure: frozenset[str] = frozenset()
    ) -> SessionState:
        """A checklist answered: the picked items "yes", the ``unsure`` ones unknown
        (skipped), the others it still lists "no"."""
        key = SCREEN_PREFIX + screen.id
        history = (*tuple(q for q in self.history if q != key), key)
        items = [q for q in screen.question_ids if q not in self.asked]
        fresh = {q: q in picked for q in items if q not in unsure}
        skipped = self.skipped | (unsure & set(items))
        cleared = (*self.cleared, (key, tuple(items)))
        return replace(
            self,
            answers={**self.answers, **fresh},
            skipped=skipped,
            history=history,
            cleared=cleared,
        )

    def undo(self) -> tuple[SessionState, str | None]:
        """Forget the last answer given in this session; returns its question id."""
        undoable = [q for q in self.history if q not in self.prefilled]
        if not undoable:
            return self, None
        last = undoable[-1]
        if last in self.rechecked:
            # The second answer, after the self-check: undo only it. The first was "not
            # sure" (that is what asks a self-check), so the self-check is asked again,
            # as a stateless client that drops its "check:ID" answer would see.
            answers = {k: v for k, v in self.answers.items() if k != last}
            return replace(
                self,
                answers=answers,
                skipped=self.skipped | {last},
                rechecked=self.rechecked - {last},
            ), CHECK_PREFIX + last
        history = tuple(q for q in self.history if q != last)
        if last.startswith(SCREEN_PREFIX):
            screen_id = last.removeprefix(SCREEN_PREFIX)
            if screen_id in self.opened:
                return replace(self, opened=self.opened - {screen_id}, history=history), last
            undone = {q for key, items in self.cleared if key == last for q in items}
            answers = {k: v for k, v in self.answers.items() if k not in undone}
            cleared = tuple(entry for entry in self.cleared if entry[0] != last)
            skipped = self.skipped - undone
            return replace(
                self, answers=answers, skipped=skipped, history=history, cleared=cleared
            ), last
        answers = {k: v for k, v in self.answers.items() if k != last}
        return replace(self, answers=answers, skipped=self.skipped - {last}, history=history), last

    def back(self) -> tuple[SessionState, str | None]:
        """'back': undo the last answer; once this session's are all undone, the
        pre-filled ones too, latest first (each is then asked like any other)."""
        undone_state, undone = self.undo()
        if undone is None and self.prefilled:
            last = next(q for q in reversed(self.history) if q in self.prefilled)
            undone_state, undone = replace(self, prefilled=self.prefilled - {last}).undo()
        return undone_state, undone

    @cached_property
    def frozen(self) -> Hashable | None:
        """The state as a key (``memo``): every field but ``measured``, which only
        marks the saved record; None when an answer is not hashable."""
        try:
            answers = frozenset(self.answers.items())
        except TypeError:
            return None
        return (
            self.history,
            answers,
            self.skipped,
            self.prefilled,
            self.opened,
            self.cleared,
            self.rechecked,
        )

    @property
    def asked_here(self) -> int:
        """How many questions this session has settled (pre-filled answers not counted)."""
        return sum(1 for q in self.history if q not in self.prefilled)


_FIELDS = tuple(f.name for f in fields(SessionState))


@dataclass(frozen=True)
class Ask:
    question: Question
    number: int  # 1-based count of questions asked so far, this one included


@dataclass(frozen=True)
class Stop:
    kind: str  # "referral", "settled" or "exhausted"
    reason: str


def on_screen(rb: RuleBase, question_id: str) -> bool:
    """Whether a question is part of the safety screen, where "not sure" is never "no":
    a safety question, or a screen of them (a checklist of form observations is not)."""
    safety = rb.safety_questions()
    if question_id.startswith(SCREEN_PREFIX):
        screen = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        return screen is not None and any(q in safety for q in screen.question_ids)
    return question_id in safety


def unsure_of(rb: RuleBase, state: SessionState) -> frozenset[str]:
    """Safety questions skipped with "not sure": on the screen that is never a "no"."""
    safety = rb.safety_questions()
    return frozenset(q for q in state.skipped if q in safety)


def screen_state(rb: RuleBase, state: SessionState) -> ScreenOutcome:
    """The safety screen on the answers so far, "not sure" included."""
    return screen(rb, state.answers, unsure_of(rb, state))


def record_answer(
    rb: RuleBase, state: SessionState, question_id: str, value: NormalisedValue | None
) -> SessionState:
    """Record the reply to whatever ``next_step`` asked, screens included."""
    if question_id.startswith(CHECK_PREFIX):  # the second answer, after the self-check
        target = question_id.removeprefix(CHECK_PREFIX)
        if target not in state.skipped or target in state.rechecked:
            # Asked once, and only after a "not sure" (choice.self_check_due says
            # exactly when): anywhere else it would overwrite a definite answer, a
            # "yes" among them. Nothing changes.
            return state
        answered = state.answer(target, value)
        return replace(answered, rechecked=answered.rechecked | {target})
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens[question_id.removeprefix(SCREEN_PREFIX)]
        if screen_.style == "pick":
            if value is None:  # "?": go through the items one by one
                return state.answer_screen(screen_, none_apply=False)
            # A checklist's reply is the set of items picked (parse_reply, replay).
            assert isinstance(value, frozenset)
            marked = {v for v in value if v.startswith(UNSURE_MARK)}
            unsure = frozenset(v.removeprefix(UNSURE_MARK) for v in marked)
            picked = frozenset(value) - marked
            if UNSURE_REST in value:  # "not sure about the rest": unticked are unknown
                unsure = frozenset(screen_.question_ids) - picked
            return state.pick(screen_, picked, unsure)
        return state.answer_screen(screen_, none_apply=value is False)
    return state.answer(question_id, value)


def session_record(rb: RuleBase, state: SessionState, record_id: str | int) -> AnswerRecord:
    """The session as the contract's answer record, which replays to the same result.

    A skipped yes/no, or a skipped safety number (age), is saved as "unsure" so that a
    replay screens it the same way; other skips are simply absent."""
    answers: dict[str, AnswerValue] = {}
    safety = rb.safety_questions()
    for qid, question in rb.questions.items():  # question order reads better
        if qid in state.answers:
            answers[qid] = denormalize(question, state.answers[qid])
        elif qid in state.skipped and (question.type is QuestionType.YES_NO or qid in safety):
            answers[qid] = "unsure"
    record: AnswerRecord = {"id": record_id, "answers": answers}
    kept = {k: v for k, v in state.measured.items() if k in answers}
    if kept:  # an answer the lifter changed stays unmarked: the result compares values
        record["measured"] = kept
    return record
