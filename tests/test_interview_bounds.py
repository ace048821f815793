"""The interview's work per request is bounded, and a deadline stops it (issue 20,
items 5-7; the attack on /v1/interview with 10,000 near-miss keys, H3 and M7).

Never timed: each test counts the work done, or checks that a deadline which runs
out at a chosen look stopped it there."""

from __future__ import annotations

import json
from typing import Any

import pytest

from legpress_diag.intake import progress
from legpress_diag.intake.answers import MAX_SUGGESTED, MAX_UNKNOWN_LISTED
from legpress_diag.intake.questionnaire import replay, state_from_answers
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.web.limits import TooSlow
from legpress_diag.web.problems import RequestProblem
from legpress_diag.web.service import interview

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from legpress_diag.web.api import interview_json


def near_misses(count: int) -> dict[str, Any]:
    """The attack's body: a few real answers, then ``count`` unknown keys each one
    letter off a safety question, all answered "yes"."""
    keys = ["saddle_numbnes", "bladder_bowel_chnge", "new_leg_weaknes", "fever_or_unwel"]
    answers: dict[str, Any] = {"age_years": 40, "screen:nerve_signs": "no"}
    for i in range(count):
        answers[f"{keys[i % len(keys)]}{i}"] = "yes"
    return answers


class RunsOut:
    """A request deadline that lets ``looks`` checks pass, then says time is up (as
    ``Deadline.check`` does once the request was answered 503)."""

    def __init__(self, looks: int) -> None:
        self.looks = looks
        self.calls = 0

    def check(self) -> None:
        self.calls += 1
        if self.calls > self.looks:
            raise TooSlow


def test_what_is_left_is_estimated_from_one_replay(
    rb: RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 unknown keys: one replay of the answers, and one estimate per state they
    went through, not a replay of each of the 302 prefixes (quadratic: 10,000 keys
    kept a thread busy for minutes after its 503)."""
    replays: list[int] = []
    estimates: list[int] = []
    real_replay, real_left = replay.state_from_answers, progress.prompts_left

    def counted_replay(*args: Any, **kwargs: Any) -> Any:
        replays.append(1)
        return real_replay(*args, **kwargs)

    def counted_left(*args: Any, **kwargs: Any) -> Any:
        estimates.append(1)
        return real_left(*args, **kwargs)

    monkeypatch.setattr(progress, "state_from_answers", counted_replay)
    monkeypatch.setattr(progress, "prompts_left", counted_left)
    answers = near_misses(300)
    left = progress.about_left(rb, answers)
    assert len(replays) == 1
    # The empty state, the two real answers, and the safety questions the misspelt
    # keys make "not sure" (one more state): never one per key.
    assert len(estimates) <= 4
    step = interview(rb, answers)
    assert step.about_left == left  # the service's estimate is the same number


def test_the_one_replay_gives_the_prefix_states_of_exact_answers(rb: RuleBase) -> None:
    """With only question ids the states it went through are each prefix's state."""
    answers = {
        "age_years": 40,
        "screen:nerve_signs": "no",
        "saddle_numbness": "unsure",
        "screen:general_health": "no",
    }
    states = state_from_answers(rb, answers).prefixes
    assert states is not None
    items = list(answers.items())
    assert [s.answers for s in states] == [
        state_from_answers(rb, dict(items[: n + 1])).state.answers for n in range(len(items))
    ]


@pytest.mark.parametrize("looks", [1, 2, 3, 5])
def test_a_deadline_stops_the_interview_inside_its_loops(rb: RuleBase, looks: int) -> None:
    """The deadline is looked at inside the replay and between the estimates, not
    only once before the work: a request answered 503 stops at its next look."""
    body = json.dumps({"answers": near_misses(2000)}).encode()
    deadline = RunsOut(looks)
    with pytest.raises(TooSlow):
        interview_json(rb, body, False, deadline)  # type: ignore[arg-type]
    assert deadline.calls == looks + 1  # it stopped at the first look past the time


def test_an_interview_within_its_time_is_answered(rb: RuleBase) -> None:
    body = json.dumps({"answers": near_misses(2000)}).encode()
    deadline = RunsOut(10_000)
    out = json.loads(interview_json(rb, body, False, deadline))  # type: ignore[arg-type]
    assert out["should_stop"] is False
    assert 2 < deadline.calls < 100  # one look per 256 keys and per estimate


@pytest.mark.parametrize("prefix", ["screen:x", "check:x"])
def test_unknown_screen_and_check_keys_are_listed_up_to_the_cap(
    rb: RuleBase, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40,000 unknown 'screen:xN' keys gave a 4.3 MB 422 of 40,000 problems and as
    many 'did you mean' searches: now the first MAX_UNKNOWN_LISTED are listed, one
    problem counts the rest, and only the first MAX_SUGGESTED get a suggestion."""
    suggestions: list[str] = []
    real = replay.did_you_mean

    def counted(name: str, *args: Any) -> Any:
        suggestions.append(name)
        return real(name, *args)

    monkeypatch.setattr(replay, "did_you_mean", counted)
    count = 5000
    answers = {f"{prefix}{i}": "no" for i in range(count)}
    with pytest.raises(RequestProblem) as caught:
        interview(rb, answers)
    problems = caught.value.problems
    assert len(problems) == MAX_UNKNOWN_LISTED + 1
    last = problems[-1]
    last_message = last["message"] if isinstance(last, dict) else last.message
    assert f"and {count - MAX_UNKNOWN_LISTED} more" in last_message
    assert len(suggestions) <= MAX_SUGGESTED


def test_at_the_cap_every_unknown_key_is_listed(rb: RuleBase) -> None:
    answers = {f"screen:x{i}": "no" for i in range(MAX_UNKNOWN_LISTED)}
    assert len(state_from_answers(rb, answers).errors) == MAX_UNKNOWN_LISTED
    answers["screen:one_more"] = "no"
    errors = state_from_answers(rb, answers).errors
    assert len(errors) == MAX_UNKNOWN_LISTED + 1
    assert "and 1 more" in errors[-1].message


def test_keys_past_the_cap_are_still_left_out_when_the_valid_answers_are_kept(
    rb: RuleBase,
) -> None:
    """``ask --answers`` keeps the valid answers: a bad key past the listed ones is
    left out as well (not read as a screen)."""
    answers: dict[str, Any] = {f"screen:x{i}": "no" for i in range(MAX_UNKNOWN_LISTED + 5)}
    answers["age_years"] = 40
    kept = state_from_answers(rb, answers, keep_valid=True)
    assert kept.state.answers == {"age_years": 40.0}


def test_closing_the_pool_does_not_wait_past_its_timeout_for_work_that_ignores_it() -> None:
    """SIGTERM ends the server even when a work thread is busy with something that
    never looks at its deadline: the pool says it could not finish, the server ends
    without it (server.serve_socket), instead of the interpreter waiting for ever."""
    import asyncio
    import threading

    from legpress_diag.web.limits import Limits, WorkPool

    pool = WorkPool(Limits(inline_body_bytes=0, seconds=3600))
    release, started = threading.Event(), threading.Event()

    def stubborn(deadline: object) -> str:
        started.set()
        release.wait()  # never looks at its deadline
        return "done"

    async def go() -> bool:
        task = asyncio.ensure_future(pool.run(1, stubborn))
        await asyncio.get_running_loop().run_in_executor(None, started.wait)
        ended = pool.close(timeout=0)
        release.set()
        assert await task == "done"
        return ended

    assert asyncio.run(go()) is False  # it did not wait for the stubborn thread
    assert pool.close(timeout=None) is True  # the thread has ended now
