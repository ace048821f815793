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

import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..foundation.values import FieldsRepr, FieldsValue
from ..knowledge.conditions.ast import And, Condition, Not, Or, Truth, leaves
from ..knowledge.facts import NormalisedAnswers, NormalisedValue
from ..knowledge.rulebase import FlagLevel, QuestionType, RuleBase, SafetyFlag
from .answers import ReadFrom, denormalize
from .result import AnswerValue, DiagnosisOut, FlagAnswerOut, Level, RedFlagOut

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
    # For a "not sure" of ``because`` read from another key (a note, a column): that key
    # and its answer, so every format can show the words that raised the flag.
    read_from: Mapping[str, ReadFrom] = field(default_factory=dict)

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
            "because": [self._answer_out(key, answer) for key, answer in self.because],
        }

    def _answer_out(self, key: str, answer: AnswerValue) -> FlagAnswerOut:
        out: FlagAnswerOut = {"key": key, "answer": answer}
        source = self.read_from.get(key)
        if source is not None:
            out["read_from"] = source.to_dict()
        return out


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


# Tests tried for one record, all flags together: each reading of a flag's unsure
# answers costs as many tests as its condition has. A flag still unsettled when the
# budget is spent (a coach's flag over many unsure answers) is taken as possible and
# its 'unless' as not holding, the safe side (an over-referral at worst), so no
# record, and no pack, can cost without bound. The bundled flags need about 300 with
# every safety answer "not sure"; a coach's pack of 300 flags over 12 unsure answers
# cost 0.4 s a record before the bound (check 38, A-M1: 74.6 s for 1 MB, 3.6 s before
# the joint readings), and 4,096 tests a record still made a pack of 300 flags over a
# 12-choice answer 3 times slower than before (check 39, A-H2).
MAX_READING_TESTS = 1024


@dataclass(repr=False, eq=False)
class _Budget(FieldsRepr):
    """The tests a record may still try (see MAX_READING_TESTS)."""

    left: int = MAX_READING_TESTS


@dataclass(frozen=True, repr=False, eq=False)
class _Shape(FieldsValue):
    """What the readings of a condition need to know of it."""

    tests: int  # how many tests it makes: the cost of one reading
    named: frozenset[str]  # yes/no questions named on their own (hold on a yes)
    on_a_no: frozenset[str]  # and those that can hold on a no: under a 'not', compared


_SHAPES: dict[int, tuple[Condition, _Shape]] = {}


def _shape(condition: Condition) -> _Shape:
    held = _SHAPES.get(id(condition))
    if held is None or held[0] is not condition:
        named: set[str] = set()
        on_a_no: set[str] = set()
        _polarity(condition, False, named, on_a_no)
        shape = _Shape(len(leaves(condition)), frozenset(named), frozenset(on_a_no))
        held = _SHAPES[id(condition)] = (condition, shape)
    return held[1]


def _polarity(condition: Condition, under_not: bool, named: set[str], on_a_no: set[str]) -> None:
    """Sort a condition's yes/no tests: named on their own outside a 'not' (they hold
    on a yes), or under a 'not' or compared (`can_stand_on_heels == no`: they can hold
    on a no). Read only as "yes", a coach's `not can_stand_on_heels` never held for an
    unsure answer (check 37, A-H1)."""
    if isinstance(condition, Not):
        _polarity(condition.operand, not under_not, named, on_a_no)
    elif isinstance(condition, And | Or):
        for part in condition.operands:
            _polarity(part, under_not, named, on_a_no)
    elif isinstance(condition, Truth) and not under_not:
        named.add(condition.ref.name)
    else:
        on_a_no.update(leaf.ref.name for leaf in leaves(condition))


def _unless_condition(flag: SafetyFlag) -> Condition:
    held = _UNLESS.get(id(flag))
    if held is None or held[0] is not flag:
        from ..knowledge.conditions.parser import parse_condition  # only for an unsure unless

        held = _UNLESS[id(flag)] = (flag, parse_condition(flag.unless_text))
    return held[1]


_UNLESS: dict[int, tuple[SafetyFlag, Condition]] = {}


