"""`legpress-diag diagnose`: batch diagnosis of answer records."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from .. import exitcodes
from ..presentation.render.textsafe import terminal
from .batch_messages import hidden_messages, is_terminal, message_limit
from .common import (
    IsolatedOption,
    NoDefaultRulesOption,
    RulesOption,
    dash_is_stdout,
    fail,
    load_paths,
    rule_paths,
    tell,
)
from .output import CLOSED_STREAMS, OutputError, atomic_output, check_output, silence_stdout

if TYPE_CHECKING:
    from ..intake.batch import Options, Outcome
    from ..knowledge.rulebase import RuleBase
    from ..presentation.writers import Writer

HELP = """Diagnose answer records from a file or standard input.

FILE is one JSON record, a JSON array of records, or JSON Lines (one record per
line); '-' reads standard input. Each record looks like
{"id": "client-042", "answers": {"butt_lifts_off_seat": "yes"}}.

One result per record, in input order. Invalid records get status "error" and do
not stop the others; the exit status is then 1. Each cause lists the answers and
rules that led to it; --explain adds the rule-level arithmetic and the long texts.

Examples:

  legpress-diag diagnose clients.jsonl

  legpress-diag diagnose clients.jsonl --format csv --output results.csv

  legpress-diag diagnose big.jsonl -o results.jsonl --jobs 4

  legpress-diag diagnose client.json --format json --explain

  cat clients.jsonl | legpress-diag diagnose - --format jsonl | jq .status
