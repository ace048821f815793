"""The tree a condition parses into. Offsets are 0-based into the condition text."""

from __future__ import annotations

from dataclasses import dataclass

from ...foundation.values import FieldsValue


@dataclass(frozen=True, repr=False, eq=False)
class Ref(FieldsValue):
    """A name as written, with where it was written."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, repr=False, eq=False)
class Value(FieldsValue):
    """A literal as written: a choice's value or a number."""

    value: str | float
    start: int
    end: int


@dataclass(frozen=True, repr=False, eq=False)
class Truth(FieldsValue):
    """A bare name: a yes/no question answered yes, or a derived fact believed."""

    ref: Ref


@dataclass(frozen=True, repr=False, eq=False)
class Compare(FieldsValue):
    """``name OP value``: a number or choice compared with a literal."""

    ref: Ref
    op: str  # one of == != < <= > >=
    value: Value


@dataclass(frozen=True, repr=False, eq=False)
class Member(FieldsValue):
    """``name in [...]`` (or ``not in``): a choice among literals."""

    ref: Ref
    values: tuple[Value, ...]
    negated: bool


@dataclass(frozen=True, repr=False, eq=False)
class Includes(FieldsValue):
    """``name includes ...``: a multi-choice answer holding any or all of the values."""

    ref: Ref
    values: tuple[Value, ...]
    mode: str  # "any" or "all"


@dataclass(frozen=True, repr=False, eq=False)
class Not(FieldsValue):
    """``not operand``."""

    operand: Condition


@dataclass(frozen=True, repr=False, eq=False)
class And(FieldsValue):
    """Every operand holds (the minimum certainty)."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True, repr=False, eq=False)
class Or(FieldsValue):
    """Any operand holds (the maximum certainty)."""

    operands: tuple[Condition, ...]


# After checking, a bare name that refers to a derived fact becomes a FactRef.
@dataclass(frozen=True, repr=False, eq=False)
class FactRef(FieldsValue):
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
