"""A measured set in plain words, for a lifter: what was seen, and what could not be.

    knee angle at the bottom: about 62°, measured in 5 reps
    knees locked out at the top: no (confidence 0.90), measured in 5 reps

No question ids, no JSON: `legpress-diag measure --format table` prints these lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...measure import Measurement
from ...measure.record import MEASURABLE, MeasuredOut
from ...presentation.render.textsafe import terminal

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
    for key in MEASURABLE:
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
        for key in MEASURABLE:
            reason = record["not_measured"].get(key)
            if reason is not None:
                yield f"  {LABELS[key]}: {terminal(reason)}"
    if result.notes:
        yield ""
        yield from (f"Note: {terminal(note)}" for note in result.notes)
