"""The typer application: commands are joined here, implemented in their modules.

``app`` is the whole application. A run that names its command builds an
application holding only that one (:func:`build`): typer turns every registered
command's signature into options before it runs any, and importing and converting
the other commands was a fifth of a one-record `diagnose`'s start-up. What the one
command parses, prints and returns is the same, since it is the same function
registered the same way; only the group's own help and completion, which list every
command, need the whole application, and they get it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from .. import __version__

app: typer.Typer  # the whole application, built on first use (see __getattr__)


def _new_app() -> typer.Typer:
    group = typer.Typer(
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
    group.callback()(root)
    return group


def _version(value: bool) -> None:
    if value:
        typer.echo(f"legpress-diag {__version__}")
        raise typer.Exit()


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


def _add_ask(group: typer.Typer) -> None:
    from . import ask

    group.command("ask", help=ask.HELP)(ask.ask)


def _add_diagnose(group: typer.Typer) -> None:
    from . import diagnose

    group.command("diagnose", help=diagnose.HELP)(diagnose.diagnose)


def _add_rules(group: typer.Typer) -> None:
    from . import rules

    group.add_typer(rules.app, name="rules")


def _add_serve(group: typer.Typer) -> None:
    from . import serve

    group.command("serve", help=serve.HELP)(serve.serve)


def _add_measure(group: typer.Typer) -> None:
    from . import measure

    group.command("measure", help=measure.HELP)(measure.measure_set)


COMMANDS: dict[str, Callable[[typer.Typer], None]] = {
    "ask": _add_ask,
    "diagnose": _add_diagnose,
    "rules": _add_rules,
    "serve": _add_serve,
    "measure": _add_measure,
}


def build(args: list[str]) -> typer.Typer:
    """The application for a run with these arguments: only the command they name
    when the first one is a command's name, otherwise (options, help, completion,
    a mistyped name) the whole application."""
    only = args[0] if args and args[0] in COMMANDS else None
    group = _new_app()
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(group)
    return group


def __getattr__(name: str) -> typer.Typer:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    whole = globals()["app"] = build([])
    return whole
