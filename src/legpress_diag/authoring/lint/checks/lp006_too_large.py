"""LP006 too-large: nesting, a value or the number of nodes is past the limits.

Limits: 64 levels of nesting, 100,000 characters in one value, 200,000 nodes.
They keep a hostile file from exhausting memory or the stack.

Found while the rule base loads (in `knowledge/yamlsafe.py`), so every command
refuses a rule base with this mistake (exit status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/yamlsafe.py",)
