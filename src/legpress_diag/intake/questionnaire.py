"""The questionnaire as a pure state machine.

``next_step(rb, state)`` says what to ask next, or why to stop; it knows nothing of
terminals. The safety screen comes first. After it, a question is asked only if a
rule that can still fire depends on it and that rule leads to a cause whose report
or rank is still open (see ``bounds``). Questions of the group being discussed are
finished before moving on, and groups bearing most on the open causes come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from ..foundation.problems import did_you_mean
from ..knowledge.conditions.ast import Compare, leaves
from ..knowledge.rulebase import (
    CHECK_PREFIX as CHECK_PREFIX,  # re-exported: front ends name re-asked questions so
)
from ..knowledge.rulebase import (
    SCREEN_PREFIX as SCREEN_PREFIX,  # re-exported: front ends name screens through it
)
from ..knowledge.rulebase import (
    UNSURE_MARK,
    UNSURE_REST,
    UNSURE_REST_LABEL,
    FlagLevel,
    Question,
    QuestionType,
    RuleBase,
    Screen,
)
from ..knowledge.strata import upstream
from ..reasoning.answers import AnswerProblem, denormalize, show_value
from ..reasoning.bounds import belief_bounds, top_causes, unsettled_top
from ..reasoning.engine import infer
from ..reasoning.explanation import conclusion_title, rule_sentence
from ..reasoning.result import AnswerValue
from ..reasoning.safety import ScreenOutcome, screen
from .answers import normalize_answers
from .records import AnswerRecord


@dataclass(frozen=True)
class SessionState:
    """What has been asked and answered. Skipped questions are asked but unknown."""

    answers: Mapping[str, Any] = field(default_factory=dict)  # normalized values
    skipped: frozenset[str] = frozenset()
    history: tuple[str, ...] = ()  # question ids, in the order they were settled
    prefilled: frozenset[str] = frozenset()  # from --answers: not undone by 'back'
    # Screens answered "yes" or "not sure": their signs are asked one at a time.
    opened: frozenset[str] = frozenset()
    # Screens answered "none of these", with the signs each answered "no", for 'back'.
    cleared: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # From --answers with a measured record: `legpress-diag measure`'s entries by
    # question id, saved again beside the answers so the result marks them measured.
    measured: Mapping[str, Any] = field(default_factory=dict)
    # Safety questions asked again with their self-check ("check:ID"), once each.
    rechecked: frozenset[str] = frozenset()

    @property
    def asked(self) -> frozenset[str]:
        return frozenset(self.answers) | self.skipped

    def answer(self, question_id: str, value: Any | None) -> SessionState:
        """Record an answer; None means skipped (unknown; on the safety screen, unsure)."""
        answers = {k: v for k, v in self.answers.items() if k != question_id}
        skipped = self.skipped - {question_id}
        if value is None:
            skipped |= {question_id}
        else:
            answers[question_id] = value
        history = (*tuple(q for q in self.history if q != question_id), question_id)
        return replace(self, answers=answers, skipped=skipped, history=history)

    def answer_screen(self, screen: Screen, none_apply: bool) -> SessionState:
        """'None of these' answers each sign the screen still lists 'no'; anything else
        (yes, not sure) opens the screen, so its signs are asked one at a time."""
        key = SCREEN_PREFIX + screen.id
        history = (*tuple(q for q in self.history if q != key), key)
        if none_apply:
            fresh = {q: False for q in screen.question_ids if q not in self.asked}
            cleared = (*self.cleared, (key, tuple(fresh)))
            return replace(
                self, answers={**self.answers, **fresh}, history=history, cleared=cleared
            )
        return replace(self, opened=self.opened | {screen.id}, history=history)

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

    @property
    def asked_here(self) -> int:
        """How many questions this session has settled (pre-filled answers not counted)."""
        return sum(1 for q in self.history if q not in self.prefilled)


@dataclass(frozen=True)
class Ask:
    question: Question
    number: int  # 1-based count of questions asked so far, this one included


@dataclass(frozen=True)
class Stop:
    kind: str  # "referral", "settled" or "exhausted"
    reason: str


def _free_questions(rb: RuleBase, state: SessionState) -> frozenset[str]:
    return frozenset(rb.questions) - state.asked


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


def screen_question(screen_: Screen, state: SessionState) -> Question:
    """A screen as one yes/no question listing the signs not yet answered."""
    items = [label for q, label in screen_.items if q not in state.asked]
    return Question(
        id=SCREEN_PREFIX + screen_.id,
        type=QuestionType.YES_NO,
        text=screen_.text + "".join(f"\n  - {label}" for label in items),
        help=screen_.help
        or "n: none of these. y: one or more (I will ask about each). ?: not sure "
        "(I will ask about each).",
        group="safety",
    )


def checklist_question(screen_: Screen, state: SessionState, rb: RuleBase) -> Question:
    """A pick screen as one multiple-choice question over the items not yet answered,
    and a last choice, ``UNSURE_REST``: the items left unticked are unknown, not "no"
    (a lifter who knows only that her heels lift need not deny the rest)."""
    items = tuple((q, label) for q, label in screen_.items if q not in state.asked)
    return Question(
        id=SCREEN_PREFIX + screen_.id,
        type=QuestionType.MULTI,
        text=screen_.text,
        help=screen_.help,
        choices=(*items, (UNSURE_REST, UNSURE_REST_LABEL)) if items else (),
        group=rb.questions[items[0][0]].group if items else "general",
    )


def checklist_items(question: Question) -> list[str]:
    """The items of a checklist question, without its "not sure about the rest" choice."""
    return [q for q, _ in question.choices if q != UNSURE_REST]


def screen_as_question(rb: RuleBase, screen_: Screen, state: SessionState) -> Question:
    """The question a screen is asked as: "any of these?" for the safety screen, a
    checklist for a pick screen."""
    if screen_.style == "pick":
        return checklist_question(screen_, state, rb)
    return screen_question(screen_, state)


def _checklist_for(rb: RuleBase, state: SessionState, question_id: str) -> Question | None:
    """The checklist to show instead of ``question_id``: when the question is an item of
    a pick screen not yet asked or opened, and the screen still lists two or more."""
    for sc in rb.screens.values():
        key = SCREEN_PREFIX + sc.id
        if sc.style != "pick" or sc.id in state.opened or key in state.history:
            continue
        if question_id in sc.question_ids:
            question = checklist_question(sc, state, rb)
            return question if len(checklist_items(question)) >= 2 else None
    return None


def _screen_steps(rb: RuleBase, state: SessionState) -> list[Question]:
    """What the safety screen still has to ask, in order: a screen whose signs are all
    open is asked as one question; an opened screen's signs, and questions in no
    screen, are asked one by one. Replaced version-1 questions are not asked."""
    safety = rb.safety_questions()
    home = {q: sc for sc in rb.screens.values() if sc.style == "any_of" for q in sc.question_ids}
    steps: list[Question] = []
    seen_screens: set[str] = set()
    unsure = unsure_of(rb, state)
    for qid, question in rb.questions.items():
        if qid not in safety or qid in state.asked or question.replaced_by:
            continue
        parent = question.follow_up_of
        if parent is not None and state.answers.get(parent) is not True and parent not in unsure:
            continue  # a follow-up is asked once the question it follows is yes or unsure
        sc = home.get(qid)
        if sc is None or sc.id in state.opened:
            steps.append(question)
        elif sc.id not in seen_screens:
            seen_screens.add(sc.id)
            steps.append(screen_question(sc, state))
    return steps


def screen_prompts_left(rb: RuleBase, state: SessionState) -> int:
    """How many prompts the safety screen has left for someone with no warning signs."""
    return len(_screen_steps(rb, state))


def record_answer(
    rb: RuleBase, state: SessionState, question_id: str, value: Any | None
) -> SessionState:
    """Record the reply to whatever ``next_step`` asked, screens included."""
    if question_id.startswith(CHECK_PREFIX):  # the second answer, after the self-check
        target = question_id.removeprefix(CHECK_PREFIX)
        answered = state.answer(target, value)
        return replace(answered, rechecked=answered.rechecked | {target})
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens[question_id.removeprefix(SCREEN_PREFIX)]
        if screen_.style == "pick":
            if value is None:  # "?": go through the items one by one
                return state.answer_screen(screen_, none_apply=False)
            marked = {v for v in value if v.startswith(UNSURE_MARK)}
            unsure = frozenset(v.removeprefix(UNSURE_MARK) for v in marked)
            picked = frozenset(value) - marked
            if UNSURE_REST in value:  # "not sure about the rest": unticked are unknown
                unsure = frozenset(screen_.question_ids) - picked
            return state.pick(screen_, picked, unsure)
        return state.answer_screen(screen_, none_apply=value is False)
    return state.answer(question_id, value)


@dataclass(frozen=True)
class Replay:
    """A session rebuilt from its answers, or what is wrong with them (per key)."""

    state: SessionState
    errors: tuple[AnswerProblem, ...] = ()
    warnings: tuple[AnswerProblem, ...] = ()


_SCREEN_REPLIES = {"yes": True, "no": False, "unsure": None}


def _screen_reply(rb: RuleBase, key: str, value: Any) -> tuple[Screen | None, Any, str]:
    """(screen, True/False/None, problem): a screen's reply, or why it is not one."""
    screen_ = rb.screens.get(key.removeprefix(SCREEN_PREFIX))
    if screen_ is None:
        ids = [SCREEN_PREFIX + s for s in rb.screens]
        hint = did_you_mean(key, ids)
        return None, None, "unknown safety screen" + (f"; {hint}" if hint else "")
    if screen_.style == "pick":
        return _checklist_reply(screen_, key, value)
    if isinstance(value, bool):
        return screen_, value, ""
    if isinstance(value, str) and value.strip().lower() in _SCREEN_REPLIES:
        return screen_, _SCREEN_REPLIES[value.strip().lower()], ""
    return screen_, None, f"{key}: {show_value(value)} is not a yes/no answer"


