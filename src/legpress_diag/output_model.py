"""The shape of a diagnosis result, as pydantic models.

The engine builds plain dicts for speed; these models document that shape, are the
source of ``docs/schema/diagnosis.schema.json``, and tests validate real results
against them so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FixOut(_Out):
    id: str
    title: str
    how: str
    source: str


class BecauseOut(_Out):
    question: str
    asked: str
    answer: str | int | float | list[str]
    in_words: str | int | float


class RuleStepOut(_Out):
    rule: str
    defined_at: str | None = Field(description="file:line of the rule")
    if_: str = Field(alias="if")
    rule_certainty: float
    premise_certainty: float
    contribution: float
    answers: dict[str, str | int | float | list[str]]
    facts: dict[str, float]
    note: str
    source: str


class ChainStepOut(_Out):
    concludes: str
    certainty: float
    rules: list[RuleStepOut]
    arithmetic: list[str]


class ReasoningOut(_Out):
    because: list[BecauseOut]
    chain: list[ChainStepOut]


class CauseOut(_Out):
    rank: int
    id: str
    title: str
    certainty: float = Field(ge=0, le=1)
    explanation: str
    fixes: list[FixOut]
    reasoning: ReasoningOut
    source: str


class AlternativeOut(_Out):
    id: str
    title: str
    why: str
    how: str
    variations: list[str]
    needs: list[str]
    avoid_if: str
    for_causes: list[str]
    source: str


class RedFlagOut(_Out):
    id: str
    level: Literal["emergency", "clinician"]
    title: str
    advice: str
    source: str


class ProblemOut(_Out):
    key: str
    value: str | None
    message: str
    expected: str | None


class RuleBaseIdentity(_Out):
    name: str
    version: str
    hash: str


class DiagnosisOut(_Out):
    """One result of `legpress-diag diagnose` (one JSON Lines row)."""

    id: str | int
    line: int | None = Field(default=None, description="input line, for line-based input")
    status: Literal["ok", "refer", "no_fault_found", "error"]
    causes: list[CauseOut]
    alternatives: list[AlternativeOut]
    red_flags: list[RedFlagOut]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    notes: list[str]
    rulebase: RuleBaseIdentity
