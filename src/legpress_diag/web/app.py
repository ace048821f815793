"""The FastAPI application: routes that read a request, call ``service``, and answer.

Every route is a few lines over the same core functions the CLI uses. Request bodies
are read here with a size cap and parsed by the core (strict JSON, the CLI's per-key
messages); the work runs in a worker thread with a time limit; any bad input is a
4xx with a JSON error, and an unexpected exception a bare 500 without a traceback.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..intake.questionnaire import SCREEN_PREFIX, SessionState, screen_as_question, why_asked
from ..intake.records import parse_json
from ..knowledge.rulebase import UNSURE_MARK, QuestionType, RuleBase
from ..measure.landmarks import LANDMARKS_SCHEMA
from ..measure.record import MeasureRecord
from ..reasoning.answers import AnswerProblem, show_value
from . import pages
from .measured import MAX_LANDMARKS_BYTES, measure_body
from .models import (
    DiagnosisOut,
    ErrorOut,
    HealthOut,
    InterviewIn,
    InterviewOut,
    QuestionsOut,
    RecordIn,
    RuleBaseIdentity,
    question_out,
)
from .security import SecurityHeaders
from .service import (
    RequestProblem,
    diagnose_body,
    interview,
    problem_text,
    read_interview_body,
    to_json,
)

# `?explain=true`: the rule-level reasoning too, as `diagnose --explain` gives it.
ExplainQuery = Annotated[
    bool,
    Query(description="add the rule-level reasoning and the long texts to each result"),
]

log = logging.getLogger("legpress_diag.web")
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one request may cost. Records are bounded work each (docs/robustness.md),
    so a cap on bytes and records bounds the time; the timeout is the backstop."""

    max_body_bytes: int = 1024 * 1024
    max_records: int = 1000
    max_form_fields: int = 400
    seconds: float = 10.0
    max_landmarks_bytes: int = MAX_LANDMARKS_BYTES  # /v1/measure: a filmed set's landmarks


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "the body is not valid JSON"),
        (413, "the body or the number of records is over the limit"),
        (422, "the request is not usable; problems name each bad answer key"),
        (503, "the request took longer than the time limit"),
    )
}


def _answers_schema(rb: RuleBase, interview_: bool) -> dict[str, Any]:
    """The record schema with the rule base's questions (generated, like `rules schema`)."""
    from ..authoring.schemas import answers_schema

    properties = dict(answers_schema(rb)["properties"]["answers"]["properties"])
    if interview_:
        for qid, question in rb.questions.items():
            if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
                properties[qid] = {"anyOf": [properties[qid], {"const": "unsure"}]}
        for screen_id, screen_ in rb.screens.items():
            if screen_.style == "pick":  # a checklist: the items that happen
                items = list(screen_.question_ids)
                item = {"enum": items + [UNSURE_MARK + q for q in items]}
                properties[SCREEN_PREFIX + screen_id] = {
                    "description": screen_.text,
                    "anyOf": [
                        {"type": "array", "items": item, "uniqueItems": True},
                        {"const": "unsure"},
                    ],
                }
                continue
            properties[SCREEN_PREFIX + screen_id] = {
                "description": screen_.text,
                "enum": ["yes", "no", "unsure", True, False],
            }
    return {"type": "object", "properties": properties, "additionalProperties": True}


def _body(model: type[RecordIn] | type[InterviewIn], rb: RuleBase, many: bool) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["properties"]["answers"] = {
        **_answers_schema(rb, model is InterviewIn),
        "description": schema["properties"]["answers"].get("description", ""),
    }
    if many:
        schema = {"anyOf": [schema, {"type": "array", "items": schema}]}
    return _json_body(schema)


