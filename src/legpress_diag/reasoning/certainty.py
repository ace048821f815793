"""Certainty factors, combined the EMYCIN way.

Evidence for and against a conclusion is accumulated separately (positives with
``a + b(1 - a)``, negatives with ``a + b(1 + a)``), then the two are joined with
``(for + against) / (1 - min(|for|, |against|))``. Contributions are folded in a
fixed order (largest magnitude first) so the result is bit-for-bit the same
whatever order the rules fired in.
"""

from __future__ import annotations

from collections.abc import Iterable


def _fold_positive(values: list[float]) -> float:
    total = 0.0
    for value in values:
        total = total + value * (1.0 - total)
    return total


def _fold_negative(values: list[float]) -> float:
    total = 0.0
    for value in values:
        total = total + value * (1.0 + total)
    return total


def join(for_: float, against: float) -> float:
    """Combine a belief (>= 0) with a disbelief (<= 0)."""
    if against == 0.0:
        return for_
    if for_ == 0.0:
        return against
    denominator = 1.0 - min(abs(for_), abs(against))
    if denominator == 0.0:  # certain for and certain against: the evidence cancels out
        return 0.0
    return (for_ + against) / denominator


def combine(contributions: Iterable[float]) -> float:
    """The certainty of a conclusion given every rule contribution to it."""
    values = contributions if isinstance(contributions, list) else list(contributions)
    # Fast paths, bit-for-bit the same as the general fold below.
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        a, b = values
        if a > 0.0 and b > 0.0:
            if a < b:
                a, b = b, a
            return a + b * (1.0 - a)
    positives = sorted((v for v in values if v > 0.0), reverse=True)
    negatives = sorted(v for v in values if v < 0.0)
    if not negatives:
        return _fold_positive(positives)
    return join(_fold_positive(positives), _fold_negative(negatives))


def combination_steps(contributions: Iterable[float]) -> list[str]:
    """The arithmetic of :func:`combine`, one line per step, for explanations."""
    values = list(contributions)
    positives = sorted((v for v in values if v > 0.0), reverse=True)
    negatives = sorted(v for v in values if v < 0.0)
    steps: list[str] = []
    for_ = _steps(positives, steps, "+")
    against = _steps(negatives, steps, "-")
    if positives and negatives:
        result = join(for_, against)
        steps.append(
            f"({_f(for_)} + ({_f(against)})) / (1 - min({_f(abs(for_))}, {_f(abs(against))}))"
            f" = {_f(result)}"
        )
    return steps


def _steps(values: list[float], steps: list[str], sign: str) -> float:
    total = 0.0
    for value in values:
        if total == 0.0:
            total = value
            steps.append(f"start at {_f(value)}")
            continue
        new = total + value * (1.0 - total) if sign == "+" else total + value * (1.0 + total)
        factor = f"(1 - {_f(total)})" if sign == "+" else f"(1 + ({_f(total)}))"
        steps.append(f"{_f(total)} + ({_f(value)}) × {factor} = {_f(new)}")
        total = new
    return total


def _f(value: float) -> str:
    # Three decimals at most, trailing zeros dropped: 0.5, 0.123, 1, -1, 0.
    return f"{value:.3f}".rstrip("0").rstrip(".")
