"""legpress-diag benchmarks: one command, everything measured side by side.

    pip install -e '.[bench]' && pip install --no-deps experta==1.9.4
    python benchmarks/run.py                # full run (several minutes)
    python benchmarks/run.py --quick        # smaller N, no million-record run

Prints a table of medians and ratios and writes the raw figures to
benchmarks/results/latest.json. Nothing here asserts a timing; the figures are
read by people (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workload import (  # noqa: E402
    bundled_records,
    complete_records,
    synthetic_records,
    synthetic_rulebase_yaml,
    write_jsonl,
)

from legpress_diag.api import bundled_rulebase, diagnose  # noqa: E402
from legpress_diag.intake.answers import normalize_answers  # noqa: E402
from legpress_diag.knowledge.loader import load_rulebase  # noqa: E402
from legpress_diag.knowledge.rulebase import RuleBase  # noqa: E402
from legpress_diag.reasoning.engine import ranked  # noqa: E402

RESULTS: dict[str, Any] = {}


def median_rate(fn: Callable[[], int], repeats: int) -> tuple[float, list[float]]:
    """Median records/s over ``repeats`` runs of ``fn`` (which returns how many it did)."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        count = fn()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), rates


def rank_all(
    engine: Callable[[dict[str, Any]], list[tuple[str, float]]], records: list[dict[str, Any]]
) -> int:
    for answers in records:
        engine(answers)
    return len(records)


def check_identical(
    name: str, engine: Callable[[dict[str, Any]], Any], rb: RuleBase, records: list[dict[str, Any]]
) -> int:
    mismatches = sum(1 for r in records if engine(r) != ranked(rb, r))
    RESULTS.setdefault("identical", {})[name] = {"records": len(records), "mismatches": mismatches}
    return mismatches


def engines(args: argparse.Namespace) -> None:
    rb = bundled_rulebase()
    raw = list(bundled_records(rb, args.n))
    records = [normalize_answers(rb, r["answers"])[0] for r in raw]
    rows: dict[str, float] = {}
    rows["ours: engine via API (ranked)"], _ = median_rate(
        lambda: rank_all(lambda a: ranked(rb, a), records), args.repeats
    )
    rows["ours: full diagnosis via API, default result"], _ = median_rate(
        lambda: sum(1 for r in raw if diagnose(r, rb)), args.repeats
    )
    rows["ours: full diagnosis via API, explain=True"], _ = median_rate(
        lambda: sum(1 for r in raw if diagnose(r, rb, explain=True)), args.repeats
    )
    try:
        from clips_engine import ClipsEngine

        shipped = ClipsEngine(rb, release_fix=False)
        rows["CLIPS 6.4 / clipspy as shipped"], _ = median_rate(
            lambda: rank_all(shipped.rank, records), 1
        )
        fixed = ClipsEngine(rb, release_fix=True)
        check_identical("clips", fixed.rank, rb, records[:1000])
        rows["CLIPS 6.4 / clipspy with the ReleaseFact fix"], _ = median_rate(
            lambda: rank_all(fixed.rank, records), args.repeats
        )
    except ImportError:
        print("clipspy not installed: skipping CLIPS (pip install -e '.[bench]')")
    try:
        from experta_engine import ExpertaEngine

        experta = ExpertaEngine(rb)
        sample = records[: args.n_experta]
        check_identical("experta", experta.rank, rb, sample)
        # A median of several runs, as for every engine: one run of experta moved the
        # ratio by 10% between otherwise identical runs (280x to 304x).
        rows["experta 1.9.4"], _ = median_rate(
            lambda: rank_all(experta.rank, sample), args.repeats_slow
        )
    except ImportError:
        print("experta not installed: skipping it (pip install --no-deps experta==1.9.4)")
    RESULTS["engines"] = rows


WORKLOADS = {
    # Every form question answered at random (one in six left out), no safety answers:
    # the records the engines are compared on.
    "benchmark": bundled_records,
    # Every question answered, the safety screen all "no": the second case.
    "complete": complete_records,
}


