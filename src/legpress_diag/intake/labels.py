"""Answers keyed by a form's field numbers, read by the labels the export gives beside
them: Gravity Forms' entries ("3": "Yes") under a "_labels" map ("3": "Saddle
numbness"), a Wufoo entry's "Field4" named in the "FieldStructure" sent with it, a
Smartsheet row's cells ({"columnId": 1002, "value": true}) named by the sheet's
"columns". Read as unknown keys, every warning sign of such an export was lost, and
the one error left ("missing 'answers'") looked like a screened client (check 28,
U-H2)."""

from __future__ import annotations

from ..foundation.jsonvalue import JsonObject, JsonValue, json_in_text
from ..knowledge.index import fold_key
from .answers import names_a_question
from .fields import FIELD_REFERENCE, MAX_NESTED_KEYS

# Where an export names a field's reference and its label: Wufoo's {"ID": "Field4",
# "Title": ...}, Smartsheet's column {"id": 1002, "title": ...}, a form definition's
# {"field_id": 3, "label": ...}; sub-fields (a name's first and last) under theirs.
_REF_NAMES = ("id", "ID", "columnId", "column_id", "field_id", "fieldId", "key")
_CELL_REF_NAMES = ("columnId", "column_id", "idCustomField", "field_id", "fieldId", *_REF_NAMES)
_LABEL_NAMES = ("title", "Title", "label", "Label", "question", "name", "Name", "text")
_SUB_NAMES = ("SubFields", "subFields", "inputs", "choices_fields")
# Only keys that are field references (fields.FIELD_REFERENCE) are renamed, and a
# map's entries are read only under such keys, so a record's own words are never
# taken for labels.
# The longest string read as a label map stored as JSON text.
MAX_LABELS_TEXT = 1 << 20
# How many labels one map may give: a bound on the work a hostile export can ask for.
MAX_LABELS = 5000


def label_map(value: JsonValue) -> dict[str, str]:
    """The labels a value gives field references, as {reference: label}, keeping only
    labels that name a question: a map {"3": "Saddle numbness", "1": {"1.3":
    "First"}}, a list of {"ID": ..., "Title": ...} (with sub-fields), either inside
    an object ({"Fields": [...]}) or stored as JSON text. Empty for anything else."""
    found: dict[str, str] = {}
    todo: list[tuple[JsonValue, int]] = [(value, 0)]
    while todo and len(found) < MAX_LABELS:
        item, depth = todo.pop()
        if isinstance(item, str):
            if depth == 0:
                todo.append((json_in_text(item, MAX_LABELS_TEXT), 1))
            continue
        if depth > 3:
            continue  # a map is near the top of what holds it
        if isinstance(item, dict):
            for key, inner in list(item.items())[:MAX_NESTED_KEYS]:
                if isinstance(inner, str) and FIELD_REFERENCE.fullmatch(str(key)):
                    found[str(key)] = inner
                elif isinstance(inner, dict | list):
                    todo.append((inner, depth + 1))
        elif isinstance(item, list):
            for entry in item[:MAX_NESTED_KEYS]:
                if not isinstance(entry, dict):
                    continue
                ref = next((entry[n] for n in _REF_NAMES if _a_reference(entry.get(n))), None)
                label = next(
                    (entry[n] for n in _LABEL_NAMES if isinstance(entry.get(n), str)), None
                )
                if ref is not None and isinstance(label, str):
                    found[str(ref)] = label
                todo += [
                    (entry[n], depth + 1) for n in _SUB_NAMES if isinstance(entry.get(n), list)
                ]
    return {ref: label for ref, label in found.items() if names_a_question(label)}


def _a_reference(value: JsonValue) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def relabelled(record: JsonObject, labels: dict[str, str]) -> JsonObject | None:
    """The record with each key the labels name replaced by its label, and a row's
    cells ({"columnId": 1002, "value": true} in a "cells" list) given as label:
    value; None when no key or cell is named. A key already there is kept as it is."""
    if not labels:
        return None
    renamed: JsonObject = {}
    changed = False
    for key, value in record.items():
        label = labels.get(key) if FIELD_REFERENCE.fullmatch(key) else None
        if label is not None and label not in record:
            renamed[label] = _ticked(value, label)
            changed = True
            continue
        cells = _cells(value, labels) if isinstance(value, list) else None
        if cells:
            renamed.update({name: answer for name, answer in cells.items() if name not in record})
            changed = True
            continue
        renamed[key] = value
    return renamed if changed else None


def _ticked(value: JsonValue, label: str) -> JsonValue:
    """A checkbox choice's value: ticked, Gravity Forms and Wufoo give the choice's own
    text ("5.1": "Saddle numbness"), a yes; read as it was, "not sure" (check 29,
    A-H5). Any other value as it is."""
    if isinstance(value, str) and value and fold_key(value) == fold_key(label):
        return "yes"
    return value


def _cells(items: list[JsonValue], labels: dict[str, str]) -> JsonObject | None:
    """A row's cells as label: value, when each cell names its column by a reference
    the labels know and gives a value; else None."""
    found: JsonObject = {}
    for cell in items[:MAX_NESTED_KEYS]:
        if not isinstance(cell, dict):
            return None
        # The reference the labels know: Trello's item has its own "id" beside the
        # "idCustomField" that names its field.
        refs = [cell[n] for n in _CELL_REF_NAMES if _a_reference(cell.get(n))]
        label = next((labels[str(ref)] for ref in refs if str(ref) in labels), None)
        if label is not None and "value" in cell:
            found[label] = cell["value"]
    return found or None


MAX_LABELLED_DEPTH = 8  # records under a labels map sit near the top of the export


def labelled_export(data: JsonObject) -> JsonObject | None:
    """An export whose records are keyed by field references, with every record in it
    relabelled by the labels the export gives beside them (see label_map), or None
    when it gives none or no record is keyed so."""
    labels: dict[str, str] = {}
    sources: set[str] = set()  # what gives labels is left as it is: no record
    for key, value in list(data.items())[:MAX_NESTED_KEYS]:
        if isinstance(value, dict | list) and (found := label_map(value)):
            labels |= found
            sources.add(key)
    if not labels:
        return None
    changed = False

    def walk(value: JsonValue, depth: int) -> JsonValue:
        nonlocal changed
        if depth > MAX_LABELLED_DEPTH:
            return value
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        if not isinstance(value, dict):
            return value
        renamed = relabelled(value, labels)
        if renamed is not None:
            changed = True
            return renamed
        return {key: walk(item, depth + 1) for key, item in value.items()}

    walked = {key: value if key in sources else walk(value, 1) for key, value in data.items()}
    return walked if changed else None


def labelled_record(record: JsonObject) -> JsonObject | None:
    """A record keyed by field references relabelled by a map it carries itself
    (Wufoo's "FieldStructure", as JSON text), or None."""
    labels: dict[str, str] = {}
    for key, value in list(record.items())[:MAX_NESTED_KEYS]:
        if not FIELD_REFERENCE.fullmatch(str(key)) and isinstance(value, str | dict | list):
            labels |= label_map(value)
    return relabelled(record, labels)
