"""The web questionnaire as server-rendered HTML: plain forms, no script.

The answers so far travel in hidden form fields (``a.KEY`` holding the answer as
JSON, in the order given), so nothing is kept on the server between requests. Every
page is built from the values ``service.interview`` returns, and every piece of text
from a rule file or a request goes through :func:`esc`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..intake.questionnaire import SCREEN_PREFIX, why_asked
from ..intake.replies import parse_reply
from ..knowledge import textsafe
from ..knowledge.rulebase import UNSURE_REST, Question, QuestionType, RuleBase
from ..presentation.render.formats import SCREEN_WARNINGS, certainty_word, question_text
from ..presentation.render.labels import flag_heading, topic_label
from ..reasoning.answers import denormalize
from ..reasoning.explanation import why_it_hurts
from ..reasoning.result import CauseOut, DiagnosisOut, RedFlagOut
from .service import Step, problem_text

FIELD_PREFIX = "a."  # hidden fields: a.QUESTION_ID = the answer as JSON

UNSURE_NOTE = (
    "On the safety questions, “I'm not sure” is never taken as a “no”: an uncertain "
    "warning sign is treated as one to have checked, and the result says how."
)

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1a1a1a;
background:#fff;font-size:1.05rem}
main{max-width:40rem;margin:0 auto}
h1{font-size:1.3rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.progress{color:#555;font-size:.9rem;margin:0}
.help{color:#444}
.error{border-left:4px solid #b00;background:#fff0f0;padding:.5rem .75rem}
.intro{background:#f3f6fa;padding:.75rem;border-radius:6px}
.note{color:#555;font-size:.95rem}
ul.signs{padding-left:1.2rem}
label.option{display:block;border:1px solid #bbb;border-radius:6px;padding:.6rem .75rem;
margin:.4rem 0;min-height:2.75rem}
input[type=number]{font-size:1.1rem;padding:.5rem;width:8rem}
.buttons{display:flex;flex-direction:column;gap:.5rem;margin:1rem 0}
button{font-size:1.05rem;padding:.7rem 1rem;min-height:2.75rem;border-radius:6px;
border:1px solid #245;background:#245;color:#fff;width:100%}
button.secondary{background:#fff;color:#245}
.flag{border:3px solid #b00;background:#fff0f0;border-radius:6px;padding:.75rem;margin:1rem 0}
.flag h2{color:#900;margin:0 0 .5rem;font-size:1.15rem}
.referral{font-weight:bold}
.cause{border:1px solid #ccc;border-radius:6px;padding:.5rem .75rem;margin:.75rem 0}
.cause h3{margin:.25rem 0;font-size:1.05rem}
.bar{font-family:monospace;color:#275}
details{margin:1rem 0}
"""


def esc(text: object) -> str:
    """HTML-escaped, with control and bidi characters shown escaped as well."""
    return html.escape(textsafe.terminal(text, newlines=True))


def page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title><link rel="stylesheet" href="/static/app.css">'
        f"</head><body><main>{body}</main></body></html>\n"
    )


def hidden_fields(answers: Mapping[str, Any]) -> str:
    return "".join(
        f'<input type="hidden" name="{esc(FIELD_PREFIX + key)}" '
        f'value="{esc(json.dumps(value, ensure_ascii=False))}">'
        for key, value in answers.items()
    )


def _button(do: str, label: str, secondary: bool = False, novalidate: bool = False) -> str:
    cls = ' class="secondary"' if secondary else ""
    nv = " formnovalidate" if novalidate else ""
    return f'<button type="submit" name="do" value="{do}"{cls}{nv}>{esc(label)}</button>'


def _controls(question: Question) -> tuple[str, list[str]]:
    """(inputs, buttons) for one question."""
    unsure = _button("unsure", "I'm not sure", secondary=True, novalidate=True)
    if question.type is QuestionType.YES_NO:
        return "", [_button("yes", "Yes"), _button("no", "No"), unsure]
    if question.type is QuestionType.NUMBER:
        unit = f" {esc(question.unit)}" if question.unit else ""
        field = (
            f'<p><label>Your answer: <input type="number" name="v" inputmode="decimal" '
            f'step="any" min="{question.minimum:g}" max="{question.maximum:g}" required>'
            f"{unit}</label></p>"
        )
        return field, [_button("answer", "Next"), unsure]
    kind = "radio" if question.type is QuestionType.CHOICE else "checkbox"
    options = "".join(
        f'<label class="option"><input type="{kind}" name="v" value="{esc(value)}"> '
        f"{esc(label)}</label>"
        for value, label in question.choices
    )
    hint = (
        '<p class="note">Tick every one that applies; none ticked means none.</p>'
        if kind == "checkbox"
        else ""
    )
    return hint + options, [_button("answer", "Next"), unsure]


