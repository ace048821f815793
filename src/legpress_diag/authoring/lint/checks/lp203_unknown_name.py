"""LP203 unknown-name: a condition names a question or fact that does not exist.

The closest valid name is suggested.

Found while the rule base loads (in `knowledge/conditions/compile.py`,
`knowledge/loader.py`), so every command refuses a rule base with this mistake (exit
status 2), not only lint.

Bad:
    rules:
      - {id: deep, if: knee_angel < 80, then: excess_depth, cf: 0.3, source: coach}

Good:
    rules:
      - {id: deep, if: knee_angle_at_bottom < 80, then: excess_depth, cf: 0.3, source: coach}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.UNKNOWN_NAME
NAME = "unknown-name"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/conditions/compile.py", "knowledge/loader.py")
