from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legpress_diag.reasoning.certainty import combination_steps, combine, join

cfs = st.floats(min_value=-1, max_value=1, allow_nan=False)


def test_positive_evidence_combines_mycin_style() -> None:
    assert combine([0.6, 0.5]) == 0.6 + 0.5 * (1 - 0.6) == 0.8


def test_negative_evidence_combines_symmetrically() -> None:
    assert math.isclose(combine([-0.6, -0.5]), -0.8)


def test_mixed_evidence_uses_emycin_formula() -> None:
    # (0.8 + -0.6) / (1 - min(0.8, 0.6)) = 0.2 / 0.4 = 0.5
    assert math.isclose(combine([0.8, -0.6]), 0.5)


def test_full_certainty_for_and_against_cancels() -> None:
    assert join(1.0, -1.0) == 0.0


def test_no_evidence_is_zero() -> None:
    assert combine([]) == 0.0


@given(st.lists(cfs, max_size=8), st.randoms())
def test_combination_is_order_independent_and_bounded(values: list[float], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = values[:]
    rnd.shuffle(shuffled)
    result = combine(values)
    assert result == combine(shuffled)
    assert -1.0 <= result <= 1.0


def test_steps_show_the_arithmetic() -> None:
    steps = combination_steps([0.5, 0.8])
    assert steps == ["start at 0.8", "0.8 + (0.5) × (1 - 0.8) = 0.9"]


@given(st.lists(cfs, min_size=1, max_size=3))
def test_fast_paths_equal_the_general_fold_bit_for_bit(values: list[float]) -> None:
    from legpress_diag.reasoning.certainty import _fold_negative, _fold_positive

    positives = sorted((v for v in values if v > 0.0), reverse=True)
    negatives = sorted(v for v in values if v < 0.0)
    general = (
        _fold_positive(positives)
        if not negatives
        else join(_fold_positive(positives), _fold_negative(negatives))
    )
    assert combine(values) == general


# --- The arithmetic shown in explanations (mutation testing found it unpinned) --------


def test_the_steps_show_for_against_and_their_join_with_hand_worked_numbers() -> None:
    from legpress_diag.reasoning.certainty import combination_steps

    # For: 0.8 then 0.5 -> 0.8 + 0.5 x 0.2 = 0.9. Against: -0.5 then -0.4 ->
    # -0.5 + (-0.4) x (1 - 0.5) = -0.7. Joined: (0.9 - 0.7) / (1 - 0.7) = 0.667.
    assert combination_steps([-0.4, 0.5, -0.5, 0.8]) == [
        "start at 0.8",
        "0.8 + (0.5) × (1 - 0.8) = 0.9",
        "start at -0.5",
        "-0.5 + (-0.4) × (1 + (-0.5)) = -0.7",
        "(0.9 + (-0.7)) / (1 - min(0.9, 0.7)) = 0.667",
    ]
    assert combine([-0.4, 0.5, -0.5, 0.8]) == pytest.approx(2 / 3)


def test_a_zero_contribution_is_no_step_and_against_alone_is_not_joined() -> None:
    from legpress_diag.reasoning.certainty import combination_steps

    assert combination_steps([0.6, 0.0, 0.3]) == ["start at 0.6", "0.6 + (0.3) × (1 - 0.6) = 0.72"]
    assert combination_steps([-0.6]) == ["start at -0.6"]
    assert combination_steps([-0.6, -0.5]) == [
        "start at -0.6",
        "-0.6 + (-0.5) × (1 + (-0.6)) = -0.8",
    ]
    assert combine([-0.6, -0.5]) == pytest.approx(-0.8)
    assert combine([0.6, 0.0]) == 0.6 and combine([0.0, 0.6]) == 0.6


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.5, "0.5"),
        (0.1234, "0.123"),
        (0.0004, "0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (2.0, "2"),
        (-0.25, "-0.25"),
        (0.0, "0"),
    ],
)
def test_numbers_in_the_steps_have_three_decimals_at_most(value: float, shown: str) -> None:
    from legpress_diag.reasoning.certainty import _f

    assert _f(value) == shown


def test_join_keeps_one_side_when_the_other_is_empty_and_cancels_certainties() -> None:
    from legpress_diag.reasoning.certainty import join

    assert join(0.5, 0.0) == 0.5 and join(0.0, -0.4) == -0.4
    assert join(1.0, -1.0) == 0.0
    assert join(0.9, -0.7) == pytest.approx(0.2 / 0.3)
