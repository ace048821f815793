"""The condition language of rules: parsed, type-checked and compiled at load time.

    knee_angle_at_bottom < 90 and (pelvis_tucks_under or lumbar_flexion)
    core_braced in [sometimes, never]
    pain_location includes lower_back

Conditions are never evaluated as Python: the parser builds a small tree, the
checker resolves every name against the rule base, and the compiler turns the tree
into closures over the answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ast import And, Compare, Condition, FactRef, Includes, Member, Not, Or, Truth

if TYPE_CHECKING:
    from .parser import ConditionSyntaxError, parse_condition

# The parser is imported where conditions are parsed (loading rule files): a run that
# finds its rule base compiled in the cache reads the trees alone (docs/performance.md,
# one-record start).
_PARSER = {"ConditionSyntaxError", "parse_condition"}

__all__ = [
    "And",
    "Compare",
    "Condition",
    "ConditionSyntaxError",
    "FactRef",
    "Includes",
    "Member",
    "Not",
    "Or",
    "Truth",
    "parse_condition",
]


def __getattr__(name: str) -> Any:
    if name in _PARSER:
        from . import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