def _json_body(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _read(request: Request, limits: Limits) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_body_bytes:
        raise RequestProblem(413, f"the body is larger than {limits.max_body_bytes:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise RequestProblem(413, f"the body is larger than {limits.max_body_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _bounded(limits: Limits, work: Callable[[], T]) -> T:
    try:
        return await asyncio.wait_for(run_in_threadpool(work), limits.seconds)
    except TimeoutError:
        raise RequestProblem(503, f"the request took longer than {limits.seconds:g} s") from None


def _json(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


def _problem(exc: RequestProblem) -> JSONResponse:
    return JSONResponse(exc.to_dict(), status_code=exc.status)


def _style_hash(document: str) -> str:
    """The CSP source for a page's one inline <style> (the downloadable report)."""
    match = re.search(r"<style>(.*?)</style>", document, re.S)
    digest = hashlib.sha256((match.group(1) if match else "").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def create_app(rb: RuleBase, limits: Limits | None = None) -> FastAPI:
    """The application for one loaded rule base."""
    limits = limits or Limits()
    app = FastAPI(
        title="legpress-diag",
        version=__version__,
        description="Leg press lower-back pain: the questionnaire and the diagnosis engine "
        "over HTTP. Stateless: every request carries what it needs. See docs/serve.md.",
        docs_url=None,  # Swagger UI needs script from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestProblem)
    async def _request_problem(request: Request, exc: RequestProblem) -> Response:
        if request.url.path.startswith("/v1/"):
            return _problem(exc)
        return HTMLResponse(
            pages.error_page(exc.message, [problem_text(p) for p in exc.problems]), exc.status
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        # 404, 405 and the like in the API's own shape, like every other error.
        return JSONResponse(
            {"error": str(exc.detail).lower(), "problems": []},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        # A query parameter FastAPI could not read (``?explain=maybe``): the bodies are
        # read by our own code, so this is only ever about the URL.
        problems = [
            AnswerProblem(
                key=".".join(str(part) for part in error.get("loc", ())[1:]) or "query",
                message=str(error.get("msg", "invalid")),
                value=show_value(error.get("input")),
                expected="true or false" if error.get("type") == "bool_parsing" else None,
            )
            for error in exc.errors()
        ]
        return _problem(RequestProblem(422, "invalid query parameter", tuple(problems)))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        # A bug. Log where, never the request: it may hold what a person typed.
        log.error(
            "internal error: %s on %s %s", type(exc).__name__, request.method, request.url.path
        )
        return JSONResponse({"error": "internal error", "problems": []}, status_code=500)

    @app.get("/healthz", response_model=HealthOut, tags=["service"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/rulebase", response_model=RuleBaseIdentity, tags=["v1"])
    async def rulebase() -> dict[str, str]:
        """The rule base every result is computed with: name, version, content hash."""
        return rb.identity

    questions_text = to_json(
        {
            "questions": [
                question_out(q, why_asked(rb, q.id))
                for q in rb.questions.values()
                if not q.replaced_by
            ],
            "screens": [
                question_out(
                    screen_as_question(rb, s, SessionState()),
                    why_asked(rb, SCREEN_PREFIX + s.id),
                    signs=s.items,
                )
                for s in rb.screens.values()
            ],
        }
    )

    @app.get("/v1/questions", response_model=QuestionsOut, tags=["v1"])
    async def questions() -> Response:
        """Every question of the rule base, and the safety screens' grouped questions."""
        return _json(questions_text)

    @app.post(
        "/v1/diagnose",
        response_model=DiagnosisOut | list[DiagnosisOut],
        responses={
            **_ERRORS,
            422: {
                "model": ErrorOut | list[DiagnosisOut] | DiagnosisOut,
                "description": _ERRORS[422]["description"] + "; or "
                "the results, when a record lists errors",
            },
        },
        openapi_extra=_body(RecordIn, rb, many=True),
        tags=["v1"],
    )
    async def diagnose(request: Request, explain: ExplainQuery = False) -> Response:
        """One record gives one result, a JSON array of records an array of results,
        byte for byte what `legpress-diag diagnose --format jsonl` / `--format json`
        writes. When a record holds an invalid answer its result lists it under
        'errors' (status 'error', or 'refer' when a safety flag stands anyway) and the
        answer is 422, with every result still in it. `?explain=true` adds the
        rule-level reasoning, as `diagnose --explain` does."""
        body = await _read(request, limits)
        batch = await _bounded(limits, lambda: diagnose_body(body, rb, limits.max_records, explain))
        return _json(batch.text, 422 if batch.errors else 200)

    @app.post(
        "/v1/interview",
        response_model=InterviewOut,
        responses=_ERRORS,
        openapi_extra=_body(InterviewIn, rb, many=False),
        tags=["v1"],
    )
    async def interview_api(request: Request, explain: ExplainQuery = False) -> Response:
        """The next question `ask` would ask after these answers, or the result
        (with the rule-level reasoning when `?explain=true`)."""
        body = await _read(request, limits)

        def work() -> str:
            record_id, answers = read_interview_body(body)
            return to_json(_step_out(rb, interview(rb, answers, record_id, explain=explain)))

        return _json(await _bounded(limits, work))

    @app.post(
        "/v1/measure",
        response_model=MeasureRecord,
        responses=_ERRORS,
        openapi_extra=_json_body(LANDMARKS_SCHEMA),
        tags=["v1"],
    )
    async def measure_api(request: Request) -> Response:
        """Answers measured from a filmed set's body landmarks (contract 3a: MediaPipe
        Pose's 33 points per frame), as the record `legpress-diag measure` prints; what
        cannot be measured has its reason in `not_measured`. Invalid landmarks are a
        422 naming the frame and field. See docs/measure.md."""
        cap = replace(limits, max_body_bytes=limits.max_landmarks_bytes)
        body = await _read(request, cap)
        return _json(await _bounded(limits, lambda: measure_body(body)))

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
        record = current.record or {"id": "web", "answers": {}}
        return Response(
            json.dumps(record, indent=2) + "\n",  # as `ask --save` writes it
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="legpress-answers.json"'},
        )

    @app.post("/report.html", include_in_schema=False)
    async def download_report(request: Request) -> Response:
        from ..presentation.render.report import html_report

        answers = (await _form(request, limits))[0]
        current = await _bounded(limits, lambda: interview(rb, answers, "web", explain=True))
        if current.result is None:
            raise RequestProblem(422, "the questions are not finished yet")
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


def _step_out(rb: RuleBase, current: Any) -> dict[str, Any]:
    warnings = [w.to_dict() for w in current.warnings]
    if current.ask is not None:
        question = current.ask.question
        return {
            "should_stop": False,
            "question": question_out(
                question, why_asked(rb, question.id), signs=current.signs, number=current.ask.number
            ),
            "warnings": warnings,
        }
    return {
        "should_stop": True,
        "reason": current.stop.reason,
        "result": current.result,
        "record": current.record,
        "warnings": warnings,
    }


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


def app_from_env() -> FastAPI:
    """For `uvicorn --factory` with several workers: the rule base named in the
    environment by `legpress-diag serve --workers N`."""
    from ..api import load_rulebase

    paths = json.loads(os.environ.get("LEGPRESS_DIAG_SERVE_RULES", "[]"))
    bundled = os.environ.get("LEGPRESS_DIAG_SERVE_NO_DEFAULT_RULES", "") != "1"
    return create_app(load_rulebase(paths, include_bundled=bundled))
