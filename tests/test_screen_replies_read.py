"""A screen's reply in a record is read whatever shape an app gives it.

Check 37's attacker (M1) sent the nerve-signs screen as an app's single-select widget
writes it: a string naming a sign ("saddle_numbness"), names parted by commas, the list
as JSON text, a nested list, a list of objects or a sign's label. Each was dropped as
an unreadable key, and a ticked emergency sign got exercise advice ("unscreened", 12
fixes). Names are now read as the list they are, and any other reply that says
something makes the screen's signs "not sure". And "None", as Python writes a missing
value, is "not sure" too, not the word "none" (check 32, M3; check 37, M2).
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.knowledge.rulebase import RuleBase

SCREEN = "screen:nerve_signs"


def flags(rb: RuleBase, answers: dict[str, Any]) -> tuple[str, dict[str, str], int]:
    found = diagnose({"id": "s", "answers": {**answers, "lower_back_rounds": "yes"}}, rb)
    levels = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    return found["status"], levels, len(found["fixes"])


@pytest.mark.parametrize(
    "reply", ["saddle_numbness", " saddle_numbness ", '["saddle_numbness"]', "Saddle Numbness"]
)
def test_a_sign_named_as_text_is_a_yes(rb: RuleBase, reply: str) -> None:
    status, levels, fixes = flags(rb, {SCREEN: reply})
    assert (status, levels.get("saddle_numbness"), fixes) == ("refer", "emergency", 0)


@pytest.mark.parametrize(
    "reply",
    [
        "saddle_numbness, leg_pain_below_knee",
        "saddle_numbness;leg_pain_below_knee",
        "saddle_numbness | leg_pain_below_knee",
    ],
)
def test_signs_parted_by_commas_are_each_a_yes(rb: RuleBase, reply: str) -> None:
    status, levels, fixes = flags(rb, {SCREEN: reply})
    assert status == "refer" and fixes == 0
    assert levels["saddle_numbness"] == "emergency"
    assert levels["leg_pain_below_knee"] == "clinician"


@pytest.mark.parametrize(
    "reply",
    [
        [["saddle_numbness"]],
        [{"id": "saddle_numbness"}],
        "Numbness in the saddle area",
        ["a label"],
    ],
)
def test_a_reply_no_reader_can_read_makes_the_signs_not_sure(rb: RuleBase, reply: Any) -> None:
    status, levels, fixes = flags(rb, {SCREEN: reply})
    assert status == "refer" and fixes == 0
    assert levels["saddle_numbness"] == "urgent"  # emergency, one lower: not sure


@pytest.mark.parametrize("reply", ["no", "none", [], ["none"], "unsure", ""])
def test_a_reply_that_says_no_or_nothing_raises_nothing(rb: RuleBase, reply: Any) -> None:
    status, levels, fixes = flags(rb, {SCREEN: reply})
    assert levels == {} and fixes > 0  # the signs stay unanswered: unscreened, not clear
    assert status == "unscreened"


@pytest.mark.parametrize("none", ["None", " None ", ["None"]])
def test_pythons_none_is_not_sure(rb: RuleBase, none: Any) -> None:
    status, levels, fixes = flags(rb, {"saddle_numbness": none})
    assert (status, levels, fixes) == ("refer", {"saddle_numbness": "urgent"}, 0)


@pytest.mark.parametrize("word", ["none", "NONE", "no"])
def test_a_lifters_none_is_a_no(rb: RuleBase, word: str) -> None:
    _, levels, _ = flags(rb, {"saddle_numbness": word})
    assert levels == {}


@pytest.mark.parametrize("tick", ["✓", "✔", "✔\ufe0f", "☑", "✅", "x", "X"])
def test_a_tick_mark_is_a_yes(rb: RuleBase, tick: str) -> None:
    # Check 37, A-L1: read "not sure", an emergency sign ticked in a sheet was urgent.
    status, levels, _ = flags(rb, {"saddle_numbness": tick})
    assert (status, levels) == ("refer", {"saddle_numbness": "emergency"})


@pytest.mark.parametrize("cross", ["✗", "☒", "❌"])  # a sheet's "x" is its tick (check 46)
def test_a_cross_mark_is_not_sure(rb: RuleBase, cross: str) -> None:
    _, levels, _ = flags(rb, {"saddle_numbness": cross})
    assert levels == {"saddle_numbness": "urgent"}


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        ("Screen:nerve_signs", "saddle_numbness"),
        ("SCREEN: nerve_signs ", ["saddle_numbness"]),
        ("screen:Nerve Signs", "saddle_numbness"),
    ],
)
def test_the_screens_key_in_another_case_is_read(rb: RuleBase, key: str, reply: Any) -> None:
    status, levels, fixes = flags(rb, {key: reply})
    assert (status, levels.get("saddle_numbness"), fixes) == ("refer", "emergency", 0)


def test_a_key_that_only_starts_like_a_screen_is_not_one(rb: RuleBase) -> None:
    # Not a screen's tick (an emergency): a text that names the sign under another
    # key, read as a note is (not sure, one level lower; check 57, H4).
    status, levels, _ = flags(rb, {"screenshot": "saddle_numbness"})
    assert levels == {"saddle_numbness": "urgent"} and status == "refer"


@pytest.mark.parametrize(
    "unread", ["bladder_bowel_chnage", "Loss of bladder control", "incontinence"]
)
@pytest.mark.parametrize("as_text", [False, True])
def test_a_sign_that_cannot_be_read_beside_one_that_can_is_not_dropped(
    rb: RuleBase, unread: str, as_text: bool
) -> None:
    # Check 38, A-H1: ticking one more box (leg pain) dropped the bladder sign the
    # tool could not read, and urgent became clinician.
    reply: Any = ["leg_pain_below_knee", unread]
    if as_text:
        reply = ", ".join(reply)
    status, levels, fixes = flags(rb, {SCREEN: reply})
    assert status == "refer" and fixes == 0
    assert levels["bladder_bowel_change"] in ("urgent", "emergency")
    assert levels["leg_pain_below_knee"] == "clinician"
    alone = flags(rb, {SCREEN: [unread]})[1]
    assert alone["bladder_bowel_change"] == "urgent"  # never more than with one box less


def test_an_unsure_mark_in_a_screens_list_is_not_sure(rb: RuleBase) -> None:
    # "?saddle_numbness" means "cannot tell": it read as a yes, an emergency.
    status, levels, fixes = flags(rb, {SCREEN: ["?saddle_numbness"]})
    assert (status, levels, fixes) == ("refer", {"saddle_numbness": "urgent"}, 0)
    both = flags(rb, {SCREEN: ["?saddle_numbness", "leg_pain_below_knee"]})[1]
    assert both["saddle_numbness"] == "urgent" and both["leg_pain_below_knee"] == "clinician"


@pytest.mark.parametrize(
    "reply", [["saddle_numbness", "?saddle_numbness"], ["?saddle_numbness", "saddle_numbness"]]
)
def test_a_tick_beside_its_own_unsure_mark_stays_a_yes(rb: RuleBase, reply: list[str]) -> None:
    # Check 39, A-H1 (a regression of 90f5066): the "?" won, and emergency was urgent.
    status, levels, _ = flags(rb, {SCREEN: reply})
    assert (status, levels) == ("refer", {"saddle_numbness": "emergency"})


@pytest.mark.parametrize(
    "age",
    [
        '"70"',
        "'70'",
        "\u201c70\u201d",
        "`70`",
        '" 70 "',
        # Check 40, N3: one quote at one end (Excel's text mark), quotes before a unit.
        "'70",
        '70"',
        '"70" years',
        "\u201c70\u201d yrs",
    ],
)
def test_an_age_inside_its_own_quotes_is_that_age(rb: RuleBase, age: str) -> None:
    # Check 39, A-H3: a CSV field quoted twice lowered urgent to clinician.
    answers = {"age_years": age, "sudden_sharp_onset": "yes", "onset_settling": "no"}
    _, levels, _ = flags(rb, answers)
    assert levels["fracture_risk_sudden_onset"] == "urgent"


@pytest.mark.parametrize("age", ["'30", '30"', '"30" years'])
def test_a_young_age_in_quotes_is_that_age_too(rb: RuleBase, age: str) -> None:
    # Read, not "not sure": a 30-year-old's sudden onset is no fracture risk.
    answers = {"age_years": age, "sudden_sharp_onset": "yes", "onset_settling": "no"}
    _, levels, _ = flags(rb, answers)
    assert "fracture_risk_sudden_onset" not in levels


@pytest.mark.parametrize(
    "tick", ["Saddle numbness", "SADDLE_NUMBNESS", " saddle_numbness ", "saddle-numbness"]
)
def test_a_tick_in_another_spelling_beside_its_unsure_mark_stays_a_yes(
    rb: RuleBase, tick: str
) -> None:
    # Check 40, N1: two spellings of one sign were read as two answers, and not sure.
    for reply in ([tick, "?saddle_numbness"], ["?saddle_numbness", tick]):
        _, levels, _ = flags(rb, {SCREEN: reply})
        assert levels == {"saddle_numbness": "emergency"}


@pytest.mark.parametrize("other", [None, 5, ["x"]])
def test_an_item_that_is_not_text_leaves_a_tick_a_yes(rb: RuleBase, other: Any) -> None:
    # Check 40, N2: the whole list was left unread, and the tick was not sure.
    _, levels, _ = flags(rb, {SCREEN: ["saddle_numbness", other]})
    assert levels["saddle_numbness"] == "emergency"


@pytest.mark.parametrize("marked", ["?saddle_numbnes", "?Loss of bladder control", "?*", "?"])
def test_a_marked_item_no_reader_names_beside_a_sign_leaves_the_others_not_sure(
    rb: RuleBase, marked: str
) -> None:
    # Check 39, M1: the "?" item was dropped beside the sign read, and the saddle
    # numbness it doubted was never asked about: clinician, where "not sure" of it
    # beside leg pain is an emergency.
    status, levels, fixes = flags(rb, {SCREEN: ["leg_pain_below_knee", marked]})
    assert (status, fixes) == ("refer", 0)
    assert levels["saddle_numbness"] == "urgent"  # not sure
    assert levels["nerve_signs_with_sciatica"] == "emergency"


def test_a_no_beside_a_sign_leaves_the_others_unanswered(rb: RuleBase) -> None:
    # The threshold: "none" says nothing is doubted.
    _, levels, _ = flags(rb, {SCREEN: ["leg_pain_below_knee", "none"]})
    assert levels == {"leg_pain_below_knee": "clinician"}
