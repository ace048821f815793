"""Messages fitted to a terminal: broken at spaces, never mid-word, and only on a
terminal (a pipe or a log file keeps one line per message)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect
from hypothesis import given
from hypothesis import strategies as st

from legpress_diag.presentation.ui.fit import MIN_WIDTH, fit, fit_to

MESSAGE = (
    "legpress-diag: error: /home/coach/rules/feet.yaml: cannot read the rule file "
    "(permission denied); check that the path is right and readable"
)


def test_a_long_message_breaks_at_spaces_within_the_width() -> None:
    lines = fit(MESSAGE, 40).split("\n")
    assert len(lines) > 1
    assert all(len(line) <= 40 for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])  # continuation indented
    assert " ".join(line.strip() for line in lines) == MESSAGE


def test_a_word_longer_than_the_width_stays_whole() -> None:
    path = "/a/very/long/path/" + "x" * 60 + "/rules.yaml"
    fitted = fit(f"cannot read {path} at all", 40)
    assert path in fitted.split("\n")[1]


def test_short_lines_and_no_terminal_are_left_alone() -> None:
    assert fit("short", 40) == "short"
    assert fit(MESSAGE, None) == MESSAGE
    assert fit(MESSAGE, MIN_WIDTH - 1) == MESSAGE
    assert fit_to(io.StringIO(), MESSAGE) == MESSAGE  # not a terminal: one line


@given(st.text(alphabet=st.sampled_from("ab cd-/:\n"), max_size=300), st.integers(20, 120))
def test_fitting_keeps_every_word_in_order(text: str, width: int) -> None:
    assert fit(text, width).split() == text.split()


def _run_in_terminal(args: list[str], cwd: Path, columns: int = 40) -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "legpress_diag", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,  # generous: waits for EOF, so a pass costs no more
        dimensions=(24, columns),
    )
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def test_errors_in_a_narrow_terminal_break_at_spaces(tmp_path: Path) -> None:
    out = _run_in_terminal(["diagnose", "no-such-answers-file.jsonl"], tmp_path)
    lines = [line for line in out.replace("\r", "").split("\n") if line.strip()]
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert "no-such-answers-file.jsonl" in out  # the name is never cut


def test_lint_problems_in_a_narrow_terminal_keep_their_position_whole(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("fixes:\n  - id: a\n    how: Stop: at 90\n")
    out = _run_in_terminal(["rules", "lint", "--no-default-rules", "bad.yaml"], tmp_path)
    lines = [line for line in out.replace("\r", "").split("\n") if line.strip()]
    assert all(len(line) <= 40 for line in lines if " " in line.strip())
    assert lines[0].startswith("bad.yaml:3:")


def test_a_source_excerpt_keeps_its_columns() -> None:
    excerpt = "12 |     how: " + "word " * 20 + "\n   |          ^"
    assert fit(excerpt, 40) == excerpt


def test_a_wrapped_list_item_continues_under_its_own_text_on_a_terminal() -> None:
    from legpress_diag.api import bundled_rulebase
    from legpress_diag.intake.questionnaire import Ask
    from legpress_diag.presentation.ui.console import make_console
    from legpress_diag.presentation.ui.questionnaire_view import QuestionnaireView

    rb = bundled_rulebase()
    shown = io.StringIO()
    console = make_console(shown, width=40)  # a 40-column terminal: wraps
    view = QuestionnaireView(console, console, rb)
    view.question(Ask(rb.questions["pain_timing"], 1))
    lines = shown.getvalue().splitlines()
    items = [i for i, line in enumerate(lines) if line.lstrip().startswith("1. ")]
    assert items, lines
    first = lines[items[0]]
    follow = lines[items[0] + 1]
    # The item's second line starts under its text ("  1. At the ..."), not at column 0.
    assert follow.startswith(" " * first.index("At")) and follow.lstrip()[:2] != "2."
    piped = io.StringIO()
    quiet = make_console(piped)  # not a terminal: nothing wrapped, each line whole
    QuestionnaireView(quiet, quiet, rb).question(Ask(rb.questions["pain_timing"], 1))
    # Words only: the choice ids are in the saved record, not on screen (issue 22 item 6).
    assert "\n  1. At the bottom, when the sled is closest\n" in piped.getvalue()
