"""The order evidence is folded in, as certainty.py documents it: largest first.

Any fixed order makes a certainty independent of the order the rules fired in, but
only the documented one makes it equal, bit for bit, to the arithmetic an explanation
shows ("start at 0.3, then 0.3 + 0.2 x (1 - 0.3) ..."), and keeps a certainty that sits
on a threshold on the same side of it from one version to the next. These numbers
were picked because the two orders round differently in floating point.
"""

from __future__ import annotations

from legpress_diag.reasoning.certainty import combination_steps, combine


def test_three_beliefs_fold_largest_first_bit_for_bit() -> None:
    largest_first = 0.3 + 0.2 * (1 - 0.3)
    largest_first = largest_first + 0.1 * (1 - largest_first)
    smallest_first = 0.1 + 0.2 * (1 - 0.1)
    smallest_first = smallest_first + 0.3 * (1 - smallest_first)
    assert largest_first != smallest_first  # otherwise this test would pin nothing
    for order in ([0.1, 0.2, 0.3], [0.3, 0.1, 0.2], [0.2, 0.3, 0.1]):
        assert combine(order) == largest_first


def test_the_explanation_starts_at_the_largest_belief() -> None:
    assert combination_steps([0.1, 0.3, 0.2]) == [
        "start at 0.3",
        "0.3 + (0.2) × (1 - 0.3) = 0.44",
        "0.44 + (0.1) × (1 - 0.44) = 0.496",
    ]
