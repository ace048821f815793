"""LP206 unknown-reference: an id that refers to nothing.

A rule's `then`, a cause's `fixes`, `alternatives` and `explains`, an alternative's
`needs` and `needs_any`, or `replaces: true` with nothing to replace.

Bad:
    causes:
      - {id: seat_too_low, title: Seat too low, explanation: The seat sits too low., fixes: [raise_seat]}

Good:
    causes:
      - {id: seat_too_low, title: Seat too low, explanation: The seat sits too low., fixes: [stop_at_90_degrees]}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.UNKNOWN_REFERENCE
NAME = "unknown-reference"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
