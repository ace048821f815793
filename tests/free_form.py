"""A clear client's record (every safety question "no", age 34, one form fault) with
one free-form key added, and the flags that key raises: what the tests of free-form
keys and replies (checks 52 and 53) ask of each key."""

from __future__ import annotations

from typing import Any

from legpress_diag.api import bundled_rulebase, diagnose

RB = bundled_rulebase()
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {
    "age_years": 34,
    "lower_back_rounds": "yes",
}


def flagged(key: str, value: Any) -> set[str]:
    """The flags the clear record raises with ``key: value`` added; a referral never
    carries exercise advice."""
    found = diagnose({"id": "t", "answers": {**ALL_NO, key: value}}, RB)
    assert not found["red_flags"] or (not found["fixes"] and not found["alternatives"])
    return {f["id"] for f in found["red_flags"]}
