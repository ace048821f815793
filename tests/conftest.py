from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from legpress_diag.api import bundled_rulebase
from legpress_diag.exitcodes import ENDING_SIGNALS
from legpress_diag.knowledge.rulebase import RuleBase

REPO = Path(__file__).resolve().parents[1]

# CI must never go red by luck: there hypothesis draws the same examples every run
# (derandomize) and no deadline depends on how loaded the machine is. Local runs stay
# random, so they keep finding new examples; set HYPOTHESIS_PROFILE=ci to replay CI's.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

# Tests never write into the real cache folder; child processes inherit this too.
os.environ.setdefault("LEGPRESS_DIAG_CACHE", tempfile.mkdtemp(prefix="legpress-diag-test-cache-"))
# A developer's own packs must not change what the tests load (docs/authoring.md, packs).
os.environ.pop("LEGPRESS_DIAG_RULES", None)
# An interrupted `ask` keeps its answers in the state folder: never the real one in tests.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="legpress-diag-test-state-")


def _children_get_the_terminal_s_signals() -> None:
    """Undo what a runner's start may have done to the signals we test.

    An ignored signal stays ignored through exec, and so does a blocked one: started
    as a background job (`&` in a script ignores INT) or under `nohup` (ignores HUP),
    the suite handed that on to every `ask` and `diagnose` it started, which then
    rightly kept ignoring Ctrl-C or a hang-up, and the tests of those waited out
    their timeouts and failed (1 run in 1 of a background loop). The tests drive
    their children as a terminal would, so they start them as a terminal would.
    """
    wanted: dict[str, Callable[[int, FrameType | None], object] | signal.Handlers] = {
        "SIGINT": signal.default_int_handler,
        # A background job of a script ignores QUIT as well as INT.
        **{name: signal.SIG_DFL for name in ENDING_SIGNALS},
    }
    for name, handler in wanted.items():
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_IGN:
            signal.signal(number, handler)
    if hasattr(signal, "pthread_sigmask"):
        numbers = {getattr(signal, name) for name in wanted if hasattr(signal, name)}
        signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)


_children_get_the_terminal_s_signals()


# The suite is split (docs/robustness.md, "The test suite"): a plain `pytest` is the
# fast run; the tests marked browser, load or schemathesis (pyproject.toml) run with
# `pytest -m "browser or load or schemathesis"`. A browser test that lost its marker
# would slow the fast run down unseen, so launching one unmarked fails the test.
BROWSER_PROGRAMS = ("chromium", "chromium-browser", "chromedriver", "chrome", "google-chrome")


def launches_a_browser(args: Any, executable: Any) -> bool:
    """Whether a Popen's ``args`` (and ``executable``) start a browser or its driver."""
    if executable:
        program = os.fsdecode(executable)
    elif isinstance(args, str | bytes):  # a shell command line: its first word
        program = (os.fsdecode(args).split() or [""])[0]
    elif isinstance(args, os.PathLike):
        program = os.fsdecode(args)
    else:
        program = os.fsdecode(args[0]) if args else ""
    return os.path.basename(program) in BROWSER_PROGRAMS


@pytest.fixture(autouse=True)
def _no_terminal_size_from_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test depends on the width of the terminal the suite runs in: rich reads
    COLUMNS and LINES, so a run with COLUMNS=40 wrapped text a test reads as whole
    (attack round 9, L2). A test that wants a width sets one."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(autouse=True)
def _browser_tests_are_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    if request.node.get_closest_marker("browser") is None:
        real = subprocess.Popen._execute_child  # type: ignore[attr-defined]

        def guarded(self: subprocess.Popen[Any], args: Any, executable: Any, *rest: Any) -> Any:
            if launches_a_browser(args, executable):
                pytest.fail(
                    f"{request.node.nodeid} starts a browser but has no "
                    "@pytest.mark.browser: mark it, so that the fast run stays fast",
                    pytrace=False,
                )
            return real(self, args, executable, *rest)

        monkeypatch.setattr(subprocess.Popen, "_execute_child", guarded)
    yield


# pexpect's close() and wait() call a blocking waitpid once a child's output has
# ended (ptyprocess.PtyProcess.isalive): a child that closed its terminal and then
# hung would hold the whole run. Every such wait is bounded here: past PTY_EXIT_SECONDS
# the child is killed, and the test sees a signal status instead of its exit code.
PTY_EXIT_SECONDS = 60.0


def _bound_pty_waits() -> None:
    try:
        import ptyprocess  # type: ignore[import-untyped]
    except ImportError:
        return
    blocking_isalive = ptyprocess.PtyProcess.isalive

    def isalive(self: Any) -> bool:
        if self.flag_eof and not self.terminated:
            deadline = time.monotonic() + PTY_EXIT_SECONDS
            # WNOWAIT: look without reaping, so pexpect still reads the status itself.
            flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
            try:
                while os.waitid(os.P_PID, self.pid, flags) is None:
                    if time.monotonic() > deadline:
                        os.kill(self.pid, signal.SIGKILL)
                        break
                    time.sleep(0.05)
            except ChildProcessError:
                pass  # not ours to wait for: pexpect says so itself, below
        alive: bool = blocking_isalive(self)
        return alive

    ptyprocess.PtyProcess.isalive = isalive


_bound_pty_waits()


@pytest.fixture(scope="session")
def rb() -> RuleBase:
    return bundled_rulebase()


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


MINI_RULES = """
rulebase: {name: mini, version: "1"}
questions:
  - id: a
    type: yes_no
    text: A?
  - id: b
    type: yes_no
    text: B?
  - id: angle
    type: number
    text: Angle?
    min: 0
    max: 180
  - id: tempo
    type: choice
    text: Tempo?
    choices: {slow: Slow, fast: Fast}
  - id: where
    type: multi
    text: Where?
    choices: {back: Back, knee: Knee}
facts:
  - id: f
    title: F
causes:
  - id: c1
    title: C1
    explanation: c1
    fixes: [fx]
  - id: c2
    title: C2
    explanation: c2
    fixes: [fx]
fixes:
  - id: fx
    title: Fix
    how: do it
"""


# A coach's own small rule file (a question, a cause, a rule): the pack tests' example.
HIPS_RULES = """\
questions:
  - id: hips_shift
    type: yes_no
    text: Do your hips shift to one side?
    source: "other-sources: Causes the article does not name"
causes:
  - id: hips_shifting
    title: Hips shift sideways
    explanation: One hip takes more of the load.
    fixes: [stop_at_90_degrees]
    source: "other-sources: Causes the article does not name"
rules:
  - id: hips-shift
    if: hips_shift
    then: hips_shifting
    cf: 0.6
    source: "other-sources: Causes the article does not name"
"""