def _checklist_reply(screen_: Screen, key: str, value: Any) -> tuple[Screen, Any, str]:
    """A checklist's reply: a list of the item ids that happen ("?ID" for one that
    cannot be told), or "unsure" to go through the items one by one."""
    if isinstance(value, str) and value.strip().lower() == "unsure":
        return screen_, None, ""
    items = set(screen_.question_ids)
    if isinstance(value, list) and all(
        isinstance(v, str) and (v.removeprefix(UNSURE_MARK) in items or v == UNSURE_REST)
        for v in value
    ):
        return screen_, frozenset(value), ""
    expected = ", ".join(screen_.question_ids)
    return (
        screen_,
        None,
        (
            f"{key}: {show_value(value)} is not a list of its items ({expected}; '?ID' for "
            f"one you cannot tell; '{UNSURE_REST}' for 'not sure about the rest') or \"unsure\""
        ),
    )


def state_from_answers(rb: RuleBase, answers: Mapping[str, Any]) -> Replay:
    """The session that answering ``answers`` in their order would have built.

    This is how a stateless client (the HTTP interview, the web page) carries a
    session: the answers so far, in the contract's record format, in the order given.
    ``"unsure"`` is "not sure" for any question (for a choice or a list too: asked,
    unknown). A number question with ``words`` also takes one of them (its label). A
    screen's pseudo-question ``"screen:ID"`` takes yes/no/unsure: ``"no"`` answers every
    sign it still lists "no", like "none of these" in ``ask``; ``"yes"`` or ``"unsure"``
    opens it, so its signs are asked one at a time. A checklist's (``style: pick``)
    takes the list of its items that happen, ``"?ID"`` for one that cannot be told (the
    rest are "no"), or ``"unsure"`` to ask them one by one. ``"check:ID"`` is the second
    answer to safety question ID after its self-check (asked when a "not sure" would
    end the check at clinician level); it replaces the first. Values are checked as in
    batch records, with the same per-key messages; unknown keys are warnings.
    """
    plain: dict[str, Any] = {}
    unsure: set[str] = set()
    rechecks: dict[str, Any] = {}  # "check:ID" -> the second answer, normalized
    errors: list[AnswerProblem] = []
    for key, value in answers.items():
        question = rb.questions.get(key)
        if key.startswith(CHECK_PREFIX):
            target = rb.questions.get(key.removeprefix(CHECK_PREFIX))
            if target is None or target.type is not QuestionType.YES_NO:
                errors.append(
                    AnswerProblem(
                        key,
                        f"{key}: not a yes/no question asked again with its self-check",
                        show_value(value),
                        "'check:' followed by the id of a yes/no safety question",
                    )
                )
                continue
            checked, problems, _ = normalize_answers(rb, {target.id: value})
            errors += [AnswerProblem(key, p.message, p.value, p.expected) for p in problems]
            rechecks[key] = checked.get(target.id)
        elif key.startswith(SCREEN_PREFIX):
            _, _, problem = _screen_reply(rb, key, value)
            if problem:
                expected = (
                    "a list of its items, or unsure" if "list" in problem else ("yes, no or unsure")
                )
                errors.append(AnswerProblem(key, problem, show_value(value), expected))
        elif (
            question is not None
            and value == "unsure"
            and question.type in (QuestionType.CHOICE, QuestionType.MULTI)
            and value not in question.choice_values
        ):
            unsure.add(key)
        elif question is not None and isinstance(value, str) and question.words:
            # A number a person cannot measure may come in the rule base's words.
            number = question.number_for(value)
            plain[key] = value if number is None else number
        else:
            plain[key] = value
    normalized, problems, warnings = normalize_answers(rb, plain)
    errors += problems
    if errors:
        return Replay(SessionState(), tuple(errors), tuple(warnings))
    state = SessionState()
    for key, value in answers.items():
        if key.startswith(SCREEN_PREFIX):
            screen_, reply, _ = _screen_reply(rb, key, value)
            assert screen_ is not None
            state = record_answer(rb, state, key, reply)
        elif key in rechecks:
            state = record_answer(rb, state, key, rechecks[key])
        elif key in rb.questions:
            state = state.answer(key, None if key in unsure else normalized.get(key))
    return Replay(state, (), tuple(warnings))


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