def _possible_answers(
    rb: RuleBase,
    answers: NormalisedAnswers,
    unsure: frozenset[str],
    flag: SafetyFlag,
    budget: _Budget,
    part: str = "when",
) -> Iterator[dict[str, NormalisedValue] | None] | None:
    """Every reading of the unsure answers that the flag's ``part`` ("when" or "unless")
    reads that can change its outcome, all unsure answers varied together (an unsure
    age and an unsure training time in one flag were moved one at a time, and a flag
    over both was lost: check 36, A-H3). A None among them: the record's budget is
    spent (see _readings); None for a multi-choice of too many choices to try.

    - A yes/no as "yes"; also as "no" where the test can hold on a no, first where
      only a no can make it hold (so a flag that holds is found at once); in an
      'unless', which must hold whatever the answer is, both ways.
    - A number at one point of each stretch of its range the flag cannot tell apart
      (``knowledge.thresholds.telling_points``).
    - A choice at each of its choices; a multi-choice at each set of them.
    """
    if part == "when":
        questions, shape = flag.questions, _shape(flag.condition)
    else:
        questions, shape = flag.unless_questions, _shape(_unless_condition(flag))
    names: list[str] = []
    options: list[tuple[NormalisedValue, ...]] = []
    for name in sorted(unsure & questions):
        question = rb.questions[name]
        values: tuple[NormalisedValue, ...]
        if question.type is QuestionType.YES_NO:
            if part != "when" or (name in shape.on_a_no and name in shape.named):
                values = (True, False)
            elif name in shape.on_a_no:
                values = (False, True)
            else:
                values = (True,)
        elif question.type is QuestionType.NUMBER:
            # Every number question has both ends (schema_models.QuestionModel checks).
            assert question.minimum is not None and question.maximum is not None
            values = _points(rb, flag, name, question.minimum, question.maximum)
        elif question.type is QuestionType.MULTI:
            if 2 ** len(question.choice_values) > MAX_READING_TESTS:
                return None  # more sets than could ever be tried
            values = _every_subset(question.choice_values)
        else:  # a choice: each of its values (`grip != normal` holds at "weak")
            values = tuple(question.choice_values)
        names.append(name)
        options.append(values)
    return _readings(answers, names, options, budget, shape.tests)


def _readings(
    answers: NormalisedAnswers,
    names: list[str],
    options: list[tuple[NormalisedValue, ...]],
    budget: _Budget,
    tests: int,
) -> Iterator[dict[str, NormalisedValue] | None]:
    """Each reading in turn, each taken from the budget (a flag that holds at the
    first costs one reading), then None once the budget cannot pay for the next. The
    same dict each time: a reading is tested at once, never kept."""
    reading = dict(answers)  # one dict, its unsure answers set for each reading in turn
    for values in itertools.product(*options):
        if budget.left < tests:
            yield None
            return
        budget.left -= tests
        reading.update(zip(names, values, strict=True))
        yield reading


def _points(
    rb: RuleBase, flag: SafetyFlag, question_id: str, low: float, high: float
) -> tuple[float, ...]:
    from ..knowledge.thresholds import telling_points  # only for an unsure number

    return telling_points(rb, flag, question_id, low, high)


