"""The floor for `legpress-diag serve`: FastAPI on uvicorn, the same bytes, no work.

    python benchmarks/serve_floor_app.py ANSWERS.json PORT

ANSWERS.json maps a path to the headers and body the real server answered for the
benchmark's request there (benchmarks/serve_floor.py fetches them). Each request is
read and parsed as JSON, as any JSON endpoint must, and answered with those bytes:
what is left between this and the real server is the work and our own request path.
uvicorn runs with its defaults, so it picks the same HTTP parser and event loop the
real server can use in this environment.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response


def floor_app(answers: dict[str, dict[str, object]]) -> FastAPI:
    app = FastAPI()

    @app.get("/ready")
    async def ready() -> Response:
        return Response(b"", status_code=204)

    for path, answer in answers.items():
        app.post(path)(_replying(answer))
    return app


def _replying(answer: dict[str, object]) -> Callable[[Request], Awaitable[Response]]:
    headers = {str(k).lower(): str(v) for k, v in answer["headers"]}  # type: ignore[attr-defined]
    media_type = headers.pop("content-type", None)
    body = str(answer["body"]).encode()

    async def reply(request: Request) -> Response:
        json.loads(await request.body())
        return Response(body, media_type=media_type, headers=headers)

    return reply


if __name__ == "__main__":
    answers = json.loads(Path(sys.argv[1]).read_text())
    uvicorn.run(
        floor_app(answers),
        host="127.0.0.1",
        port=int(sys.argv[2]),
        log_level="warning",
        access_log=False,
        server_header=False,
    )
