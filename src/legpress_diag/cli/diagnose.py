"""`legpress-diag diagnose`: batch diagnosis of answer records."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from .. import exitcodes
from ..textsafe import terminal
from .common import NoDefaultRulesOption, RulesOption, fail, load_rules
from .output import CLOSED_STREAMS, OutputError, atomic_output, check_output, silence_stdout

HELP = """Diagnose answer records from a file or standard input.

FILE is one JSON record, a JSON array of records, or JSON Lines (one record per
line); '-' reads standard input. Each record looks like
{"id": "client-042", "answers": {"butt_lifts_off_seat": "yes"}}.

One result per record, in input order. Invalid records get status "error" and do
not stop the others; the exit status is then 1.

Examples:

  legpress-diag diagnose clients.jsonl

  legpress-diag diagnose clients.jsonl --format csv --output results.csv

  legpress-diag diagnose big.jsonl -o results.jsonl --jobs 4

  cat clients.jsonl | legpress-diag diagnose - --format jsonl | jq .status
"""

_SUFFIX_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".md": "markdown",
}


def _choose_format(fmt: str | None, output: Path | None) -> str:
    if fmt is not None:
        return fmt
    if output is not None:
        return _SUFFIX_FORMATS.get(output.suffix.lower(), "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def _open_input(file: str) -> IO[bytes]:
    if file == "-":
        if "stdin" in CLOSED_STREAMS:
            fail("standard input is closed; give a FILE instead of '-'")
        return sys.stdin.buffer
    path = Path(file)
    if path.is_dir():
        fail(f"{file}: is a directory; give a JSON or JSON Lines file")
    try:
        return path.open("rb")
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror}")


def _message(where: str, problem: dict[str, Any]) -> str:
    expected = f" (expected {problem['expected']})" if problem.get("expected") else ""
    return f"{where}: {problem['message']}{expected}"


def diagnose(
    file: Annotated[
        str,
        typer.Argument(
            help="Answer records: a .json or .jsonl file, or '-' for stdin.", metavar="FILE|-"
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, json, jsonl, csv or markdown. Default: table on a terminal, else jsonl "
            "(or from the --output suffix).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write results here (atomically) instead of stdout."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Unknown answer keys are errors, not warnings.")
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Report causes at or above this certainty (default 0.2).",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Worker processes; 0 means one per CPU. Order is kept."
        ),
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No per-record messages on stderr.")
    ] = False,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
) -> None:
    from ..batch import Options, Outcome, WorkerDied, run_batch
    from ..records import InputError
    from ..render import formats

    chosen = _choose_format(fmt, output)
    if chosen not in formats.FORMATS:
        fail(f"unknown format '{chosen}' (choose from {', '.join(formats.FORMATS)})")
    try:
        check_output(output)  # before any work: a wrong folder must not cost a whole run
    except OutputError as exc:
        fail(str(exc))
    rb = load_rules(rules, no_default_rules)
    stream = _open_input(file)
    counts: dict[str, int] = {}
    from ..safety import INCOMPLETE_WARNING as SCREEN_WARNING

    with_errors, unscreened = [0], [0]  # records with errors; with an incomplete screen
    options = Options(strict=strict, threshold=threshold, encode=chosen == "jsonl")
    workers = jobs or os.cpu_count() or 1

    def outcomes() -> Iterator[Outcome]:
        for outcome in run_batch(
            stream,
            rb,
            options,
            jobs=workers,
            rule_paths=[str(p) for p in rules or ()],
            include_bundled=not no_default_rules,
        ):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            with_errors[0] += bool(outcome.errors)  # a referral may carry errors too
            if not quiet:
                if outcome.errors:
                    more = len(outcome.errors) - 1
                    extra = f" (+{more} more)" if more > 0 else ""
                    # Ids, keys and values are the record's text: escape what a terminal obeys.
                    typer.echo(
                        terminal(f"error: {_message(outcome.where, outcome.errors[0])}{extra}"),
                        err=True,
                    )
                for warning in outcome.warnings:
                    if warning["key"] == SCREEN_WARNING:
                        unscreened[0] += 1  # one line for the whole batch, at the end
                        continue
                    typer.echo(
                        terminal(
                            f"warning: {outcome.where}: {warning['key']}: {warning['message']}"
                        ),
                        err=True,
                    )
            yield outcome

    def results() -> Iterator[dict[str, Any]]:
        for outcome in outcomes():
            assert outcome.result is not None
            yield outcome.result

    try:
        with atomic_output(output) as out:
            if chosen == "jsonl":
                for outcome in outcomes():
                    out.write(f"{outcome.text}\n")
                    if output is None:
                        out.flush()  # a pipeline sees each result as soon as it is ready
            elif chosen == "table":
                from ..ui.console import make_console
                from ..ui.diagnosis_view import render_results

                render_results(make_console(out), results())
            else:
                if chosen == "json":
                    chunks = formats.json_array(results())
                elif chosen == "csv":
                    chunks = formats.csv_rows(results())
                else:
                    chunks = formats.markdown(results(), rb)
                for chunk in chunks:
                    out.write(chunk)
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(exitcodes.OK) from None
    except InputError as exc:
        fail(f"{file}: {exc}")
    except OutputError as exc:
        fail(str(exc))
    except WorkerDied as exc:
        done = sum(counts.values())
        where = (
            f"{output} was left as it was"
            if output is not None
            else f"the first {done} results were written"
            if chosen == "jsonl"
            else "no results were written"
        )
        fail(f"{exc} after {done} records were diagnosed ({where}); run again, with fewer --jobs")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    total = sum(counts.values())
    if not quiet:
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        noun = "record" if total == 1 else "records"
        typer.echo(
            f"{total} {noun}" + (f": {summary}" if summary else " (the input held none)"), err=True
        )
        if unscreened[0]:
            which = "record leaves" if unscreened[0] == 1 else "records leave"
            typer.echo(
                f"warning: {unscreened[0]} {which} safety questions unanswered, so a warning "
                "sign may have been missed; each result's safety_screen_incomplete warning "
                "names them",
                err=True,
            )
    if with_errors[0]:
        raise typer.Exit(exitcodes.FINDINGS)
