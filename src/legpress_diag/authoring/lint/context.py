"""What a lint check sees: the parsed files and, when it loads, the compiled rule base."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...foundation.problems import SourceSpan
from ...knowledge.loader import condition_span
from ...knowledge.rulebase import Rule, RuleBase
from ...knowledge.sources import ParsedFile
from ..exhaustive import CauseWalk


@dataclass
class LintContext:
    files: list[ParsedFile]
    rulebase: RuleBase | None
    walks: list[CauseWalk] = field(default_factory=list)

    def file(self, path: str) -> ParsedFile | None:
        return next((f for f in self.files if f.path == path), None)

    def rule_condition_span(self, rule: Rule, offset: int = 0) -> SourceSpan | None:
        """Where a rule's condition (or a column inside it) is in its file."""
        parsed = self.file(rule.span.path) if rule.span else None
        if parsed is None:
            return rule.span
        return condition_span(parsed.document, (*rule.key_path, "if"), offset, parsed.text)
