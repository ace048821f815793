"""LP003 yaml-alias: anchors and aliases are not allowed.

Aliases (`*name`) are how "billion laughs" files expand to gigabytes, so rule files
may not use them. Write the value out in full.

Found while the rule base loads (in `knowledge/yamlsafe.py`), so every command
refuses a rule base with this mistake (exit status 2), not only lint.

Bad:
    fixes:
      - &slow {id: slow_down, title: Slow down, how: Lower the sled slowly.}
      - *slow

Good:
    fixes:
      - {id: slow_down, title: Slow down, how: Lower the sled slowly.}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.YAML_ALIAS
NAME = "yaml-alias"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/yamlsafe.py",)
