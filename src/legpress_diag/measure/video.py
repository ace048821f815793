"""A video file to landmarks, on this machine, with the pose model MediaPipe ships.

Needs the ``measure`` extra (``pip install 'legpress-diag[measure]'``): MediaPipe
0.10.21, whose wheel carries the pose models its legacy ``mediapipe.solutions.pose``
API runs (``model_complexity=1`` uses ``pose_landmark_full.tflite`` from inside the
wheel; nothing is downloaded at run time), and OpenCV (which MediaPipe brings) to
read the frames. The video is read frame by frame and never leaves the machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Protocol, TypedDict

from ..foundation.problems import LegpressError
from .landmarks import (
    JOINT_INDEX,
    MAX_FRAMES,
    POINTS,
    Landmarks,
    LandmarksError,
    Side,
    check_landmarks,
)

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm"})
MAX_VIDEO_BYTES = 1024 * 1024 * 1024  # 1 GiB
MAX_VIDEO_SECONDS = 300.0  # a set takes a minute or two; five minutes is plenty
MISSING_EXTRA = (
    "reading a video needs the measure extra (MediaPipe's pose model and OpenCV): "
    "pip install 'legpress-diag[measure]'; or give the landmarks as JSON"
)


class VideoUnavailable(LegpressError):
    """The measure extra is not installed (exit status 2, with how to install it)."""


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


def _modules() -> tuple[ModuleType, ModuleType]:
    try:
        import cv2  # type: ignore[import-not-found, unused-ignore]
        import mediapipe  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:
        raise VideoUnavailable(f"{MISSING_EXTRA} ({exc})") from None
    if not hasattr(mediapipe, "solutions"):
        raise VideoUnavailable(
            f"MediaPipe {getattr(mediapipe, '__version__', '?')} has no mediapipe.solutions "
            "(its pose models are no longer in the package); install the measure extra, "
            "which pins 0.10.21"
        )
    return cv2, mediapipe


def available() -> bool:
    """Whether the measure extra is installed (found, not imported: MediaPipe takes
    seconds to import), so a front end offers a video only where it can read one."""
    from importlib.util import find_spec

    return find_spec("mediapipe") is not None and find_spec("cv2") is not None


# What is read of OpenCV's frames and MediaPipe's results (neither ships types).
class _Image(Protocol):
    @property
    def shape(self) -> tuple[int, ...]: ...


class _Point(Protocol):
    x: float
    y: float
    z: float
    visibility: float


class _Pose(Protocol):
    @property
    def landmark(self) -> Sequence[_Point]: ...


class _Result(Protocol):
    @property
    def pose_landmarks(self) -> _Pose | None: ...


def _frames(
    cv2: ModuleType, path: Path, max_seconds: float = MAX_VIDEO_SECONDS
) -> Iterator[tuple[float, _Image]]:
    """(time, RGB frame) for each frame of the video, within the caps."""
    size = path.stat().st_size
    if size > MAX_VIDEO_BYTES:
        raise LandmarksError(f"the video is larger than {MAX_VIDEO_BYTES:,} bytes")
    capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            raise LandmarksError("the video cannot be read (not a video, or a codec OpenCV lacks)")
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        if not math.isfinite(fps) or not 0 < fps <= 1000:
            raise LandmarksError(f"the video gives no usable frame rate ({fps:g} per second)")
        limit = min(MAX_FRAMES, int(max_seconds * fps))
        index = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if index >= limit:
                raise LandmarksError(
                    f"the video is longer than {limit:,} frames ({max_seconds:g} s); "
                    "cut it to the set"
                )
            yield index / fps, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            index += 1
    finally:
        capture.release()


def _points(result: _Result) -> list[list[float]]:
    if result.pose_landmarks is None:
        return [[0.0, 0.0, 0.0, 0.0] for _ in range(POINTS)]
    return [
        [float(p.x), float(p.y), float(p.z), float(p.visibility)]
        for p in result.pose_landmarks.landmark
    ]


class _Frame(TypedDict):
    t: float
    landmarks: list[list[float]]


def _facing(frames: list[_Frame]) -> Side:
    """The side whose hip, knee and ankle MediaPipe saw best."""

    def seen(side: str) -> float:
        return sum(
            float(f["landmarks"][JOINT_INDEX[f"{side}_{limb}"]][3])
            for f in frames
            for limb in ("hip", "knee", "ankle")
        )

    return "left" if seen("left") >= seen("right") else "right"


def read_video(
    path: Path,
    view: Side | None = None,
    *,
    max_seconds: float = MAX_VIDEO_SECONDS,
    check: Callable[[], None] = lambda: None,
) -> tuple[Landmarks, int]:
    """The landmarks of each frame, and in how many frames a person was found.

    ``view`` is the side facing the camera; None picks the side MediaPipe saw best.
    ``check`` runs before each frame (a server's deadline raises there)."""
    cv2, mediapipe = _modules()
    frames: list[_Frame] = []
    found = 0
    width = height = 0
    with mediapipe.solutions.pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        for t, image in _frames(cv2, path, max_seconds):
            check()
            height, width = image.shape[:2]
            result = pose.process(image)
            found += result.pose_landmarks is not None
            frames.append({"t": t, "landmarks": _points(result)})
    if not frames:
        raise LandmarksError("the video holds no frames")
    rate = (len(frames) - 1) / frames[-1]["t"] if len(frames) > 1 else 30.0
    data = {
        "fps": round(rate, 3),
        "width": width,
        "height": height,
        "view": view or _facing(frames),
        "frames": frames,
    }
    return check_landmarks(data), found
