"""Mutation score per module, from mutmut's results in mutants/ (run by `make mutation`).

mutmut 3 keeps, for each mutated file, the exit code of the tests for each mutant in
``mutants/<path>.meta``: 1 (or another failure) means a test killed the mutant, 0 that
it survived; a missing code means it was not run. This prints the table that
docs/mutation.md holds, with each survivor named so it can be read (`mutmut show`).

Survivors that no test can kill, because the mutant behaves exactly as the code does,
are listed in tools/mutation_equivalent.toml with the reason, group by group; the page
shows them apart from the survivors still to be killed. They still count as survivors
in the score: the score is what the tests kill, nothing is taken out of it. An entry
that no longer names a survivor (the code moved, so mutmut numbers its mutants anew)
is reported on stderr, so the list is read again rather than trusted.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

# Exit codes mutmut records that are not a kill by a failing test.
SURVIVED = 0
NOT_RUN = (None, 33, 34)  # no tests / skipped
TARGET = 0.90
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.toml")


def _equivalent_groups() -> list[tuple[str, list[str]]]:
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return [(group["reason"].strip(), list(group["mutants"])) for group in data["group"]]


def main() -> int:
    rows, survivors = [], set()
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        module = meta.relative_to("mutants").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        run = {k: c for k, c in codes.items() if c not in NOT_RUN}
        killed = sum(1 for c in run.values() if c != SURVIVED)
        module_survivors = {k for k, c in run.items() if c == SURVIVED}
        rows.append((module, killed, len(run), module_survivors))
        survivors |= module_survivors
    if not any(total for _, _, total, _ in rows):
        print("no mutmut results in mutants/: run `make mutation`", file=sys.stderr)
        return 2
    groups = _equivalent_groups()
    equivalent = {name for _, names in groups for name in names}
    stale = sorted(equivalent - survivors)
    for name in stale:
        print(f"{EQUIVALENT.name}: {name} is not a survivor of this run", file=sys.stderr)
    print("# Mutation score\n")
    print("Written by `make mutation` (mutmut over the modules `[tool.mutmut]` names in")
    print("pyproject.toml, against the tests it lists). A killed mutant is a change to the")
    print(f"code that some test notices. Target: {TARGET:.0%} killed per module. An")
    print("equivalent survivor behaves exactly as the code does, so no test can kill it;")
    print("it still counts against the score.\n")
    print("| module | killed | mutants | score | equivalent survivors | other survivors |")
    print("|---|---:|---:|---:|---:|---:|")
    for module, killed, total, found in rows:
        if not total:
            print(f"| `{module}` | - | 0 | not run | - | - |")
            continue
        same = len(found & equivalent)
        print(
            f"| `{module}` | {killed} | {total} | {killed / total:.1%} | {same} "
            f"| {len(found) - same} |"
        )
    print("\n## Equivalent survivors\n")
    print("Read one with `mutmut show NAME`. Why each group cannot be killed (the list is")
    print(f"tools/{EQUIVALENT.name}):\n")
    for reason, names in groups:
        listed = sorted(name for name in names if name in survivors)
        if not listed:
            continue
        print(f"- {' '.join(reason.split())}\n")
        for name in listed:
            print(f"  - `{name}`")
        print()
    print("## Other survivors\n")
    other = sorted(survivors - equivalent)
    if not other:
        print("None: every survivor is one of the equivalent ones above.")
    for name in other:
        print(f"- `{name}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
