"""LP004 yaml-tag: explicit YAML tags are not allowed.

Tags such as `!!python/object` ask a loader to build objects or run code; rule
files hold plain data only, so any tag is refused before anything is built.

Found while the rule base loads (in `knowledge/yamlsafe.py`), so every command
refuses a rule base with this mistake (exit status 2), not only lint.

Bad:
    fixes:
      - !!python/object:os.system {id: slow_down}

Good:
    fixes:
      - {id: slow_down, title: Slow down, how: Lower the sled slowly.}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.YAML_TAG
NAME = "yaml-tag"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/yamlsafe.py",)
