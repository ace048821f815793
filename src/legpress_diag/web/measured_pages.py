"""The web page's filmed set: upload it, see what was measured, correct an answer.

``POST /measure`` takes the upload form (multipart/form-data, one file: the landmarks
JSON, or a video where the measure extra is installed), measures it and keeps the
measured answers with their marks in a signed cookie of their own (like the answers,
:mod:`.answer_cookie`; nothing is kept on the server, and the file is not kept at
all), then shows ``GET /measured``: what was measured, each with a "Change" button,
and what could not be. The interview then asks only what was not measured
(``with_measured``). "Change" shows the question itself; the answer given there is
an answer of the lifter's like any other, and wins over the measured one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..foundation.jsonvalue import JsonValue
from ..intake.measured import measured_words, session_measurements
from ..intake.questionnaire import Ask
from ..knowledge.rulebase import RuleBase
from ..measure.video import available
from ..presentation.render.html import render
from ..presentation.render.measured import HEADING, MeasuredItem, items_of
from ..presentation.render.measured import label as measured_label
from . import answer_cookie, pages
from .api import bounded, read_body
from .limits import Limits, WorkPool
from .measured import Upload, measure_landmarks, measure_video_bytes, read_upload, video_pool
from .problems import RequestProblem
from .service import Step

COOKIE = "legpress_measured"
FORM_BYTES = 16 * 1024  # what the upload form adds around the file, at most


@dataclass(frozen=True)
class Marks:
    """What the cookie keeps of a measured set."""

    measured: dict[str, dict[str, JsonValue]]  # question id -> value, confidence, evidence
    not_measured: dict[str, str]  # question id -> why not


NO_MARKS = Marks({}, {})


def cookie_key(secret: bytes) -> bytes:
    """The cookie's own key: a measured set's cookie is never valid as the answers."""
    return hashlib.sha256(secret + b"measured").digest()


def pack(marks: Marks, secret: bytes) -> str:
    """The cookie value; each rep's frames are left out when they do not fit."""
    # The marks came from `measure` (or this cookie): JSON through and through.
    full = cast(
        "dict[str, JsonValue]", {"measured": marks.measured, "not_measured": marks.not_measured}
    )
    try:
        return answer_cookie.encode(full, cookie_key(secret))
    except answer_cookie.TooBig:
        pass
    brief = {
        key: {**entry, "evidence": _brief_evidence(entry.get("evidence"))}
        for key, entry in marks.measured.items()
    }
    rest = cast("dict[str, JsonValue]", {"measured": brief, "not_measured": {}})
    return answer_cookie.encode(rest, cookie_key(secret))


def _brief_evidence(evidence: JsonValue) -> JsonValue:
    if not isinstance(evidence, Mapping):
        return evidence
    reps = evidence.get("reps")
    count = [{"rep": i + 1} for i in range(len(reps))] if isinstance(reps, list) else []
    return {"text": evidence.get("text", ""), "reps": count}


def unpack(request: Request, secret: bytes) -> Marks:
    """The measured set the browser holds (none, or one this server did not sign)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return NO_MARKS
    try:
        data = answer_cookie.decode(raw, cookie_key(secret))
    except answer_cookie.BadCookie:
        return NO_MARKS
    measured, reasons = data.get("measured"), data.get("not_measured")
    if not isinstance(measured, dict) or not isinstance(reasons, dict):
        return NO_MARKS
    return Marks(
        {k: v for k, v in measured.items() if isinstance(v, dict) and "value" in v},
        {k: v for k, v in reasons.items() if isinstance(v, str)},
    )


def with_measured(answers: Mapping[str, JsonValue], marks: Marks) -> dict[str, JsonValue]:
    """The answers an interview step reads: the measured values, then the lifter's own,
    which win where both answer a question."""
    return {**{k: v["value"] for k, v in marks.measured.items()}, **answers}


def forget(response: Response) -> Response:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


@dataclass(frozen=True)
class MeasuredView:
    """What the measured page shows."""

    position: int  # the lifter's answers so far: where "Continue" goes back to
    items: tuple[tuple[str, MeasuredItem], ...]  # (question id, in words)
    not_measured: tuple[tuple[str, str], ...]  # (label, why)
    heading: str = HEADING
    error: str = ""


def measured_view(
    rb: RuleBase, answers: Mapping[str, JsonValue], marks: Marks, at: int
) -> MeasuredView:
    from ..intake.questionnaire import state_from_answers

    replay = state_from_answers(rb, with_measured(answers, marks))
    state = replace(replay.state, measured=marks.measured)
    shown = session_measurements(rb, state)
    items = items_of(shown, rb)
    return MeasuredView(
        position=at,
        items=tuple(zip(shown, items, strict=True)),
        not_measured=tuple(
            (measured_label(rb, k), why)
            for k, why in marks.not_measured.items()
            if k in rb.questions and k not in marks.measured
        ),
    )


def upload_offer(limits: Limits) -> dict[str, object]:
    """What the first page offers to upload: landmarks always, a video with the extra."""
    video = available()
    accept = ".json,application/json" + (",video/*,.mp4,.mov,.m4v,.webm" if video else "")
    return {
        "video": video,
        "accept": accept,
        "video_mb": limits.max_video_bytes // (1024 * 1024),
        "video_seconds": f"{limits.max_video_length:g}",
    }


def answers_in(request: Request, secret: bytes) -> dict[str, JsonValue]:
    """The lifter's answers so far (none when the cookie is missing or not ours)."""
    raw = request.cookies.get(answer_cookie.NAME)
    try:
        return answer_cookie.decode(raw, secret) if raw else {}
    except answer_cookie.BadCookie:
        return {}


