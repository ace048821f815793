"""The safety screen: which red flags the answers raise, at what level, and why.

The screen runs before any reasoning about form, the same way for every front end
(`ask`, `diagnose`, the Python API, reports), so they can never disagree. Three rules
shape it (the contract, section 3):

- An ``"unsure"`` answer to a safety question is never a ``"no"``. A flag that an
  unsure answer could raise is raised one level lower than a certain answer would
  raise it, never below ``clinician``, with the flag's advice on how to check.
- Any flag makes the result a referral without exercise advice (see ``diagnosis``).
- Safety questions left unanswered are named, so a client knows the screen is
  incomplete rather than clear.

The screen reads normalised answers only. Which safety questions were answered "not
sure" (they normalise to unknown) and which may hide behind a misspelt key is worked
out where the raw answers are read (``intake.answers``: ``unsure_answers``,
``misspelt_safety``) and handed over in ``ReadAnswers``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..foundation.values import FieldsValue
from ..knowledge.facts import NormalisedAnswers, NormalisedValue
from ..knowledge.rulebase import FlagLevel, QuestionType, RuleBase, SafetyFlag
from .answers import denormalize
from .result import AnswerValue, Level, RedFlagOut

# The result's spelling of each level (a Literal, so the result type stays exact).
_LEVEL_OUT: dict[FlagLevel, Level] = {
    FlagLevel.EMERGENCY: "emergency",
    FlagLevel.URGENT: "urgent",
    FlagLevel.CLINICIAN: "clinician",
}

INCOMPLETE_WARNING = "safety_screen_incomplete"
# A rule base with no safety screen at all (a coach's own rules with
# --no-default-rules): its results must not look screened.
MISSING_WARNING = "safety_screen_missing"
MISSING_MESSAGE = (
    "this rule base has no safety screen, so no warning sign can be recognised; "
    "use the bundled rules (without --no-default-rules) for a screened result"
)

# What each level asks a person to do, for flags raised by an uncertain answer that
# have no wording of their own.
LEVEL_ACTION = {
    FlagLevel.EMERGENCY: "go to an emergency department now.",
    FlagLevel.URGENT: "see a doctor today.",
    FlagLevel.CLINICIAN: "see a physiotherapist or doctor before you train again.",
}

# The note a referral carries, by its most urgent level. The emergency note holds no
# reassurance: nothing may soften "go now".
REFERRAL_NOTES = {
    FlagLevel.EMERGENCY: (
        "Go to an emergency department now, and do not train. If you cannot get there "
        "safely and quickly, call your local emergency number (999 in the UK, 911 in the "
        "US, 112 in the EU); do not wait for an appointment. This tool screens for "
        "warning signs; it does not diagnose. Show the staff the signs listed here."
    ),
    FlagLevel.URGENT: (
        "See a doctor today, and do not train until you have been seen. If you feel much "
        "worse or very unwell before then, go to an emergency department. This tool "
        "screens for warning signs; it does not diagnose disease: a doctor decides what "
        "the signs mean."
    ),
    FlagLevel.CLINICIAN: (
        "See a physiotherapist or doctor before you train again, or the doctor where a "
        "sign above says so. Bring these answers with you, and say what you notice on the "
        "leg press: it helps the clinician. Once a clinician has cleared "
        "you to train, run this check again for help with your form. This tool screens "
        "for warning signs; it does not diagnose disease: a professional decides what "
        "the signs mean."
    ),
}


@dataclass(frozen=True, repr=False, eq=False)
class RaisedFlag(FieldsValue):
    """One red flag the answers raise, with the level and advice that apply to them."""

    flag: SafetyFlag
    level: FlagLevel
    unsure: bool  # raised only because an answer was "unsure"
    because: tuple[tuple[str, AnswerValue], ...]  # (question id, answer as given)

    @property
    def advice(self) -> str:
        if not self.unsure:
            return self.flag.shown_advice
        return self.flag.shown_if_unsure or (
            "You were not sure about this, so treat it as a warning sign: "
            + LEVEL_ACTION[self.level]
        )

    def to_dict(self) -> RedFlagOut:
        return {
            "id": self.flag.id,
            "level": _LEVEL_OUT[self.level],
            "title": self.flag.shown_title,
            "advice": self.advice,
            "unsure": self.unsure,
            "because": [{"key": key, "answer": answer} for key, answer in self.because],
        }


@dataclass(frozen=True, repr=False, eq=False)
class ScreenOutcome(FieldsValue):
    """The safety screen's verdict for one record."""

    flags: tuple[RaisedFlag, ...]  # most urgent first, then declared order
    unanswered: tuple[str, ...]  # safety questions with no answer, in declared order
    # Flags whose condition held but whose `unless` cleared them (a sudden onset that
    # has clearly settled): their `if_cleared` safety net goes into the result.
    cleared: tuple[SafetyFlag, ...] = ()

    @property
    def level(self) -> FlagLevel | None:
        return self.flags[0].level if self.flags else None

    @property
    def emergency_sign(self) -> bool:
        """Whether a sign of the emergency level was answered yes or "not sure": then
        nothing else is listed, not even form causes for the clinician (an unsure
        emergency sign is referred one level lower, but it is still the only thing
        that matters)."""
        return any(raised.flag.level is FlagLevel.EMERGENCY for raised in self.flags)


