"""What parsed JSON (or YAML, or TOML) is before anything has checked it.

``JsonValue`` is the honest type of ``json.loads``'s result and of a record's raw
answers: code that reads it narrows with ``isinstance`` before use, so an unchecked
value cannot pass for a checked one, as it silently could when typed as anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias, TypeGuard

# Read-only containers (Sequence, Mapping), so a list[str] or a dict[str, int] is a
# JsonValue too; code narrows with isinstance(value, list) or (value, dict) to read.
JsonValue: TypeAlias = (
    "bool | int | float | str | Sequence[JsonValue] | Mapping[str, JsonValue] | None"
)
JsonObject: TypeAlias = dict[str, JsonValue]


def is_number(value: object) -> TypeGuard[int | float]:
    """A JSON number: an int or a float, never a bool (which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