"""


def _choose_writer(fmt: str | None, output: Path | None) -> Writer:
    """--format, else the --output suffix (which must name a format), else the
    default: a table on a terminal, JSON Lines otherwise. Exits 2 when unknown."""
    from ..presentation import writers

    default = "table" if output is None and sys.stdout.isatty() else "jsonl"
    if output is not None and not output.suffix and _is_device_or_fifo(output):
        output = None  # a FIFO or device has no suffix to go by: as for a pipe
    try:
        return writers.choose(fmt, output, default)
    except writers.FormatError as exc:
        fail(str(exc))


def _is_device_or_fifo(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _source_name(file: str) -> str:
    return "<stdin>" if file == "-" else file


def _open_input(file: str, output: Path | None = None) -> IO[bytes]:
    if file == "-":
        if "stdin" in CLOSED_STREAMS:
            fail("standard input is closed; give a FILE instead of '-'")
        with contextlib.suppress(OSError, ValueError):  # `- < in.jsonl -o in.jsonl` too
            _refuse_writing_over(sys.stdin.buffer, "standard input", output)
        return sys.stdin.buffer
    path = Path(file)
    if path.is_dir():
        fail(f"{file}: is a directory; give a JSON or JSON Lines file")
    try:
        stream = path.open("rb")
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror}")
    _refuse_writing_over(stream, file, output)
    return stream


def _refuse_writing_over(stream: IO[bytes], file: str, output: Path | None) -> None:
    """The results must not replace the records they come from (-o the input file,
    through a link too), nor go to the input file through a shell's '>', which has
    already emptied it by the time we run."""
    read = os.fstat(stream.fileno())
    targets: list[tuple[str, os.stat_result]] = []
    if output is not None:
        with contextlib.suppress(OSError):
            targets.append((f"--output {output}", os.stat(output)))
    else:
        with contextlib.suppress(OSError, ValueError):
            targets.append(("standard output", os.fstat(sys.stdout.fileno())))
    for name, written in targets:
        if stat.S_ISREG(read.st_mode) and (read.st_dev, read.st_ino) == (
            written.st_dev,
            written.st_ino,
        ):
            if stream is not sys.stdin.buffer:
                stream.close()
            fail(f"{name} is the same file as the input ({file}); write the results elsewhere")


def _location(source: str, outcome: Outcome) -> str:
    """``clients.jsonl:7`` for a line, ``clients.json: record 3`` in an array."""
    if outcome.line is not None:
        return f"{source}:{outcome.line}"
    return f"{source}: record {outcome.record_id}"


def _messages(source: str, outcome: Outcome) -> Iterator[str]:
    """The stderr lines for one outcome (the incomplete-screen warning is not among
    its warnings: the batch flags it, and the summary counts it once)."""
    where = _location(source, outcome)
    if outcome.errors:
        first = outcome.errors[0]
        expected = f" (expected {first['expected']})" if first.get("expected") else ""
        more = len(outcome.errors) - 1
        extra = f" (+{more} more)" if more > 0 else ""
        key, message = first["key"], first["message"]
        # Most messages start with their key; one that does not (an unknown key) gets it.
        named = message if not key or message.startswith(key) else f"{key}: {message}"
        yield f"{where}: error: {named}{expected}{extra}"
    for warning in outcome.warnings:
        key, message = warning["key"], warning["message"]
        named = message if not key or message.startswith(key) else f"{key}: {message}"
        yield f"{where}: warning: {named}"


def _show_progress(output: Path | None, quiet: bool) -> bool:
    """A bar only for a person watching stderr, and never over results on the same
    terminal (a table or JSON Lines on stdout show their own progress)."""
    if quiet or not is_terminal(sys.stderr):
        return False
    return output is not None or not is_terminal(sys.stdout)


def _input_size(stream: IO[bytes]) -> int | None:
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


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
            help="Answer records: a .json or .jsonl file, or '-' for stdin.", metavar="FILE|-"
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
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    try:
        check_output(output)  # before any work: a wrong folder must not cost a whole run
    except OutputError as exc:
        fail(str(exc))
    writer = _choose_writer(fmt, output)  # before any work too
    paths = rule_paths(rules, isolated)  # the pack search, once: workers get its paths
    rb = load_paths(paths, no_default_rules)
    stream = _open_input(file, output)
    job = _Job(stream, _source_name(file), output, writer, rb, quiet, _workers(jobs, quiet))
    try:
        tally = job.run(
            # Workers load the same layers from the same paths (no config lookup there).
            strict,
            threshold,
            explain,
            [str(p) for p in paths],
            not no_default_rules,
        )
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if tally.hidden:
        tell(hidden_messages(tally.hidden))
    if not quiet:
        _summary(tally.counts, tally.unscreened, has_screen=bool(rb.safety_flags))
    if tally.with_errors:
        raise typer.Exit(exitcodes.FINDINGS)


def _workers(jobs: int, quiet: bool) -> int:
    """Worker processes for --jobs: 0 means one per CPU, and more than one per CPU
    only costs memory (each holds the rule base; --jobs 10000 once filled the
    machine's memory), so the count stops there, though never below 2, so that
    --jobs 2 runs the same way on any machine."""
    cpus = os.cpu_count() or 1
    most = max(cpus, 2)
    if jobs > most and not quiet:
        tell(f"--jobs {jobs}: using {most} worker processes ({cpus} CPUs; more only cost memory)")
    return min(jobs or cpus, most)


@dataclass
class _Tally:
    """What the summary line and the exit status need, counted as results go by."""

    counts: dict[str, int] = field(default_factory=dict)  # by status
    with_errors: int = 0  # records with errors (a referral may carry errors too)
    unscreened: int = 0  # records with an incomplete safety screen
    shown: int = 0  # per-record messages said on stderr
    hidden: int = 0  # and left out past the terminal's limit


@dataclass
class _Job:
    """One batch: read, diagnose, write, with messages and progress on stderr."""

    stream: IO[bytes]
    source: str  # the input's name in messages
    output: Path | None
    writer: Writer
    rb: RuleBase
    quiet: bool
    workers: int
    tally: _Tally = field(default_factory=_Tally)
    limit: float = field(default_factory=message_limit)

    def run(
        self,
        strict: bool,
        threshold: float | None,
        explain: bool,
        rule_paths: list[str],
        bundled: bool,
    ) -> _Tally:
        from ..intake.batch import Options, WorkerDied
        from ..intake.records import InputError
        from ..presentation.writers import WriteContext

        options = Options(
            strict=strict,
            threshold=threshold,
            explain=explain or self.writer.explained,
            prepare=self.writer.prepare,
        )
        context = WriteContext(rulebase=self.rb, live=self.output is None)
        try:
            with (
                _reporter(self.stream, self.output, self.quiet) as (say, progress),
                atomic_output(self.output) as out,
            ):
                payloads = self._payloads(options, rule_paths, bundled, say, progress)
                self.writer.write(payloads, out, context)
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(exitcodes.OK) from None
        except InputError as exc:
            fail(f"{self.source}: {exc}")
        except OutputError as exc:
            fail(str(exc))
        except WorkerDied as exc:
            fail(f"{exc} after {self._done()}; run again, with fewer --jobs")
        except KeyboardInterrupt:  # Ctrl-C, TERM, HUP: say what became of the output
            with contextlib.suppress(OSError):
                tell(f"\ninterrupted: {self._done()}")
            raise
        return self.tally

    def _payloads(
        self,
        options: Options,
        rule_paths: list[str],
        bundled: bool,
        say: Say,
        progress: Progress | None,
    ) -> Iterator[Any]:
        from ..intake.batch import run_batch

        tally = self.tally
        for outcome in run_batch(
            self.stream,
            self.rb,
            options,
            jobs=self.workers,
            rule_paths=rule_paths,
            include_bundled=bundled,
            progress=progress,
        ):
            tally.counts[outcome.status] = tally.counts.get(outcome.status, 0) + 1
            tally.with_errors += bool(outcome.errors)
            tally.unscreened += outcome.screen_incomplete
            if not self.quiet:
                for line in _messages(self.source, outcome):
                    if tally.shown < self.limit:
                        say(line)  # ids, keys and values are the record's text: escaped
                        tally.shown += 1
                    else:
                        tally.hidden += 1
            yield outcome.payload

    def _done(self) -> str:
        """How far a batch got (a worker died, or it was interrupted), and what became
        of the output."""
        done = sum(self.tally.counts.values())
        where = (
            f"{self.output} was left as it was"
            if self.output is not None
            else f"the first {done} results were written"
            if self.writer.name == "jsonl"
            else "no results were written"
        )
        counted = "1 record was" if done == 1 else f"{done} records were"
        return f"{counted} diagnosed ({where})"


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
    from ..presentation.ui.progress import BatchProgress

    with BatchProgress(_input_size(stream)) as bar:
        yield bar.say, bar.update


def _summary(counts: dict[str, int], unscreened: int, *, has_screen: bool = True) -> None:
    total = sum(counts.values())
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    noun = "record" if total == 1 else "records"
    tell(f"{total} {noun}" + (f": {summary}" if summary else " (the input held none)"))
    if unscreened and not has_screen:
        tell(
            "warning: this rule base has no safety screen, so no result can recognise a "
            "warning sign; each result carries the safety_screen_missing warning"
        )
    elif unscreened:
        which = "record leaves" if unscreened == 1 else "records leave"
        tell(
            f"warning: {unscreened} {which} safety questions unanswered, so a warning "
            "sign may have been missed; each result's safety_screen_incomplete warning "
            "names them"
        )
