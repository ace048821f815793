"""`/v1/measure`: a filmed set's body landmarks in, the measured answer record out.

The same core as `legpress-diag measure`: the landmarks are checked strictly (an error
names the frame and field, and is a 422), then measured; what cannot be measured is in
the record's `not_measured` with its reason. Text that is not JSON is a 400
(``not-json``), JSON that is not valid landmarks a 422 (``invalid-landmarks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..intake.measured import same_answer
from ..measure import LandmarksError, measure, parse_landmarks
from ..measure.landmarks import LandmarksNotJson
from .limits import Deadline
from .problems import RequestProblem
from .service import to_json


def measure_body(body: bytes, deadline: Deadline) -> str:
    """The measured record of a landmarks JSON body, as JSON text."""
    try:
        marks = parse_landmarks(body)
    except LandmarksNotJson as exc:
        raise RequestProblem("not-json", str(exc)) from None
    except LandmarksError as exc:
        raise RequestProblem("invalid-landmarks", str(exc)) from None
    deadline.check()
    return to_json(measure(marks).record)


def still_measured(
    answers: Mapping[str, Any], measured: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """The answers of an interview that are still the measured value, in answer order
    (an answer the lifter changed in a later step is theirs), as the result's
    ``measured`` lists them."""
    return [
        key
        for key, value in answers.items()
        if key in measured and same_answer(measured[key].get("value"), value)
    ]
