"""LP101 unknown-field: a field the format does not have (often a typo).

The closest valid field name is suggested.

Found while the rule base loads (in `knowledge/packs/tomlfile.py`,
`knowledge/sources.py`), so every command refuses a rule base with this mistake
(exit status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/packs/tomlfile.py", "knowledge/sources.py")
