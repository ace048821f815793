"""The published JSON Schema of a diagnosis, generated from the result's own types.

``reasoning/result.py`` declares the result as TypedDicts; the core builds exactly
that shape. This module hands those types to pydantic, which turns them into
``docs/schema/diagnosis.schema.json`` (and the HTTP API's OpenAPI components) and can
check a real result against them; a test keeps the committed schema from drifting.
Pydantic is imported here, never by the core, so diagnosing does not pay for it.
"""

from __future__ import annotations

from functools import cache

from pydantic import ConfigDict, TypeAdapter
from typing_extensions import is_typeddict

from ..foundation.jsonvalue import JsonObject, JsonValue
from ..reasoning import result as shapes
from ..reasoning.result import DiagnosisOut, ProblemOut, RuleBaseIdentity

__all__ = ["DiagnosisOut", "ProblemOut", "RuleBaseIdentity", "json_schema", "validate"]

# Every shape the result module declares (nested ones included).
SHAPES = tuple(value for value in vars(shapes).values() if is_typeddict(value))

# Every field's docstring is its description, and no key outside the declared ones is
# allowed: a field the code adds without declaring it fails validation.
for _shape in SHAPES:
    _shape.__pydantic_config__ = ConfigDict(extra="forbid", use_attribute_docstrings=True)


@cache
def _adapter() -> TypeAdapter[DiagnosisOut]:
    return TypeAdapter(DiagnosisOut)


def validate(result: object) -> DiagnosisOut:
    """``result`` checked against the declared shape; raises pydantic's ValidationError."""
    return _adapter().validate_python(result, strict=True)


def json_schema() -> JsonObject:
    """The JSON Schema of one result (pydantic's 2020-12 dialect)."""
    schema = _one_line_descriptions(_adapter().json_schema())
    assert isinstance(schema, dict)  # a mapping in, a mapping out
    return schema


def _one_line_descriptions(node: JsonValue) -> JsonValue:
    """Docstrings wrap at the code's width; a schema's descriptions read as one line."""
    if isinstance(node, dict):
        return {
            key: " ".join(value.split())
            if key == "description" and isinstance(value, str)
            else _one_line_descriptions(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_one_line_descriptions(item) for item in node]
    return node