def question_page(
    rb: RuleBase, step: Step, answers: Mapping[str, Any], error: str | None = None
) -> str:
    assert step.ask is not None
    question = step.ask.question
    checklist = rb.screens.get(question.id.removeprefix(SCREEN_PREFIX))
    is_checklist = checklist is not None and checklist.style == "pick"
    on_screen = (
        question.id.startswith(SCREEN_PREFIX) and not is_checklist
    ) or question.id in rb.safety_questions()
    parts = []
    if not answers:
        parts.append(
            '<p class="intro">Leg press back-pain check. First a few safety questions, then '
            "only what matters for your answers. Nothing is stored on the server: your "
            "answers travel with this page.</p>"
        )
    group = "safety check" if on_screen else topic_label(question.group)
    parts.append(f'<p class="progress">Question {step.ask.number} · {esc(group)}</p>')
    parts.append('<form method="post" action="/">' + hidden_fields(answers))
    parts.append(f'<input type="hidden" name="q" value="{esc(question.id)}">')
    if step.signs and checklist is not None and not is_checklist:
        screen_ = checklist
        items = "".join(f"<li>{esc(label)}</li>" for _, label in step.signs)
        parts.append(f'<h1>{esc(screen_.text)}</h1><ul class="signs">{items}</ul>')
        if screen_.help:
            parts.append(f'<p class="help">{esc(screen_.help)}</p>')
        buttons = [
            _button("no", "None of these"),
            _button("yes", "Yes, one or more"),
            _button("unsure", "I'm not sure", secondary=True),
        ]
        inputs = ""
    else:
        parts.append(f"<h1>{esc(question.text)}</h1>")
        if question.help:
            parts.append(f'<p class="help">{esc(question.help)}</p>')
        inputs, buttons = _controls(question)
    if error:
        parts.append(f'<p class="error" role="alert">{esc(error)}</p>')
    parts.append(inputs)
    if answers:
        buttons.append(_button("back", "Back", secondary=True, novalidate=True))
    parts.append(f'<div class="buttons">{"".join(buttons)}</div>')
    if on_screen:
        parts.append(f'<p class="note">{esc(UNSURE_NOTE)}</p>')
    why = "".join(f"<li>{esc(line)}</li>" for line in why_asked(rb, question.id))
    parts.append(f"<details><summary>Why I ask this</summary><ul>{why}</ul></details></form>")
    return page("Leg press check", "".join(parts))


def _flag(flag: RedFlagOut, rb: RuleBase) -> str:
    heading = flag_heading(flag["level"], bool(flag.get("unsure")))  # as in every format
    said = "; ".join(
        f"{question_text(b['key'], rb)}: {b['answer']}" for b in flag.get("because", [])
    )
    because = f"<p><em>Because you said: {esc(said)}</em></p>" if said else ""
    return (
        f'<section class="flag" role="alert"><h2>{esc(heading)}</h2>'
        f"<p><strong>{esc(flag['title'])}</strong></p><p>{esc(flag['advice'])}</p>"
        f"{because}</section>"
    )


def _cause(cause: CauseOut) -> str:
    """One cause on one line, with why it hurts: the plan says what to do about it."""
    c = cause["certainty"]
    why = why_it_hurts(cause.get("explanation", ""))
    return (
        f'<div class="cause"><h3>{cause["rank"]}. {esc(cause["title"])} '
        f'<span class="note">({esc(certainty_word(c))})</span></h3>'
        + (f"<p><em>{esc(why)}</em></p>" if why else "")
        + "</div>"
    )


def _plan(result: DiagnosisOut) -> list[str]:
    """The plan as ``ask`` shows it: each fix once, most of the likely cause first, then
    the break from the leg press (with the alternatives) and how to come back."""
    ranks = {c["id"]: str(c["rank"]) for c in result["causes"]}
    parts = ["<h2>Your plan: what to do first</h2><ol>"]
    for step in (s for s in result["plan"] if not s["closing"]):
        causes = ", ".join(ranks.get(c, c) for c in step["for_causes"])
        label = "cause" if len(step["for_causes"]) == 1 else "causes"
        parts.append(
            f"<li><strong>{esc(step['title'])}</strong> "
            f'<span class="note">({label} {esc(causes)})</span><br>{esc(step["how"])}</li>'
        )
    parts.append("</ol>")
    closing = [s for s in result["plan"] if s["closing"]]
    if closing or result["alternatives"]:
        title = closing[0]["title"] if closing else "If it keeps hurting"
        parts.append(f"<h3>Then: {esc(title)}</h3>")
        if closing:
            parts.append(f"<p>{esc(closing[0]['how'])}</p>")
    if result["alternatives"]:
        parts.append("<p>Instead of the leg press, meanwhile:</p><ul>")
        for alt in result["alternatives"]:
            variations = "".join(f"<li>{esc(v)}</li>" for v in alt["variations"])
            parts.append(
                f"<li><strong>{esc(alt['title'])}</strong>: {esc(alt['why'])}"
                + (f"<ul>{variations}</ul>" if variations else "")
                + "</li>"
            )
        parts.append("</ul>")
    return parts


