"""Exit statuses of the contract, named once."""

from __future__ import annotations

OK = 0  # success
FINDINGS = 1  # the work ran but found errors: an invalid record, a failing case, a lint error
CANNOT_RUN = 2  # bad usage, a rule base that does not load, unreadable input
INTERNAL = 3  # a bug in legpress-diag
INTERRUPTED = 130  # Ctrl-C

# Signals whose default action ends the process: each is handled like Ctrl-C (the run
# unwinds, a half-written output's temporary file is removed, `ask` saves its
# answers) and the exit status is 128 + N. Without a handler, SIGQUIT, SIGUSR1 and
# SIGALRM left the temporary file behind (attack round 5, P10).
ENDING_SIGNALS = ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM")
