"""`legpress-diag diagnose`: batch diagnosis of answer records."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from .. import exitcodes
from ..foundation.problems import LegpressError
from ..foundation.values import FieldsRepr
from ..intake.source import SourceError, open_source, source_name
from ..presentation.destination import (
    CLOSED_STREAMS,
    OutputError,
    atomic_output,
    check_output,
    silence_stdout,
)
from ..presentation.render.textsafe import terminal
from . import startup
from .batch_messages import hidden_messages, is_terminal, message_limit
from .common import (
    IsolatedOption,
    NoDefaultRulesOption,
    RulesOption,
    dash_is_stdout,
    fail,
    load_rules_and_inputs,
    refuse_overwriting_inputs,
    tell,
)

if TYPE_CHECKING:
    from ..intake.batch import Options, Outcome, Tally
    from ..intake.columns import ColumnMap
    from ..knowledge.rulebase import RuleBase
    from ..presentation.writers import Writer

HELP = """Diagnose answer records from a file or standard input.

FILE is one JSON record, a JSON array of records, or JSON Lines (one record per
line); '-' reads standard input. Each record looks like
{"id": "client-042", "answers": {"butt_lifts_off_seat": "yes"}}.

One result per record, in input order. Invalid records get status "error" and do
not stop the others; the exit status is then 1. Each cause lists the answers and
rules that led to it; --explain adds the rule-level arithmetic and the long texts.

A spreadsheet's CSV export (.csv, .tsv, or --csv) is read a row per client; a
column map (--columns) says which of its columns answers which question.

Examples:

  legpress-diag diagnose clients.jsonl

  legpress-diag diagnose intake.csv --columns columns.json

  legpress-diag diagnose clients.jsonl --format csv --output results.csv

  legpress-diag diagnose big.jsonl -o results.jsonl --jobs 4

  legpress-diag diagnose client.json --format json --explain

  cat clients.jsonl | legpress-diag diagnose - --format jsonl | jq .status
