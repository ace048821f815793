"""LP101 unknown-field: a field the format does not have (often a typo).

The closest valid field name is suggested.

Bad:
    fixes:
      - id: slow_down
        title: Slow down
        hwo: Lower the sled slowly.

Good:
    fixes:
      - id: slow_down
        title: Slow down
        how: Lower the sled slowly.

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.UNKNOWN_FIELD
NAME = "unknown-field"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