def pending_check(rb: RuleBase, state: SessionState, outcome: ScreenOutcome) -> Question | None:
    """The last answer again, with its self-check, when it was a "not sure" to a safety
    question that would end the whole check at clinician level (contract v3: before it
    counts, the person sees how to check it and is asked once more; still unsure, the
    referral stands). Only an answer given in this session, and only once."""
    if not state.history or outcome.level is not FlagLevel.CLINICIAN:
        return None
    qid = state.history[-1]
    question = rb.questions.get(qid)
    if (
        question is None
        or question.type is not QuestionType.YES_NO
        or qid not in state.skipped
        or qid in state.rechecked
        or qid in state.prefilled
    ):
        return None
    raised = [r for r in outcome.flags if r.unsure and (qid, "unsure") in r.because]
    own = [r.flag.if_unsure for r in raised if r.flag.condition_text == qid and r.flag.if_unsure]
    self_check = own[0] if own else next((r.flag.if_unsure for r in raised if r.flag.if_unsure), "")
    if not raised or not self_check:
        return None
    return Question(
        id=CHECK_PREFIX + qid,
        type=QuestionType.YES_NO,
        text=f"Before that counts, check it once: {question.text}",
        help=self_check,
        group=question.group,
        source=question.source,
    )


def next_step(rb: RuleBase, state: SessionState) -> Ask | Stop:
    """The next question to ask, or why the questionnaire is over."""
    outcome = screen_state(rb, state)
    if outcome.level is FlagLevel.EMERGENCY:
        return Stop("referral", "an answer is an emergency warning sign")
    check = pending_check(rb, state, outcome)
    if check is not None:
        return Ask(check, len(state.history) + 1)
    remaining = _screen_steps(rb, state)
    if remaining:
        return Ask(remaining[0], len(state.history) + 1)
    if outcome.flags:
        return Stop("referral", "an answer is a warning sign for a clinician to check")
    free = _free_questions(rb, state)
    beliefs = infer(rb, state.answers, trace=False).beliefs  # once per step, shared below
    candidates = relevant_questions(rb, state, free, beliefs)
    if not candidates:
        filtering = _alternative_question(rb, state, beliefs)
        if filtering is not None:
            return Ask(filtering, len(state.history) + 1)
        if free and state.history:
            return Stop("settled", "nothing else you could tell me would change the main causes")
        return Stop("exhausted", "every question that matters has been asked")
    chosen = _pick(rb, state, candidates, free)
    # A question that sits in a checklist brings the whole checklist: one prompt for
    # what would otherwise be several yes/no questions.
    question = _checklist_for(rb, state, chosen) or rb.questions[chosen]
    return Ask(question, len(state.history) + 1)


