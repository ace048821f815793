"""Landmark sequences from a kinematic model of the leg press, with the truth beside them.

Real footage of leg presses cannot be fetched here, so the measurements are checked
on sets drawn from a model: a hip on a seat, a back on a pad, a sled on a rail (45°
incline, horizontal, vertical), a thigh and a shin whose knee is placed by inverse
kinematics, a foot on the plate that can tip heel-up about the toes; a time profile
per rep (a pause at the top, lowering, a smooth turn or a bounce, pressing); then a
camera (either side, or from the front), pixel noise, frames where points are hidden,
and a camera that pans. The truth is computed from the noiseless model, frame by
frame, not copied from the settings.

    from legpress_diag.measure.synth import SetSpec, generate
    data, truth = generate(SetSpec(depth=70, hip_lift=0.2, seed=3))

Deterministic: the same spec gives the same landmarks.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..foundation.jsonvalue import JsonObject, JsonValue
from .geometry import Point, angle_at, median

Machine = Literal["incline_45", "horizontal", "vertical"]
MACHINES: tuple[Machine, ...] = ("incline_45", "horizontal", "vertical")
# The back pad's direction from the hip, and the sled's rail, per machine (degrees,
# forward = 0, up = 90, in the lifter's own plane).
BACK_PAD = {"incline_45": 150.0, "horizontal": 105.0, "vertical": 180.0}
RAIL = {"incline_45": 45.0, "horizontal": 0.0, "vertical": 90.0}


@dataclass(frozen=True)
class SetSpec:
    """One filmed set. Lengths in metres, angles in degrees, times in seconds."""

    machine: Machine = "incline_45"
    view: Literal["left", "right"] = "left"  # the side of the body facing the camera
    facing: Literal["left", "right"] = "left"  # where the lifter's feet are in the picture
    front: bool = False  # filmed from the front instead of the side
    reps: int = 5
    depth: float = 80.0  # knee angle at the bottom
    top: float = 158.0  # knee angle at the top (about 180: locked out)
    hip_lift: float = 0.0  # thigh lengths the hip leaves the seat at the bottom
    heel_lift: float = 0.0  # degrees the foot tips heel-up at the bottom
    lowering: float = 1.5
    pressing: float = 1.0
    pause: float = 0.5  # at the top, between reps
    bounce: bool = False  # no slowing into the bottom, straight back out
    thigh: float = 0.45
    shin: float = 0.43
    torso: float = 0.52  # hip to shoulder
    foot: float = 0.22  # heel to toe
    rail_offset: float = 0.12  # the rail line passes this far from the hip
    fps: float = 30.0
    width: int = 1280
    height: int = 720
    scale: float = 380.0  # pixels per metre
    noise: float = 3.0  # pixels (standard deviation) on every point
    dropout: float = 0.0  # share of frames with the camera's side of the leg hidden
    pan: float = 0.0  # pixels the camera sways (a hand-held phone)
    seed: int = 0


@dataclass(frozen=True)
class Truth:
    """What the model did: per rep its frames and deepest knee angle, and the answers."""

    reps: tuple[tuple[int, int, int], ...]  # start, bottom, end frames
    bottom_angles: tuple[float, ...]
    knee_angle_at_bottom: float  # the median of bottom_angles
    answers: dict[str, str] = field(default_factory=dict)  # yes/no and tempo truths


def _vec(degrees: float) -> Point:
    return math.cos(math.radians(degrees)), math.sin(math.radians(degrees))


def _add(a: Point, b: Point, k: float = 1.0) -> Point:
    return a[0] + k * b[0], a[1] + k * b[1]


def smooth(u: float) -> float:
    """Easing in and out: still at both ends of a phase."""
    return (1 - math.cos(math.pi * u)) / 2


def _profile(spec: SetSpec) -> list[tuple[float, float, int, str]]:
    """(time, knee angle, rep number, phase) at every frame."""
    out: list[tuple[float, float, int, str]] = []
    t, dt, travel = 0.0, 1.0 / spec.fps, spec.top - spec.depth
    phases: list[tuple[str, float, int]] = [("pause", spec.pause, 0)]
    for rep in range(1, spec.reps + 1):
        phases += [
            ("down", spec.lowering, rep),
            ("up", spec.pressing, rep),
            ("pause", spec.pause, rep),
        ]
    for name, duration, rep in phases:
        steps = max(1, round(duration * spec.fps))
        for k in range(steps):
            u = k / steps
            if name == "pause":
                angle = spec.top
            elif name == "down":
                # A bounce speeds up all the way into the bottom, and leaves it at speed.
                eased = 1 - math.cos(math.pi * u / 2) if spec.bounce else smooth(u)
                angle = spec.top - travel * eased
            else:
                eased = math.sin(math.pi * u / 2) if spec.bounce else smooth(u)
                angle = spec.depth + travel * eased
            out.append((t, angle, rep, name))
            t += dt
    return out


def _knee(hip: Point, ankle: Point, thigh: float, shin: float, side: Point) -> Point:
    """The knee by two-circle intersection, on the side of hip→ankle given by ``side``."""
    d = math.dist(hip, ankle)
    d = min(max(d, abs(thigh - shin) + 1e-6), thigh + shin - 1e-6)
    along = (thigh**2 - shin**2 + d**2) / (2 * d)
    up = math.sqrt(max(thigh**2 - along**2, 0.0))
    ux, uy = (ankle[0] - hip[0]) / d, (ankle[1] - hip[1]) / d
    normal = (-uy, ux) if side[0] * -uy + side[1] * ux >= 0 else (uy, -ux)
    return hip[0] + along * ux + up * normal[0], hip[1] + along * uy + up * normal[1]


def _pose(spec: SetSpec, angle: float) -> dict[str, Point]:
    """The body in its own plane (metres, forward = +x, up = +y) at one knee angle."""
    rail, pad = _vec(RAIL[spec.machine]), _vec(BACK_PAD[spec.machine])
    plate_dir = (-rail[1], rail[0])  # along the plate, toward the toes
    belly = (-pad[1], pad[0]) if (-pad[1] * rail[0] + pad[0] * rail[1]) > 0 else (pad[1], -pad[0])
    seat: Point = (0.0, 0.0)
    shoulder = _add(seat, pad, spec.torso)
    reach = math.sqrt(
        spec.thigh**2 + spec.shin**2 - 2 * spec.thigh * spec.shin * math.cos(math.radians(angle))
    )
    slide = math.sqrt(max(reach**2 - spec.rail_offset**2, 0.0))
    ankle = _add(_add(seat, plate_dir, spec.rail_offset), rail, slide)
    phase = max(0.0, min(1.0, (spec.top - angle) / max(spec.top - spec.depth, 1e-6))) ** 2
    # The butt leaves the pad on the belly's side, rolling a little toward the head.
    hip = _add(
        _add(seat, belly, spec.hip_lift * spec.thigh * phase),
        pad,
        0.3 * spec.hip_lift * spec.thigh * phase,
    )
    on_plate = _add(ankle, rail, 0.08)  # the ankle sits 8 cm off the plate
    toe = _add(on_plate, plate_dir, 0.72 * spec.foot)
    # The foot tips about the toes, heel toward the body: a rotation in the plate's
    # own axes (along it, into it) that turns the ankle with the heel.
    tip = math.radians(spec.heel_lift * phase)
    c, s = math.cos(tip), math.sin(tip)

    def tipped(point: Point) -> Point:
        a = (point[0] - toe[0]) * plate_dir[0] + (point[1] - toe[1]) * plate_dir[1]
        b = (point[0] - toe[0]) * rail[0] + (point[1] - toe[1]) * rail[1]
        along, into = a * c - b * s, a * s + b * c
        return _add(_add(toe, plate_dir, along), rail, into)

    heel = tipped(_add(toe, plate_dir, -spec.foot))
    ankle = tipped(ankle)
    knee = _knee(hip, ankle, spec.thigh, spec.shin, (shoulder[0] - hip[0], shoulder[1] - hip[1]))
    return {
        "shoulder": shoulder,
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "heel": heel,
        "foot_index": toe,
        "head": _add(shoulder, pad, 0.25),
        "hand": ((hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2),
    }


# Where the other points go: MediaPipe's 33 indices by the model point they follow.
_FACE, _ARMS = range(0, 11), range(13, 23)
_SIDE_POINTS = {
    "shoulder": (11, 12),
    "hip": (23, 24),
    "knee": (25, 26),
    "ankle": (27, 28),
    "heel": (29, 30),
    "foot_index": (31, 32),
}
_FRONT_HALF_WIDTH = {
    "shoulder": 0.20,
    "hip": 0.16,
    "knee": 0.17,
    "ankle": 0.17,
    "heel": 0.17,
    "foot_index": 0.19,
}
LEG_POINTS = ("knee", "ankle", "heel", "foot_index")


def _truth_answers(
    spec: SetSpec, poses: list[dict[str, Point]], reps: list[tuple[int, int, int]]
) -> dict[str, str]:
    """The yes/no and tempo answers of clear cases, from the noiseless model."""
    rest = poses[0]
    answers: dict[str, str] = {}
    lifts = [math.dist(poses[b]["hip"], rest["hip"]) / spec.thigh for _, b, _ in reps]
    lift = max(lifts, default=0.0)
    if lift <= 0.02 or lift >= 0.12:
        answers["butt_lifts_off_seat"] = "yes" if lift >= 0.12 else "no"
    tips = []
    for _, b, _ in reps:
        a, z = rest, poses[b]
        before = math.atan2(a["heel"][1] - a["foot_index"][1], a["heel"][0] - a["foot_index"][0])
        after = math.atan2(z["heel"][1] - z["foot_index"][1], z["heel"][0] - z["foot_index"][0])
        tips.append(abs(math.degrees((after - before + math.pi) % (2 * math.pi) - math.pi)))
    tip = max(tips, default=0.0)
    if tip <= 3.0 or tip >= 12.0:
        answers["heels_lift"] = "yes" if tip >= 12.0 else "no"
    top = angle_at(rest["hip"], rest["knee"], rest["ankle"]) or 0.0
    if top <= 162.0 or top >= 175.0:
        answers["knees_lock_out"] = "yes" if top >= 175.0 else "no"
    if spec.bounce or spec.lowering <= 0.85:
        answers["rep_tempo"] = "fast"
    elif spec.lowering >= 2.2:
        answers["rep_tempo"] = "slow"
    elif 1.15 <= spec.lowering <= 1.85:
        answers["rep_tempo"] = "moderate"
    return answers


def generate(spec: SetSpec) -> tuple[JsonObject, Truth]:
    """The landmarks JSON of one set (contract section 3a) and its truth."""
    profile = _profile(spec)
    poses = [_pose(spec, angle) for _, angle, _, _ in profile]
    reps: list[tuple[int, int, int]] = []
    for number in range(1, spec.reps + 1):
        down = [i for i, p in enumerate(profile) if p[2] == number and p[3] == "down"]
        up = [i for i, p in enumerate(profile) if p[2] == number and p[3] == "up"]
        reps.append((down[0], up[0], min(up[-1] + 1, len(profile) - 1)))
    true_angles = [angle_at(p["hip"], p["knee"], p["ankle"]) or 0.0 for p in poses]
    bottoms = [min(true_angles[s : e + 1]) for s, _, e in reps]
    camera = _Camera(spec, poses)
    data: JsonObject = {
        "fps": spec.fps,
        "width": spec.width,
        "height": spec.height,
        "view": spec.view,
        "frames": [
            camera.frame(i, pose, p[0])
            for i, (pose, p) in enumerate(zip(poses, profile, strict=True))
        ],
    }
    truth = Truth(tuple(reps), tuple(bottoms), median(bottoms), _truth_answers(spec, poses, reps))
    return data, truth


class _Camera:
    """Projects each pose into the picture, with noise, hidden points and sway."""

    def __init__(self, spec: SetSpec, poses: list[dict[str, Point]]) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        xs = [p[k][0] for p in poses for k in _SIDE_POINTS]
        ys = [p[k][1] for p in poses for k in _SIDE_POINTS]
        self.mid = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
        self.forward = -1.0 if spec.facing == "left" else 1.0
        self.near = 0 if spec.view == "left" else 1
        self.hidden_until = -1

    def _hidden(self, index: int) -> set[str]:
        """The camera's side leg points hidden in this frame (in short bursts)."""
        rng = self.rng
        if index > self.hidden_until and rng.random() < self.spec.dropout:
            self.hidden_until = index + rng.randint(0, 3)
        if index > self.hidden_until:
            return set()
        return set(rng.sample(LEG_POINTS, rng.randint(1, len(LEG_POINTS))))

    def _place(self, name: str, pose: dict[str, Point], far: int) -> Point:
        """Where a point lands, in pixels from the picture's centre (y down)."""
        spec = self.spec
        u, v = pose[name][0] - self.mid[0], pose[name][1] - self.mid[1]
        if spec.front:  # across is left-right, the depth is lost
            across = _FRONT_HALF_WIDTH.get(name, 0.0) * (1 if far == self.near else -1)
            return across * spec.scale, -v * spec.scale
        at = (self.forward * u * spec.scale, -v * spec.scale)
        # The far side sits just behind the near one.
        return (at[0] + 6, at[1] - 4) if far != self.near else at

    def frame(self, index: int, pose: dict[str, Point], t: float) -> JsonValue:
        spec, rng = self.spec, self.rng
        sway = (
            spec.pan * math.sin(2 * math.pi * 0.4 * t),
            0.6 * spec.pan * math.sin(2 * math.pi * 0.23 * t + 1),
        )
        gone = self._hidden(index)
        points: list[JsonValue] = [[0.0, 0.0, 0.0, 0.0] for _ in range(33)]
        placed: list[tuple[int, Point, float, float]] = []
        for name, pair in _SIDE_POINTS.items():
            for k, number in enumerate(pair):
                seen = (
                    rng.uniform(0.85, 0.99)
                    if k == self.near or spec.front
                    else rng.uniform(0.2, 0.45)
                )
                wobble = spec.noise
                if k == self.near and name in gone:
                    seen, wobble = rng.uniform(0.05, 0.4), spec.noise + 15.0
                placed.append((number, self._place(name, pose, k), seen, wobble))
        for group, name in ((_FACE, "head"), (_ARMS, "hand")):
            placed += [(n, self._place(name, pose, self.near), 0.9, spec.noise) for n in group]
        for number, at, seen, wobble in placed:
            x = spec.width / 2 + at[0] + sway[0] + rng.gauss(0.0, wobble)
            y = spec.height / 2 + at[1] + sway[1] + rng.gauss(0.0, wobble)
            points[number] = [
                round(x / spec.width, 6),
                round(y / spec.height, 6),
                0.0,
                round(seen, 3),
            ]
        return {"t": round(t, 6), "landmarks": points}


