"""The FastAPI application: the JSON API (``api.py``) and the web pages joined.

Request bodies are read with a size cap and parsed by the core (strict JSON, the CLI's
per-key messages); the work runs with a time limit that stops it (``limits.py``); any
bad input is a 4xx, and an unexpected exception a bare 500, both as RFC 9457 problem
details on the API (``problems.py``); nothing a person typed is ever logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..intake.records import parse_json
from ..knowledge.rulebase import RuleBase
from . import pages
from .api import api_router, bounded, problem_response
from .api import read_body as _read
from .guard import Compress, Guard
from .limits import Limits, WorkPool
from .openapi import problem_content
from .problems import RequestProblem
from .service import interview, problem_text

T = TypeVar("T")
# Answers smaller than this go uncompressed: gzip would save less than it costs.
GZIP_MINIMUM_BYTES = 1024


def _style_hash(document: str) -> str:
    """The CSP source for a page's one inline <style> (the downloadable report)."""
    match = re.search(r"<style>(.*?)</style>", document, re.S)
    digest = hashlib.sha256((match.group(1) if match else "").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


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
    app.add_middleware(Guard, max_in_flight=limits.max_in_flight)
    app.include_router(api_router(rb, pool))
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

    @app.get("/static/app.css", include_in_schema=False)
    async def stylesheet() -> Response:
        return Response(pages.STYLE, media_type="text/css")

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    async def start() -> str:
        return pages.question_page(rb, interview(rb, {}), {})

    @app.post("/", include_in_schema=False, response_class=HTMLResponse)
    async def step(request: Request) -> Response:
        form = await _form(request, limits)
        answers, question_id, do, values = form

        def work() -> Response:
            after, error = pages.apply_form(rb, answers, question_id, do, values)
            current = interview(rb, after, explain=True)  # the page shows the reasoning
            if current.ask is None:
                return HTMLResponse(pages.result_page(rb, current, after))
            status = 422 if error else 200
            return HTMLResponse(pages.question_page(rb, current, after, error), status)

        return await _bounded(limits, work)

    @app.post("/answers.json", include_in_schema=False)
    async def download_answers(request: Request) -> Response:
        answers = (await _form(request, limits))[0]
        current = await _bounded(limits, lambda: interview(rb, answers, "web"))
        if current.record is None:
            raise RequestProblem("not-finished", "the questions are not finished yet")
        return Response(
            json.dumps(current.record, indent=2) + "\n",  # as `ask --save` writes it
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="legpress-answers.json"'},
        )

    @app.post("/report.html", include_in_schema=False)
    async def download_report(request: Request) -> Response:
        from ..presentation.render.report import html_report

        answers = (await _form(request, limits))[0]
        current = await _bounded(limits, lambda: interview(rb, answers, "web", explain=True))
        if current.result is None:
            raise RequestProblem("not-finished", "the questions are not finished yet")
        document = html_report(current.result, rb)
        return HTMLResponse(
            document,
            headers={
                "Content-Disposition": 'attachment; filename="legpress-report.html"',
                "Content-Security-Policy": f"default-src 'none'; style-src "
                f"{_style_hash(document)}; frame-ancestors 'none'; base-uri 'none'; "
                "form-action 'none'",
            },
        )

    return app


async def _form(request: Request, limits: Limits) -> tuple[dict[str, Any], str, str, list[str]]:
    """(answers so far, question id, action, values) from a questionnaire form."""
    body = await _read(request, limits)
    try:
        fields = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=limits.max_form_fields,
        )
    except (UnicodeDecodeError, ValueError):
        raise RequestProblem(400, "the form cannot be read") from None
    answers: dict[str, Any] = {}
    question_id, do, values = "", "", []
    for name, value in fields:
        if name.startswith(pages.FIELD_PREFIX):
            try:
                answers[name.removeprefix(pages.FIELD_PREFIX)] = parse_json(value)
            except ValueError as exc:
                raise RequestProblem(400, f"a saved answer cannot be read: {exc}") from None
        elif name == "q":
            question_id = value
        elif name == "do":
            do = value
        elif name == "v":
            values.append(value)
    return answers, question_id, do, values
