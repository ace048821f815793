"""How many per-record messages `diagnose` says on stderr, and what it says of the rest."""

from __future__ import annotations

import sys
from typing import IO

# On a terminal, 3,333 error lines scroll the progress bar and the summary away: show
# this many, then say how many more there were and where they all are. A log file
# (stderr not a terminal) gets every line.
TERMINAL_MESSAGES = 20


def message_limit() -> float:
    """How many per-record messages to show on stderr (inf: all of them)."""
    return TERMINAL_MESSAGES if is_terminal(sys.stderr) else float("inf")


def hidden_messages(hidden: int) -> str:
    return (
        f"... and {hidden:,} more record message{'s' * (hidden != 1)}: every record's errors "
        "and warnings are in its result (--format jsonl, or -o results.jsonl, holds them all)"
    )


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):  # a closed or detached stream
        return False
