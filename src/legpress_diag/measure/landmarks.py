"""Body landmarks in (contract v3, section 3a): read, check strictly, keep what is measured.

The input is MediaPipe Pose's 33-point topology per frame, in normalised image
coordinates. Everything is checked before anything is measured, and the first
problem is reported with the frame index and the field, so a converter's bug (a frame
with 32 points, a NaN, time running backwards) is found, not measured around.

Only the twelve points the measurements use are kept (shoulders, hips, knees,
ankles, heels, toes), in pixels, as one track per point: a long recording's other
points would only cost memory.
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import IO, Literal, NoReturn, cast

from ..foundation.problems import LegpressError

POINTS = 33  # MediaPipe Pose's topology
MAX_FRAMES = 100_000  # about 55 minutes at 30 fps: far more than any set
MAX_BYTES = 256 * 1024 * 1024  # 100,000 frames of 33 points, written out, fit well below
MAX_FPS = 1000.0
MAX_SECONDS = 24 * 3600.0  # a frame's time, either side of zero: far longer than a set
MAX_PIXELS = 100_000  # width or height
Z_LIMIT = 1e6  # MediaPipe's depth is of the order of the image width: anything finite
COORD_LIMIT = 100.0  # |x|, |y| in image widths: MediaPipe's points stray a little outside
# 0..1 for a limb out of the picture, never this far

Side = Literal["left", "right"]
SIDES: tuple[Side, ...] = ("left", "right")

# MediaPipe Pose's indices of the points measured, per side.
JOINT_INDEX: Mapping[str, int] = {
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
    "left_heel": 29,
    "right_heel": 30,
    "left_foot_index": 31,
    "right_foot_index": 32,
}
LIMBS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")

# One point of one frame: x and y in pixels (y down), and MediaPipe's visibility.
Sample = tuple[float, float, float]
Track = tuple[Sample, ...]


_NUMBER = {"type": "number"}
# The input's JSON Schema, for the HTTP API's documentation. What a schema cannot say
# (times that increase, visibility from 0 to 1 in each point's fourth place) is checked
# by check_landmarks.
LANDMARKS_SCHEMA: Mapping[str, object] = {
    "type": "object",
    "required": ["fps", "width", "height", "view", "frames"],
    "properties": {
        "fps": {**_NUMBER, "exclusiveMinimum": 0, "maximum": MAX_FPS},
        "width": {"type": "integer", "minimum": 1, "maximum": MAX_PIXELS},
        "height": {"type": "integer", "minimum": 1, "maximum": MAX_PIXELS},
        "view": {"enum": list(SIDES), "description": "the side of the body facing the camera"},
        "frames": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_FRAMES,
            "items": {
                "type": "object",
                "required": ["t", "landmarks"],
                "properties": {
                    "t": {**_NUMBER, "description": "seconds, increasing from frame to frame"},
                    "landmarks": {
                        "type": "array",
                        "minItems": POINTS,
                        "maxItems": POINTS,
                        "description": "MediaPipe Pose's 33 points: [x, y, z, visibility], "
                        "x and y normalised (0 to 1 inside the picture, y down)",
                        "items": {"type": "array", "minItems": 4, "maxItems": 4, "items": _NUMBER},
                    },
                },
            },
        },
    },
}


class LandmarksError(LegpressError):
    """The landmarks are not valid input (exit status 2). The message names where."""


class LandmarksNotJson(LandmarksError):
    """The input is not JSON text at all (bad UTF-8, bad syntax, NaN)."""


@dataclass(frozen=True)
class Landmarks:
    """A checked recording: its times and, per measured point, one sample per frame."""

    fps: float
    width: int
    height: int
    view: Side
    times: tuple[float, ...]
    tracks: Mapping[str, Track]

    @property
    def frames(self) -> int:
        return len(self.times)

    def joint(self, limb: str, side: Side | None = None) -> Track:
        """The track of a limb on the side facing the camera (or on ``side``)."""
        return self.tracks[f"{side or self.view}_{limb}"]


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def read_landmarks(stream: IO[bytes], limit: int = MAX_BYTES) -> Landmarks:
    """Read and check landmarks JSON from a binary stream, reading at most ``limit``
    bytes (a larger input is refused before it is parsed)."""
    too_big = _size(stream) > limit
    blob = b"" if too_big else stream.read(limit + 1)
    if too_big or len(blob) > limit:
        raise LandmarksError(
            f"the landmarks file is larger than {limit:,} bytes; "
            f"measure at most {MAX_FRAMES:,} frames at a time"
        )
    return parse_landmarks(blob)


def _size(stream: IO[bytes]) -> int:
    """A regular file's size (0 when unknown: a pipe), so that a file far over the
    limit is refused without reading a byte of it."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


