"""About how many questions are left, as a number that does not swing.

``questionnaire.prompts_left`` estimates afresh after every answer, so it can go up
(a "yes" opens a screen's signs one by one) and down again: 13, 15, 14, 13. What a
lifter is shown is the smallest estimate made so far, counting down by the answers
given since: it never goes up, and a progress bar drawn from it only moves forward.
A pure function of the answers in order, so the HTTP interview and the web page
(which keep no state) give the same number for the same answers.
"""

from __future__ import annotations

from collections.abc import Callable

from ..knowledge.facts import RawAnswers
from ..knowledge.rulebase import RuleBase
from .questionnaire import SessionState, prompts_left, state_from_answers


def about_left(
    rb: RuleBase,
    answers: RawAnswers,
    prefixes: tuple[SessionState, ...] | None = None,
    check: Callable[[], None] | None = None,
) -> int:
    """About how many prompts are left after ``answers`` (this one included, at least
    1): never more than after any shorter run of the same answers. ``prefixes``: the
    states the one replay of ``answers`` went through (``Replay.prefixes``,
    ``Interview.prefixes``), when the caller has it already.

    One replay, never one per prefix: the estimate is worked out once for each state
    the answers went through (at most one per answer that changed something; a key
    that names nothing adds none), and ``check`` (a request's deadline) is called
    before each, so the work is bounded and can be stopped."""
    if prefixes is None:
        prefixes = state_from_answers(rb, answers, check=check).prefixes or ()
    shown: int | None = None
    for state in (SessionState(), *prefixes):
        if check is not None:
            check()
        estimate = prompts_left(rb, state)
        shown = estimate if shown is None else min(shown, estimate)
    return max(1, shown if shown is not None else 1)


__all__ = ["about_left"]
