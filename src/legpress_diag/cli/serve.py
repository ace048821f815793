"""`legpress-diag serve`: the questionnaire on a phone and the engine behind an HTTP API."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from .common import IsolatedOption, NoDefaultRulesOption, RulesOption, fail, load_rules, tell

HELP = """Serve the web questionnaire at / and the JSON API at /v1/ (reference: /docs).

Binds to loopback unless --host says otherwise. Stateless: nothing a person types
is kept on the server or logged (--log-requests turns the access log on). The rule
base is loaded once, before the server starts; --workers forks that process. Needs
the 'serve' extra: pip install 'legpress-diag[serve]'. See docs/serve.md.

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
    isolated: IsolatedOption = False,
) -> None:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail(MISSING_EXTRA)
    # Loaded once, here: a rule base that does not load is exit 2 before anything starts,
    # and every worker serves this one.
    rb = load_rules(rules, no_default_rules, isolated)
    from ..web.app import create_app
    from ..web.limits import Limits
    from ..web.server import BindError, Options, run

    if not _loopback(host):
        tell(
            f"legpress-diag: warning: serving plain HTTP on {_where(host)}: anyone who can "
            "reach this port can use it, and what people type travels unencrypted. Put a "
            "TLS proxy in front (docs/serve.md, 'Behind a reverse proxy')."
        )
    options = Options(host=host, port=port, workers=workers, access_log=log_requests)
    try:
        code = run(create_app(rb, Limits()), Limits(), options)
    except BindError as exc:
        fail(str(exc))
    raise typer.Exit(code)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _where(host: str) -> str:
    return "every interface" if host in ("0.0.0.0", "::", "[::]") else host
