"""The problem codes the loader reports itself, by name (LP0xx-LP2xx, LP304, LP320).

Each has a lint check module in authoring/lint/checks that documents it and takes its
CODE from here, so the code a load error carries and the one `rules lint --explain`
describes are one constant. Checks that only the linter runs keep their code in
their own module.
"""

from __future__ import annotations

from typing import Final

YAML_SYNTAX: Final = "LP001"
UNREADABLE_FILE: Final = "LP002"
YAML_ALIAS: Final = "LP003"
YAML_TAG: Final = "LP004"
DUPLICATE_KEY: Final = "LP005"
TOO_LARGE: Final = "LP006"
UNKNOWN_FIELD: Final = "LP101"
INVALID_VALUE: Final = "LP102"
DUPLICATE_ID: Final = "LP201"
CONDITION_SYNTAX: Final = "LP202"
UNKNOWN_NAME: Final = "LP203"
NOT_A_CHOICE: Final = "LP204"
WRONG_TYPE: Final = "LP205"
UNKNOWN_REFERENCE: Final = "LP206"
SCREEN_REPLACED: Final = "LP207"
EXPLAINS_CYCLE: Final = "LP208"
CERTAINTY_RANGE: Final = "LP304"
ADVICE_IN_REFERRAL: Final = "LP320"
