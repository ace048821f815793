"""The JSON API's routes: `/healthz`, `/v1/...` and the `/docs` reference.

Each route reads the body with the size and media-type checks, runs the same core
functions the command line runs (inline when the work is small, in the work pool with
a deadline when not), and answers compact JSON, or RFC 9457 problem details
(``problems.py``) for anything it cannot answer as asked.
"""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..intake.questionnaire import SCREEN_PREFIX, SessionState, screen_as_question, why_asked
from ..intake.questionnaire.memo import remembered
from ..knowledge.rulebase import RuleBase
from ..measure.landmarks import LANDMARKS_SCHEMA
from ..measure.record import MeasureRecord
from ..measure.video import available as video_available
from ..presentation.render.words import why_in_brief
from ..reasoning.answers import AnswerProblem, show_value
from .limits import Deadline, Limits, TooSlow, WorkPool
from .measured import VIDEO_TYPES, measure_body, measure_video_bytes, still_measured, video_pool
from .models import (
    DiagnosisOut,
    HealthOut,
    InterviewIn,
    InterviewOut,
    QuestionsOut,
    RecordIn,
    RuleBaseIdentity,
    question_out,
)
from .openapi import JSON, request_body, responses
from .problems import MEDIA_TYPE, TYPES, RequestProblem
from .service import Step, diagnose_body, interview, invalid_records, read_interview_body, to_json

T = TypeVar("T")

# `?explain=true`: the rule-level reasoning too, as `diagnose --explain` gives it. Read
# by hand rather than as a FastAPI dependency: solving dependencies is a good part of
# the framework's cost per request, for one optional flag (benchmarks/serve_floor.py).
EXPLAIN = {
    "name": "explain",
    "in": "query",
    "required": False,
    "schema": {"type": "boolean", "default": False},
    "description": "add the rule-level reasoning to each result",
}
_FLAGS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False}
_FLAGS |= {"no": False, "off": False}


def explain_flag(request: Request) -> bool:
    """``?explain=``'s value; a value that is not a yes or no is a 422 problem."""
    raw = request.scope.get("query_string", b"")
    # Parsing the query costs about 3 us a request; a query that holds neither the
    # name nor an escape (which could spell it) cannot carry the flag.
    if b"explain" not in raw and b"%" not in raw:
        return False
    value = request.query_params.get("explain")
    if value is None:
        return False
    flag = _FLAGS.get(value.strip().lower())
    if flag is None:
        raise RequestProblem(
            "invalid-parameter",
            "the query parameter 'explain' is not true or false",
            [
                AnswerProblem(
                    "explain",
                    f"explain: {show_value(value)} is not true or false",
                    show_value(value),
                    "true or false",
                )
            ],
        )
    return flag


class ClientGone(Exception):
    """The client closed the connection before its body arrived: nobody to answer."""


def problem_response(exc: RequestProblem, raw: Mapping[str, str] | None = None) -> Response:
    """The problem as ``application/problem+json``; ``raw`` adds members whose values
    are JSON already encoded (the results of a batch, as the CLI wrote them)."""
    text = to_json(exc.to_dict())
    if raw:
        text = text[:-1] + "".join(f',"{key}":{value}' for key, value in raw.items()) + "}"
    return Response(text, status_code=exc.status, media_type=MEDIA_TYPE, headers=exc.headers)