"""


def _show_progress(output: Path | None, quiet: bool) -> bool:
    """A bar only for a person watching stderr, and never over results on the same
    terminal (a table or JSON Lines on stdout show their own progress)."""
    if quiet or not is_terminal(sys.stderr):
        return False
    return output is not None or not is_terminal(sys.stdout)


def _format_help() -> str:
    from ..presentation import writers

    listed = "; ".join(
        f"{w.name}" + (f" ({', '.join(w.aliases)})" if w.aliases else "") + f": {w.summary}"
        for w in writers.writers().values()
    )
    return (
        f"{listed}. Default: from the --output suffix; else table on a terminal, jsonl in a pipe."
    )


def _complete_format(incomplete: str) -> list[str]:
    """Shell completion for --format: names and aliases that start as typed."""
    from ..presentation import writers

    spellings = [s for w in writers.writers().values() for s in (w.name, *w.aliases)]
    return [s for s in spellings if s.startswith(incomplete.lower())]


def diagnose(
    file: Annotated[
        str,
        typer.Argument(
            help="Answer records: a .json, .jsonl or .csv file, or '-' for stdin.", metavar="FILE|-"
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=_format_help(),
            show_default=False,
            autocompletion=_complete_format,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write results here (atomically) instead of stdout ('-': stdout). Its suffix "
            "(.json, .jsonl, .ndjson, .csv, .md, .html, .txt) chooses the format unless --format "
            "does.",
            callback=dash_is_stdout,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Unknown answer keys are errors, not warnings.")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Add the rule-level reasoning to JSON and JSON Lines results: each cause's "
            "rules, premises and arithmetic, the facts behind it and the long texts (how to do "
            "each fix, the alternatives' details). Table, Markdown, HTML and CSV do not change "
            "with it.",
        ),
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
        bool,
        typer.Option("--quiet", "-q", help="No progress bar and no per-record messages on stderr."),
    ] = False,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns",
            help='A column map (JSON): {"Form column": "question_id", "Timestamp": null}. A '
            "mapped column is read as that question's own key; null marks a column that is no "
            "answer (no warning; its text is still read for warning signs).",
        ),
    ] = None,
    csv_input: Annotated[
        bool,
        typer.Option(
            "--csv",
            help="Read FILE as a spreadsheet's CSV export: a header row, one client per row "
            "(the default for a .csv or .tsv name).",
        ),
    ] = False,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    try:
        check_output(output)  # before any work: a wrong folder must not cost a whole run
        writer = _writer(fmt, output)  # before any work too
    except LegpressError as exc:  # an output that cannot be written, an unknown format
        fail(str(exc))
    # The pack search, once: workers get its paths.
    rb, paths, made_from = load_rules_and_inputs(rules, no_default_rules, isolated)
    # (the column map is an input too: -o over it lost the map, check 58 H8)
    inputs = [*made_from, *([("--columns", columns)] if columns is not None else [])]
    refuse_overwriting_inputs([("--output", output)], inputs)
    column_map = _column_map(columns, rb, quiet)  # before any record is read
    try:
        stream = open_source(file, output, stdin_closed="stdin" in CLOSED_STREAMS)
    except SourceError as exc:
        fail(str(exc))
    if csv_input or file.lower().endswith((".csv", ".tsv")):
        stream = _csv_records(stream, file, column_map, quiet, rb)
    workers = _workers(jobs, quiet)
    job = _Job(source_name(file), output, writer, quiet)
    startup.over()  # the collector runs again, for the records (see startup.py)
    try:
        # Workers load the same layers from the same paths (no config lookup there).
        bundled = not no_default_rules
        options = _options(writer, strict, threshold, explain, column_map)
        job.run(stream, rb, options, workers, paths, bundled)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    job.tell_the_rest()
    if not quiet:
        from ..presentation.render.batch_text import summary_lines

        for line in summary_lines(job.tally, has_screen=bool(rb.safety_flags)):
            # (ids are the records' own text; plain ASCII needs no escaping, whose
            # patterns cost a start-up)
            tell(line if line.isascii() and line.isprintable() else terminal(line))
    if job.tally.exit_status != exitcodes.OK:
        raise typer.Exit(job.tally.exit_status)


def _writer(fmt: str | None, output: Path | None) -> Writer:
    from ..presentation import writers

    return writers.for_output(fmt, output, terminal=sys.stdout.isatty())


def _options(
    writer: Writer,
    strict: bool,
    threshold: float | None,
    explain: bool,
    columns: ColumnMap | None,
) -> Options:
    from ..intake.batch import Options

    explained = explain or writer.explained
    return Options(
        strict=strict,
        threshold=threshold,
        explain=explained,
        prepare=writer.prepare,
        columns=columns,
    )


def _csv_records(
    stream: IO[bytes], file: str, columns: ColumnMap | None, quiet: bool, rb: RuleBase
) -> IO[bytes]:
    """A CSV export's rows as records (intake/csvinput.py); a usage error (exit 2)
    when it is no CSV, or when the map names a column the sheet does not have (its
    question would be unanswered in every row). A map's answer no row has, beside a
    close one the sheet has, is a warning."""
    from ..intake.csvinput import CsvError, csv_as_json_lines

    cells: dict[str, set[str]] = {}
    try:
        with stream if stream is not sys.stdin.buffer else contextlib.nullcontext(stream):
            records, header = csv_as_json_lines(stream, source_name(file), cells)
    except CsvError as exc:
        fail(str(exc))
    if columns is not None and header:
        errors, warnings = columns.check_sheet(header, cells, source_name(file))
        if errors:  # before any record is read: nothing is written
            fail("\n".join(terminal(e) for e in errors))
        for line in () if quiet else warnings:
            tell(terminal(line))
    elif header and not quiet:
        hint = _map_hint(rb, header)
        if hint:
            tell(hint)
    return records


def _map_hint(rb: RuleBase, header: list[str]) -> str | None:
    """A sheet whose columns mostly name no question was read by guesswork, each of its
    clear clients "unscreened" or referred; say once that a column map reads it exactly
    (a coach ran one without, and read 210 warning lines: check 60)."""
    from ..knowledge.index import question_named

    unread = [
        name
        for name in header
        if name.strip().casefold() != "id" and question_named(rb, name) is None
    ]
    if len(unread) < 2 or 2 * len(unread) < len(header):
        return None
    return (
        f"hint: {len(unread)} of the sheet's {len(header)} columns name no question, so "
        "they are only read for warning signs; a column map (--columns FILE) says which "
        "column answers which question, and which one names the client (docs/diagnose.md)"
    )


def _column_map(path: Path | None, rb: RuleBase, quiet: bool) -> ColumnMap | None:
    """The --columns map, checked against the rule base; a usage error (exit 2)."""
    if path is None:
        return None
    from ..intake.columns import ColumnMapError, load_column_map

    try:
        found = load_column_map(path, rb)
    except ColumnMapError as exc:
        fail(str(exc))
    for line in () if quiet else found.doubts:
        tell(line if line.isascii() and line.isprintable() else terminal(line))
    return found


def _workers(jobs: int, quiet: bool) -> int:
    from ..intake.batch import workers_for

    count, note = workers_for(jobs, os.cpu_count() or 1)
    if note and not quiet:
        tell(note)
    return count


@dataclass(repr=False)
class _Job(FieldsRepr):
    """One batch as the command line runs it: results to the output, a line on stderr
    per record with problems (up to the terminal's limit), a progress bar."""

    source: str  # the input's name in messages
    output: Path | None
    writer: Writer
    quiet: bool
    tally: Tally = field(init=False)
    shown: int = 0  # per-record messages said on stderr
    hidden: int = 0  # and left out past the terminal's limit
    limit: float = field(default_factory=message_limit)
    # A warning said alike of many records ("Timestamp: unknown question id" for each
    # row of a sheet: 62 lines for 12 clients, a coach's check 59) is said once, and
    # then counted: its text -> records after the first
    folded: dict[str, int] = field(default_factory=dict)

    def run(
        self,
        stream: IO[bytes],
        rb: RuleBase,
        options: Options,
        workers: int,
        paths: list[Path],
        bundled: bool,
    ) -> None:
        from ..intake.batch import Tally, WorkerDied, run_batch
        from ..intake.records import InputError
        from ..presentation.writers import WriteContext

        self.tally = Tally()
        context = WriteContext(rulebase=rb, live=self.output is None)
        try:
            with (
                _reporter(stream, self.output, self.quiet) as (say, progress),
                atomic_output(self.output) as out,
            ):
                outcomes = run_batch(
                    stream,
                    rb,
                    options,
                    jobs=workers,
                    rule_paths=[str(p) for p in paths],
                    include_bundled=bundled,
                    progress=progress,
                )
                self.writer.write(self._payloads(outcomes, say), out, context)
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(exitcodes.OK) from None
        except InputError as exc:
            fail(f"{self.source}: {exc}")
        except OutputError as exc:
            fail(str(exc))
        except WorkerDied as exc:
            fail(f"{exc} after {self._how_far()}; run again, with fewer --jobs")
        except KeyboardInterrupt:  # Ctrl-C, TERM, HUP: say what became of the output
            with contextlib.suppress(OSError):
                tell(f"\ninterrupted: {self._how_far()}")
            raise

    def _payloads(self, outcomes: Iterator[Outcome], say: Say) -> Iterator[Any]:
        from ..presentation.render.batch_text import outcome_messages

        for outcome in outcomes:
            self.tally.add(outcome)
            if not self.quiet:
                for line in outcome_messages(self.source, outcome):
                    said = _foldable(line)
                    if said is not None:
                        if said in self.folded:
                            self.folded[said] += 1
                            continue
                        self.folded[said] = 0
                    if self.shown < self.limit:
                        say(line)  # ids, keys and values are the record's text: escaped
                        self.shown += 1
                    else:
                        self.hidden += 1
            yield outcome.payload

    def tell_the_rest(self) -> None:
        """After the records: each folded warning with how many more records said it,
        and how many messages the terminal's limit left out."""
        for said, more in self.folded.items():
            if more:
                tell(terminal(f"warning: {said} (and in {more:,} more record{'s' * (more != 1)})"))
        if self.hidden:
            tell(hidden_messages(self.hidden))

    def _how_far(self) -> str:
        from ..presentation.render.batch_text import how_far

        return how_far(self.tally, self.output, streamed=self.writer.name == "jsonl")


def _foldable(line: str) -> str | None:
    """A record's warning line that may be said once for all records (its text after
    the record's place), or None: errors, and warnings about warning signs or about
    the record's own values, are said for each record."""
    _, sep, said = line.partition(": warning: ")
    if sep and (said.endswith(": unknown question id") or _KEY_READ_AS.match(said)):
        return said
    return None


# "Age: read as 'age_years' (the key is the question's own words, ...)": of the key alone
_KEY_READ_AS = re.compile(r"[^:]*: read as '[a-z0-9_]+' \(the key is ")


Say = Callable[[str], None]
Progress = Callable[[int, "int | None"], None]


@contextlib.contextmanager
def _reporter(
    stream: IO[bytes], output: Path | None, quiet: bool
) -> Iterator[tuple[Say, Progress | None]]:
    """Where per-record messages go, and the progress callback (None: no bar)."""
    if not _show_progress(output, quiet):
        yield (lambda line: tell(terminal(line))), None
        return
    from ..intake.source import input_size
    from ..presentation.ui.progress import BatchProgress

    with BatchProgress(input_size(stream)) as bar:
        yield bar.say, bar.update
