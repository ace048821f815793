"""Free-form keys and replies that check 52's attacker found read so that a sign was
cleared or lowered (f924b40), and the over-readings it found.

The mechanism: a no clears a sign only under a key that only asks whether the sign
is there (an allow-list of its names, body parts and a question's grammar); a yes
finds nothing only under a key that only asks whether a part is normal (another
allow-list, with no mark that may negate); a key whose no denies a sign ("No
fever?") is doubted by a no; a reply that says "normal" with a mark after it says
more than "normal"."""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import diagnose

from .free_form import ALL_NO, RB, flagged


@pytest.mark.parametrize(
    "key",
    ["Bladder \u00acnormal?", "Bladder !normal?", "Bladder ~normal?", "Bladder (normal?) \u2717",
     "Bladder \u2260 normal", "Bladder != normal?", "Bladder \u274c normal?", "Bladder < normal?",
     "Bladder a-normal?"],
)  # fmt: skip
def test_a_mark_that_may_negate_makes_a_yes_a_doubt(key: str) -> None:
    assert "bladder_bowel_change" in flagged(key, "yes")  # H1


@pytest.mark.parametrize(
    ("key", "reply"),
    [("Sexual function", "normal \u274c"), ("Bladder control", "ok \u2717"),
     ("Bladder normal?", "Normal: \u2610"), ("Bladder normal?", "fine?"),
     ("Bladder normal?", "Fine 0/10")],
)  # fmt: skip
def test_a_normal_reply_with_a_mark_after_it_is_a_doubt(key: str, reply: str) -> None:
    assert flagged(key, reply)  # H2


@pytest.mark.parametrize(
    ("key", "sign"),
    [("Can you feel your saddle area?", "saddle_numbness"),
     ("Do you have full feeling in your saddle area?", "saddle_numbness"),
     ("Able to control bladder?", "bladder_bowel_change"),
     ("Bladder working properly?", "bladder_bowel_change"),
     ("Are your bowels working?", "bladder_bowel_change"),
     ("Bladder same as before?", "bladder_bowel_change"),
     ("Night pain improved?", "constant_or_night_pain"), ("Fever settled?", "fever_or_unwell"),
     ("Erectile function", "sexual_function_change"), ("Continence", "bladder_bowel_change"),
     ("Can you get an erection?", "sexual_function_change"),
     ("Temperature normal?", "fever_or_unwell")],
)  # fmt: skip
def test_a_no_under_a_key_that_does_not_only_ask_for_the_sign_is_a_doubt(
    key: str, sign: str
) -> None:
    assert sign in flagged(key, "No")  # H3, H6


@pytest.mark.parametrize(
    "key",
    ["Fever", "Any fever?", "Fever (Y/N)", "Recent fever", "Fever last week",
     "Loss of bladder control", "Bladder or bowel problems", "Numb groin",
     "Incontinence pads needed", "Do you have numbness in the saddle area?"],
)  # fmt: skip
def test_a_no_under_a_key_that_only_asks_for_the_sign_is_a_no(key: str) -> None:
    assert flagged(key, "no") == set()


@pytest.mark.parametrize("key", ["No fever?", "No numbness in groin?", "No bladder problems?"])
def test_a_no_to_a_key_that_denies_a_sign_is_a_doubt(key: str) -> None:
    assert flagged(key, "no")  # H4
    assert flagged(key, "yes") == set()


@pytest.mark.parametrize("key", ["Night pain", "Incontinence", "Fever", "Numb groin"])
def test_regular_under_a_signs_name_says_it_comes_often(key: str) -> None:
    assert flagged(key, "regular")  # H5


@pytest.mark.parametrize(
    ("key", "sign"),
    [("Pins and needles today", "leg_pain_below_knee"),
     ("Pins & needles", "leg_pain_below_knee"), ("Abnormal saddle sensation", "saddle_numbness"),
     ("Cannot control bowels", "bladder_bowel_change")],
)  # fmt: skip
def test_a_sign_named_in_other_words_is_read(key: str, sign: str) -> None:
    assert sign in flagged(key, "yes")  # H6


@pytest.mark.parametrize(
    ("key", "reply"),
    [("Sexual function", "no problems"), ("Sexual function", "unchanged"),
     ("Saddle area sensation", "intact"), ("Bladder normal?", "yes thanks"),
     ("Bladder normal?", "no issues"), ("Bowel habits", "normal"), ("Night pain", "fine")],
)  # fmt: skip
def test_a_reply_that_says_nothing_is_wrong_refers_no_one(key: str, reply: str) -> None:
    assert flagged(key, reply) == set()  # M4


ONSET: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions if qid != "age_years"} | {
    "sudden_sharp_onset": "yes",
    "onset_settling": "yes",
}


@pytest.mark.parametrize(
    ("key", "age"),
    [("age_years", "1e308"), ("age_years", {"value": 101}), ("Current age", "70 (x)"),
     ("Current age", "seventy-year-old"), ("Current age", "65 (turning 66)"),
     ("Current age", [101]), ("Current age", "~70")],
)  # fmt: skip
def test_an_age_written_otherwise_is_read_as_the_age(key: str, age: Any) -> None:
    # H7, H8: each was "not sure" alone (clinician) where 70 is urgent.
    found = diagnose({"id": "t", "answers": {**ONSET, key: age}}, RB)
    assert ("fracture_risk_sudden_onset", "urgent") in {
        (f["id"], f["level"]) for f in found["red_flags"]
    }


@pytest.mark.parametrize("typed", [{"S": "yes"}, {"BOOL": True}, {"stringValue": "yes"}])
def test_the_python_api_reads_a_databases_typed_values(typed: dict[str, Any]) -> None:
    # H9: read as boxes through api.diagnose, an emergency was urgent.
    found = diagnose({"id": "t", "answers": {**ALL_NO, "saddle_numbness": typed}}, RB)
    assert ("saddle_numbness", "emergency") in {(f["id"], f["level"]) for f in found["red_flags"]}
    age = diagnose({"id": "t", "answers": {**ONSET, "age_years": {"N": "70"}}}, RB)
    assert {f["level"] for f in age["red_flags"]} == {"urgent"}
