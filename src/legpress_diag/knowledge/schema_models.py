"""The shape of a rule file, as pydantic models.

These models validate what YAML gives us (strictly: no string-to-number guessing)
and are the source of the JSON Schema that editors use to complete rule files.
Cross-references (does this fix exist? is this a choice of that question?) are
checked afterwards by the loader, where positions and suggestions are at hand.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .conditions.parser import KEYWORDS
from .related import pattern_problem

# Names usable inside conditions must look like identifiers.
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=80)]
# Rule ids are only ever referred to in explanations, so hyphens are fine.
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Source = Annotated[str, Field(max_length=500, description="Where the knowledge comes from.")]
Replaces = Annotated[
    bool,
    Field(description="Set to true to replace an earlier definition with the same id."),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class _Named(_Strict):
    id: Name
    replaces: Replaces = False

    @model_validator(mode="after")
    def _not_a_keyword(self) -> _Named:
        if self.id in KEYWORDS:
            raise ValueError(f"'{self.id}' is a word of the condition language; pick another id")
        return self


class RuleBaseMeta(_Strict):
    name: Text
    version: Text
    description: str = ""


class SettingsModel(_Strict):
    report_threshold: Annotated[float, Field(ge=0, le=1)] = 0.2
    premise_threshold: Annotated[float, Field(ge=0, lt=1)] = 0.2
    equipment_question: Name | None = None
    max_firings_per_rule: Annotated[int, Field(ge=1, le=10_000)] = 50


class QuestionModel(_Named):
    type: Literal["yes_no", "choice", "multi", "number"]
    text: Text
    help: str = ""
    choices: dict[Name, Text] | None = Field(
        default=None, description="For choice and multi questions: value -> label."
    )
    min: float | None = None
    max: float | None = None
    unit: str = ""
    words: dict[Text, float] | None = Field(
        default=None,
        description="For number questions a person may not be able to measure: answers "
        "in words, each with the number it stands for (inside min..max), in display order.",
    )
    group: Name = "general"
    replaced_by: list[Name] = Field(
        default_factory=list,
        description="Questions that ask the same thing in parts; the questionnaire asks "
        "those instead, and records that answer this one still work.",
    )
    follow_up_of: Name | None = Field(
        default=None,
        description="A yes/no question asked only after this one is answered yes or "
        "'not sure' (the screen counts it as unanswered only then).",
    )
    short_names: list[Text] = Field(
        default_factory=list,
        description="For a safety question: what a form may call it in a word or two "
        "('fever', 'sciatica'). A record's key that is one of them, and whose answer is "
        "not a no, makes the question 'not sure' for the screen; it never answers it.",
    )
    related_words: list[Text] = Field(
        default_factory=list,
        description="For a safety question: patterns of words that mention the sign "
        "without naming it ('pee|peeing|urin*', 'numb*|tingl* groin|genital*'): one to "
        "four slots separated by spaces, each slot words separated by '|', a word "
        "ending in '*' for the start of words, a slot starting with '!' for words that "
        "must be absent. A record's key (or a free-text answer, or a screen's reply) "
        "the tool cannot read that mentions the sign, answered anything but a plain "
        "no, makes the question 'not sure'; it never answers or clears it.",
    )
    source: Source = ""

    @field_validator("related_words")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            problem = pattern_problem(pattern)
            if problem is not None:
                raise ValueError(problem)
        return patterns

    @model_validator(mode="after")
    def _fits_type(self) -> QuestionModel:
        has_choices = self.type in ("choice", "multi")
        if has_choices and not self.choices:
            raise ValueError(f"a {self.type} question needs 'choices'")
        if not has_choices and self.choices is not None:
            raise ValueError(f"a {self.type} question takes no 'choices'")
        if self.type == "number":
            if self.min is None or self.max is None:
                raise ValueError("a number question needs 'min' and 'max'")
            if self.min >= self.max:
                raise ValueError(f"'min' ({self.min:g}) must be below 'max' ({self.max:g})")
            for label, number in (self.words or {}).items():
                if not self.min <= number <= self.max:
                    raise ValueError(
                        f"words: '{label}' stands for {number:g}, outside min..max "
                        f"({self.min:g} to {self.max:g})"
                    )
        elif self.words is not None:
            raise ValueError(f"only number questions take 'words', not {self.type}")
        elif self.min is not None or self.max is not None:
            raise ValueError(f"only number questions take 'min' and 'max', not {self.type}")
        return self


class FactModel(_Named):
    title: Text
    description: str = ""
    source: Source = ""


class RuleModel(_Strict):
    id: RuleId
    when: Text = Field(alias="if", description="The condition, e.g. 'knee_angle_at_bottom < 90'.")
    then: Name = Field(description="The derived fact or cause this rule concludes.")
    cf: Annotated[float, Field(ge=-1, le=1, description="Certainty factor of the conclusion.")]
    salience: Annotated[int, Field(ge=-1000, le=1000)] = 0
    note: str = Field(default="", description="Plain words: why this rule holds.")
    source: Source = ""
    replaces: Replaces = False


class CauseModel(_Named):
    title: Text
    explanation: Text
    fixes: list[Name] = Field(default_factory=list)
    alternatives: list[Name] = Field(default_factory=list)
    explains: list[Name] = Field(
        default_factory=list,
        description="Other causes this one is a root of (feet set low explain heels "
        "lifting). When both are reported, this cause ranks first, the others show "
        "under it, and its fixes lead the plan.",
    )
    source: Source = ""


class FixModel(_Named):
    title: Text
    how: Text
    unless: str | None = Field(
        default=None,
        description="A condition over answers; when it holds the fix is left out (the "
        "answers already rule it out, e.g. 'stop at a right angle' for someone who does).",
    )
    source: Source = ""


class AlternativeModel(_Named):
    title: Text
    how: Text
    why: Text
    variations: list[Text] = Field(default_factory=list)
    needs: list[Name] = Field(
        default_factory=list, description="Equipment choices that must all be available."
    )
    needs_any: list[Name] = Field(
        default_factory=list,
        description="Equipment choices of which at least one must be available.",
    )
    avoid_if: str = ""
    unless: str | None = Field(
        default=None,
        description="A condition over answers; when it holds the alternative is left out.",
    )
    source: Source = ""


class SafetyFlagModel(_Named):
    when: Text = Field(description="The condition that raises the flag.")
    level: Literal["emergency", "urgent", "clinician"] = Field(
        description="emergency: an emergency department now; urgent: a doctor today; "
        "clinician: a physiotherapist or doctor before training again."
    )
    title: Text
    advice: Text
    if_unsure: str = Field(
        default="",
        description="What to say when the flag is raised by an 'unsure' answer: how to "
        "check, and what to do either way.",
    )
    unsure_level: Literal["emergency", "urgent", "clinician"] | None = Field(
        default=None,
        description="The level when the flag is raised only by a 'not sure' answer; "
        "by default one level lower than 'level', never below clinician. Set it where "
        "an uncertain sign must still be seen as soon as a certain one (chest pain).",
    )
    risk_factors: list[Name] = Field(
        default_factory=list,
        description="The questions of the condition that are risk factors (age, a "
        "history, a treatment) rather than the sign itself. When a risk factor is a "
        "definite yes and only the sign was answered 'not sure', the flag keeps its "
        "level: an uncertain trigger never lowers a combination whose risk factor is "
        "certain.",
    )
    unless: Text | None = Field(
        default=None,
        description="A condition that, when it holds for certain, keeps the flag from "
        "being raised (for example a sudden onset that has clearly settled). An "
        "unknown or 'not sure' answer never clears a flag.",
    )
    if_cleared: str = Field(
        default="",
        description="With 'unless': the safety net shown in the result when the flag "
        "was cleared (what would make it a warning sign after all).",
    )
    source: Source = ""

    @model_validator(mode="after")
    def _cleared_needs_unless(self) -> SafetyFlagModel:
        if self.if_cleared and self.unless is None:
            raise ValueError("'if_cleared' is said when 'unless' clears the flag: add 'unless'")
        return self


class ScreenModel(_Named):
    """Yes/no questions asked as one prompt.

    ``any_of`` (the safety screen): "any of these?", where "none" answers every item
    "no" and anything else asks each item alone. ``pick`` (form observations): "which
    of these?", where the picked items are "yes" and the rest "no"."""

    text: Text
    help: str = ""
    style: Literal["any_of", "pick"] = Field(
        default="any_of",
        description="any_of: safety questions, asked as 'any of these?'; pick: form "
        "questions, asked as 'which of these happen?' (picked yes, others no).",
    )
    items: dict[Name, Text] = Field(
        description="Question id -> the short wording shown in the list, in order."
    )


class FaqModel(_Named):
    question: Text
    answer: Text
    source: Source = ""


class RuleFileModel(_Strict):
    """One rule file. Every section is optional; several files make one rule base."""

    rulebase: RuleBaseMeta | None = None
    settings: SettingsModel | None = None
    questions: list[QuestionModel] = Field(default_factory=list)
    facts: list[FactModel] = Field(default_factory=list)
    rules: list[RuleModel] = Field(default_factory=list)
    causes: list[CauseModel] = Field(default_factory=list)
    fixes: list[FixModel] = Field(default_factory=list)
    alternatives: list[AlternativeModel] = Field(default_factory=list)
    safety_flags: list[SafetyFlagModel] = Field(default_factory=list)
    screens: list[ScreenModel] = Field(default_factory=list)
    faq: list[FaqModel] = Field(default_factory=list)
