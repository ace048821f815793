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


class FixRefOut(_Out):
    id: str
    title: str


class FixOut(_Out):
    title: str
    how: str


class PlanStepOut(_Out):
    """One step of the plan: a fix, once, however many causes list it."""

    fix: str = Field(description="the fix's id")
    title: str
    how: str
    for_causes: list[str] = Field(description="the reported causes this fix addresses, by rank")
    weight: float = Field(
        description="the summed certainty of those causes: how much of the likely cause "
        "this fix addresses; the plan is ordered by it (ties: the rule base's order)"
    )
    closing: bool = Field(
        description="true for the closing step: if it keeps hurting, a break from the leg "
        "press with the alternatives, then a return with the fixes"
    )


class BecauseOut(_Out):
    question: str
    answer: str | int | float | list[str]
    in_words: str | int | float


class RuleStepOut(_Out):
    rule: str
    defined_at: str | None = Field(description="file:line of the rule")
    if_: str = Field(alias="if")
    cf: float = Field(description="the rule's certainty factor")
    premise: float = Field(description="certainty of the condition when the rule fired")
    contribution: float = Field(description="cf x premise")
    answers: dict[str, str | int | float | list[str]]
    facts: dict[str, float]


class StepOut(_Out):
    certainty: float
    rules: list[RuleStepOut]
    arithmetic: list[str] = Field(description="the EMYCIN combination, step by step")


class CauseReasoningOut(StepOut):
    facts: list[str] = Field(
        description="derived facts this cause rests on; see the result's 'facts'"
    )
    because: list[BecauseOut]


class CauseOut(_Out):
    rank: int
    id: str
    title: str
    certainty: float = Field(ge=0, le=1)
    explanation: str
    fixes: list[FixRefOut] = Field(
        description="in order; the result's 'fixes' says how to do each; empty in a referral"
    )
    information_only: bool = Field(
        description="true in a referral: listed for the clinician, with no exercise advice"
    )
    reasoning: CauseReasoningOut


class AlternativeOut(_Out):
    id: str
    title: str
    why: str
    how: str
    variations: list[str]
    needs: list[str]
    avoid_if: str
    for_causes: list[str]


class FlagAnswerOut(_Out):
    key: str = Field(description="a safety question")
    answer: str | int | float | list[str] = Field(description="the answer given, 'unsure' too")


class RedFlagOut(_Out):
    id: str
    level: Literal["emergency", "urgent", "clinician"] = Field(
        description="emergency: an emergency department now; urgent: a doctor today; "
        "clinician: a physiotherapist or doctor before training again"
    )
    title: str
    advice: str
    unsure: bool = Field(description="raised because a safety answer was 'unsure'")
    because: list[FlagAnswerOut] = Field(description="the answers that raised the flag")


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
    facts: dict[str, StepOut] = Field(
        description="reasoning behind each derived fact the causes use"
    )
    fixes: dict[str, FixOut] = Field(description="how to do each fix the causes list, once")
    plan: list[PlanStepOut] = Field(
        default_factory=list,
        description="what to do first: every fix once, the one addressing most of the likely "
        "cause first, the break-and-return step last; empty unless the status is 'ok'",
    )
    alternatives: list[AlternativeOut]
    red_flags: list[RedFlagOut]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    notes: list[str]
    rulebase: RuleBaseIdentity
