"""LP102 invalid-value: a field is missing, or its value has the wrong type or form.

Values are read strictly: a number in quotes is text, and an unquoted `no` is the
text "no", never a boolean.

Found while the rule base loads (in `knowledge/packs/tomlfile.py`,
`knowledge/sources.py`), so every command refuses a rule base with this mistake
(exit status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/packs/tomlfile.py", "knowledge/sources.py")
