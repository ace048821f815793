"""The targets table of docs/performance.md, made from benchmarks/results/latest.json.

    python benchmarks/targets_table.py           # print the table
    python benchmarks/targets_table.py --write   # put it into docs/performance.md

The table sits between two markers in the page, so the figures people read there are
the ones the last run wrote; tests/test_benchmark_floor.py checks that they agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
PAGE = HERE.parent / "docs" / "performance.md"
START, END = "<!-- targets:start -->", "<!-- targets:end -->"


def _goal(goal: str) -> str:
    """'>= 2.0x' as '≥ 2×', '<= 3 KB' as '≤ 3 KB'."""
    shown = goal.replace(">=", "≥").replace("<=", "≤").replace(".0x", "×").replace("x", "×")
    return shown


def _value(target: dict[str, Any]) -> str:
    return f"{target['value']:.2f} KB" if "KB" in target["goal"] else f"{target['value']:.2f}×"


def table(results: dict[str, Any]) -> str:
    """Every target of the run with its value and whether it was met, then the bounds
    that no code of ours can go below."""
    rows = ["| target | this run | goal | |", "|---|---:|---|---|"]
    for target in results.get("targets", []):
        verdict = "met" if target["met"] else "**missed**"
        rows.append(
            f"| {target['target']} | {_value(target)} | {_goal(target['goal'])} | {verdict} |"
        )
    bounds = results.get("bounds", [])
    if bounds:
        rows += ["", "Bounds on those targets, from the same run:", ""]
        rows += ["| bound | this run |", "|---|---:|"]
        for bound in bounds:
            unit = " KB" if "(KB)" in bound["bound"] else "×"
            rows.append(f"| {bound['bound']} | {bound['value']:.2f}{unit} |")
    return "\n".join(rows)


def block(results: dict[str, Any]) -> str:
    return f"{START}\n{table(results)}\n{END}"


def in_page(page: str) -> str:
    """The marked block as the page has it."""
    start, end = page.index(START), page.index(END) + len(END)
    return page[start:end]


def main(argv: list[str]) -> int:
    results = json.loads(RESULTS.read_text())
    if "--write" in argv:
        page = PAGE.read_text()
        PAGE.write_text(page.replace(in_page(page), block(results)))
        print(f"{PAGE}: written")
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
