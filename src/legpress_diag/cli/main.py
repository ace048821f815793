"""The console-script entry point: turns every way a run can end into an exit status."""

from __future__ import annotations

import os
import sys
import traceback

from .. import exitcodes

ISSUES_HINT = "please report it with the command you ran"


def main(argv: list[str] | None = None) -> None:
    try:
        from .app import app

        app(args=argv, prog_name="legpress-diag")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(exitcodes.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly.
        from .output import silence_stdout

        silence_stdout()
        sys.exit(exitcodes.OK)
    except Exception as exc:  # a bug: say so briefly, with enough to report it
        from ..diagnostics import LegpressError

        if isinstance(exc, LegpressError):
            sys.stderr.write(f"legpress-diag: error: {exc}\n")
            sys.exit(exitcodes.CANNOT_RUN)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        sys.stderr.write(
            f"legpress-diag: internal error: {type(exc).__name__}: {exc}\n"
            f"  at {os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}\n"
            f"  This is a bug in legpress-diag; {ISSUES_HINT}.\n"
        )
        if os.environ.get("LEGPRESS_DIAG_DEBUG"):
            traceback.print_exc()
        sys.exit(exitcodes.INTERNAL)
