"""LP002 unreadable-file: the file cannot be read as a rule file.

It is empty, missing, larger than 4 MB, not UTF-8, or holds a NUL byte.

Found while the rule base loads (in `knowledge/loader.py`,
`knowledge/packs/layers.py`, `knowledge/packs/tomlfile.py`, `knowledge/paths.py`,
`knowledge/sources.py`, `knowledge/yamlsafe.py`), so every command refuses a rule
base with this mistake (exit status 2), not only lint.

Bad:
    # (an empty file)

Good:
    fixes:
      - {id: slow_down, title: Slow down, how: Lower the sled for three seconds.}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.UNREADABLE_FILE
NAME = "unreadable-file"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = (
    "knowledge/loader.py",
    "knowledge/packs/layers.py",
    "knowledge/packs/tomlfile.py",
    "knowledge/paths.py",
    "knowledge/sources.py",
    "knowledge/yamlsafe.py",
)
