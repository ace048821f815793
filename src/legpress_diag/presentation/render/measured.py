"""A measured set in plain words, for a lifter: what was seen, and what could not be.

    knee angle at the bottom: about 62°, measured in 5 reps
    knees locked out at the top: no (confidence 0.90), measured in 5 reps

No question ids, no JSON: `legpress-diag measure --format table` prints these lines
(``measured_lines``), and every format a person reads shows a result's measured answers
the same way (``measured_items``, ``result_measured_lines``, ``because_parts``): the
terminal, Markdown, the HTML reports and the web page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...presentation.render.textsafe import terminal
from ...reasoning.result import BecauseOut, CauseOut, DiagnosisOut, MeasurementOut

if TYPE_CHECKING:
    # Types only: rendering a result must not import the measuring code.
    from ...knowledge.rulebase import RuleBase
    from ...measure import Measurement
    from ...measure.record import MeasuredOut

# The questions a filmed set can answer (measure.record.MEASURABLE), in its order.
LABELS = {
    "knee_angle_at_bottom": "knee angle at the bottom",
    "knees_lock_out": "knees locked out at the top",
    "rep_tempo": "rep tempo",
    "butt_lifts_off_seat": "butt lifts off the seat",
    "pelvis_tucks_under": "pelvis tucks under",
    "lower_back_rounds": "lower back rounds",
    "heels_lift": "heels lift off the plate",
}


def _value(key: str, answer: MeasuredOut) -> str:
    value = answer["value"]
    return f"about {value}°" if key == "knee_angle_at_bottom" else str(value)


def _reps(answer: MeasuredOut) -> str:
    count = len(answer["evidence"]["reps"])
    return f"measured in {count} rep{'s' if count != 1 else ''}"


def measured_lines(result: Measurement) -> Iterator[str]:
    """The measured answers, then what could not be measured and why, then notes."""
    record = result.record
    reps = len(result.reps)
    yield (f"Measured from {result.frames} frames: {reps} rep{'s' if reps != 1 else ''} found.")
    if record["measured"]:
        yield ""
    for key in LABELS:
        answer = record["measured"].get(key)
        if answer is not None:
            yield (
                f"  {LABELS[key]}: {_value(key, answer)}, {_reps(answer)} "
                f"(confidence {answer['confidence']:.2f})"
            )
            yield f"      {terminal(answer['evidence']['text'])}"
    reasons = set(record["not_measured"].values())
    if not record["measured"] and len(reasons) == 1:
        yield ""
        yield f"Nothing could be measured: {terminal(reasons.pop())}."
    elif record["not_measured"]:
        yield ""
        yield "Not measured (answer these yourself):"
        for key in LABELS:
            reason = record["not_measured"].get(key)
            if reason is not None:
                yield f"  {LABELS[key]}: {terminal(reason)}"
    if result.notes:
        yield ""
        yield from (f"Note: {terminal(note)}" for note in result.notes)


HEADING = "Measured from your filmed set"


def label(rb: RuleBase | None, question_id: str) -> str:
    """The short name of a measured question ("knee angle at the bottom")."""
    from .words import question_label

    return LABELS.get(question_id) or question_label(rb, question_id)


@dataclass(frozen=True)
class MeasuredItem:
    """One measured answer of a result, in words."""

    label: str  # "knee angle at the bottom"
    words: str  # "about 62°, measured in 5 reps"
    evidence: str  # what it rests on ('' when the record did not say)
    lifter_words: str | None  # the lifter's own answer, which was used instead

    @property
    def text(self) -> str:
        """The item in one sentence, without the evidence."""
        if self.lifter_words is not None:
            return (
                f"{self.label}: {self.lifter_words}, your own answer, used instead of the "
                f"measurement ({self.words})"
            )
        return f"{self.label}: {self.words}"

    @property
    def line(self) -> str:
        """The item with its evidence."""
        return f"{self.text}: {self.evidence}" if self.evidence else self.text


def measured_items(result: DiagnosisOut, rb: RuleBase | None) -> list[MeasuredItem]:
    """The result's measured answers (``measurements``), in question order."""
    return items_of(result.get("measurements", {}), rb)


def items_of(measurements: Mapping[str, MeasurementOut], rb: RuleBase | None) -> list[MeasuredItem]:
    """Measured answers (a result's ``measurements``, or a session's) in words."""
    return [
        MeasuredItem(
            label=label(rb, qid),
            words=entry["in_words"],
            evidence=entry["evidence"],
            lifter_words=entry.get("lifter_words"),
        )
        for qid, entry in measurements.items()
    ]


def result_measured_lines(result: DiagnosisOut, rb: RuleBase | None) -> list[str]:
    """The measured answers as plain lines under a heading (none when nothing was
    measured): what the terminal and the plain-text views print."""
    items = measured_items(result, rb)
    if not items:
        return []
    return [f"{HEADING}:", *(f"  {item.line}" for item in items)]


def is_measured(result: DiagnosisOut, question_id: str) -> bool:
    """The answer used is the measured one (the lifter did not change it)."""
    return question_id in result.get("measured", ())


def because_parts(
    result: DiagnosisOut, cause: CauseOut
) -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    """The answers behind a cause, split: (what the lifter said, what was measured),
    each as (question id, the answer in words); the caller names the question."""
    reasoning = cause.get("reasoning")
    because: Sequence[BecauseOut] = reasoning["because"] if reasoning is not None else ()
    words: dict[str, object] = {b["question"]: b["in_words"] for b in because}
    if not words:
        words = dict(cause["because"]["answers"])
    measurements = result.get("measurements", {})
    said: list[tuple[str, object]] = []
    measured: list[tuple[str, str]] = []
    for qid, shown in words.items():
        if is_measured(result, qid) and qid in measurements:
            measured.append((qid, measurements[qid]["in_words"]))
        else:
            said.append((qid, shown))
    return said, measured
