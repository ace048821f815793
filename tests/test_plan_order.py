"""The order and the numbers of a result's causes, plan and alternatives, on a small
rule base whose ids sort differently from their ranks, so that a result ordered by
id instead of rank (or by declared order instead of weight) shows.

Causes (belief = the rule's cf, every premise a plain yes):
  zeta 0.9 (a root: explains mid and alpha), mid 0.6 (explains alpha), alpha 0.5,
  beta 0.3, gamma 0.4.
"""

from __future__ import annotations

from typing import Any

from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.sources import parse_rule_text
from legpress_diag.reasoning.diagnosis import build_plan, ranked_causes
from legpress_diag.reasoning.engine import infer

from .diagnose_raw import diagnose_answers

RULES = """
rulebase: {name: plan-order, version: "1"}
settings: {premise_threshold: 0, report_threshold: 0.2, equipment_question: kit}
questions:
  - {id: z, type: yes_no, text: Z?}
  - {id: m, type: yes_no, text: M?}
  - {id: a, type: yes_no, text: A?}
  - {id: b, type: yes_no, text: B?}
  - {id: g, type: yes_no, text: G?}
  - {id: p, type: yes_no, text: P?}
  - {id: q, type: yes_no, text: Q?}
  - {id: r, type: yes_no, text: R?}
  - {id: s, type: yes_no, text: S?}
  - {id: t, type: yes_no, text: T?}
  - id: kit
    type: multi
    text: What do you have?
    choices: {ball: A ball, bench: A bench}
causes:
  - {id: alpha, title: Alpha, explanation: alpha., fixes: [fix_shared, fix_alpha]}
  - id: zeta
    title: Zeta
    explanation: zeta.
    fixes: [fix_zeta]
    explains: [mid, alpha]
    alternatives: [bench_press, wall_sit]
  - {id: mid, title: Mid, explanation: mid., fixes: [fix_shared], explains: [alpha]}
  - {id: beta, title: Beta, explanation: beta., fixes: [fix_beta, fix_gamma]}
  - id: gamma
    title: Gamma
    explanation: gamma.
    fixes: [fix_gamma, fix_unless_p]
    alternatives: [wall_sit]
  - {id: rare, title: Rare, explanation: rare., fixes: [fix_rare]}
  - {id: small1, title: Small 1, explanation: s1., fixes: [fix_s1, fix_s2]}
  - {id: small2, title: Small 2, explanation: s2., fixes: [fix_s2]}
  - {id: tie_a, title: Tie A, explanation: ta., fixes: [fix_t1]}
  - {id: tie_b, title: Tie B, explanation: tb., fixes: [fix_t2]}
  - {id: tie_c, title: Tie C, explanation: tc., fixes: [fix_t2]}
fixes:
  - {id: fix_zeta, title: Fix zeta, how: Do zeta.}
  - {id: fix_shared, title: Fix shared, how: Do shared.}
  - {id: fix_alpha, title: Fix alpha, how: Do alpha.}
  - {id: fix_beta, title: Fix beta, how: Do beta.}
  - {id: fix_gamma, title: Fix gamma, how: Do gamma.}
  - {id: fix_unless_p, title: Fix unless p, how: Do it., unless: p}
  - {id: fix_rare, title: Fix rare, how: Do rare.}
  - {id: fix_s1, title: Fix s1, how: Do s1.}
  - {id: fix_s2, title: Fix s2, how: Do s2.}
  - {id: fix_t1, title: Fix t1, how: Do t1.}
  - {id: fix_t2, title: Fix t2, how: Do t2.}
alternatives:
  - id: bench_press
    title: Bench
    how: Press.
    why: It spares the back.
    needs: [bench]
    unless: q
  - id: wall_sit
    title: Wall sit
    how: Sit.
    why: It spares the back.
    needs: [ball]
rules:
  - {id: r_zeta, if: z, then: zeta, cf: 0.9}
  - {id: r_mid, if: m, then: mid, cf: 0.6}
  - {id: r_alpha, if: a, then: alpha, cf: 0.5}
  - {id: r_beta, if: b, then: beta, cf: 0.3}
  - {id: r_gamma, if: g, then: gamma, cf: 0.4}
  - {id: r_rare, if: r, then: rare, cf: 0.3456789}
  - {id: r_small1, if: s, then: small1, cf: 0.25}
  - {id: r_small2, if: s, then: small2, cf: 0.21}
  - {id: r_tie_a, if: t, then: tie_a, cf: 0.45}
  - {id: r_tie_b, if: t, then: tie_b, cf: 0.25}
  - {id: r_tie_c, if: t, then: tie_c, cf: 0.2000000001}
"""

RB: RuleBase = build_rulebase([parse_rule_text(RULES.encode(), "plan.yaml")])


ALL = {"z": "yes", "m": "yes", "a": "yes", "b": "yes", "g": "yes"}


def result(**answers: Any) -> Any:
    return diagnose_answers(RB, answers)


