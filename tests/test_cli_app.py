"""The application as a whole: version, shell completion, and the batch progress bar
(issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from legpress_diag import __version__
from legpress_diag.cli.app import app

runner = CliRunner()
TIMEOUT = 60
BIN = Path(sys.executable).parent  # where the console script is installed


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legpress_diag", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_has_a_short_alias(flag: str) -> None:
    result = runner.invoke(app, [flag])
    assert result.exit_code == 0 and result.stdout == f"legpress-diag {__version__}\n"


def test_help_offers_completion() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
    assert "-V, --version" in result.stdout


@pytest.mark.parametrize(
    "shell, marker",
    [
        ("bash", "_legpress_diag_completion()"),
        ("zsh", "#compdef legpress-diag"),
        ("fish", "complete --command legpress-diag"),
    ],
)
def test_show_completion_prints_a_script_for_the_named_shell(shell: str, marker: str) -> None:
    result = run("--show-completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and "_LEGPRESS_DIAG_COMPLETE" in result.stdout


def test_install_completion_writes_the_script_where_the_shell_reads_it(tmp_path: Path) -> None:
    result = run("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "legpress-diag.sh"
    assert "_legpress_diag_completion" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def _bash_complete(words: str) -> list[str]:
    """What bash offers after sourcing the script and pressing Tab on ``words``."""
    script = run("--show-completion", "bash").stdout
    program = (
        f"{script}\n"
        f"COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
        "_legpress_diag_completion legpress-diag\n"  # bash passes the command name
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    return done.stdout.split()


@pytest.mark.skipif(not (BIN / "legpress-diag").exists(), reason="console script not installed")
def test_bash_completes_commands_and_format_names() -> None:
    assert _bash_complete("legpress-diag di") == ["diagnose"]
    assert _bash_complete("legpress-diag diagnose x.jsonl --format h") == ["html", "htm"]


# --- progress -------------------------------------------------------------------------


def _records(tmp_path: Path, count: int = 300) -> Path:
    path = tmp_path / "clients.jsonl"
    path.write_text('{"answers": {"heels_lift": "yes"}}\n' * count)
    return path


def _in_a_terminal(*args: str) -> tuple[str, int]:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", *args],
        env={**os.environ, "COLUMNS": "100", "LINES": "40"},
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 100),
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.before, child.exitstatus


def test_a_batch_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    shown, status = _in_a_terminal("diagnose", str(_records(tmp_path)), "-o", str(out))
    assert status == 0, shown
    assert "Diagnosing" in shown and "100%" in shown and "300 records" in shown
    assert len(out.read_text().splitlines()) == 300  # the results are untouched by it


def test_quiet_means_no_progress_bar(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    shown, status = _in_a_terminal("diagnose", str(_records(tmp_path)), "-o", str(out), "-q")
    assert status == 0 and "Diagnosing" not in shown and shown.strip() == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(_records(tmp_path)), "-f", "jsonl"])
    assert result.exit_code == 0 and "Diagnosing" not in result.stderr
    assert result.stderr.startswith("300 records: 300 ok")
