"""A FHIR QuestionnaireResponse read as a record: its items' answers by their linkId.

FHIR is how health software exchanges a filled-in questionnaire: ``{"resourceType":
"QuestionnaireResponse", "id": ..., "item": [{"linkId": "saddle_numbness", "answer":
[{"valueBoolean": true}]}, ...]}``, items nested in groups, a Bundle's entries or Bulk
Data's NDJSON holding several. Read as a record with no 'answers', every warning sign
in one was lost (check 25, H4).
"""

from __future__ import annotations

import re

from ..foundation.jsonvalue import JsonObject, JsonValue
from .fields import MAX_NESTED_KEYS, careful

RESPONSE = "QuestionnaireResponse"


def is_questionnaire_response(data: object) -> bool:
    return isinstance(data, dict) and data.get("resourceType") == RESPONSE


def response_record(data: JsonObject) -> JsonObject:
    """The record a QuestionnaireResponse stands for: its id, and each item's answer
    under the item's linkId (or its text, when the linkId is a number such as "1.2":
    the question's own words name it). An item answered twice, or with two answers,
    is read the careful way (a yes never undone)."""
    answers: JsonObject = {}
    todo: list[JsonValue] = [data]
    seen = 0
    while todo and seen < MAX_NESTED_KEYS:
        node = todo.pop()
        seen += 1
        if not isinstance(node, dict):
            continue
        inner = node.get("item")
        answered = node.get("answer")
        nested: list[JsonValue] = [inner] if isinstance(inner, list) else []
        if isinstance(answered, list):
            nested += [a.get("item") for a in answered if isinstance(a, dict)]
            values = [_value(a) for a in answered if isinstance(a, dict)]
            values = [value for value in values if value is not None]
            key = _key(node)
            if key is not None and values:
                for value in values:
                    answers[key] = careful(answers[key], value) if key in answers else value
        for items in nested:
            if isinstance(items, list):
                todo += reversed(items[:MAX_NESTED_KEYS])
    record: JsonObject = {"answers": answers}
    if isinstance(data.get("id"), str | int):
        record = {"id": data["id"], **record}
    return record


_NAMED = re.compile(r"[A-Za-z]")


def _key(item: JsonObject) -> str | None:
    link, text = item.get("linkId"), item.get("text")
    if isinstance(link, str) and _NAMED.search(link):
        return link
    if isinstance(text, str) and text.strip():
        return text
    return link if isinstance(link, str) else None


def _value(answer: JsonObject) -> JsonValue:
    """An answer's value: valueBoolean, valueInteger, valueDecimal, valueString, a
    coding's display (or its code)."""
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, dict):  # valueCoding, valueQuantity
            for name in ("display", "code", "value"):
                found = value.get(name)
                if isinstance(found, str | int | float | bool):
                    return found
            return None
        return value
    return None