@functools.lru_cache(maxsize=64)
def _every_subset(values: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """Every set of a multi-choice's choices (4,096 at most), made once per question:
    made for every flag of every record, 12 choices cost 434 s for 205 records (check
    39, A-H2)."""
    return tuple(
        frozenset(chosen)
        for size in range(len(values) + 1)
        for chosen in itertools.combinations(values, size)
    )


def _known_only(answers: NormalisedAnswers, unsure: frozenset[str]) -> NormalisedAnswers:
    """The answers without the unsure ones (a careful reading of a sign given two
    ways may sit in the answers too): there a test of them is unknown."""
    if unsure.isdisjoint(answers):
        return answers
    return {key: value for key, value in answers.items() if key not in unsure}


def _holds_at_some(
    rb: RuleBase,
    flag: SafetyFlag,
    answers: NormalisedAnswers,
    unsure: frozenset[str],
    budget: _Budget,
) -> bool:
    """Whether some reading of the unsure answers makes the flag's condition hold."""
    return _read_every_way(rb, flag, "when", answers, unsure, budget)


def _clears_at_every(
    rb: RuleBase,
    flag: SafetyFlag,
    answers: NormalisedAnswers,
    unsure: frozenset[str],
    budget: _Budget,
) -> bool:
    """Whether the flag's 'unless' holds at every reading of the unsure answers."""
    return _read_every_way(rb, flag, "unless", answers, unsure, budget)


def _read_every_way(
    rb: RuleBase,
    flag: SafetyFlag,
    part: str,
    answers: NormalisedAnswers,
    unsure: frozenset[str],
    budget: _Budget,
) -> bool:
    """The flag's ``part`` over the readings of the unsure answers: "when" holds at
    some reading, "unless" holds at every one.

    A flag's tests are true (1), false (-1) or unknown (0), joined by min, max and
    negation, so a condition already false (or true) with the unsure answers unknown
    is so at every reading, and only an unknown one is tried reading by reading. With
    the record's budget spent, the safe side: "when" possible, "unless" not holding."""
    evaluate = flag.evaluate if part == "when" else flag.unless
    assert evaluate is not None
    threshold = rb.settings.premise_threshold
    settled = evaluate(_known_only(answers, unsure), {})
    if settled != 0.0:
        return settled > threshold
    every = part == "unless"
    readings = None
    if budget.left > 0:
        readings = _possible_answers(rb, answers, unsure, flag, budget, part)
    if readings is None:
        return not every
    if every:
        return all(r is not None and evaluate(r, {}) > threshold for r in readings)
    return any(r is None or evaluate(r, {}) > threshold for r in readings)


def screen(
    rb: RuleBase,
    answers: NormalisedAnswers,
    unsure: frozenset[str] = frozenset(),
    unreadable: frozenset[str] = frozenset(),
    read_from: Mapping[str, ReadFrom] | None = None,
) -> ScreenOutcome:
    """Evaluate every safety flag on normalized ``answers``.

    A flag holds for certain when its condition is true on the answers as given. It
    holds possibly when some reading of the ``unsure`` questions makes it true (a
    yes/no as "yes", an unsure age at every stretch of its range the flag tells apart:
    ``_possible_answers``): the conservative reading, since a warning sign nobody could
    rule out is treated as present until someone checks.
    ``unreadable`` safety answers (invalid values) count as unsure for the flags and
    stay listed as unanswered: what could not be read is neither a "no" nor an answer.
    ``read_from`` says which other key a "not sure" was read from (ReadAnswers)."""
    listed_unsure = unsure
    unsure = unsure | unreadable
    threshold = rb.settings.premise_threshold
    raised: list[RaisedFlag] = []
    cleared: list[SafetyFlag] = []
    budget = _Budget()
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
            and _holds_at_some(rb, flag, answers, unsure, budget)
        ):
            uncertain = True
            if _risk_factor_certain(rb, flag, answers, unsure, budget):
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
                or _clears_at_every(rb, flag, answers, unsure, budget)
            )
        ):
            cleared.append(flag)
            continue
        because = _because(rb, flag, answers, unsure)
        sources = {k: read_from[k] for k, _ in because if k in read_from} if read_from else {}
        raised.append(RaisedFlag(flag, level, uncertain, because, sources))
    raised.sort(key=lambda r: r.level.rank)  # stable: declared order within a level
    return ScreenOutcome(
        tuple(raised), _unanswered(rb, answers, listed_unsure), tuple(cleared) if not raised else ()
    )


def _risk_factor_certain(
    rb: RuleBase,
    flag: SafetyFlag,
    answers: NormalisedAnswers,
    unsure: frozenset[str],
    budget: _Budget,
) -> bool:
    """Whether the flag holds with its risk factors as answered and only its other
    questions (the trigger, say a fever) read as "yes": then the risk is certain and
    an uncertain trigger does not lower the level (contract v3)."""
    if not flag.risk_factors:
        return False
    triggers = unsure - flag.risk_factors
    if not triggers & flag.questions:
        return False
    return _holds_at_some(rb, flag, answers, triggers, budget)


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


# What comes before the list of unanswered keys in the incomplete-screen warning
# (renderers find the list after it).
UNANSWERED_LEAD = "not answered: "


def incomplete_message(unanswered: tuple[str, ...]) -> str:
    return (
        "the safety screen is incomplete, so a warning sign may have been missed; "
        f"{UNANSWERED_LEAD}{', '.join(unanswered)}"
    )


def unanswered_screen(result: DiagnosisOut) -> list[str]:
    """The safety questions a result names as unanswered (its incomplete-screen
    warning, made by incomplete_message)."""
    for warning in result["warnings"]:
        if warning["key"] == INCOMPLETE_WARNING:
            listed = warning["message"].partition(UNANSWERED_LEAD)[2]
            return [q.strip() for q in listed.split(",") if q.strip()]
    return []
