"""Reasoning as data: which answers and rules led to each cause, and the arithmetic.

A result explains each reported cause with its own rules and the answers that
mattered, and lists the derived facts it rests on; the reasoning behind each such
fact is given once per result (under ``facts``), not repeated under every cause
that uses it. Static texts (rule notes and sources, question wording) stay in the
rule base, where renderers look them up: a result names every rule by id and by
file:line, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from typing import Any

from .answers import denormalize
from .certainty import combination_steps
from .conditions.ast import FactRef, leaves
from .engine import Reasoning
from .rulebase import QuestionType, Rule, RuleBase

_Static = tuple[str | None, tuple[str, ...], tuple[str, ...]]


def _static(rb: RuleBase) -> dict[str, _Static]:
    """Per rule: where it is defined, the questions it tests (in order), its facts (sorted)."""
    memo: dict[str, _Static] | None = rb.cache.get("rule_static")
    if memo is None:
        memo = {}
        for rule in rb.rules:
            where = f"{rule.span.path}:{rule.span.line}" if rule.span else None
            names = [
                leaf.ref.name for leaf in leaves(rule.condition) if not isinstance(leaf, FactRef)
            ]
            memo[rule.id] = (where, tuple(dict.fromkeys(names)), tuple(sorted(rule.facts)))
        rb.cache["rule_static"] = memo
    return memo


def _arithmetic(rb: RuleBase, contributions: list[float]) -> list[str]:
    """combination_steps, remembered: the same few contributions recur across records."""
    memo: dict[tuple[float, ...], list[str]] = rb.cache.setdefault("arithmetic", {})
    key = tuple(contributions)
    steps = memo.get(key)
    if steps is None:
        steps = combination_steps(key)
        if len(memo) < 50_000:  # bounded: a pathological rule base cannot grow it forever
            memo[key] = steps
    return list(steps)


def rule_by_id(rb: RuleBase) -> dict[str, Rule]:
    memo: dict[str, Rule] | None = rb.cache.get("rule_by_id")
    if memo is None:
        memo = rb.cache["rule_by_id"] = {rule.id: rule for rule in rb.rules}
    return memo


def in_words(rb: RuleBase, question_id: str, value: Any) -> Any:
    question = rb.questions[question_id]
    shown = denormalize(question, value)
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        values = [shown] if isinstance(shown, str) else shown
        return ", ".join(question.label(v) for v in values) or "none"
    if question.type is QuestionType.NUMBER:
        return f"{shown} {question.unit}".strip()
    return shown


def _step(
    rb: RuleBase, reasoning: Reasoning, derived: str, used: dict[str, Any], shown: dict[str, Any]
) -> dict[str, Any]:
    """The rules standing behind one conclusion, and how their contributions combine.

    ``used`` collects the answers that mattered; ``shown`` caches answers in their
    JSON form for the whole record.
    """
    static = _static(rb)
    standing = reasoning.support.get(derived, {})
    answers = reasoning.answers
    beliefs = reasoning.beliefs
    entries = []
    for rule in rb.rules_by_conclusion.get(derived, ()):
        contribution = standing.get(rule.id)
        if contribution is None:
            continue
        where, questions, facts = static[rule.id]
        tested = {}
        for qid in questions:
            if qid in answers:
                if qid not in shown:
                    shown[qid] = denormalize(rb.questions[qid], answers[qid])
                tested[qid] = shown[qid]
                used.setdefault(qid, answers[qid])
        entries.append(
            {
                "rule": rule.id,
                "defined_at": where,
                "if": rule.condition_text,
                "cf": rule.cf,
                "premise": round(reasoning.premises[rule.id], 6),
                "contribution": round(contribution, 6),
                "answers": tested,
                "facts": {f: round(beliefs.get(f, 0.0), 6) for f in facts},
            }
        )
    return {
        "certainty": round(beliefs.get(derived, 0.0), 6),
        "rules": entries,
        "arithmetic": _arithmetic(rb, list(standing.values())),
    }


def _facts_behind(rb: RuleBase, reasoning: Reasoning, target: str) -> list[str]:
    """Derived facts that stand behind ``target``, nearest first."""
    order: list[str] = []
    frontier = [target]
    by_id = rule_by_id(rb)
    while frontier:
        current = frontier.pop(0)
        for rule_id in reasoning.support.get(current, {}):
            for fact in sorted(by_id[rule_id].facts):
                if fact not in order and fact != target:
                    order.append(fact)
                    frontier.append(fact)
    return order


def explain_result(
    rb: RuleBase, reasoning: Reasoning, causes: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(per cause: its reasoning; per derived fact behind them: its reasoning)."""
    per_cause: dict[str, dict[str, Any]] = {}
    facts: dict[str, dict[str, Any]] = {}
    fact_answers: dict[str, dict[str, Any]] = {}
    shown: dict[str, Any] = {}
    for cause in causes:
        used: dict[str, Any] = {}
        step = _step(rb, reasoning, cause, used, shown)
        behind = _facts_behind(rb, reasoning, cause)
        for fact in behind:
            if fact not in facts:
                fact_used: dict[str, Any] = {}
                facts[fact] = _step(rb, reasoning, fact, fact_used, shown)
                fact_answers[fact] = fact_used
            for qid, value in fact_answers[fact].items():
                used.setdefault(qid, value)
        step["facts"] = behind
        step["because"] = [
            {"question": qid, "answer": shown[qid], "in_words": in_words(rb, qid, value)}
            for qid, value in used.items()
        ]
        per_cause[cause] = step
    return per_cause, facts
