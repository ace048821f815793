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
from typing import Any

from .bounds import belief_bounds, undecided_causes
from .diagnosis import raised_flags
from .engine import infer
from .rulebase import FlagLevel, Question, RuleBase

SAFETY_GROUP = "safety"


@dataclass(frozen=True)
class SessionState:
    """What has been asked and answered. Skipped questions are asked but unknown."""

    answers: Mapping[str, Any] = field(default_factory=dict)  # normalized values
    skipped: frozenset[str] = frozenset()
    history: tuple[str, ...] = ()  # question ids, in the order they were settled
    prefilled: frozenset[str] = frozenset()  # from --answers: not undone by 'back'

    @property
    def asked(self) -> frozenset[str]:
        return frozenset(self.answers) | self.skipped

    def answer(self, question_id: str, value: Any | None) -> SessionState:
        """Record an answer; None means skipped (unknown)."""
        answers = {k: v for k, v in self.answers.items() if k != question_id}
        skipped = self.skipped - {question_id}
        if value is None:
            skipped |= {question_id}
        else:
            answers[question_id] = value
        history = (*tuple(q for q in self.history if q != question_id), question_id)
        return replace(self, answers=answers, skipped=skipped, history=history)

    def undo(self) -> tuple[SessionState, str | None]:
        """Forget the last answer given in this session; returns its question id."""
        undoable = [q for q in self.history if q not in self.prefilled]
        if not undoable:
            return self, None
        last = undoable[-1]
        answers = {k: v for k, v in self.answers.items() if k != last}
        history = tuple(q for q in self.history if q != last)
        return replace(self, answers=answers, skipped=self.skipped - {last}, history=history), last


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


def _safety_order(rb: RuleBase) -> list[str]:
    wanted = rb.safety_questions()
    return [q for q in rb.questions if q in wanted]


def next_step(rb: RuleBase, state: SessionState) -> Ask | Stop:
    """The next question to ask, or why the questionnaire is over."""
    flags = raised_flags(rb, state.answers)
    if any(flag.level is FlagLevel.EMERGENCY for flag in flags):
        return Stop("referral", "an answer is an emergency warning sign")
    for question_id in _safety_order(rb):
        if question_id not in state.asked:
            return Ask(rb.questions[question_id], len(state.history) + 1)
    if flags:
        return Stop("referral", "an answer is a warning sign for a clinician to check")
    free = _free_questions(rb, state)
    beliefs = infer(rb, state.answers, trace=False).beliefs  # once per step, shared below
    candidates = relevant_questions(rb, state, free, beliefs)
    if not candidates:
        filtering = _alternative_question(rb, state, beliefs)
        if filtering is not None:
            return Ask(filtering, len(state.history) + 1)
        if free and state.history:
            return Stop("settled", "nothing else you could tell me would change this")
        return Stop("exhausted", "every question that matters has been asked")
    return Ask(rb.questions[_pick(rb, state, candidates, beliefs)], len(state.history) + 1)


def _alternative_question(
    rb: RuleBase, state: SessionState, beliefs: Mapping[str, float]
) -> Question | None:
    """Questions that only filter alternatives (equipment, 'unless' conditions) are asked
    last, and only when the result will suggest alternatives."""
    threshold = rb.settings.report_threshold
    suggested = {
        alt
        for cause, belief in beliefs.items()
        if cause in rb.causes and belief >= threshold
        for alt in rb.causes[cause].alternatives
    }
    if not suggested:
        return None
    wanted = [rb.settings.equipment_question] if rb.settings.equipment_question else []
    for alt in sorted(suggested):
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
    """Unasked questions that could still change the result, with a weight each.

    ``beliefs`` are the current beliefs, when the caller has them already."""
    threshold = rb.settings.report_threshold
    bounds = belief_bounds(rb, state.answers, free)
    open_causes = undecided_causes(rb, bounds, threshold)
    if not open_causes:
        return {}
    feeding = _feeding(rb, open_causes)
    current = beliefs if beliefs is not None else infer(rb, state.answers, trace=False).beliefs
    premise_threshold = rb.settings.premise_threshold
    weights: dict[str, float] = {}
    for rule in rb.rules:
        if rule.concludes not in feeding:
            continue
        low, high = bounds.premises.get(rule.id, (0.0, 0.0))
        if low == high or (high <= premise_threshold and rule.cf > 0 and low <= premise_threshold):
            continue  # this rule cannot change any more, whatever is answered
        # Causes that already have evidence count triple: they are what is in play.
        in_play = 1.0 + 2.0 * max(
            0.0, *(current.get(c, 0.0) for c in _downstream(rb, rule.concludes))
        )
        for question in rule.questions & free:
            weights[question] = weights.get(question, 0.0) + abs(rule.cf) * in_play
    return weights