def prompts_left(rb: RuleBase, state: SessionState) -> int:
    """About how many prompts are left, this one included: the safety screen's own
    (for someone with no warning sign), then the questions that could still change
    the main causes (most of them usually are), plus one for the gym's equipment when
    alternatives will be suggested."""
    steps = _screen_steps(rb, state)
    if steps:
        return len(steps) + _FIRST_ESTIMATE
    free = _free_questions(rb, state)
    beliefs = infer(rb, state.answers, trace=False).beliefs
    relevant = set(relevant_questions(rb, state, free, beliefs))
    # An unasked checklist takes one prompt for all of its relevant items.
    for question_id in sorted(relevant):
        checklist = _checklist_for(rb, state, question_id)
        if checklist is not None:
            relevant = (relevant - {q for q, _ in checklist.choices}) | {checklist.id}
    filtering = 1 if _alternative_question(rb, state, beliefs) is not None else 0
    return max(1, len(relevant) + filtering)


# Questions after the screen for a lifter who has said nothing yet: the median of the
# lifter vignettes (tests/vignettes/lifters.yaml), checked by a test.
_FIRST_ESTIMATE = 9


def _alternative_question(
    rb: RuleBase, state: SessionState, beliefs: Mapping[str, float]
) -> Question | None:
    """Questions that only filter alternatives (equipment, 'unless' conditions) are asked
    last, and only when the result will suggest alternatives; an 'unless' question is
    not asked for an alternative the gym's equipment already rules out."""
    threshold = rb.settings.report_threshold
    suggested = {
        alt
        for cause, belief in beliefs.items()
        if cause in rb.causes and belief >= threshold
        for alt in rb.causes[cause].alternatives
    }
    if not suggested:
        return None
    equipment = rb.settings.equipment_question
    wanted = [equipment] if equipment else []
    have = state.answers.get(equipment) if equipment else None
    for alt in sorted(suggested):
        if not rb.alternatives[alt].available(have):
            continue
        wanted += sorted(rb.alternatives[alt].unless_questions)
    for qid in wanted:
        if qid is not None and qid in rb.questions and qid not in state.asked:
            return rb.questions[qid]
    return None


