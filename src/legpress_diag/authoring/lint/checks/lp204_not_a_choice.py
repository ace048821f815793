"""LP204 not-a-choice: a condition compares a question with a value it cannot take.

Choice values are checked against the question's `choices`.

Found while the rule base loads (in `knowledge/conditions/compile.py`,
`knowledge/loader.py`), so every command refuses a rule base with this mistake (exit
status 2), not only lint.

Bad:
    rules:
      - {id: quick, if: rep_tempo == quick, then: fast_reps, cf: 0.5, source: coach}

Good:
    rules:
      - {id: quick, if: rep_tempo == fast, then: fast_reps, cf: 0.5, source: coach}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.NOT_A_CHOICE
NAME = "not-a-choice"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/conditions/compile.py", "knowledge/loader.py")
