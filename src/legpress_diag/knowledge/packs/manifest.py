"""A pack's manifest, ``legpress-pack.toml``: who made the pack and what it needs.

    [pack]
    name = "team-hips"
    version = "1.2.0"
    needs-contract = ">=3"          # the public contract's version (docs: contract)
    needs-rulebase = ">=1.0, <2"    # the bundled rule base's version
    author = "Coach Kim <kim@example.org>"
    licence = "CC-BY-4.0"
    sources = ["https://example.org/hips-article"]

A pack that needs another version than the one installed is refused at load, with
both versions named, rather than loaded into a rule base it was not written for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...foundation.problems import Diagnostic, RuleBaseError
from ..paths import display_path
from .tomlfile import check_keys, read_toml, table_line, value_error

MANIFEST_NAME = "legpress-pack.toml"
# The public contract this program implements (../shared/contract.md, "version 3").
CONTRACT_VERSION = "3"

_TEXT_KEYS = ("name", "version", "needs-contract", "needs-rulebase", "author", "licence")
_KEYS = (*_TEXT_KEYS, "license", "sources")
_REQUIRED = ("name", "version")


@dataclass(frozen=True)
class PackManifest:
    path: str  # the manifest as shown in messages
    name: str
    version: str
    needs_contract: str = ""
    needs_rulebase: str = ""
    author: str = ""
    licence: str = ""
    sources: tuple[str, ...] = ()
    text: str = field(default="", repr=False, compare=False)  # for the lines of errors

    @property
    def label(self) -> str:
        return f"pack '{self.name}' {self.version}"


def read_manifest(folder: Path) -> PackManifest | None:
    """The manifest of a pack folder, or None when it has none. Raises RuleBaseError."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    data, text = read_toml(path)
    shown = display_path(path)
    pack = data.get("pack")
    if not isinstance(pack, dict):
        raise RuleBaseError(
            [
                value_error(
                    shown,
                    text,
                    "pack",
                    "a pack manifest needs a [pack] table",
                    "start it with '[pack]', then 'name = \"...\"' and 'version = \"...\"'",
                )
            ]
        )
    problems = check_keys(data, ["pack"], shown, text, "the manifest")
    problems += check_keys(pack, _KEYS, shown, text, "[pack]")
    problems += _value_problems(pack, shown, text)
    if problems:
        raise RuleBaseError(problems)
    values = {key: str(pack.get(key, "")) for key in _TEXT_KEYS}
    return PackManifest(
        shown,
        values["name"],
        values["version"],
        values["needs-contract"],
        values["needs-rulebase"],
        values["author"],
        values["licence"] or str(pack.get("license", "")),
        tuple(pack.get("sources", ())),
        text,
    )


def _value_problems(pack: dict[str, object], shown: str, text: str) -> list[Diagnostic]:
    problems = []
    for key in _REQUIRED:
        if key not in pack:
            line = table_line(text, "pack")
            problems.append(
                value_error(shown, text, "pack", f"[pack] (line {line}): missing key '{key}'")
            )
    for key in (*_TEXT_KEYS, "license"):
        if key in pack and not isinstance(pack[key], str):
            problems.append(value_error(shown, text, key, f"'{key}' must be text in quotes"))
    sources = pack.get("sources", [])
    if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
        problems.append(value_error(shown, text, "sources", "'sources' must be a list of text"))
    for key in ("version",):
        value = pack.get(key)
        if isinstance(value, str) and parse_version(value) is None:
            problems.append(
                value_error(shown, text, key, f"'{key}' must be numbers and dots (like \"1.2.0\")")
            )
    for key in ("needs-contract", "needs-rulebase"):
        value = pack.get(key)
        if isinstance(value, str):
            try:
                parse_spec(value)
            except ValueError as exc:
                problems.append(value_error(shown, text, key, f"'{key}': {exc}"))
    return problems


def check_needs(manifest: PackManifest, rulebase: tuple[str, str] | None) -> list[Diagnostic]:
    """Problems when this program or the bundled rule base (name, version) is not the
    version the pack needs. ``rulebase`` None: the bundled base is not loaded, so the
    pack's need of it is not checked."""
    text = manifest.text
    problems = []
    if manifest.needs_contract and not satisfies(CONTRACT_VERSION, manifest.needs_contract):
        problems.append(
            value_error(
                manifest.path,
                text,
                "needs-contract",
                f"{manifest.label} needs contract {manifest.needs_contract}, but this "
                f"legpress-diag implements contract {CONTRACT_VERSION}",
                "install a legpress-diag that implements it, or a version of the pack "
                "written for this one",
            )
        )
    if rulebase and manifest.needs_rulebase and not satisfies(rulebase[1], manifest.needs_rulebase):
        problems.append(
            value_error(
                manifest.path,
                text,
                "needs-rulebase",
                f"{manifest.label} needs bundled rule base {manifest.needs_rulebase}, but the "
                f"bundled rule base is {rulebase[0]} {rulebase[1]}",
                "use a version of the pack written for this rule base, or change "
                "'needs-rulebase' once you have checked the pack with `rules lint` and "
                "`rules test`",
            )
        )
    return problems


_OPERATORS = ("==", "!=", ">=", "<=", ">", "<")
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"1.2.0"`` -> (1, 2, 0); None for anything but numbers and dots."""
    text = text.strip()
    if not re.fullmatch(r"\d+(\.\d+)*", text):
        return None
    return tuple(int(part) for part in text.split("."))


def parse_spec(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    """``">=1.0, <2"`` -> [(">=", (1, 0)), ("<", (2,))]. Raises ValueError.

    A bare version means ``==``. Only numbers and dots: a pack's needs are plain.
    """
    clauses = []
    for part in spec.split(","):
        part = part.strip()
        op = next((o for o in _OPERATORS if part.startswith(o)), "==")
        version = parse_version(part.removeprefix(op) if part.startswith(op) else part)
        if version is None:
            raise ValueError(
                f'cannot read {part!r} as a version need (write like ">=3" or ">=1.0, <2")'
            )
        clauses.append((op, version))
    return clauses


def satisfies(version: str, spec: str) -> bool:
    """Does ``version`` meet every clause of ``spec``? Versions compare part by part,
    a missing part counting as 0 (``1.0`` == ``1``). A version that is not numbers
    and dots never does."""
    have = parse_version(version)
    if have is None:
        return False
    for op, need in parse_spec(spec):
        width = max(len(have), len(need))
        a = have + (0,) * (width - len(have))
        b = need + (0,) * (width - len(need))
        if not _COMPARE[op](a, b):
            return False
    return True
