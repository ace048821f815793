"""The console-script entry point: turns every way a run can end into an exit status.

Signal handling lives here and only here: TERM and HUP are turned into an
interruption (a ``KeyboardInterrupt`` subclass), so the same unwinding that Ctrl-C
gets removes temp files and saves a questionnaire's answers; the exit status is then
128 + the signal number, as a shell reports a process ended by that signal.
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
import traceback
from types import FrameType
from typing import NoReturn

from .. import exitcodes
from .startup import collector_paused

ISSUES_HINT = "please report it with the command you ran"
ESCAPE_ERRORS = "legpress-diag-escape"

_MAIN_PID = os.getpid()
_received: list[int] = []  # the signal that ended the run, if one did


class Terminated(KeyboardInterrupt):
    """The run was ended by a signal (SIGTERM, SIGHUP, ...); unwinds like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID:
        # A forked worker inherited this handler: die as the signal intends, at once.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    if _received:
        return  # already unwinding: let the cleanup (saving answers) finish
    _received.append(signum)
    raise Terminated(signum)


def install_signal_handlers() -> None:
    for name in exitcodes.ENDING_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _on_signal)


def interrupted_status() -> int:
    """130 for Ctrl-C; 128 + N when signal N (TERM, HUP) ended the run."""
    return 128 + _received[0] if _received else exitcodes.INTERRUPTED


def tolerate_narrow_encodings() -> None:
    """Never fail because stdout or stderr cannot encode a character (LANG, PYTHONIOENCODING)."""
    from ..presentation.render import textsafe

    codecs.register_error(ESCAPE_ERRORS, textsafe.unencodable_escaped)
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if not name.startswith("utf") and reconfigure is not None:
            reconfigure(errors=ESCAPE_ERRORS)


COMPLETION_OPTIONS = ("--show-completion", "--install-completion")
COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def accept_completion_shell_names(args: list[str]) -> None:
    """Let ``--show-completion zsh`` name the shell instead of detecting it.

    Typer detects the shell from the process tree, which a script, a container or a
    CI job may not show; its options take a shell name only when this variable is
    set (the switch its own tests use), so it is set when a name follows.
    """
    for index, arg in enumerate(args):
        option, _, value = arg.partition("=")
        if option not in COMPLETION_OPTIONS:
            continue
        if not value and index + 1 < len(args):
            value = args[index + 1]
        if value in COMPLETION_SHELLS:
            os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"


def main(argv: list[str] | None = None) -> None:
    if argv is not None:  # called in a process that goes on after (a test)
        _main(argv)
        return
    # The process's own command line: the garbage collector waits until the command
    # has started (see startup.py).
    with collector_paused(sys.argv[1:]):
        _main(argv)


def _main(argv: list[str] | None) -> None:
    from ..presentation.destination import is_environment_error
    from .output import reopen_closed_std_streams

    accept_completion_shell_names(sys.argv[1:] if argv is None else argv)
    reopen_closed_std_streams()
    tolerate_narrow_encodings()
    install_signal_handlers()
    try:
        from .app import build
        from .wakeful import wakeful_stdin

        with wakeful_stdin():  # a signal is never lost in a blocking read of stdin
            build(sys.argv[1:] if argv is None else argv)(args=argv, prog_name="legpress-diag")
    except SystemExit as exc:
        if _received and exc.code == exitcodes.INTERRUPTED:
            sys.exit(interrupted_status())  # typer reports every interruption as 130
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(interrupted_status())
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly.
        from ..presentation.destination import silence_stdout

        silence_stdout()
        sys.exit(exitcodes.OK)
    except OSError as exc:
        if not is_environment_error(exc):
            _report_bug(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        _tell(f"legpress-diag: error: {where}{exc.strerror or exc}")
        sys.exit(exitcodes.CANNOT_RUN)
    except Exception as exc:  # a bug: say so briefly, with enough to report it
        from ..foundation.problems import LegpressError

        if isinstance(exc, LegpressError):
            _tell(f"legpress-diag: error: {exc}")
            sys.exit(exitcodes.CANNOT_RUN)
        _report_bug(exc)


def _tell(message: str) -> None:
    from ..presentation.ui.fit import fit_to

    sys.stderr.write(fit_to(sys.stderr, message) + "\n")


def _report_bug(exc: BaseException) -> NoReturn:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    sys.stderr.write(
        f"legpress-diag: internal error: {type(exc).__name__}: {exc}\n"
        f"  at {os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}\n"
        f"  This is a bug in legpress-diag; {ISSUES_HINT}.\n"
    )
    if os.environ.get("LEGPRESS_DIAG_DEBUG"):
        traceback.print_exception(exc)
    sys.exit(exitcodes.INTERNAL)
