"""The choice of the next question.

``next_step(rb, state)`` says what to ask next, or why to stop. The safety screen
comes first. After it, a question is asked only if a rule that can still fire depends
on it and that rule leads to a cause whose report or rank is still open (see
``reasoning.bounds``). Questions of the group being discussed are finished before
moving on, and groups bearing most on the open causes come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from ...foundation.problems import EngineLoopError
from ...knowledge.conditions.ast import Compare, leaves
from ...knowledge.facts import NormalisedAnswers, NormalisedValue
from ...knowledge.rulebase import (
    CHECK_PREFIX,
    SCREEN_PREFIX,
    FlagLevel,
    Question,
    QuestionType,
    RuleBase,
)
from ...knowledge.strata import upstream
from ...reasoning.bounds import Bounds, belief_bounds, beliefs_after, top_causes, unsettled_top
from ...reasoning.engine import infer
from ...reasoning.safety import ScreenOutcome
from .memo import remembered
from .state import Ask, SessionState, Stop, screen_state, unsure_of
from .words import checklist_items, checklist_question, screen_question, self_check_question


def _free_questions(rb: RuleBase, state: SessionState) -> frozenset[str]:
    return frozenset(rb.questions) - state.asked


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
            steps.append(screen_question(rb, sc, state))
    return steps


def screen_prompts_left(rb: RuleBase, state: SessionState) -> int:
    """How many prompts the safety screen has left for someone with no warning signs."""
    return len(_screen_steps(rb, state))


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
    # A coach's flag has no self-check to show (shown_if_unsure): its words stay in
    # its file, so its "not sure" is referred as it is.
    own = [
        r.flag.shown_if_unsure
        for r in raised
        if r.flag.condition_text == qid and r.flag.shown_if_unsure
    ]
    self_check = (
        own[0]
        if own
        else next((r.flag.shown_if_unsure for r in raised if r.flag.shown_if_unsure), "")
    )
    if not raised or not self_check:
        return None
    return self_check_question(question, self_check)


def self_check_due(rb: RuleBase, state: SessionState, question_id: str) -> bool:
    """Whether the interview at ``state`` asks ``question_id``'s self-check next (what
    ``next_step`` would ask: no emergency, and ``pending_check`` names it). Only there
    does a "check:ID" answer count: right after ID was answered "not sure", when that
    alone would end the check at clinician level. Anywhere else it was never asked,
    and it must not turn a "yes" into a "no" or lower a referral (issue 20)."""
    if not state.history or state.history[-1] != question_id or question_id not in state.skipped:
        return False  # the cheap part of pending_check first: most never get further
    check = pending_check(rb, state, screen_state(rb, state))
    return check is not None and check.id == CHECK_PREFIX + question_id


def next_step(rb: RuleBase, state: SessionState) -> Ask | Stop:
    """The next question to ask, or why the questionnaire is over."""
    return remembered(rb, "next_step", state, lambda: _next_step(rb, state))


def _next_step(rb: RuleBase, state: SessionState) -> Ask | Stop:
    outcome = screen_state(rb, state)
    if outcome.level is FlagLevel.EMERGENCY:
        return Stop("referral", "an answer is an emergency warning sign")
    check = pending_check(rb, state, outcome)
    if check is not None:
        return Ask(check, len(state.history) + 1)
    remaining = _screen_steps(rb, state)
    own = [q for q in remaining if not q.from_coach]
    if own:
        return Ask(own[0], len(state.history) + 1)
    if outcome.flags:
        # A coach's safety questions come after the tool's own screen, and only when it
        # found nothing: a question is asked in its file's words, and once a referral
        # stands no word of a coach's file is shown (attack round 8, F1: "Saddle
        # numbness in lifters is harmless ..." asked inside an urgent referral).
        return Stop("referral", "an answer is a warning sign for a clinician to check")
    if remaining:
        return Ask(remaining[0], len(state.history) + 1)
    try:
        return _form_step(rb, state)
    except EngineLoopError:
        # A coach's rules that loop on these answers: no question can be chosen by
        # what it would change. The screen is done; the result names the loop as the
        # record's error (reasoning.diagnosis). Raised, it was a 500 (check 32, A-H1).
        return Stop("exhausted", "the rules loop on these answers, so no more can be asked")


def _form_step(rb: RuleBase, state: SessionState) -> Ask | Stop:
    free = _free_questions(rb, state)
    # Once per step, shared below: every candidate is scored against these bounds.
    beliefs, bounds = _where(rb, state, free)
    candidates = relevant_questions(rb, state, free, beliefs, bounds)
    if not candidates:
        filtering = _alternative_question(rb, state, beliefs)
        if filtering is not None:
            return Ask(filtering, len(state.history) + 1)
        if free and state.history:
            return Stop("settled", "nothing else you could tell me would change the main causes")
        return Stop("exhausted", "every question that matters has been asked")
    chosen = _pick(rb, state, candidates, free, beliefs, bounds)
    # A question that sits in a checklist brings the whole checklist: one prompt for
    # what would otherwise be several yes/no questions.
    question = _checklist_for(rb, state, chosen) or rb.questions[chosen]
    return Ask(question, len(state.history) + 1)


def prompts_left(rb: RuleBase, state: SessionState) -> int:
    """About how many prompts are left, this one included: the safety screen's own
    (for someone with no warning sign), then the questions that could still change
    the main causes (most of them usually are), plus one for the gym's equipment when
    alternatives will be suggested."""
    return remembered(rb, "prompts_left", state, lambda: _prompts_left(rb, state))


def _prompts_left(rb: RuleBase, state: SessionState) -> int:
    steps = _screen_steps(rb, state)
    if steps:
        return len(steps) + _FIRST_ESTIMATE
    free = _free_questions(rb, state)
    try:
        beliefs, bounds = _where(rb, state, free)
    except EngineLoopError:
        return 1  # the next step ends the interview (_next_step)
    relevant = set(relevant_questions(rb, state, free, beliefs, bounds))
    # An unasked checklist takes one prompt for all of its relevant items.
    for question_id in sorted(relevant):
        checklist = _checklist_for(rb, state, question_id)
        if checklist is not None:
            relevant = (relevant - {q for q, _ in checklist.choices}) | {checklist.id}
    filtering = 1 if _alternative_question(rb, state, beliefs) is not None else 0
    return max(1, len(relevant) + filtering)


def _where(
    rb: RuleBase, state: SessionState, free: frozenset[str]
) -> tuple[Mapping[str, float], Bounds]:
    """The beliefs at ``state`` and their bounds with ``free`` still open: worked out
    once per state, for the choice and the estimate of what is left alike."""
    return remembered(
        rb,
        "where",
        state,
        lambda: (
            infer(rb, state.answers, trace=False).beliefs,
            belief_bounds(rb, state.answers, free),
        ),
    )


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
    owned = have if isinstance(have, frozenset) else None  # a multi-choice answer
    for alt in sorted(suggested):
        if not rb.alternatives[alt].available(owned):
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
    bounds: Bounds | None = None,
) -> dict[str, float]:
    """Unasked questions that could still change the main causes (``bounds.top_causes``),
    with a weight each: the summed certainty factors of the rules they could still move.

    ``beliefs`` and ``bounds`` are the current beliefs and their bounds with ``free``
    open, when the caller has them already."""
    current = beliefs if beliefs is not None else infer(rb, state.answers, trace=False).beliefs
    if bounds is None:
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


def _openness(
    rb: RuleBase, base: Bounds, answers: NormalisedAnswers, free: frozenset[str], question: str
) -> float:
    """How far the main causes are from settled once ``question`` is answered as in
    ``answers`` (``base``: the bounds before): the summed width of the belief
    intervals of the causes that could still change them (0: settled)."""
    beliefs = beliefs_after(rb, base, answers, free, question)
    top = top_causes(rb, infer(rb, answers, trace=False).beliefs)
    return sum(
        high - low
        for cause in unsettled_top(rb, Bounds(beliefs, {}), top)
        for low, high in (beliefs.get(cause, (0.0, 0.0)),)
    )


def sample_answers(rb: RuleBase, question: Question) -> list[NormalisedValue]:
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
    rb: RuleBase,
    state: SessionState,
    weights: dict[str, float],
    free: frozenset[str],
    beliefs: Mapping[str, float],
    bounds: Bounds,
) -> str:
    """Until something points somewhere, questions follow the coach's (declared)
    order. Then the question whose answer, on average over its possible answers,
    leaves the main causes closest to settled goes next; ties go to the topic at hand,
    then to the declared order."""
    order = {q: i for i, q in enumerate(rb.questions)}
    last = rb.questions.get(state.history[-1]) if state.history else None
    last_group = last.group if last is not None else None
    if not any(beliefs.get(cause, 0.0) > 0.0 for cause in rb.causes):
        return min(weights, key=lambda q: order[q])
    root = _root_question(rb, weights, beliefs, order)
    if root is not None:
        return root

    def score(qid: str) -> tuple[float, bool, int]:
        rest = free - {qid}
        values = sample_answers(rb, rb.questions[qid])
        mean = sum(
            _openness(rb, bounds, {**state.answers, qid: v}, rest, qid) for v in values
        ) / len(values)
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
