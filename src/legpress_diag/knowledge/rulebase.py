"""The compiled rule base: what the loader produces and the engine reads.

Everything here is immutable and already checked: every name a condition uses
exists, every id a cause lists resolves. Nothing here knows about YAML or files
beyond the source spans kept for explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from ..foundation.problems import SourceSpan
from ..foundation.values import FieldsValue
from .conditions.ast import Condition
from .facts import NormalisedAnswers

if TYPE_CHECKING:
    from .index import RuleIndex

# Working memory seen by compiled conditions: normalized answers and fact certainties.
Answers = NormalisedAnswers
Beliefs = Mapping[str, float]
Evaluator = Callable[[Answers, Beliefs], float]


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI = "multi"
    NUMBER = "number"


class FlagLevel(StrEnum):
    EMERGENCY = "emergency"  # an emergency department now
    URGENT = "urgent"  # a doctor today
    CLINICIAN = "clinician"  # a physiotherapist or doctor before training again

    @property
    def rank(self) -> int:
        """0 for the most urgent level; sorts flags most urgent first."""
        return _LEVEL_ORDER.index(self)

    def lowered(self) -> FlagLevel:
        """One level less urgent, never below clinician (for an 'unsure' answer)."""
        return _LEVEL_ORDER[min(self.rank + 1, len(_LEVEL_ORDER) - 1)]


_LEVEL_ORDER = (FlagLevel.EMERGENCY, FlagLevel.URGENT, FlagLevel.CLINICIAN)


@dataclass(frozen=True, repr=False, eq=False)
class Question(FieldsValue):
    """A question a lifter answers, with the answers it allows."""

    id: str
    type: QuestionType
    text: str
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, label), in declared order
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    group: str = "general"
    source: str = ""
    span: SourceSpan | None = None
    replaced_by: tuple[str, ...] = ()
    # A number question's answers in words, (label, number), in display order.
    words: tuple[tuple[str, float], ...] = ()
    # Defined in a rule file outside the bundled base: asked in its own words, but a
    # result names it in the tool's (COACH_QUESTION_LABEL), so a coach's text never
    # stands inside a referral (attack round 8, F1 and F3).
    from_coach: bool = False

    def number_for(self, text: str) -> float | None:
        """The number a word answer stands for: its letter (a, b, ...), its label, or
        the unique start of one ("much" for "much deeper ..."); None if none fits."""
        said = " ".join(text.lower().split())
        if not said or not self.words:
            return None
        letters = {chr(ord("a") + i): number for i, (_, number) in enumerate(self.words)}
        if said in letters:
            return letters[said]
        exact = [n for label, n in self.words if label.lower() == said]
        starts = [n for label, n in self.words if label.lower().startswith(said)]
        found = exact or starts
        return found[0] if len(found) == 1 and len(said) >= 3 else None

    # Asked (and missing from a complete screen) only once this question is yes or unsure.
    follow_up_of: str | None = None
    # What a form may call a safety question in a word or two: such a key's answer,
    # unless a no, makes it "not sure" (index.safety_named_in_short).
    short_names: tuple[str, ...] = ()
    # Patterns of words that mention a safety sign without naming it: such a key's or
    # reply's answer, unless a plain no, makes it "not sure" (knowledge/related.py).
    related_words: tuple[str, ...] = ()

    # Computed once: these are read for every answer of every record.
    @cached_property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @cached_property
    def labels(self) -> dict[str, str]:
        return dict(self.choices)

    def label(self, value: str) -> str:
        return self.labels.get(value, value)

    def expected(self) -> str:
        """Plain words for what a valid answer looks like (used in error messages)."""
        if self.type is QuestionType.YES_NO:
            return "yes, no or unsure"
        if self.type is QuestionType.CHOICE:
            return "one of " + ", ".join(self.choice_values)
        if self.type is QuestionType.MULTI:
            return "a list of any of " + ", ".join(self.choice_values) + " ([] for none)"
        unit = f" ({self.unit})" if self.unit else ""
        return f"a number from {self.minimum:g} to {self.maximum:g}{unit}"


@dataclass(frozen=True, repr=False, eq=False)
class Fact(FieldsValue):
    """An intermediate conclusion rules derive and other rules read."""

    id: str
    title: str
    description: str = ""
    source: str = ""
    span: SourceSpan | None = None
    # Defined in a rule file outside the bundled base: a referral's "why" names it in
    # the tool's words (COACH_FACT_LABEL), not by its title (attack round 8, F2).
    from_coach: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class Rule(FieldsValue):
    """``when`` holds → ``then`` is believed with certainty ``cf``, compiled."""

    id: str
    condition: Condition
    condition_text: str
    evaluate: Evaluator = field(repr=False, compare=False)
    concludes: str
    cf: float
    order: int
    salience: int = 0
    note: str = ""
    source: str = ""
    span: SourceSpan | None = None
    questions: frozenset[str] = frozenset()
    facts: frozenset[str] = frozenset()
    key_path: tuple[str | int, ...] = ()  # where the rule sits in its file, for lint
    # Defined in a rule file outside the bundled base: a referral's "why" shows neither
    # its note nor its source, which are free text (attack round 8, F2).
    from_coach: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class Fix(FieldsValue):
    """What to change, with how to do it; ``unless`` hides it when its answers say so."""

    id: str
    title: str
    how: str
    source: str = ""
    span: SourceSpan | None = None
    unless: Evaluator | None = field(default=None, repr=False, compare=False)
    unless_text: str = ""
    unless_questions: frozenset[str] = frozenset()


@dataclass(frozen=True, repr=False, eq=False)
class Alternative(FieldsValue):
    """An exercise to use instead, and the equipment it needs."""

    id: str
    title: str
    how: str
    why: str
    variations: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    avoid_if: str = ""
    source: str = ""
    span: SourceSpan | None = None
    unless: Evaluator | None = field(default=None, repr=False, compare=False)
    unless_text: str = ""
    unless_questions: frozenset[str] = frozenset()
    needs_any: tuple[str, ...] = ()

    def available(self, have: frozenset[str] | set[str] | None) -> bool:
        """Whether the equipment allows it; ``None`` (not asked) allows everything."""
        if have is None:
            return True
        return set(self.needs) <= have and (not self.needs_any or bool(have & set(self.needs_any)))


@dataclass(frozen=True, repr=False, eq=False)
class Cause(FieldsValue):
    """A cause of the pain, with the fixes and alternatives it points to."""

    id: str
    title: str
    explanation: str
    fixes: tuple[str, ...]
    alternatives: tuple[str, ...] = ()
    source: str = ""
    span: SourceSpan | None = None
    explains: tuple[str, ...] = ()  # causes this one is a root of (checked acyclic)
    # Defined in a rule file outside the bundled base: not listed in a referral (a
    # title is free text, and a referral carries no words of a coach's file).
    from_coach: bool = False


# What a lifter is told of a warning sign a coach's rule file adds: the file's own
# title and advice stay with the file (``rules show``), and a referral says only
# where to go and how soon, in these words.
COACH_FLAG_TITLE = "A warning sign your coach's rules look for"
COACH_QUESTION_LABEL = "a question of your coach's rules"
COACH_FACT_LABEL = "a finding of your coach's rules"
COACH_RULE_LABEL = "a rule of your coach's"
COACH_FLAG_ADVICE = {
    FlagLevel.EMERGENCY: (
        "Your answers show a warning sign that your coach's rules send to an emergency "
        "department: go now, and do not train."
    ),
    FlagLevel.URGENT: (
        "Your answers show a warning sign that your coach's rules send to a doctor: see "
        "one today, and do not train until you have been seen."
    ),
    FlagLevel.CLINICIAN: (
        "Your answers show a warning sign that your coach's rules send to a clinician: "
        "see a physiotherapist or doctor before you train again."
    ),
}


@dataclass(frozen=True, repr=False, eq=False)
class SafetyFlag(FieldsValue):
    """A warning sign: when it holds, the result refers instead of advising."""

    id: str
    condition: Condition
    condition_text: str
    evaluate: Evaluator = field(repr=False, compare=False)
    level: FlagLevel
    title: str
    advice: str
    source: str = ""
    span: SourceSpan | None = None
    questions: frozenset[str] = frozenset()
    if_unsure: str = ""
    # Risk factors among the questions: with one a definite yes, an unsure sign does
    # not lower the flag (see reasoning/safety.py).
    risk_factors: frozenset[str] = frozenset()
    # The level when raised by an unsure answer (None: one below ``level``).
    unsure_level: FlagLevel | None = None
    # Holding for certain, it keeps the flag from being raised; if_cleared then says
    # what would make it a warning sign after all.
    unless: Evaluator | None = field(default=None, repr=False, compare=False)
    unless_text: str = ""
    unless_questions: frozenset[str] = frozenset()
    if_cleared: str = ""
    # Defined in a rule file outside the bundled base: a lifter is shown the tool's
    # own words for its level, never the file's (attack rounds 4 to 7: a list of
    # forbidden words, then a rule for each sentence, were each reworded past).
    from_coach: bool = False

    @property
    def shown_title(self) -> str:
        return COACH_FLAG_TITLE if self.from_coach else self.title

    @property
    def shown_advice(self) -> str:
        return COACH_FLAG_ADVICE[self.level] if self.from_coach else self.advice

    @property
    def shown_if_unsure(self) -> str:
        """How to check an unsure answer; none for a coach's flag (and so no
        self-check is asked for it: the referral stands)."""
        return "" if self.from_coach else self.if_unsure


# A screen is asked as a pseudo-question "screen:ID" (not an identifier, so never a
# question id). In a checklist's reply, "?ID" marks an item the person cannot tell.
SCREEN_PREFIX = "screen:"
# A safety question asked again with its self-check, after a "not sure" that would end
# the check at clinician level: "check:ID" (see intake/questionnaire/choice.py).
CHECK_PREFIX = "check:"
UNSURE_MARK = "?"
# A checklist's extra choice: the items not ticked are "cannot tell" (unknown), not "no".
UNSURE_REST = UNSURE_MARK + "*"
UNSURE_REST_LABEL = "I am not sure about the ones I did not tick"
ScreenStyle = Literal["any_of", "pick"]


@dataclass(frozen=True, repr=False, eq=False)
class Screen(FieldsValue):
    """Yes/no questions asked together in one prompt (see schema_models.ScreenModel)."""

    id: str
    text: str
    items: tuple[tuple[str, str], ...]  # (question id, short wording), in order
    help: str = ""
    span: SourceSpan | None = None
    style: ScreenStyle = "any_of"  # see schema_models.ScreenModel
    # Defined in a rule file outside the bundled base: asked after the tool's own
    # screen (questionnaire.choice), and its text and labels never stand for a
    # question of the tool's in a result (presentation.render.words).
    from_coach: bool = False

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q for q, _ in self.items)


@dataclass(frozen=True, repr=False, eq=False)
class FaqEntry(FieldsValue):
    """A question people ask, with its answer and source."""

    id: str
    question: str
    answer: str
    source: str = ""
    span: SourceSpan | None = None


@dataclass(frozen=True, repr=False, eq=False)
class Settings(FieldsValue):
    """The rule base's thresholds and limits."""

    report_threshold: float = 0.2
    premise_threshold: float = 0.2
    equipment_question: str | None = None
    max_firings_per_rule: int = 50


