"""LP003 yaml-alias: anchors and aliases are not allowed.

Aliases (`*name`) are how "billion laughs" files expand to gigabytes, so rule files
may not use them. Write the value out in full.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
