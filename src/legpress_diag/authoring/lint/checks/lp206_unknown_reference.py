"""LP206 unknown-reference: an id that refers to nothing.

A rule's `then`, a cause's `fixes`, `alternatives` and `explains`, an alternative's
`needs` and `needs_any`, or `replaces: true` with nothing to replace.

Found while the rule base loads (in `knowledge/loader.py`,
`knowledge/packs/layers.py`), so every command refuses a rule base with this mistake
(exit status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/loader.py", "knowledge/packs/layers.py")