def _cli(source: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "legpress_diag", "diagnose", str(source), "-o", str(out), "-q"]
    return command + (["--jobs", str(jobs)] if jobs > 1 else []) + list(extra)


def floor_and_cli(args: argparse.Namespace, tmp: Path) -> None:
    """The command line end to end (start-up included) on each workload, beside the
    JSON floor for results of the same size: read the file, json.loads each line,
    json.dumps a result of the mean size, write it."""
    from legpress_diag.presentation.render.json_codec import encode

    rb = bundled_rulebase()
    rows: dict[str, float] = {}
    sizes: dict[str, float] = {}
    for workload, make in WORKLOADS.items():
        source = write_jsonl(iter(make(rb, args.n_cli)), tmp / f"{workload}.jsonl")
        sample = list(make(rb, 200))
        for explain in (False, True):
            texts = [encode(diagnose(r, rb, explain=explain)) for r in sample]
            sizes[f"{workload}, {'--explain' if explain else 'default'}"] = statistics.mean(
                len(t.encode()) for t in texts
            )
        sizes[f"{workload}, contract minimum"] = statistics.mean(
            len(encode(contract_minimum(diagnose(r, rb))).encode()) for r in sample
        )
        results = [json.loads(t) for t in (encode(diagnose(r, rb)) for r in sample)]

        def floor(source: Path = source, results: list[Any] = results) -> int:
            count = 0
            with source.open("rb") as f, (tmp / "floor.jsonl").open("w") as out:
                for count, line in enumerate(f, 1):
                    json.loads(line)
                    out.write(json.dumps(results[count % len(results)]) + "\n")
            return count

        rows[f"JSON floor, {workload}"], _ = median_rate(floor, args.repeats)
        runs = [(jobs, ()) for jobs in args.jobs]
        runs += [(1, ("--explain",))] if workload == "benchmark" else []
        for jobs, extra in runs:
            command = _cli(source, tmp / "out.jsonl", jobs, *extra)

            def cli(command: list[str] = command) -> int:
                subprocess.run(command, check=False)
                return args.n_cli

            label = " ".join(["diagnose", *extra, f"--jobs {jobs}"])
            rows[f"CLI {label}, {workload}"], _ = median_rate(cli, args.repeats)
    RESULTS["cli"] = rows
    RESULTS["cli_records"] = args.n_cli
    RESULTS["result_bytes"] = {**sizes, **vignette_sizes(rb)}


def contract_minimum(result: Any) -> dict[str, Any]:
    """The least of a result that contract.md section 3 requires: each cause's id,
    title, certainty, the ids of its fixes and the answers and rules behind it; each
    alternative's id, title and why; the flags, errors, warnings (the incomplete
    screen's names the unanswered keys) and the rule base. No fix titles, no plan,
    no ranks: the smallest result a client could be given at all."""
    return {
        "id": result["id"],
        "status": result["status"],
        "causes": [
            {
                "id": cause["id"],
                "title": cause["title"],
                "certainty": cause["certainty"],
                "fixes": [fix["id"] for fix in cause["fixes"]],
                "because": cause["because"],
            }
            for cause in result["causes"]
        ],
        "alternatives": [
            {"id": alt["id"], "title": alt["title"], "why": alt["why"]}
            for alt in result["alternatives"]
        ],
        "red_flags": result["red_flags"],
        "errors": result["errors"],
        "warnings": result["warnings"],
        "rulebase": result["rulebase"],
    }


