"""LP005 duplicate-key: the same key appears twice in one mapping.

Most YAML loaders silently keep the last value; here it is an error, because one
of the two values is always lost.

Found while the rule base loads (in `knowledge/yamlsafe.py`), so every command
refuses a rule base with this mistake (exit status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/yamlsafe.py",)
