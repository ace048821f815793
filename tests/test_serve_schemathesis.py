"""The live server on loopback against its own OpenAPI schema (schemathesis).

`legpress-diag serve` runs in a subprocess on a free port; schemathesis generates
requests from /openapi.json (valid and invalid ones) and checks every answer: no
server error, a documented status code and content type, a body that matches the
schema. The number of examples is bounded so the test takes seconds.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the test tools are not installed")
pytest.importorskip("fastapi", reason="the serve extra is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from . import serve_live  # noqa: E402

live_server = serve_live.live_server  # the fixture, shared
pytestmark = pytest.mark.schemathesis  # the slow part: pytest -m schemathesis (pyproject.toml)

MAX_EXAMPLES = 50
# A schema cannot say that a set's frame times increase, so landmarks that fit the
# schema may still be refused (a documented 422 naming the frame).
EXCLUDED = {"/v1/measure": [positive_data_acceptance]}


@pytest.fixture(scope="module")
def api_schema(live_server: str) -> Any:
    return schemathesis.openapi.from_url(live_server + "/openapi.json")


def operations(api_schema: Any) -> list[Any]:
    return [result.ok() for result in api_schema.get_all_operations()]


# schemathesis's own pytest plugin does not run under pytest 9 (it reads a private
# attribute that pytest removed), so each operation's strategy drives a plain
# hypothesis test instead: the same generated cases, the same checks.
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_live_api_keeps_its_schema(api_schema: Any, mode: str) -> None:
    generation_mode = schemathesis.GenerationMode(mode)
    checked = []
    for operation in operations(api_schema):
        if operation.method.upper() == "GET" and mode == "negative":
            continue  # GET routes take no input to make invalid

        @given(case=operation.as_strategy(generation_mode=generation_mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(excluded_checks=EXCLUDED.get(case.operation.path, []))

        run()
        checked.append(operation.label)
    assert len(checked) == (6 if mode == "positive" else 3), checked
