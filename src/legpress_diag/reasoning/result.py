"""The one shape of a diagnosis result, as typed dictionaries.

A result is built once, here in the core, as plain dicts (fast to build and to
encode), and every writer reads the same value. These TypedDicts give that value a
type mypy checks end to end, and ``presentation/output_model.py`` generates the
published JSON Schema (``docs/schema/diagnosis.schema.json``) from them, so the
schema cannot drift from what the code builds.

Two levels of detail share the one shape. The default carries every text a client
shows a person (contract v3): the causes with their certainty, plain explanation,
fixes and ``because`` (the answers and rules that led to each), each fix's title and
how to do it, the plan, the alternatives with how to do them, and the flags with
their advice. ``explain=True`` adds only the rule-level reasoning (``reasoning`` on
each cause, ``facts``): the fields marked ``NotRequired`` below.

The field docstrings become the schema's descriptions. ``typing_extensions`` rather
than ``typing``: pydantic reads TypedDicts only from there on Python 3.11. Both it and
``annotated_types`` (for the certainty's range) are tiny and come with pydantic.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired

from annotated_types import Interval
from typing_extensions import TypedDict

AnswerValue = str | int | float | list[str]
Status = Literal["ok", "refer", "unscreened", "no_fault_found", "error"]
Level = Literal["emergency", "urgent", "clinician"]


class FixRefOut(TypedDict):
    id: str
    title: str


class FixOut(TypedDict):
    title: str
    how: str
    """how to do it, in plain words"""


class PlanStepOut(TypedDict):
    """One step of the plan: a fix, once, however many causes list it."""

    fix: str
    """the fix's id; its title is in the result's 'fixes'"""
    for_causes: list[str]
    """the reported causes this fix addresses, by rank: those that list it and those
    they explain"""
    weight: float
    """the summed certainty of those causes: how much of the likely cause this fix
    addresses; the plan is ordered by it (ties: the rule base's order), after the
    fixes of a root cause that explains another reported cause, which lead"""
    closing: bool
    """true for the closing step: if it keeps hurting, a break from the leg press with
    the alternatives, then a return with the fixes"""
    title: str
    """the fix's title"""
    how: str
    """how to do it"""


class CauseBecauseOut(TypedDict):
    """Which answers and which rules led to a cause, in brief."""

    answers: dict[str, AnswerValue]
    """the answers that mattered, as given, nearest rule first"""
    rules: list[str]
    """the rules that concluded the cause, then those behind the facts it rests on"""


class BecauseOut(TypedDict):
    question: str
    answer: AnswerValue
    in_words: str | int | float


RuleStepOut = TypedDict(
    "RuleStepOut",
    {
        "rule": str,
        "defined_at": str | None,  # file:line of the rule
        "if": str,
        "cf": float,  # the rule's certainty factor
        "premise": float,  # certainty of the condition when the rule fired
        "contribution": float,  # cf x premise
        "answers": dict[str, AnswerValue],
        "facts": dict[str, float],
    },
)


class StepOut(TypedDict):
    certainty: float
    rules: list[RuleStepOut]
    arithmetic: list[str]
    """the EMYCIN combination, step by step"""


class CauseReasoningOut(StepOut):
    facts: list[str]
    """derived facts this cause rests on; see the result's 'facts'"""
    because: list[BecauseOut]


class CauseOut(TypedDict):
    rank: int
    id: str
    title: str
    certainty: Annotated[float, Interval(ge=0, le=1)]
    """0 to 1"""
    fixes: list[FixRefOut]
    """in order; the result's 'plan' and 'fixes' say more; empty in a referral"""
    information_only: bool
    """true in a referral: listed for the clinician, with no exercise advice"""
    because: CauseBecauseOut
    explains: NotRequired[list[str]]
    """reported causes this one is a root of, by rank (feet set low explain heels that
    lift): this cause ranks above them and its fixes lead the plan; absent when none"""
    explained_by: NotRequired[list[str]]
    """reported causes that are a root of this one, by rank: this cause is a sign of
    them (heels lifting, because the feet sit low); absent when none"""
    explanation: NotRequired[str]
    """what the fault is, why it hurts and what helps, in plain words (never in a
    referral, which carries no exercise advice)"""
    reasoning: NotRequired[CauseReasoningOut]
    """the rule-level reasoning (with --explain)"""


class AlternativeOut(TypedDict):
    id: str
    title: str
    why: str
    avoid_if: str
    """when not to use it (a caution, so it is in every result)"""
    for_causes: list[str]
    how: str
    """how to do it"""
    variations: list[str]
    needs: list[str]
    """equipment it needs (the equipment question's values)"""


class ReadFromOut(TypedDict):
    key: str
    """the record's own key: a note, a coach's column, a misspelt id"""
    answer: str
    """its answer as given (shortened past 200 characters)"""


class FlagAnswerOut(TypedDict):
    key: str
    """a safety question"""
    answer: AnswerValue
    """the answer given, 'unsure' too"""
    read_from: NotRequired[ReadFromOut]
    """where a 'not sure' was read from when it was not the question's own key (a note
    or column whose words mention the sign); absent otherwise"""


class RedFlagOut(TypedDict):
    id: str
    level: Level
    """emergency: an emergency department now; urgent: a doctor today; clinician: a
    physiotherapist or doctor before training again"""
    title: str
    advice: str
    unsure: bool
    """raised because a safety answer was 'unsure'"""
    because: list[FlagAnswerOut]
    """the answers that raised the flag"""


class ProblemOut(TypedDict):
    key: str
    value: str | None
    message: str
    expected: str | None


class RuleBaseIdentity(TypedDict):
    name: str
    version: str
    hash: str


class MeasurementOut(TypedDict):
    """(v3) One answer measured from a filmed set, in words a person reads."""

    value: AnswerValue
    """the measured answer"""
    in_words: str
    """the measured answer in words, with how many reps it rests on ('about 62°,
    measured in 5 reps')"""
    evidence: str
    """what it rests on, in words (the record's evidence text; '' when it has none)"""
    reps: int
    """the reps measured (0 when the record does not say)"""
    confidence: float
    """the measurement's confidence, 0 to 1"""
    lifter_answer: NotRequired[AnswerValue]
    """the lifter's own answer, when it differs from the measured one: it is the answer
    used, and the measurement is shown beside it"""
    lifter_words: NotRequired[str]
    """the lifter's own answer in words"""


class DiagnosisOut(TypedDict):
    """One result of `legpress-diag diagnose` (one JSON Lines row)."""

    id: str | int
    line: NotRequired[int | None]
    """input line, for line-based input"""
    status: Status
    """ok: causes found and the safety screen complete and clear; refer: a warning
    sign (see red_flags); unscreened (v3): causes found but the safety screen is not
    complete (see the warning naming the unanswered keys), so it must never be shown
    as a cleared result; no_fault_found; error: the record is invalid"""
    causes: list[CauseOut]
    fixes: dict[str, FixOut]
    """each fix the causes list, once; empty in a referral"""
    plan: list[PlanStepOut]
    """what to do first: every fix once, the one addressing most of the likely cause
    first, the break-and-return step last; empty unless the status is 'ok'"""
    alternatives: list[AlternativeOut]
    red_flags: list[RedFlagOut]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    notes: list[str]
    rulebase: RuleBaseIdentity
    measured: NotRequired[list[str]]
    """(v3) the answers measured from a filmed set (`legpress-diag measure`) rather than
    given by the lifter, by question id; only in the result of a record that carries
    measurements. An answer the lifter changed is theirs and is not listed."""
    measurements: NotRequired[dict[str, MeasurementOut]]
    """(v3) every measured answer of the record, by question id, in words with its
    evidence, the ones the lifter changed too (with the lifter's answer, which is the
    one used); only in the result of a record that carries measurements"""
    facts: NotRequired[dict[str, StepOut]]
    """reasoning behind each derived fact the causes use (with --explain)"""
