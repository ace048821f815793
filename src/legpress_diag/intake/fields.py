"""What a record's fields are called, read the same way by the record reader
(intake/records.py) and the reader of exports' wrappers (intake/wrappers.py)."""

from __future__ import annotations

import re

from ..foundation.jsonvalue import JsonValue, is_number
from ..knowledge.index import fold_key
from .repeated import answer_key, reads_yes

# "measured" and "not_measured" come from `legpress-diag measure` (contract v3, 3a).
RECORD_FIELDS = ("id", "answers", "measured", "not_measured")
# How many keys of one object are looked at: a bound on the work a hostile record can
# ask for.
MAX_NESTED_KEYS = 1000

# A flattened answer's key: "answers.<id>" (pandas), "answers/<id>" (Excel and JSON
# converters), "answers[<id>]" (web forms), "answers__<id>" (Zapier).
FLAT_KEY = re.compile(r"answers(?:(?:[./]|__)([^./\[\]]+)|\[([^\[\]]+)\])")


# A key that is a form's reference to a field, not a name: Gravity's "3" and "1.3",
# Wufoo's "Field4", "q3", "col_2" (see intake/labels.py).
FIELD_REFERENCE = re.compile(r"(?i)(?:field_?|q|col(?:umn)?_?)?\d+(?:\.\d+)?")


def plain_id(value: object) -> bool:
    """A value that may be an id: a string or an integer (not a boolean)."""
    return isinstance(value, str | int) and not isinstance(value, bool)


def record_field(key: str) -> str | None:
    """The record field a key names in another case or style, or None."""
    folded = fold_key(key)
    return folded if folded in RECORD_FIELDS else None


def careful(one: JsonValue, other: JsonValue) -> JsonValue:
    """Of one answer given twice, the careful reading: the same, or a yes (never
    undone by a "no"), or the higher of two numbers (an age); else not sure."""
    if answer_key(one) == answer_key(other) or other is None:
        return one
    if one is None:
        return other
    if reads_yes(one) or reads_yes(other):
        return "yes"
    if is_number(one) and is_number(other):
        return max(one, other)
    return "unsure"
