"""LP205 wrong-type: a test does not fit the question's type.

Numbers are compared with `<`, `>`...; choices with `==` or `in`; multi-choice
questions with `includes`; yes/no questions and facts stand on their own. The
equipment question (`settings.equipment_question`) must be a multi question too:
alternatives' `needs` name its choices, and a lifter may have several.

Found while the rule base loads (in `knowledge/conditions/compile.py`,
`knowledge/loader.py`), so every command refuses a rule base with this mistake (exit
status 2), not only lint.

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
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/conditions/compile.py", "knowledge/loader.py")
