"""The side of the body facing the camera, frame by frame, and the checks that must
pass before anything on it is measured (a side view, enough of the body, a still
camera)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .geometry import Point, angle_at, distance, median, offset_from_line, percentile
from .landmarks import Landmarks, Side

VISIBLE = 0.5  # MediaPipe's visibility below which a point is left out
FRONT_VIEW_HIPS = 0.5  # hips further apart than this, in thigh lengths: not a side view
STILL_CAMERA = 0.4  # the shoulder wandering further, in thigh lengths: the camera moved
MIN_SEEN = 0.3  # of the frames, with hip, knee and ankle seen together
MIN_SEEN_FRAMES = 10
MIN_THIGH_PIXELS = 20.0  # a thigh shorter than this in the picture is too small to measure

LEG = ("hip", "knee", "ankle")


@dataclass(frozen=True)
class SideBody:
    """Where each measured point of the camera's side is, per frame, and whether seen."""

    marks: Landmarks

    @property
    def side(self) -> Side:
        return self.marks.view

    def seen(self, limb: str, frame: int) -> bool:
        return self.marks.joint(limb)[frame][2] >= VISIBLE

    def all_seen(self, limbs: Sequence[str], frame: int) -> bool:
        return all(self.seen(limb, frame) for limb in limbs)

    def at(self, limb: str, frame: int) -> Point:
        x, y, _ = self.marks.joint(limb)[frame]
        return x, y

    def unseen(self, limbs: Sequence[str], frames: Sequence[int]) -> int:
        """How many of ``frames`` have one of ``limbs`` hidden."""
        return sum(not self.all_seen(limbs, i) for i in frames)


def knee_angles(body: SideBody) -> list[float | None]:
    """The hip-knee-ankle angle per frame (None where one of them is hidden).

    A knee pushed past straight (hyperextended) bends to the other side of the
    hip-ankle line, and reads above 180 here: the side a bent knee lies on is taken
    from the most bent frames.
    """
    plain: list[float | None] = []
    sides: list[float] = []
    for i in range(body.marks.frames):
        if not body.all_seen(LEG, i):
            plain.append(None)
            sides.append(0.0)
            continue
        hip, knee, ankle = (body.at(limb, i) for limb in LEG)
        plain.append(angle_at(hip, knee, ankle))
        sides.append(offset_from_line(knee, hip, ankle))
    known = [(a, s) for a, s in zip(plain, sides, strict=True) if a is not None]
    if not known:
        return plain
    bent = sorted(known)[: max(1, len(known) // 10)]
    flexed = 1.0 if sum(s for _, s in bent) >= 0 else -1.0
    thigh = thigh_length(body) or 1.0
    signed: list[float | None] = []
    for a, s in zip(plain, sides, strict=True):
        # Past straight only when clearly on the other side (more than noise).
        beyond = a is not None and s * flexed < -0.02 * thigh
        signed.append(None if a is None else 360.0 - a if beyond else a)
    return signed


def thigh_length(body: SideBody) -> float | None:
    """The median hip-knee distance in pixels over the frames where both are seen."""
    lengths = [
        distance(body.at("hip", i), body.at("knee", i))
        for i in range(body.marks.frames)
        if body.all_seen(("hip", "knee"), i)
    ]
    return median(lengths) if lengths else None


@dataclass(frozen=True)
class Gates:
    """Why nothing (``blocked``) or nothing fixed to the picture (``moving``) can be
    measured; empty strings when the check passed."""

    blocked: str
    moving: str
    thigh: float  # pixels


def check_view(body: SideBody) -> Gates:
    marks = body.marks
    frames = marks.frames
    seen = sum(body.all_seen(LEG, i) for i in range(frames))
    if seen < max(MIN_SEEN_FRAMES, MIN_SEEN * frames):
        return Gates(
            f"too little of the body was visible: the {body.side} hip, knee and ankle were "
            f"seen together in {seen} of {frames} frames (film side on with the whole body "
            "and the foot plate in the picture)",
            "",
            0.0,
        )
    thigh = thigh_length(body) or 0.0
    if thigh < MIN_THIGH_PIXELS:
        return Gates(
            f"the lifter is too small in the picture (a thigh of {thigh:.0f} pixels); film closer",
            "",
            thigh,
        )
    apart = _hips_apart(marks) / thigh
    if apart > FRONT_VIEW_HIPS:
        return Gates(
            f"this does not look like a side view: the two hips are {apart:.2f} thigh lengths "
            "apart in the picture, where from the side they nearly cover each other "
            "(film from the side, the camera square to the machine)",
            "",
            thigh,
        )
    return Gates("", _camera_moved(body, thigh), thigh)


def _hips_apart(marks: Landmarks) -> float:
    # Both hips' positions are used whatever their visibility: MediaPipe places a hidden
    # far hip all the same, and where it puts it is the point.
    left, right = marks.joint("hip", "left"), marks.joint("hip", "right")
    return median([distance(a[:2], b[:2]) for a, b in zip(left, right, strict=True)])


def _camera_moved(body: SideBody, thigh: float) -> str:
    """The shoulder rests on the back pad of every leg press, so in a still picture
    it stays put; when it wanders, the camera (or the lifter) moved."""
    frames = [i for i in range(body.marks.frames) if body.seen("shoulder", i)]
    if len(frames) < MIN_SEEN_FRAMES:
        return (
            f"the {body.side} shoulder was seen in only {len(frames)} frames, so it cannot "
            "be told whether the camera moved"
        )
    xs = [body.at("shoulder", i)[0] for i in frames]
    ys = [body.at("shoulder", i)[1] for i in frames]
    wander = max(
        percentile(xs, 0.95) - percentile(xs, 0.05), percentile(ys, 0.95) - percentile(ys, 0.05)
    )
    if wander / thigh > STILL_CAMERA:
        return (
            f"the camera seems to move: the shoulder, which rests on the back pad, wandered "
            f"{wander / thigh:.2f} thigh lengths across the picture (use a tripod)"
        )
    return ""
