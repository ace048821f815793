"""The web questionnaire's routes: POST-redirect-GET, the answers in a signed cookie.

``GET /?at=N`` shows the question after the first N answers (or the result), with
the answer given to it before already chosen; a form posts one answer to ``POST /``,
which stores the answers in the cookie and redirects to ``/?at=N+1``. So every page in
the browser's history is a GET that can be shown again: Back goes to the previous
question with its answer kept, refresh keeps the place, and nothing is kept on the
server (docs/serve.md says why a cookie rather than the URL).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..foundation.jsonvalue import JsonObject
from ..knowledge.rulebase import RuleBase
from . import answer_cookie, pages
from .measured_pages import NO_MARKS, Marks, unpack, with_measured
from .measured_pages import forget as forget_measured
from .service import RequestProblem, Step, interview, problem_text

T = TypeVar("T")
Read = Callable[[Request], Awaitable[bytes]]
Bounded = Callable[[Callable[[], T]], Awaitable[T]]

RESTARTED = (
    "Your earlier answers could not be read (the server was restarted, or they were "
    "changed), so the check starts again from the first question."
)


def _position(text: str | None, most: int) -> int:
    """``at`` from the URL or the form, kept within the answers there are."""
    if text is None or not text.isdigit() or len(text) > 6:
        return 0
    return min(int(text), most)


def _prefix(answers: JsonObject, at: int) -> JsonObject:
    return dict(list(answers.items())[:at])


def _see(at: int, *, notice: bool = False, invalid: bool = False) -> RedirectResponse:
    flags = ("&restarted=1" if notice else "") + ("&invalid=1" if invalid else "")
    return RedirectResponse(f"/?at={at}{flags}", status_code=303)


FLASH = "legpress_diag_message"  # the message of an answer that could not be used
INVALID = (
    "That answer could not be used: choose one of the answers, or type a number in the "
    "range shown, or choose “I'm not sure”."
)


def page_router(
    rb: RuleBase,
    read: Read,
    bounded: Bounded[Any],
    max_fields: int,
    secret: bytes,
    upload: Mapping[str, Any] | None = None,
) -> APIRouter:
    """The pages for one rule base; ``read`` and ``bounded`` are the app's body cap and
    time limit, ``secret`` the cookie's signing key."""
    router = APIRouter(include_in_schema=False)

    def answers_in(request: Request) -> JsonObject | None:
        """The answers the cookie holds; None when it is there but not ours."""
        raw = request.cookies.get(answer_cookie.NAME)
        if raw is None:
            return {}
        try:
            return answer_cookie.decode(raw, secret)
        except answer_cookie.BadCookie:
            return None

    def keep(response: Response, request: Request, answers: JsonObject) -> Response:
        try:
            value = answer_cookie.encode(answers, secret)
        except answer_cookie.TooBig:
            raise RequestProblem(
                413,
                "there are too many answers to keep in this browser (the rule base has "
                "very many questions); use `legpress-diag ask` or the API instead",
            ) from None
        response.set_cookie(
            answer_cookie.NAME,
            value,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    flash_key = hashlib.sha256(secret + b"flash").digest()  # never valid as the answers

    def flash(response: Response, request: Request, message: str) -> Response:
        value = answer_cookie.encode({"message": message[:300]}, flash_key)
        response.set_cookie(
            FLASH,
            value,
            max_age=120,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    def flashed(request: Request) -> str:
        raw = request.cookies.get(FLASH)
        try:
            message = answer_cookie.decode(raw, flash_key).get("message") if raw else None
        except answer_cookie.BadCookie:
            message = None
        return message if isinstance(message, str) else ""

    def forget(response: Response) -> Response:
        response.delete_cookie(answer_cookie.NAME, path="/", httponly=True, samesite="strict")
        return response

    def show(
        answers: JsonObject,
        at: int,
        error: str = "",
        notice: str = "",
        status: int = 200,
        invalid: bool = False,
        marks: Marks = NO_MARKS,
    ) -> Response:
        # Measured answers (a filmed set, web/measured_pages.py) first: the lifter's win.
        prefix = with_measured(_prefix(answers, at), marks)
        current: Step = interview(
            rb, prefix, "web", explain=True, measured=marks.measured
        )  # the page shows how
        if current.ask is None:
            return HTMLResponse(pages.result_page(pages.result_view(rb, current, at)), status)
        qid = current.ask.question.id
        if invalid and not error:
            # Said after a redirect, so the message names what is expected, never the
            # value sent (which would otherwise travel in the address).
            error = INVALID
        later = list(answers)[at:]
        view = pages.question_view(
            rb,
            current,
            at,
            current.about_left or 1,
            before=answers[qid] if qid in later else None,
            error=error,
            notice=notice,
            saved=len(answers),
        )
        view = replace(view, measured=len(marks.measured), upload=upload or {})
        return HTMLResponse(pages.question_page(view), status)

    @router.get("/static/app.css")
    async def stylesheet() -> Response:
        return Response(pages.stylesheet(), media_type="text/css")

    @router.get("/", response_class=HTMLResponse)
    async def question(request: Request) -> Response:
        answers = answers_in(request)
        notice = RESTARTED if request.query_params.get("restarted") else ""
        if answers is None:
            return forget(await bounded(lambda: show({}, 0, notice=RESTARTED)))
        wanted = request.query_params.get("at")
        at = _position(wanted, len(answers))
        if wanted is not None and wanted != str(at):
            return _see(at)  # a place past the answers there are, or not a number

        invalid = request.query_params.get("invalid") == "1"
        error = flashed(request) if invalid else ""
        marks = unpack(request, secret)

        def work() -> Response:
            try:
                shown = show(answers, at, error=error, notice=notice, invalid=invalid, marks=marks)
                if invalid:
                    shown.delete_cookie(FLASH, path="/", httponly=True, samesite="strict")
                return shown
            except RequestProblem:
                # Answers this server signed but can no longer use (the rule base
                # changed under the same secret): start again, and say so.
                return forget(show({}, 0, notice=RESTARTED))

        response: Response = await bounded(work)
        return response

    @router.post("/")
    async def answer(request: Request) -> Response:
        answers = answers_in(request)
        if answers is None:
            return forget(_see(0, notice=True))
        fields = _form_fields(await read(request), max_fields)
        at = _position(fields.get("at", [""])[0], len(answers))
        question_id = fields.get("q", [""])[0]
        do = fields.get("do", [""])[0]
        if do == "back":
            return _see(max(0, at - 1))
        prefix = _prefix(answers, at)

        def work() -> Response:
            after, error = pages.apply_form(rb, prefix, question_id, do, fields.get("v", []))
            if after == prefix and not error:
                return _see(at)  # a form for no question: stay
            if not error:
                try:
                    interview(rb, after)
                except RequestProblem as exc:
                    error = "; ".join(problem_text(p) for p in exc.problems) or exc.message
            if error:
                # Redirected like every answer (a page that answers a POST would make
                # the browser's Back ask to resubmit the form); the message travels in
                # a signed cookie read once, never in the address.
                return flash(_see(at, invalid=True), request, error)
            changed = list(answers.items())[at : at + 1] != list(after.items())[at:]
            # The same answer again (after Back) keeps the later ones; a new answer
            # may change what comes next, so the later answers go.
            kept = after if changed else answers
            return keep(_see(at + 1), request, kept)

        response: Response = await bounded(work)
        return response

    @router.post("/restart")
    async def restart() -> Response:
        return forget_measured(forget(_see(0)))

    def finished(request: Request, explain: bool) -> Step:
        answers = answers_in(request) or {}
        at = _position(request.query_params.get("at"), len(answers))
        marks = unpack(request, secret)
        prefix = with_measured(_prefix(answers, at), marks)
        current = interview(rb, prefix, "web", explain=explain, measured=marks.measured)
        if current.result is None:
            raise RequestProblem(422, "the questions are not finished yet")
        return current

    @router.get("/answers.json")
    async def download_answers(request: Request) -> Response:
        current = await bounded(lambda: finished(request, explain=False))
        return Response(
            json.dumps(current.record, indent=2) + "\n",  # as `ask --save` writes it
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="legpress-answers.json"'},
        )

    @router.get("/report.html")
    async def download_report(request: Request) -> Response:
        from ..presentation.render.report import html_report

        current = await bounded(lambda: finished(request, explain=True))
        assert current.result is not None
        document = html_report(current.result, rb)
        return HTMLResponse(
            document,
            headers={
                "Content-Disposition": 'attachment; filename="legpress-report.html"',
                "Content-Security-Policy": f"default-src 'none'; style-src "
                f"{style_hash(document)}; frame-ancestors 'none'; base-uri 'none'; "
                "form-action 'none'",
            },
        )

    return router


def style_hash(document: str) -> str:
    """The CSP source for a page's one inline <style> (the downloadable report)."""
    match = re.search(r"<style>(.*?)</style>", document, re.S)
    digest = hashlib.sha256((match.group(1) if match else "").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _form_fields(body: bytes, max_fields: int) -> dict[str, list[str]]:
    """The questionnaire form's fields by name (``v`` may repeat)."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=max_fields,
        )
    except (UnicodeDecodeError, ValueError):
        raise RequestProblem(400, "the form cannot be read") from None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


__all__ = ["RESTARTED", "page_router", "style_hash"]
