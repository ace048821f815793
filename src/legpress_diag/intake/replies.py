"""Reading what a person types at a questionnaire prompt.

Pure parsing, shared by every front end: a reply is an answer (normalized the same
way as batch answers), a skip, a command, or invalid with a message saying what
would be valid. People type the way they talk, so besides the exact forms this
accepts:

- yes and no in everyday words (``yep``, ``yeah``, ``nope``, ``nah``);
- "not sure" in several ways (``?``, ``maybe``, ``dunno``, ``not sure``), which
  skips a question, and on the safety screen counts as not sure, never as no;
- ``undo`` for ``back``;
- numbers with their unit, abbreviated or as a sign (``85 deg``, ``85°``) or in
  words (``ninety``, ``eighty-five``, ``one hundred and ten``);
- the unique start of a choice (``some`` for ``sometimes``), and for a near miss
  (``knes``) a "did you mean" rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..foundation.problems import did_you_mean
from ..knowledge.facts import NormalisedValue
from ..knowledge.rulebase import SCREEN_PREFIX, UNSURE_MARK, UNSURE_REST, Question, QuestionType
from .answers import NO_WORDS, UNSURE_WORDS, YES_WORDS, number_in_words, words

COMMANDS = ("why", "back", "help", "quit")
COMMAND_ALIASES = {"undo": "back", "exit": "quit", "q": "quit"}


@dataclass(frozen=True)
class Reply:
    kind: str  # "answer", "skip", "command" or "invalid"
    value: NormalisedValue | None = None  # an answer (normalised), or a command's name
    message: str = ""


def parse_reply(question: Question, text: str) -> Reply:
    cleaned = text.strip()
    word = words(cleaned)
    if word in COMMANDS:
        return Reply("command", word)
    if word in COMMAND_ALIASES:
        return Reply("command", COMMAND_ALIASES[word])
    if word in UNSURE_WORDS:  # the same words a batch record uses
        return Reply("skip")
    kind = question.type
    if kind is QuestionType.YES_NO:
        if word in YES_WORDS:
            return Reply("answer", True)
        if word in NO_WORDS:
            return Reply("answer", False)
        return Reply("invalid", message="answer y (yes), n (no) or ? (not sure)")
    if kind is QuestionType.NUMBER:
        return _number(question, word)
    if kind is QuestionType.CHOICE:
        if not word:
            return Reply("invalid", message=_choices_hint(question, "pick one"))
        value = _choice(question, word)
        if value is None:
            return Reply("invalid", message=_not_a_choice(question, cleaned))
        return Reply("answer", value)
    return _multi(question, word)


# What "not sure about the others" may be typed as in a checklist, besides its number.
REST_WORDS = frozenset(
    {
        UNSURE_REST,
        "?rest",
        "? rest",
        "rest?",
        "rest ?",
        "not sure about the rest",
        "not sure about the others",
        "unsure about the rest",
        "not sure rest",
        "the rest not sure",
    }
)


def _multi(question: Question, word: str) -> Reply:
    if not word or word in {"none", "-", "0", "nothing", "no", "n"}:
        return Reply("answer", frozenset())
    values: list[str] = []
    for part in (p.strip() for p in re.split(r",|;| and ", word)):
        if not part:
            continue
        if part in REST_WORDS and UNSURE_REST in question.choice_values:
            values.append(UNSURE_REST)  # a checklist's "not sure about the rest"
            continue
        if part.startswith(UNSURE_MARK) and question.id.startswith(SCREEN_PREFIX):
            # In a checklist, "?3" marks one item as "cannot tell" (left unknown); the
            # value carries it as the mark plus the item's id.
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
            return Reply("invalid", message=_not_a_choice(question, part, several=True))
        values.extend(w for w in words if w is not None)
    return Reply("answer", frozenset(values))


def _choice(question: Question, word: str) -> str | None:
    values = question.choice_values
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    spaced = word.replace("_", " ").replace("-", " ")
    for value, label in question.choices:
        if spaced in (value.lower().replace("_", " "), label.lower()):
            return value
    by_value = unique_prefix(spaced, values)
    if by_value is not None:
        return by_value
    # The start of a label as shown ("every" for "Every rep"), when only one fits.
    fits = {value for value, label in question.choices if label.lower().startswith(spaced)}
    return fits.pop() if len(fits) == 1 and len(spaced) >= 2 else None


def unique_prefix(typed: str, names: Iterable[str]) -> str | None:
    """The one name that ``typed`` starts (``_`` and spaces alike), or None."""
    spaced = typed.lower().replace("_", " ")
    found = [n for n in names if n.lower().replace("_", " ").startswith(spaced)]
    return found[0] if len(found) == 1 and spaced else None


def near_miss(typed: str, names: Iterable[str]) -> str:
    """The hint `` (did you mean 'x'?)`` for a near miss of one of ``names``, or ""."""
    names = list(names)
    candidates: dict[str, str] = {}
    for name in names:
        candidates[name] = name
        # 'bottm' is a typo of the first word of 'bottom_of_rep', not of all of it.
        for piece in name.split("_"):
            candidates.setdefault(piece, name)
    hint = did_you_mean(typed.replace(" ", "_"), candidates)
    if hint is None:
        return ""
    match = hint.removeprefix("did you mean '").removesuffix("'?")
    return f" (did you mean '{candidates.get(match, match)}'?)"


def _not_a_choice(question: Question, typed: str, *, several: bool = False) -> str:
    hint = near_miss(words(typed), question.choice_values)
    return _choices_hint(question, f"'{typed}' is not one of the choices{hint}")


def _choices_hint(question: Question, lead: str) -> str:
    numbered = ", ".join(f"{i} {v}" for i, v in enumerate(question.choice_values, 1))
    extra = (
        " (several: separate with commas; Enter for none)"
        if question.type is QuestionType.MULTI
        else ""
    )
    # "none" is a definite answer: someone who does not know is told the way to say so.
    return f"{lead}: type a number or a name: {numbered}{extra}; ? if you are not sure"


def parse_how(text: str, cause_ids: list[str]) -> Reply:
    """The prompt after a result: ``how CAUSE`` (an id, its unique start, or its rank).

    An answer's value is the cause id; Enter, ``quit`` or ``q`` is the command
    ``quit``; anything else is invalid with what to type (and a near miss named).
    """
    word = words(text)
    if not word or word in ("quit", "q", "exit", "done"):
        return Reply("command", "quit")
    lead, _, rest = word.partition(" ")
    asked = rest.strip().replace(" ", "_") if lead == "how" else ""
    # The causes by their number on screen: a lifter reads titles, not ids.
    hint = f"type 'how N' (N from 1 to {len(cause_ids)}) or 'how CAUSE'; or press Enter to finish"
    if not asked:
        return Reply("invalid", message=hint)
    if asked.isdigit() and 1 <= int(asked) <= len(cause_ids):
        return Reply("answer", cause_ids[int(asked) - 1])
    if asked in cause_ids:
        return Reply("answer", asked)
    found = unique_prefix(asked, cause_ids)
    if found is not None:
        return Reply("answer", found)
    several = [c for c in cause_ids if c.startswith(asked)]
    if several:
        return Reply("invalid", message=f"'{asked}' starts {' and '.join(several)}: type more")
    return Reply("invalid", message=f"no cause '{asked}' here{near_miss(asked, cause_ids)}: {hint}")


# --- numbers --------------------------------------------------------------------------

# Unit spellings beyond the unit's own name and its starts ("deg" for "degrees").
_UNIT_SIGNS = {"degrees": ("°", "º", "deg", "degs", "degree"), "years": ("yrs", "yr", "y/o")}


_AGE_WORDS = re.compile(r"[\s-]*(?:years?|yrs?)(?:[\s-]+old|\s+of\s+age)$", re.IGNORECASE)


def _strip_unit(word: str, unit: str) -> str:
    """``85 deg`` → ``85``: a sign, the unit, or a start of it after the number."""
    signs = (*_UNIT_SIGNS.get(unit, ()), unit) if unit else ()
    # "seventy-year-old", "70 years of age": an age's unit as it is written in a
    # sentence (unread, "seventy years old" was an age not sure: check 48, H5)
    text = _AGE_WORDS.sub(" years", word) if unit == "years" else word
    for sign in ("°", "º"):
        text = text.replace(sign, " ")
    match = re.fullmatch(r"(.*?)\s*([a-z/]+)", text.strip())
    if unit and match is not None and match.group(1):
        tail = match.group(2)
        if tail in signs or (len(tail) >= 1 and unit.startswith(tail)):
            return match.group(1).strip()
    return text.strip()


def _number(question: Question, word: str) -> Reply:
    unit = question.unit.lower()
    assert question.minimum is not None and question.maximum is not None
    expected = f"a number from {question.minimum:g} to {question.maximum:g}" + (
        f" {question.unit}" if unit else ""
    )
    said = question.number_for(word)  # "about a right angle", "much deeper", "b"
    if said is not None:
        return Reply("answer", said)
    if question.words:
        letters = [chr(ord("a") + i) for i in range(len(question.words))]
        expected += f", or {', '.join(letters[:-1])} or {letters[-1]} for the words"
    stripped = _strip_unit(word, unit)
    try:
        number = float(stripped.replace(",", "."))
    except ValueError:
        spelled = number_in_words(stripped)
        if spelled is None:
            return Reply("invalid", message=f"type {expected}")
        number = float(spelled)
    if number != number or not question.minimum <= number <= question.maximum:
        return Reply("invalid", message=f"{number:g} is out of range: type {expected}")
    return Reply("answer", number)
