"""Safe, position-keeping YAML reading for rule files.

We compose the node tree ourselves from libyaml's parse events instead of using
``yaml.safe_load`` because we need four things the stock loaders do not give:

* every value keeps its source position, so later errors can say file:line:col;
* YAML 1.1 surprises are gone: an unquoted ``no``/``on`` stays text and ``010`` is
  decimal, as in YAML 1.2;
* duplicate keys, aliases and explicit tags are errors, never silently resolved
  (aliases are how "billion laughs" bombs expand; tags are how code gets run);
* size, depth and node-count limits are enforced *while* parsing, before anything
  walks or serialises the data.

Nothing here constructs Python objects from tags; only str, int, float, bool, None,
dict and list come out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias, cast

import yaml
from yaml.events import Event, ScalarEvent

from ..foundation import codes
from ..foundation.jsonvalue import JsonValue
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan
from .yaml_words import plain_words

try:  # libyaml's C parser is much faster; the pure-Python one is a fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 100_000
MAX_NODES = 200_000

_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# Words YAML 1.1 would have turned into booleans. We keep them as text; lint warns.
YAML11_BOOLEAN_WORDS = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())


# What an unquoted scalar resolves to (YAML 1.2 core schema); quoted ones stay str.
ScalarValue: TypeAlias = str | int | float | bool | None


@dataclass
class Scalar:
    value: ScalarValue
    span: SourceSpan
    style: str | None  # None for plain scalars, or one of ' " | >
    text: str  # the scalar's text as written, before resolution


@dataclass
class Mapping:
    items: list[tuple[Scalar, Node]]
    span: SourceSpan


@dataclass
class Sequence:
    items: list[Node]
    span: SourceSpan


Node = Scalar | Mapping | Sequence


@dataclass
class Document:
    """A parsed file: plain data, plus where every key path came from."""

    path: str
    root: Node
    data: JsonValue  # only str, int, float, bool, None, dict and list
    spans: dict[tuple[str | int, ...], SourceSpan] = field(default_factory=dict)
    key_spans: dict[tuple[str | int, ...], SourceSpan] = field(default_factory=dict)
    scalars: dict[tuple[str | int, ...], Scalar] = field(default_factory=dict)

    def span_for(self, key_path: tuple[str | int, ...]) -> SourceSpan:
        """The span of the nearest enclosing node of ``key_path`` that we know."""
        for cut in range(len(key_path), -1, -1):
            span = self.spans.get(key_path[:cut])
            if span is not None:
                return span
        return SourceSpan(self.path, 1, 1)


def _error(code: str, message: str, span: SourceSpan, hint: str | None = None) -> RuleBaseError:
    return RuleBaseError([Diagnostic(code, Severity.ERROR, message, span, hint)])


class _Mark(Protocol):
    """Where the parser is (PyYAML's Mark, or libyaml's: the same two fields)."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


def _span(path: str, start: _Mark | None, end: _Mark | None = None) -> SourceSpan:
    if start is None:  # the parser marks every event; PyYAML's types allow None
        return SourceSpan(path, 1, 1)
    if end is None:
        return SourceSpan(path, start.line + 1, start.column + 1)
    return SourceSpan(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def decode_source(raw: bytes, path: str) -> str:
    """Bytes to text, refusing what YAML cannot hold, with the position of the problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise _error(
            codes.UNREADABLE_FILE,
            f"file is {len(raw):,} bytes, more than the {MAX_FILE_BYTES:,} a rule file may have",
            SourceSpan(path, 1, 1),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            codes.UNREADABLE_FILE,
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
            SourceSpan(path, line, col),
            "save the file as UTF-8",
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise _error(codes.UNREADABLE_FILE, "NUL byte in a text file", SourceSpan(path, line, col))
    return text


def resolve_plain(text: str) -> ScalarValue:
    """YAML 1.2 core-schema resolution of an unquoted scalar (minus .inf and .nan)."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class _Composer:
    def __init__(self, path: str, events: Iterator[Event]) -> None:
        self.path = path
        self.events = events
        self.depth = 0
        self.nodes = 0

    def next(self) -> Event:
        return next(self.events)

    def compose_document(self) -> Node | None:
        event = self.next()  # StreamStart
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        root = self.compose_node(self.next())
        self.next()  # DocumentEnd
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _error(
                codes.YAML_SYNTAX,
                "a rule file holds one YAML document; found a second one",
                _span(self.path, event.start_mark),
                "remove the '---' line or split the file",
            )
        return root

    def compose_node(self, event: Event) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _error(
                codes.TOO_LARGE,
                f"more than {MAX_NODES:,} YAML nodes",
                _span(self.path, event.start_mark),
            )
        if isinstance(event, yaml.AliasEvent):
            raise _error(
                codes.YAML_ALIAS,
                f"YAML alias '*{event.anchor}' is not allowed in rule files",
                _span(self.path, event.start_mark),
                "write the value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            raise _error(
                codes.YAML_TAG,
                f"YAML tag '{tag}' is not allowed in rule files",
                _span(self.path, event.start_mark),
                "remove the tag; only plain data is read",
            )
        if isinstance(event, ScalarEvent):
            return self.compose_scalar(event)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(
                codes.TOO_LARGE,
                f"nesting deeper than {MAX_DEPTH} levels",
                _span(self.path, event.start_mark),
            )
        node: Node
        if isinstance(event, yaml.SequenceStartEvent):
            node = self.compose_sequence(event)
        else:
            node = self.compose_mapping(event)
        self.depth -= 1
        return node

    def compose_scalar(self, event: ScalarEvent) -> Scalar:
        if len(event.value) > MAX_SCALAR_CHARS:
            raise _error(
                codes.TOO_LARGE,
                f"a value of {len(event.value):,} characters (at most {MAX_SCALAR_CHARS:,})",
                _span(self.path, event.start_mark),
            )
        style = event.style or None  # libyaml says '' where pure-Python PyYAML says None
        plain = style is None and event.implicit[0] and event.tag != _STR_TAG
        value = resolve_plain(event.value) if plain else event.value
        span = _span(self.path, event.start_mark, event.end_mark)
        return Scalar(value, span, style, event.value)

    def compose_sequence(self, start: Event) -> Sequence:
        items: list[Node] = []
        event = self.next()
        while not isinstance(event, yaml.SequenceEndEvent):
            items.append(self.compose_node(event))
            event = self.next()
        return Sequence(items, _span(self.path, start.start_mark, event.end_mark))

    def compose_mapping(self, start: Event) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str | int | bool | None, Scalar] = {}
        event = self.next()
        while not isinstance(event, yaml.MappingEndEvent):
            key = self.compose_node(event)
            if not isinstance(key, Scalar):
                raise _error(
                    codes.YAML_SYNTAX,
                    "a key must be a plain value, not a list or mapping",
                    key.span,
                )
            hashable = key.value if not isinstance(key.value, float) else repr(key.value)
            if hashable in seen:
                first = seen[hashable].span
                raise _error(
                    codes.DUPLICATE_KEY,
                    f"duplicate key '{key.text}' (first defined at line {first.line})",
                    key.span,
                    "each key may appear once in a mapping",
                )
            seen[hashable] = key
            items.append((key, self.compose_node(self.next())))
            event = self.next()
        return Mapping(items, _span(self.path, start.start_mark, event.end_mark))


