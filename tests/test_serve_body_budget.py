"""The bytes of large request bodies held at once are bounded (issue 20, attack M4:
forty 16 MiB /v1/measure bodies at once took the server to 1.6 GB). Past the budget a
request is a 503 with Retry-After, before any byte of it is read when its length is
declared; small bodies are not counted. In process, no timing: a request is held
in flight by a body that has not arrived yet."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from legpress_diag.knowledge.rulebase import RuleBase

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from legpress_diag.web.app import create_app
from legpress_diag.web.limits import Limits

BUDGET = 64 * 1024
Receive = Callable[[], Awaitable[dict[str, Any]]]


def scope(length: int | None) -> dict[str, Any]:
    headers = [(b"content-type", b"application/json")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/diagnose",
        "raw_path": b"/v1/diagnose",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


def padded(size: int) -> bytes:
    """A valid record of exactly ``size`` bytes."""
    start = b'{"answers": {}}'
    return start + b" " * (size - len(start))


def held_body(body: bytes, arrived: asyncio.Event) -> Receive:
    """A body that is sent only once ``arrived`` is set: its request stays in flight."""

    async def receive() -> dict[str, Any]:
        await arrived.wait()
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def chunked(chunks: list[bytes]) -> Receive:
    left = list(chunks)

    async def receive() -> dict[str, Any]:
        chunk = left.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(left)}

    return receive


async def call(
    app: Any, length: int | None, receive: Receive
) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope(length), receive, send)
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


@pytest.fixture
def app(rb: RuleBase) -> Any:
    return create_app(rb, Limits(max_body_bytes_in_flight=BUDGET))


@pytest.mark.parametrize(("second", "status"), [(BUDGET // 2, 200), (BUDGET // 2 + 1, 503)])
def test_a_declared_body_past_the_budget_is_503_before_it_is_read(
    app: Any, second: int, status: int
) -> None:
    async def main() -> None:
        arrived = asyncio.Event()
        first = asyncio.create_task(call(app, BUDGET // 2, held_body(padded(BUDGET // 2), arrived)))
        await asyncio.sleep(0)  # the first is in flight, holding half the budget
        read: list[int] = []

        async def receive() -> dict[str, Any]:
            read.append(1)
            return {"type": "http.request", "body": padded(second), "more_body": False}

        got, headers, body = await call(app, second, receive)
        assert got == status
        if status == 503:
            assert not read  # refused before any byte was read
            assert headers[b"retry-after"] == b"1"
            assert json.loads(body)["type"] == "/docs#problem-busy"
        arrived.set()
        assert (await first)[0] == 200
        # Once answered, its bytes are free again: the same request now goes through.
        again = await call(app, second, chunked([padded(second)]))
        assert again[0] == 200

    asyncio.run(main())


def test_a_chunked_body_counts_as_it_arrives(app: Any) -> None:
    async def main() -> None:
        arrived = asyncio.Event()
        first = asyncio.create_task(call(app, BUDGET // 2, held_body(padded(BUDGET // 2), arrived)))
        await asyncio.sleep(0)
        body = padded(BUDGET // 2 + 2)
        pieces = [body[:1000], body[1000:]]
        got, headers, _ = await call(app, None, chunked(pieces))
        assert got == 503 and headers[b"retry-after"] == b"1"
        arrived.set()
        assert (await first)[0] == 200
        assert (await call(app, None, chunked(pieces)))[0] == 200

    asyncio.run(main())


def test_small_bodies_are_not_counted(rb: RuleBase) -> None:
    app = create_app(rb, Limits(max_body_bytes_in_flight=1))

    async def main() -> None:
        small = padded(Limits().inline_body_bytes)
        assert (await call(app, len(small), chunked([small])))[0] == 200
        assert (await call(app, None, chunked([small])))[0] == 200

    asyncio.run(main())


def test_a_body_larger_than_the_whole_budget_is_still_413(rb: RuleBase) -> None:
    """Past every route's cap is 'too large', not 'busy': retrying would not help."""
    app = create_app(rb, Limits(max_body_bytes_in_flight=BUDGET, max_body_bytes=BUDGET))

    async def main() -> None:
        got, _, body = await call(app, BUDGET + 1, chunked([padded(BUDGET + 1)]))
        assert got == 413, body

    asyncio.run(main())
