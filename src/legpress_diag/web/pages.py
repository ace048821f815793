"""The web questionnaire's pages: what each page shows, as values for the templates.

The HTML itself comes from the templates in ``presentation/templates`` (autoescaped;
:mod:`legpress_diag.presentation.render.html`); this module only decides what goes in
them, from the values ``service.interview`` returns. The answers travel in a signed
cookie (:mod:`.answer_cookie`) and the page's place in the URL (``/?at=N``: the
question after the first N answers), so browser Back and refresh work and nothing is
kept on the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..foundation.jsonvalue import JsonObject, JsonValue
from ..intake.interview import record_value
from ..intake.questionnaire import CHECK_PREFIX, SCREEN_PREFIX
from ..intake.replies import parse_reply
from ..knowledge.facts import NormalisedValue, RawAnswers
from ..knowledge.rulebase import UNSURE_REST, Question, QuestionType, RuleBase
from ..presentation.render.html import render, static_text
from ..presentation.render.labels import topic_label
from ..presentation.render.report import plain_how_lines
from ..presentation.render.words import question_label, why_in_brief
from ..reasoning.result import CauseOut, DiagnosisOut, PlanStepOut
from .service import Step, problem_text

UNSURE_NOTE = (
    "On the safety questions, “I'm not sure” is never taken as a “no”: an uncertain "
    "warning sign is treated as one to have checked, and the result says how."
)
# The result page shows at most this many steps before the causes (issue 22: a phone
# shows one summary and two or three actions on its first screen).
FIRST_STEPS = 3


def stylesheet() -> str:
    return static_text("app.css")


@dataclass(frozen=True)
class QuestionView:
    """Everything the question template shows."""

    position: int  # answers before this question
    left: int  # about how many questions are left, this one included
    question_id: str
    topic: str
    text: str
    help: str
    why: str
    kind: str  # "buttons", "number", "radio" or "checkbox"
    buttons: tuple[tuple[str, str, bool], ...] = ()  # (do, label, chosen before)
    pair: bool = False  # yes and no side by side, the same weight
    options: tuple[tuple[str, str, bool], ...] = ()  # (value, label, ticked before)
    signs: tuple[str, ...] = ()
    minimum: str = ""
    maximum: str = ""
    unit: str = ""
    number_value: str = ""
    # A number asked in words too: (do, label), one button each ("word:75").
    words: tuple[tuple[str, str], ...] = ()
    kept: str = ""  # the answer given before, in words, when coming back to it
    kept_from: str = "Your answer before"  # whose answer ``kept`` is
    kept_unsure: bool = False
    on_screen: bool = False
    unsure_note: str = UNSURE_NOTE
    error: str = ""
    notice: str = ""
    saved: int = 0  # answers kept in the browser, shown with a way to forget them
    measured: int = 0  # answers measured from a filmed set (web/measured_pages.py)
    upload: Mapping[str, Any] = field(default_factory=dict)  # what the first page takes

    @property
    def percent(self) -> int:
        return round(100 * self.position / (self.position + self.left))


def _kept_words(question: Question, before: JsonValue, is_screen: bool) -> str:
    if before is None:
        return ""
    if before == "unsure":
        return "I'm not sure"
    if is_screen and question.type is QuestionType.YES_NO:
        return {"yes": "Yes, one or more", "no": "None of these"}.get(str(before), "")
    if question.type is QuestionType.YES_NO:
        return "Yes" if before in (True, "yes") else "No" if before in (False, "no") else ""
    if question.type is QuestionType.NUMBER:
        return f"{before:g} {question.unit}".strip() if isinstance(before, int | float) else ""
    chosen = before if isinstance(before, list) else [before]
    labels = [label for value, label in question.choices if value in chosen]
    return "; ".join(labels) if labels else "none of these"


def question_view(
    rb: RuleBase,
    step: Step,
    position: int,
    left: int,
    before: JsonValue = None,
    error: str = "",
    notice: str = "",
    saved: int = 0,
) -> QuestionView:
    """The page for ``step``'s question; ``before``: the answer given to it last time."""
    assert step.ask is not None
    question = step.ask.question
    checklist = rb.screens.get(question.id.removeprefix(SCREEN_PREFIX))
    is_checklist = checklist is not None and checklist.style == "pick"
    is_screen = question.id.startswith(SCREEN_PREFIX) and not is_checklist
    on_screen = is_screen or question.id in rb.safety_questions()
    common: dict[str, Any] = {
        "position": position,
        "left": left,
        "question_id": question.id,
        "topic": "safety check" if on_screen else topic_label(question.group),
        "why": why_in_brief(rb, question.id),
        "kept": _kept_words(question, before, is_screen),
        "kept_unsure": before == "unsure",
        "on_screen": on_screen,
        "error": error,
        "notice": notice,
        "saved": saved,
    }
    if is_screen and checklist is not None:
        # Yes first, the same weight as "None of these": no reflex tap on a safe-looking
        # first button (issue 22, as NHS 111 lays out its screens).
        return QuestionView(
            **common,
            text=checklist.text,
            help=checklist.help,
            signs=tuple(label for _, label in step.signs),
            kind="buttons",
            pair=True,
            buttons=(
                ("yes", "Yes, one or more", before == "yes"),
                ("no", "None of these", before == "no"),
            ),
        )
    base = {**common, "text": question.text, "help": question.help}
    if question.type is QuestionType.YES_NO:
        buttons = (
            ("yes", "Yes", before in (True, "yes")),
            ("no", "No", before in (False, "no")),
        )
        return QuestionView(**base, kind="buttons", pair=True, buttons=buttons)
    if question.type is QuestionType.NUMBER:
        return QuestionView(
            **base,
            kind="number",
            minimum=f"{question.minimum:g}" if question.minimum is not None else "",
            maximum=f"{question.maximum:g}" if question.maximum is not None else "",
            unit=question.unit,
            number_value=f"{before:g}" if isinstance(before, int | float) else "",
            words=tuple((f"{WORD_PREFIX}{n:g}", label) for label, n in question.words),
            buttons=(("answer", "Next", False),),
        )
    chosen = before if isinstance(before, list) else [before]
    return QuestionView(
        **base,
        kind="radio" if question.type is QuestionType.CHOICE else "checkbox",
        options=tuple((value, label, value in chosen) for value, label in question.choices),
        buttons=(("answer", "Next", False),),
    )