def _to_data(doc: Document, node: Node, key_path: tuple[str | int, ...]) -> JsonValue:
    doc.spans[key_path] = node.span
    if isinstance(node, Scalar):
        doc.scalars[key_path] = node
        return node.value
    if isinstance(node, Sequence):
        return [_to_data(doc, item, (*key_path, i)) for i, item in enumerate(node.items)]
    result: dict[str, JsonValue] = {}
    for key, value in node.items:
        name = key.value if isinstance(key.value, str) else str(key.value)
        doc.key_spans[(*key_path, name)] = key.span
        result[name] = _to_data(doc, value, (*key_path, name))
    return result


def _compose(text: str, path: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]) -> Node | None:
    return _Composer(path, yaml.parse(text, Loader=loader)).compose_document()


def _own_problem_first(text: str, path: str) -> RuleBaseError | None:
    """Our diagnostic, if our checks object before the parser would.

    libyaml reads ahead of the events it hands out (up to about 1,024 characters while
    a key may still follow) and has limits of its own: in PyYAML 6.0.4 it stops at
    1,000 levels of nesting, so ``[[[[...`` fails inside libyaml before our composer
    sees level 65. The pure-Python parser has no such limit and is just as lazy, so
    re-reading with it finds the problem a reader without the library's limits meets
    first. This runs only when libyaml has already failed.
    """
    try:
        _compose(text, path, yaml.SafeLoader)
    except RuleBaseError as exc:
        return exc
    except yaml.YAMLError:
        pass  # the same syntax error, or another: libyaml's message stands
    return None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> RuleBaseError:
    mark = exc.problem_mark or exc.context_mark
    span = _span(path, mark) if mark is not None else SourceSpan(path, 1, 1)
    plain = plain_words(exc.problem or exc.context or "invalid YAML", _char_at(text, mark))
    problem = plain.problem
    started = exc.context_mark
    if exc.context and started is not None and mark is not None and started.line != mark.line:
        # e.g. an unterminated string: say where it began, not only where the file ended
        problem = f"{problem} (started at {started.line + 1}:{started.column + 1})"
    return _error(codes.YAML_SYNTAX, f"YAML syntax: {problem}", span, plain.hint)


def _char_at(text: str, mark: _Mark | None) -> str | None:
    """The character where the parser stopped, if there is one."""
    if mark is None:
        return None
    line, column = int(mark.line), int(mark.column)
    lines = text.split("\n")
    if line >= len(lines) or column >= len(lines[line]):
        return None
    return lines[line][column]


def parse_yaml(text: str, path: str) -> Document | None:
    """Parse one YAML document; None for an empty file. Raises RuleBaseError."""
    try:
        root = _compose(text, path, _Loader)
    except yaml.MarkedYAMLError as exc:
        pure_python = cast(object, _Loader) is yaml.SafeLoader  # then a re-read would say the same
        ours = None if pure_python else _own_problem_first(text, path)
        raise (ours or _syntax_error(exc, text, path)) from None
    except yaml.YAMLError as exc:  # e.g. a reader error without a mark
        raise _error(codes.YAML_SYNTAX, f"YAML syntax: {exc}", SourceSpan(path, 1, 1)) from None
    if root is None:
        return None
    doc = Document(path=path, root=root, data=None)
    doc.data = _to_data(doc, root, ())
    return doc
