"""LP002 unreadable-file: the file cannot be read as a rule file.

It is empty, missing, larger than 4 MB, not UTF-8, or holds a NUL byte.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
