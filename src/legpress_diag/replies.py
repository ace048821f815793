"""Reading what a person types at a questionnaire prompt.

Pure parsing, shared by every front end: a reply is an answer (normalized the same
way as batch answers), a skip, a command, or invalid with a message saying what
would be valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .rulebase import Question, QuestionType

# Checklists (the questionnaire's "screen:" pseudo-questions) take "?N" for an item the
# person cannot tell; the value carries it as "?" + the item's id.
UNSURE_ITEMS_IN = "screen:"
UNSURE_MARK = "?"
COMMANDS = ("why", "back", "help", "quit")
SKIP_WORDS = {"?", "skip", "unsure", "not sure", "don't know", "dont know", "idk"}
_YES = {"y", "yes"}
_NO = {"n", "no"}


@dataclass(frozen=True)
class Reply:
    kind: str  # "answer", "skip", "command" or "invalid"
    value: Any = None
    message: str = ""


def parse_reply(question: Question, text: str) -> Reply:
    cleaned = text.strip()
    word = cleaned.lower()
    if word in COMMANDS:
        return Reply("command", word)
    if word in SKIP_WORDS:
        return Reply("skip")
    kind = question.type
    if kind is QuestionType.YES_NO:
        if word in _YES:
            return Reply("answer", True)
        if word in _NO:
            return Reply("answer", False)
        return Reply("invalid", message="answer y (yes), n (no) or ? (not sure)")
    if kind is QuestionType.NUMBER:
        return _number(question, word)
    if kind is QuestionType.CHOICE:
        if not word:
            return Reply("invalid", message=_choices_hint(question, "pick one"))
        value = _choice(question, word)
        if value is None:
            return Reply(
                "invalid", message=_choices_hint(question, f"'{cleaned}' is not one of the choices")
            )
        return Reply("answer", value)
    if not word or word in {"none", "-", "0"}:
        return Reply("answer", frozenset())
    values: list[str] = []
    for part in (p.strip() for p in word.split(",")):
        if not part:
            continue
        if part.startswith("?") and question.id.startswith(UNSURE_ITEMS_IN):
            # In a checklist, "?3" marks one item as "cannot tell" (left unknown).
            value = _choice(question, part[1:].strip())
            if value is None:
                hint = _choices_hint(question, f"'{part[1:]}' is not one of the choices")
                return Reply("invalid", message=hint)
            values.append(UNSURE_MARK + value)
            continue
        value = _choice(question, part)
        if value is not None:
            values.append(value)
            continue
        # "1 3" or "knees hips": spaces separate answers when every word is a choice.
        words = [_choice(question, w) for w in part.split()]
        if len(words) < 2 or None in words:
            hint = _choices_hint(question, f"'{part}' is not one of the choices")
            return Reply("invalid", message=hint)
        values.extend(w for w in words if w is not None)
    return Reply("answer", frozenset(values))


def _choice(question: Question, word: str) -> str | None:
    values = question.choice_values
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    spaced = word.replace("_", " ")
    for value, label in question.choices:
        if spaced in (value.lower().replace("_", " "), label.lower()):
            return value
    prefixed = [v for v in values if v.lower().replace("_", " ").startswith(spaced)]
    return prefixed[0] if len(prefixed) == 1 else None


def _choices_hint(question: Question, lead: str) -> str:
    numbered = ", ".join(f"{i} {v}" for i, v in enumerate(question.choice_values, 1))
    extra = (
        " (several: separate with commas; Enter for none)"
        if question.type is QuestionType.MULTI
        else ""
    )
    return f"{lead}: type a number or a name: {numbered}{extra}"


def _number(question: Question, word: str) -> Reply:
    unit = question.unit.lower()
    stripped = (
        word.replace("°", " ").removesuffix(unit).strip() if unit else word.replace("°", "").strip()
    )
    assert question.minimum is not None and question.maximum is not None
    expected = f"a number from {question.minimum:g} to {question.maximum:g}" + (
        f" {question.unit}" if unit else ""
    )
    try:
        number = float(stripped)
    except ValueError:
        return Reply("invalid", message=f"type {expected}")
    if not question.minimum <= number <= question.maximum:
        return Reply("invalid", message=f"{number:g} is out of range: type {expected}")
    return Reply("answer", number)