# The densest valid landmarks: a frame is one object holding 34 arrays, the 33 points
# of four numbers each (at least 9 characters and a comma, ``[0,0,0,0],``) and the
# array around them, in at least 350 characters: 10.3 an array. Parsed JSON costs far
# more memory per character in arrays and objects than in numbers (``[]`` is 3
# characters of text and 64 bytes of memory; ``{"a":0}`` 8 and about 190), so text much
# denser in them than this is refused before it is parsed: a 16 MiB body of
# ``[[],[],...]`` took 480 MB to parse, to be refused afterwards.
BYTES_PER_ARRAY = 10
BYTES_PER_KEY = 128  # a frame's two keys, 't' and 'landmarks'
BYTES_PER_QUOTE = 32  # the four quotes around them
DENSITY_CHECKED_FROM = 64 * 1024  # characters: below, at most a few MB to parse
BYTES_PER_OBJECT = 256


_DENSEST = (
    ("[", BYTES_PER_ARRAY, "33 points of 4 numbers per frame"),
    ("{", BYTES_PER_OBJECT, "one object per frame of 33 points"),
    (":", BYTES_PER_KEY, "two keys per frame, 't' and 'landmarks'"),
    ('"', BYTES_PER_QUOTE, "four quotes per frame, around its two keys"),
)


def _check_density(text: str) -> None:
    """LandmarksError when ``text`` holds more arrays, objects, keys or strings than
    valid landmarks of its length can: counted in the raw text (a bracket inside a
    string counts too, and valid landmarks have no such strings), so the check costs
    four scans. Four 16 MiB bodies of 2 million keys each took the server to 705 MB. A short
    text is left to the parser, whose message says what is really wrong with it
    (``[[[[`` cut short), since parsing it costs little whatever it holds."""
    if len(text) < DENSITY_CHECKED_FROM:
        return
    slack = 8  # the outer object and a short file's few containers
    for char, per, what in _DENSEST:
        found = text.count(char)
        if found > len(text) // per + slack:
            raise LandmarksError(
                f"the landmarks hold {found:,} '{char}' in {len(text):,} characters; expected "
                f"at most one per {per} characters ({what})"
            )


