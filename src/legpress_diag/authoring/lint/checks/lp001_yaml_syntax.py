"""LP001 yaml-syntax: the file is not valid YAML.

Unclosed brackets or quotes, tabs used for indentation, a second document after
`---`: what is wrong, in plain words, at the line and column where the parser
gave up, and how to write it instead.

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
PHASE = "load"  # reported by the loader while reading the files; nothing to run here
