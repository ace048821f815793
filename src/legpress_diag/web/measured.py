"""`/v1/measure`: a filmed set's body landmarks in, the measured answer record out.

The same core as `legpress-diag measure`: the landmarks are checked strictly (an error
names the frame and field, and is a 422), then measured; what cannot be measured is in
the record's `not_measured` with its reason.
"""

from __future__ import annotations

from ..measure import LandmarksError, measure, parse_landmarks
from .service import RequestProblem, to_json

# A request's landmarks: about 12,000 frames (nearly 7 minutes at 30 fps) written out.
MAX_LANDMARKS_BYTES = 16 * 1024 * 1024


def measure_body(body: bytes) -> str:
    """The measured record of a landmarks JSON body, as JSON text."""
    try:
        marks = parse_landmarks(body)
    except LandmarksError as exc:
        raise RequestProblem(422, str(exc)) from None
    return to_json(measure(marks).record)