def vignette_sizes(rb: RuleBase) -> dict[str, float]:
    """Mean result size on the 44 lifter vignettes (tests/vignettes/lifters.yaml):
    real lifters' stories, the screen answered "no" as in the vignette tests."""
    import yaml

    from legpress_diag.presentation.render.json_codec import encode

    path = HERE.parent / "tests" / "vignettes" / "lifters.yaml"
    if not path.exists():
        return {}
    safety = [q for q in rb.safety_questions() if rb.questions[q].type.value == "yes_no"]
    records = []
    for vignette in yaml.safe_load(path.read_text())["vignettes"]:
        answers = {k: v for k, v in vignette["answers"].items() if v != "?"}
        answers.update({q: "no" for q in safety if not rb.questions[q].replaced_by})
        answers["age_years"] = vignette["age"]
        records.append({"id": vignette["id"], "answers": answers})
    sizes = {
        f"lifter vignettes, {'--explain' if explain else 'default'}": statistics.mean(
            len(encode(diagnose(r, rb, explain=explain)).encode()) for r in records
        )
        for explain in (False, True)
    }
    sizes["lifter vignettes, contract minimum"] = statistics.mean(
        len(encode(contract_minimum(diagnose(r, rb))).encode()) for r in records
    )
    return sizes


def scaling(args: argparse.Namespace, tmp: Path) -> None:
    rows: dict[str, dict[str, float]] = {}
    for size in args.scaling:
        path = tmp / f"synthetic-{size}.yaml"
        path.write_text(synthetic_rulebase_yaml(size))
        started = time.perf_counter()
        rb = load_rulebase([path], include_bundled=False)
        load_seconds = time.perf_counter() - started
        n = max(30, min(2000, 200_000 // size))
        records = synthetic_records(n)
        ours, _ = median_rate(
            lambda rb=rb, records=records: rank_all(lambda a: ranked(rb, a), records), args.repeats
        )
        row = {"rules": size, "load_s": load_seconds, "records": n, "ours_ms": 1000 / ours}
        fired = sum(len(ranked_support(rb, r)) for r in records) / n
        row["rules_firing_per_record"] = fired
        try:
            from clips_engine import ClipsEngine

            clips_engine = ClipsEngine(rb, release_fix=True)
            sample = records[: min(n, 100)]
            row["mismatches"] = sum(1 for r in sample if clips_engine.rank(r) != ranked(rb, r))
            rate, _ = median_rate(lambda e=clips_engine, s=sample: rank_all(e.rank, s), 1)
            row["clips_ms"] = 1000 / rate
        except ImportError:
            pass
        rows[str(size)] = row
    RESULTS["scaling"] = rows


def ranked_support(rb: RuleBase, answers: dict[str, Any]) -> dict[str, float]:
    from legpress_diag.reasoning.engine import infer

    return infer(rb, answers, trace=False).premises


# Start-up is timed as users get it: with Python's bytecode cache, which a normal
# install writes. Some machines set PYTHONDONTWRITEBYTECODE, which would make every
# run of an editable install recompile its modules; one warm-up run fills the cache.
STARTUP_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_rounds(commands: dict[str, tuple[list[str], bytes]], runs: int) -> dict[str, float]:
    """Median ms of each command, the commands run in turn, ``runs`` rounds.

    Round by round rather than command by command: on a shared machine the load
    drifts over a minute, and timing each command in its own stretch of that minute
    moved the one-record start from 1.40x to 1.88x its floor between two runs of the
    same code. In turns, every command sees the same load, so the ratios hold."""
    for command, stdin in commands.values():  # warm-up: bytecode and rule-base caches
        subprocess.run(command, input=stdin, capture_output=True, check=False, env=STARTUP_ENV)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, stdin) in commands.items():
            started = time.perf_counter()
            subprocess.run(command, input=stdin, capture_output=True, check=False, env=STARTUP_ENV)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def startup(args: argparse.Namespace) -> None:
    py = sys.executable
    script = str(Path(sys.executable).with_name("legpress-diag"))
    one = b'{"answers": {"butt_lifts_off_seat": "yes"}}\n'
    commands = {
        "python -c pass": ([py, "-c", "pass"], b""),
        "python -c 'import typer, rich, pydantic, yaml'": (
            [py, "-c", "import typer, rich, pydantic, yaml"],
            b"",
        ),
        # typer 0.29 coerces every parameter of a command through a pydantic
        # TypeAdapter, importing typer._adapters (and much of pydantic) on every run
        # of a command that takes options: the floor for any typer command but --help.
        "python -c 'import typer, rich, pydantic, yaml, typer._adapters'": (
            [py, "-c", "import typer, rich, pydantic, yaml, typer._adapters"],
            b"",
        ),
        "bare typer app --help": ([py, str(HERE / "bare_typer.py"), "--help"], b""),
        # The floor for the one-record run: diagnose's own parameters, no work.
        "typer app with diagnose's parameters, one record": (
            [py, str(HERE / "typer_floor.py"), "diagnose", "-"],
            one,
        ),
        "legpress-diag --version": ([script, "--version"], b""),
        "legpress-diag --help": ([script, "--help"], b""),
        "legpress-diag diagnose (one record)": ([script, "diagnose", "-"], one),
    }
    RESULTS["startup_ms"] = timed_rounds(commands, args.startup_runs)


def peak_rss_kb(command: Sequence[str], stdout: Path) -> int:
    with stdout.open("wb") as out:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *command], stdout=out, stderr=subprocess.PIPE, check=False
        )
    return int(result.stderr.decode().strip().splitlines()[-1])


