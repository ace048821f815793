"""`/docs`: the API reference as one plain HTML page, rendered from the OpenAPI schema.

Swagger UI and ReDoc are script loaded from a CDN: they would break the page's
Content-Security-Policy (no script at all) and need the internet. This page is
rendered on the server from the same generated schema by the project's one set of
templates (``presentation/templates/reference.html``, autoescaped), so it is always in
step with the API and works offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..presentation.render.html import render
from .problems import ProblemType

METHODS = ("get", "head", "post", "put", "patch", "delete")


def reference_page(schema: Mapping[str, object], problem_types: Iterable[ProblemType]) -> str:
    """The whole reference: endpoints, problem types, then every shape they use."""
    found = schema.get("info")
    info = found if isinstance(found, Mapping) else {}
    title = f"{info.get('title', 'API')} {info.get('version', '')} API reference"
    return render(
        "reference.html",
        title=title,
        info=info,
        schema=schema,
        problem_types=list(problem_types),
        methods=METHODS,
    )
