"""What parsed JSON (or YAML, or TOML) is before anything has checked it.

``JsonValue`` is the honest type of ``json.loads``'s result and of a record's raw
answers: code that reads it narrows with ``isinstance`` before use, so an unchecked
value cannot pass for a checked one, as it silently could when typed as anything.
"""

from __future__ import annotations

import json
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


def json_in_text(text: str, limit: int) -> JsonValue:
    """The JSON object or array a string holds whole (a form tool's fields or labels
    stored as JSON text, an answer's object as text), or None: for no JSON, for a
    scalar, and for text longer than ``limit``."""
    if len(text) > limit or text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        found: JsonValue = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return found
