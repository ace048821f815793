"""LP202 condition-syntax: a condition does not parse.

Conditions use `and`, `or`, `not`, comparisons, `in [...]` and `includes`.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
