"""Measured answers over HTTP: `/v1/measure`, and the page's upload of a filmed set.

The same core as `legpress-diag measure`: landmarks JSON is checked strictly (an error
names the frame and field, and is a 422), then measured; what cannot be measured is in
the record's `not_measured` with its reason. Text that is not JSON is a 400
(``not-json``), JSON that is not valid landmarks a 422 (``invalid-landmarks``). A video
is read only where the measure extra is installed (``video.available()``); elsewhere
it is a 501 (``measure-extra-missing``). A video is written to a private temporary
folder that is deleted when it has been read, whatever happens; nothing of it is kept.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import tempfile
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..foundation.jsonvalue import JsonObject, JsonValue
from ..intake.measured import same_answer
from ..measure import LandmarksError, measure, parse_landmarks
from ..measure.landmarks import LandmarksNotJson
from ..measure.video import VIDEO_SUFFIXES, VideoUnavailable, available
from .limits import Deadline, Limits, WorkPool
from .problems import RequestProblem
from .service import to_json

if TYPE_CHECKING:
    from ..measure import Measurement


def measure_body(body: bytes, deadline: Deadline) -> str:
    """The measured record of a landmarks JSON body, as JSON text."""
    return to_json(measure_landmarks(body, deadline).record)


def measure_landmarks(body: bytes, deadline: Deadline) -> Measurement:
    """Landmarks JSON measured; RequestProblem 400/422 when it is not valid landmarks."""
    try:
        marks = parse_landmarks(body)
    except LandmarksNotJson as exc:
        raise RequestProblem("not-json", str(exc)) from None
    except LandmarksError as exc:
        raise RequestProblem("invalid-landmarks", str(exc)) from None
    deadline.check()
    return measure(marks)


def measure_video_bytes(
    data: bytes, suffix: str, limits: Limits, deadline: Deadline
) -> Measurement:
    """A video measured: written to a private temporary folder (only its owner can
    read it) that is removed when this returns or raises. 501 without the extra, 413
    over the size cap, 422 when it cannot be read or is too long."""
    from ..measure import measure_video

    if not available():
        raise RequestProblem(
            "measure-extra-missing",
            "this server cannot read a video: the measure extra is not installed; send "
            "the body landmarks as JSON instead",
        )
    if len(data) > limits.max_video_bytes:
        raise RequestProblem(
            "too-large", f"the video is larger than {limits.max_video_bytes:,} bytes"
        )
    with tempfile.TemporaryDirectory(prefix="legpress-video-") as folder:
        path = Path(folder) / f"set{suffix if suffix in VIDEO_SUFFIXES else '.mp4'}"
        path.write_bytes(data)
        try:
            return measure_video(path, max_seconds=limits.max_video_length, check=deadline.check)
        except VideoUnavailable as exc:
            raise RequestProblem("measure-extra-missing", str(exc)) from None
        except LandmarksError as exc:
            raise RequestProblem("invalid-landmarks", f"the video: {exc}") from None


_VIDEO_POOLS: weakref.WeakKeyDictionary[WorkPool, WorkPool] = weakref.WeakKeyDictionary()

# A video's type as sent over HTTP, to the suffix OpenCV reads it by.
VIDEO_TYPES = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}


def video_pool(pool: WorkPool) -> WorkPool:
    """Where videos are read, one at a time, within ``video_seconds`` each (reading a
    video takes far longer than any other request); stopped with the server's pool."""
    videos = _VIDEO_POOLS.get(pool)
    if videos is None:
        limits = pool.limits
        videos = WorkPool(
            replace(limits, seconds=limits.video_seconds, work_threads=1, inline_body_bytes=0)
        )
        videos.stopping = pool.stopping
        _VIDEO_POOLS[pool] = videos
    return videos


def still_measured(
    answers: Mapping[str, JsonValue], measured: Mapping[str, JsonObject]
) -> list[str]:
    """The answers of an interview that are still the measured value, in answer order
    (an answer the lifter changed in a later step is theirs), as the result's
    ``measured`` lists them."""
    return [
        key
        for key, value in answers.items()
        if key in measured and same_answer(measured[key].get("value"), value)
    ]


@dataclass(frozen=True)
class Upload:
    """The file of the page's upload form."""

    filename: str
    content_type: str
    data: bytes

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix.lower()

    @property
    def is_video(self) -> bool:
        return self.suffix in VIDEO_SUFFIXES or self.content_type.startswith("video/")


def read_upload(body: bytes, content_type: str, field: str = "film") -> Upload:
    """The file ``field`` of a multipart/form-data body (the page's upload form), read
    with the standard library's MIME parser; RequestProblem 400 when there is none."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise RequestProblem(
            "unsupported-media-type", "the upload must be sent as multipart/form-data"
        )
    _check_form_shape(body, content_type)
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if message.is_multipart():
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name != field:
                continue
            data = part.get_payload(decode=True)
            filename = part.get_filename() or ""
            if isinstance(data, bytes) and (data or filename):
                if not data:
                    break
                return Upload(filename, part.get_content_type(), data)
    raise RequestProblem(400, "no file was sent: choose the file of your filmed set")


# The page's form has one file field; a browser adds nothing else. More parts, or a
# part that is itself multipart, is no upload from the page: the standard library's
# parser takes time for each part (180,000 tiny parts held the server 40 s) and
# recurses into nested ones (3,000 levels: RecursionError).
MAX_FORM_PARTS = 8
_PART_HEAD_BYTES = 8 * 1024


def _check_form_shape(body: bytes, content_type: str) -> None:
    """RequestProblem 400 unless ``body`` has at most MAX_FORM_PARTS parts, none of
    them multipart: checked on the bytes, before the MIME parser sees them."""
    header = email.message.Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise RequestProblem(400, "the upload form has no boundary")
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    parts = body.count(delimiter) - 1  # the last delimiter closes the form
    if parts > MAX_FORM_PARTS:
        raise RequestProblem(
            400,
            f"the upload form has {parts} parts; the page sends one file (at most "
            f"{MAX_FORM_PARTS} parts are read)",
        )
    # Each part's head only, never a copy of the body (a video may be 32 MiB).
    at = body.find(delimiter)
    while at != -1:
        start = at + len(delimiter)
        head = body[start : start + _PART_HEAD_BYTES].split(b"\r\n\r\n", 1)[0].lower()
        if b"multipart/" in head:
            raise RequestProblem(400, "the upload form holds a form inside a part")
        at = body.find(delimiter, start)


__all__ = [
    "MAX_FORM_PARTS",
    "VIDEO_TYPES",
    "Upload",
    "measure_body",
    "measure_landmarks",
    "measure_video_bytes",
    "read_upload",
    "still_measured",
    "video_pool",
]
