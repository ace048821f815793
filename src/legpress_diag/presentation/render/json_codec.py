"""One result as one line of compact JSON: the encoding every JSON output shares.

orjson (the ``fast`` extra) writes a result about six times faster than the standard
library, which makes it the largest single cost of a JSON Lines batch otherwise
(benchmarks/, docs/performance.md). Without it, or for the rare value it refuses
(an integer id beyond 64 bits, a string holding a lone surrogate), the standard
library writes the same JSON. Either way the text then passes through
``textsafe.json_line``, so what a terminal or a JavaScript reader would act on is
escaped identically.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ...presentation.render import textsafe


def _stdlib(value: object) -> str:
    # Results are trees we build, never cyclic: the circular-reference check (15% of
    # the encoder's time) is skipped.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _choose() -> tuple[str, Callable[[object], str]]:
    try:
        import orjson
    except ImportError:
        return "json", _stdlib

    dumps, refused = orjson.dumps, orjson.JSONEncodeError

    def fast(value: object) -> str:
        try:
            return dumps(value).decode()
        except refused:
            return _stdlib(value)

    return "orjson", fast


ENCODER, _dumps = _choose()


def encode(value: object) -> str:
    """``value`` as compact JSON text, non-ASCII kept, unsafe characters escaped."""
    return textsafe.json_line(_dumps(value))


def encode_stdlib(value: object) -> str:
    """The same with the standard library alone (for tests that compare the two)."""
    return textsafe.json_line(_stdlib(value))
