"""`legpress-diag serve`: the questionnaire on a phone and the engine behind an HTTP API."""

from __future__ import annotations

import json
import os
import secrets
from typing import Annotated

import typer

from .common import NoDefaultRulesOption, RulesOption, fail, load_rules

HELP = """Serve the web questionnaire at / and the JSON API at /v1/ (schema: /openapi.json).

Binds to loopback unless --host says otherwise. Stateless: nothing a person types
is kept on the server or logged (--log-requests turns the access log on). Needs the
'serve' extra: pip install 'legpress-diag[serve]'. See docs/serve.md.

Examples:

  legpress-diag serve

  legpress-diag serve --host 0.0.0.0 --port 8080 --workers 2 --rules coach.yaml
"""

MISSING_EXTRA = (
    "'serve' needs the serve extra (FastAPI and uvicorn): pip install 'legpress-diag[serve]'"
)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
    log_requests: Annotated[
        bool, typer.Option("--log-requests", help="Log each request line (off by default).")
    ] = False,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
) -> None:
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        fail(MISSING_EXTRA)
    rb = load_rules(rules, no_default_rules)  # fail here, not in a worker, if it does not load
    options = {
        "host": host,
        "port": port,
        "access_log": log_requests,
        "server_header": False,
        "log_level": "info",
    }
    if workers == 1:
        from ..web.app import create_app

        uvicorn.run(create_app(rb), **options)  # type: ignore[arg-type]
        return
    # Each worker process loads the rule base itself, from the same paths.
    os.environ["LEGPRESS_DIAG_SERVE_RULES"] = json.dumps([str(p) for p in rules or ()])
    os.environ["LEGPRESS_DIAG_SERVE_NO_DEFAULT_RULES"] = "1" if no_default_rules else ""
    # The web page's answer cookie must verify on whichever worker gets the next
    # request: one signing key for all of them, unless one is configured already.
    os.environ.setdefault("LEGPRESS_DIAG_SECRET", secrets.token_hex(32))
    uvicorn.run(
        "legpress_diag.web.app:app_from_env",
        factory=True,
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
