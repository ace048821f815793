"""The engine: chaining, certainty arithmetic, refraction, loops and determinism."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legpress_diag.foundation.problems import EngineLoopError
from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.sources import parse_rule_text
from legpress_diag.reasoning.engine import infer

from .conftest import MINI_RULES


def mini(rules_yaml: str, extra: str = "") -> RuleBase:
    text = MINI_RULES + extra + "rules:\n" + rules_yaml
    return build_rulebase([parse_rule_text(text.encode(), "mini.yaml")])


CHAIN = """
  - {id: r1, if: a, then: f, cf: 0.8}
  - {id: r2, if: f and angle < 90, then: c1, cf: 0.5}
  - {id: r3, if: b, then: c1, cf: 0.6}
"""


def test_chains_through_a_derived_fact() -> None:
    rb = mini(CHAIN)
    r = infer(rb, {"a": True, "angle": 70.0})
    assert r.beliefs["f"] == 0.8
    # premise = min(0.8, 1.0) = 0.8; contribution = 0.5 * 0.8
    assert math.isclose(r.beliefs["c1"], 0.4)


def test_two_rules_combine_by_hand_computed_value() -> None:
    rb = mini(CHAIN)
    r = infer(rb, {"a": True, "angle": 70.0, "b": True})
    # 0.6 + 0.4 * (1 - 0.6) = 0.76
    assert math.isclose(r.beliefs["c1"], 0.76)
    assert sorted(r.support["c1"]) == ["r2", "r3"]


def test_unknown_answers_contribute_nothing() -> None:
    rb = mini(CHAIN)
    r = infer(rb, {"angle": 70.0})
    assert r.beliefs.get("c1", 0.0) == 0.0
    assert not r.firings


def test_premise_below_threshold_does_not_fire() -> None:
    rb = mini("  - {id: r1, if: a, then: f, cf: 0.15}\n  - {id: r2, if: f, then: c1, cf: 1.0}\n")
    r = infer(rb, {"a": True})
    assert r.beliefs["f"] == 0.15
    assert "c1" not in r.beliefs  # 0.15 is not above the 0.2 premise threshold


def test_or_takes_the_max_and_not_negates() -> None:
    rb = mini(
        "  - {id: r1, if: a or b, then: c1, cf: 0.5}\n  - {id: r2, if: not a, then: c2, cf: 0.5}\n"
    )
    assert infer(rb, {"a": False, "b": True}).beliefs == {"c1": 0.5, "c2": 0.5}
    assert infer(rb, {"a": True}).beliefs == {"c1": 0.5}


def test_negative_rule_reduces_belief() -> None:
    rb = mini(
        "  - {id: r1, if: a, then: c1, cf: 0.8}\n"
        "  - {id: r2, if: tempo == slow, then: c1, cf: -0.6}\n"
    )
    r = infer(rb, {"a": True, "tempo": "slow"})
    assert math.isclose(r.beliefs["c1"], (0.8 - 0.6) / (1 - 0.6))


def test_multi_includes_and_choice_membership() -> None:
    rb = mini(
        "  - {id: r1, if: where includes knee, then: c1, cf: 0.5}\n"
        "  - {id: r2, if: 'tempo in [fast]', then: c2, cf: 0.5}\n"
    )
    assert infer(rb, {"where": frozenset({"knee"}), "tempo": "fast"}).beliefs == {
        "c1": 0.5,
        "c2": 0.5,
    }
    assert infer(rb, {"where": frozenset(), "tempo": "slow"}).beliefs == {}


def test_refraction_each_rule_fires_once_on_an_acyclic_base() -> None:
    rb = mini(CHAIN)
    r = infer(rb, {"a": True, "angle": 70.0, "b": True})
    fired = [f.rule.id for f in r.firings]
    assert sorted(fired) == ["r1", "r2", "r3"]


def test_agenda_orders_by_salience_then_stratum_then_declared_order() -> None:
    rb = mini(
        "  - {id: late, if: f, then: c1, cf: 0.5}\n"
        "  - {id: first, if: a, then: f, cf: 0.5}\n"
        "  - {id: urgent, if: b, then: c2, cf: 0.5, salience: 10}\n"
    )
    r = infer(rb, {"a": True, "b": True})
    assert [f.rule.id for f in r.firings] == ["urgent", "first", "late"]


def test_a_looping_rule_base_hits_the_firing_bound() -> None:
    # c1 undermines the f it comes from: f rises, c1 fires and drags f under the
    # threshold, c1 is withdrawn, f rises again... The bound must stop it.
    rb = mini(
        "  - {id: seed, if: a, then: f, cf: 0.5}\n"
        "  - {id: up, if: f, then: c1, cf: 0.9}\n"
        "  - {id: back, if: c1, then: f, cf: -0.9}\n"
    )
    with pytest.raises(EngineLoopError, match="in a loop"):
        infer(rb, {"a": True})


def test_bundled_rules_are_independent_of_rule_order(rb: RuleBase) -> None:
    answers = {
        "pelvis_tucks_under": True,
        "knee_angle_at_bottom": 70.0,
        "lower_back_rounds": True,
        "can_touch_toes": False,
        "core_braced": "sometimes",
        "rep_tempo": "fast",
    }
    expected = infer(rb, answers).beliefs
    rules = list(rb.rules)
    for seed in range(5):
        random.Random(seed).shuffle(rules)
        shuffled = dataclasses.replace(rb, rules=tuple(rules))  # indexed afresh
        assert infer(shuffled, answers).beliefs == expected


yes_no = st.sampled_from([True, False])


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "pelvis_tucks_under": yes_no,
            "lower_back_rounds": yes_no,
            "butt_lifts_off_seat": yes_no,
            "can_touch_toes": yes_no,
            "knees_lock_out": yes_no,
            "heels_lift": yes_no,
            "pain_worse_with_heavier_load": yes_no,
            "knee_angle_at_bottom": st.integers(20, 180).map(float),
            "core_braced": st.sampled_from(["always", "sometimes", "never"]),
            "rep_tempo": st.sampled_from(["slow", "moderate", "fast"]),
            "pain_location": st.frozensets(
                st.sampled_from(["lower_back", "knees", "hips", "other"])
            ),
        },
    ),
    st.randoms(),
)
def test_beliefs_bounded_deterministic_and_answer_order_free(answers, rnd) -> None:  # type: ignore[no-untyped-def]
    from legpress_diag.api import bundled_rulebase

    rb = bundled_rulebase()
    first = infer(rb, answers).beliefs
    items = list(answers.items())
    rnd.shuffle(items)
    assert infer(rb, dict(items)).beliefs == first
    assert all(-1.0 <= v <= 1.0 for v in first.values())
