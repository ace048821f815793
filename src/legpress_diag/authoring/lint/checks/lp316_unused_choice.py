"""LP316 unused-choice: a choice that no rule, flag or alternative ever tests.

LP306 finds a question nothing reads; this looks one level down, at the values of a
`choice` or `multi` question. A lifter who picks such a value gets the same result
as one who skips the question, which is often a gap in the knowledge (a hip pain
that feeds no cause). It is a note, not a warning: a neutral answer such as
"average" or "moderate" rightly feeds nothing.

Bad:
    questions:
      - id: seat_height
        type: choice
        text: Where is the seat set?
        choices: {lowest: Lowest notch, middle: Middle, highest: Highest notch}
    rules:
      - {id: low-seat, if: seat_height == lowest, then: excess_depth, cf: 0.3, source: coach}

Good:
    questions:
      - id: seat_height
        type: choice
        text: Where is the seat set?
        choices: {lowest: Lowest notch, middle: Middle, highest: Highest notch}
    rules:
      - {id: low-seat, if: seat_height == lowest, then: excess_depth, cf: 0.3, source: coach}
      - {id: mid-seat, if: seat_height in [middle, highest], then: excess_depth, cf: -0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.conditions.ast import Compare, Condition, Includes, Member, Value, leaves
from ....knowledge.conditions.parser import parse_condition
from ....knowledge.rulebase import QuestionType, RuleBase
from ..context import LintContext

CODE = "LP316"
NAME = "unused-choice"
SEVERITY = Severity.INFO
PHASE = "analysis"


def _conditions(rb: RuleBase) -> Iterator[Condition]:
    yield from (rule.condition for rule in rb.rules)
    yield from (flag.condition for flag in rb.safety_flags.values())
    # Alternatives keep only the text of `unless`; it parsed once already while loading.
    yield from (parse_condition(a.unless_text) for a in rb.alternatives.values() if a.unless_text)
    yield from (parse_condition(f.unless_text) for f in rb.fixes.values() if f.unless_text)


def _excludes(leaf: Compare | Member | Includes) -> bool:
    """A comparison that holds for the choices it does not name (`!=`, `not in`)."""
    if isinstance(leaf, Compare):
        return leaf.op == "!="
    return isinstance(leaf, Member) and leaf.negated


def tested_values(rb: RuleBase) -> dict[str, set[str]]:
    """question id -> the values of it that some condition (or `needs`, `needs_any`) tests.

    `==`, `in` and `includes` test the values they name; `!=` and `not in` test every
    choice of the question, since each one decides whether the comparison holds.
    """
    named: dict[str, set[str]] = {}
    for condition in _conditions(rb):
        for leaf in leaves(condition):
            values: tuple[Value, ...]
            if isinstance(leaf, Compare):
                values = (leaf.value,)
            elif isinstance(leaf, Member | Includes):
                values = leaf.values
            else:
                continue
            tested = named.setdefault(leaf.ref.name, set())
            tested.update(str(v.value) for v in values)
            question = rb.questions.get(leaf.ref.name)
            if question is not None and _excludes(leaf):
                # `side != not_sure` holds for every other choice, so each of them
                # changes the result as surely as `side == left` would.
                tested.update(question.choice_values)
    if rb.settings.equipment_question:
        needs = {need for alt in rb.alternatives.values() for need in (*alt.needs, *alt.needs_any)}
        named.setdefault(rb.settings.equipment_question, set()).update(needs)
    return named


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    named = tested_values(rb)
    for question in rb.questions.values():
        if question.type not in (QuestionType.CHOICE, QuestionType.MULTI):
            continue
        if question.id not in named:
            continue  # the whole question is unused: LP306 says so
        unused = [v for v in question.choice_values if v not in named[question.id]]
        if unused:
            listed = ", ".join(f"'{v}'" for v in unused)
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"question '{question.id}': no rule, flag or alternative tests {listed}; "
                "that answer changes nothing",
                question.span,
                "fine for a neutral answer; otherwise write a rule that reads it",
            )
