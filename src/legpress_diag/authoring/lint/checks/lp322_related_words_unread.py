"""LP322 related-words-unread: `related_words` on a question the screen does not read.

Related words only ever make a screened safety question "not sure" (see
docs/rule-format.md, "Related words"). On a question no safety flag reads, or one
replaced by others, they are loaded and then never used, so a coach's vocabulary
for it does nothing.

Bad:
    questions:
      - id: loo_trouble
        type: yes_no
        text: Any trouble at the loo?
        related_words: ["loo"]

Good:
    questions:
      - id: loo_trouble
        type: yes_no
        group: safety
        text: Any trouble at the loo?
        related_words: ["loo"]
    safety_flags:
      - {id: loo_flag, level: urgent, title: Loo trouble, if: loo_trouble, advice: See a doctor today.}
"""

from __future__ import annotations

from collections.abc import Iterator

from ....foundation.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP322"
NAME = "related-words-unread"
SEVERITY = Severity.WARNING
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    screened = set(rb.index.screen_questions)
    for question in rb.questions.values():
        if question.related_words and question.id not in screened:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"question '{question.id}' has related_words, but no safety flag screens it, "
                "so they are never read",
                question.span,
                "read it in a safety flag's condition, or remove its related_words",
            )
