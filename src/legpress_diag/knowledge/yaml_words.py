"""The YAML parser's complaints, said the way a coach editing a rule file thinks.

libyaml and PyYAML describe the parser's state ("did not find expected key",
"mapping values are not allowed in this context"); a coach needs to hear what is
wrong on their line and how to write it. Each known complaint is matched by the
parser's own phrase and reworded with what was expected; an unknown one keeps the
parser's words, so nothing is ever hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

# What the parser's message contains -> what it means on the line, and what to write.
# (Checked in this order; the first phrase found wins.)
_KNOWN: tuple[tuple[str, str, str], ...] = (
    (
        "mapping values are not allowed",
        "a ': ' where no new key can start",
        "quote a text that holds ': ', as in note: \"Stop: at 90 degrees\"; "
        "otherwise indent this line like the keys above it",
    ),
    (
        "expected '-' indicator",
        "this line does not line up with the list items above it",
        "start every item of a list with '- ' at the same column",
    ),
    (
        "did not find expected key",
        "this line does not fit the block above it: a 'key: value' was expected here",
        "check the indentation, or a '- ' where the block holds keys",
    ),
    (
        "could not find expected ':'",
        "a key with no ':' after it",
        "write 'key: value', with a space after the colon",
    ),
    (
        "expected ',' or ']'",
        "a list opened with '[' is not closed",
        "close it with ']' on the same entry, and separate its items with commas",
    ),
    (
        "expected ',' or '}'",
        "a mapping opened with '{' is not closed",
        "close it with '}' on the same entry, and separate its items with commas",
    ),
    (
        "found unexpected end of stream",
        "the file ends inside an open quote",
        "close the quote where the text ends, on the line it started",
    ),
    (
        "found unknown escape character",
        "a backslash in a double-quoted text that YAML does not know",
        "use single quotes, or write '\\\\' for a backslash",
    ),
)

# Characters YAML reserves at the start of a plain (unquoted) value.
_RESERVED = {"@": "an '@'", "`": "a backtick", "%": "a '%'", "|": "a '|'", ">": "a '>'"}


@dataclass(frozen=True)
class Plain:
    """A syntax error in plain words, and what to write instead (None: no advice)."""

    problem: str
    hint: str | None


def plain_words(problem: str, found: str | None) -> Plain:
    """``problem`` (the parser's message) reworded; ``found`` is the character at the
    place the parser stopped, if the file has one there."""
    if "cannot start any token" in problem:
        if found == "\t":
            return Plain("a tab where YAML needs spaces", "indent with spaces, not tabs")
        name = _RESERVED.get(found or "")
        if name is not None:
            return Plain(
                f"{name} cannot start a value that is not in quotes",
                f"put the value in quotes: '{found}...'",
            )
    for phrase, meaning, hint in _KNOWN:
        if phrase in problem:
            return Plain(meaning, hint)
    tab = "\t" in problem or "tab" in problem
    return Plain(problem, "indent with spaces, not tabs" if tab else None)
