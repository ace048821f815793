"""Check one record's answers against the questions and normalize them.

Normalized values are what compiled conditions read: yes/no as bool, a choice as
its string, a multi-choice as a frozenset, a number as float. ``unsure`` and
``null`` mean the same as a missing answer: unknown, except on the safety screen,
where both are "not sure" (reasoning/safety.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..foundation.problems import did_you_mean
from ..knowledge.index import fold_key
from ..knowledge.rulebase import Question, QuestionType, RuleBase
from .result import ProblemOut

# How people write yes, no and "not sure". A batch record and a reply at the
# questionnaire's prompt (intake/replies.py) read them alike, so the same words give
# the same diagnosis in both. "none of these" is how the safety screen offers "no".
YES_WORDS = frozenset({"yes", "y", "yep", "yeah", "yup", "yea"})
NO_WORDS = frozenset({"no", "n", "nope", "nah", "none", "none of these", "none of them", "nothing"})
UNSURE_WORDS = frozenset(
    {
        "unsure",
        "?",
        "skip",
        "not sure",
        "notsure",
        "don't know",
        "dont know",
        "do not know",
        "idk",
        "dunno",
        "maybe",
        "perhaps",
        "no idea",
        # Hedged: to "numbness in the saddle area?" it is not a clear no.
        "not really",
    }
)


def words(text: str) -> str:
    """A reply as compared with the words above: lower case, inner spaces collapsed,
    trailing full stops and '!' dropped, a typographic apostrophe made plain."""
    return " ".join(text.strip().lower().rstrip(".!").split()).replace("\u2019", "'")


def is_unsure(value: Any) -> bool:
    """A "not sure" in any of its forms (never a "no")."""
    return isinstance(value, str) and words(value) in UNSURE_WORDS


_SHOWN_CHARS = 60
# Unknown names listed per record (unknown answer keys here, unknown record fields
# in records.py); past this many, one summary line counts the rest. Keeps a record
# with 20,000 junk keys from costing 20,000 suggestions and 20,000 warning lines.
MAX_UNKNOWN_LISTED = 20
# Of those, the first few are compared with every question id for a "did you mean";
# each listed one is compared with the safety questions, so a misspelt safety key is
# always named. A record of 20 near-miss keys cost 20 full comparisons (issue 20: 50 s
# of CPU per MiB); now the work per record is bounded by these two caps.
MAX_SUGGESTED = 3
# difflib's ratio above which an unknown key is taken for a safety question misspelt
# (one letter off in a 15-letter id is about 0.97; 'saddle_setup' against
# 'saddle_numbness' is about 0.6).
TYPO_CUTOFF = 0.85


@dataclass(frozen=True)
class AnswerProblem:
    """What is wrong with one answer: the key, the value (shortened) and what was expected."""

    key: str
    message: str
    value: str | None = None
    expected: str | None = None

    def to_dict(self) -> ProblemOut:
        return {
            "key": self.key,
            "value": self.value,
            "message": self.message,
            "expected": self.expected,
        }


def show_value(value: Any) -> str:
    """A short, safe rendering of any JSON value for messages (never a megabyte)."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


class InvalidAnswer(Exception):
    """A value its question cannot take; ``message`` says why: what the value "is"
    ("out of range"), or with ``about_items`` a sentence about the items of a list."""

    def __init__(self, message: str, *, about_items: bool = False) -> None:
        self.message = message
        self.about_items = about_items


MAX_BAD_ITEMS = 5  # wrong items of a multi-choice answer named one by one


