"""benchmarks/ stays in step with what it describes: the typer floor with the real
``diagnose`` command, the performance page with the last run.

benchmarks/typer_floor.py must stay shaped like the real ``diagnose`` command:
the start-up figure it gives is the floor for that command only if typer builds
the same parameters for both."""

import importlib.util
from pathlib import Path
from typing import Any

import typer

from legpress_diag.cli.app import app

FLOOR = Path(__file__).parents[1] / "benchmarks" / "typer_floor.py"


def _shape(command: Any) -> list[tuple[Any, ...]]:
    return [
        (
            param.name,
            tuple(sorted(param.opts)),
            param.default,
            param.multiple,
            param.nargs,
            param.type_descriptor.annotation,
            getattr(param.type_descriptor.parameter_info, "min", None),
            getattr(param.type_descriptor.parameter_info, "max", None),
        )
        for param in command.params
        if param.name != "help"
    ]


def test_the_floor_has_diagnose_parameters() -> None:
    spec = importlib.util.spec_from_file_location("typer_floor", FLOOR)
    assert spec is not None and spec.loader is not None
    floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor)
    real = typer.main.get_command(app).commands["diagnose"]  # type: ignore[attr-defined]
    bare = typer.main.get_command(floor.app).commands["diagnose"]  # type: ignore[attr-defined]
    assert _shape(bare) == _shape(real)


def test_the_performance_page_shows_the_last_runs_targets() -> None:
    import json
    import sys

    sys.path.insert(0, str(FLOOR.parent))
    import targets_table

    results = json.loads(targets_table.RESULTS.read_text())
    page = targets_table.PAGE.read_text()
    for name in targets_table.BLOCKS:  # targets, engines, service: one run's figures
        assert targets_table.in_page(page, name) == targets_table.block(results, name), (
            f"the {name} table differs from latest.json: python benchmarks/targets_table.py --write"
        )
    assert results["targets"] and results["bounds"]  # the run measured them all