@dataclass(frozen=True, repr=False, eq=False)
class RuleBase(FieldsValue):
    """Every definition of the loaded rule files, merged, checked and compiled."""

    name: str
    version: str
    content_hash: str
    files: tuple[str, ...]
    settings: Settings
    questions: dict[str, Question]
    facts: dict[str, Fact]
    causes: dict[str, Cause]
    fixes: dict[str, Fix]
    alternatives: dict[str, Alternative]
    safety_flags: dict[str, SafetyFlag]
    rules: tuple[Rule, ...]
    faq: dict[str, FaqEntry] = field(default_factory=dict)
    screens: dict[str, Screen] = field(default_factory=dict)
    # Lookups, strata and the engine's plan, derived from the rules when the rule base
    # is made (knowledge/index.py); dataclasses.replace() makes a fresh one.
    index: RuleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from .index import build_index

        object.__setattr__(self, "index", build_index(self))

    @property
    def rules_by_question(self) -> Mapping[str, tuple[Rule, ...]]:
        return self.index.by_question

    @property
    def rules_by_fact(self) -> Mapping[str, tuple[Rule, ...]]:
        return self.index.by_fact

    @property
    def rules_by_conclusion(self) -> Mapping[str, tuple[Rule, ...]]:
        return self.index.by_conclusion

    @property
    def strata(self) -> Mapping[str, int]:
        return self.index.strata

    @property
    def identity(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "hash": self.content_hash}

    def derived_ids(self) -> frozenset[str]:
        return self.index.derived_ids

    def safety_questions(self) -> frozenset[str]:
        return self.index.safety_questions
