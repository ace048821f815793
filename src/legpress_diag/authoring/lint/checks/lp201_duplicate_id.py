"""LP201 duplicate-id: two definitions share an id.

To change a definition from another file on purpose, say `replaces: true`.

Bad:
    fixes:
      - {id: reduce_the_load, title: Lighter, how: Take a plate off.}

Good:
    fixes:
      - {id: reduce_the_load, title: Lighter, how: Take a plate off., replaces: true}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.DUPLICATE_ID
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
