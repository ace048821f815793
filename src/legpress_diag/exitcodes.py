"""Exit statuses of the contract, named once."""

from __future__ import annotations

OK = 0  # success
FINDINGS = 1  # the work ran but found errors: an invalid record, a failing case, a lint error
CANNOT_RUN = 2  # bad usage, a rule base that does not load, unreadable input
INTERNAL = 3  # a bug in legpress-diag
INTERRUPTED = 130  # Ctrl-C
