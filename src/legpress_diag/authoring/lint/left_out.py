"""What the analysis leaves out of a rule base that did not load cleanly, and which of
its findings would only be symptoms of that.

An item that failed (a schema error, an unknown name in its condition, an unknown
fix it lists) is reported by the loader. The analysis still runs on the rest, but a
finding about something a failed item touches may be only an echo of the failure: a
rule "never fires" because the rule concluding its fact was dropped, a question is
"unused" because the one rule reading it had a typo, a cause has "no fixes" because
its only fix was misspelt. Such findings are left out: the cause is reported, not
its symptoms. A finding about something untouched (a duplicate of two sound rules, a
contradiction) is reported in the same run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ...foundation.jsonvalue import JsonValue
from ...foundation.problems import Diagnostic, SourceSpan
from ...knowledge.loader import SECTIONS
from ...knowledge.rulebase import RuleBase
from ...knowledge.sources import ParsedFile

# Fields of words for a person: a name a failed item mentions there is not a use of it.
_PROSE = frozenset(
    {
        "title",
        "explanation",
        "how",
        "why",
        "text",
        "help",
        "advice",
        "question",
        "answer",
        "note",
        "source",
        "description",
        "variations",
        "avoid_if",
        "if_unsure",
        "if_cleared",
        "unit",
        "words",
    }
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_QUOTED = re.compile(r"'([^'\s]+)'")


@dataclass(frozen=True)
class LeftOut:
    """The failed items: where they are, and every name they mention."""

    spans: tuple[SourceSpan, ...]
    names: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def echoes(self, finding: Diagnostic) -> bool:
        """Is ``finding`` (of the analysis) inside a failed item, or about a name one
        of them mentions?"""
        span = finding.span
        if span is not None and any(_inside(span, item) for item in self.spans):
            return True
        return any(name in self.names for name in _QUOTED.findall(finding.message))


def left_out(
    parsed: Sequence[ParsedFile], load_problems: Iterable[Diagnostic], rulebase: RuleBase
) -> LeftOut:
    """The items that failed: in their schema (``ParsedFile.failed``), with a load
    problem inside them, or naming an item that was left out (the loader drops such
    a reference without a word: the left-out item's own problem is reported).

    Their names are echoed through the rules: a rule that reads a fact or cause a
    failed item defines or concludes may not fire because of it, so what it
    concludes is an echo too.
    """
    problems = [d.span for d in load_problems if d.span is not None]
    if not problems and not any(one.failed for one in parsed):
        return LeftOut((), frozenset())  # the usual case: nothing failed, nothing to walk
    spans: list[SourceSpan] = []
    names: set[str] = set()
    lost: set[str] = set()  # what failed items define or conclude
    gone = {ident for one in parsed for ident in one.skipped}
    for one in parsed:
        for path, item_span in _items(one):
            item = _at(one.document.data, path)
            mentioned = set(_names(item))
            hit = (
                path in one.failed
                or bool(mentioned & gone)
                or any(p.path == one.path and _inside(p, item_span) for p in problems)
            )
            if hit:
                spans.append(item_span)
                names |= mentioned
                lost |= _defines(item)
    return LeftOut(tuple(spans), frozenset(names | _downstream(rulebase, lost)))


def _defines(item: JsonValue) -> set[str]:
    if not isinstance(item, dict):
        return set()
    return {str(item[key]) for key in ("id", "then") if isinstance(item.get(key), str)}


def _downstream(rulebase: RuleBase, lost: set[str]) -> set[str]:
    """The rules, and what they conclude, that read something lost, transitively."""
    echoed = set(lost)
    changed = True
    while changed:
        changed = False
        for rule in rulebase.rules:
            if rule.id not in echoed and rule.facts & echoed:
                echoed |= {rule.id, rule.concludes}
                changed = True
    return echoed


def _items(parsed: ParsedFile) -> Iterator[tuple[tuple[str | int, ...], SourceSpan]]:
    """(key path, span) of every item of a file, and of each section that is not a list
    of items (settings, an unknown section)."""
    data = parsed.document.data
    spans = parsed.document.spans
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in SECTIONS and isinstance(value, list):
            for index in range(len(value)):
                span = spans.get((key, index))
                if span is not None:
                    yield (key, index), span
        elif (key,) in spans:
            yield (key,), spans[(key,)]


def _at(data: JsonValue, path: tuple[str | int, ...]) -> JsonValue:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _names(value: JsonValue) -> Iterator[str]:
    """Every name-like word in an item's fields that are not prose (its id, the names
    in its condition, the fixes it lists, ...), keys included."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in _PROSE:
                continue
            yield from _names(key)
            yield from _names(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _names(inner)
    elif isinstance(value, str):
        yield from _NAME.findall(value)


def _inside(span: SourceSpan, item: SourceSpan) -> bool:
    end = (item.end_line or item.line, item.end_col or 10**9)
    return (item.line, item.col) <= (span.line, span.col) < end and span.path == item.path
