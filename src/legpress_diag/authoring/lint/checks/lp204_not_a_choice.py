"""LP204 not-a-choice: a condition compares a question with a value it cannot take.

Choice values are checked against the question's `choices`.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
