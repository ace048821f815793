"""What the knee angle alone shows: depth, lockout and tempo.

The knee angle does not change when the camera moves, turns or zooms, so these
three are measured with a hand-held camera too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .body import LEG
from .context import (
    Context,
    Tally,
    listing,
    measured,
    per_rep,
    reps_word,
    unmeasured,
    yes_or_no,
)
from .geometry import median, parabola_low
from .record import MeasuredOut, Tempo
from .reps import Rep

LOCKED = 172.0  # a top angle at or above this: the knees lock out
NOT_LOCKED = 165.0  # at or below this: they stop short of straight
FAST_LOWERING = 1.0  # seconds: quicker than this is dropping the sled
SLOW_LOWERING = 2.0  # seconds: this or slower is a slow, controlled rep
BOUNCE_SECONDS = 0.3  # how long before and after the bottom the speed is taken
BOUNCE_SPEED = 0.8  # both as fast as this share of the rep's lowering speed: a bounce
BOUNCE_FLOOR = 30.0  # degrees per second: slower than this is no bounce, whatever the share
MIN_TEMPO_FPS = 15.0


def knee_angle_at_bottom(ctx: Context) -> MeasuredOut | str:
    def one(rep: Rep, tally: Tally) -> float | None:
        frames = tally.seen(ctx, LEG, ctx.bottom_frames(rep))
        if len(frames) < 2:
            return None
        # The lowest point of a parabola fitted to the frames around the bottom: the
        # deepest single frame is pulled down by noise, and a smoothed curve cuts the
        # corner of a quick turn. A turn too sharp for a parabola takes the median.
        angles = [ctx.angles[i] or 0.0 for i in frames]
        low = parabola_low([float(i - rep.bottom) for i in frames], angles)
        return median(angles) if low is None else low

    tally = per_rep(ctx, LEG, one)
    if not tally.values:
        return unmeasured(tally, "the hip, knee or ankle", ctx)
    angles = [v for _, v in tally.values]
    value = min(180, max(20, round(median(angles))))
    text = (
        f"the hip-knee-ankle angle at the deepest point of each rep: median {value}° over "
        f"{reps_word(len(angles))} ({listing(angles)}°)"
    )
    return measured(value, tally, tally.evidence(text, "degrees"), 15.0)


def knees_lock_out(ctx: Context) -> MeasuredOut | str:
    def one(rep: Rep, tally: Tally) -> float | None:
        frames = tally.seen(ctx, LEG, ctx.top_frames(rep.end))
        if len(frames) < 2:
            return None
        return median([ctx.angles[i] or 0.0 for i in frames])

    tally = per_rep(ctx, LEG, one)
    if not tally.values:
        return unmeasured(tally, "the hip, knee or ankle", ctx)
    tops = [v for _, v in tally.values]
    top = median(tops)
    text = (
        f"the knee angle at the top of each rep: median {top:.0f}° over "
        f"{reps_word(len(tops))} ({listing(tops)}°); straight at {LOCKED:.0f}° or more "
        f"in {sum(v >= LOCKED for v in tops)} of them"
    )
    between = (
        f"the knee reached a median {top:.0f}° at the top, between {NOT_LOCKED:.0f}° "
        f"(clearly short of straight) and {LOCKED:.0f}° (locked out)"
    )
    return yes_or_no(top, NOT_LOCKED, LOCKED, between, tally, tally.evidence(text, "degrees"), 5.0)


def _slope(ctx: Context, frames: Sequence[int]) -> tuple[float, float] | None:
    """Least-squares degrees per second of the knee angle over ``frames``, and how
    much one degree of noise per frame moves that slope (its standard error per
    degree)."""
    seen = [i for i in frames if ctx.angles[i] is not None]
    if len(seen) < 3:
        return None
    times = ctx.body.marks.times
    t0 = sum(times[i] for i in seen) / len(seen)
    a0 = sum(ctx.angles[i] or 0.0 for i in seen) / len(seen)
    den = sum((times[i] - t0) ** 2 for i in seen)
    num = sum((times[i] - t0) * ((ctx.angles[i] or 0.0) - a0) for i in seen)
    return (num / den, 1 / math.sqrt(den)) if den else None


def angle_noise(angles: Sequence[float | None]) -> float:
    """The knee angle's frame-to-frame noise in degrees, from second differences
    (which a smooth movement barely has): a robust standard deviation."""
    steps = [
        abs(a - 2 * b + c)
        for a, b, c in zip(angles, angles[1:], angles[2:], strict=False)
        if a is not None and b is not None and c is not None
    ]
    return 1.4826 * median(steps) / math.sqrt(6) if steps else 0.0


def _bounced(ctx: Context, rep: Rep, noise: float) -> bool:
    """A sharp turn at the bottom: the knee still moving at nearly the rep's lowering
    speed just before the deepest point and again just after it, by more than the
    noise could make it seem (one standard error of each slope)."""
    times = ctx.body.marks.times
    reach = max(2, round(BOUNCE_SECONDS * ctx.fps))
    lowering = times[rep.bottom] - times[rep.start]
    speed = (ctx.curve[rep.start] - ctx.curve[rep.bottom]) / lowering if lowering else 0.0
    down = _slope(ctx, range(max(rep.start, rep.bottom - reach), rep.bottom + 1))
    up = _slope(ctx, range(rep.bottom, min(rep.end, rep.bottom + reach) + 1))
    if speed <= 0 or down is None or up is None:
        return False
    least = max(BOUNCE_SPEED * speed, BOUNCE_FLOOR)
    return -down[0] - noise * down[1] >= least and up[0] - noise * up[1] >= least


def rep_tempo(ctx: Context) -> MeasuredOut | str:
    if ctx.fps < MIN_TEMPO_FPS:
        return f"the video has {ctx.fps:g} frames per second; timing a rep needs 15 or more"
    times = ctx.body.marks.times

    def one(rep: Rep, tally: Tally) -> float | None:
        tally.seen(ctx, LEG, range(rep.start, rep.end + 1))
        return times[rep.bottom] - times[rep.start]

    tally = per_rep(ctx, LEG, one)
    if not tally.values:
        return unmeasured(tally, "the knee", ctx)
    lowering = median([v for _, v in tally.values])
    noise = angle_noise(ctx.angles)
    bounces = sum(_bounced(ctx, rep, noise) for rep, _ in tally.values)
    bounced = bounces * 2 >= len(tally.values)
    value: Tempo = (
        "fast"
        if lowering < FAST_LOWERING or bounced
        else "slow"
        if lowering >= SLOW_LOWERING
        else "moderate"
    )
    near = min(abs(lowering - FAST_LOWERING), abs(lowering - SLOW_LOWERING)) < 0.15
    text = (
        f"lowering took a median {lowering:.1f} s over {reps_word(len(tally.values))} "
        f"({listing([v for _, v in tally.values], 1)} s); a bounce at the bottom in "
        f"{bounces} of them; fast under {FAST_LOWERING:g} s or with a bounce, slow from "
        f"{SLOW_LOWERING:g} s"
    )
    return measured(value, tally, tally.evidence(text, "seconds"), 0.5, clear=not near or bounced)
