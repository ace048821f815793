"""The generated tables of docs/performance.md (targets, engines, the service), made
from benchmarks/results/latest.json.

    python benchmarks/targets_table.py           # print the table
    python benchmarks/targets_table.py --write   # put it into docs/performance.md

Each table sits between two markers in the page, so the figures people read there
are the ones the last run wrote, with the date and load of the run that measured
them; tests/test_benchmark_floor.py checks that they agree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
PAGE = HERE.parent / "docs" / "performance.md"


def _goal(goal: str) -> str:
    """'>= 2.0x' as '≥ 2×', '<= 3 KB' as '≤ 3 KB'."""
    shown = goal.replace(">=", "≥").replace("<=", "≤").replace(".0x", "×").replace("x", "×")
    return shown


def _value(target: dict[str, Any]) -> str:
    return f"{target['value']:.2f} KB" if "KB" in target["goal"] else f"{target['value']:.2f}×"


def table(results: dict[str, Any]) -> str:
    """Every target with its value, what it was made of, whether it was met and when
    (which run measured its section), then the bounds no code of ours can go below."""
    rows = ["| target | value | goal | | measured |", "|---|---:|---|---|---|"]
    dates = results.get("measured", {})
    for target in results.get("targets", []):
        verdict = "met" if target["met"] else "**missed**"
        detail = f" ({target['detail']})" if target.get("detail") else ""
        when = dates.get(target.get("section", ""), {})
        at = f"{when['at']} UTC, load {when['load']:.1f}" if when else "an earlier run"
        rows.append(
            f"| {target['target']} | {_value(target)}{detail} | {_goal(target['goal'])} "
            f"| {verdict} | {at} |"
        )
    bounds = results.get("bounds", [])
    if bounds:
        rows += ["", "Bounds on those targets, from the same run:", ""]
        rows += ["| bound | this run |", "|---|---:|"]
        for bound in bounds:
            unit = " KB" if "(KB)" in bound["bound"] else "×"
            rows.append(f"| {bound['bound']} | {bound['value']:.2f}{unit} |")
    return "\n".join(rows)


def _when(results: dict[str, Any], section: str) -> str:
    when = results.get("measured", {}).get(section)
    if not when:
        return "Measured in a run before dates were kept."
    return f"Measured {when['at']} UTC, load average {when['load']:.1f}."


ENGINE_NAMES = {
    "ours: engine via API (ranked)": "ours: engine through the API",
    "ours: full diagnosis via API, default result": (
        "ours: full diagnosis through the API, default result"
    ),
    "ours: full diagnosis via API, explain=True": (
        "ours: full diagnosis through the API, `explain=True`"
    ),
    "CLIPS 6.4 / clipspy with the ReleaseFact fix": "CLIPS with the `ReleaseFact` fix",
    "CLIPS 6.4 / clipspy as shipped": "CLIPS as clipspy ships it",
    "experta 1.9.4": "experta",
}


def engines_table(results: dict[str, Any]) -> str:
    """Records/s of each engine, and its ratios to CLIPS (with the fix) and experta."""
    rows = results.get("engines", {})
    clips = rows.get("CLIPS 6.4 / clipspy with the ReleaseFact fix")
    experta = rows.get("experta 1.9.4")
    lines = ["| | records/s | vs CLIPS | vs experta |", "|---|---:|---:|---:|"]
    for name, shown in ENGINE_NAMES.items():
        if name in rows and clips and experta:
            rate = rows[name]
            lines.append(
                f"| {shown} | {rate:,.0f} | {_ratio(rate / clips)} | {_ratio(rate / experta)} |"
            )
    return "\n".join([*lines, "", _when(results, "engines")])


def _ratio(value: float) -> str:
    return f"{value:.2f}×" if value < 10 else f"{value:,.0f}×"


SERVE_CASES = {
    "diagnose": "`/v1/diagnose`, one record",
    "interview start": "`/v1/interview`, first step",
    "interview step": "`/v1/interview`, mid-way step",
}


def serve_table(results: dict[str, Any]) -> str:
    """The service against its floor, as benchmarks/serve_floor.py measured it."""
    serve = results.get("serve", {})
    lines = [
        "| request | floor requests/s | ours requests/s | ratio (target ≥ 0.5×) "
        "| floor p99 | ours p99 | ratio (target ≤ 3×) | errors "
        "| CPU per request, floor / ours | the work alone | ours less the work |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for case, shown in SERVE_CASES.items():
        row = serve.get(case)
        if not isinstance(row, dict):
            continue
        floor, ours = row["floor"], row["ours"]
        lines.append(
            f"| {shown} | {floor['requests_per_s']:,.0f} | {ours['requests_per_s']:,.0f} "
            f"| {row['rate_vs_floor']:.2f}× | {floor['p99_ms']:.1f} ms | {ours['p99_ms']:.1f} ms "
            f"| {row['p99_vs_floor']:.2f}× | {ours['errors']} "
            f"| {floor['cpu_us_per_request']:.0f} / {ours['cpu_us_per_request']:.0f} µs "
            f"| {row['work_us']:.0f} µs | {row['path_us']:.0f} µs |"
        )
    rounds = f"{serve.get('connections', 32)} connections, {serve.get('rounds', 3)} rounds of "
    rounds += f"{serve.get('seconds', 10):g} s, the median round. "
    return "\n".join([*lines, "", rounds + _when(results, "serve")])


STARTUP_NAMES = {
    "python -c pass": "`python -c pass`",
    "python -c 'import typer, rich, pydantic, yaml'": (
        '`python -c "import typer, rich, pydantic, yaml"`'
    ),
    "python -c 'import typer, rich, pydantic, yaml, typer._adapters'": (
        "the same plus `typer._adapters`"
    ),
    "bare typer app --help": "a bare typer app's `--help`",
    "typer app with diagnose's parameters, one record": (
        "a typer app with `diagnose`'s parameters that does nothing "
        "(`benchmarks/typer_floor.py`), one record"
    ),
    "legpress-diag --version": "`legpress-diag --version`",
    "legpress-diag --help": "`legpress-diag --help`",
    "legpress-diag diagnose (one record)": "`legpress-diag diagnose` of one record",
}


def startup_table(results: dict[str, Any]) -> str:
    """Start-up times, and each against importing the four libraries."""
    rows = results.get("startup_ms", {})
    imports = rows.get("python -c 'import typer, rich, pydantic, yaml'")
    lines = ["| | ms | vs the four imports |", "|---|---:|---:|"]
    for name, shown in STARTUP_NAMES.items():
        if name in rows and imports:
            lines.append(f"| {shown} | {rows[name]:.1f} | {rows[name] / imports:.2f}× |")
    return "\n".join([*lines, "", _when(results, "startup_ms")])


def interactive_line(results: dict[str, Any]) -> str:
    """The questionnaire's next-question time and the exhaustive lint's."""
    q = results.get("questionnaire_next_step_ms")
    lint = results.get("lint_exhaustive_s")
    if not q or not lint:
        return "Not measured."
    return (
        f"The questionnaire decides its next question in {q['median']:.3f} ms (median; "
        f"{q['max']:.2f} ms at most) over a {q['steps']}-step session; `rules lint` with "
        f"the exhaustive walk of every cause's answer space takes {lint['total']:.2f} s. "
        + _when(results, "questionnaire_next_step_ms")
    )


# Each generated block of the page: its markers and what fills it.
BLOCKS = {
    "targets": table,
    "engines": engines_table,
    "serve": serve_table,
    "startup": startup_table,
    "interactive": interactive_line,
}


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def block(results: dict[str, Any], name: str = "targets") -> str:
    start, end = markers(name)
    return f"{start}\n{BLOCKS[name](results)}\n{end}"


def in_page(page: str, name: str = "targets") -> str:
    """The marked block as the page has it."""
    start, end = markers(name)
    first, last = page.index(start), page.index(end) + len(end)
    return page[first:last]


def main(argv: list[str]) -> int:
    results = json.loads(RESULTS.read_text())
    if "--write" in argv:
        page = PAGE.read_text()
        for name in BLOCKS:
            page = page.replace(in_page(page, name), block(results, name))
        PAGE.write_text(page)
        print(f"{PAGE}: written")
    else:
        for name in BLOCKS:
            print(BLOCKS[name](results), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
