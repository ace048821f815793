"""Options and helpers every command shares."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .. import exitcodes

if TYPE_CHECKING:
    from ..knowledge.problems import Diagnostic
    from ..knowledge.rulebase import RuleBase

RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        "-r",
        help="A rule file or folder to add to the bundled rule base (repeatable).",
        show_default=False,
    ),
]
NoDefaultRulesOption = Annotated[
    bool,
    typer.Option(
        "--no-default-rules", help="Use only the --rules paths, not the bundled rule base."
    ),
]


def fail(message: str, code: int = exitcodes.CANNOT_RUN) -> NoReturn:
    typer.echo(f"legpress-diag: error: {message}", err=True)
    raise typer.Exit(code)


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        typer.echo(diagnostic.format(), err=True)


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        typer.echo(line)


@contextlib.contextmanager
def rule_problems_exit() -> Iterator[None]:
    """A RuleBaseError inside: print every problem with its position, and exit 2."""
    from ..knowledge.problems import RuleBaseError

    try:
        yield
    except RuleBaseError as exc:
        print_diagnostics(exc.diagnostics)
        raise typer.Exit(exitcodes.CANNOT_RUN) from None


def load_rules(rules: list[Path] | None, no_default_rules: bool) -> RuleBase:
    """Load the rule base, or print every problem with its position and exit 2."""
    from ..api import load_rulebase
    from ..knowledge.problems import RuleBaseError

    try:
        return load_rulebase(rules or (), include_bundled=not no_default_rules)
    except RuleBaseError as exc:
        print_diagnostics(exc.diagnostics)
        count = len(exc.diagnostics)
        typer.echo(
            f"legpress-diag: the rule base does not load "
            f"({count} problem{'s' if count != 1 else ''}); "
            "run 'legpress-diag rules lint' for details",
            err=True,
        )
        raise typer.Exit(exitcodes.CANNOT_RUN) from None
