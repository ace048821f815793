"""LP304 certainty-range: a certainty factor outside [-1, 1].

A rule's `cf` says how strongly its condition supports (positive) or speaks against
(negative) its conclusion; 1 is certain. Anything beyond is meaningless.

Found while the rule base loads (in `knowledge/sources.py`), so every command
refuses a rule base with this mistake (exit status 2), not only lint.

Bad:
    rules:
      - {id: heels, if: heels_lift, then: heels_lifting, cf: 1.5, source: coach}

Good:
    rules:
      - {id: heels, if: heels_lift, then: heels_lifting, cf: 0.5, source: coach}
"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.CERTAINTY_RANGE
NAME = "certainty-range"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/sources.py",)
