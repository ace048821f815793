"""Rule files on disk to validated models, keeping every position.

This stage knows about files, YAML and the schema. Each file is read, parsed and
validated independently, and every problem becomes a Diagnostic with file:line:col,
so a coach sees all the mistakes of a run at once rather than one at a time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

    from .repair import KeyPath
    from .schema_models import RuleFileModel
    from .yamlsafe import Document

from ..foundation import codes
from ..foundation.jsonvalue import JsonValue
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan
from .paths import display_path, file_error

# Below, ``repair`` (like YAML and pydantic) is imported only where a file is parsed or
# its problems described: a run whose rule base comes from the cache does neither.


@dataclass(frozen=True)
class ParsedFile:
    """One rule file read and validated, with its bytes and positions."""

    path: str
    raw: bytes
    text: str
    document: Document
    model: RuleFileModel  # or a bundle_cache.Lite with the same attributes
    # With partial validation: the schema problems of the file's items, where each
    # kept item sits in the file (section -> original indexes), the ids of the items
    # left out (so a reference to one is not reported as unknown too), and the key
    # paths of every item that failed (left out, or repaired to be checked further).
    problems: tuple[Diagnostic, ...] = ()
    kept: dict[str, tuple[int, ...]] | None = None
    skipped: frozenset[str] = frozenset()
    failed: frozenset[tuple[str | int, ...]] = frozenset()

    def index_in_file(self, section: str, index: int) -> int:
        """Where the ``index``-th item of ``section`` in the model is in the file."""
        return self.kept[section][index] if self.kept and section in self.kept else index


def _unreadable(name: str, message: str) -> Diagnostic:
    """The file cannot be read as a rule file."""
    return file_error(name, message, codes.UNREADABLE_FILE)


def read_rule_file(path: Path, shown: str | None = None, *, partial: bool = False) -> ParsedFile:
    """Read, parse and validate one file. Raises RuleBaseError with every problem found.

    With ``partial``, schema problems do not raise: the items that validate are kept,
    and the problems are in ``ParsedFile.problems`` (see :func:`parse_rule_text`).
    """
    name = shown or display_path(path)
    return parse_rule_text(read_limited(path, name), name, partial=partial)


def read_limited(path: Path, name: str) -> bytes:
    """A rule or case file's bytes, at most ``yamlsafe.MAX_FILE_BYTES`` of them read
    (RuleBaseError LP002 past that, or when it cannot be read, naming ``name``).

    /dev/zero or an endless pipe is refused after the limit instead of filling the
    memory; a FIFO nobody writes to reads as empty instead of waiting for ever."""
    from ..foundation.files import open_without_waiting  # only when a file is read
    from .yamlsafe import MAX_FILE_BYTES  # YAML is imported only when a file is read

    too_big = f"more than the {MAX_FILE_BYTES:,} bytes allowed"
    try:
        with open_without_waiting(path) as stream:  # a FIFO with no writer: empty
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:  # refuse before reading hundreds of MB into memory
                raise RuleBaseError([_unreadable(name, f"file is {size:,} bytes, {too_big}")])
            # A FIFO or device reports no size: the read itself is bounded.
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleBaseError([_unreadable(name, f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise RuleBaseError([_unreadable(name, f"the input is {too_big}")])
    return raw


def parse_rule_text(raw: bytes, name: str, *, partial: bool = False) -> ParsedFile:
    """Parse and validate one rule file's bytes. Raises RuleBaseError.

    The file is validated item by item: every schema problem of every item is
    reported. With ``partial``, a file that parses keeps the items that validate, so
    the loader can still check names and references in them in the same run.
    """
    from .yamlsafe import MAX_FILE_BYTES, decode_source, parse_yaml

    if len(raw) > MAX_FILE_BYTES:  # a FIFO's read, or bytes shipped to a worker
        message = f"the input is more than the {MAX_FILE_BYTES:,} bytes allowed"
        raise RuleBaseError([_unreadable(name, message)])
    text = decode_source(raw, name)
    document = parse_yaml(text, name)
    if document is None:
        message = "the file is empty; expected a mapping of sections"
        raise RuleBaseError([_unreadable(name, message)])
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.INVALID_VALUE,
                    Severity.ERROR,
                    f"the top of a rule file must be a mapping of sections, not {kind}",
                    document.root.span,
                    "start with a section such as 'questions:' or 'rules:'",
                )
            ]
        )
    _refuse_case_file(document, name)
    from pydantic import ValidationError  # imported here: cached bundled rules skip it

    from .repair import alias_renamed, valid_part
    from .schema_models import RuleFileModel

    try:
        model = RuleFileModel.model_validate(document.data)
    except ValidationError as exc:
        problems = schema_diagnostics(exc, document)
        kept = valid_part(exc, document.data, RuleFileModel) if partial else None
        if kept is None:
            raise RuleBaseError(problems) from None
        alias_renamed(document, kept.renamed)
        return ParsedFile(
            name,
            raw,
            text,
            document,
            kept.model,
            tuple(problems),
            kept.indexes,
            kept.skipped,
            kept.failed,
        )
    return ParsedFile(name, raw, text, document, model)


def _refuse_case_file(document: Document, name: str) -> None:
    """A case file given as a rule file would only get "unknown section 'cases' (did
    you mean 'causes'?)": say what it is and what runs it."""
    data = document.data  # a mapping (parse_rule_text checked)
    if not isinstance(data, dict) or "cases" not in data or set(data) & set(_fields_at((), None)):
        return
    raise RuleBaseError(
        [
            Diagnostic(
                codes.UNKNOWN_FIELD,
                Severity.ERROR,
                "this is a case file (it starts with 'cases:'), not a rule file",
                document.key_spans.get(("cases",)) or document.span_for(("cases",)),
                f"run `legpress-diag rules test {name}` (with --rules for the rules it tests)",
                ("cases",),
            )
        ]
    )


