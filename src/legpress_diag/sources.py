"""Rule files on disk to validated models, keeping every position.

This stage knows about files, YAML and the schema. Each file is read, parsed and
validated independently, and every problem becomes a Diagnostic with file:line:col,
so a coach sees all the mistakes of a run at once rather than one at a time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

    from .schema_models import RuleFileModel
    from .yamlsafe import Document

from .diagnostics import Diagnostic, RuleBaseError, Severity, SourceSpan

RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ParsedFile:
    path: str
    raw: bytes
    text: str
    document: Document
    model: RuleFileModel  # or a bundle_cache.Lite with the same attributes


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # a different drive on Windows
        return str(path)
    return str(path.resolve()) if relative.startswith("..") else relative


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files in the order given; a directory contributes its rule files sorted by name."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in RULE_SUFFIXES and p.is_file())
            if not found:
                problems.append(_file_error(display_path(path), "directory holds no .yaml files"))
            files.extend(found)
        elif path.exists():
            # A FIFO or device (`--rules <(curl ...)`) is read like a file, within
            # the same size bound; only a path that is really absent is "not found".
            files.append(path)
        else:
            problems.append(_file_error(str(path), "no such file or directory"))
    if problems:
        raise RuleBaseError(problems)
    return files


def _file_error(path: str, message: str, code: str = "LP002") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, SourceSpan(path, 1, 1))


def read_rule_file(path: Path, shown: str | None = None) -> ParsedFile:
    """Read, parse and validate one file. Raises RuleBaseError with every problem found."""
    from .yamlsafe import MAX_FILE_BYTES  # YAML is imported only when a file is read

    name = shown or display_path(path)
    too_big = f"more than the {MAX_FILE_BYTES:,} bytes allowed"
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:  # refuse before reading hundreds of MB into memory
                raise RuleBaseError([_file_error(name, f"file is {size:,} bytes, {too_big}")])
            # A FIFO or device reports no size: the read itself is bounded.
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleBaseError([_file_error(name, f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise RuleBaseError([_file_error(name, f"the input is {too_big}")])
    return parse_rule_text(raw, name)


def parse_rule_text(raw: bytes, name: str) -> ParsedFile:
    from .yamlsafe import decode_source, parse_yaml

    text = decode_source(raw, name)
    document = parse_yaml(text, name)
    if document is None:
        raise RuleBaseError(
            [_file_error(name, "the file is empty; expected a mapping of sections")]
        )
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        raise RuleBaseError(
            [
                Diagnostic(
                    "LP102",
                    Severity.ERROR,
                    f"the top of a rule file must be a mapping of sections, not {kind}",
                    document.root.span,
                    "start with a section such as 'questions:' or 'rules:'",
                )
            ]
        )
    from pydantic import ValidationError  # imported here: cached bundled rules skip it

    from .schema_models import RuleFileModel

    try:
        model = RuleFileModel.model_validate(document.data)
    except ValidationError as exc:
        raise RuleBaseError(schema_diagnostics(exc, document)) from None
    return ParsedFile(name, raw, text, document, model)


def _data_path(loc: Sequence[Any], data: Any) -> tuple[str | int, ...]:
    """Keep only the parts of a pydantic error location that index the data.

    Pydantic adds union-member and validator names (``dict[str,str]``,
    ``function-after[...]``) to locations; they are not identifiers, so they are
    skipped. A missing or unknown key ends the path, for the message to name it.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str)
        if in_dict and part in node:
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


def schema_diagnostics(exc: ValidationError, document: Document) -> list[Diagnostic]:
    diagnostics = []
    for error in exc.errors(include_url=False):
        path = _data_path(error["loc"], document.data)
        dotted = ".".join(str(p) for p in path) or "(top)"
        kind = error["type"]
        if kind == "extra_forbidden":
            span = document.key_spans.get(path) or document.span_for(path)
            message = f"unknown field '{path[-1]}' in {_where(path[:-1])}"
            code, hint = "LP101", _field_hint(exc, error, path)
        elif kind == "missing":
            span = document.span_for(path)
            message = f"missing field '{path[-1]}' in {_where(path[:-1])}"
            code, hint = "LP102", None
        else:
            span = document.span_for(path)
            msg = str(error["msg"]).removeprefix("Value error, ")
            message = f"{dotted}: {msg}"
            code, hint = "LP102", _type_hint(document, path, kind)
            if path and path[-1] == "cf" and kind in ("greater_than_equal", "less_than_equal"):
                code, hint = "LP304", "a certainty factor is between -1 and 1"
        diagnostics.append(Diagnostic(code, Severity.ERROR, message, span, hint, path))
    return sorted(diagnostics, key=lambda d: d.span or SourceSpan("", 0, 0))


def _where(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the file"
    if len(path) >= 2 and isinstance(path[1], int):
        return f"{path[0]} item {path[1] + 1}"
    return ".".join(str(p) for p in path)


def _field_hint(exc: ValidationError, error: Any, path: tuple[str | int, ...]) -> str | None:
    from .diagnostics import did_you_mean
    from .schema_models import RuleFileModel as Top

    section = path[0] if path else None
    fields: list[str] = list(Top.model_fields)
    if isinstance(section, str) and len(path) > 2:
        annotation = Top.model_fields[section].annotation
        item = getattr(annotation, "__args__", (None,))[0]
        if item is not None and hasattr(item, "model_fields"):
            fields = [f.alias or n for n, f in item.model_fields.items()]
    elif isinstance(section, str) and len(path) == 2 and section in Top.model_fields:
        annotation = Top.model_fields[section].annotation
        for arg in getattr(annotation, "__args__", ()):
            if hasattr(arg, "model_fields"):
                fields = list(arg.model_fields)
    return did_you_mean(str(path[-1]), fields)


def _type_hint(document: Document, path: tuple[str | int, ...], kind: str) -> str | None:
    scalar = document.scalars.get(path)
    if scalar is not None and kind == "string_type" and scalar.style is None:
        return f"put the value in quotes: '{scalar.text}'"
    return None
