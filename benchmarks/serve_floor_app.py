"""The floor for `legpress-diag serve`: FastAPI on uvicorn, the same bytes, no work.

    python benchmarks/serve_floor_app.py ANSWERS.json PORT

ANSWERS.json maps each case of the benchmark to the headers and body the real server
answered for its request (benchmarks/serve_floor.py fetches them); a request names its
case in the query, ``?case=diagnose``. Each request is
read and parsed as JSON, as any JSON endpoint must, and answered with those bytes:
what is left between this and the real server is the work and our own request path.
uvicorn runs with its defaults, so it picks the same HTTP parser and event loop the
real server can use in this environment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response


def floor_app(answers: dict[str, dict[str, Any]]) -> FastAPI:
    app = FastAPI()
    replies = {case.replace(" ", "-"): _reply(answer) for case, answer in answers.items()}

    @app.get("/ready")
    async def ready() -> Response:
        return Response(b"", status_code=204)

    @app.post("/v1/{name}")
    async def reply(request: Request, name: str) -> Response:
        json.loads(await request.body())
        body, media_type, headers = replies[request.query_params["case"]]
        return Response(body, media_type=media_type, headers=headers)

    return app


def _reply(answer: dict[str, Any]) -> tuple[bytes, str | None, dict[str, str]]:
    headers = {str(k).lower(): str(v) for k, v in answer["headers"]}
    media_type = headers.pop("content-type", None)
    return str(answer["body"]).encode(), media_type, headers


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