def random_spec(seed: int, **fixed: Any) -> SetSpec:
    """A set drawn at random (from ``seed``) with clear faults or none; ``fixed``
    overrides any field. Each fault is on in about half the sets."""
    rng = random.Random(seed)
    spec = SetSpec(
        machine=rng.choice(MACHINES),
        view=rng.choice(("left", "right")),
        facing=rng.choice(("left", "right")),
        reps=rng.randint(3, 8),
        depth=rng.uniform(55.0, 115.0),
        top=rng.choice((rng.uniform(150.0, 160.0), rng.uniform(177.0, 180.0))),
        hip_lift=rng.choice((0.0, rng.uniform(0.15, 0.35))),
        heel_lift=rng.choice((0.0, rng.uniform(14.0, 25.0))),
        lowering=rng.choice(
            (rng.uniform(0.5, 0.8), rng.uniform(1.25, 1.75), rng.uniform(2.4, 3.2))
        ),
        pressing=rng.uniform(0.6, 1.2),
        pause=rng.uniform(0.3, 1.0),
        bounce=rng.random() < 0.2,
        thigh=rng.uniform(0.40, 0.50),
        shin=rng.uniform(0.38, 0.48),
        torso=rng.uniform(0.45, 0.60),
        foot=rng.uniform(0.20, 0.27),
        scale=rng.uniform(300.0, 400.0),
        noise=rng.uniform(1.0, 5.0),
        dropout=rng.choice((0.0, 0.02, 0.05)),
        seed=seed,
    )
    if spec.bounce:  # a bounce comes with a quick drop, never a slow one
        spec = replace(spec, lowering=rng.uniform(1.2, 1.8))
    return replace(spec, **fixed)
