"""The web interview's answers, kept in the lifter's browser in a signed cookie.

Nothing is stored on the server: the answers so far (in the order given) travel in
one cookie, ``HttpOnly`` (no script can read it; the page has none anyway) and
``SameSite=Strict`` (no other site can make the browser send it), signed with
HMAC-SHA256 so that a changed cookie is refused rather than believed. The key is
``LEGPRESS_DIAG_SECRET`` when set (several workers or replicas must share one), else
a random key made when the process starts: a restart then asks the lifter to start
again, which is the price of keeping nothing. See docs/serve.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import zlib
from collections.abc import Mapping

from ..foundation.jsonvalue import JsonObject, JsonValue

NAME = "legpress_answers"
SECRET_ENV = "LEGPRESS_DIAG_SECRET"
# Browsers keep at least 4,096 bytes per cookie, name and attributes included.
MAX_VALUE_BYTES = 3800
_VERSION = "v1"


class BadCookie(ValueError):
    """The cookie is not one this server signed (changed, truncated, or from another key)."""


def secret_from_env() -> bytes:
    """The signing key: the configured secret, or a fresh random one for this process."""
    configured = os.environ.get(SECRET_ENV, "")
    if configured:
        return hashlib.sha256(configured.encode("utf-8")).digest()
    return secrets.token_bytes(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, f"{_VERSION}.{payload}".encode(), hashlib.sha256).digest())


class TooBig(ValueError):
    """The answers do not fit in one cookie (a rule base with very many questions)."""


def encode(answers: Mapping[str, JsonValue], secret: bytes) -> str:
    """The cookie value for ``answers`` (a list of pairs keeps their order); deflated
    when that is shorter ("z" payloads). :class:`TooBig` when it cannot fit."""
    text = json.dumps(list(answers.items()), ensure_ascii=False, separators=(",", ":"))
    raw = text.encode("utf-8")
    payload = _b64(raw)
    packed = "z" + _b64(zlib.compress(raw, 9))
    if len(packed) < len(payload):
        payload = packed
    value = f"{_VERSION}.{payload}.{_mac(secret, payload)}"
    if len(value) > MAX_VALUE_BYTES:
        # Far from the bundled rule base (a test checks its largest set of answers).
        raise TooBig(f"the answers take {len(value)} bytes, over {MAX_VALUE_BYTES}")
    return value


def decode(value: str, secret: bytes) -> JsonObject:
    """The answers in a cookie this server signed; :class:`BadCookie` otherwise."""
    version, _, rest = value.partition(".")
    payload, _, mac = rest.partition(".")
    if (
        version != _VERSION
        or not payload
        or not hmac.compare_digest(
            mac.encode("ascii", "replace"), _mac(secret, payload).encode("ascii")
        )
    ):
        raise BadCookie("the signature does not match")
    try:
        if payload.startswith("z"):
            # Signed by us, so deflated by us: bounded by what encode() let through.
            raw = zlib.decompressobj().decompress(_unb64(payload[1:]), 64 * 1024)
        else:
            raw = _unb64(payload)
        pairs = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError, zlib.error):  # not ours
        raise BadCookie("the answers cannot be read") from None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs
    ):
        raise BadCookie("the answers are not in the expected shape")
    return {key: answer for key, answer in pairs}


__all__ = ["MAX_VALUE_BYTES", "NAME", "SECRET_ENV", "BadCookie", "TooBig", "decode", "encode"]
