"""The start-up floor of a typer command shaped like ``legpress-diag diagnose``.

One command with the same parameters (names, types, defaults) as the real one,
which reads its input and writes ``{}``: no rule base, no reasoning, none of our
modules. typer 0.29 coerces each parameter through a pydantic TypeAdapter built
when the command runs, so this is what any typer command with these options costs
before it does any work. tests/test_benchmark_floor.py keeps the parameters in step
with the real command.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()


@app.callback()
def main() -> None:
    """A group, as legpress-diag is one."""


@app.command()
def diagnose(
    file: Annotated[str, typer.Argument()],
    fmt: Annotated[str | None, typer.Option("--format", "-f")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    explain: Annotated[bool, typer.Option("--explain")] = False,
    threshold: Annotated[float | None, typer.Option("--threshold", min=0.0, max=1.0)] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0)] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    columns: Annotated[Path | None, typer.Option("--columns")] = None,
    csv_input: Annotated[bool, typer.Option("--csv")] = False,
    rules: Annotated[list[Path] | None, typer.Option("--rules", "-r")] = None,
    no_default_rules: Annotated[bool, typer.Option("--no-default-rules")] = False,
    isolated: Annotated[bool, typer.Option("--isolated")] = False,
) -> None:
    """Read the input, write an empty result."""
    source = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
    source.read()
    sys.stdout.write("{}\n")


if __name__ == "__main__":
    app()