def _feeding(rb: RuleBase, targets: set[str]) -> set[str]:
    """The targets and every derived fact that can influence them."""
    seen = set(targets)
    stack = list(targets)
    while stack:
        for rule in rb.rules_by_conclusion.get(stack.pop(), ()):
            for fact in rule.facts - seen:
                seen.add(fact)
                stack.append(fact)
    return seen


def _downstream(rb: RuleBase, derived: str) -> set[str]:
    """``derived`` and every cause it can influence through the rules."""
    memo: dict[str, set[str]] = rb.cache.setdefault("downstream", {})
    if derived not in memo:
        seen, stack = {derived}, [derived]
        while stack:
            for rule in rb.rules_by_fact.get(stack.pop(), ()):
                if rule.concludes not in seen:
                    seen.add(rule.concludes)
                    stack.append(rule.concludes)
        memo[derived] = {d for d in seen if d in rb.causes} | {derived}
    return memo[derived]


def _pick(
    rb: RuleBase, state: SessionState, weights: dict[str, float], beliefs: Mapping[str, float]
) -> str:
    order = {q: i for i, q in enumerate(rb.questions)}
    last_group = rb.questions[state.history[-1]].group if state.history else None
    same_group = [q for q in weights if rb.questions[q].group == last_group]
    if same_group:
        return min(same_group, key=lambda q: order[q])  # finish the topic at hand, in order
    if not any(beliefs.get(cause, 0.0) > 0.0 for cause in rb.causes):
        return min(weights, key=lambda q: order[q])  # nothing in play yet: the coach's order
    # The group holding the most telling question goes next (ties: declared order);
    # within it, questions come in declared order so the talk flows like a coach's.
    best = max(weights, key=lambda q: (weights[q], -order[q]))
    group = rb.questions[best].group
    return min((q for q in weights if rb.questions[q].group == group), key=lambda q: order[q])


def why_asked(rb: RuleBase, question_id: str) -> list[str]:
    """Plain sentences: which rules use this answer and which causes they lead to."""
    lines = []
    flags = [f for f in rb.safety_flags.values() if question_id in f.questions]
    for flag in flags:
        lines.append(
            f"It screens for a warning sign: {flag.title.lower()} ({flag.level.value} level)."
        )
    for rule in rb.rules_by_question.get(question_id, ()):
        target = rule.concludes
        title = rb.causes[target].title if target in rb.causes else rb.facts[target].title
        direction = "points to" if rule.cf > 0 else "speaks against"
        lines.append(
            f"'{rule.condition_text}' {direction} {title.lower()} "
            f"(rule {rule.id}, cf {rule.cf:+g})."
        )
        if target in rb.facts:
            downstream = sorted(
                {
                    rb.causes[r.concludes].title.lower()
                    for r in rb.rules_by_fact.get(target, ())
                    if r.concludes in rb.causes
                }
            )
            if downstream:
                lines.append(f"  That in turn bears on: {', '.join(downstream)}.")
    return lines or ["No rule uses this answer; it is kept for your records."]