def normalize_value(question: Question, value: Any) -> Any:
    """The normalized value, None for unknown; raises InvalidAnswer with a reason."""
    if value is None:
        return None
    kind = question.type
    if kind is QuestionType.YES_NO:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            said = words(value)
            if said in YES_WORDS:
                return True
            if said in NO_WORDS:
                return False
            if said in UNSURE_WORDS:
                return None
        raise InvalidAnswer("not a yes/no answer")
    if kind is QuestionType.CHOICE:
        if isinstance(value, str) and value in question.choice_values:
            return value
        hint = did_you_mean(value, question.choice_values) if isinstance(value, str) else None
        raise InvalidAnswer("not one of the choices" + (f"; {hint}" if hint else ""))
    if kind is QuestionType.MULTI:
        if not isinstance(value, list):
            hint = f'; write ["{value}"]' if isinstance(value, str) and len(value) < 40 else ""
            raise InvalidAnswer("not a list" + hint)
        bad = [
            item for item in value if not (isinstance(item, str) and item in question.choice_values)
        ]
        if bad:
            # Every wrong item, each with its suggestion: fixing one typo at a time
            # would take as many runs as there are typos.
            named = []
            for item in bad[:MAX_BAD_ITEMS]:
                # did_you_mean skips a name far longer than any choice: no cost to bound.
                hint = did_you_mean(item, question.choice_values) if isinstance(item, str) else None
                named.append(show_value(item) + (f" ({hint})" if hint else ""))
            more = f" and {len(bad) - MAX_BAD_ITEMS} more" if len(bad) > MAX_BAD_ITEMS else ""
            if len(bad) == 1:
                raise InvalidAnswer(f"{named[0]} is not one of the choices", about_items=True)
            raise InvalidAnswer(
                f"{', '.join(named)}{more} are not among the choices", about_items=True
            )
        return frozenset(value)
    if is_unsure(value):
        return None  # unknown; on the safety screen (age) the screen reads it as unsure
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidAnswer("not a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidAnswer("not a finite number")
    assert question.minimum is not None and question.maximum is not None
    if not question.minimum <= number <= question.maximum:
        raise InvalidAnswer("out of range")
    return number


def normalize_answers(
    rb: RuleBase, raw: Mapping[str, Any], *, strict: bool = False
) -> tuple[dict[str, Any], list[AnswerProblem], list[AnswerProblem]]:
    """(answers, errors, warnings). Unknown keys warn, or are errors when ``strict``."""
    answers: dict[str, Any] = {}
    errors: list[AnswerProblem] = []
    warnings: list[AnswerProblem] = []
    unknown = suggested = 0
    folded: set[str] = set()
    for key, value in raw.items():
        question = rb.questions.get(key)
        if question is None and isinstance(key, str):
            meant = read_as(rb, key, raw)
            if meant is not None and meant not in folded:
                folded.add(meant)  # a second spelling of the same key stays unknown
                # 'Saddle_Numbness' is saddle_numbness: read, never dropped (a safety
                # answer lost to a capital letter would be a warning sign missed).
                (errors if strict else warnings).append(
                    AnswerProblem(
                        key=key,
                        message=f"{key}: read as '{meant}' (the key differs in case, spacing or "
                        "look-alike letters)",
                        value=show_value(value),
                        expected=f"the key written exactly: '{meant}'",
                    )
                )
                key, question = meant, rb.questions[meant]
        if question is None:
            unknown += 1
            if unknown > MAX_UNKNOWN_LISTED:
                continue
            if not isinstance(key, str):  # only from the Python API: JSON keys are text
                errors.append(
                    AnswerProblem(
                        key=show_value(key),
                        message=f"{show_value(key)}: an answer key must be a string",
                        value=show_value(value),
                        expected="a question id (a string)",
                    )
                )
                continue
            suggested += 1
            safety = misspelt_safety_id(rb, key)
            if safety is not None:
                hint: str | None = f"did you mean '{safety}'?"
            else:
                hint = did_you_mean(key, rb.questions) if suggested <= MAX_SUGGESTED else None
            shown = show_value(key)[1:-1] if len(key) > _SHOWN_CHARS else key
            problem = AnswerProblem(
                key=shown,
                # Named in the message too, as every other problem is, so a CSV cell or
                # a log line that carries only messages still says which key it was.
                message=f"{shown}: unknown question id" + (f"; {hint}" if hint else ""),
                value=show_value(value),
                expected="a question id of the rule base (see 'legpress-diag rules show')",
            )
            (errors if strict else warnings).append(problem)
            continue
        # The common, already-clean answers skip normalize_value (same results; the
        # exact type checks keep True apart from 1 and "yes" apart from " Yes").
        kind, cls = question.type, value.__class__
        if cls is str:
            if kind is QuestionType.YES_NO and (value == "yes" or value == "no"):
                answers[key] = value == "yes"
                continue
            if kind is QuestionType.CHOICE and value in question.labels:
                answers[key] = value
                continue
        elif cls is bool and kind is QuestionType.YES_NO:
            answers[key] = value
            continue
        elif cls is int and kind is QuestionType.NUMBER:
            low, high = question.minimum, question.maximum
            if low is not None and high is not None and low <= value <= high:
                answers[key] = float(value)
                continue
        if kind is QuestionType.NUMBER and cls is str:
            number = number_in_text(value)
            if number is not None:
                # '"70"' for an age is 70: read as text it would be unreadable, and an
                # unreadable age lowers every age-combined warning sign to a guess.
                warnings.append(
                    AnswerProblem(
                        key=key,
                        message=f"{key}: {show_value(value)} is text; read as the number "
                        f"{number:g}",
                        value=show_value(value),
                        expected=question.expected() + ", without quotes",
                    )
                )
                value = number
        try:
            normalized = normalize_value(question, value)
        except InvalidAnswer as exc:
            errors.append(
                AnswerProblem(
                    key=key,
                    message=f"{key}: {exc.message}"
                    if exc.about_items
                    else f"{key}: {show_value(value)} is {exc.message}",
                    value=show_value(value),
                    expected=question.expected(),
                )
            )
            continue
        if normalized is not None:
            answers[key] = normalized
    if unknown > MAX_UNKNOWN_LISTED:
        (errors if strict else warnings).append(
            unlisted("answers", unknown - MAX_UNKNOWN_LISTED, "unknown question ids")
        )
    return answers, errors, warnings


_UNIT = re.compile(r"\s*(years?( old)?|yrs?|y/?o|degrees?|deg|°)$", re.IGNORECASE)


def number_in_text(text: str) -> float | None:
    """The number a short text writes plainly ('70', ' 62.5 '), or None: no words, no
    units, nothing that only Python reads as a number ('1_000', 'nan', 'inf')."""
    stripped = text.strip()
    if not stripped or len(stripped) > 20:
        return None
    # "70 years", "70 yrs", "70 y/o", "62 degrees", "62°": the number with its unit.
    stripped = _UNIT.sub("", stripped).strip()
    if not stripped:
        return None
    body = stripped[1:] if stripped[0] in "+-" else stripped
    if not body.replace(".", "", 1).isdigit() or not body.isascii():
        return None
    return float(stripped)


def misspelt_safety_id(rb: RuleBase, key: str) -> str | None:
    """The safety question an unknown key very likely misspells ('saddle_numbnes'),
    or None. Kept by key: a misspelt column repeats in every row of a batch."""
    safety = rb.index.screen_questions
    if len(key) > 2 * max((len(q) for q in safety), default=0):
        return None  # no typo of any of them (and a megabyte is never folded or kept)
    return _close_safety(fold_key(key), safety)


@lru_cache(maxsize=4096)
def _close_safety(folded: str, safety: tuple[str, ...]) -> str | None:
    import difflib  # only needed when something is misspelt

    close = difflib.get_close_matches(folded, safety, n=1, cutoff=TYPO_CUTOFF)
    return close[0] if close else None


def read_as(rb: RuleBase, key: Any, raw: Mapping[str, Any]) -> str | None:
    """The question an unknown key is read as when it differs from the id only in
    case, spaces or '-' (see fold_key); None when the exact key is also there. Batch,
    the API and a resumed questionnaire all read keys through this."""
    if not isinstance(key, str) or len(key) > 2 * _SHOWN_CHARS:
        return None
    meant = rb.index.folded_ids.get(fold_key(key))
    return meant if meant is not None and meant not in raw else None


def unlisted(key: str, count: int, what: str) -> AnswerProblem:
    """The one problem that stands for ``count`` more of the same kind, not listed."""
    return AnswerProblem(
        key=key,
        message=f"and {count} more {what} (only the first {MAX_UNKNOWN_LISTED} are listed)",
    )


def denormalize(question: Question, value: Any) -> Any:
    """Back to the contract's JSON form (for saved sessions and explanations)."""
    if question.type is QuestionType.YES_NO:
        return "yes" if value else "no"
    if question.type is QuestionType.MULTI:
        order = question.choice_values
        return sorted(value, key=order.index)
    if question.type is QuestionType.NUMBER and float(value).is_integer():
        return int(value)
    return value
