"""LP006 too-large: nesting, a value or the number of nodes is past the limits.

Limits: 64 levels of nesting, 100,000 characters in one value, 200,000 nodes.
They keep a hostile file from exhausting memory or the stack.

Bad:
    fixes: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]

Good:
    fixes: []

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.TOO_LARGE
NAME = "too-large"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
