"""LP208 explains-cycle: causes that explain each other in a loop.

A cause's `explains` names the causes it is a root of: feet set low on the plate
explain heels that lift. The root then ranks above its signs, so the links must
run one way. A cause that explains itself, or two causes that explain each other
(directly or through others), cannot be ranked.

Found while the rule base loads (in `knowledge/loader.py`), so every command refuses
a rule base with this mistake (exit status 2), not only lint.

Bad:
    causes:
      - {id: feet_low, title: Feet low on the plate, explanation: Low feet lift the heels., explains: [heels_up]}
      - {id: heels_up, title: Heels lift, explanation: The heels come up., explains: [feet_low]}

Good:
    causes:
      - {id: feet_low, title: Feet low on the plate, explanation: Low feet lift the heels., explains: [heels_up]}
      - {id: heels_up, title: Heels lift, explanation: The heels come up.}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.EXPLAINS_CYCLE
NAME = "explains-cycle"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/loader.py",)
