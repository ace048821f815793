"""About how many questions are left, as a number that does not swing.

``questionnaire.prompts_left`` estimates afresh after every answer, so it can go up
(a "yes" opens a screen's signs one by one) and down again: 13, 15, 14, 13. What a
lifter is shown is the smallest estimate made so far, counting down by the answers
given since: it never goes up, and a progress bar drawn from it only moves forward.
A pure function of the answers in order, so the HTTP interview and the web page
(which keep no state) give the same number for the same answers.
"""

from __future__ import annotations

from ..knowledge.facts import RawAnswers
from ..knowledge.rulebase import RuleBase
from .questionnaire import SessionState, prompts_left, state_from_answers


def about_left(
    rb: RuleBase,
    answers: RawAnswers,
    prefixes: tuple[SessionState, ...] | None = None,
) -> int:
    """About how many prompts are left after ``answers`` (this one included, at least
    1): never more than after any shorter run of the same answers. ``prefixes``: the
    states after each of ``answers`` in turn, when the caller has replayed them
    already (``Replay.prefixes``, ``Interview.prefixes``)."""
    if prefixes is None:
        prefixes = state_from_answers(rb, answers).prefixes
    if prefixes is not None:
        # Each prefix's state came out of the one replay.
        states = (SessionState(), *prefixes)
        return max(1, min(prompts_left(rb, state) for state in states))
    items = list(answers.items())
    shown: int | None = None
    for count in range(len(items) + 1):
        replay = state_from_answers(rb, dict(items[:count]))
        if replay.errors:
            continue  # a bad answer is reported by the interview itself
        estimate = prompts_left(rb, replay.state)
        shown = estimate if shown is None else min(shown, estimate)
    return max(1, shown if shown is not None else 1)


__all__ = ["about_left"]
