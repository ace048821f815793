"""The questionnaire, in three parts: the state machine (``state``: what has been
asked and answered, and what a reply does; ``replay``: a session rebuilt from the
answers so far), the choice of the next question (``choice``), and the words a
person is shown (``words``). Every front end drives it through
:mod:`legpress_diag.intake.interview`; the names below are its public surface.
"""

from __future__ import annotations

from ...knowledge.rulebase import CHECK_PREFIX, SCREEN_PREFIX
from .choice import (
    next_step,
    pending_check,
    prompts_left,
    relevant_questions,
    sample_answers,
    screen_prompts_left,
)
from .replay import Replay, state_from_answers
from .state import (
    Ask,
    SessionState,
    Stop,
    on_screen,
    record_answer,
    screen_state,
    session_record,
    unsure_of,
)
from .words import (
    checklist_items,
    checklist_question,
    screen_as_question,
    screen_question,
    self_check_question,
    why_asked,
)

__all__ = [
    "CHECK_PREFIX",
    "SCREEN_PREFIX",
    "Ask",
    "Replay",
    "SessionState",
    "Stop",
    "checklist_items",
    "checklist_question",
    "next_step",
    "on_screen",
    "pending_check",
    "prompts_left",
    "record_answer",
    "relevant_questions",
    "sample_answers",
    "screen_as_question",
    "screen_prompts_left",
    "screen_question",
    "screen_state",
    "self_check_question",
    "session_record",
    "state_from_answers",
    "unsure_of",
    "why_asked",
]