def measure_router(rb: RuleBase, limits: Limits, pool: WorkPool, secret: bytes) -> APIRouter:
    """The upload and measured pages."""
    router = APIRouter(include_in_schema=False)
    videos = video_pool(pool)
    # The form around the file (its boundaries and headers) is small; the file itself
    # is held to its own cap below.
    cap = max(limits.max_landmarks_bytes, limits.max_video_bytes if available() else 0) + FORM_BYTES

    @router.post("/measure")
    async def upload(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        body = await read_body(request, replace(limits, max_body_bytes=cap))
        file: Upload = read_upload(body, content_type)
        if file.is_video:
            result = await bounded(
                videos,
                len(file.data),
                lambda deadline: measure_video_bytes(file.data, file.suffix, limits, deadline),
            )
        else:
            if len(file.data) > limits.max_landmarks_bytes:
                raise RequestProblem(
                    "too-large",
                    f"the landmarks are larger than {limits.max_landmarks_bytes:,} bytes",
                )
            result = await bounded(
                pool, len(file.data), lambda deadline: measure_landmarks(file.data, deadline)
            )
        marks = Marks(
            {
                k: cast("dict[str, JsonValue]", dict(v))
                for k, v in result.record["measured"].items()
            },
            dict(result.record["not_measured"]),
        )
        answers = answers_in(request, secret)
        if not marks.measured:
            view = measured_view(rb, answers, marks, len(answers))
            return HTMLResponse(_page(view), 422)
        response = RedirectResponse(f"/measured?at={len(answers)}", status_code=303)
        response.set_cookie(
            COOKIE,
            pack(marks, secret),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    @router.get("/measured", response_class=HTMLResponse)
    async def measured(request: Request) -> Response:
        answers = answers_in(request, secret)
        marks = unpack(request, secret)
        text = request.query_params.get("at", "")
        at = min(int(text), len(answers)) if text.isdigit() and len(text) < 7 else len(answers)
        change = request.query_params.get("change")
        if change is not None and change in marks.measured and change in rb.questions:
            return HTMLResponse(_change_page(rb, answers, marks, at, change))
        return HTMLResponse(_page(measured_view(rb, answers, marks, at)))

    return router


def _page(view: MeasuredView) -> str:
    return render("web_measured.html", title="Leg press check: measured", page=view)


def _change_page(
    rb: RuleBase, answers: Mapping[str, JsonValue], marks: Marks, at: int, question_id: str
) -> str:
    """The question itself, with the answer used now chosen; it posts to the
    questionnaire like any answer (at the lifter's place), so the lifter's answer is
    kept with theirs and wins over the measured one."""
    question = rb.questions[question_id]
    step = Step(Ask(question, at + 1), None, None, None, ())
    own = dict(list(answers.items())[:at])
    before = with_measured(own, marks).get(question_id)
    view = pages.question_view(rb, step, at, 1, before=before)
    if question_id not in own:
        # Still the measurement: say it is what the film showed (the lifter never gave
        # it), with its evidence, and leave a number field empty to type into.
        shown = measured_words(rb, question_id, marks.measured[question_id])
        view = replace(view, kept=shown, kept_from="Your filmed set showed", number_value="")
    topic = f"{HEADING.lower()}: your own answer"
    return pages.question_page(replace(view, topic=topic, measured=len(marks.measured)))


__all__ = [
    "COOKIE",
    "NO_MARKS",
    "Marks",
    "forget",
    "measure_router",
    "pack",
    "unpack",
    "upload_offer",
    "with_measured",
]
