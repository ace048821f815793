"""`/docs`: the API reference as one plain HTML page, rendered from the OpenAPI schema.

Swagger UI and ReDoc are script loaded from a CDN: they would break the page's
Content-Security-Policy (no script at all) and need the internet. This page is built
on the server from the same generated schema, so it is always in step with the API,
works offline, and every value in it passes through ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from .problems import ProblemType

METHODS = ("get", "head", "post", "put", "patch", "delete")


def _esc(value: object) -> str:
    return escape(str(value), quote=True)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: Mapping[str, Any], depth: int = 0) -> str:
    """A schema as a short HTML phrase: 'string', 'list of <a>Cause</a>', 'one of …'."""
    if depth > 4:
        return "…"
    if "$ref" in schema:
        name = _ref_name(str(schema["$ref"]))
        return f'<a href="#schema-{_esc(name)}">{_esc(name)}</a>'
    if "const" in schema:
        return f"<code>{_esc(_json(schema['const']))}</code>"
    if "enum" in schema:
        values = [f"<code>{_esc(_json(v))}</code>" for v in schema["enum"]]
        return "one of " + ", ".join(values[:12]) + (", …" if len(values) > 12 else "")
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(type_of(s, depth + 1) for s in schema[key])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}), depth + 1)
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        if isinstance(extra, Mapping) and extra:
            return "object: name → " + type_of(extra, depth + 1)
    if isinstance(kind, list):
        return " or ".join(_esc(k) for k in kind)
    return _esc(kind or "any value")


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _properties(schema: Mapping[str, Any]) -> str:
    props = schema.get("properties", {})
    if not props:
        return ""
    required = set(schema.get("required", ()))
    rows = "".join(
        f"<tr><td><code>{_esc(name)}</code>{'' if name in required else ' (optional)'}</td>"
        f"<td>{type_of(prop)}</td><td>{_esc(prop.get('description', ''))}</td></tr>"
        for name, prop in props.items()
    )
    return f"<table><tr><th>field</th><th>type</th><th>meaning</th></tr>{rows}</table>"


def _operation(path: str, method: str, op: Mapping[str, Any]) -> str:
    anchor, label = _esc(f"{method}-{path}"), _esc(f"{method.upper()} {path}")
    parts = [f'<h3 id="{anchor}"><code>{label}</code></h3>']
    for paragraph in str(op.get("description") or op.get("summary") or "").split("\n\n"):
        if paragraph.strip():
            parts.append(f"<p>{_esc(' '.join(paragraph.split()))}</p>")
    params = op.get("parameters", [])
    if params:
        rows = "".join(
            f"<tr><td><code>{_esc(p['name'])}</code> ({_esc(p.get('in', ''))})</td>"
            f"<td>{type_of(p.get('schema', {}))}</td>"
            f"<td>{_esc(p.get('description') or p.get('schema', {}).get('description', ''))}"
            "</td></tr>"
            for p in params
        )
        parts.append(
            f"<p>Parameters:</p><table><tr><th>name</th><th>type</th><th>meaning</th></tr>{rows}</table>"
        )
    body = op.get("requestBody", {}).get("content", {})
    for media_type, content in body.items():
        parts.append(
            f"<p>Body, as <code>{_esc(media_type)}</code>: {type_of(content.get('schema', {}))}</p>"
        )
        schema = content.get("schema", {})
        inner = schema.get("anyOf", [schema])[0]
        parts.append(_properties(inner))
    rows = ""
    for status, answer in op.get("responses", {}).items():
        kinds = "; ".join(
            f"<code>{_esc(m)}</code>: {type_of(c.get('schema', {}))}"
            for m, c in answer.get("content", {}).items()
        )
        when = _esc(answer.get("description", ""))
        rows += f"<tr><td>{_esc(status)}</td><td>{kinds}</td><td>{when}</td></tr>"
    parts.append(
        f"<p>Answers:</p><table><tr><th>status</th><th>body</th><th>when</th></tr>{rows}</table>"
    )
    return "\n".join(parts)


def reference_page(schema: Mapping[str, Any], problem_types: Iterable[ProblemType]) -> str:
    """The whole reference: endpoints, problem types, then every shape they use."""
    info = schema.get("info", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')} API reference"
    sections = [
        f"<h1>{_esc(title)}</h1>",
        f"<p>{_esc(info.get('description', ''))}</p>",
        '<p>The machine-readable schema is <a href="/openapi.json">/openapi.json</a> '
        "(OpenAPI 3.1).</p>",
        "<h2>Endpoints</h2>",
    ]
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            if method in operations:
                sections.append(_operation(path, method, operations[method]))
    sections.append("<h2>Problems</h2>")
    sections.append(
        "<p>Every error is RFC 9457 problem details, sent as "
        "<code>application/problem+json</code> "
        '(<a href="#schema-ProblemDetails">ProblemDetails</a>); its <code>type</code> '
        "links to one of these.</p>"
    )
    for kind in problem_types:
        sections.append(
            f'<h3 id="problem-{_esc(kind.slug)}">{_esc(kind.status)} {_esc(kind.title)}</h3>'
            f"<p><code>{_esc(kind.uri)}</code>. {_esc(kind.about)}</p>"
        )
    sections.append("<h2>Shapes</h2>")
    for name, shape in sorted(schema.get("components", {}).get("schemas", {}).items()):
        sections.append(f'<h3 id="schema-{_esc(name)}">{_esc(name)}</h3>')
        if shape.get("description"):
            sections.append(f"<p>{_esc(' '.join(str(shape['description']).split()))}</p>")
        sections.append(_properties(shape) or f"<p>{type_of(shape)}</p>")
    body = "\n".join(sections)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{_esc(title)}</title><link rel="stylesheet" href="/static/app.css">'
        f'</head><body><main class="reference">\n{body}\n</main></body></html>\n'
    )
