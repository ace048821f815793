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


OBSERVATION = "Observation"


def observation_records(
    items: list[JsonValue], *, keep_others: bool = False
) -> list[JsonValue] | None:
    """The records a list of FHIR Observations stands for (a Bundle's entries, each
    {"resource": {...}} or the resource itself): one per subject ("Patient/wen" is
    wen), each Observation's value under its code (a coding's code that names a
    question, else the code's text), a panel's components as Observations of their
    own. None when the list holds no Observation. Read as one record, six patients were
    one error and every flag was lost (check 29, U-H4). With ``keep_others`` (an array
    of records), every other item stays a record of its own: dropped, one Observation
    among clients' records lost them all (check 30, A-R1); from a Bundle, only other
    QuestionnaireResponses are kept (a Patient resource is no record)."""
    resources = [item.get("resource", item) if isinstance(item, dict) else item for item in items]
    if not any(_is_observation(resource) for resource in resources):
        return None
    by_subject: dict[str, JsonObject] = {}
    others: list[JsonValue] = []
    for resource in resources:
        if not _is_observation(resource):
            others.append(resource)  # a Patient, a QuestionnaireResponse: read as they are
            continue
        assert isinstance(resource, dict)
        subject = _subject(resource)
        answers = by_subject.setdefault(subject, {})
        parts = [resource, *(c for c in _list(resource.get("component")) if isinstance(c, dict))]
        for part in parts:
            key, value = _observed_key(part), _value(_concept_opened(part))
            if key is not None and value is not None:
                answers[key] = careful(answers[key], value) if key in answers else value
    unknown = by_subject.get(_NO_SUBJECT)
    if unknown is not None:
        # Observations of no known patient may be several people's: a yes that only
        # eases a flag is not trusted among them (another's "it settled" eased a
        # sudden onset away: check 30).
        from .answers import eases_only_named  # only for a FHIR record

        for key in [key for key in unknown if eases_only_named(key)]:
            unknown[key] = "unsure"
    records: list[JsonValue] = [
        {"id": subject, "answers": answers} for subject, answers in by_subject.items()
    ]
    return records + [o for o in others if keep_others or _answers_something(o)]


def _is_observation(data: object) -> bool:
    return isinstance(data, dict) and data.get("resourceType") == OBSERVATION


def _list(value: JsonValue) -> list[JsonValue]:
    return value if isinstance(value, list) else []


_NO_SUBJECT = "unknown subject"
_HISTORY = re.compile(r"/_history/[^/]*$")


def _subject(observation: JsonObject) -> str:
    """Whose an Observation is: its subject's (or 'patient''s) reference's id
    ("Patient/wen" is wen, "Patient/wen/_history/1" too: named "1", every patient was
    one: check 30), else its identifier's value, else its display."""
    for field in ("subject", "patient"):
        subject = observation.get(field)
        if not isinstance(subject, dict):
            continue
        reference = subject.get("reference")
        if isinstance(reference, str) and reference.strip():
            return _HISTORY.sub("", reference.strip().rstrip("/")).rsplit("/", 1)[-1]
        identifier = subject.get("identifier")
        value = identifier.get("value") if isinstance(identifier, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            # Named apart from references: "Patient/1001" and a record number 1001 are
            # not the same person (merged, one was raised: check 31, H5).
            return f"identifier {value}"
        display = subject.get("display")
        if isinstance(display, str) and display.strip():
            return f"named {display.strip()}"
    return _NO_SUBJECT


def _observed_key(part: JsonObject) -> str | None:
    """The name an Observation's value is read under: a coding's code or display that
    names a question, else the code's text, else its first code."""
    code = part.get("code")
    if not isinstance(code, dict):
        return None
    from .answers import names_a_question  # only for a FHIR record

    names: list[str] = []
    for coding in _list(code.get("coding")):
        if isinstance(coding, dict):
            names += [coding[f] for f in ("code", "display") if isinstance(coding.get(f), str)]
    text = code.get("text")
    if isinstance(text, str):
        names.append(text)
    return next((name for name in names if names_a_question(name)), names[0] if names else None)


def _concept_opened(part: JsonObject) -> JsonObject:
    """An Observation with a valueCodeableConcept given as its first coding (LOINC's
    and SNOMED CT's yes/no codes are read from it), or its text."""
    concept = part.get("valueCodeableConcept")
    if not isinstance(concept, dict):
        return part
    codings = [c for c in _list(concept.get("coding")) if isinstance(c, dict)]
    if codings:
        return {"valueCoding": codings[0]}
    return {"valueString": concept.get("text")}


def _answers_something(resource: JsonValue) -> bool:
    return is_questionnaire_response(resource)
