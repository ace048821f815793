"""LP001 yaml-syntax: the file is not valid YAML.

Unclosed brackets or quotes, tabs used for indentation, a second document after
`---`: what is wrong, in plain words, at the line and column where the parser
gave up, and how to write it instead.

Found while the rule base loads (in `knowledge/packs/tomlfile.py`,
`knowledge/yamlsafe.py`), so every command refuses a rule base with this mistake
(exit status 2), not only lint.

Bad:
    fixes:
      - id: slow_down
        title: [Slow down
        how: Lower the sled for three seconds.

Good:
    fixes:
      - id: slow_down
        title: Slow down
        how: Lower the sled for three seconds.

"""

from __future__ import annotations

from ....foundation import codes
from ....foundation.problems import Severity

CODE = codes.YAML_SYNTAX
NAME = "yaml-syntax"
SEVERITY = Severity.ERROR
PHASE = "load"
# The logic lives below authoring/, where it is found (REPORTED_BY): every command must
# refuse such a rule base, and the loader may not import lint. This module documents
# the code; tests run its examples through the loader and through lint.
REPORTED_BY = ("knowledge/packs/tomlfile.py", "knowledge/yamlsafe.py")
