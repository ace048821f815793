"""The typer application: commands are joined here, implemented in their modules."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import ask, diagnose, measure, rules, serve

app = typer.Typer(
    name="legpress-diag",
    help=(
        "Why does the leg press hurt your lower back? Answer a few questions and get the "
        "likely causes, what to fix, and exercises to use instead.\n\n"
        "Examples:\n\n"
        "  legpress-diag ask\n\n"
        "  legpress-diag diagnose answers.jsonl --format table\n\n"
        "  legpress-diag measure set-landmarks.json --format table\n\n"
        "  legpress-diag rules lint my-rules.yaml"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"legpress-diag {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Leg press lower-back pain: causes, fixes and alternatives."""


app.command("ask", help=ask.HELP)(ask.ask)
app.command("diagnose", help=diagnose.HELP)(diagnose.diagnose)
app.add_typer(rules.app, name="rules")
app.command("serve", help=serve.HELP)(serve.serve)
app.command("measure", help=measure.HELP)(measure.measure_set)
