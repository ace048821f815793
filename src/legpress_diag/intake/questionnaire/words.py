"""The questionnaire's words: a screen or a checklist as the one question a person
is shown, the self-check asked before a "not sure" counts, and why a question is
asked, in plain sentences."""

from __future__ import annotations

from ...knowledge.rulebase import (
    CHECK_PREFIX,
    SCREEN_PREFIX,
    UNSURE_REST,
    UNSURE_REST_LABEL,
    Question,
    QuestionType,
    Rule,
    RuleBase,
    Screen,
)
from ...reasoning.explanation import conclusion_title, rule_sentence
from .memo import remembered
from .state import SessionState


def screen_question(rb: RuleBase, screen_: Screen, state: SessionState) -> Question:
    """A screen as one yes/no question listing the signs not yet answered; a screen of
    a coach's questions is the coach's (asked after the tool's own, see ``choice``)."""
    items = [label for q, label in screen_.items if q not in state.asked]
    return Question(
        id=SCREEN_PREFIX + screen_.id,
        type=QuestionType.YES_NO,
        text=screen_.text + "".join(f"\n  - {label}" for label in items),
        help=screen_.help
        or "n: none of these. y: one or more (I will ask about each). ?: not sure "
        "(I will ask about each).",
        group="safety",
        from_coach=screen_.from_coach
        or any(q in rb.questions and rb.questions[q].from_coach for q in screen_.question_ids),
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
    return screen_question(rb, screen_, state)


def self_check_question(question: Question, self_check: str) -> Question:
    """A safety question asked once more, with how to check it, before a "not sure"
    to it counts (``choice.pending_check`` says when)."""
    return Question(
        id=CHECK_PREFIX + question.id,
        type=QuestionType.YES_NO,
        text=f"Before that counts, check it once: {question.text}",
        help=self_check,
        group=question.group,
        source=question.source,
    )


def why_asked(rb: RuleBase, question_id: str) -> list[str]:
    """Plain sentences, one per rule that reads this answer: what an answer points to,
    in the question's and the cause's own words. No rule ids or numbers: those are in
    ``legpress-diag rules explain`` and the JSON."""
    # The same for a question every time it is asked: worked out once per rule base.
    return list(remembered(rb, "why_asked", question_id, lambda: tuple(_why(rb, question_id))))


def _coach_words_in(rb: RuleBase, rule: Rule) -> bool:
    """Whether the sentence for ``rule`` would carry a coach's words: its own note, or
    the title of a fact or cause of a coach's file it reads or concludes."""
    named = [rb.facts.get(f) or rb.causes.get(f) for f in (*rule.facts, rule.concludes)]
    return rule.from_coach or any(item is not None and item.from_coach for item in named)


def _why(rb: RuleBase, question_id: str) -> list[str]:
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
            f"It screens for a warning sign: {flag.shown_title.lower()} ({flag.level.value} level)."
        )
    # Beside the tool's own safety question, a coach's rule is named, never quoted: its
    # fact titles and notes are free text ("fever is harmless in lifters"), and the
    # screen is the tool's words alone (attack round 9 and 10, L1: the interview's
    # `why` list quoted them for a sign asked while a referral stood).
    question = rb.questions.get(question_id)
    tools_sign = flags and question is not None and not question.from_coach
    coach_rules = 0
    for rule in rb.rules_by_question.get(question_id, ()):
        if tools_sign and _coach_words_in(rb, rule):
            coach_rules += 1
            continue
        lines.append(rule_sentence(rb, rule, question_id))
        if rule.concludes in rb.facts:
            downstream = sorted(
                {
                    conclusion_title(rb, r.concludes)
                    for r in rb.rules_by_fact.get(rule.concludes, ())
                    if r.concludes in rb.causes and not (tools_sign and _coach_words_in(rb, r))
                }
            )
            if downstream:
                lines.append(f"  That in turn bears on: {', '.join(downstream)}.")
    if coach_rules:
        lines.append("Your coach's rules read this answer too.")
    filters = question_id == rb.settings.equipment_question or any(
        question_id in alt.unless_questions for alt in rb.alternatives.values()
    )
    if filters and not lines:
        return ["It picks the exercises to suggest instead: only ones you can do where you train."]
    return lines or [
        "Nothing in the diagnosis depends on this answer; it is kept for your records."
    ]
