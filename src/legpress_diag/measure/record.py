"""The shape of what `legpress-diag measure` prints (contract v3, section 3a).

An answer record, as `diagnose` and `ask --answers` read it, with the measurements
beside its answers::

    {"answers": {"knee_angle_at_bottom": 62},
     "measured": {"knee_angle_at_bottom": {"value": 62, "confidence": 0.9,
                                           "evidence": {"text": "...", ...}}},
     "not_measured": {"heels_lift": "the heel was hidden in 140 of 150 frames"}}
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

MeasuredValue = str | int

# The questions a filmed set can answer, in the order a person reads them.
MEASURABLE = (
    "knee_angle_at_bottom",
    "knees_lock_out",
    "rep_tempo",
    "butt_lifts_off_seat",
    "pelvis_tucks_under",
    "lower_back_rounds",
    "heels_lift",
)


class RepEvidence(TypedDict):
    """One rep's part in a measurement."""

    rep: int
    """the rep's number, counted from 1"""
    start: int
    """the frame where lowering began (frames count from 0)"""
    bottom: int
    """the deepest frame"""
    end: int
    """the frame where the legs were straight again"""
    value: float
    """this rep's measurement, in the evidence's unit"""


class EvidenceOut(TypedDict):
    """What a measurement rests on."""

    text: str
    """the measurement in plain words"""
    unit: str
    """the unit of each rep's value: degrees, seconds, thigh lengths"""
    reps: list[RepEvidence]
    """the reps measured, in order"""
    frames_left_out: int
    """frames inside the measured windows left out because a point was hidden
    (MediaPipe's visibility below 0.5)"""


class MeasuredOut(TypedDict):
    value: MeasuredValue
    confidence: float
    """0 to 1: lower with fewer reps, more hidden frames, reps that disagree, or a
    value near the line between two answers"""
    evidence: EvidenceOut


class MeasureRecord(TypedDict):
    """An answer record with its measurements: what `legpress-diag measure` prints."""

    answers: dict[str, MeasuredValue]
    measured: dict[str, MeasuredOut]
    not_measured: dict[str, str]
    """question id -> why it could not be measured"""


Tempo = Literal["slow", "moderate", "fast"]
