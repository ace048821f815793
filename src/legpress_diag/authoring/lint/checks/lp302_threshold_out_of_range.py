"""LP302 threshold-out-of-range: a number test that is always true or always false.

A comparison against a value at or beyond the question's range can never change:
`knee_angle_at_bottom < 200` holds for every valid answer (the range is 20 to 180).

Bad:
    rules:
      - {id: deep, if: knee_angle_at_bottom < 200, then: excess_depth, cf: 0.3, source: coach}

Good:
    rules:
      - {id: deep, if: knee_angle_at_bottom < 80, then: excess_depth, cf: 0.3, source: coach}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.conditions.ast import Compare, leaves
from ....knowledge.rulebase import QuestionType
from ..context import LintContext

CODE = "LP302"
NAME = "threshold-out-of-range"
SEVERITY = Severity.WARNING
PHASE = "analysis"

_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for rule in rb.rules:
        for leaf in leaves(rule.condition):
            if not isinstance(leaf, Compare) or leaf.ref.name not in rb.questions:
                continue
            question = rb.questions[leaf.ref.name]
            if question.type is not QuestionType.NUMBER or not isinstance(leaf.value.value, float):
                continue
            assert question.minimum is not None and question.maximum is not None
            lo, hi, limit = question.minimum, question.maximum, leaf.value.value
            samples = {lo, hi, min(max(limit, lo), hi), (lo + hi) / 2}
            outcomes = {_OPS[leaf.op](x, limit) for x in samples}
            outside = not lo <= limit <= hi
            if len(outcomes) == 1 or (outside and leaf.op in ("==", "!=")):
                always = "true" if outcomes == {True} else "false"
                yield Diagnostic(
                    CODE,
                    SEVERITY,
                    f"'{leaf.ref.name} {leaf.op} {limit:g}' is always {always}: answers range "
                    f"from {lo:g} to {hi:g}",
                    ctx.rule_condition_span(rule, leaf.value.start),
                    f"use a value between {lo:g} and {hi:g}",
                )
