"""Response headers every page and API answer carries (``guard.Guard`` adds them)."""

from __future__ import annotations

# No script at all; styles only from /static; forms post only to this server.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    # Answers are health information: no cache along the way may keep them.
    (b"cache-control", b"no-store"),
)
