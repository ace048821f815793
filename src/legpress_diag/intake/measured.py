"""What a result says of answers measured from a filmed set (contract v3, section 3a).

A record from `legpress-diag measure` carries, beside its answers, ``measured``: each
measured answer's value, confidence and evidence. The result lists the answers that
are still the measured value (``measured``, by id) and, for a person to read,
``measurements``: each one in words with what it rests on. An answer the lifter
changed is theirs and is the one used; it stays in ``measurements`` with
``lifter_answer``, so every format can say "measured yes, you said no".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..foundation.jsonvalue import JsonValue
from ..knowledge.rulebase import QuestionType, RuleBase

if TYPE_CHECKING:
    from .questionnaire import SessionState
from ..reasoning.answers import denormalize
from ..reasoning.explanation import in_words
from ..reasoning.result import AnswerValue, MeasurementOut
from .answers import normalize_answers


def same_answer(measured: object, answer: object) -> bool:
    """62 and 62.0 are the same answer; JSON's true is a yes, never the number 1."""
    if isinstance(measured, bool) or isinstance(answer, bool):
        return measured is answer
    if isinstance(measured, int | float) and isinstance(answer, int | float):
        return measured == answer
    return type(measured) is type(answer) and bool(measured == answer)


def evidence_text(entry: Mapping[str, JsonValue]) -> str:
    """The evidence in words: `measure` writes an object with ``text``; a client may
    send the text alone (the contract's short form)."""
    evidence = entry.get("evidence")
    if isinstance(evidence, Mapping):
        evidence = evidence.get("text")
    return evidence if isinstance(evidence, str) else ""


def rep_count(entry: Mapping[str, JsonValue]) -> int:
    """How many reps the measurement rests on (0 when the record does not say)."""
    evidence = entry.get("evidence")
    reps = evidence.get("reps") if isinstance(evidence, Mapping) else None
    return len(reps) if isinstance(reps, list) else 0


def as_given(rb: RuleBase, question_id: str, value: JsonValue) -> AnswerValue | None:
    """An answer in the contract's form (a JSON true is "yes"); None when it is no
    valid answer to the question (an "unsure" too)."""
    normalized, errors, _ = normalize_answers(rb, {question_id: value})
    if errors or question_id not in normalized:
        return None
    shown: AnswerValue = denormalize(rb.questions[question_id], normalized[question_id])
    return shown


def value_words(rb: RuleBase, question_id: str, value: JsonValue) -> str:
    """An answer as a person reads it: "about 62°", "yes", "fast, dropping ..."."""
    question = rb.questions[question_id]
    if value == "unsure":
        return "not sure"
    normalized, errors, _ = normalize_answers(rb, {question_id: value})
    if errors or question_id not in normalized:
        return str(value)
    if question.type is QuestionType.NUMBER:
        number = normalized[question_id]
        shown = f"{number:g}°" if question.unit == "degrees" else f"{number:g} {question.unit}"
        return f"about {shown.strip()}"
    words = in_words(rb, question_id, normalized[question_id])
    return words[:1].lower() + words[1:] if isinstance(words, str) else str(words)


def measured_words(rb: RuleBase, question_id: str, entry: Mapping[str, JsonValue]) -> str:
    """ "about 62°, measured in 5 reps" (or "..., measured" when the reps are not said).
    A choice is named by its value ("fast"): its label describes more than was seen."""
    reps = rep_count(entry)
    where = f" in {reps} rep{'s' if reps != 1 else ''}" if reps else ""
    value = entry.get("value")
    if rb.questions[question_id].type is QuestionType.CHOICE and isinstance(value, str):
        shown = value.replace("_", " ")
    else:
        shown = value_words(rb, question_id, value)
    return f"{shown}, measured{where}"


def measurements(
    rb: RuleBase, answers: Mapping[str, JsonValue], measured: Mapping[str, Mapping[str, JsonValue]]
) -> dict[str, MeasurementOut]:
    """The result's ``measurements``: each measured answer of a question the rule base
    asks, in the record's order, with the lifter's own answer where it differs."""
    out: dict[str, MeasurementOut] = {}
    for qid, entry in measured.items():  # the record's order: `measure` writes the knee first
        if qid not in rb.questions:
            continue
        value = as_given(rb, qid, entry.get("value"))
        if value is None or qid not in answers:
            continue  # a value no answer could be was never used: nothing to show
        confidence = entry.get("confidence")
        one = MeasurementOut(
            value=value,
            in_words=measured_words(rb, qid, entry),
            evidence=evidence_text(entry),
            reps=rep_count(entry),
            confidence=float(confidence) if isinstance(confidence, int | float) else 0.0,
        )
        if not same_answer(entry["value"], answers[qid]):
            given = answers[qid]
            one["lifter_answer"] = as_given(rb, qid, given) or "unsure"
            one["lifter_words"] = value_words(rb, qid, given)
        out[qid] = one
    return out


def to_review(rb: RuleBase, state: SessionState) -> list[str]:
    """The questions a session brought answered by measurement (``ask --answers`` with
    a record from `legpress-diag measure`), in the record's order: what ``ask`` shows
    before the first question, with a way to correct each."""
    return [q for q in state.measured if q in rb.questions and q in state.prefilled]


def session_measurements(rb: RuleBase, state: SessionState) -> dict[str, MeasurementOut]:
    """``measurements`` for the answers a session holds now: the measured ones, and
    those the lifter changed (a skipped one is the lifter's "not sure")."""
    given: dict[str, JsonValue] = {
        qid: denormalize(rb.questions[qid], value)
        for qid, value in state.answers.items()
        if qid in rb.questions
    }
    given.update({qid: "unsure" for qid in state.skipped if qid in rb.questions})
    return measurements(rb, given, state.measured)


__all__ = [
    "as_given",
    "evidence_text",
    "measured_words",
    "measurements",
    "same_answer",
    "session_measurements",
    "to_review",
    "value_words",
]
