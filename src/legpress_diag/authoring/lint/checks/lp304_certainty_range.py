"""LP304 certainty-range: a certainty factor outside [-1, 1].

A rule's `cf` says how strongly its condition supports (positive) or speaks against
(negative) its conclusion; 1 is certain. Anything beyond is meaningless.

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
PHASE = "load"  # the schema reports it while validating the file