def test_causes_rank_root_first_then_by_certainty() -> None:
    causes = result(**ALL)["causes"]
    assert [(c["rank"], c["id"], c["certainty"]) for c in causes] == [
        (1, "zeta", 0.9),
        (2, "mid", 0.6),
        (3, "alpha", 0.5),
        (4, "gamma", 0.4),
        (5, "beta", 0.3),
    ]


def test_a_root_lists_the_causes_it_explains_in_rank_order() -> None:
    causes = {c["id"]: c for c in result(**ALL)["causes"]}
    assert causes["zeta"]["explains"] == ["mid", "alpha"]
    assert causes["alpha"]["explained_by"] == ["zeta", "mid"]


def test_a_fix_serves_its_causes_and_their_signs_through_a_chain_in_rank_order() -> None:
    plan = {step["fix"]: step for step in result(**ALL)["plan"]}
    # zeta explains mid, which explains alpha: fixing zeta reaches all three.
    assert plan["fix_zeta"]["for_causes"] == ["zeta", "mid", "alpha"]
    assert plan["fix_zeta"]["weight"] == 0.9 + 0.6 + 0.5
    # fix_shared is listed by alpha and by mid (which explains alpha): mid ranks first.
    assert plan["fix_shared"]["for_causes"] == ["mid", "alpha"]
    assert plan["fix_gamma"]["for_causes"] == ["gamma", "beta"]


def test_the_plan_puts_roots_first_then_heavier_fixes_first() -> None:
    plan = result(**ALL)["plan"]
    assert [(s["fix"], s["weight"]) for s in plan] == [
        ("fix_zeta", 2.0),  # a root's fixes lead
        ("fix_shared", 1.1),  # mid is a root of alpha too
        ("fix_gamma", 0.7),
        ("fix_alpha", 0.5),
        ("fix_unless_p", 0.4),  # gamma's, declared after fix_gamma
        ("fix_beta", 0.3),
    ]


def test_fixes_of_equal_weight_keep_their_declared_order_and_lighter_ones_follow() -> None:
    # beta (0.3) declares fix_beta then fix_gamma; gamma (0.4) fix_gamma then
    # fix_unless_p. Weights: fix_gamma 0.7, fix_unless_p 0.4, fix_beta 0.3: by weight,
    # not the order the causes declare them in.
    plan = result(b="yes", g="yes")["plan"]
    assert [(s["fix"], s["weight"]) for s in plan] == [
        ("fix_gamma", 0.7),
        ("fix_unless_p", 0.4),
        ("fix_beta", 0.3),
    ]


def test_a_heavier_fix_goes_first_even_when_both_weigh_under_one_half() -> None:
    # small1 (0.25) declares fix_s1 then fix_s2; fix_s2 also serves small2 (0.21).
    plan = result(s="yes")["plan"]
    assert [(s["fix"], s["weight"]) for s in plan] == [("fix_s2", 0.46), ("fix_s1", 0.25)]


def test_weights_equal_to_nine_decimals_are_a_tie_kept_in_declared_order() -> None:
    # fix_t2 weighs 0.25 + 0.2000000001 = 0.4500000001, fix_t1 0.45: the same to nine
    # decimals (and shown alike), so the order the causes declare them in decides.
    plan = result(t="yes")["plan"]
    assert [(s["fix"], s["weight"]) for s in plan] == [("fix_t1", 0.45), ("fix_t2", 0.45)]


def test_a_fix_the_answers_rule_out_is_left_out_of_the_plan_too() -> None:
    plan = result(g="yes", p="yes")["plan"]
    assert [s["fix"] for s in plan] == ["fix_gamma"]
    assert list(result(g="yes", p="yes")["fixes"]) == ["fix_gamma"]


def test_an_unanswered_unless_rules_out_nothing_even_at_threshold_0() -> None:
    # 'unless: p' with p unanswered scores 0, exactly the premise threshold here.
    out = result(g="yes")
    assert [s["fix"] for s in out["plan"]] == ["fix_gamma", "fix_unless_p"]
    assert [a["id"] for a in result(z="yes")["alternatives"]] == ["bench_press", "wall_sit"]


def test_an_alternative_ruled_out_does_not_hide_the_next_one() -> None:
    # zeta lists bench_press (unless q) before wall_sit.
    assert [a["id"] for a in result(z="yes", q="yes")["alternatives"]] == ["wall_sit"]
    assert [(a["id"], a["for_causes"]) for a in result(z="yes", g="yes")["alternatives"]] == [
        ("bench_press", ["zeta"]),
        ("wall_sit", ["zeta", "gamma"]),
    ]


def test_certainty_is_rounded_to_six_decimals() -> None:
    [cause] = result(r="yes")["causes"]
    assert cause["certainty"] == 0.345679


def test_build_plan_without_fixes_of_uses_every_fix_of_every_cause() -> None:
    # p would rule fix_unless_p out, but only the fixes given in fixes_of are checked.
    causes = ranked_causes(RB, infer(RB, {"z": True, "a": True, "g": True, "p": True}), 0.2)
    assert [s["fix"] for s in build_plan(RB, causes)] == [
        "fix_zeta",  # zeta is a root of alpha here
        "fix_shared",
        "fix_alpha",
        "fix_gamma",
        "fix_unless_p",
    ]
