"""LP201 duplicate-id: two definitions share an id, or a question's id would be read
as a safety question's.

To change a definition from another file on purpose, say `replaces: true`.

A question id is refused too when answer keys would read it as a safety question:
an id that differs from one only in case or spacing (`Saddle_Numbness`), one a
letter or so from it (`saddle_numbnes`), one of its short names (`fever`,
`fever_yn`, `fever_or_chills`, `incontinence`), or an id that holds a short name
among other words (`q_fever`, `recent_fever`, `fever_last_year`). A yes sent under
such a key is that warning sign's yes, or makes it "not sure"; a question of that id
would take it from the screen. Give the question an id that names no warning sign
(`coach_felt_hot_last_week`); `replaces: true` cannot help.

Found while the rule base loads (in `knowledge/loader.py`), so every command refuses
a rule base with this mistake (exit status 2), not only lint.

Bad:
    fixes:
      - {id: reduce_the_load, title: Lighter, how: Take a plate off.}

Good:
    fixes:
      - {id: reduce_the_load, title: Lighter, how: Take a plate off., replaces: true}

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.DUPLICATE_ID
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/loader.py",)