def memory(args: argparse.Namespace, tmp: Path) -> None:
    rb = bundled_rulebase()
    rows = {}
    for n in args.memory:
        source = write_jsonl(iter(bundled_records(rb, n)), tmp / f"mem-{n}.jsonl")
        command = [
            sys.executable,
            "-m",
            "legpress_diag",
            "diagnose",
            str(source),
            "-f",
            "jsonl",
            "-q",
        ]
        rows[str(n)] = peak_rss_kb(command, Path(os.devnull))
        source.unlink()
    RESULTS["peak_rss_kb"] = rows


def questionnaire_and_lint() -> None:
    from legpress_diag.authoring.lint import lint
    from legpress_diag.intake.questionnaire import SessionState, next_step

    rb = bundled_rulebase()
    durations = []
    state = SessionState()
    for _ in range(40):
        started = time.perf_counter()
        step = next_step(rb, state)
        durations.append(time.perf_counter() - started)
        if not hasattr(step, "question"):
            break
        question = step.question
        value = False if question.type.value == "yes_no" and question.group == "safety" else None
        if question.id in ("pelvis_tucks_under", "lower_back_rounds"):
            value = True
        state = state.answer(question.id, value)
    started = time.perf_counter()
    report = lint()
    RESULTS["questionnaire_next_step_ms"] = {
        "median": statistics.median(durations) * 1000,
        "max": max(durations) * 1000,
        "steps": len(durations),
    }
    RESULTS["lint_exhaustive_s"] = {
        "total": time.perf_counter() - started,
        "walk": report.exhaustive_seconds,
    }


def service(args: argparse.Namespace) -> None:
    """`serve` against its floor, with wrk (benchmarks/serve_floor.py)."""
    import serve_floor

    RESULTS["serve"] = serve_floor.measure(32, args.serve_seconds, args.serve_rounds)


def service_targets() -> list[tuple[str, float, str, bool]]:
    """Issue 25's targets for the service: ratios to its floor in the same run."""
    rows: list[tuple[str, float, str, bool]] = []
    for case, row in RESULTS.get("serve", {}).items():
        if not isinstance(row, dict) or "rate_vs_floor" not in row:
            continue
        rate, p99 = row["rate_vs_floor"], row["p99_vs_floor"]
        clean = row["ours"]["errors"] == 0
        rows.append((f"serve {case}: requests/s vs floor", rate, ">= 0.5x", rate >= 0.5 and clean))
        rows.append((f"serve {case}: p99 vs floor", p99, "<= 3x", p99 <= 3.0 and clean))
        ours, floor = row["ours"], row["floor"]
        DETAILS[f"serve {case}: requests/s vs floor"] = (
            f"{ours['requests_per_s']:,.0f} vs {floor['requests_per_s']:,.0f} requests/s"
        )
        DETAILS[f"serve {case}: p99 vs floor"] = f"{ours['p99_ms']:.1f} vs {floor['p99_ms']:.1f} ms"
    return rows


