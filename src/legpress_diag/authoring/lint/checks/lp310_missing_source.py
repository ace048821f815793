"""LP310 missing-source: a rule, cause, fix or alternative that does not say where it comes from.

Every piece of knowledge should cite its source (an article section, a coaching
page), so it can be checked and maintained.

Bad:
    rules:
      - {id: heels-deep, if: heels_lift and knee_angle_at_bottom < 70, then: heels_lifting, cf: 0.2}

Good:
    rules:
      - {id: heels-deep, if: heels_lift and knee_angle_at_bottom < 70, then: heels_lifting, cf: 0.2, source: "article: Key Learning Points"}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ....knowledge.rulebase import Alternative, Cause, Fix, Rule
from ..context import LintContext

CODE = "LP310"
NAME = "missing-source"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    items: list[tuple[str, Rule | Cause | Fix | Alternative]] = [("rule", r) for r in rb.rules]
    items += [("cause", c) for c in rb.causes.values()]
    items += [("fix", f) for f in rb.fixes.values()]
    items += [("alternative", a) for a in rb.alternatives.values()]
    for kind, item in items:
        if not item.source.strip():
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"{kind} '{item.id}' has no source",
                item.span,
                "add 'source: \"...\"'",
            )
