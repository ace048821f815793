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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge.index import fold_key
from ..knowledge.rulebase import FlagLevel, QuestionType, RuleBase, SafetyFlag
from .answers import (
    MAX_UNKNOWN_LISTED,
    NO_WORDS,
    InvalidAnswer,
    denormalize,
    is_unsure,
    normalize_value,
    words,
)
from .result import Level, RedFlagOut

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


@dataclass(frozen=True)
class RaisedFlag:
    """One red flag the answers raise, with the level and advice that apply to them."""

    flag: SafetyFlag
    level: FlagLevel
    unsure: bool  # raised only because an answer was "unsure"
    because: tuple[tuple[str, Any], ...]  # (question id, answer as given)

    @property
    def advice(self) -> str:
        if not self.unsure:
            return self.flag.advice
        return self.flag.if_unsure or (
            "You were not sure about this, so treat it as a warning sign: "
            + LEVEL_ACTION[self.level]
        )

    def to_dict(self) -> RedFlagOut:
        return {
            "id": self.flag.id,
            "level": _LEVEL_OUT[self.level],
            "title": self.flag.title,
            "advice": self.advice,
            "unsure": self.unsure,
            "because": [{"key": key, "answer": answer} for key, answer in self.because],
        }


@dataclass(frozen=True)
class ScreenOutcome:
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


def unsure_answers(rb: RuleBase, raw: Mapping[str, Any]) -> frozenset[str]:
    """Safety questions answered "not sure" in any of its forms (which normalize to
    unknown), under their own key or one that folds to it (see answers.fold_key)."""
    safety = rb.safety_questions()
    found = set()
    for key, value in raw.items():
        if (value.__class__ is bool or value == "no" or value == "yes") and key in rb.questions:
            continue  # the common, plain answer: neither unsure nor a second spelling
        if not isinstance(key, str):
            continue
        qid = key if key in rb.questions else rb.index.folded_ids.get(fold_key(key))
        if qid not in safety:
            continue
        # null is "not sure" on the screen (never a missing answer that could pass for
        # a screened one): a saved session and its record replay the same way.
        if (value is None or is_unsure(value)) and rb.questions[qid].type in (
            QuestionType.YES_NO,
            QuestionType.NUMBER,
        ):
            found.add(qid)
        elif qid != key and qid in raw and _read(rb, qid, value) != _read(rb, qid, raw[qid]):
            # The same question twice ('saddle_numbness' and 'Saddle_Numbness') with
            # different answers: nobody can tell which holds, so it is not sure.
            found.add(qid)
    return frozenset(found)


def misspelt_safety(rb: RuleBase, raw: Mapping[str, Any]) -> frozenset[str]:
    """Unanswered safety questions that an unknown key is very likely a misspelling of
    ('saddle_numbnes'), when its answer is not a plain "no": the screen reads them as
    unsure. The key stays an unknown-key warning (the contract's rule), but a "yes" to
    a warning sign behind a typo is never taken for a clear screen."""
    import difflib

    safety = rb.index.screen_questions
    longest = max((len(q) for q in safety), default=0)
    found = set()
    checked = 0
    for key, value in raw.items():
        if (
            not isinstance(key, str)
            or key in rb.questions
            or len(key) > 2 * longest
            or (isinstance(value, str) and words(value) in NO_WORDS)
            or value is False
        ):
            continue
        if rb.index.folded_ids.get(fold_key(key)) is not None:
            continue  # read as that question already (answers.normalize_answers)
        checked += 1
        if checked > MAX_UNKNOWN_LISTED:
            # Bounded work per record: a record of thousands of near-miss keys must not
            # cost minutes. What is not checked cannot pass for a screened answer
            # either: the question it may misspell is unanswered, so the result is
            # "unscreened" (or a referral), never "ok".
            break
        close = difflib.get_close_matches(fold_key(key), safety, n=1, cutoff=_TYPO_CUTOFF)
        if close and close[0] not in raw:
            found.add(close[0])
    return frozenset(found)


# difflib's ratio above which an unknown key is taken for a safety question misspelt
# (one letter off in a 15-letter id is about 0.97; 'saddle_setup' against
# 'saddle_numbness' is about 0.6).
_TYPO_CUTOFF = 0.85


def _read(rb: RuleBase, qid: str, value: Any) -> Any:
    try:
        return normalize_value(rb.questions[qid], value)
    except InvalidAnswer:  # an unreadable value differs from any readable one
        return value


def _possible_answers(
    rb: RuleBase, answers: Mapping[str, Any], unsure: frozenset[str]
) -> list[dict[str, Any]]:
    """The readings of the answers that an unsure reply could stand for: a yes/no as
    "yes", a number (age) at either end of its range, so that a condition such as
    ``age_years >= 65`` and one such as ``age_years < 20`` can both come true."""
    yes = {k: True for k in unsure if rb.questions[k].type is QuestionType.YES_NO}
    numbers = [k for k in unsure if rb.questions[k].type is QuestionType.NUMBER]
    low = {k: rb.questions[k].minimum for k in numbers}
    high = {k: rb.questions[k].maximum for k in numbers}
    readings = [{**answers, **yes, **high}]
    if numbers:
        readings.append({**answers, **yes, **low})
    return readings


def screen(
    rb: RuleBase,
    answers: Mapping[str, Any],
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
    for flag in rb.safety_flags.values() if present else ():
        if flag.questions.isdisjoint(present):
            continue
        if flag.evaluate(answers, {}) > threshold:
            level, uncertain = flag.level, False
        elif unsure & flag.questions and any(
            flag.evaluate(reading, {}) > threshold for reading in readings
        ):
            uncertain = True
            if _risk_factor_certain(rb, flag, answers, unsure):
                level = flag.level
            else:
                level = flag.unsure_level or flag.level.lowered()
        else:
            continue
        # Only a certain answer clears a flag: "not sure" whether it settled is not settled.
        if flag.unless is not None and flag.unless(answers, {}) > threshold:
            cleared.append(flag)
            continue
        raised.append(RaisedFlag(flag, level, uncertain, _because(rb, flag, answers, unsure)))
    raised.sort(key=lambda r: r.level.rank)  # stable: declared order within a level
    return ScreenOutcome(
        tuple(raised), _unanswered(rb, answers, listed_unsure), tuple(cleared) if not raised else ()
    )


def _risk_factor_certain(
    rb: RuleBase, flag: SafetyFlag, answers: Mapping[str, Any], unsure: frozenset[str]
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
    rb: RuleBase, flag: SafetyFlag, answers: Mapping[str, Any], unsure: frozenset[str]
) -> tuple[tuple[str, Any], ...]:
    """The answers that speak for the flag: yes, unsure and numbers (never a 'no')."""
    found: list[tuple[str, Any]] = []
    for key in rb.questions:  # declared order reads like the screen
        if key not in flag.questions:
            continue
        if key in unsure:
            found.append((key, "unsure"))
        elif key in answers and answers[key] is not False:
            found.append((key, denormalize(rb.questions[key], answers[key])))
    return tuple(found)


def _unanswered(
    rb: RuleBase, answers: Mapping[str, Any], unsure: frozenset[str]
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


def _asked(parent: str | None, answers: Mapping[str, Any], unsure: frozenset[str]) -> bool:
    """Whether a screen question is due: always, or for a follow-up once the question it
    follows was answered yes or "not sure"."""
    return parent is None or answers.get(parent) is True or parent in unsure


def incomplete_message(unanswered: tuple[str, ...]) -> str:
    return (
        "the safety screen is incomplete, so a warning sign may have been missed; "
        f"not answered: {', '.join(unanswered)}"
    )
