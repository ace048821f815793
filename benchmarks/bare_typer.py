"""A bare typer app: the start-up baseline for `legpress-diag --help`."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = "x") -> None:
    """Say hello."""
    typer.echo(name)


if __name__ == "__main__":
    app()
