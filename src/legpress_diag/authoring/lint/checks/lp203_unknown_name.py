"""LP203 unknown-name: a condition names a question or fact that does not exist.

The closest valid name is suggested.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
