"""Reps from the knee angle over time: smoothing, then hysteresis.

A rep on any leg press is the knee bending and straightening again, whatever the
machine's angle, so the reps are found on the knee angle alone: frames with the hip,
knee or ankle hidden are filled in over short gaps, the curve is smoothed (a moving
median drops single wild frames, a moving mean the jitter), and a rep is counted only
when the curve goes from the top band through the bottom band and back to the top
band. Between the bands nothing changes state, so jitter at a pause cannot count a
rep twice, and a half rep that never reaches the bottom band is not a rep.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .geometry import median, percentile

MIN_RANGE = 20.0  # degrees of knee travel below which nothing counts as a rep
TOP_BAND = 0.70  # above low + 0.70 x range: at the top
BOTTOM_BAND = 0.35  # below low + 0.35 x range: at the bottom
TOP_TOLERANCE = 3.0  # degrees under the top's highest point that still count as the top
START_TOLERANCE = 1.5  # degrees under the top where lowering is taken to begin
BOTTOM_TOLERANCE = 1.0  # degrees over the lowest point that still count as the bottom
SMOOTH_SECONDS = 0.10  # the smoothing windows' width
MIN_REP_SECONDS = 0.3  # shorter swings are noise, not reps
MAX_GAP_SECONDS = 0.3  # a longer run of hidden frames inside a rep drops that rep


@dataclass(frozen=True)
class Rep:
    """One rep by frame index: lowering begins at ``start``, the deepest point is
    ``bottom``, the legs are straight again at ``end``."""

    number: int
    start: int
    bottom: int
    end: int


@dataclass(frozen=True)
class RepSearch:
    """The reps found, the smoothed curve they were found on, and what was dropped."""

    reps: tuple[Rep, ...]
    smooth: tuple[float, ...]
    travel: float  # degrees between the curve's low and high (5th and 95th percentile)
    dropped: tuple[str, ...]  # why reps were left out (a hidden knee mid-rep)


def _fill(values: Sequence[float | None]) -> list[float]:
    """Hidden frames filled by linear interpolation (held flat at the ends)."""
    known = [i for i, v in enumerate(values) if v is not None]
    filled = [0.0] * len(values)
    if not known:
        return filled
    for i in range(known[0] + 1):
        filled[i] = values[known[0]] or 0.0
    for a, b in itertools.pairwise(known):
        va, vb = values[a] or 0.0, values[b] or 0.0
        for i in range(a, b + 1):
            filled[i] = va + (vb - va) * (i - a) / (b - a)
    for i in range(known[-1], len(values)):
        filled[i] = values[known[-1]] or 0.0
    return filled


def _window(fps: float) -> int:
    """Half the width of a smoothing window, in frames."""
    return max(1, round(SMOOTH_SECONDS * fps / 2))


def smooth(values: Sequence[float], fps: float) -> list[float]:
    half = _window(fps)
    n = len(values)
    medians = [median(values[max(0, i - half) : i + half + 1]) for i in range(n)]
    return [
        sum(medians[max(0, i - half) : i + half + 1])
        / len(medians[max(0, i - half) : i + half + 1])
        for i in range(n)
    ]


def _bands(levels: Sequence[float], high: float, low: float) -> list[tuple[str, int, int]]:
    """Runs of 'top' and 'bottom' (frames inside a run, inclusive), with hysteresis."""
    runs: list[tuple[str, int, int]] = []
    state = ""  # between the bands the state holds, so jitter there changes nothing
    for i, value in enumerate(levels):
        now = "top" if value >= high else "bottom" if value <= low else ""
        if now and now == state and runs:
            runs[-1] = (state, runs[-1][1], i)
        elif now:
            runs.append((now, i, i))
            state = now
    return runs


def find_reps(angles: Sequence[float | None], times: Sequence[float], fps: float) -> RepSearch:
    """Reps in a knee-angle series (None where the knee was hidden)."""
    if sum(v is not None for v in angles) < 3:
        return RepSearch((), (), 0.0, ())
    curve = smooth(_fill(angles), fps)
    low, high = percentile(curve, 0.05), percentile(curve, 0.95)
    travel = high - low
    if travel < MIN_RANGE:
        return RepSearch((), tuple(curve), travel, ())
    runs = _bands(curve, low + TOP_BAND * travel, low + BOTTOM_BAND * travel)
    reps: list[Rep] = []
    dropped: list[str] = []
    for first, deep, last in zip(runs, runs[1:], runs[2:], strict=False):
        if (first[0], deep[0], last[0]) != ("top", "bottom", "top"):
            continue
        rep = _rep(curve, first, last, len(reps) + len(dropped) + 1)
        if times[rep.end] - times[rep.start] < MIN_REP_SECONDS:
            continue
        gap = _longest_gap(angles, times, rep.start, rep.end)
        if gap > MAX_GAP_SECONDS:
            dropped.append(
                f"rep {rep.number} (frames {rep.start}-{rep.end}): the knee was hidden "
                f"for {gap:.1f} s"
            )
            continue
        reps.append(rep)
    return RepSearch(tuple(reps), tuple(curve), travel, tuple(dropped))


def _rep(
    curve: Sequence[float], first: tuple[str, int, int], last: tuple[str, int, int], number: int
) -> Rep:
    # The top's level: high in the run, but not its single highest (noisy) frame.
    top_before = percentile(curve[first[1] : first[2] + 1], 0.75)
    # Lowering begins at the last frame still at the top before the descent.
    start = max(
        i for i in range(first[1], first[2] + 1) if curve[i] >= top_before - START_TOLERANCE
    )
    deepest = min(range(first[2], last[1] + 1), key=lambda i: (curve[i], i))
    # A slow turn is flat at the bottom, and noise moves the lowest frame along it: the
    # middle of the frames near the lowest is steadier.
    low, high = deepest, deepest
    while low > first[2] and curve[low - 1] <= curve[deepest] + BOTTOM_TOLERANCE:
        low -= 1
    while high < last[1] and curve[high + 1] <= curve[deepest] + BOTTOM_TOLERANCE:
        high += 1
    bottom = (low + high) // 2
    top_after = percentile(curve[last[1] : last[2] + 1], 0.75)
    # The rep ends at the first frame back at the top: the lockout, or the pause.
    end = min(i for i in range(last[1], last[2] + 1) if curve[i] >= top_after - TOP_TOLERANCE)
    return Rep(number, start, bottom, end)


def _longest_gap(angles: Sequence[float | None], times: Sequence[float], a: int, b: int) -> float:
    """The longest time between two frames with the knee seen, within frames a..b."""
    longest, seen = 0.0, a
    for i in range(a, b + 1):
        if angles[i] is not None or i == b:
            longest = max(longest, times[i] - times[seen])
            seen = i
    return longest


def top_window(curve: Sequence[float], frame: int, reach: int) -> list[int]:
    """The frames within ``reach`` of ``frame`` where the curve is at the top: within
    the tolerance of the highest point there."""
    lo, hi = max(0, frame - reach), min(len(curve) - 1, frame + reach)
    peak = max(curve[lo : hi + 1])
    return [i for i in range(lo, hi + 1) if curve[i] >= peak - TOP_TOLERANCE]


def around(frame: int, reach: int, frames: int) -> range:
    return range(max(0, frame - reach), min(frames - 1, frame + reach) + 1)


def spread(values: Sequence[float]) -> float:
    """Interquartile range, for how much the reps disagree."""
    if len(values) < 2:
        return 0.0
    return percentile(values, 0.75) - percentile(values, 0.25)
