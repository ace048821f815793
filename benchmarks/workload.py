"""Deterministic workloads: answer records for the bundled rule base, and synthetic
rule bases of any size in legpress-diag's own YAML format."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from legpress_diag.knowledge.rulebase import QuestionType, RuleBase

SEED = 12345


def bundled_records(rb: RuleBase, n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """Contract-format records: every non-safety question answered, one in six left unknown."""
    rnd = random.Random(seed)
    questions = [q for q in rb.questions.values() if q.group != "safety"]
    for index in range(n):
        answers: dict[str, Any] = {}
        for q in questions:
            if rnd.random() < 1 / 6:
                continue
            if q.type is QuestionType.YES_NO:
                answers[q.id] = rnd.choice(("yes", "no"))
            elif q.type is QuestionType.CHOICE:
                answers[q.id] = rnd.choice(q.choice_values)
            elif q.type is QuestionType.MULTI:
                answers[q.id] = sorted(
                    rnd.sample(q.choice_values, rnd.randint(0, len(q.choice_values)))
                )
            else:
                answers[q.id] = rnd.randint(40, 120)
        yield {"id": f"r{index}", "answers": answers}


def complete_records(rb: RuleBase, n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """Records that answer every question: the safety screen all "no" with an age of
    18 to 60 (so nothing refers), every form question at random."""
    rnd = random.Random(seed + 1)
    safety = rb.safety_questions()
    for index, record in enumerate(bundled_records(rb, n, seed)):
        answers: dict[str, Any] = {}
        for q in rb.questions.values():
            if q.replaced_by:
                continue  # a version-1 question its parts replace
            if q.id in record["answers"]:
                answers[q.id] = record["answers"][q.id]
            elif q.id in safety:
                answers[q.id] = rnd.randint(18, 60) if q.type is QuestionType.NUMBER else "no"
            elif q.type is QuestionType.YES_NO:
                answers[q.id] = rnd.choice(("yes", "no"))
            elif q.type is QuestionType.CHOICE:
                answers[q.id] = rnd.choice(q.choice_values)
            elif q.type is QuestionType.MULTI:
                answers[q.id] = sorted(rnd.sample(q.choice_values, rnd.randint(0, 2)))
            else:
                answers[q.id] = rnd.randint(40, 120)
        yield {"id": f"c{index}", "answers": answers}


def write_jsonl(records: Iterator[dict[str, Any]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return path


def synthetic_rulebase_yaml(n_rules: int, seed: int = SEED, questions: int = 200) -> str:
    """About 200 yes/no questions, chains three deep, ~5 rules per derived fact.

    40% level-1 rules (3 answer tests -> a d1 fact), 30% level-2 (1-2 d1 facts and
    1-2 answers -> a d2 fact), 30% level-3 (1-2 d2 facts, sometimes a d1 fact, and
    1-2 answers -> a cause). Certainty factors are multiples of 1/8.
    """
    rnd = random.Random(seed + n_rules)
    n1, n2 = int(n_rules * 0.4), int(n_rules * 0.3)
    n3 = n_rules - n1 - n2
    d1 = [f"d1_{i}" for i in range(max(1, n1 // 5))]
    d2 = [f"d2_{i}" for i in range(max(1, n2 // 5))]
    causes = [f"cause_{i}" for i in range(max(1, n3 // 5))]
    qs = [f"q{i}" for i in range(questions)]

    def answer_test() -> str:
        q = rnd.choice(qs)
        return q if rnd.random() < 0.5 else f"not {q}"

    def cf() -> str:
        return str(rnd.randint(2, 8) / 8)

    lines = ["rulebase: {name: synthetic, version: '" + str(n_rules) + "'}", "questions:"]
    lines += [f"  - {{id: {q}, type: yes_no, text: '{q}?'}}" for q in qs]
    lines.append("facts:")
    lines += [f"  - {{id: {f}, title: {f}}}" for f in d1 + d2]
    lines.append("causes:")
    lines += [f"  - {{id: {c}, title: {c}, explanation: {c}}}" for c in causes]
    lines.append("rules:")
    for i in range(n1):
        cond = " and ".join(answer_test() for _ in range(3))
        lines.append(f"  - {{id: r1_{i}, if: '{cond}', then: {d1[i % len(d1)]}, cf: {cf()}}}")
    for i in range(n2):
        parts = rnd.sample(d1, min(len(d1), rnd.randint(1, 2))) + [
            answer_test() for _ in range(rnd.randint(1, 2))
        ]
        lines.append(
            f"  - {{id: r2_{i}, if: '{' and '.join(parts)}', then: {d2[i % len(d2)]}, cf: {cf()}}}"
        )
    for i in range(n3):
        parts = rnd.sample(d2, min(len(d2), rnd.randint(1, 2)))
        if rnd.random() < 0.3:
            parts.append(rnd.choice(d1))
        parts += [answer_test() for _ in range(rnd.randint(1, 2))]
        lines.append(
            f"  - {{id: r3_{i}, if: '{' and '.join(parts)}', then: {causes[i % len(causes)]}, cf: {cf()}}}"
        )
    return "\n".join(lines) + "\n"


def synthetic_records(n: int, questions: int = 200, seed: int = SEED) -> list[dict[str, Any]]:
    """Normalized answers: each question answered yes or no at random (a third unknown)."""
    rnd = random.Random(seed)
    records = []
    for _ in range(n):
        answers = {}
        for i in range(questions):
            roll = rnd.random()
            if roll < 2 / 3:
                answers[f"q{i}"] = roll < 1 / 3
        records.append(answers)
    return records
