"""A rule file's broken items, set aside so one run can check everything else.

Validation fails item by item. An item whose mistakes are in fields a check can do
without is repaired (a misspelt field read under its meant name, a wrong optional
value dropped, a placeholder for missing words), so the loader still checks its
names and references; an item lint cannot read past is left out, and its id noted
so a reference to it is not called unknown as well. Only `rules lint` and the error
path of loading use this: a rule base with a repaired item never runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from ..foundation.jsonvalue import JsonObject, JsonValue

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

    from .yamlsafe import Document

KeyPath = tuple[str | int, ...]
Model = TypeVar("Model", bound="BaseModel")


@dataclass(frozen=True)
class ValidPart(Generic[Model]):
    """What of a file validates once its broken items are repaired or left out."""

    model: Model
    indexes: dict[str, tuple[int, ...]]  # section -> where each kept item is in the file
    skipped: frozenset[str]  # ids of the items left out
    failed: frozenset[KeyPath]  # every item (or section) that failed, kept or not
    renamed: list[tuple[KeyPath, KeyPath]]  # a misspelt field's path -> the meant one


def valid_part(
    exc: ValidationError, data: JsonObject, model_type: type[Model]
) -> ValidPart[Model] | None:
    """The file with its broken items repaired or left out, or None.

    A broken item of a list section is repaired when its mistakes are in fields a
    check can do without (see :func:`_repair`), so its other fields (the fixes a
    cause lists, a rule's condition) are still checked; otherwise it is left out. A
    broken mapping section (settings, rulebase) or unknown section is left out
    whole. Returns None when what is left still does not validate.
    """
    from pydantic import ValidationError

    broken: dict[str, dict[int, list[ErrorDetails]]] = {}
    whole: set[str] = set()
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(str(loc[0])), list):
            broken.setdefault(str(loc[0]), {}).setdefault(loc[1], []).append(error)
        elif loc:
            whole.add(str(loc[0]))
    cleaned: JsonObject = {}
    indexes: dict[str, tuple[int, ...]] = {}
    skipped: set[str] = set()
    failed: set[tuple[str | int, ...]] = {(key,) for key in whole}
    renamed: list[tuple[KeyPath, KeyPath]] = []
    for key, value in data.items():
        if key in whole:
            continue
        if key not in broken or not isinstance(value, list):  # broken holds lists only
            cleaned[key] = value
            continue
        item_model = model_in(model_type.model_fields[key].annotation)
        items: list[JsonValue] = []
        keep: list[int] = []
        for i, item in enumerate(value):
            if i in broken[key]:
                failed.add((key, i))
                fixed = _repair(item, broken[key][i], item_model)
                renamed += [((key, i, old), (key, i, new)) for old, new in _renames(item, fixed)]
                if fixed is None:
                    skipped.add(ident_of(item))
                    continue
                item = fixed
            items.append(item)
            keep.append(i)
        cleaned[key] = items
        indexes[key] = tuple(keep)
    try:
        model = model_type.model_validate(cleaned)
    except ValidationError:
        return None
    return ValidPart(model, indexes, frozenset(skipped - {""}), frozenset(failed), renamed)


# Fields that only hold words for a person: a broken one can stand in with a
# placeholder while the rest of the item is checked. Never a name, a condition or a
# number that the analysis reads.
_PROSE = frozenset({"title", "explanation", "how", "why", "text", "advice", "question", "answer"})
_PLACEHOLDER = "(see the error above)"


def _renames(item: JsonValue, repaired: JsonObject | None) -> list[tuple[str, str]]:
    """The misspelt fields a repair read under their meant names: (typo, meant)."""
    if repaired is None or not isinstance(item, dict):
        return []
    gone = [k for k in item if k not in repaired]
    new = [k for k in repaired if k not in item]
    return [(old, meant) for old in gone for meant in new if repaired[meant] is item[old]]


def alias_renamed(document: Document, renamed: list[tuple[KeyPath, KeyPath]]) -> None:
    """Let a misspelt field's positions answer for the name it was read under, so a
    problem inside it (an unknown fix in `fixs:`) points at the file as written."""
    for old, new in renamed:

        def moved(path: KeyPath, old: KeyPath = old, new: KeyPath = new) -> KeyPath | None:
            return (*new, *path[len(old) :]) if path[: len(old)] == old else None

        for spans in (document.spans, document.key_spans):
            spans.update({to: spans[p] for p in list(spans) if (to := moved(p)) is not None})
        scalars = document.scalars
        scalars.update({to: scalars[p] for p in list(scalars) if (to := moved(p)) is not None})


def _repair(
    item: JsonValue, errors: list[ErrorDetails], model: type[BaseModel] | None
) -> JsonObject | None:
    """An item with its schema mistakes set aside, for checking its other fields; or
    None when a mistake is in a field that checks need (an id, a type, a condition).

    A misspelt field is read under the name it was meant to have (``explaination``
    as ``explanation``) when the item lacks that field; another unknown field, or a
    wrong value in a field with a default, is dropped; a wrong or missing field of
    prose gets a placeholder; a certainty factor out of range is clamped.
    """
    if not isinstance(item, dict) or model is None:
        return None
    fields = model.model_fields
    names = {f.alias or n: f for n, f in fields.items()}
    missing = {str(e["loc"][2]) for e in errors if len(e["loc"]) == 3 and e["type"] == "missing"}
    repaired = dict(item)
    for error in errors:
        loc = error["loc"]
        if len(loc) < 3 or not isinstance(loc[2], str):
            return None  # the item as a whole (a type without its choices): nothing to set aside
        name = loc[2]
        if error["type"] == "extra_forbidden":
            # A missing field first (the typo is why it is missing), else any field
            # the item does not have: `fixs:` still lists fixes to check.
            meant = meant_field(name, missing) or meant_field(name, set(names) - set(item))
            value = repaired.pop(name, None)
            if meant is not None and meant not in repaired:
                repaired[meant] = value
                missing.discard(meant)
        elif error["type"] == "missing":
            continue  # filled below, unless a misspelt field stands for it
        elif name in names and not names[name].is_required():
            repaired.pop(name, None)
        elif name in _PROSE:
            repaired[name] = _PLACEHOLDER
        elif name == "cf" and isinstance(cf := repaired.get(name), int | float):
            repaired[name] = max(-1.0, min(1.0, float(cf)))
        else:
            return None
    for name in missing:
        if name not in _PROSE:
            return None
        repaired[name] = _PLACEHOLDER
    try:
        model.model_validate(repaired)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None
    return repaired


def meant_field(name: str, missing: Iterable[str]) -> str | None:
    """The missing field that ``name`` is a misspelling of, if one is close."""
    from ..foundation.problems import closest

    return closest(name, sorted(missing))


def ident_of(item: object) -> str:
    """An item's id (or a case's name), or "" when it has none."""
    if isinstance(item, dict):
        for key in ("id", "name"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return ""


def model_in(annotation: object) -> type[BaseModel] | None:
    """The pydantic model inside ``list[M]``, ``M | None`` and the like, or None."""
    if hasattr(annotation, "model_fields"):
        return cast("type[BaseModel]", annotation)
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None
