"""Options and helpers every command shares."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .. import exitcodes
from ..foundation.files import same_file

if TYPE_CHECKING:
    from ..foundation.problems import Diagnostic
    from ..knowledge.packs import RuleSources
    from ..knowledge.rulebase import RuleBase

RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        "-r",
        help="A rule file or folder to add to the bundled rule base (repeatable).",
        show_default=False,
        metavar="<path>",
    ),
]
NoDefaultRulesOption = Annotated[
    bool,
    typer.Option("--no-default-rules", help="Leave the bundled rule base out."),
]
IsolatedOption = Annotated[
    bool,
    typer.Option(
        "--isolated",
        help="Ignore installed packs, the project config and LEGPRESS_DIAG_RULES: "
        "only the bundled rule base and --rules.",
    ),
]


def dash_is_stdout(value: Path | None) -> Path | None:
    """``-o -`` means standard output, as ``-`` does for an input (never a file named -)."""
    return None if value is not None and str(value) == "-" else value


def tell(message: str) -> None:
    """A message on stderr, fitted to the terminal if stderr is one (see ui/fit.py)."""
    from ..presentation.ui.fit import fit_to

    typer.echo(fit_to(sys.stderr, message), err=True)


def fail(message: str, code: int = exitcodes.CANNOT_RUN) -> NoReturn:
    tell(f"legpress-diag: error: {message}")
    raise typer.Exit(code)


def rule_file_inputs(rb: RuleBase, sources: RuleSources | None = None) -> list[tuple[str, Path]]:
    """Each file the rule base was made from, named for a message, with its path: the
    rule files, and (``sources``) the project config that named them and the
    manifest of each pack folder (attack round 6, Q3: an output over pyproject.toml
    or a pack's manifest broke every later run there)."""
    from ..knowledge.bundled import BUNDLED_PREFIX, bundled_rules_dir

    found = []
    for shown in rb.files:
        bundled = shown.startswith(BUNDLED_PREFIX)
        path = bundled_rules_dir() / shown.removeprefix(BUNDLED_PREFIX) if bundled else Path(shown)
        found.append((f"the rule file {shown}", path))
    if sources is not None:
        if sources.config is not None:
            found.append((f"the settings file {sources.config.shown}", sources.config.path))
        if sources.paths:  # the manifest module only where there are folders to look in
            from ..knowledge.packs.manifest import MANIFEST_NAME

            manifests = [folder / MANIFEST_NAME for folder in sources.paths]
            found += [(f"the pack manifest {m}", m) for m in manifests if m.is_file()]
    return found


def load_rules_and_inputs(
    rules: list[Path] | None, no_default_rules: bool, isolated: bool = False
) -> tuple[RuleBase, list[Path], list[tuple[str, Path]]]:
    """``load_rules``, with the layers' rule paths and every file the rule base was
    made from (``rule_file_inputs``), which no output may replace."""
    sources = rule_sources(rules, isolated)
    rb = load_paths(sources.paths, no_default_rules)
    return rb, sources.paths, rule_file_inputs(rb, sources)


# Names of the settings files a project or a pack keeps (knowledge/packs).
SETTINGS_NAMES = frozenset({"pyproject.toml", "legpress-diag.toml", "legpress-pack.toml"})


def refuse_overwriting_inputs(
    outputs: Iterable[tuple[str, Path | None]], inputs: Iterable[tuple[str, Path]]
) -> None:
    """Exit 2, before any work, when an output names one of the command's inputs (a
    rule file, the saved answers a report would replace): written at the end, it
    would destroy what the run was made from (attack round 5: `ask --answers A
    --report A`, `diagnose --rules coach.yaml -o coach.yaml`)."""
    listed = list(inputs)
    for option, output in outputs:
        if output is None or str(output) == "-":
            continue
        for what, source in listed:
            if same_file(output, source):
                fail(
                    f"{option} {output} is {what}: the output would replace it; give the "
                    "output its own name"
                )
        if output.name in SETTINGS_NAMES:
            # Whether or not this run read it, it is where a project keeps its settings
            # (attack round 7, R8: a pyproject.toml this run did not read was replaced).
            fail(
                f"{option} {output}: a file of that name holds a project's settings, "
                "never results; give the output its own name"
            )


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        tell(diagnostic.format())


def echo_lines(lines: Iterable[str], *, fitted: bool = True) -> None:
    """Lines of a report on stdout, fitted to the terminal if stdout is one (``fitted``
    False for a machine format, which must stay as written)."""
    from ..presentation.ui.fit import fit, terminal_width

    width = terminal_width(sys.stdout) if fitted else None
    for line in lines:
        typer.echo(fit(line, width))


@contextlib.contextmanager
def rule_problems_exit() -> Iterator[None]:
    """A RuleBaseError inside: print every problem with its position, and exit 2."""
    from ..foundation.problems import RuleBaseError

    try:
        yield
    except RuleBaseError as exc:
        print_diagnostics(exc.diagnostics)
        raise typer.Exit(exitcodes.CANNOT_RUN) from None


def rule_paths(rules: list[Path] | None, isolated: bool = False) -> list[Path]:
    """The rule paths of every layer after the bundled base: installed packs, the
    project config, LEGPRESS_DIAG_RULES and --rules (see knowledge/packs); exit 2 with
    every problem when one of them is broken."""
    return rule_sources(rules, isolated).paths


def rule_sources(rules: list[Path] | None, isolated: bool = False) -> RuleSources:
    from ..foundation.problems import RuleBaseError
    from ..knowledge.packs import resolve

    try:
        return resolve(rules or (), isolated=isolated)
    except RuleBaseError as exc:
        print_diagnostics(exc.diagnostics)
        raise typer.Exit(exitcodes.CANNOT_RUN) from None


def load_rules(
    rules: list[Path] | None, no_default_rules: bool, isolated: bool = False
) -> RuleBase:
    """Load the rule base of every layer, or print every problem with its position and
    exit 2."""
    return load_paths(rule_paths(rules, isolated), no_default_rules)


def load_paths(paths: list[Path], no_default_rules: bool) -> RuleBase:
    """Load the bundled base (unless ``no_default_rules``) and these resolved paths."""
    from ..api import load_rulebase
    from ..foundation.problems import RuleBaseError

    try:
        return load_rulebase(paths, include_bundled=not no_default_rules)
    except RuleBaseError as exc:
        print_diagnostics(exc.diagnostics)
        count = len(exc.diagnostics)
        tell(
            f"legpress-diag: the rule base does not load "
            f"({count} problem{'s' if count != 1 else ''}); "
            "run 'legpress-diag rules lint' for details"
        )
        raise typer.Exit(exitcodes.CANNOT_RUN) from None