def _possible_answers(
    rb: RuleBase, answers: NormalisedAnswers, unsure: frozenset[str]
) -> list[dict[str, NormalisedValue]]:
    """The readings of the answers that an unsure reply could stand for: a yes/no as
    "yes", a number (age) at either end of its range, so that a condition such as
    ``age_years >= 65`` and one such as ``age_years < 20`` can both come true."""
    yes = {k: True for k in unsure if rb.questions[k].type is QuestionType.YES_NO}
    numbers = [k for k in unsure if rb.questions[k].type is QuestionType.NUMBER]
    low: dict[str, NormalisedValue] = {}
    high: dict[str, NormalisedValue] = {}
    for k in numbers:
        question = rb.questions[k]
        # Every number question has both ends (schema_models.QuestionModel checks).
        assert question.minimum is not None and question.maximum is not None
        low[k], high[k] = question.minimum, question.maximum
    readings = [{**answers, **yes, **high}]
    if numbers:
        readings.append({**answers, **yes, **low})
    for k in numbers:
        # And at each number the rules compare it with, and either side of it: a
        # coach's band (13 to 17, or exactly 14) holds at neither end of the range, and
        # an unsure age never raised it (check 35, A-H3).
        question = rb.questions[k]
        for limit in _limits(rb, k):
            for number in (limit - 1, limit, limit + 1):
                if question.minimum <= number <= question.maximum:  # type: ignore[operator]
                    readings.append({**answers, **yes, **high, k: number})
    return readings


def _limits(rb: RuleBase, question_id: str) -> tuple[float, ...]:
    """knowledge.thresholds.flag_limits: the flags' own (a form rule's limit never
    changes the screen, and 3,000 of them made each unsure record slow: check 36, M2)."""
    from ..knowledge.thresholds import flag_limits  # only for an unsure number

    return flag_limits(rb, question_id)


