"""Reading the small TOML files of packs and projects, with positions for errors.

``tomllib`` gives no positions for values, so a key's line is found in the text
(the first ``key =`` line); a syntax error's position is read from its message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ...foundation import codes
from ...foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan, did_you_mean
from ..paths import display_path

MAX_TOML_BYTES = 1_000_000  # a manifest or config is a few lines; refuse a huge file


def read_toml(path: Path) -> tuple[dict[str, object], str]:
    """The file's data and text. Raises RuleBaseError naming the file and the line."""
    import tomllib  # only where a config or manifest exists: most runs have neither

    from ...foundation.files import read_at_most

    shown = display_path(path)
    try:
        raw = read_at_most(path, MAX_TOML_BYTES)  # /dev/zero: refused, not read whole
    except OSError as exc:
        raise RuleBaseError([_error(shown, f"cannot read: {exc.strerror}", 1)]) from None
    if len(raw) > MAX_TOML_BYTES:
        raise RuleBaseError([_error(shown, f"more than the {MAX_TOML_BYTES:,} bytes allowed", 1)])
    try:
        text = raw.decode("utf-8-sig")
        return tomllib.loads(text), text
    except UnicodeDecodeError:
        raise RuleBaseError([_error(shown, "is not UTF-8 text", 1)]) from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.YAML_SYNTAX,  # the syntax-error code, whatever the language
                    Severity.ERROR,
                    f"TOML syntax error: {message[:1].lower()}{message[1:]}",
                    SourceSpan(shown, line, col),
                )
            ]
        ) from None


def key_line(text: str, key: str) -> int:
    """The 1-based line where ``key =`` is first set, or 1."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?\s*=", re.M)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def table_line(text: str, header: str) -> int:
    """The 1-based line of the ``[header]`` table, or 1."""
    found = re.search(rf"^[ \t]*\[\s*{re.escape(header)}\s*\]", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def check_keys(
    data: Mapping[str, object], known: Iterable[str], shown: str, text: str, where: str
) -> list[Diagnostic]:
    """An error for each key of ``data`` that is not ``known``, with the likely one."""
    allowed = list(known)
    return [
        Diagnostic(
            codes.UNKNOWN_FIELD,
            Severity.ERROR,
            f"unknown key '{key}' in {where}",
            SourceSpan(shown, key_line(text, key), 1),
            did_you_mean(key, allowed) or f"the keys are {', '.join(allowed)}",
        )
        for key in data
        if key not in allowed
    ]


def value_error(
    shown: str, text: str, key: str, message: str, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(
        codes.INVALID_VALUE,
        Severity.ERROR,
        message,
        SourceSpan(shown, key_line(text, key), 1),
        hint,
    )


def _error(shown: str, message: str, line: int) -> Diagnostic:
    return Diagnostic(codes.UNREADABLE_FILE, Severity.ERROR, message, SourceSpan(shown, line, 1))
