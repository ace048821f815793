"""LP306 unused-question: a question that no rule, flag or alternative reads.

The questionnaire never asks it and batch answers to it change nothing.

Bad:
    questions:
      - {id: seat_notch, type: number, text: Which notch is the seat on?, min: 1, max: 12}

Good:
    questions:
      - {id: seat_notch, type: number, text: Which notch is the seat on?, min: 1, max: 12}
    rules:
      - {id: low-seat, if: seat_notch <= 2, then: excess_depth, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP306"
NAME = "unused-question"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    used = set(rb.rules_by_question) | rb.safety_questions()
    used |= {q for alt in rb.alternatives.values() for q in alt.unless_questions}
    used |= {q for fix in rb.fixes.values() for q in fix.unless_questions}
    if rb.settings.equipment_question:
        used.add(rb.settings.equipment_question)
    for question in rb.questions.values():
        if question.id not in used:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"question '{question.id}' is never used by a rule, safety flag or alternative",
                question.span,
                "use it in a condition, or remove it",
            )
