"""docs/authoring.md is run, not only read: its files are written, its commands run.

Blocks with a file name (```yaml title="seat.yaml"```) are written into an empty
folder in the order they appear, so a later block of the same name replaces the
earlier one, as the coach following the tutorial would. Every ``legpress-diag``
line of a ```sh``` block then runs there; it must exit 0 unless the line ends with
``# exits N``. The shell lines around them run too: ``mkdir -p``, ``cp`` and
``pip install`` (a real pip install of the pack's wheel into a folder the test puts
on ``sys.path``; the wheel is built by tests/packs/wheel.py, so no build backend or
network is needed). A ```text``` block right after a command shows that command's output:
each of its lines must be a line of the real output, or, when it holds ``...``,
match it with ``...`` standing for anything (a number that changes, lines left
out) and whitespace aside.
"""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.cli.app import app

from .conftest import REPO
from .packs.wheel import pip_install

TUTORIAL = REPO / "docs" / "authoring.md"
BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    return [(m["info"].strip(), m["body"]) for m in BLOCK.finditer(TUTORIAL.read_text("utf-8"))]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_tutorial_has_files_commands_and_outputs() -> None:
    infos = [info for info, _ in blocks()]
    assert 'yaml title="seat.yaml"' in infos and 'yaml title="seat-cases.yaml"' in infos
    commands = [line for info, body in blocks() if info == "sh" for line in body.splitlines()]
    for step in ("rules lint", "rules test", "rules draw", "rules impact"):
        assert any(line.startswith(f"legpress-diag {step}") for line in commands), step
    assert sum(1 for info in infos if info == "text") >= 5


def shell(line: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tutorial's other shell lines, done the same way without a shell."""
    words = shlex.split(line.partition("#")[0])
    if not words:
        return
    if words[:2] == ["mkdir", "-p"]:
        for name in words[2:]:
            (folder / name).mkdir(parents=True, exist_ok=True)
    elif words[0] == "cp":
        recursive = words[1] == "-r"
        *sources, target = words[2:] if recursive else words[1:]
        for source in sources:
            if recursive:
                shutil.copytree(folder / source, folder / target, dirs_exist_ok=True)
            else:
                shutil.copy(folder / source, folder / target)
    elif words[:2] == ["pip", "install"]:
        site = folder / ".site"
        pip_install(folder / words[2], site)
        monkeypatch.syspath_prepend(str(site))
        importlib.invalidate_caches()
    else:
        raise AssertionError(f"the tutorial test does not know how to run: {line}")


def test_every_command_in_the_tutorial_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    last: tuple[str, str] | None = None  # (command, its output) for a text block after it
    ran = 0
    for info, body in blocks():
        title = re.search(r'title="([^"]+)"', info)
        if title:
            (tmp_path / title.group(1)).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / title.group(1)).write_text(body, encoding="utf-8")
        elif info == "sh":
            for line in body.splitlines():
                if not line.startswith("legpress-diag "):
                    shell(line, tmp_path, monkeypatch)
                    continue
                command, _, comment = line.partition("#")
                exits = re.fullmatch(r"\s*exits (\d+)\s*", comment)
                result = runner.invoke(app, shlex.split(command)[1:], terminal_width=200)
                expected = int(exits.group(1)) if exits else 0
                assert result.exit_code == expected, (line, result.stdout, result.stderr)
                last, ran = (line, result.stdout), ran + 1
        elif info == "text" and last is not None:
            command, output = last
            lines = [line.rstrip() for line in output.splitlines()]
            for shown in body.splitlines():
                if "..." not in shown:  # exact, carets and all
                    assert shown.rstrip() in lines, (command, shown, output)
                    continue
                pattern = ".*?".join(re.escape(squash(part)) for part in shown.split("..."))
                assert re.search(pattern, squash(output)), (command, shown, output)
            last = None
        else:
            last = None
    assert ran >= 10


def test_the_tutorials_final_rules_match_its_example_files() -> None:
    """docs/examples/seat*.yaml are the longer versions: same ids, same conditions."""
    final = [body for info, body in blocks() if info == 'yaml title="seat.yaml"'][-1]
    example = (REPO / "docs" / "examples" / "seat.yaml").read_text("utf-8")
    for condition in re.findall(r"^\s+if: (.*)$", final, re.M):
        assert f"if: {condition}\n" in example
