"""Measured answers: a filmed set's body landmarks in, an answer record out.

    from legpress_diag.measure import measure, read_landmarks
    with open("set.json", "rb") as f:
        result = measure(read_landmarks(f))
    result.record  # {"answers": ..., "measured": ..., "not_measured": ...}

The pipeline: landmarks.py checks the input, body.py takes the side facing the camera
and checks it can be measured, reps.py finds the reps on the knee angle, knee.py and
seat.py measure, and record.py is the shape of the answer. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import knee, seat
from .body import LEG, SideBody, check_view, knee_angles
from .context import Context
from .landmarks import (
    MAX_BYTES,
    MAX_FRAMES,
    Landmarks,
    LandmarksError,
    Side,
    check_landmarks,
    parse_landmarks,
    read_landmarks,
)
from .record import MEASURABLE, MeasuredOut, MeasureRecord
from .reps import Rep, find_reps

__all__ = [
    "MAX_BYTES",
    "MAX_FRAMES",
    "MEASURABLE",
    "MEASURES",
    "Landmarks",
    "LandmarksError",
    "MeasureRecord",
    "Measurement",
    "check_landmarks",
    "measure",
    "measure_video",
    "parse_landmarks",
    "read_landmarks",
]

MEASURES: dict[str, Callable[[Context], MeasuredOut | str]] = {
    "knee_angle_at_bottom": knee.knee_angle_at_bottom,
    "knees_lock_out": knee.knees_lock_out,
    "rep_tempo": knee.rep_tempo,
    "butt_lifts_off_seat": seat.butt_lifts_off_seat,
    "pelvis_tucks_under": seat.pelvis_tucks_under,
    "lower_back_rounds": seat.lower_back_rounds,
    "heels_lift": seat.heels_lift,
}


@dataclass(frozen=True)
class Measurement:
    """The answer record, and what a person is told beside it."""

    record: MeasureRecord
    reps: tuple[Rep, ...]
    frames: int
    notes: tuple[str, ...]  # frames and reps left out, and why


def measure(marks: Landmarks) -> Measurement:
    """Measure every answer the landmarks can give; each one that cannot be measured
    gets its reason instead (never a guess)."""
    body = SideBody(marks)
    gates = check_view(body)
    record = MeasureRecord(answers={}, measured={}, not_measured={})
    if gates.blocked:
        record["not_measured"] = dict.fromkeys(MEASURABLE, gates.blocked)
        return Measurement(record, (), marks.frames, ())
    angles = knee_angles(body)
    search = find_reps(angles, marks.times, marks.fps)
    notes = list(search.dropped)
    hidden = sum(a is None for a in angles)
    if hidden:
        notes.insert(
            0,
            f"{hidden} of {marks.frames} frames left out: the {marks.view} "
            f"{', '.join(LEG[:2])} or {LEG[2]} was hidden (visibility below 0.5)",
        )
    if not search.reps:
        reason = _no_reps(search.travel, bool(search.dropped))
        record["not_measured"] = dict.fromkeys(MEASURABLE, reason)
        return Measurement(record, (), marks.frames, tuple(notes))
    ctx = Context(body, gates, search.reps, search.smooth, tuple(angles))
    for key, how in MEASURES.items():
        outcome = how(ctx)
        if isinstance(outcome, str):
            record["not_measured"][key] = outcome
        else:
            record["measured"][key] = outcome
            record["answers"][key] = outcome["value"]
    return Measurement(record, search.reps, marks.frames, tuple(notes))


def measure_video(
    path: Path,
    view: Side | None = None,
    *,
    max_seconds: float | None = None,
    check: Callable[[], None] | None = None,
) -> Measurement:
    """Measure a video file (needs the measure extra; see video.py): at most
    ``max_seconds`` of it (default: video.MAX_VIDEO_SECONDS), ``check`` run before each
    frame."""
    from .video import MAX_VIDEO_SECONDS, read_video

    marks, found = read_video(
        path,
        view,
        max_seconds=MAX_VIDEO_SECONDS if max_seconds is None else max_seconds,
        check=check or (lambda: None),
    )
    if not found:
        reason = f"no person was found in any of the {marks.frames} frames of the video"
        return Measurement(
            MeasureRecord(answers={}, measured={}, not_measured=dict.fromkeys(MEASURABLE, reason)),
            (),
            marks.frames,
            (),
        )
    result = measure(marks)
    seen = f"MediaPipe found a person in {found} of {marks.frames} frames ({marks.view} side)"
    return replace(result, notes=(seen, *result.notes))


def _no_reps(travel: float, dropped: bool) -> str:
    if dropped:
        return "no rep was seen whole: the knee was hidden in the middle of each"
    return (
        f"no reps were found: the knee angle moved through {travel:.0f}° at most, and a "
        "rep bends it by 20° or more"
    )
