"""The counting engine for large rule bases fires exactly what the one-pass engine
fires, in the same order, with the same certainties."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.knowledge.loader import load_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.reasoning import engine
from legpress_diag.reasoning.engine import Reasoning

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from workload import bundled_records, synthetic_records, synthetic_rulebase_yaml


def _same(a: Reasoning, b: Reasoning) -> None:
    assert a.beliefs == b.beliefs
    # The order matters too: explanations list facts in the order they were supported.
    assert list(a.support.items()) == list(b.support.items())
    assert {k: list(v) for k, v in a.support.items()} == {k: list(v) for k, v in b.support.items()}
    assert list(a.premises.items()) == list(b.premises.items())
    assert [(f.rule.id, f.premise) for f in a.firings] == [
        (f.rule.id, f.premise) for f in b.firings
    ]


@pytest.fixture(scope="module", params=[300, 2000])
def synthetic(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RuleBase:
    path = tmp_path_factory.mktemp("syn") / "synthetic.yaml"
    path.write_text(synthetic_rulebase_yaml(request.param))
    return load_rulebase([path], include_bundled=False)


def test_large_rule_bases_take_the_counting_path(synthetic: RuleBase) -> None:
    plan = synthetic.index.plan
    assert plan is not None and len(plan.steps) > engine._SCAN_LIMIT


def test_counting_matches_the_one_pass_engine_on_synthetic_bases(synthetic: RuleBase) -> None:
    plan = synthetic.index.plan
    assert plan is not None
    fired = 0
    for answers in synthetic_records(60, seed=7):
        counted = engine._infer_counting(synthetic, plan, answers, True)
        _same(counted, engine._infer_stratified(synthetic, plan, answers, True))
        fired += len(counted.premises)
    assert fired > 60  # the records do reach the deeper strata


def _thinned(answers: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if rnd.random() < 0.6}


def test_counting_matches_the_one_pass_engine_on_the_bundled_base() -> None:
    from legpress_diag.intake.answers import normalize_answers

    rb = bundled_rulebase()
    plan = rb.index.plan
    assert plan is not None
    rnd = random.Random(3)
    for record in bundled_records(rb, 300):
        answers = normalize_answers(rb, _thinned(record["answers"], rnd))[0]
        _same(
            engine._infer_counting(rb, plan, answers, True),
            engine._infer_stratified(rb, plan, answers, True),
        )


def _decided_rules_give_exactly_one(rb: RuleBase) -> int:
    from legpress_diag.knowledge.index import required_answers

    plan = rb.index.plan
    assert plan is not None
    checked = 0
    for flag, step in zip(plan.decided, plan.steps, strict=True):
        rule = step.rule
        if flag:
            answers = dict(required_answers(rb.questions, rule))
            assert rule.evaluate(answers, {}) == 1.0, rule.id
            checked += 1
    return checked


def test_rules_decided_by_their_answers_evaluate_to_exactly_one(synthetic: RuleBase) -> None:
    # The engine skips evaluating these: with every required answer present the
    # premise is 1, bit for bit, as evaluating would give.
    assert _decided_rules_give_exactly_one(synthetic) > 0
    assert _decided_rules_give_exactly_one(bundled_rulebase()) > 0


TINY = """
rulebase: {name: tiny, version: '1'}
questions:
  - {id: a, type: yes_no, text: 'a?'}
  - {id: b, type: yes_no, text: 'b?'}
  - {id: c, type: choice, text: 'c?', choices: {x: x, y: y}}
  - {id: n, type: number, text: 'n?', min: 0, max: 10}
facts:
  - {id: f, title: f}
causes:
  - {id: k, title: k, explanation: k}
rules:
  - {id: plain, if: 'a and not b and c == x', then: f, cf: 0.5}
  - {id: member, if: 'c in [y]', then: k, cf: 0.5}
  - {id: same-question, if: 'a and not a', then: k, cf: 0.5}
  - {id: repeated, if: 'a and a', then: k, cf: 0.5}
  - {id: with-fact, if: 'f and a', then: k, cf: 0.5}
  - {id: with-number, if: 'n > 5 and a', then: k, cf: 0.5}
  - {id: with-or, if: 'a or b', then: k, cf: 0.5}
  - {id: negated-choice, if: 'not c == x and a', then: k, cf: 0.5}
"""


def test_only_pure_conjunctions_of_exact_answers_skip_evaluation(tmp_path: Path) -> None:
    from legpress_diag.knowledge.index import decided_by_answers

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    rb = load_rulebase([path], include_bundled=False)
    decided = {r.id for r in rb.rules if decided_by_answers(rb.questions, r)}
    assert decided == {"plain", "member"}