def parse_landmarks(blob: bytes | str) -> Landmarks:
    """Check landmarks given as JSON text."""
    try:
        text = blob.decode("utf-8-sig") if isinstance(blob, bytes) else blob
        _check_density(text)
        data = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise LandmarksNotJson(f"the landmarks are not UTF-8 text (byte {exc.start + 1})") from None
    except json.JSONDecodeError as exc:
        raise LandmarksNotJson(
            f"the landmarks are not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise LandmarksNotJson(f"the landmarks are not valid JSON: {exc}") from None
    return check_landmarks(data)


def _number(value: object, where: str, expected: str) -> float:
    # bool is an int in Python, and JSON's true is no number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LandmarksError(f"{where} is {_kind(value)}; expected {expected}")
    try:
        number = float(value)
    except OverflowError:  # an integer of 309 digits or more: no float holds it
        number = math.inf
    if not math.isfinite(number):
        shown = value if isinstance(value, float) else f"an integer of {len(str(value))} digits"
        raise LandmarksError(f"{where} is {shown}; expected {expected}")
    return number


def _kind(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "a boolean", str: "a string", list: "an array", dict: "an object"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return repr(value)


def _header(data: Mapping[str, object]) -> tuple[float, int, int, Side]:
    for key in ("fps", "width", "height", "view", "frames"):
        if key not in data:
            raise LandmarksError(
                f"missing '{key}' (the landmarks need fps, width, height, view and frames)"
            )
    fps = _number(data["fps"], "'fps'", f"frames per second, above 0 and at most {MAX_FPS:g}")
    if not 0 < fps <= MAX_FPS:
        raise LandmarksError(f"'fps' is {data['fps']}; expected above 0 and at most {MAX_FPS:g}")
    size = []
    for key in ("width", "height"):
        value = data[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_PIXELS:
            raise LandmarksError(
                f"'{key}' is {json.dumps(value)[:40]}; expected the video's {key} in pixels, "
                f"a whole number from 1 to {MAX_PIXELS:,}"
            )
        size.append(value)
    view = data["view"]
    if view not in SIDES:
        raise LandmarksError(
            f"'view' is {json.dumps(view)[:40]}; expected 'left' or 'right' "
            "(the side of the body facing the camera)"
        )
    return fps, size[0], size[1], view


def check_landmarks(data: object) -> Landmarks:
    """Check parsed landmarks JSON (a dict) and keep the measured points in pixels."""
    if not isinstance(data, dict):
        raise LandmarksError(
            f"the landmarks must be a JSON object with fps, width, height, view and "
            f"frames, not {_kind(data)}"
        )
    fps, width, height, view = _header(data)
    frames = data["frames"]
    if not isinstance(frames, list) or not frames:
        what = "empty" if isinstance(frames, list) else _kind(frames)
        raise LandmarksError(f"'frames' is {what}; expected an array of frames")
    if len(frames) > MAX_FRAMES:
        raise LandmarksError(
            f"'frames' has {len(frames):,} frames; at most {MAX_FRAMES:,} are measured at a time"
        )
    times: list[float] = []
    columns: dict[str, list[Sample]] = {name: [] for name in JOINT_INDEX}
    for index, frame in enumerate(frames):
        times.append(_frame_time(frame, index, times[-1] if times else None))
        points = _frame_points(frame, index)
        for name, point in JOINT_INDEX.items():
            x, y, _z, visibility = points[point]
            columns[name].append((float(x) * width, float(y) * height, float(visibility)))
    tracks = MappingProxyType({name: tuple(samples) for name, samples in columns.items()})
    return Landmarks(fps, width, height, view, tuple(times), tracks)


def _frame_time(frame: object, index: int, previous: float | None) -> float:
    if not isinstance(frame, dict):
        raise LandmarksError(
            f"frame {index} is {_kind(frame)}; expected an object with 't' and 'landmarks'"
        )
    if "t" not in frame:
        raise LandmarksError(f"frame {index}: missing 't' (the frame's time in seconds)")
    t = _number(frame["t"], f"frame {index}: 't'", "the frame's time in seconds")
    if abs(t) > MAX_SECONDS:  # a clock gone wrong; its gaps would fill notes with digits
        raise LandmarksError(
            f"frame {index}: 't' is {t:g}; expected the frame's time in seconds, at most "
            f"{MAX_SECONDS:,.0f} either side of zero (a day)"
        )
    if previous is not None and t <= previous:
        raise LandmarksError(
            f"frame {index}: 't' is {t:g}, not after frame {index - 1}'s {previous:g}; "
            "expected times that increase from frame to frame"
        )
    return t


_NUMBER_TYPES = (float, int)  # exact types: a bool is no number here


def _plainly_valid(points: list[object]) -> bool:
    """The common case, checked fast: 33 lists of four finite numbers in range. Any
    doubt goes to the slow check, which names the first problem."""
    if not all(type(p) is list and len(p) == 4 for p in points):
        return False
    flat: list[object] = [c for p in cast(list[list[object]], points) for c in p]
    if not all(type(c) in _NUMBER_TYPES for c in flat):
        return False
    numbers = cast(list[float], flat)  # every one checked just above
    if not all(map(math.isfinite, numbers)):
        return False
    xy = numbers[0::4] + numbers[1::4]
    z, seen = numbers[2::4], numbers[3::4]
    return bool(
        max(map(abs, xy)) <= COORD_LIMIT
        and max(map(abs, z)) <= Z_LIMIT
        and min(seen) >= 0.0
        and max(seen) <= 1.0
    )


def _frame_points(frame: dict[str, object], index: int) -> list[list[float]]:
    points = frame.get("landmarks")
    if not isinstance(points, list) or len(points) != POINTS:
        count = len(points) if isinstance(points, list) else 0
        what = (
            f"{count} point{'' if count == 1 else 's'}"
            if isinstance(points, list)
            else _kind(points)
        )
        if "landmarks" not in frame:
            what = "missing"
        raise LandmarksError(
            f"frame {index}: 'landmarks' is {what}; expected MediaPipe Pose's {POINTS} points"
        )
    if _plainly_valid(points):
        return cast(list[list[float]], points)  # what _plainly_valid checks
    for number, point in enumerate(points):
        _check_point(point, f"frame {index}: landmark {number}")
    # Not reached: the slow check found what the fast one doubted.
    return cast(list[list[float]], points)


def _check_point(point: object, where: str) -> None:
    if not isinstance(point, list) or len(point) != 4:
        what = f"{len(point)} numbers" if isinstance(point, list) else _kind(point)
        raise LandmarksError(f"{where} is {what}; expected [x, y, z, visibility]")
    x, y, z, visibility = (
        _number(value, f"{where}: {field}", "a finite number")
        for value, field in zip(point, ("x", "y", "z", "visibility"), strict=True)
    )
    if abs(x) > COORD_LIMIT or abs(y) > COORD_LIMIT:
        raise LandmarksError(
            f"{where}: x, y are {x:g}, {y:g}; expected normalised image coordinates "
            "(0 to 1 inside the picture)"
        )
    if abs(z) > Z_LIMIT:
        raise LandmarksError(f"{where}: z is {z:g}; expected MediaPipe's depth, near 0")
    if not 0.0 <= visibility <= 1.0:
        raise LandmarksError(f"{where}: visibility is {visibility:g}; expected 0 to 1")
