"""`rules show --origin ID`: which file's definition of an id won, and what it replaced.

The files are read and merged as a load would, without compiling, so the answer is
there even while the rule base has other problems (two packs replacing one id, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..foundation.problems import RuleBaseError, did_you_mean
from ..knowledge.bundled import shown_name
from ..knowledge.loader import SECTIONS, Entry, merge, read_all, rule_files
from ..knowledge.packs import RuleSources
from ..knowledge.sources import SINGULAR


@dataclass(frozen=True)
class Definition:
    where: str  # file:line:col
    layer: str  # "bundled", "--rules", "project config pyproject.toml", ...


@dataclass(frozen=True)
class Origin:
    kind: str  # question, cause, fix, ...
    ident: str
    winner: Definition
    replaced: tuple[Definition, ...]
    refused: tuple[Definition, ...] = ()  # other replacements: an error (LP201)


def find_origins(ident: str, sources: RuleSources, *, include_bundled: bool = True) -> list[Origin]:
    """Every definition named ``ident`` (a question and a cause may share a name).

    Raises KeyError (with the likely id) when nothing has that id, and RuleBaseError
    when a file cannot be read.
    """
    files = rule_files(sources.paths, include_bundled)
    parsed, problems = read_all(files, partial=True)
    if problems and not parsed:
        raise RuleBaseError(problems)
    by_name = {shown_name(path): path for path in files}
    merged = merge(parsed)

    def definition(entry: Entry) -> Definition:
        path = by_name.get(entry.file.path)
        return Definition(str(entry.span), sources.layer_of(path) if path else "bundled")

    found = []
    for section in SECTIONS:
        entry = merged.sections[section].get(ident)
        if entry is None:
            continue
        replaced = merged.replaced.get((section, ident), [])
        found.append(
            Origin(
                SINGULAR[section],
                ident,
                definition(entry),
                tuple(definition(e) for e in replaced),
                tuple(definition(e) for e in merged.refused.get((section, ident), [])),
            )
        )
    if not found:
        every = {i for table in merged.sections.values() for i in table}
        hint = did_you_mean(ident, every)
        raise KeyError(f"nothing has the id '{ident}'" + (f" ({hint})" if hint else ""))
    return found


def origin_lines(origins: Sequence[Origin]) -> list[str]:
    lines = []
    for origin in origins:
        lines.append(
            f"{origin.kind} '{origin.ident}': {origin.winner.where} ({origin.winner.layer})"
        )
        lines += [f"  replaces {old.where} ({old.layer})" for old in origin.replaced]
        if not origin.replaced:
            lines.append("  replaces nothing: this is its only definition")
        lines += [
            f"  error: {old.where} ({old.layer}) replaces it too; only one file may"
            for old in origin.refused
        ]
    return lines