def relevant_questions(
    rb: RuleBase,
    state: SessionState,
    free: frozenset[str],
    beliefs: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Unasked questions that could still change the main causes (``bounds.top_causes``),
    with a weight each: the summed certainty factors of the rules they could still move.

    ``beliefs`` are the current beliefs, when the caller has them already."""
    current = beliefs if beliefs is not None else infer(rb, state.answers, trace=False).beliefs
    bounds = belief_bounds(rb, state.answers, free)
    open_causes = unsettled_top(rb, bounds, top_causes(rb, current))
    if not open_causes:
        return {}
    feeding = upstream(rb, open_causes)
    premise_threshold = rb.settings.premise_threshold
    weights: dict[str, float] = {}
    for rule in rb.rules:
        if rule.concludes not in feeding:
            continue
        low, high = bounds.premises.get(rule.id, (0.0, 0.0))
        if low == high or high <= premise_threshold:
            continue  # this rule cannot change any more, or never fire, whatever is answered
        for question in rule.questions & free:
            weights[question] = weights.get(question, 0.0) + abs(rule.cf)
    return weights


def _openness(rb: RuleBase, answers: Mapping[str, Any], free: frozenset[str]) -> float:
    """How far the main causes are from settled: the summed width of the belief
    intervals of the causes that could still change them (0: settled)."""
    bounds = belief_bounds(rb, answers, free)
    top = top_causes(rb, infer(rb, answers, trace=False).beliefs)
    return sum(
        high - low
        for cause in unsettled_top(rb, bounds, top)
        for low, high in (bounds.beliefs.get(cause, (0.0, 0.0)),)
    )


def sample_answers(rb: RuleBase, question: Question) -> list[Any]:
    """One answer of each kind the rules tell apart, to look ahead with: yes and no,
    each choice, none or each one of a multi-choice, and a number on each side of
    every threshold the rules compare it with."""
    if question.type is QuestionType.YES_NO:
        return [True, False]
    if question.type is QuestionType.CHOICE:
        return list(question.choice_values)
    if question.type is QuestionType.MULTI:
        return [frozenset(), *(frozenset({v}) for v in question.choice_values)]
    cuts = sorted(
        {
            float(leaf.value.value)
            for rule in rb.rules_by_question.get(question.id, ())
            for leaf in leaves(rule.condition)
            if isinstance(leaf, Compare) and leaf.ref.name == question.id
        }
    )
    low = question.minimum if question.minimum is not None else min(cuts, default=0.0) - 1
    high = question.maximum if question.maximum is not None else max(cuts, default=0.0) + 1
    points = [low, *cuts, high]
    # The middle of each stretch between thresholds, and each threshold itself.
    return sorted({*cuts, *((a + b) / 2 for a, b in pairwise(points))})


def _pick(
    rb: RuleBase, state: SessionState, weights: dict[str, float], free: frozenset[str]
) -> str:
    """Until something points somewhere, questions follow the coach's (declared)
    order. Then the question whose answer, on average over its possible answers,
    leaves the main causes closest to settled goes next; ties go to the topic at hand,
    then to the declared order."""
    order = {q: i for i, q in enumerate(rb.questions)}
    last = rb.questions.get(state.history[-1]) if state.history else None
    last_group = last.group if last is not None else None
    beliefs = infer(rb, state.answers, trace=False).beliefs
    if not any(beliefs.get(cause, 0.0) > 0.0 for cause in rb.causes):
        return min(weights, key=lambda q: order[q])
    root = _root_question(rb, weights, beliefs, order)
    if root is not None:
        return root

    def score(qid: str) -> tuple[float, bool, int]:
        rest = free - {qid}
        values = sample_answers(rb, rb.questions[qid])
        mean = sum(_openness(rb, {**state.answers, qid: v}, rest) for v in values) / len(values)
        return (round(mean, 6), rb.questions[qid].group != last_group, order[qid])

    return min(weights, key=score)


def _root_question(
    rb: RuleBase, weights: Mapping[str, float], beliefs: Mapping[str, float], order: dict[str, int]
) -> str | None:
    """The question a root cause waits on once its sign is reported: heels that lift
    make "where do your feet sit?" the next question, since the root ranks first and
    its fix leads the plan when its evidence is there. Only a rule of the root that
    reads the sign's own answer counts (feet low *and* heels lifting), so a sign does
    not pull forward every question a root could use. None when no root is open."""
    threshold = rb.settings.report_threshold
    for cause in rb.causes.values():  # declared order
        if not cause.explains or beliefs.get(cause.id, 0.0) >= threshold:
            continue  # not a root, or its evidence is already in
        signs = [s for s in cause.explains if beliefs.get(s, 0.0) >= threshold]
        seen = {q for s in signs for r in rb.rules_by_conclusion.get(s, ()) for q in r.questions}
        asks = {
            q
            for rule in rb.rules_by_conclusion.get(cause.id, ())
            if rule.cf > 0 and rule.questions & seen
            for q in rule.questions
            if q in weights
        }
        if asks:
            return min(asks, key=order.__getitem__)
    return None


def why_asked(rb: RuleBase, question_id: str) -> list[str]:
    """Plain sentences, one per rule that reads this answer: what an answer points to,
    in the question's and the cause's own words. No rule ids or numbers: those are in
    ``legpress-diag rules explain`` and the JSON."""
    lines = []
    question_id = question_id.removeprefix(CHECK_PREFIX)
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        if screen_ is not None and screen_.style == "pick":
            lines = [
                "Each of these is a form fault that can load the lower back or the knees; "
                "ticking the ones that happen lets me skip a question for each."
            ]
            for item, label in screen_.items:
                said = why_asked(rb, item)
                if said:
                    lines.append(f"{label[0].upper()}{label[1:]}: {said[0]}")
            return lines
        return [
            "These are warning signs that need a doctor rather than a change of form. "
            "Most people have none of them; if you have any, or are not sure, I ask about "
            "each one."
        ]
    flags = [f for f in rb.safety_flags.values() if question_id in f.questions]
    for flag in flags:
        lines.append(
            f"It screens for a warning sign: {flag.title.lower()} ({flag.level.value} level)."
        )
    for rule in rb.rules_by_question.get(question_id, ()):
        lines.append(rule_sentence(rb, rule, question_id))
        if rule.concludes in rb.facts:
            downstream = sorted(
                {
                    conclusion_title(rb, r.concludes)
                    for r in rb.rules_by_fact.get(rule.concludes, ())
                    if r.concludes in rb.causes
                }
            )
            if downstream:
                lines.append(f"  That in turn bears on: {', '.join(downstream)}.")
    filters = question_id == rb.settings.equipment_question or any(
        question_id in alt.unless_questions for alt in rb.alternatives.values()
    )
    if filters and not lines:
        return ["It picks the exercises to suggest instead: only ones you can do where you train."]
    return lines or [
        "Nothing in the diagnosis depends on this answer; it is kept for your records."
    ]
