"""Every error the HTTP API answers, in one shape: RFC 9457 problem details.

``{"type", "title", "status", "detail", "problems": [...]}`` as
``application/problem+json``, whatever went wrong and on whichever endpoint. ``type``
is a link to the problem's section of the server's own reference page (``/docs``);
``problems`` lists what is wrong with each answer, by key, with the messages the
command line prints. Nothing here imports a web framework.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus

from ..reasoning.answers import AnswerProblem

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: its link, HTTP status, title, and what a client can do."""

    slug: str
    status: int
    title: str
    about: str

    @property
    def uri(self) -> str:
        return f"/docs#problem-{self.slug}"


TYPES: dict[str, ProblemType] = {
    kind.slug: kind
    for kind in (
        ProblemType(
            "not-json",
            400,
            "The body is not JSON",
            "The body could not be read as one JSON document (strict JSON: no NaN, no "
            "key repeated with different values outside a record and its answers, "
            "UTF-8). The detail says where reading stopped.",
        ),
        ProblemType(
            "too-large",
            413,
            "The request is too large",
            "The body is over the size limit, or holds more records than one request may. "
            "Split the batch.",
        ),
        ProblemType(
            "answer-too-large",
            413,
            "The answer would be too large",
            "The results would be larger than one answer may be. Send fewer records per "
            "request, or leave out explain=true.",
        ),
        ProblemType(
            "unsupported-media-type",
            415,
            "Send the body as application/json",
            "The JSON API reads only bodies sent with Content-Type: application/json.",
        ),
        ProblemType(
            "not-a-record",
            422,
            "The body is not an answer record",
            'Send one answer record, {"id": ..., "answers": {...}}, or (to '
            "/v1/diagnose) a JSON array of them.",
        ),
        ProblemType(
            "invalid-answers",
            422,
            "Some answers are invalid",
            "Each entry of 'problems' names an answer key, the value sent, what is wrong "
            "and what was expected. From /v1/diagnose, 'results' still holds every "
            "record's result, in order: a record with invalid answers has status 'error' "
            "(or 'refer' when a safety answer raised a flag anyway). From /v1/interview, "
            "'results' holds the one result of the answers sent, the same way.",
        ),
        ProblemType(
            "invalid-landmarks",
            422,
            "The body is not valid landmarks",
            "Send a filmed set's body landmarks (contract section 3a): fps, width, height, "
            "view and frames of MediaPipe Pose's 33 points. The detail names the frame and "
            "the field.",
        ),
        ProblemType(
            "measure-extra-missing",
            501,
            "Reading a video needs the measure extra",
            "This server cannot turn a video into body landmarks: the measure extra "
            "(MediaPipe's pose model and OpenCV) is not installed. Send the landmarks as "
            "JSON instead, or install it: pip install 'legpress-diag[measure]'.",
        ),
        ProblemType(
            "invalid-parameter",
            422,
            "A query parameter is invalid",
            "A query parameter has a value it cannot take; 'problems' names it.",
        ),
        ProblemType(
            "not-finished",
            422,
            "The questions are not finished",
            "A download of answers or of a report needs an interview that has ended.",
        ),
        ProblemType(
            "too-slow",
            503,
            "The request took longer than the time limit",
            "Its work was stopped. Send fewer records per request, or try again later.",
        ),
        ProblemType(
            "busy",
            503,
            "The server is busy",
            "Too many requests are being handled at once. Try again in a moment.",
        ),
        ProblemType(
            "stopping",
            503,
            "The server is stopping",
            "The request was still being handled when the server stopped. Send it again.",
        ),
        ProblemType(
            "internal-error",
            500,
            "Internal error",
            "A bug in the server; it is logged by type and path, never with the request.",
        ),
    )
}


def blank(status: int) -> ProblemType:
    """A problem with no more to say than its HTTP status (RFC 9457's about:blank)."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return ProblemType("", status, phrase, "")


class RequestProblem(Exception):
    """The request cannot be answered as asked. ``kind`` is a key of TYPES (the status
    follows from it); ``detail`` says what exactly, ``problems`` which answers."""

    def __init__(
        self,
        kind: str | int,
        detail: str,
        problems: Sequence[AnswerProblem | Mapping[str, object]] = (),
        *,
        extra: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        # A bare status (the older call) is a problem with nothing more to say.
        self.type = TYPES[kind] if isinstance(kind, str) else blank(kind)
        self.status = self.type.status
        self.message = detail
        self.problems = tuple(problems)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def to_dict(self) -> dict[str, object]:
        return problem(self.type, self.message, self.problems, self.extra)


def problem(
    kind: ProblemType,
    detail: str,
    problems: Sequence[AnswerProblem | Mapping[str, object]] = (),
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The problem details object (a plain dict, in ``models.ProblemDetails``' shape)."""
    return {
        "type": kind.uri if kind.slug else "about:blank",
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
        "problems": [p.to_dict() if isinstance(p, AnswerProblem) else dict(p) for p in problems],
        **(extra or {}),
    }


__all__ = ["MEDIA_TYPE", "TYPES", "ProblemType", "RequestProblem", "blank", "problem"]