def _result_body(rb: RuleBase, result: DiagnosisOut) -> list[str]:
    """The result as ``ask`` shows it: flags whole and first; with a flag no advice."""
    parts = [_flag(flag, rb) for flag in result["red_flags"]]
    if not result["red_flags"]:  # an emergency ends the screen early, on purpose
        parts += [
            f'<p class="error">warning: {esc(w["message"])}</p>'
            for w in result["warnings"]
            if w["key"] in SCREEN_WARNINGS
        ]
    if result["red_flags"]:
        parts += [f'<p class="referral">{esc(note)}</p>' for note in result["notes"]]
        if result["causes"]:
            parts.append("<h2>For the clinician: form faults your answers point to</h2>")
            parts += [_cause(c) for c in result["causes"]]
        return parts
    if not result["causes"]:
        parts.append("<h2>No form fault stands out from your answers.</h2>")
        return parts + [f"<p>{esc(note)}</p>" for note in result["notes"]]
    parts += _plan(result)
    parts.append("<h2>Why it hurts, most likely first</h2>")
    parts += [_cause(c) for c in result["causes"]]
    return parts + [f'<p class="note">{esc(note)}</p>' for note in result["notes"]]


def result_page(rb: RuleBase, step: Step, answers: Mapping[str, Any]) -> str:
    assert step.result is not None and step.stop is not None
    result = step.result
    fields = hidden_fields(answers)
    parts = ['<h1 id="result">Your result</h1>']
    if not result["red_flags"]:
        parts.append(f'<p class="note">That\'s enough: {esc(step.stop.reason)}.</p>')
    parts += _result_body(rb, result)
    parts.append(
        '<h2>Keep it</h2><div class="buttons">'
        f'<form method="post" action="/answers.json">{fields}'
        '<button type="submit">Download my answers (JSON)</button></form>'
        f'<form method="post" action="/report.html">{fields}'
        '<button type="submit">Download the report (HTML)</button></form>'
        f'<form method="post" action="/">{fields}'
        f"{_button('back', 'Change my last answer', secondary=True)}</form>"
        '</div><p><a href="/">Start again</a></p>'
    )
    identity = result["rulebase"]
    parts.append(
        f'<p class="note">Rule base {esc(identity["name"])} {esc(identity["version"])} '
        f"({esc(identity['hash'])}). Not medical advice: it screens for warning signs "
        "and refers; it does not diagnose.</p>"
    )
    return page("Leg press check: result", "".join(parts))


def error_page(message: str, problems: Sequence[str] = ()) -> str:
    items = "".join(f"<li>{esc(p)}</li>" for p in problems)
    return page(
        "Leg press check: error",
        f'<h1>Something in the form was not valid</h1><p class="error">{esc(message)}</p>'
        + (f"<ul>{items}</ul>" if items else "")
        + '<p><a href="/">Start again</a></p>',
    )


def apply_form(
    rb: RuleBase, answers: dict[str, Any], question_id: str, do: str, values: list[str]
) -> tuple[dict[str, Any], str | None]:
    """The answers after one form submit, or the same answers and what to fix."""
    if do == "back":
        return dict(list(answers.items())[:-1]), None
    rest = {k: v for k, v in answers.items() if k != question_id}
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        if screen_ is not None and screen_.style == "pick":
            # A checklist: the ticked items happen, the rest do not; "not sure" asks
            # them one by one.
            if do == "unsure":
                return {**rest, question_id: "unsure"}, None
            # "Not sure about the rest" (UNSURE_REST) leaves the unticked ones unknown.
            ticked = [v for v in values if v in screen_.question_ids or v == UNSURE_REST]
            return {**rest, question_id: ticked}, None
        if screen_ is not None and do in ("yes", "no", "unsure"):
            return {**rest, question_id: do}, None
        return answers, None
    question = rb.questions.get(question_id)
    if question is None:
        return answers, None
    if do == "unsure":
        return {**rest, question_id: "unsure"}, None
    if question.type is QuestionType.YES_NO:
        text = do if do in ("yes", "no") else ""
    elif question.type is QuestionType.MULTI:
        text = ",".join(values)
    else:
        text = values[0] if values else ""
    reply = parse_reply(question, text)
    if reply.kind != "answer":
        return answers, reply.message or "choose one of the answers, or “I'm not sure”"
    return {**rest, question_id: denormalize(question, reply.value)}, None


__all__ = [
    "FIELD_PREFIX",
    "STYLE",
    "apply_form",
    "error_page",
    "page",
    "problem_text",
    "question_page",
    "result_page",
]
