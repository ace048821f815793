"""LP102 invalid-value: a field is missing, or its value has the wrong type or form.

Values are read strictly: a number in quotes is text, and an unquoted `no` is the
text "no", never a boolean.

Bad:
    questions:
      - id: seat_notch
        type: number
        text: Which notch is the seat on?
        min: 1

Good:
    questions:
      - id: seat_notch
        type: number
        text: Which notch is the seat on?
        min: 1
        max: 12

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.INVALID_VALUE
NAME = "invalid-value"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