def _data_path(loc: Sequence[str | int], data: JsonValue) -> tuple[str | int, ...]:
    """Keep only the parts of a pydantic error location that index the data.

    Pydantic adds union-member and validator names (``dict[str,str]``,
    ``function-after[...]``) to locations; they are not identifiers, so they are
    skipped. A missing or unknown key ends the path, for the message to name it.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str)
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif in_dict and str(part).isidentifier():
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


# One way to name an item everywhere: its section's singular, its 1-based number in
# the file, and its id (or a case's name): "rule #2 'deep-from-angle'".
SINGULAR = {
    "questions": "question",
    "facts": "fact",
    "causes": "cause",
    "fixes": "fix",
    "alternatives": "alternative",
    "safety_flags": "safety flag",
    "screens": "screen",
    "rules": "rule",
    "faq": "faq entry",
    "cases": "case",
}


def item_name(section: str, index: int, item: object = None) -> str:
    """``rule #2 'deep-from-angle'``: how messages name the ``index``-th (0-based) item."""
    from .repair import ident_of

    ident = ident_of(item)
    kind = SINGULAR.get(section, section)
    return f"{kind} #{index + 1}" + (f" '{ident}'" if ident else "")


def describe_path(path: tuple[str | int, ...], data: JsonValue) -> tuple[str, str]:
    """(the item, the field inside it) for a key path, both in a coach's words."""
    if not path:
        return "the file", ""
    owner = str(path[0])
    rest = path[1:]
    section = data.get(path[0]) if isinstance(data, dict) and isinstance(path[0], str) else None
    if rest and isinstance(rest[0], int) and isinstance(section, list):
        item = section[rest[0]] if rest[0] < len(section) else None
        owner, rest = item_name(str(path[0]), rest[0], item), rest[1:]
    inner = ""
    for part in rest:
        inner += f"[{part + 1}]" if isinstance(part, int) else ("." if inner else "") + part
    return owner, inner


def schema_diagnostics(
    exc: ValidationError, document: Document, top: type[BaseModel] | None = None
) -> list[Diagnostic]:
    """Pydantic's errors as plain-English diagnostics with the YAML position of each.

    ``top`` is the model the whole document was validated against (a rule file's by
    default); it gives the field names a misspelt field is compared with.
    """
    diagnostics = []
    errors = [(_data_path(e["loc"], document.data), e) for e in exc.errors(include_url=False)]
    misspelt, explained = _misspelt(errors)
    for path, error in errors:
        kind = error["type"]
        owner, inner = describe_path(path, document.data)
        if kind == "extra_forbidden":
            span = document.key_spans.get(path) or document.span_for(path)
            owner, _ = describe_path(path[:-1], document.data)
            what = "section" if len(path) == 1 else "field"
            message = f"unknown {what} '{path[-1]}'" + (f" in {owner}" if len(path) > 1 else "")
            code, hint = codes.UNKNOWN_FIELD, _field_hint(path, document, top)
            if path in misspelt:  # the cause of a "missing field", said once, at the typo
                hint = f"did you mean '{misspelt[path]}'? It is a required field."
        elif kind == "missing" and path in explained:
            continue
        elif kind == "missing":
            span = document.span_for(path)
            owner, _ = describe_path(path[:-1], document.data)
            message = f"{owner}: missing field '{path[-1]}'"
            code, hint = codes.INVALID_VALUE, _missing_hint(path)
        else:
            span = document.span_for(path)
            problem = plain_problem(error)
            message = f"{owner}: {inner} {problem}" if inner else f"{owner} {problem}"
            code, hint = codes.INVALID_VALUE, _type_hint(document, path, kind)
            if kind == "literal_error":
                hint = _choice_hint(error)
            if path and path[-1] == "cf" and kind in ("greater_than_equal", "less_than_equal"):
                code, hint = codes.CERTAINTY_RANGE, "a certainty factor is between -1 and 1"
        diagnostics.append(Diagnostic(code, Severity.ERROR, message, span, hint, path))
    return sorted(diagnostics, key=lambda d: d.span or SourceSpan("", 0, 0))