async def read_json_body(request: Request, limits: Limits) -> bytes:
    """The body of a JSON API request: sent as application/json (so no page on another
    site can post it without the browser asking first), at most the size limit."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        shown = f"as '{media_type}'" if media_type else "without a Content-Type"
        raise RequestProblem(
            "unsupported-media-type",
            f"the body was sent {shown}: send it as application/json",
            headers={"Accept-Post": JSON},
        )
    body = await read_body(request, limits)
    header = request.headers.get("content-encoding", "").strip().lower()
    # Encodings in the order applied ("gzip, gzip": packed twice), undone last first.
    encodings = [step.strip() for step in header.split(",") if step.strip() not in ("", "identity")]
    if len(encodings) > _MAX_ENCODINGS:
        raise RequestProblem(
            "unsupported-media-type", f"the body was packed {len(encodings)} times: send it once"
        )
    for encoding in reversed(encodings):
        if encoding not in ("gzip", "x-gzip"):
            raise RequestProblem(
                "unsupported-media-type",
                f"the body was sent with Content-Encoding '{header}': send it plain, or gzip",
                headers={"Accept-Encoding": "gzip"},
            )
        if body.startswith(_GZIP_MAGIC):  # (a plain body under the header is read plain)
            body = _gunzipped(body, limits)
    # No JSON starts with gzip's bytes: a gzip body without its header, or packed once
    # more than it says, is unpacked too. Read as text, it was "invalid UTF-8 (byte
    # 0x8b at column 2)", and the referral its answers held was lost (check 51, F4).
    for _ in range(_MAX_ENCODINGS - len(encodings)):
        if not body.startswith(_GZIP_MAGIC):
            break
        body = _gunzipped(body, limits)
    return body


_GZIP_MAGIC = b"\x1f\x8b"
_MAX_ENCODINGS = 2  # "gzip, gzip" at most


def _gunzipped(body: bytes, limits: Limits) -> bytes:
    """A gzip body unpacked, at most the size limit of what it unpacks to (a small
    body that unpacks to gigabytes is refused as it unpacks, never held)."""
    parts: list[bytes] = []
    size, rest = 0, body
    # Member after member, as gzip itself reads a file of several ("cat a.gz b.gz").
    while rest:
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            plain = unpacker.decompress(rest, limits.max_body_bytes + 1 - size)
        except zlib.error as exc:
            raise RequestProblem("not-json", f"the body is not valid gzip: {exc}") from None
        size += len(plain)
        if size > limits.max_body_bytes or unpacker.unconsumed_tail:
            raise RequestProblem(
                "too-large", f"the body unpacks to more than {limits.max_body_bytes:,} bytes"
            )
        if not unpacker.eof:
            raise RequestProblem("not-json", "the gzip body is cut short")
        parts.append(plain)
        rest = unpacker.unused_data
        if not rest.strip(b"\0"):
            break  # zeros after the last member, as gzip allows
    return b"".join(parts)


async def read_body(request: Request, limits: Limits) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_body_bytes:
        raise _too_large(limits)
    # The ASGI messages read here, not through ``request.stream()``: its async
    # generator cost about 2.5 us a request of the 4 this takes. Nothing reads the
    # body again (each route answers from these bytes).
    receive, chunks, size = request.receive, [], 0
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limits.max_body_bytes:
                raise _too_large(limits)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientGone


def _too_large(limits: Limits) -> RequestProblem:
    return RequestProblem("too-large", f"the body is larger than {limits.max_body_bytes:,} bytes")


async def bounded(pool: WorkPool, size: int, work: Callable[[Deadline], T]) -> T:
    """``work`` within the time limit, or 503 with the work stopped."""
    try:
        return await pool.run(size, work)
    except TooSlow:
        raise RequestProblem(
            "too-slow",
            f"the request took longer than {pool.limits.seconds:g} s and its work was stopped",
            headers={"Retry-After": "5"},
        ) from None


Endpoint = Callable[[Request], Awaitable[Response]]


def busy_post(router: APIRouter, path: str, **schema: Any) -> Callable[[Endpoint], Endpoint]:
    """``router.post(path, **schema)`` for a busy route whose endpoint reads the raw
    Request and returns a Response. The endpoint is also added, ahead of FastAPI's
    route, as a plain Starlette route, which is the one that serves the requests;
    FastAPI's route stays for the schema (/openapi.json, /docs). FastAPI's handling
    of a request (solving the dependencies of an endpoint that has none, and the rest)
    costs about 26 us a request, a fifth of the floor's whole CPU time per request
    (benchmarks/serve_floor.py); the middleware, the exception handlers (problem
    details) and the answer are the same either way."""

    def add(endpoint: Endpoint) -> Endpoint:
        router.add_route(path, endpoint, methods=["POST"], include_in_schema=False)
        router.post(path, **schema)(endpoint)
        return endpoint

    return add


def api_router(rb: RuleBase, pool: WorkPool, router: APIRouter | None = None) -> APIRouter:
    """The service routes for one loaded rule base, added to ``router`` (a new one by
    default). The app passes its own router: a router included into the app is
    looked through again on every request (about 8 us each, benchmarks/serve_floor.py),
    where the floor's routes, like these, are the app's own."""
    router = router if router is not None else APIRouter()
    limits = pool.limits

    # The two busy routes first: a request is matched against the routes in order.
    @busy_post(
        router,
        "/v1/diagnose",
        response_model=DiagnosisOut | list[DiagnosisOut],
        responses=responses(400, 413, 415, 422, 503),
        openapi_extra={**request_body(RecordIn, rb, many=True), "parameters": [EXPLAIN]},
        tags=["v1"],
    )
    async def diagnose(request: Request) -> Response:
        """One record gives one result, a JSON array of records an array of results,
        byte for byte what `legpress-diag diagnose --format jsonl` / `--format json`
        writes. When a record holds an invalid answer the answer is a 422 problem that
        lists each bad answer under 'problems' and still carries every record's result
        under 'results'. `?explain=true` adds the rule-level reasoning, as
        `diagnose --explain` does."""
        explain = explain_flag(request)
        body = await read_json_body(request, limits)
        batch = await bounded(
            pool, len(body), lambda deadline: diagnose_body(body, rb, limits, deadline, explain)
        )
        if batch.errors:
            results = batch.text if batch.text.startswith("[") else f"[{batch.text.rstrip()}]"
            return problem_response(invalid_records(batch), {"results": results})
        return Response(batch.text, media_type=JSON)

    @busy_post(
        router,
        "/v1/interview",
        response_model=InterviewOut,
        responses=responses(400, 413, 415, 422, 503),
        openapi_extra={**request_body(InterviewIn, rb, many=False), "parameters": [EXPLAIN]},
        tags=["v1"],
    )
    async def interview_api(request: Request) -> Response:
        """The next question `ask` would ask after these answers, or the result
        (with the rule-level reasoning when `?explain=true`)."""
        explain = explain_flag(request)
        body = await read_json_body(request, limits)

        def work(deadline: Deadline) -> str:
            return interview_json(rb, body, explain, deadline)

        return Response(await bounded(pool, len(body), work), media_type=JSON)

    @router.post(
        "/v1/measure",
        response_model=MeasureRecord,
        responses=responses(400, 413, 415, 422, 501, 503),
        openapi_extra={
            "requestBody": {"required": True, "content": {JSON: {"schema": LANDMARKS_SCHEMA}}}
        },
        tags=["v1"],
    )
    async def measure_api(request: Request) -> Response:
        """Answers measured from a filmed set's body landmarks (contract 3a: MediaPipe
        Pose's 33 points per frame), as the record `legpress-diag measure` prints; what
        cannot be measured has its reason in `not_measured`. Invalid landmarks are a
        422 naming the frame and field. A video (Content-Type video/mp4, video/quicktime
        or video/webm) is read only where the measure extra is installed, else 501.
        See docs/measure.md."""
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media.startswith("video/"):
            if not video_available():
                raise RequestProblem(
                    "measure-extra-missing",
                    "this server cannot read a video: the measure extra is not installed; "
                    "send the body landmarks as application/json instead",
                )
            video = await read_body(request, replace(limits, max_body_bytes=limits.max_video_bytes))
            suffix = VIDEO_TYPES.get(media, ".mp4")
            result = await bounded(
                video_pool(pool),
                len(video),
                lambda deadline: measure_video_bytes(video, suffix, limits, deadline),
            )
            return Response(to_json(result.record), media_type=JSON)
        cap = replace(limits, max_body_bytes=limits.max_landmarks_bytes)
        body = await read_json_body(request, cap)
        text = await bounded(pool, len(body), lambda deadline: measure_body(body, deadline))
        return Response(text, media_type=JSON)

    @router.get("/healthz", response_model=HealthOut, tags=["service"])
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type=JSON)

    # HEAD for load balancers and uptime checks; kept out of the schema (no body).
    router.add_api_route("/healthz", healthz, methods=["HEAD"], include_in_schema=False)

    @router.get("/v1/rulebase", response_model=RuleBaseIdentity, tags=["v1"])
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
                    screen=s,
                )
                for s in rb.screens.values()
            ],
        }
    )

    @router.get("/v1/questions", response_model=QuestionsOut, tags=["v1"])
    async def questions() -> Response:
        """Every question of the rule base, and the safety screens' grouped questions."""
        return Response(questions_text, media_type=JSON)

    @router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def reference(request: Request) -> HTMLResponse:
        from .reference import reference_page

        return HTMLResponse(reference_page(request.app.openapi(), TYPES.values()))

    return router


