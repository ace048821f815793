"""LP004 yaml-tag: explicit YAML tags are not allowed.

Tags such as `!!python/object` ask a loader to build objects or run code; rule
files hold plain data only, so any tag is refused before anything is built.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