def _misspelt(
    errors: list[tuple[KeyPath, ErrorDetails]],
) -> tuple[dict[KeyPath, str], set[KeyPath]]:
    """Unknown fields that are misspellings of a missing one: ({typo's path: the name
    meant}, the paths of the "missing" errors they explain). The typo is the cause,
    "missing" its symptom: only the typo is reported, at its own line."""
    from .repair import meant_field

    missing: dict[KeyPath, set[str]] = {}
    for path, error in errors:
        if error["type"] == "missing" and path and isinstance(path[-1], str):
            missing.setdefault(path[:-1], set()).add(path[-1])
    typos: dict[KeyPath, str] = {}
    explained: set[KeyPath] = set()
    for path, error in errors:
        if error["type"] != "extra_forbidden" or not path or path[:-1] not in missing:
            continue
        meant = meant_field(str(path[-1]), missing[path[:-1]])
        if meant is not None:
            missing[path[:-1]].discard(meant)
            typos[path] = meant
            explained.add((*path[:-1], meant))
    return typos, explained


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "more than"),
    "less_than": ("lt", "less than"),
}


def plain_problem(error: ErrorDetails) -> str:
    """What is wrong with one value, in a coach's words: 'must be at most 1 (got 1.5)'."""
    kind, ctx, got = error["type"], error.get("ctx") or {}, _shown(error.get("input"))
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]} (got {got})"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key):g} (got {got})"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected} (got {got})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length'):,} characters long"
    if kind == "string_pattern_mismatch":
        extra = ", '.' or '-'" if "." in str(ctx.get("pattern", "")) else ""
        return (
            f"must be a name of letters, digits, '_'{extra}, not starting with a digit (got {got})"
        )
    if kind in ("too_short", "too_long"):
        return str(error["msg"]).replace("List", "the list").lower()
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value[:60] + ("..." if len(value) > 60 else ""))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}"
    if value is None:
        return "nothing"
    return "a mapping" if isinstance(value, dict) else "a list"


def _choice_hint(error: ErrorDetails) -> str | None:
    from ..foundation.problems import did_you_mean

    expected = str((error.get("ctx") or {}).get("expected", ""))
    options = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
    got = error.get("input")
    return did_you_mean(got, options) if isinstance(got, str) else None


def _missing_hint(path: tuple[str | int, ...]) -> str | None:
    return f"add a line '{path[-1]}: ...' to it" if isinstance(path[-1], str) else None


def _field_hint(
    path: tuple[str | int, ...], document: Document, top: type[BaseModel] | None
) -> str | None:
    from ..foundation.problems import did_you_mean

    fields = _fields_at(path[:-1], top)
    return did_you_mean(str(path[-1]), fields) if fields else None


def _fields_at(path: tuple[str | int, ...], top: type[BaseModel] | None) -> list[str]:
    """The field names allowed in the mapping at ``path`` of a document of ``top``."""
    from .repair import model_in

    if top is None:
        from .schema_models import RuleFileModel

        top = RuleFileModel
    model: type[BaseModel] = top
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        inner = model_in(field.annotation)
        if inner is None:
            return []
        model = inner
    return [f.alias or n for n, f in model.model_fields.items()]


def _type_hint(document: Document, path: tuple[str | int, ...], kind: str) -> str | None:
    scalar = document.scalars.get(path)
    if scalar is not None and kind == "string_type" and scalar.style is None:
        return f"put the value in quotes: '{scalar.text}'"
    return None
