"""The JSON encoding every JSON output shares: orjson when installed, the standard
library otherwise, and the same JSON either way."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.presentation.render import json_codec
from legpress_diag.presentation.render.json_codec import encode, encode_stdlib

RB = bundled_rulebase()
RECORDS = [
    {"id": "a", "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 60}},
    {"id": 7, "answers": {"saddle_numbness": "unsure", "pelvis_tucks_under": "yes"}},
    {"id": "ü\u2028\x7f", "answers": {"knee_angle_at_bottom": 999}},
]


def test_orjson_is_what_the_test_install_uses() -> None:
    # The 'test' extra installs orjson, so the fast path is the one the suite covers;
    # the standard library path is compared with it below.
    assert json_codec.ENCODER == "orjson"


@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize("explain", [False, True])
def test_both_encoders_write_the_same_json(record: dict[str, object], explain: bool) -> None:
    result = diagnose(record, RB, explain=explain)
    fast, plain = encode(result), encode_stdlib(result)
    assert json.loads(fast) == json.loads(plain) == json.loads(json.dumps(result))
    assert fast == plain  # the same bytes too, for the values results hold


def test_unsafe_characters_are_escaped_on_either_path() -> None:
    value = {"id": "a\u2028b\x7fc\u202ed\x85"}
    for text in (encode(value), encode_stdlib(value)):
        assert text.isascii() and json.loads(text) == value
        assert "\\u2028" in text and "\\u007f" in text and "\\u202e" in text


def test_values_orjson_refuses_fall_back_to_the_standard_library() -> None:
    huge = {"id": 10**30, "answers": {}}  # beyond 64 bits: orjson refuses it
    assert json.loads(encode(huge)) == huge
    lone = {"id": "\ud800"}  # a lone surrogate from "\\ud800" in the input
    assert encode(lone) == encode_stdlib(lone)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63 - 1)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_any_json_value_decodes_to_itself(value: object) -> None:
    assert json.loads(encode(value)) == value
