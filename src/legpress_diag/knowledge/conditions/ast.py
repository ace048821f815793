"""The tree a condition parses into. Offsets are 0-based into the condition text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """A name as written, with where it was written."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Value:
    """A literal as written: a choice's value or a number."""

    value: str | float
    start: int
    end: int


@dataclass(frozen=True)
class Truth:
    """A bare name: a yes/no question answered yes, or a derived fact believed."""

    ref: Ref


@dataclass(frozen=True)
class Compare:
    """``name OP value``: a number or choice compared with a literal."""

    ref: Ref
    op: str  # one of == != < <= > >=
    value: Value


@dataclass(frozen=True)
class Member:
    """``name in [...]`` (or ``not in``): a choice among literals."""

    ref: Ref
    values: tuple[Value, ...]
    negated: bool


@dataclass(frozen=True)
class Includes:
    """``name includes ...``: a multi-choice answer holding any or all of the values."""

    ref: Ref
    values: tuple[Value, ...]
    mode: str  # "any" or "all"


@dataclass(frozen=True)
class Not:
    """``not operand``."""

    operand: Condition


@dataclass(frozen=True)
class And:
    """Every operand holds (the minimum certainty)."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    """Any operand holds (the maximum certainty)."""

    operands: tuple[Condition, ...]


# After checking, a bare name that refers to a derived fact becomes a FactRef.
@dataclass(frozen=True)
class FactRef:
    """A bare name that names a derived fact or cause (made so by the checker)."""

    ref: Ref


Leaf = Truth | Compare | Member | Includes | FactRef
Condition = Truth | Compare | Member | Includes | FactRef | Not | And | Or


def leaves(condition: Condition) -> list[Leaf]:
    """Every test in the condition, left to right."""
    if isinstance(condition, Not):
        return leaves(condition.operand)
    if isinstance(condition, And | Or):
        return [leaf for operand in condition.operands for leaf in leaves(operand)]
    return [condition]


def render(condition: Condition) -> str:
    """Canonical text of a condition (used for duplicate detection and display)."""
    if isinstance(condition, Not):
        return f"not {_wrap(condition.operand)}"
    if isinstance(condition, And):
        return " and ".join(_wrap(op) for op in condition.operands)
    if isinstance(condition, Or):
        return " or ".join(_wrap(op) for op in condition.operands)
    if isinstance(condition, Truth | FactRef):
        return condition.ref.name
    if isinstance(condition, Compare):
        return f"{condition.ref.name} {condition.op} {_value(condition.value)}"
    if isinstance(condition, Member):
        word = "not in" if condition.negated else "in"
        return f"{condition.ref.name} {word} [{', '.join(_value(v) for v in condition.values)}]"
    values = ", ".join(_value(v) for v in condition.values)
    if len(condition.values) == 1:
        return f"{condition.ref.name} includes {values}"
    return f"{condition.ref.name} includes {condition.mode} [{values}]"


def _wrap(condition: Condition) -> str:
    text = render(condition)
    return f"({text})" if isinstance(condition, And | Or) else text


def _value(value: Value) -> str:
    if isinstance(value.value, float):
        return f"{value.value:g}"
    return value.value
