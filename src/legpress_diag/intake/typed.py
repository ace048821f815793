"""Values a database writes with their type around them, read as the plain values.

DynamoDB's JSON (an S3 export, the API: ``{"S": "yes"}``, ``{"N": "70"}``,
``{"M": {...}}``) and Firestore's REST documents (``{"stringValue": "yes"}``,
``{"integerValue": "70"}``, ``{"mapValue": {"fields": {...}}}``) box every value in
an object named by its type. Read as boxes, every answer was "not sure": an emergency
one level lower and every clear client referred (check 25, H2). The JSON decoder
calls ``untyped`` for each object it builds, innermost first, so a typed map's
values are plain by the time the map itself is read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..foundation.jsonvalue import JsonValue

NOT_TYPED = object()  # what untyped returns for an object that is no typed value


def untyped(pairs: list[tuple[str, JsonValue]]) -> object:
    """The plain value a one-key object stands for when its key is a type tag and
    its value has that type's form ({"N": "70"} is 70); else NOT_TYPED."""
    if len(pairs) != 1:
        return NOT_TYPED
    tag, value = pairs[0]
    reader = _READERS.get(tag)
    return NOT_TYPED if reader is None else reader(value)


def _text(value: JsonValue) -> object:
    return value if isinstance(value, str) else NOT_TYPED


def _number(value: JsonValue) -> object:
    """A number written as text ({"N": "70"}, {"integerValue": "70"}) or as one."""
    if isinstance(value, bool):
        return NOT_TYPED
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str) or not 0 < len(value) <= 40:
        return NOT_TYPED
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return NOT_TYPED
    return number if number == number and abs(number) != float("inf") else NOT_TYPED


def _boolean(value: JsonValue) -> object:
    return value if isinstance(value, bool) else NOT_TYPED


def _null(value: JsonValue) -> object:
    # DynamoDB writes {"NULL": true}; Firestore {"nullValue": null} or "NULL_VALUE".
    return None if value is True or value is None or value == "NULL_VALUE" else NOT_TYPED


def _map(value: JsonValue) -> object:
    return value if isinstance(value, dict) else NOT_TYPED


def _list(value: JsonValue) -> object:
    return value if isinstance(value, list) else NOT_TYPED


def _firestore_map(value: JsonValue) -> object:
    """{"mapValue": {"fields": {...}}}; an empty map has no 'fields'."""
    if not isinstance(value, dict) or not set(value) <= {"fields"}:
        return NOT_TYPED
    fields = value.get("fields", {})
    return fields if isinstance(fields, dict) else NOT_TYPED


def _firestore_array(value: JsonValue) -> object:
    """{"arrayValue": {"values": [...]}}; an empty array has no 'values'."""
    if not isinstance(value, dict) or not set(value) <= {"values"}:
        return NOT_TYPED
    values = value.get("values", [])
    return values if isinstance(values, list) else NOT_TYPED


def _texts(value: JsonValue) -> object:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return NOT_TYPED


def _numbers(value: JsonValue) -> object:
    if not isinstance(value, list):
        return NOT_TYPED
    numbers = [_number(item) for item in value]
    return NOT_TYPED if any(number is NOT_TYPED for number in numbers) else numbers


_READERS: dict[str, Callable[[JsonValue], object]] = {
    # DynamoDB
    "S": _text,
    "N": _number,
    "BOOL": _boolean,
    "NULL": _null,
    "M": _map,
    "L": _list,
    "SS": _texts,
    "NS": _numbers,
    # Firestore
    "stringValue": _text,
    "integerValue": _number,
    "doubleValue": _number,
    "booleanValue": _boolean,
    "nullValue": _null,
    "timestampValue": _text,
    "referenceValue": _text,
    "mapValue": _firestore_map,
    "arrayValue": _firestore_array,
}
TYPE_TAGS = frozenset(_READERS)


def plain_values(value: object, depth: int = 0) -> object:
    """``value`` with every typed value inside it read as the plain value, innermost
    first, as the JSON decoder reads a file: a Python caller's record (``api.diagnose``)
    holds the same DynamoDB or Firestore boxes as a file does, and read as boxes, an
    emergency was urgent and 70 was "not sure" (check 52, H9). Objects nested past
    64 levels are left as they are."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        pairs = [(key, plain_values(item, depth + 1)) for key, item in value.items()]
        if len(pairs) == 1 and isinstance(pairs[0][0], str) and pairs[0][0] in TYPE_TAGS:
            plain = untyped(pairs)  # type: ignore[arg-type]
            if plain is not NOT_TYPED:
                return plain
        return dict(pairs)
    if isinstance(value, list):
        return [plain_values(item, depth + 1) for item in value]
    return value


_MAX_DEPTH = 64
