"""A key that names a sign beside another part of the body or a word about someone
is the lifter's sign unless it is plainly about a relative or about another part
(check 47, N2): "Numbness in groin and hands" and "Bladder problems since my child
was born", answered yes beside the sign's own "no", were "ok" with advice."""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose

RB = bundled_rulebase()
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {
    "age_years": 34,
    "lower_back_rounds": "yes",
}


def flags(key: str, value: str) -> set[tuple[str, bool]]:
    found = diagnose({"id": "t", "answers": {**ALL_NO, key: value}}, RB)
    assert not found["red_flags"] or not found["fixes"]
    return {(f["id"], f["unsure"]) for f in found["red_flags"]}


@pytest.mark.parametrize(
    ("key", "sign"),
    [("Numbness in groin and hands", "saddle_numbness"), ("Numbness in groin", "saddle_numbness"),
     ("Tingling in groin?", "saddle_numbness"),
     ("Bladder problems since my child was born", "bladder_bowel_change")],
)  # fmt: skip
def test_the_lifters_own_sign_is_doubted_beside_its_no(key: str, sign: str) -> None:
    assert (sign, True) in flags(key, "yes")
    assert flags(key, "no") == set()


@pytest.mark.parametrize("key", ["knee pain after trauma", "Family cancer history"])
def test_a_relative_or_another_part_refers_no_one(key: str) -> None:
    assert flags(key, "yes") == set()
