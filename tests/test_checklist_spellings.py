"""`diagnose` reads the interview's checklist the way it reads any other answer.

Check 35's attacker (M2) sent records that an app builds by hand: the checklist
"screen:what_happens_in_a_set" empty beside the item's own yes under another spelling
("Heels_Lift"), items ticked in another case or twice, and the checklist's key with a
trailing space. The checklist's "no" overrode the item's own yes, and the others were
dropped as unknown keys, so the form cause was lost (no_fault_found). An item's own
answer now stands under any spelling the tool reads, and the checklist's key and items
are read with the same spellings as answer keys.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.knowledge.rulebase import RuleBase

CHECKLIST = "screen:what_happens_in_a_set"


def causes(rb: RuleBase, answers: dict[str, Any]) -> list[str]:
    return [cause["id"] for cause in diagnose({"id": "c", "answers": answers}, rb)["causes"]]


@pytest.mark.parametrize(
    "spelling", ["Heels_Lift", "HEELS_LIFT", "heels lift", "heels-lift", "heelsLift"]
)
def test_an_items_own_yes_under_another_spelling_stands(rb: RuleBase, spelling: str) -> None:
    assert "heels_lifting" in causes(rb, {CHECKLIST: [], spelling: "yes"})
    # and its own no stands too: the checklist does not make it a yes
    assert "heels_lifting" not in causes(rb, {CHECKLIST: ["heels_lift"], spelling: "no"})


@pytest.mark.parametrize(
    "ticked",
    [["Heels_Lift"], ["heels_lift", "heels_lift"], ["heels lift"], ["HEELS-LIFT", "heels_lift"]],
)
def test_items_ticked_in_another_spelling_or_twice_are_ticked(
    rb: RuleBase, ticked: list[str]
) -> None:
    assert "heels_lifting" in causes(rb, {CHECKLIST: ticked})
    # the others are still "no": nothing but the ticked item is read as happening
    assert causes(rb, {CHECKLIST: ticked}) == causes(rb, {CHECKLIST: ["heels_lift"]})


@pytest.mark.parametrize("key", [CHECKLIST + " ", " " + CHECKLIST, "Screen:What_Happens_In_A_Set"])
def test_the_checklists_key_in_another_spelling_is_read(rb: RuleBase, key: str) -> None:
    found = diagnose({"id": "c", "answers": {key: ["heels_lift"]}}, rb)
    assert "heels_lifting" in [cause["id"] for cause in found["causes"]]
    assert not any("unknown question id" in w["message"] for w in found["warnings"])


def test_a_list_that_is_not_the_interviews_is_left_alone(rb: RuleBase) -> None:
    # An item the checklist does not hold: not read as the checklist (nothing opened).
    found = diagnose({"id": "c", "answers": {CHECKLIST: ["heels_lift", "not_an_item"]}}, rb)
    assert "heels_lifting" not in [cause["id"] for cause in found["causes"]]
    assert any("screen:what_happens_in_a_set" in w["message"] for w in found["warnings"])
