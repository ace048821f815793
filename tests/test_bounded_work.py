"""Work per record stays bounded, whatever its unknown keys (issue 10).

No timing here: the tests count what is done (string comparisons, warnings, lines)
instead. Measured times are in docs/robustness.md.
"""

from __future__ import annotations

import difflib
import json
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.foundation.problems import did_you_mean
from legpress_diag.intake.answers import MAX_UNKNOWN_LISTED, normalize_answers
from legpress_diag.intake.records import RawRecord, check_record
from legpress_diag.knowledge.rulebase import RuleBase

runner = CliRunner()
MANY = 20_000


class CountingMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher that counts how many times it is made, and for what lengths."""

    made: ClassVar[list[int]] = []

    def __init__(
        self, isjunk: None = None, a: str = "", b: str = "", autojunk: bool = True
    ) -> None:
        CountingMatcher.made.append(len(a))
        super().__init__(isjunk, a, b, autojunk)


@pytest.fixture
def matcher(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    CountingMatcher.made = []
    monkeypatch.setattr(difflib, "SequenceMatcher", CountingMatcher)
    return CountingMatcher.made


def test_a_name_far_longer_than_any_candidate_is_not_compared(matcher: list[int]) -> None:
    candidates = ["knee_angle_at_bottom", "heels_lift"]
    assert did_you_mean("x" * 1_000_000, candidates) is None
    assert did_you_mean("k" * 41, candidates) is None  # just over twice the longest
    assert matcher == []
    assert did_you_mean("knee_angel", candidates) == "did you mean 'knee_angle_at_bottom'?"
    assert matcher  # a real typo is still compared


def test_a_megabyte_key_gets_a_warning_without_a_suggestion(
    rb: RuleBase, matcher: list[int]
) -> None:
    _, errors, warnings = normalize_answers(rb, {"k" * 1_000_000: "yes"})
    assert errors == []
    [warning] = warnings
    assert warning.message == f"{warning.key}: unknown question id"
    assert len(warning.key) <= 60  # shown shortened
    assert matcher == []


def test_many_unknown_keys_are_listed_up_to_the_cap(rb: RuleBase, matcher: list[int]) -> None:
    raw = {f"junk_{i}": "yes" for i in range(MANY)} | {"heels_lift": "yes"}
    answers, errors, warnings = normalize_answers(rb, raw)
    assert answers == {"heels_lift": True} and errors == []
    assert len(warnings) == MAX_UNKNOWN_LISTED + 1
    assert [w.key for w in warnings[:MAX_UNKNOWN_LISTED]] == [
        f"junk_{i}" for i in range(MAX_UNKNOWN_LISTED)
    ]
    assert warnings[-1].message.startswith(f"and {MANY - MAX_UNKNOWN_LISTED} more unknown")
    # Suggestions were sought for the listed keys only, not for all 20,000.
    assert len(matcher) <= MAX_UNKNOWN_LISTED * 2 * len(rb.questions)


def test_strict_mode_caps_the_errors_the_same_way(rb: RuleBase) -> None:
    _, errors, warnings = normalize_answers(rb, {f"junk_{i}": 1 for i in range(MANY)}, strict=True)
    assert warnings == [] and len(errors) == MAX_UNKNOWN_LISTED + 1


def test_many_unknown_record_fields_are_capped() -> None:
    data = {"answers": {}} | {f"field_{i}": 1 for i in range(MANY)}
    checked = check_record(RawRecord(1, 1, data=data))
    assert len(checked.warnings) == MAX_UNKNOWN_LISTED + 1
    assert checked.warnings[-1].message.startswith(f"and {MANY - MAX_UNKNOWN_LISTED} more")


def test_diagnose_prints_a_bounded_number_of_warning_lines() -> None:
    record = {"id": "junk", "answers": {f"junk_{i}": "yes" for i in range(MANY)}}
    result = runner.invoke(
        app, ["diagnose", "-", "--jobs", "1", "-f", "jsonl"], input=json.dumps(record) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    warning_lines = [
        line
        for line in result.stderr.splitlines()
        if ": warning:" in line and "safety_screen_incomplete" not in line
    ]
    assert len(warning_lines) == MAX_UNKNOWN_LISTED + 1
    assert warning_lines[-1].startswith(
        f"<stdin>:1: warning: answers: and {MANY - MAX_UNKNOWN_LISTED} more unknown question ids"
    )
    [line] = result.stdout.splitlines()
    unknown = [w for w in json.loads(line)["warnings"] if w["key"] != "safety_screen_incomplete"]
    assert len(unknown) == MAX_UNKNOWN_LISTED + 1


def test_diagnose_a_megabyte_key_with_one_short_warning(matcher: list[int]) -> None:
    record = {"id": "big", "answers": {"knee_angle_at_bottom" * 50_000: "yes"}}
    result = runner.invoke(
        app, ["diagnose", "-", "--jobs", "1", "-f", "jsonl"], input=json.dumps(record) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    [warning] = [
        line
        for line in result.stderr.splitlines()
        if ": warning:" in line and "safety_screen_incomplete" not in line
    ]
    assert len(warning) < 200 and "did you mean" not in warning
    assert all(length < 1000 for length in matcher)  # never compared whole (--jobs 1: here)


def _near_misses(rb: RuleBase, count: int) -> dict[str, str]:
    """``count`` keys one letter off ids that are not on the safety screen."""
    screen = set(rb.index.screen_questions)
    ids = [q for q in sorted(rb.questions) if q not in screen]
    return {ids[i % len(ids)][:-1] + "q" + "x" * (i // len(ids)): "yes" for i in range(count)}


def test_near_miss_keys_get_a_bounded_number_of_full_suggestions(
    rb: RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 20: 20 near-miss keys a record cost 20 comparisons with every question id
    # each (20.8 s of CPU per MiB); only the first few now get one.
    from legpress_diag.intake import answers

    calls: list[str] = []

    def counting(name: str, candidates: object) -> str | None:
        calls.append(name)
        return did_you_mean(name, candidates)  # type: ignore[arg-type]

    monkeypatch.setattr(answers, "did_you_mean", counting)
    raw = _near_misses(rb, MAX_UNKNOWN_LISTED)
    _, _, warnings = normalize_answers(rb, raw)
    assert len(warnings) == MAX_UNKNOWN_LISTED  # every key is still listed
    assert len(calls) == answers.MAX_SUGGESTED
    assert all("did you mean" in w.message for w in warnings[: answers.MAX_SUGGESTED])


def test_a_misspelt_safety_key_is_always_named_and_screened(rb: RuleBase) -> None:
    from legpress_diag.api import diagnose

    raw: dict[str, object] = dict(_near_misses(rb, MAX_UNKNOWN_LISTED - 1))
    raw["saddle_numbnes"] = "yes"  # the last listed key, far past the suggestion cap
    _, _, warnings = normalize_answers(rb, raw)
    assert warnings[-1].message == (
        "saddle_numbnes: unknown question id; did you mean 'saddle_numbness'?"
    )
    result = diagnose({"answers": raw})
    assert [flag["id"] for flag in result["red_flags"]] == ["saddle_numbness"]


def test_a_key_misspelt_in_every_record_is_compared_once(rb: RuleBase, matcher: list[int]) -> None:
    from legpress_diag.foundation import problems
    from legpress_diag.intake import answers

    problems._did_you_mean.cache_clear()
    answers._close_safety.cache_clear()
    raw = {"heels_lifts": "yes", "saddle_numbnes": "yes"}
    first = normalize_answers(rb, raw)
    compared = len(matcher)
    assert compared > 0
    for _ in range(100):  # a batch repeating the same two misspelt columns
        assert normalize_answers(rb, raw) == first
    assert len(matcher) == compared