# What a target's ratio was made of ("160.8 vs 150.0 ms"), printed and kept beside it.
DETAILS: dict[str, str] = {}
# The section of RESULTS each target is measured in, for its date (see ``measured``).
SECTIONS = {
    "10,000 rules": "scaling",
    "vs CLIPS": "cli",
    "JSON floor": "cli",
    "result size": "cli",
    "experta": "engines",
    "one-record start": "startup_ms",
    "serve ": "serve",
}


# The sections of RESULTS each step writes (a step may rewrite one kept from before).
STEP_SECTIONS = {
    "engines": ("engines",),
    "cli": ("cli", "result_bytes"),
    "scaling": ("scaling",),
    "startup": ("startup_ms",),
    "memory": ("peak_rss_kb",),
    "questionnaire": ("questionnaire_next_step_ms", "lint_exhaustive_s"),
    "serve": ("serve",),
}


def section_of(target: str) -> str:
    return next((key for part, key in SECTIONS.items() if part in target), "")


def measured(section: str) -> None:
    """When this run measured ``section``, and how loaded the machine was: with
    --only, the other sections are an earlier run's, and the page says which."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    RESULTS.setdefault("measured", {})[section] = {
        "at": stamp,
        "load": round(load, 2),
        "run": RUN,  # sections of one run share it (their "at" is when each ended)
    }


RUN = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())  # when this run started


def report() -> None:
    engines_rows = RESULTS.get("engines", {})
    clips = engines_rows.get("CLIPS 6.4 / clipspy with the ReleaseFact fix")
    experta = engines_rows.get("experta 1.9.4")
    print("\nRecords/s, median (engines: engine only; CLI: end to end, start-up included)")
    for name, rate in {**engines_rows, **RESULTS.get("cli", {})}.items():
        ratios = []
        if clips:
            ratios.append(f"{rate / clips:6.2f}x CLIPS")
        if experta:
            ratios.append(f"{rate / experta:8.1f}x experta")
        print(f"  {name:58} {rate:12,.0f}  {'  '.join(ratios)}")
    cli = RESULTS.get("cli", {})
    for name, rate in cli.items():
        workload = name.rsplit(", ", 1)[-1]
        floor = cli.get(f"JSON floor, {workload}")
        if name.startswith("CLI") and floor:
            print(f"  {name:58} {floor / rate:6.2f}x the JSON floor's time")
    if "result_bytes" in RESULTS:
        print("\nMean result size (compact JSON, bytes)")
        for name, size in RESULTS["result_bytes"].items():
            print(f"  {name:58} {size:8,.0f}")
    targets()
    if "identical" in RESULTS:
        print("\nSame ranked causes as our engine:", RESULTS["identical"])
    if "scaling" in RESULTS:
        print("\nScaling (ms per record)")
        for size, row in RESULTS["scaling"].items():
            clips_ms = row.get("clips_ms")
            ratio = f"  ours/CLIPS {row['ours_ms'] / clips_ms:.3f}" if clips_ms else ""
            print(
                f"  {size:>6} rules: ours {row['ours_ms']:.3f}  CLIPS {clips_ms or float('nan'):.3f}{ratio}"
                f"  (load {row['load_s']:.2f}s, {row['rules_firing_per_record']:.0f} rules firing/record,"
                f" mismatches {row.get('mismatches', '-')})"
            )
    if "startup_ms" in RESULTS:
        rows = RESULTS["startup_ms"]
        base = rows["bare typer app --help"]
        imports = rows["python -c 'import typer, rich, pydantic, yaml'"]
        print("\nStart-up (ms, median)")
        for name, ms in rows.items():
            print(
                f"  {name:48} {ms:7.1f}   {ms / base:5.2f}x bare typer --help   {ms / imports:5.2f}x imports"
            )
    if "peak_rss_kb" in RESULTS:
        rows = RESULTS["peak_rss_kb"]
        print("\nPeak RSS of diagnose, streaming (MB)")
        first = next(iter(rows.values()))
        for n, kb in rows.items():
            print(f"  {int(n):>9,} records: {kb / 1024:7.1f}   {kb / first:5.2f}x")
    if "serve" in RESULTS:
        import serve_floor

        serve_floor.report(RESULTS["serve"])
    if "questionnaire_next_step_ms" in RESULTS:
        q = RESULTS["questionnaire_next_step_ms"]
        print(
            f"\nQuestionnaire next question: median {q['median']:.2f} ms, max {q['max']:.2f} ms over {q['steps']} steps"
        )
        lint_s = RESULTS["lint_exhaustive_s"]
        print(f"Lint with exhaustive walk: {lint_s['total']:.2f} s (walk {lint_s['walk']:.2f} s)")


def _same_run(*sections: str) -> bool:
    """Whether these sections were measured in one run: this one, or the same dated one."""
    if all(section in FRESH for section in sections):
        return True
    runs = {RESULTS.get("measured", {}).get(section, {}).get("run") for section in sections}
    return None not in runs and len(runs) == 1 and not FRESH.intersection(sections)


def _when(section: str) -> str:
    """'this run', or the date an earlier run measured the section (--only)."""
    if section in FRESH:
        return "this run"
    at = RESULTS.get("measured", {}).get(section, {}).get("at")
    return f"earlier run ({at})" if at else "earlier run"


FRESH: set[str] = set()  # the sections of RESULTS measured in this run


def targets() -> None:
    """Issue 12's targets, each with its ratio from this run."""
    engines_rows, cli = RESULTS.get("engines", {}), RESULTS.get("cli", {})
    clips = engines_rows.get("CLIPS 6.4 / clipspy with the ReleaseFact fix")
    rows: list[tuple[str, float, str, bool]] = []
    bounds: list[tuple[str, float]] = []  # what limits a target from outside our code
    if clips and not _same_run("engines", "cli"):
        # CLIPS from one run and our command line from another: machines and loads
        # differ between runs, so the ratio would say nothing (a new user found four
        # targets "met" that way while the same page's tables said missed).
        print(
            "\nNot compared: diagnose vs CLIPS (the engines and cli sections are from "
            "different runs; run both: --only engines cli)"
        )
    elif clips:
        for workload in WORKLOADS:
            for jobs, goal in ((1, 2.0), (2, 3.0)):
                rate = cli.get(f"CLI diagnose --jobs {jobs}, {workload}")
                if rate:
                    ratio = rate / clips
                    rows.append(
                        (
                            f"diagnose --jobs {jobs} vs CLIPS, {workload}",
                            ratio,
                            f">= {goal}x",
                            ratio >= goal,
                        )
                    )
    for workload in WORKLOADS:
        rate, floor = (
            cli.get(f"CLI diagnose --jobs 1, {workload}"),
            cli.get(f"JSON floor, {workload}"),
        )
        if rate and floor:
            ratio = floor / rate
            rows.append((f"time vs the JSON floor, {workload}", ratio, "<= 2x", ratio <= 2.0))
    sizes = RESULTS.get("result_bytes", {})
    for name, size in sizes.items():
        if name.endswith("default"):
            workload = name.rsplit(",", 1)[0]
            rows.append(
                (f"default result size (KB), {workload}", size / 1024, "<= 3 KB", size <= 3072)
            )
            least = sizes.get(f"{workload}, contract minimum")
            if least:  # a bound, not a target: what no result can go below
                bounds.append((f"the contract's minimum (KB), {workload}", least / 1024))
    experta = engines_rows.get("experta 1.9.4")
    ours = engines_rows.get("ours: engine via API (ranked)")
    if experta and ours:
        rows.append(("engine vs experta", ours / experta, ">= 300x", ours / experta >= 300))
    big = RESULTS.get("scaling", {}).get("10000", {})
    if big.get("clips_ms"):
        ratio = big["ours_ms"] / big["clips_ms"]
        rows.append(("10,000 rules, time vs CLIPS", ratio, "<= 0.1x", ratio <= 0.1))
    start = RESULTS.get("startup_ms", {})
    if start:
        one = start["legpress-diag diagnose (one record)"]
        ratio = one / start["python -c 'import typer, rich, pydantic, yaml'"]
        rows.append(("one-record start vs import time", ratio, "<= 1.5x", ratio <= 1.5))
        adapters = start.get("python -c 'import typer, rich, pydantic, yaml, typer._adapters'")
        if adapters:
            ratio = one / adapters
            rows.append(
                ("one-record start vs those + typer's adapters", ratio, "<= 1.5x", ratio <= 1.5)
            )
        floor = start.get("typer app with diagnose's parameters, one record")
        if floor:
            # Issue 25: the one-record start against a typer command with the same
            # parameters that does nothing, i.e. what our own code adds.
            ratio = one / floor
            rows.append(("one-record start vs the typer floor", ratio, "<= 1.1x", ratio <= 1.1))
            DETAILS["one-record start vs the typer floor"] = f"{one:.1f} vs {floor:.1f} ms"
            imports = start["python -c 'import typer, rich, pydantic, yaml'"]
            bounds.append(("typer app with diagnose's parameters vs imports", floor / imports))
    rows += service_targets()
    if rows:
        print("\nIssue 12 and 25 targets (measured: this run, or the date of an earlier one)")
        for name, ratio, goal, met in rows:
            detail = f"  ({DETAILS[name]})" if name in DETAILS else ""
            print(
                f"  {name:48} {ratio:8.2f}   target {goal:9}  {'met' if met else 'MISSED':6}"
                f"  {_when(section_of(name))}{detail}"
            )
    if bounds:
        print("Bounds on those targets (no code of ours can go below them)")
        for name, value in bounds:
            print(f"  {name:48} {value:8.2f}")
    RESULTS["targets"] = [
        {
            "target": name,
            "value": ratio,
            "goal": goal,
            "met": met,
            "detail": DETAILS.get(name, ""),
            "section": section_of(name),
        }
        for name, ratio, goal, met in rows
    ]
    RESULTS["bounds"] = [{"bound": name, "value": value} for name, value in bounds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="small N and no million-record memory run"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="engines cli scaling startup memory questionnaire serve",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args(argv)
    args.n = 2_000 if args.quick else 10_000
    args.n_experta = 200 if args.quick else 1_000
    args.n_cli = 10_000 if args.quick else 50_000
    args.repeats = 3 if args.quick else 5
    args.repeats_slow = 1 if args.quick else 3  # experta: about 7 s a run
    args.jobs = [1, 2]
    args.scaling = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    args.startup_runs = 5 if args.quick else 15
    args.memory = [10_000, 100_000] if args.quick else [10_000, 1_000_000]
    args.serve_seconds = 5.0 if args.quick else 10.0
    args.serve_rounds = 1 if args.quick else 3
    wanted = set(args.only) or {
        "engines",
        "cli",
        "scaling",
        "startup",
        "memory",
        "questionnaire",
        "serve",
    }
    if args.only and args.out.exists():
        # Only some sections run: the others keep their figures from the last run.
        RESULTS.update(json.loads(args.out.read_text()))
    RESULTS["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        steps = [
            ("engines", lambda: engines(args)),
            ("cli", lambda: floor_and_cli(args, tmp)),
            ("scaling", lambda: scaling(args, tmp)),
            ("startup", lambda: startup(args)),
            ("memory", lambda: memory(args, tmp)),
            ("questionnaire", questionnaire_and_lint),
            ("serve", lambda: service(args)),
        ]
        for name, step in steps:
            if name in wanted:
                print(f"... {name}", file=sys.stderr, flush=True)
                step()
                for section in STEP_SECTIONS[name]:
                    FRESH.add(section)
                    measured(section)
    if args.only:
        dates = RESULTS.get("measured", {})
        kept = [
            f"{section} ({dates.get(section, {}).get('at', 'undated')})"
            for sections in STEP_SECTIONS.values()
            for section in sections
            if section in RESULTS and section not in FRESH
        ]
        print("Carried over from earlier runs, not measured now: " + (", ".join(kept) or "none"))
    report()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(RESULTS, indent=2))
    print(f"\nraw figures: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
