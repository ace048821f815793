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
from .fields import careful

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
    # Every item is read: the walk visits each parsed value once. Stopped after 1,000
    # items, a long intake's last section (the safety screen) was never read, without
    # a word (check 26, A-H3).
    while todo:
        node = todo.pop()
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
                todo += reversed(items)
    record: JsonObject = {"answers": answers}
    if isinstance(data.get("id"), str | int):
        record = {"id": data["id"], **record}
    return record


_NAMED = re.compile(r"[A-Za-z]")


def _key(item: JsonObject) -> str | None:
    """The name an item's answer is read under: its linkId when that names a
    question, else its text when that does (a linkId a tool makes up: "q30", a UUID;
    read by it, every sign was an unknown question and an emergency was
    'no_fault_found': check 26, A-H3), else a linkId in words (a coach's own question),
    else the text."""
    link, text = item.get("linkId"), item.get("text")
    link = link if isinstance(link, str) and link.strip() else None
    text = text if isinstance(text, str) and text.strip() else None
    from .answers import names_a_question  # only for a FHIR record

    for name in (link, text):
        if name is not None and names_a_question(name):
            return name
    if link is not None and _NAMED.search(link) and not _MADE_UP.fullmatch(link):
        return link
    return text if text is not None else link


# A linkId a tool makes up rather than names: "q30", "item-3", "1.2", a UUID.
_MADE_UP = re.compile(
    r"(?i)[a-z]{0,8}[-_.]?[0-9][0-9._-]*|[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}"
)

# LOINC's answers to a yes/no question (answer list LL361-7), given as a code alone:
# "display" is optional in FHIR, and read as the code, every "no" was "not sure" and
# an emergency was lowered to urgent (check 26, A-H3).
# SNOMED CT's the same way: 373066001 Yes, 373067005 No, 261665006 Unknown. A code
# from either is read before its display, which may be in any language (check 27).
_CODED_ANSWERS = {
    "http://loinc.org": {"LA33-6": "yes", "LA32-8": "no", "LA4489-6": "unsure"},
    "http://snomed.info/sct": {"373066001": "yes", "373067005": "no", "261665006": "unsure"},
}


def _value(answer: JsonObject) -> JsonValue:
    """An answer's value: valueBoolean, valueInteger, valueDecimal, valueString, a
    Quantity's value (an age in UCUM years: its code "a" was read as the age, check
    26), LOINC's and SNOMED CT's yes/no codes as yes and no, else a coding's display
    (or its code)."""
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, dict):  # valueCoding, valueQuantity
            code, system = value.get("code"), value.get("system")
            coded = _CODED_ANSWERS.get(system) if isinstance(system, str) else None
            if coded is not None and isinstance(code, str) and code in coded:
                return coded[code]
            for name in ("display", "value", "code"):
                found = value.get(name)
                if isinstance(found, str | int | float | bool):
                    return found
            return None
        return value
    return None
