"""LP202 condition-syntax: a condition does not parse.

Conditions use `and`, `or`, `not`, comparisons, `in [...]` and `includes`.

Found while the rule base loads (in `knowledge/loader.py`), so every command refuses
a rule base with this mistake (exit status 2), not only lint.

Bad:
    rules:
      - {id: heels-and-depth, if: heels_lift && knee_angle_at_bottom < 90, then: heels_lifting, cf: 0.2, source: coach}

Good:
    rules:
      - {id: heels-and-depth, if: heels_lift and knee_angle_at_bottom < 90, then: heels_lifting, cf: 0.2, source: coach}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.CONDITION_SYNTAX
NAME = "condition-syntax"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/loader.py",)
