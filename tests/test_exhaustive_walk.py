"""The exhaustive walk infers each cause on the rules that can influence it alone.

That restriction is what keeps `rules lint` quick (every combination used to cost
every rule of the base); it must never change what the walk finds. Each test here
walks the same space twice, on the cause's own rules and on the whole base, and
wants the two walks to agree on everything lint reports from them.
"""

from __future__ import annotations

import pytest

from legpress_diag.authoring.exhaustive import CauseWalk, cause_rules, walk_cause
from legpress_diag.knowledge.loader import build_rulebase
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.knowledge.sources import parse_rule_text

from .conftest import MINI_RULES


def mini(rules_yaml: str) -> RuleBase:
    text = MINI_RULES + "rules:\n" + rules_yaml
    return build_rulebase([parse_rule_text(text.encode(), "mini.yaml")])


def findings(walk: CauseWalk) -> tuple[object, ...]:
    return (
        walk.cause,
        walk.questions,
        walk.total,
        walk.walked,
        walk.max_certainty,
        walk.best,
        walk.gaps,
        walk.gap_example,
    )


# c1 is read through a fact, through a negation and by a rule lowering it; c2 has a
# rule of its own and one that reads c1 (which must not count as influencing c1).
TANGLED = """
  - {id: seed, if: a, then: f, cf: 0.8}
  - {id: through, if: f and not b, then: c1, cf: 0.6}
  - {id: lower, if: angle < 90 and tempo == fast, then: c1, cf: -0.4}
  - {id: direct, if: where includes back, then: c1, cf: 0.3}
  - {id: own, if: tempo == slow, then: c2, cf: 0.7}
  - {id: reader, if: c1 and angle > 120, then: c2, cf: 0.5}
"""


def test_a_cause_keeps_only_the_rules_it_depends_on() -> None:
    rb = mini(TANGLED)
    assert [r.id for r in cause_rules(rb, "c1")] == ["seed", "through", "lower", "direct"]
    assert [r.id for r in cause_rules(rb, "c2")] == [
        "seed",
        "through",
        "lower",
        "direct",
        "own",
        "reader",
    ]


@pytest.mark.parametrize("cause", ["c1", "c2"])
def test_the_walk_on_a_cause_s_own_rules_finds_what_the_whole_base_finds(cause: str) -> None:
    rb = mini(TANGLED)
    restricted = walk_cause(rb, cause)
    whole = walk_cause(rb, cause, restrict=False)
    assert restricted.complete and whole.complete
    assert findings(restricted) == findings(whole)
    assert restricted.max_certainty > 0  # the walk reached the cause at all


def test_facts_feeding_each_other_give_the_same_walk() -> None:
    # A loop among facts takes the engine's general agenda rather than the plan.
    rb = mini(
        "  - {id: seed, if: a, then: f, cf: 0.5}\n"
        "  - {id: grow, if: f and b, then: c2, cf: 0.5}\n"
        "  - {id: back, if: c2, then: f, cf: 0.3}\n"
        "  - {id: out, if: f, then: c1, cf: 0.9}\n"
        "  - {id: other, if: tempo == slow, then: c2, cf: 0.4}\n"
    )
    assert rb.index.plan is None
    for cause in ("c1", "c2"):
        assert findings(walk_cause(rb, cause)) == findings(walk_cause(rb, cause, restrict=False))


def test_every_bundled_cause_walks_the_same_on_its_own_rules(rb: RuleBase) -> None:
    # The first 1,500 combinations of each cause (all of the smaller spaces): the
    # whole-base walk costs several seconds in full.
    for cause in rb.causes:
        restricted = walk_cause(rb, cause, limit=1_500)
        whole = walk_cause(rb, cause, limit=1_500, restrict=False)
        assert findings(restricted) == findings(whole), cause
        assert len(cause_rules(rb, cause)) < len(rb.rules)
