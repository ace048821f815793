"""`ask --answers` with a measured record: what was measured, shown before the first
question, with one prompt to keep it all or correct an answer (issue 26).

    Measured from your filmed set:
      1. knee angle at the bottom: about 62°, measured in 5 reps
      2. butt lifts off the seat: yes, measured in 5 reps
    Is this right? Press Enter to keep it, or type a number to give your own answer.

A corrected answer is asked as its question is anywhere else, and the lifter's answer
is the one used; the result then says which answers were measured and which the
lifter changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..intake.questionnaire import SessionState
    from ..intake.session import Reaction
    from ..knowledge.rulebase import Question, RuleBase
    from ..presentation.ui.questionnaire_view import QuestionnaireView

Reply = Callable[["RuleBase", "QuestionnaireView", "SessionState", "Question"], "Reaction"]

KEEP_ALL = "Is this right? Press Enter to keep it, or type a number to give your own answer."


def review_measured(
    rb: RuleBase,
    view: QuestionnaireView,
    state: SessionState,
    read: Callable[[], str],
    reply: Reply,
    holder: list[SessionState],
) -> SessionState:
    """Show the measured answers; until Enter, each number typed asks that question
    (``reply``, the questionnaire's own prompt: why, help, quit work there too)."""
    from ..intake.measured import session_measurements, to_review
    from ..intake.questionnaire import Ask
    from ..presentation.render.measured import HEADING, items_of

    review = to_review(rb, state)
    if not review:
        return state
    first = True
    while True:
        if not first:
            view.note("")  # the list again, set apart from the question just answered
        first = False
        shown = session_measurements(rb, state)
        items = items_of({q: shown[q] for q in review if q in shown}, rb)
        numbered = [q for q in review if q in shown]
        view.lines(f"{HEADING}:", [f"{n}. {item.text}" for n, item in enumerate(items, 1)])
        view.note(KEEP_ALL)
        view.prompt()
        text = read().strip()
        if not text:
            return state
        if text.lower() in ("quit", "q", "exit"):
            from .ask import _Quit

            raise _Quit
        if not (text.isdigit() and 1 <= int(text) <= len(numbered)):
            view.invalid(f"Type a number from 1 to {len(numbered)}, or press Enter to keep them.")
            continue
        question = rb.questions[numbered[int(text) - 1]]
        view.question(Ask(question, 0))
        reaction = reply(rb, view, state, question)
        state = reaction.state
        holder[0] = state
