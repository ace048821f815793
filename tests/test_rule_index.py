"""The rule base's index: built with it, frozen, and rebuilt by dataclasses.replace."""

from __future__ import annotations

import dataclasses

import pytest

from legpress_diag.api import bundled_rulebase
from legpress_diag.knowledge.index import RuleIndex, agenda_key
from legpress_diag.knowledge.strata import cycles
from legpress_diag.reasoning.engine import infer

RB = bundled_rulebase()


def test_the_index_is_built_with_the_rule_base_and_cannot_be_changed() -> None:
    index = RB.index
    assert isinstance(index, RuleIndex)
    assert not hasattr(RB, "cache")  # no memo filled later by other modules
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.plan = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RB.index = index  # type: ignore[misc]


def test_lookups_agree_with_the_rules() -> None:
    index = RB.index
    assert set(index.by_id) == {rule.id for rule in RB.rules}
    for rule in RB.rules:
        assert rule in index.by_conclusion[rule.concludes]
        assert all(rule in index.by_question[q] for q in rule.questions)
        assert all(rule in index.by_fact[f] for f in rule.facts)
        static = index.static[rule.id]
        assert set(static.questions) == set(rule.questions)
        assert static.facts == tuple(sorted(rule.facts))
        assert static.defined_at and static.defined_at.startswith("<bundled>/")
    # Per lookup, rules keep the order they are declared in.
    for rules in index.by_conclusion.values():
        assert [r.order for r in rules] == sorted(r.order for r in rules)
    assert index.safety_questions == {
        q for f in RB.safety_flags.values() for q in f.questions | f.unless_questions
    }
    assert index.derived_ids == set(RB.facts) | set(RB.causes)


def test_the_plan_holds_every_rule_once_in_agenda_order() -> None:
    plan = RB.index.plan
    assert plan is not None and not RB.index.has_cycles and not cycles(RB.rules)
    ids = [step.rule_id for step in plan.steps]
    assert sorted(ids) == sorted(rule.id for rule in RB.rules)
    keys = [agenda_key(RB.strata, RB.index.by_id[i]) for i in ids]
    assert keys == sorted(keys)


def test_replace_builds_a_fresh_index_for_the_new_rules() -> None:
    fewer = dataclasses.replace(RB, rules=RB.rules[:5])
    assert fewer.index is not RB.index
    assert set(fewer.index.by_id) == {rule.id for rule in RB.rules[:5]}
    assert RB.index.by_id.keys() >= fewer.index.by_id.keys()
    answers = {"butt_lifts_off_seat": True, "pain_location": frozenset({"lower_back"})}
    kept = {rule.concludes for rule in RB.rules[:5]}
    assert set(infer(fewer, answers).beliefs) <= kept
    assert not set(infer(RB, answers).beliefs) <= kept  # the full base concludes more


def test_leaf_evaluators_cover_every_answer_test_of_rules_and_flags() -> None:
    from legpress_diag.knowledge.conditions.ast import FactRef, leaves

    evaluators = RB.index.leaf_evaluators
    wanted = {
        leaf
        for condition in [r.condition for r in RB.rules]
        + [f.condition for f in RB.safety_flags.values()]
        for leaf in leaves(condition)
        if not isinstance(leaf, FactRef)
    }
    assert set(evaluators) == wanted
