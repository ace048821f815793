"""The FastAPI application: the JSON API (``api.py``) and the web pages joined.

Request bodies are read with a size cap and parsed by the core (strict JSON, the CLI's
per-key messages); the work runs with a time limit that stops it (``limits.py``); any
bad input is a 4xx, and an unexpected exception a bare 500, both as RFC 9457 problem
details on the API (``problems.py``); nothing a person typed is ever logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..knowledge.rulebase import RuleBase
from . import answer_cookie, pages
from .api import api_router, bounded, problem_response
from .api import read_body as _read
from .guard import Compress, Guard
from .limits import Limits, WorkPool
from .measured_pages import measure_router, upload_offer
from .openapi import problem_content
from .page_routes import page_router
from .problems import RequestProblem
from .service import problem_text

T = TypeVar("T")
# Answers smaller than this go uncompressed: gzip would save less than it costs.
GZIP_MINIMUM_BYTES = 1024


def create_app(rb: RuleBase, limits: Limits | None = None) -> FastAPI:
    """The application for one loaded rule base."""
    limits = limits or Limits()
    pool = WorkPool(limits)
    app = FastAPI(
        title="legpress-diag",
        version=__version__,
        description="Leg press lower-back pain: the questionnaire and the diagnosis engine "
        "over HTTP. Stateless: every request carries what it needs. Every error is RFC "
        "9457 problem details (application/problem+json). See docs/serve.md, and /docs "
        "for this reference as a page.",
        docs_url=None,  # Swagger UI needs script from a CDN: /docs is our own page
        redoc_url=None,
        # A redirect to the slash-less path would be built from the Host header.
        redirect_slashes=False,
    )
    app.state.work_pool = pool
    # Outermost last: the guard (headers on every answer), then compression.
    app.add_middleware(Compress, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=6)
    app.add_middleware(Guard, max_in_flight=limits.max_in_flight, limits=limits)
    api_router(rb, pool, app.router)  # the app's own routes: see api_router
    _openapi = app.openapi
    app.openapi = lambda: problem_content(_openapi())  # type: ignore[method-assign]

    @app.exception_handler(RequestProblem)
    async def _request_problem(request: Request, exc: RequestProblem) -> Response:
        if request.url.path.startswith("/v1/") or request.url.path == "/healthz":
            return problem_response(exc)
        return HTMLResponse(
            pages.error_page(exc.message, [problem_text(p) for p in exc.problems]), exc.status
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        # 404, 405 and the like in the API's own shape, like every other error.
        detail = str(exc.detail)
        if exc.status_code == 404:
            detail = f"nothing is served at {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.url.path} does not take {request.method}"
        problem = RequestProblem(exc.status_code, detail, headers=getattr(exc, "headers", None))
        return problem_response(problem)

    async def _bounded(_: Limits, work: Callable[[], T]) -> T:
        # A page's step is an interview step: in the work pool, with the time limit.
        return await bounded(pool, limits.max_body_bytes, lambda deadline: work())

    secret = answer_cookie.secret_from_env()
    app.include_router(measure_router(rb, limits, pool, secret))
    app.include_router(
        page_router(
            rb,
            lambda request: _read(request, limits),
            lambda work: _bounded(limits, work),
            limits.max_form_fields,
            secret,
            upload_offer(limits),
        )
    )
    return app