WORD_PREFIX = "word:"  # a button that answers a number question in words


def question_page(view: QuestionView) -> str:
    return render("web_question.html", title="Leg press check", page=view)


@dataclass(frozen=True)
class ResultView:
    """Everything the result template shows."""

    rb: RuleBase
    result: DiagnosisOut
    position: int
    stop_reason: str
    steps: tuple[PlanStepOut, ...] = ()
    more_steps: tuple[PlanStepOut, ...] = ()
    closing: PlanStepOut | None = None
    how: Callable[[CauseOut], list[str]] = field(default=lambda cause: [])


def result_view(rb: RuleBase, step: Step, position: int) -> ResultView:
    assert step.result is not None and step.stop is not None
    result = step.result
    plan = [s for s in result["plan"] if not s["closing"]]
    closing = next((s for s in result["plan"] if s["closing"]), None)

    def how(cause: CauseOut) -> list[str]:
        return [line.removeprefix("- ") for line in plain_how_lines(result, cause, rb)]

    return ResultView(
        rb=rb,
        result=result,
        position=position,
        # An emergency stops the screen on purpose; the flag says why.
        stop_reason="" if result["red_flags"] else step.stop.reason,
        steps=tuple(plan[:FIRST_STEPS]),
        more_steps=tuple(plan[FIRST_STEPS:]),
        closing=closing,
        how=how,
    )


def result_page(view: ResultView) -> str:
    return render("web_result.html", title="Leg press check: result", page=view)


def error_page(message: str, problems: Sequence[str] = ()) -> str:
    return render(
        "web_error.html", title="Leg press check: error", message=message, problems=problems
    )


def apply_form(
    rb: RuleBase, answers: RawAnswers, question_id: str, do: str, values: list[str]
) -> tuple[JsonObject, str | None]:
    """The answers after one form submit, or the same answers and what to fix. The
    form is read as a reply (``_form_reply``), which the interview writes down as
    every stateless client keeps it (``interview.record_value``)."""
    current = dict(answers)
    read = _form_reply(rb, question_id, do, values)
    if read is None:
        return current, None  # a form for no question: nothing changes
    if read[0] is False:
        return current, read[1]
    value = read[1]
    rest = {k: v for k, v in current.items() if k != question_id}
    return {**rest, question_id: record_value(rb, question_id, value)}, None


_CHOOSE = "choose one of the answers, or “I'm not sure”"
_REPLIES = {"yes": True, "no": False, "unsure": None}


FormReply = tuple[Literal[True], NormalisedValue | None] | tuple[Literal[False], str]


def _form_reply(rb: RuleBase, question_id: str, do: str, values: list[str]) -> FormReply | None:
    """(True, the reply: None for "not sure"), or (False, what to fix); None when the
    form is for no question the page asks."""
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        if screen_ is not None and screen_.style == "pick":
            # A checklist: the ticked items happen, the rest do not; "not sure" asks
            # them one by one; "not sure about the rest" (UNSURE_REST) leaves the
            # unticked ones unknown.
            if do == "unsure":
                return True, None
            return True, frozenset(
                v for v in values if v in screen_.question_ids or v == UNSURE_REST
            )
        if screen_ is not None and do in _REPLIES:
            return True, _REPLIES[do]
        return None
    if question_id.startswith(CHECK_PREFIX):  # a safety question asked again: yes/no
        return (True, _REPLIES[do]) if do in _REPLIES else (False, _CHOOSE)
    question = rb.questions.get(question_id)
    if question is None:
        return None
    if do == "unsure":
        return True, None
    if question.type is QuestionType.MULTI:
        # The form sends choice values, not typed text: read them as such, so a value
        # that is also a command word at the terminal ('back') is still an answer.
        if all(value in question.choice_values for value in values):
            return True, frozenset(values)
        return False, "choose any of the answers, or “I'm not sure”"
    if question.type is QuestionType.CHOICE:
        if len(values) == 1 and values[0] in question.choice_values:
            return True, values[0]
        return False, _CHOOSE
    if question.type is QuestionType.YES_NO:
        text = do if do in ("yes", "no") else ""
    elif do.startswith(WORD_PREFIX):  # one of a number's answers in words
        text = do.removeprefix(WORD_PREFIX)
    else:
        text = values[0] if values else ""
    reply = parse_reply(question, text)
    if reply.kind != "answer":
        return False, reply.message or _CHOOSE
    return True, reply.value


__all__ = [
    "QuestionView",
    "ResultView",
    "apply_form",
    "error_page",
    "problem_text",
    "question_label",
    "question_page",
    "question_view",
    "result_page",
    "result_view",
    "stylesheet",
]
