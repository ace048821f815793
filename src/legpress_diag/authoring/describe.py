"""`rules explain` and `rules show`: the rule base described in plain lines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..foundation.problems import did_you_mean
from ..knowledge.rulebase import RuleBase


def _where(span: object) -> str:
    return f"{span.path}:{span.line}" if span is not None else "?"  # type: ignore[attr-defined]


def explain_lines(rb: RuleBase, target: str) -> list[str]:
    """How ``target`` (a cause or fact) can be reached, traced back to questions."""
    if target not in rb.causes and target not in rb.facts:
        hint = did_you_mean(target, [*rb.causes, *rb.facts])
        raise KeyError(f"no cause or fact '{target}'" + (f" ({hint})" if hint else ""))
    lines: list[str] = []
    if target in rb.causes:
        cause = rb.causes[target]
        lines += [f"cause {cause.id}: {cause.title}  ({_where(cause.span)})", ""]
    seen: set[str] = set()
    questions: set[str] = set()

    def trace(derived: str, depth: int) -> None:
        pad = "  " * depth
        rules = rb.rules_by_conclusion.get(derived, ())
        if not rules:
            lines.append(f"{pad}{derived} is concluded by no rule: it can never be believed")
            return
        lines.append(f"{pad}{derived} is concluded by:")
        for rule in rules:
            sign = "for" if rule.cf > 0 else "against"
            lines.append(f"{pad}  rule {rule.id} (cf {rule.cf:+g}, {sign}; {_where(rule.span)})")
            lines.append(f"{pad}    if {rule.condition_text}")
            questions.update(rule.questions)
            for fact in sorted(rule.facts):
                if fact not in seen:
                    seen.add(fact)
                    trace(fact, depth + 2)

    trace(target, 0)
    lines += ["", "questions involved: " + ", ".join(q for q in rb.questions if q in questions)]
    if target in rb.causes:
        cause = rb.causes[target]
        lines.append("fixes: " + (", ".join(cause.fixes) or "none"))
        lines.append("alternatives: " + (", ".join(cause.alternatives) or "none"))
    return lines


def show_lines(rb: RuleBase, *, words: bool = False) -> list[str]:
    """The listing of `rules show`; ``words`` adds each safety question's related-words
    patterns (long: a coach looking for a question's choices lost them among them)."""
    lines = [
        f"rule base {rb.name} {rb.version} ({rb.content_hash})",
        f"files: {', '.join(rb.files)}",
        "",
    ]
    lines.append(f"questions ({len(rb.questions)}):")
    for q in rb.questions.values():
        detail = (
            ", ".join(q.choice_values)
            if q.choices
            else (
                f"{q.minimum:g}-{q.maximum:g} {q.unit}".strip()
                if q.type.value == "number"
                else "yes/no"
            )
        )
        lines.append(f"  {q.id:30} {q.type.value:7} {detail}")
        if q.short_names:
            # What an answer key may call it (a form's header): read as this question
            lines.append(f"  {'':30} also read as: {', '.join(q.short_names)}")
        if q.related_words and words:
            # Patterns that only ever doubt it (knowledge/related.py)
            lines.append(f"  {'':30} mentioned by: {'; '.join(q.related_words)}")
        elif q.related_words:
            count = len(q.related_words)
            lines.append(
                f"  {'':30} mentioned by: {count} word pattern{'s' * (count != 1)} "
                "(rules show --words lists them)"
            )
    lines += ["", f"safety flags ({len(rb.safety_flags)}):"]
    lines += [f"  {f.id:30} {f.level.value:9} {f.title}" for f in rb.safety_flags.values()]
    lines += ["", f"derived facts ({len(rb.facts)}):"]
    lines += [f"  {f.id:30} {f.title}" for f in rb.facts.values()]
    lines += ["", f"causes ({len(rb.causes)}):"]
    lines += [f"  {c.id:30} {c.title}" for c in rb.causes.values()]
    lines += ["", f"fixes ({len(rb.fixes)}):"]
    lines += [f"  {f.id:30} {f.title}" for f in rb.fixes.values()]
    lines += ["", f"alternatives ({len(rb.alternatives)}):"]
    lines += [
        f"  {a.id:30} {a.title}" + (f" (needs {', '.join(a.needs)})" if a.needs else "")
        for a in rb.alternatives.values()
    ]
    lines += ["", f"rules: {len(rb.rules)}"]
    if rb.faq:
        lines += ["", "questions people ask:"]
        for entry in rb.faq.values():
            lines += [f"  {entry.question}", f"    {entry.answer}"]
    return lines


# `rules show SECTION`: the heading each section's block starts with.
SHOWN_SECTIONS = {
    "questions": "questions (",
    "safety_flags": "safety flags (",
    "facts": "derived facts (",
    "causes": "causes (",
    "fixes": "fixes (",
    "alternatives": "alternatives (",
    "rules": "rules:",
}


def section_lines(rb: RuleBase, section: str, *, words: bool = False) -> list[str]:
    """One block of `rules show`: ``fixes``, ``causes``, ... Raises KeyError."""
    heading = SHOWN_SECTIONS.get(section.replace("-", "_"))
    if heading is None:
        hint = did_you_mean(section, SHOWN_SECTIONS)
        raise KeyError(
            f"unknown section '{section}' (choose from {', '.join(SHOWN_SECTIONS)})"
            + (f"; {hint}" if hint else "")
        )
    lines = show_lines(rb, words=words)
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


@dataclass(frozen=True)
class QuestionEntry:
    id: str
    type: str
    text: str
    choices: tuple[str, ...]
    min: float | None
    max: float | None
    unit: str
    # Other names an answer key may give a safety question ("fever", "numb groin"):
    # a coach who writes a form sees what the screen reads as that sign.
    short_names: tuple[str, ...] = ()
    # Patterns of words that mention it and make it "not sure" (related_words).
    related_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlagEntry:
    id: str
    level: str
    title: str


@dataclass(frozen=True)
class CauseEntry:
    id: str
    title: str
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class AlternativeEntry:
    id: str
    title: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """What `rules show -f json` lists: the questions, safety flags, causes and
    alternatives, with the rule base's name, version and hash."""

    rulebase: dict[str, str]
    questions: tuple[QuestionEntry, ...]
    safety_flags: tuple[FlagEntry, ...]
    causes: tuple[CauseEntry, ...]
    alternatives: tuple[AlternativeEntry, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def listing(rb: RuleBase) -> Listing:
    return Listing(
        rb.identity,
        tuple(
            QuestionEntry(
                q.id,
                q.type.value,
                q.text,
                q.choice_values,
                q.minimum,
                q.maximum,
                q.unit,
                tuple(q.short_names),
                tuple(q.related_words),
            )
            for q in rb.questions.values()
        ),
        tuple(FlagEntry(f.id, f.level.value, f.title) for f in rb.safety_flags.values()),
        tuple(CauseEntry(c.id, c.title, tuple(c.fixes)) for c in rb.causes.values()),
        tuple(AlternativeEntry(a.id, a.title, tuple(a.needs)) for a in rb.alternatives.values()),
    )
