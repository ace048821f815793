"""LP005 duplicate-key: the same key appears twice in one mapping.

Most YAML loaders silently keep the last value; here it is an error, because one
of the two values is always lost.

Bad:
    fixes:
      - id: slow_down
        title: Slow down
        title: Slow reps
        how: Lower the sled slowly.

Good:
    fixes:
      - id: slow_down
        title: Slow down
        how: Lower the sled slowly.

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.DUPLICATE_KEY
NAME = "duplicate-key"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
