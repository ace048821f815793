"""Hostile text from records and rule files is shown, never obeyed (issue 10).

Terminal escapes, rich markup, spreadsheet formulas and Markdown structure in an id,
an answer key or a rule's text reach every output escaped. The sanitiser itself is
tested as pure functions (with hypothesis), the outputs through the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from legpress_diag.cli.app import app
from legpress_diag.presentation.render import textsafe

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

# Bytes a terminal acts on: C0 (bar line feed), DEL, C1, and the bidi controls.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"

HOSTILE_RULES = r"""
rulebase: {name: "evil\e]0;owned\a", version: "1"}
questions:
  - id: hostile_q
    type: yes_no
    group: setup
    text: "Does it hurt\e]0;TITLE\a?\e[2J [bold red]loud[/]"
    help: "Help\e[2J <script>alert(1)</script>"
    source: test
causes:
  - id: hostile_cause
    title: "Bad\e[2J title [link=http://x]click[/link] <script>x</script>"
    explanation: "# Heading from explanation\e[2J"
    fixes: [hostile_fix]
    source: test
fixes:
  - id: hostile_fix
    title: "Fix\u202e it"
    how: "Do this\e]0;how\a\n```\n# escaped fence"
    source: test
rules:
  - id: hostile-rule
    if: hostile_q
    then: hostile_cause
    cf: 0.8
    note: "Note\e[2J with a fence\n```\n## not a heading\n````"
    source: test
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_RULES.lstrip("\n"), encoding="utf-8")
    return path


def diagnose(args: list[str], records: list[dict[str, object]]) -> tuple[int, str, str]:
    lines = "".join(json.dumps(r) + "\n" for r in records)
    result = runner.invoke(app, ["diagnose", "-", "--jobs", "1", *args], input=lines, env=ENV)
    return result.exit_code, result.stdout, result.stderr


def assert_inert(*texts: str) -> None:
    for text in texts:
        assert FORBIDDEN.search(text) is None, repr(FORBIDDEN.search(text))


# --- the sanitiser, as pure functions -------------------------------------------------


@given(st.text())
def test_terminal_text_never_holds_a_control_or_bidi_character(text: str) -> None:
    assert_inert(textsafe.terminal(text))
    assert "\n" not in textsafe.terminal(text)
    kept = textsafe.terminal(text, newlines=True)
    assert_inert(kept)
    assert kept.count("\n") == text.count("\n")


# Ordinary text is what the contract leaves alone: no controls, no format characters, no
# line separators, and no lone surrogates (Cs), which the escaper shows as letters on purpose.
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_terminal_text_leaves_ordinary_text_alone(text: str) -> None:
    assert textsafe.terminal(text) == text


def test_terminal_text_shows_escapes_as_letters() -> None:
    assert textsafe.terminal(f"a{OSC_TITLE}b\u202ec\x9b") == "a\\x1b]0;pwned\\x07b\\u202ec\\x9b"
    assert textsafe.terminal("one\r\ntwo", newlines=True) == "one\\x0d\ntwo"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_prefixes_a_formula_start(start: str) -> None:
    cell = textsafe.csv_cell(start + "HYPERLINK(1)")
    assert isinstance(cell, str) and cell.startswith("'")


@given(st.text())
def test_csv_cell_text_never_starts_like_a_formula(text: str) -> None:
    cell = textsafe.csv_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cell_keeps_numbers_numbers() -> None:
    # A negative number in a numeric column is a number to a spreadsheet, not a formula.
    assert textsafe.csv_cell(-0.4) == -0.4
    assert textsafe.csv_cell(-5) == -5
    assert textsafe.csv_cell("-5") == "'-5"  # a string id that looks like one is text


@given(st.text())
def test_markdown_text_is_one_inert_line(text: str) -> None:
    shown = textsafe.markdown(text, line_start=True)
    assert "\n" not in shown and "\r" not in shown
    assert "<" not in shown and ">" not in shown
    assert not shown.startswith(("#", "-", "+", "=", ">", "`"))
    assert re.match(r"\d+[.)]", shown) is None
    assert_inert(shown)


@given(st.text(alphabet="`~\n ax"))
def test_no_line_of_the_content_can_close_its_fence(content: str) -> None:
    opening, *body, closing = textsafe.fenced(content, "text")
    fence = closing
    assert opening == fence + "text"
    for line in body:
        assert not line.strip().startswith(fence)


@given(st.text())
def test_json_lines_decode_to_the_same_text_without_raw_c1_or_bidi(text: str) -> None:
    from legpress_diag.presentation.render.json_codec import encode

    encoded = encode({"id": text})
    assert_inert(encoded)
    assert json.loads(encoded)["id"] == text


# --- diagnose ------------------------------------------------------------------------


def test_diagnose_warnings_escape_ids_and_unknown_keys() -> None:
    records = [
        {"id": f"client{OSC_TITLE}", "answers": {f"knee{CLEAR}": "yes", "\u202eevil": 1}},
        {"id": "c1\x9b2J", "answers": {"heels_lift": "sideways"}},
    ]
    # A JSON array, so that messages name records by their id, not by a line number.
    result = runner.invoke(
        app, ["diagnose", "-", "--jobs", "1", "-f", "jsonl"], input=json.dumps(records), env=ENV
    )
    assert result.exit_code == 1  # the second record is invalid
    out, err = result.stdout, result.stderr
    assert_inert(out, err)
    assert "record client\\x1b]0;pwned\\x07: warning: knee\\x1b[2J: unknown question id" in err
    assert "\\u202eevil" in err and "record c1\\x9b2J: error: heels_lift" in err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [f"client{OSC_TITLE}", "c1\x9b2J"]  # the data itself is kept exactly


