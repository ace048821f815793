"""The interview's work on a body of side columns is bounded per key.

Check 36's attacker (M3) posted a 1 MiB `/v1/interview` body of 25,000 keys like
"safety_saddle_numbness_000001": "yes". Replaying it looked for a misspelling of a
sign by difflib under every key, once per sign given two ways, and named each key up
to five times: 14.7 s of CPU against the 10 s limit (2.8 s before). The search is now
one pass, with difflib for the first keys only, and a key's reading is kept. The test
counts the difflib searches; it does not time anything.
"""

from __future__ import annotations

import json

import pytest

from legpress_diag.intake import answers
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.web.api import interview_json

KEYS = 2000


def test_difflib_runs_for_the_first_keys_only(
    rb: RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    close = answers._close_safety

    def counting(folded: str, safety: tuple[str, ...]) -> str | None:
        searched.append(folded)
        return close(folded, safety)

    monkeypatch.setattr(answers, "_close_safety", counting)
    side = {f"safety_saddle_numbness_{n:06d}": "yes" for n in range(KEYS)}
    screens = {f"screen:{name}": "no" for name in ("nerve_signs", "general_health", "pain_pattern")}
    body = {"answers": {**side, "age_years": 30, **screens}}
    out = json.loads(interview_json(rb, json.dumps(body).encode()))
    assert len(searched) <= 4 * answers.MAX_UNKNOWN_LISTED, len(searched)
    # and the yes under such keys still makes saddle numbness "not sure": a referral,
    # even with the nerve-signs screen answered no
    assert out["should_stop"] is True
    flags = [(flag["id"], flag["level"]) for flag in out["result"]["red_flags"]]
    assert flags == [("saddle_numbness", "urgent")]
