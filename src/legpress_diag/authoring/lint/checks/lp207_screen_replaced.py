"""LP207 screen-replaced: a rule file replaces part of the safety screen.

A safety flag, a screen, or a question of the safety group cannot be replaced with
`replaces: true`: a replacement could make a warning sign fire less often, at a
lower level, or with exercise advice in it. The screen is a floor that rule files
add to: write a flag of your own, with a new id, reading the same questions.

Nor may a screen of a rule file list one of the tool's own safety questions: a screen
is asked in its own words, and "none of these" answers every sign in it, so a screen
of yours could ask an emergency sign as something harmless and record it as "no". A
screen of yours may group your own safety questions; the tool asks those after its
own screen, and only when that found no warning sign.

Found while the rule base loads (in `knowledge/loader.py`), so every command refuses
a rule base with this mistake (exit status 2), not only lint.

Bad:
    safety_flags:
      - id: saddle_numbness
        replaces: true
        when: saddle_numbness and bladder_bowel_change
        level: clinician
        title: Numbness with bladder trouble
        advice: See a physiotherapist.
        source: "coach"

Good:
    safety_flags:
      - id: saddle_numbness_in_my_gym
        when: saddle_numbness
        level: emergency
        title: Numbness in the saddle area
        advice: Go to an emergency department now and tell the front desk.
        source: "coach"

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.SCREEN_REPLACED
NAME = "screen-replaced"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/loader.py",)