def screen(
    rb: RuleBase,
    answers: NormalisedAnswers,
    unsure: frozenset[str] = frozenset(),
    unreadable: frozenset[str] = frozenset(),
) -> ScreenOutcome:
    """Evaluate every safety flag on normalized ``answers``.

    A flag holds for certain when its condition is true on the answers as given. It
    holds possibly when it becomes true once the ``unsure`` questions are read as
    "yes" (an unsure age as either end of its range): the conservative reading, since
    a warning sign nobody could rule out is treated as present until someone checks.
    ``unreadable`` safety answers (invalid values) count as unsure for the flags and
    stay listed as unanswered: what could not be read is neither a "no" nor an answer."""
    listed_unsure = unsure
    unsure = unsure | unreadable
    threshold = rb.settings.premise_threshold
    readings = _possible_answers(rb, answers, unsure) if unsure else []
    raised: list[RaisedFlag] = []
    cleared: list[SafetyFlag] = []
    # With none of its questions answered or unsure, every test of a flag is unknown,
    # its certainty 0: it cannot hold (the engine skips rules alike).
    present = rb.index.safety_questions.intersection(answers) | unsure
    no_facts: dict[str, float] = {}  # a flag reads answers only (made once, not per flag)
    for flag in rb.safety_flags.values() if present else ():
        if flag.questions.isdisjoint(present):
            continue
        if flag.evaluate(answers, no_facts) > threshold:
            level, uncertain = flag.level, False
        elif (
            unsure
            and not unsure.isdisjoint(flag.questions)
            and any(flag.evaluate(reading, {}) > threshold for reading in readings)
        ):
            uncertain = True
            if _risk_factor_certain(rb, flag, answers, unsure):
                level = flag.level
            else:
                level = flag.unsure_level or flag.level.lowered()
        else:
            continue
        # Only a certain answer clears a flag: "not sure" whether it settled is not
        # settled, and an unless over an unsure age must hold at every age it could be
        # (30 beside a second 14: `unless: age_years >= 16` cleared it; check 35).
        if (
            flag.unless is not None
            and flag.unless(answers, {}) > threshold
            and (
                flag.unless_questions.isdisjoint(unsure)
                or all(flag.unless(reading, {}) > threshold for reading in readings)
            )
        ):
            cleared.append(flag)
            continue
        raised.append(RaisedFlag(flag, level, uncertain, _because(rb, flag, answers, unsure)))
    raised.sort(key=lambda r: r.level.rank)  # stable: declared order within a level
    return ScreenOutcome(
        tuple(raised), _unanswered(rb, answers, listed_unsure), tuple(cleared) if not raised else ()
    )


def _risk_factor_certain(
    rb: RuleBase, flag: SafetyFlag, answers: NormalisedAnswers, unsure: frozenset[str]
) -> bool:
    """Whether the flag holds with its risk factors as answered and only its other
    questions (the trigger, say a fever) read as "yes": then the risk is certain and
    an uncertain trigger does not lower the level (contract v3)."""
    if not flag.risk_factors:
        return False
    triggers = unsure - flag.risk_factors
    if not triggers & flag.questions:
        return False
    threshold = rb.settings.premise_threshold
    return any(
        flag.evaluate(reading, {}) > threshold
        for reading in _possible_answers(rb, answers, triggers)
    )


def _because(
    rb: RuleBase, flag: SafetyFlag, answers: NormalisedAnswers, unsure: frozenset[str]
) -> tuple[tuple[str, AnswerValue], ...]:
    """The answers that speak for the flag: yes, unsure and numbers (never a 'no')."""
    found: list[tuple[str, AnswerValue]] = []
    for key in rb.questions:  # declared order reads like the screen
        if key not in flag.questions:
            continue
        if key in unsure:
            found.append((key, "unsure"))
        elif key in answers and answers[key] is not False:
            found.append((key, denormalize(rb.questions[key], answers[key])))
    return tuple(found)


def _unanswered(
    rb: RuleBase, answers: NormalisedAnswers, unsure: frozenset[str]
) -> tuple[str, ...]:
    screen_questions = rb.index.screen_questions
    questions = rb.questions
    missing = [
        q
        for q in screen_questions
        if q not in answers
        and q not in unsure
        and _asked(questions[q].follow_up_of, answers, unsure)
    ]
    if not missing:
        return ()
    # A version-1 question answered covers the questions that replaced it (and is
    # itself never asked for: its parts are, so it is not in screen_questions).
    covered = {
        r
        for q in rb.index.replaced
        if q in answers or q in unsure
        for r in rb.questions[q].replaced_by
    }
    return tuple(q for q in missing if q not in covered)


def _asked(parent: str | None, answers: NormalisedAnswers, unsure: frozenset[str]) -> bool:
    """Whether a screen question is due: always, or for a follow-up once the question it
    follows was answered yes or "not sure"."""
    return parent is None or answers.get(parent) is True or parent in unsure


def incomplete_message(unanswered: tuple[str, ...]) -> str:
    return (
        "the safety screen is incomplete, so a warning sign may have been missed; "
        f"not answered: {', '.join(unanswered)}"
    )
