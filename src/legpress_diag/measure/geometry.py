"""Plane geometry in pixels: angles at a joint, distances, a point's side of a line.

Angles are taken in pixel space (x right, y down), after the normalised coordinates
were scaled by the video's width and height: in normalised units a 16:9 picture
squeezes horizontal distances and bends every angle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]


def angle_at(a: Point, vertex: Point, b: Point) -> float | None:
    """The angle a-vertex-b in degrees (0 to 180), or None when a side has no length."""
    ax, ay = a[0] - vertex[0], a[1] - vertex[1]
    bx, by = b[0] - vertex[0], b[1] - vertex[1]
    if (ax == 0 and ay == 0) or (bx == 0 and by == 0):
        return None
    # atan2 of the cross and dot products: exact near 0 and 180, where acos is not.
    return math.degrees(math.atan2(abs(ax * by - ay * bx), ax * bx + ay * by))


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def direction(a: Point, b: Point) -> float:
    """The direction from a to b, in degrees (image axes)."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def turn(from_degrees: float, to_degrees: float) -> float:
    """The signed change between two directions, in -180..180 degrees."""
    return (to_degrees - from_degrees + 180.0) % 360.0 - 180.0


def offset_from_line(point: Point, start: Point, end: Point) -> float:
    """The signed distance of ``point`` from the line start→end (positive on the
    left of the direction of travel in image axes; 0 when the line has no length)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return 0.0
    return (dx * (point[1] - start[1]) - dy * (point[0] - start[0])) / length


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of nothing")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value at ``fraction`` (0 to 1) of the sorted values, linearly interpolated."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of nothing")
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean_point(points: Sequence[Point]) -> Point:
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def median_point(points: Sequence[Point]) -> Point:
    return median([p[0] for p in points]), median([p[1] for p in points])


def _det3(m: Sequence[Sequence[float]]) -> float:
    return (
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    )


def parabola_low(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The lowest value of the least-squares parabola through (xs, ys), when it opens
    upward and its lowest point lies within the xs; else None."""
    if len(xs) < 4:
        return None
    sums = [sum(x**k for x in xs) for k in range(5)]
    rhs = [sum(y * x**k for x, y in zip(xs, ys, strict=True)) for k in range(3)]
    normal = [[sums[0], sums[1], sums[2]], [sums[1], sums[2], sums[3]], [sums[2], sums[3], sums[4]]]
    whole = _det3(normal)
    if whole == 0:
        return None
    # Cramer's rule: three unknowns need no linear-algebra library.
    a, b, c = (
        _det3([[rhs[r] if col == k else normal[r][col] for col in range(3)] for r in range(3)])
        / whole
        for k in range(3)
    )
    if c <= 0 or not min(xs) <= -b / (2 * c) <= max(xs):
        return None
    return a - b * b / (4 * c)
