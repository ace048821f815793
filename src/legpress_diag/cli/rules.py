"""`legpress-diag rules …`: tools for coaches who write rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import exitcodes
from ..presentation.destination import OutputError, atomic_output, check_output
from .common import (
    IsolatedOption,
    NoDefaultRulesOption,
    RulesOption,
    dash_is_stdout,
    echo_lines,
    fail,
    load_paths,
    load_rules,
    load_rules_and_inputs,
    refuse_overwriting_inputs,
    rule_paths,
    rule_problems_exit,
    rule_sources,
)

if TYPE_CHECKING:
    from ..knowledge.packs import RuleSources
    from ..knowledge.rulebase import RuleBase

app = typer.Typer(
    help="Write, check, test, draw and explain rule bases.\n\n"
    "Examples:\n\n"
    "  legpress-diag rules lint my-rules.yaml\n\n"
    "  legpress-diag rules test my-cases/ --rules my-rules.yaml --coverage\n\n"
    "  legpress-diag rules impact --rules new.yaml --against old.yaml\n\n"
    "  legpress-diag rules draw --cause tight_hamstrings",
    no_args_is_help=True,
    rich_markup_mode=None,
)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file ('-': standard output).", callback=dash_is_stdout
    ),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Rule files or folders (default: the whole rule base).", show_default=False
    ),
]


def _check(output: Path | None, example: str) -> None:
    """Refuse an output that cannot be written before loading or drawing anything."""
    try:
        check_output(output, example)
    except OutputError as exc:
        fail(str(exc))


def _emit(text: str, output: Path | None) -> None:
    try:
        with atomic_output(output) as out:
            out.write(text if text.endswith("\n") else text + "\n")
    except OutputError as exc:
        fail(str(exc))


@app.command("lint")
def lint_command(
    paths: PathsArgument = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text, json, github (annotations for CI) or sarif (GitHub code scanning).",
        ),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    notes: Annotated[
        bool, typer.Option("--notes", help="Also show notes (LP312 and other hints).")
    ] = False,
    exhaustive: Annotated[
        bool, typer.Option("--exhaustive/--no-exhaustive", help="Walk every cause's answer space.")
    ] = True,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help="Explain one code (what it finds, a bad and a good example) and exit.",
            metavar="CODE",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """Check rule files: syntax, schema, names, and analysis of the whole rule base.

    Prints file:line:col: CODE message, the source line with a caret under the
    mistake, and a hint. Exit 1 on errors (and on warnings with --strict). Codes are
    listed in docs/lint-codes.md; end a line with '# lint: disable=LP307' to silence
    one finding on it.

    Examples:

      legpress-diag rules lint my-rules.yaml

      legpress-diag rules lint --strict --notes my-rules/

      legpress-diag rules lint -f json my-rules.yaml > findings.json

      cat my-rules.yaml | legpress-diag rules lint -

      legpress-diag rules lint --explain LP204
    """
    from ..authoring.lint.output import FORMATS, report_lines
    from ..authoring.lint_input import lint_with_stdin

    if explain is not None:
        _explain_code(explain)
        return

    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    with rule_problems_exit():
        report = lint_with_stdin(
            paths or (),
            sys.stdin.buffer,
            rules=rule_paths(rules, isolated),
            include_bundled=not no_default_rules,
            exhaustive=exhaustive,
        )
    echo_lines(report_lines(report, fmt, notes), fitted=fmt == "text")
    if report.failed(strict):
        raise typer.Exit(exitcodes.FINDINGS)


def _explain_code(code: str) -> None:
    from ..authoring.lint.explain import explain_lines

    try:
        echo_lines(explain_lines(code))
    except KeyError as exc:
        fail(str(exc.args[0]))


app.command(
    "check",
    hidden=True,
    help="Same as 'lint'.\n\nExample:\n\n  legpress-diag rules check my-rules.yaml",
)(lint_command)


@app.command("test")
def test_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Case files or folders, or pack folders (default: the cases of the packs and "
            "--rules files in use, else the bundled cases).",
            show_default=False,
        ),
    ] = None,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Report the rules, causes and questions no case exercises (of the packs' "
            "and --rules files' own, when there are any).",
        ),
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, json or junit (JUnit XML for CI).")
    ] = "text",
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """Run case files (answers and expected diagnoses) against the rule base.

    A rule file's own cases are found beside it (seat-cases.yaml beside seat.yaml) and
    in a pack folder's cases/ folder. Exit 1 when a case fails. The case format is
    described in docs/authoring.md.

    Examples:

      legpress-diag rules test

      legpress-diag rules test --rules seat.yaml --coverage

      legpress-diag rules test team/ -f junit > rules-tests.xml
    """
    from ..authoring.case_discovery import is_pack, own_files, plan_test, scoped_rows
    from ..authoring.cases import case_files
    from ..authoring.test_report import FORMATS, report_text
    from ..authoring.testing import CoverageRow, default_case_dir, run_cases

    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    for target in paths or ():
        if not target.exists():
            fail(f"{target}: no such file or directory")
    layers = rule_paths(rules, isolated)
    bundled_cases = None if no_default_rules else default_case_dir()
    plan = plan_test(list(paths or ()), layers, bundled_cases)
    # A broken rule file first: it is what stops the run, whatever cases there are.
    rb = load_paths([*layers, *plan.packs], no_default_rules)
    if not plan.targets:
        fail(
            "no case files found: give case files or folders, or put seat-cases.yaml beside "
            "seat.yaml or a cases/ folder in the pack (--isolated runs the bundled cases)"
        )
    for target in paths or ():
        # A run of no case passes nothing: a folder given by name must hold some.
        if target.is_dir() and not is_pack(target) and not case_files([target]):
            fail(f"{target}: no case files (*.yaml) in this folder")
    run = run_cases(rb, plan.targets)
    rows: tuple[CoverageRow, ...] = ()
    if coverage:
        mine = own_files(rb, plan.own)
        rows = scoped_rows(run.coverage, rb, mine) if mine else run.coverage.rows(rb)
    text = report_text(run, fmt, rows)
    if fmt == "text":
        echo_lines(text.splitlines())
    else:
        typer.echo(text)
    if not run.ok:
        raise typer.Exit(exitcodes.FINDINGS)


@app.command("impact")
def impact_command(
    against: Annotated[
        list[Path] | None,
        typer.Option(
            "--against", help="Old rule files to compare with (repeatable; default: none)."
        ),
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            help="More case files or folders (the bundled cases and the --rules files' own "
            "case files are always compared).",
        ),
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option("--records", help="A JSON Lines file of real answer records to compare too."),
    ] = None,
    min_move: Annotated[
        float, typer.Option("--min-move", help="Report certainty moves at least this big.")
    ] = 0.05,
    fail_on_change: Annotated[
        bool, typer.Option("--fail-on-change", help="Exit 1 when anything changed.")
    ] = False,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """Show every diagnosis an edit changes: old rules (--against) versus new (--rules).

    Both sides include the bundled rule base unless --no-default-rules. Without
    --against, the old side is the bundled base alone: what does my overlay change?

    Examples:

      legpress-diag rules impact --rules my-rules.yaml

      legpress-diag rules impact --rules new.yaml --against old.yaml --records clients.jsonl
    """
    from ..authoring.impact import RecordsError, impact_lines, run_impact

    new = load_rules(rules, no_default_rules, isolated)
    if no_default_rules and not against:
        fail("with --no-default-rules, give the old rules with --against")
    old = load_rules(against, no_default_rules, isolated)
    try:
        with rule_problems_exit():
            report = run_impact(
                old,
                new,
                rule_paths=rules or [],
                cases=cases or [],
                records=records,
                bundled=not no_default_rules,
                min_move=min_move,
            )
    except RecordsError as exc:
        fail(str(exc))
    echo_lines(impact_lines(report))
    if report.changes and fail_on_change:
        raise typer.Exit(exitcodes.FINDINGS)


@app.command("draw")
def draw_command(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="mermaid or dot. Default: from the --output suffix (.dot, .gv, .mmd, "
            ".mermaid), else mermaid.",
            show_default=False,
        ),
    ] = None,
    cause: Annotated[
        str | None, typer.Option("--cause", help="Draw only what leads to this cause.")
    ] = None,
    output: OutputOption = None,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """Draw the rule network: questions → facts → causes → fixes and alternatives.

    Conditions that combine tests are drawn as AND / OR / NOT nodes.

    Unused questions and causes that can never be reported are outlined in red.

    Examples:

      legpress-diag rules draw --cause tight_hamstrings

      legpress-diag rules draw --rules my-rules.yaml -f dot -o rules.dot
    """
    from ..authoring.draw import FORMATS, UnknownCause, draw

    _check(output, "rules.mmd")
    fmt = fmt or _draw_format(output)
    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}' (choose mermaid or dot)")
    rb, _, made_from = load_rules_and_inputs(rules, no_default_rules, isolated)
    refuse_overwriting_inputs([("--output", output)], made_from)
    try:
        drawing = draw(rb, fmt, cause)
    except UnknownCause as exc:
        fail(str(exc))
    _emit(drawing, output)


# Output suffixes that name a drawing format; any other suffix needs --format.
_DRAW_SUFFIXES = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"}


def _draw_format(output: Path | None) -> str:
    if output is None:
        return "mermaid"
    found = _DRAW_SUFFIXES.get(output.suffix.lower())
    if found is None:
        fail(
            f"cannot tell the drawing format from '{output.name}': use a .dot, .gv, .mmd or "
            ".mermaid name, or give --format mermaid|dot"
        )
    return found


@app.command("schema")
def schema_command(
    kind: Annotated[str, typer.Argument(help="rules, answers or diagnosis.")] = "rules",
    output: OutputOption = None,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """Print a JSON Schema (draft-07): of rule files, answer records or diagnoses.

    Examples:

      legpress-diag rules schema rules -o rules.schema.json

      legpress-diag rules schema answers --rules my-rules.yaml"""
    from ..authoring.schemas import KINDS, schema_text

    if kind not in KINDS:
        fail(f"unknown schema '{kind}' (choose from {', '.join(KINDS)})")
    _check(output, "schema.json")
    rb, _, made_from = load_rules_and_inputs(rules, no_default_rules, isolated)
    refuse_overwriting_inputs([("--output", output)], made_from)
    _emit(schema_text(kind, rb), output)


@app.command("explain")
def explain_command(
    target: Annotated[
        str | None, typer.Argument(help="A cause or derived fact id.", show_default=False)
    ] = None,
    why_not: Annotated[
        str | None,
        typer.Option(
            "--why-not",
            help="A cause: why the --answers record did not report it, rule by rule.",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="A saved record (JSON), as `ask --save` writes."),
    ] = None,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """How can this cause be reached? Its rules, traced back to the questions. With
    --why-not and --answers: each rule that concludes the cause, and the first part
    of its condition that did not hold for those answers, with the answer seen.

    Examples:

      legpress-diag rules explain posterior_pelvic_tilt

      legpress-diag rules explain my_cause --rules my-rules.yaml

      legpress-diag rules explain --why-not heels_lifting --answers client.json"""
    from ..authoring.describe import explain_lines

    if (target is None) == (why_not is None):
        fail("give a cause or fact to explain, or --why-not CAUSE with --answers FILE")
    rb = load_rules(rules, no_default_rules, isolated)
    if why_not is not None:
        if answers is None:
            fail("--why-not needs the record to explain: --answers FILE")
        echo_lines(_why_not_lines(rb, why_not, answers))
        return
    assert target is not None
    try:
        lines = explain_lines(rb, target)
    except KeyError as exc:
        fail(str(exc.args[0]))
    echo_lines(lines)


def _why_not_lines(rb: RuleBase, cause: str, answers: Path) -> list[str]:
    from ..foundation.problems import did_you_mean
    from ..intake.session import ResumeError, resume
    from ..reasoning.why_not import verdict_lines, why_not

    if cause not in rb.causes:
        hint = did_you_mean(cause, list(rb.causes))
        fail(f"unknown cause '{cause}'" + (f" ({hint})" if hint else ""))
    try:
        resumed = resume(rb, answers)
    except ResumeError as exc:
        fail(str(exc))
    why = why_not(rb, resumed.state.answers, cause)
    said = "reported" if why.reported else "not reported"
    head = f"cause {cause}: {said} (certainty {why.certainty:.2f}, threshold {why.threshold:g})"
    return [*resumed.problems, head, *verdict_lines(why)]


@app.command("show")
def show_command(
    section: Annotated[
        str | None,
        typer.Argument(
            help="Only this section: questions, safety_flags, facts, causes, fixes, "
            "alternatives or rules.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin",
            help="Which file's definition of this id won, from which layer, and what it replaced.",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    words: Annotated[
        bool,
        typer.Option(
            "--words",
            help="Also list the word patterns that make each safety question 'not sure' "
            "when a note or a form's column mentions it.",
        ),
    ] = False,
    rules: RulesOption = None,
    no_default_rules: NoDefaultRulesOption = False,
    isolated: IsolatedOption = False,
) -> None:
    """List the questions, safety flags, facts, causes, fixes and alternatives.

    Examples:

      legpress-diag rules show

      legpress-diag rules show questions --words

      legpress-diag rules show -f json --rules my-rules.yaml

      legpress-diag rules show fixes

      legpress-diag rules show --origin stop_at_90_degrees"""
    from ..authoring.describe import listing, section_lines, show_lines

    if origin is not None:
        _show_origin(origin, rule_sources(rules, isolated), not no_default_rules)
        return
    if section is not None and fmt != "text":
        fail("a section is shown as text; --format json lists every section")
    rb = load_rules(rules, no_default_rules, isolated)
    if section is not None:
        try:
            echo_lines(section_lines(rb, section, words=words))
        except KeyError as exc:
            fail(str(exc.args[0]))
    elif fmt == "json":
        typer.echo(listing(rb).to_json())
    elif fmt == "text":
        echo_lines(show_lines(rb, words=words))
    else:
        fail(f"unknown format '{fmt}' (choose text or json)")


def _show_origin(ident: str, sources: RuleSources, bundled: bool) -> None:
    from ..authoring.origin import find_origins, origin_lines

    try:
        with rule_problems_exit():
            origins = find_origins(ident, sources, include_bundled=bundled)
    except KeyError as exc:
        fail(str(exc.args[0]))
    echo_lines(origin_lines(origins))
