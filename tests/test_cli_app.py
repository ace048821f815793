"""The application as a whole: version, shell completion, and the batch progress bar
(issue 14)."""

from __future__ import annotations

import json
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
    assert result.stderr.startswith("300 records: 300 unscreened")


# --- ask: resuming with --answers -----------------------------------------------------


def _saved_session(tmp_path: Path) -> Path:
    """A session saved after the whole screen and two pain questions, plus a typo."""
    from legpress_diag.api import bundled_rulebase

    rb = bundled_rulebase()
    answers: dict[str, object] = {
        q: "no"
        for q in rb.safety_questions()
        if rb.questions[q].type.value == "yes_no" and not rb.questions[q].replaced_by
    }
    answers |= {"age_years": 30, "pain_location": ["lower_back"]}
    answers |= {"pain_timing": "bottom_of_rep", "knee_angel": 3}
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"id": "me", "answers": answers}))
    return path


def _ask(*args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", "ask", *args],
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "LINES": "40"},
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 200),
    )


def test_resuming_counts_this_sessions_questions_and_names_the_typo(tmp_path: Path) -> None:
    child = _ask("--answers", str(_saved_session(tmp_path)))
    child.expect("Question ")
    intro = child.before
    child.expect("> ")
    first = child.before
    child.sendline("quit")
    child.expect(pexpect.EOF)
    assert "knee_angel: unknown question id; did you mean 'knee_angle_at_bottom'?" in intro
    assert "First 0" not in intro and "safety question" not in intro
    assert "earlier answers" in intro
    assert first.startswith("1 of about ")  # numbered from 1 for this session
    assert "· hips and back" in first.splitlines()[0]  # the topic in words


def test_back_reaches_the_prefilled_answers(tmp_path: Path) -> None:
    child = _ask("--answers", str(_saved_session(tmp_path)))
    child.expect("> ")
    child.sendline("back")
    child.expect(r"Question 1 of about \d+ · pain\s+When in the rep does it hurt most\?")
    child.expect("> ")
    child.sendline("undo")
    child.expect(r"Question 1 of about \d+ · pain\s+Where does it hurt")
    child.expect("> ")
    child.sendline("quit")
    child.expect(pexpect.EOF)


def test_ctrl_c_says_how_to_resume(tmp_path: Path) -> None:
    saved = tmp_path / "me.json"
    child = _ask("--save", str(saved))
    child.expect("Question 1")
    child.expect("> ")
    child.sendline("forty")  # the age, in words
    child.expect("Question 2")
    child.expect("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    said = " ".join(child.before.split())  # the terminal may have wrapped the line
    assert f"legpress-diag ask --answers {saved} --save {saved}" in said
    assert json.loads(saved.read_text())["answers"] == {"age_years": 40}


@pytest.mark.parametrize(
    ("typed", "hint"), [("30\nquit\n", True), ("quit\n", False), ("30\n", True)]
)
def test_quitting_or_ending_input_says_the_answers_were_not_saved(typed: str, hint: bool) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "ask"],
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )
    shown = " ".join((run.stdout + run.stderr).split())
    assert ("The answers were not saved" in shown) is hint, shown[-300:]
    assert run.returncode == (0 if "quit" in typed else 1)