def test_table_shows_rich_markup_and_escapes_literally(hostile: Path) -> None:
    records = [{"id": f"[bold red]x[/] [link=http://evil]y{OSC_TITLE}", "answers": {}}]
    code, out, err = diagnose(
        ["-f", "table", "--no-default-rules", "--rules", str(hostile)],
        [*records, {"id": "r2", "answers": {"hostile_q": "yes"}}],
    )
    assert code == 0, err
    assert_inert(out, err)
    assert "[bold red]x[/] [link=http://evil]y\\x1b]0;pwned\\x07" in out
    assert "[link=http://x]click[/link]" in out  # a cause title, in a table cell


def test_csv_cells_cannot_start_a_formula() -> None:
    records = [
        {"id": '=HYPERLINK("http://evil","x")', "answers": {}},
        {"id": "-2+3", "answers": {}},
        {"id": "@SUM(A1)", "answers": {}},
        {"id": -7, "answers": {}},
        {"id": "\tx", "answers": {}},
    ]
    code, out, _ = diagnose(["-f", "csv"], records)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil","x")',
        "'-2+3",
        "'@SUM(A1)",
        "-7",  # an integer id is a number, not text
        "'\\x09x",
    ]


def test_markdown_ids_add_no_heading_and_no_html() -> None:
    record = {"id": "x\n# Injected\n<script>alert(1)</script>\n```", "answers": {}}
    code, out, _ = diagnose(["-f", "markdown"], [record])
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert len(headings) == 1 and headings[0].startswith("## Record x \\# Injected")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert not any(line.startswith("```") for line in out.splitlines())


def test_markdown_rule_text_is_inert(hostile: Path) -> None:
    record = {"id": "r", "answers": {"hostile_q": "yes"}}
    code, out, _ = diagnose(
        ["-f", "markdown", "--no-default-rules", "--rules", str(hostile)], [record]
    )
    assert code == 0
    assert_inert(out)
    assert "<script>" not in out
    starts = [line.split(" ")[0] for line in out.splitlines() if line.startswith(("#", "`"))]
    # The record heading, the plan and the cause; none from the rules.
    assert starts == ["##", "###", "###"]


# --- ask and its report ----------------------------------------------------------------


def test_ask_questions_why_how_and_report_are_inert(hostile: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = runner.invoke(
        app,
        ["ask", "--no-default-rules", "--rules", str(hostile), "--report", str(report)],
        input="why\nhelp\ny\nhow hostile_cause\nhow --detail hostile_cause\n\n",
        env=ENV,
    )
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, result.stderr)
    assert "Does it hurt\\x1b]0;TITLE\\x07?\\x1b[2J [bold red]loud[/]" in result.stderr
    assert "why: Note\\x1b[2J with a fence" in result.stdout  # the 'how --detail' answer
    text = report.read_text(encoding="utf-8")
    assert_inert(text)
    assert "<script>" not in text
    lines = text.splitlines()
    opening = next(i for i, line in enumerate(lines) if line.endswith("text"))
    fence = lines[opening].removesuffix("text")
    closing = lines.index(fence, opening + 1)
    assert "source: test" in lines[closing - 1]  # the whole reasoning is inside the fence
    assert not any(line.startswith(fence) for line in lines[opening + 1 : closing])
    outside = lines[:opening] + lines[closing + 1 :]
    headings = [line for line in outside if line.startswith("#")]
    # Title, result, plan, the cause, its plain reasoning, the coach's (fenced) one.
    assert [h.split(":")[0].split(" ")[0] for h in headings] == [
        "#",
        "##",
        "###",
        "###",
        "###",
        "###",
    ]


def test_html_report_escapes_control_characters(rb: object) -> None:
    from legpress_diag.api import diagnose as run
    from legpress_diag.presentation.render.report import html_report

    result = run({"id": "x", "answers": {"heels_lift": "yes"}}, explain=True)
    result["causes"][0]["title"] = f"<b>{OSC_TITLE}</b>"
    page = html_report(result)
    assert_inert(page)
    assert "&lt;b&gt;\\x1b]0;pwned\\x07&lt;/b&gt;" in page


# --- lint ------------------------------------------------------------------------------


def test_lint_reports_control_characters_with_their_position(hostile: Path) -> None:
    result = runner.invoke(app, ["rules", "lint", "--no-default-rules", str(hostile)], env=ENV)
    found = re.findall(r":(\d+):(\d+): LP317 ", result.stdout)
    # name, question text, help, cause title, explanation, fix title, fix how, rule note
    assert found == [
        ("1", "23"),
        ("6", "24"),
        ("7", "16"),
        ("11", "16"),
        ("12", "45"),
        ("17", "16"),
        ("18", "18"),
        ("25", "16"),
    ]
    assert "(\\x1b, \\x07)" in result.stdout


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_rules_draw_shows_control_characters_escaped(tmp_path: Path, fmt: str) -> None:
    from legpress_diag.api import load_rulebase
    from legpress_diag.authoring.draw import draw

    (tmp_path / "esc.yaml").write_text(
        'fixes:\n  - {id: sit_back, title: "Sit \\e[31mRED back \\u202eevil \\a", how: x,'
        " source: coach}\n"
        "causes:\n  - {id: seat_x, title: Seat, explanation: x, fixes: [sit_back], source: c}\n"
        "rules:\n  - {id: sx, if: heels_lift, then: seat_x, cf: 0.5, source: coach}\n"
    )
    drawn = draw(load_rulebase([tmp_path / "esc.yaml"]), fmt, cause="seat_x")
    assert "\x1b" not in drawn and "\u202e" not in drawn and "\x07" not in drawn
    assert "x1b[31mRED" in drawn and "u202eevil" in drawn