def interview_json(
    rb: RuleBase, body: bytes, explain: bool = False, deadline: Deadline | None = None
) -> str:
    """What ``POST /v1/interview`` answers for ``body``: the step as JSON, with about
    how many questions are left (as the web page shows it). The benchmark's "work
    alone" times this very function."""
    record_id, answers, measured, beside, said_yes, noted = read_interview_body(body, rb)
    if deadline is not None:
        deadline.check()
    current = interview(
        rb,
        answers,
        record_id,
        explain=explain,
        measured=measured,
        beside=beside,
        check=None if deadline is None else deadline.check,
        said_yes=said_yes,
    )
    if noted:
        # "saddle_numbness" given twice, "yes" and "no": read as not sure, as diagnose
        # reads it, and said so here too (check 51, F3: the lifter was told "unsure").
        current = replace(current, warnings=(*noted, *current.warnings))
    out = step_out(rb, current)
    if current.about_left is not None:
        out["about_left"] = current.about_left  # as the web page shows it
    if measured:  # which answers are still the measured ones (issue 26)
        out["measured"] = still_measured(answers, measured)
    return to_json(out)


def step_out(rb: RuleBase, current: Step) -> dict[str, object]:
    """One interview step in ``InterviewOut``'s shape."""
    warnings = [w.to_dict() for w in current.warnings]
    if current.ask is not None:
        question = current.ask.question
        qid = question.id
        screen = (
            rb.screens.get(question.id.removeprefix(SCREEN_PREFIX))
            if question.id.startswith(SCREEN_PREFIX)
            else None
        )
        return {
            "should_stop": False,
            "question": question_out(
                question,
                why_asked(rb, question.id),
                signs=current.signs,
                number=current.ask.number,
                screen=screen,
                # The same for a question every time: worked out once per rule base.
                brief=remembered(rb, "why_in_brief", question.id, lambda: why_in_brief(rb, qid)),
            ),
            "warnings": warnings,
        }
    assert current.stop is not None
    return {
        "should_stop": True,
        "reason": current.stop.reason,
        "result": current.result,
        "record": current.record,
        "warnings": warnings,
    }
