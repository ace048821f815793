"""LP205 wrong-type: a test does not fit the question's type.

Numbers are compared with `<`, `>`...; choices with `==` or `in`; multi-choice
questions with `includes`; yes/no questions and facts stand on their own.

Bad:
    rules:
      - {id: back, if: pain_location == lower_back, then: butt_off_seat, cf: 0.2, source: coach}

Good:
    rules:
      - {id: back, if: pain_location includes lower_back, then: butt_off_seat, cf: 0.2, source: coach}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.WRONG_TYPE
NAME = "wrong-type"
SEVERITY = Severity.ERROR
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
