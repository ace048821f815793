"""Mutation score per module, from mutmut's results in mutants/ (run by `make mutation`).

mutmut 3 keeps, for each mutated file, the exit code of the tests for each mutant in
``mutants/<path>.meta``: 1 (or another failure) means a test killed the mutant, 0 that
it survived; a missing code means it was not run. This prints the table that
docs/mutation.md holds, with each survivor named so it can be read (`mutmut show`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Exit codes mutmut records that are not a kill by a failing test.
SURVIVED = 0
NOT_RUN = (None, 33, 34)  # no tests / skipped
TARGET = 0.90


def main() -> int:
    rows, survivors = [], []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        module = meta.relative_to("mutants").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        run = {k: c for k, c in codes.items() if c not in NOT_RUN}
        killed = sum(1 for c in run.values() if c != SURVIVED)
        rows.append((module, killed, len(run)))
        survivors += [k for k, c in run.items() if c == SURVIVED]
    if not rows:
        print("no mutmut results in mutants/: run `make mutation`", file=sys.stderr)
        return 2
    print("# Mutation score\n")
    print("Written by `make mutation` (mutmut over the modules `[tool.mutmut]` names in")
    print("pyproject.toml, against the tests it lists). A killed mutant is a change to the")
    print(f"code that some test notices. Target: {TARGET:.0%} killed per module.\n")
    print("| module | killed | mutants | score |")
    print("|---|---:|---:|---:|")
    for module, killed, total in rows:
        print(f"| `{module}` | {killed} | {total} | {killed / total:.1%} |")
    print("\n## Survivors\n")
    print("Read one with `mutmut show NAME`.\n")
    for name in sorted(survivors):
        print(f"- `{name}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
