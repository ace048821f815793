"""What needs a still picture: the hip against the back pad, the heel against the plate.

Both compare a rep's bottom with its top in the picture's own coordinates: the seat
does not move, so neither may the camera (body.py's check says when it did).
"""

from __future__ import annotations

import math

from .context import (
    Context,
    Tally,
    listing,
    measured,
    per_rep,
    points,
    reps_word,
    unmeasured,
    yes_or_no,
)
from .geometry import direction, median, offset_from_line, turn
from .record import MeasuredOut
from .reps import Rep

LIFT_YES = 0.08  # thigh lengths off the seat line at the bottom: the butt lifts
LIFT_NO = 0.04  # this or less: it stays down
TUCK_TURN = 8.0  # degrees the hip-shoulder line turns with the lift: the pelvis rolls under
HEEL_YES = 10.0  # degrees the foot tips on the plate at the bottom: the heel lifts
HEEL_NO = 5.0

TORSO = ("shoulder", "hip", "knee")
FOOT = ("hip", "heel", "foot_index")

NO_LUMBAR_POINTS = (
    "cannot tell from these landmarks: MediaPipe Pose has no point on the spine "
    "between the shoulder and the hip, so the lower back's curve is not in them"
)


def _lift(ctx: Context, rep: Rep, tally: Tally, turns: list[float]) -> float | None:
    top = tally.seen(ctx, TORSO, ctx.top_frames(rep.start))
    deep = tally.seen(ctx, TORSO[:2], ctx.bottom_frames(rep))
    if len(top) < 2 or len(deep) < 2:
        return None
    shoulder, hip, knee = (points(ctx, limb, top) for limb in TORSO)
    # The seat line is the back on the pad at the top: shoulder to hip. The thigh lies
    # on the belly's side of it, and a butt leaving the pad moves the hip that way.
    belly = 1.0 if offset_from_line(knee, shoulder, hip) >= 0 else -1.0
    low_hip, low_shoulder = points(ctx, "hip", deep), points(ctx, "shoulder", deep)
    turns.append(abs(turn(direction(hip, shoulder), direction(low_hip, low_shoulder))))
    return belly * offset_from_line(low_hip, shoulder, hip) / ctx.thigh


def _hip_lift(ctx: Context) -> tuple[Tally, list[float]]:
    turns: list[float] = []
    return per_rep(ctx, TORSO, lambda rep, tally: _lift(ctx, rep, tally, turns)), turns


def butt_lifts_off_seat(ctx: Context) -> MeasuredOut | str:
    if ctx.gates.moving:
        return ctx.gates.moving
    tally, _ = _hip_lift(ctx)
    if not tally.values:
        return unmeasured(tally, "the shoulder, hip or knee", ctx)
    lifts = [v for _, v in tally.values]
    lift = median(lifts)
    text = (
        f"the hip at the bottom of each rep against the line of the back on the pad at "
        f"the top: a median {lift:.2f} thigh lengths off it over {reps_word(len(lifts))} "
        f"({listing(lifts, 2)}); off the seat from {LIFT_YES}"
    )
    between = (
        f"the hip left the seat line by a median {lift:.2f} thigh lengths at the bottom, "
        f"between {LIFT_NO} (on the seat) and {LIFT_YES} (off it)"
    )
    evidence = tally.evidence(text, "thigh lengths")
    return yes_or_no(lift, LIFT_NO, LIFT_YES, between, tally, evidence, 0.04)


def pelvis_tucks_under(ctx: Context) -> MeasuredOut | str:
    """Only a tuck big enough to lift the butt and turn the hip-shoulder line shows;
    the pelvis can also roll under around the hip joint itself, where MediaPipe puts
    the hip point, and then nothing in the landmarks moves."""
    cannot = (
        "cannot tell from these landmarks: the pelvis can roll under around the hip "
        "joint, where the hip point sits, without the hip or shoulder points moving"
    )
    if ctx.gates.moving:
        return ctx.gates.moving
    tally, turns = _hip_lift(ctx)
    if not tally.values:
        return unmeasured(tally, "the shoulder, hip or knee", ctx)
    lift, turned = median([v for _, v in tally.values]), median(turns)
    if lift < LIFT_YES or turned < TUCK_TURN:
        return cannot
    text = (
        f"at the bottom the hip left the back pad's line by a median {lift:.2f} thigh "
        f"lengths and the hip-shoulder line turned {turned:.0f}° over "
        f"{reps_word(len(turns))}: the pelvis rolled up off the seat"
    )
    tally.values = [(rep, t) for (rep, _), t in zip(tally.values, turns, strict=True)]
    return measured("yes", tally, tally.evidence(text, "degrees"), 5.0)


def lower_back_rounds(ctx: Context) -> MeasuredOut | str:
    return NO_LUMBAR_POINTS


def _heel(ctx: Context, rep: Rep, tally: Tally) -> float | None:
    top = tally.seen(ctx, FOOT, ctx.top_frames(rep.start))
    deep = tally.seen(ctx, FOOT[1:], ctx.bottom_frames(rep))
    if len(top) < 2 or len(deep) < 2:
        return None
    hip, heel, toe = (points(ctx, limb, top) for limb in FOOT)
    low_heel, low_toe = points(ctx, "heel", deep), points(ctx, "foot_index", deep)
    # The plate at the bottom: the foot's line at the top (flat on the plate), moved
    # with the toes, which stay on it. The body is on the hip's side of the plate.
    body = 1.0 if offset_from_line(hip, toe, heel) >= 0 else -1.0
    along = (low_toe[0] + heel[0] - toe[0], low_toe[1] + heel[1] - toe[1])
    foot = math.dist(heel, toe)
    if foot == 0:
        return None
    rise = body * offset_from_line(low_heel, low_toe, along) / foot
    return math.degrees(math.asin(max(-1.0, min(1.0, rise))))


def heels_lift(ctx: Context) -> MeasuredOut | str:
    if ctx.gates.moving:
        return ctx.gates.moving
    tally = per_rep(ctx, FOOT, lambda rep, t: _heel(ctx, rep, t))
    if not tally.values:
        return unmeasured(tally, "the heel or toes", ctx)
    tips = [v for _, v in tally.values]
    tip = median(tips)
    text = (
        f"the heel-to-toe line at the bottom of each rep against the top: the foot tipped "
        f"heel-up a median {tip:.0f}° over {reps_word(len(tips))} ({listing(tips)}°); "
        f"the heel lifts from {HEEL_YES:.0f}°"
    )
    between = (
        f"the foot tipped a median {tip:.0f}° on the plate at the bottom, between "
        f"{HEEL_NO:.0f}° (flat) and {HEEL_YES:.0f}° (heel up)"
    )
    evidence = tally.evidence(text, "degrees")
    return yes_or_no(tip, HEEL_NO, HEEL_YES, between, tally, evidence, 4.0)
