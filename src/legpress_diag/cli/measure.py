"""`legpress-diag measure`: answers measured from a filmed set's body landmarks."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from .. import exitcodes
from ..presentation.destination import CLOSED_STREAMS
from .common import echo_lines, fail, tell

if TYPE_CHECKING:
    from ..measure import Measurement
    from ..measure.landmarks import Side

HELP = """Measure answers from a filmed set: body landmarks (JSON) in, an answer record out.

FILE holds the body landmarks of each frame of a leg-press set filmed from the side, in
MediaPipe Pose's 33-point topology: {"fps": 30, "width": 1280, "height": 720, "view":
"left", "frames": [{"t": 0.0, "landmarks": [[x, y, z, visibility], ... 33 points]}]};
'-' reads standard input. The record it prints ("answers", "measured" with each
answer's evidence and confidence, "not_measured" with the reason) is what diagnose and
ask --answers read; an answer you give yourself overrides a measured one.

A video file (.mp4, .mov, .m4v, .avi, .mkv, .webm) is turned into landmarks on this
machine by MediaPipe's pose model, with the measure extra: pip install
'legpress-diag[measure]'. Nothing is downloaded and the video goes nowhere.

Exit status: 0 when at least one answer was measured, 1 when none could be, 2 when
the input is not valid landmarks. How to film, and how exact it is: docs/measure.md.

Examples:

  legpress-diag measure set.json --format table

  legpress-diag measure set.json > answers.json && legpress-diag diagnose answers.json

  legpress-diag measure set.json > me.json && legpress-diag ask --answers me.json

  legpress-diag measure set.mp4 --view left --format table
"""


class ViewSide(StrEnum):
    left = "left"
    right = "right"


class MeasureFormat(StrEnum):
    json = "json"
    table = "table"


def _open(file: str) -> IO[bytes]:
    if file == "-":
        if "stdin" in CLOSED_STREAMS:
            fail("standard input is closed; give a FILE instead of '-'")
        return sys.stdin.buffer
    path = Path(file)
    if path.is_dir():
        fail(f"{file}: is a directory; give a landmarks JSON file")
    try:
        return path.open("rb")
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror}")


def _measured(file: str, view: Side | None) -> Measurement:
    """Read, check and measure FILE (landmarks JSON, or a video with the measure
    extra); exit 2 on input that is not valid landmarks."""
    from ..measure import LandmarksError, measure, measure_video, read_landmarks
    from ..measure.video import VideoUnavailable, is_video

    name = "<stdin>" if file == "-" else file
    if file != "-" and is_video(Path(file)):
        try:
            return measure_video(Path(file), view)
        except (LandmarksError, VideoUnavailable) as exc:
            fail(f"{name}: {exc}")
    if view is not None:
        fail("--view is for a video; landmarks JSON names its own view")
    stream = _open(file)
    try:
        return measure(read_landmarks(stream))
    except LandmarksError as exc:
        fail(f"{name}: {exc}")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def measure_set(
    file: Annotated[
        str,
        typer.Argument(
            help="Landmarks JSON, '-' for stdin, or a video (.mp4, .mov, .avi, .mkv, .webm) "
            "with the measure extra.",
            metavar="FILE|-",
        ),
    ],
    fmt: Annotated[
        MeasureFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: the answer record (for diagnose and ask --answers); table: what was "
            "measured, in plain words.",
        ),
    ] = MeasureFormat.json,
    view: Annotated[
        ViewSide | None,
        typer.Option(
            "--view",
            help="For a video: the side of the body facing the camera (default: the side "
            "the pose model sees best).",
            show_default=False,
        ),
    ] = None,
) -> None:
    from ..presentation.render.measured import measured_lines

    result = _measured(file, view.value if view is not None else None)
    if fmt is MeasureFormat.table:
        echo_lines(measured_lines(result))
    else:
        typer.echo(json.dumps(result.record, ensure_ascii=False))
        for note in result.notes:
            tell(f"note: {note}")
    if not result.record["measured"]:
        raise typer.Exit(exitcodes.FINDINGS)
