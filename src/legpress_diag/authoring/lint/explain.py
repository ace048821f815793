"""`rules lint --explain CODE`: what a check finds, why, and a bad and a good example,
read from the check module's docstring (the source of docs/lint-codes.md too)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from types import ModuleType

from ...foundation.problems import did_you_mean

# Where each code is documented, relative to the project (a heading per code).
DOCS_PAGE = "docs/lint-codes.md"


def code_url(code: str) -> str:
    """``docs/lint-codes.md#lp204``: the code's section of the lint-code reference."""
    return f"{DOCS_PAGE}#{code.lower()}"


@dataclass(frozen=True)
class CheckDoc:
    code: str
    name: str
    severity: str
    phase: str
    summary: str  # one line: what the check finds
    prose: str  # why it matters, and what to do
    bad: str  # YAML that the check reports
    good: str  # the same, written right


def check_doc(module: ModuleType) -> CheckDoc:
    """A check module's docstring in parts: ``CODE name: summary``, prose, Bad:, Good:."""
    doc = module.__doc__ or ""
    head, _, rest = doc.partition("\n\n")
    match = re.search(r"\A(.*?)^Bad:\n(.*?)^Good:\n(.*)\Z", rest, re.S | re.M)
    if match is None:
        raise ValueError(f"{module.CODE}: the docstring lacks its Bad: and Good: examples")
    prose, bad, good = match.groups()
    return CheckDoc(
        module.CODE,
        module.NAME,
        module.SEVERITY.value,
        module.PHASE,
        head.split(": ", 1)[1],
        prose.strip(),
        textwrap.dedent(bad).rstrip(),
        textwrap.dedent(good).rstrip(),
    )


def explain_lines(code: str) -> list[str]:
    """The explanation of one code, as `rules lint --explain` prints it. Raises KeyError."""
    from .registry import CHECKS

    module = CHECKS.get(code.upper())
    if module is None:
        hint = did_you_mean(code.upper(), CHECKS)
        raise KeyError(
            f"no lint code '{code}'" + (f" ({hint})" if hint else f"; the codes are in {DOCS_PAGE}")
        )
    doc = check_doc(module)
    indent = "    "
    return [
        f"{doc.code} {doc.name} ({doc.severity}, {doc.phase} phase)",
        "",
        doc.summary[:1].upper() + doc.summary[1:],
        "",
        *doc.prose.splitlines(),
        "",
        "Bad:",
        *(indent + line if line else "" for line in doc.bad.splitlines()),
        "",
        "Good:",
        *(indent + line if line else "" for line in doc.good.splitlines()),
        "",
        f"More: {code_url(doc.code)}",
    ]
