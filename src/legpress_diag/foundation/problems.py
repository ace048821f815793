"""Diagnostics as data: what went wrong, where, and what would be right.

Every problem the project reports about a user's input (a YAML syntax error, a schema
error, an unknown name in a condition, a lint finding) becomes a :class:`Diagnostic`.
Renderers decide how to show them; nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from .values import FieldsRepr, FieldsValue


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True, repr=False)
class SourceSpan(FieldsRepr):
    """A 1-based region of a source file (lines and columns both count from 1)."""

    path: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, repr=False, eq=False)
class Diagnostic(FieldsValue):
    """One finding. ``code`` is stable (``LP203``); ``hint`` says what would be right."""

    code: str
    severity: Severity
    message: str
    span: SourceSpan | None = None
    hint: str | None = None
    key_path: tuple[str | int, ...] = field(default=())

    def format(self) -> str:
        """``file:line:col: CODE message (hint)``; non-errors name their severity."""
        where = f"{self.span}: " if self.span else ""
        level = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        text = f"{where}{self.code} {level}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        span = self.span
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "path": span.path if span else None,
            "line": span.line if span else None,
            "col": span.col if span else None,
            "end_line": span.end_line if span else None,
            "end_col": span.end_col if span else None,
            "key_path": ".".join(str(part) for part in self.key_path) or None,
        }


class LegpressError(Exception):
    """Base of the errors a user can cause. The CLI turns them into exit status 2."""


class RuleBaseError(LegpressError):
    """The rule base could not be loaded. Carries every diagnostic found, not just the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        first = self.diagnostics[0].format() if self.diagnostics else "unknown problem"
        more = len(self.diagnostics) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))


class EngineLoopError(LegpressError):
    """The rules kept changing each other's conclusions past the firing bound;
    ``rule_id`` names the rule that went past it."""

    def __init__(self, message: str, rule_id: str | None = None) -> None:
        super().__init__(message)
        self.rule_id = rule_id


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest valid spelling, or None when nothing is close
    (see :func:`closest`)."""
    match = closest(name, candidates)
    return None if match is None else f"did you mean '{match}'?"


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest valid spelling of ``name``, or None when nothing is close.

    Names are often typed short ('knee_angel' for 'knee_angle_at_bottom'), so each
    candidate is also compared by its first len(name) characters.

    A name more than twice as long as the longest candidate gets no suggestion: it
    is no typo of any of them, and comparing it would cost time in proportion to its
    length times the candidates' (a megabyte key took over a minute). The answer is
    kept by (name, candidates): a batch repeats the same misspelt column in every row.
    """
    candidates = tuple(candidates)
    longest = max((len(c) for c in candidates), default=0)
    if len(name) > 2 * longest:
        return None  # (and a megabyte is never kept)
    return _did_you_mean(name, candidates)


@lru_cache(maxsize=4096)
def _did_you_mean(name: str, candidates: tuple[str, ...]) -> str | None:
    import difflib  # only needed when something is misspelt

    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, name, candidate).ratio()
        start = difflib.SequenceMatcher(None, name, candidate[: len(name)]).ratio()
        return max(whole, 0.95 * start)

    # SequenceMatcher.ratio() is the cost (two per candidate). The share of letters
    # two strings have in common bounds it from above (difflib's quick_ratio), so the
    # candidates are scored best bound first and the rest skipped once no bound can
    # beat the best score found: the same answer, for a fraction of the work.
    letters = _letters(name)

    def bound(candidate: str) -> float:
        whole = _common_share(letters, len(name), candidate)
        start = _common_share(letters, len(name), candidate[: len(name)])
        return max(whole, 0.95 * start)

    # The best is the highest score, then the shortest, then the first listed.
    best: tuple[float, int, int] | None = None
    match = None
    bounds = sorted((-bound(c), i) for i, c in enumerate(candidates))
    for negative_limit, index in bounds:
        if -negative_limit < (_MIN_SCORE if best is None else best[0]):
            break  # no candidate left can reach the best score, or a typo's
        candidate = candidates[index]
        key = (score(candidate), -len(candidate), -index)
        if best is None or key > best:
            best, match = key, candidate
    if best is None or best[0] < _MIN_SCORE:
        return None
    return match


_MIN_SCORE = 0.6  # below this, a name is no typo of the candidate


@lru_cache(maxsize=8192)
def _letters(text: str) -> dict[str, int]:
    """How many times each character occurs (candidates are counted once, then kept)."""
    return dict(Counter(text))


def _common_share(letters: dict[str, int], length: int, other: str) -> float:
    """2 x the letters two strings share (as multisets) / their total length: an upper
    bound of difflib's ratio."""
    total = length + len(other)
    if not total:
        return 1.0
    theirs = _letters(other)
    shared = sum(min(count, theirs.get(char, 0)) for char, count in letters.items())
    return 2.0 * shared / total
