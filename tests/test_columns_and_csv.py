"""A coach's intake sheet read exactly: a CSV export (intake/csvinput.py) and a column
map (intake/columns.py). A new user's report (check 54): CSV was not read and its
header row counted as a client, a form's own column names could only ever doubt a
sign, and a clean sheet gave a dozen harmless warnings per client."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import ColumnMapError, column_map, diagnose, diagnose_many
from legpress_diag.cli.app import app
from legpress_diag.intake.csvinput import EXTRA_CELLS, CsvError, csv_as_json_lines

from .free_form import ALL_NO, RB

runner = CliRunner()

# A form that asks two signs in its own words, the age and one form fault.
COLUMNS = {
    "Timestamp": None,
    "Name": None,
    "Notes": None,
    "Age": "age_years",
    "Any numbness around the groin or inner thighs?": "saddle_numbness",
    "Trouble peeing?": "bladder_bowel_change",
    "Does your butt lift off the seat?": "butt_lifts_off_seat",
}
SIGNS_BY_ID = {
    k: v for k, v in ALL_NO.items() if k not in ("saddle_numbness", "bladder_bowel_change")
}


def _with(**answers: Any) -> dict[str, Any]:
    return {"id": "c", "answers": {**SIGNS_BY_ID, **answers}}


def _levels(result: dict[str, Any]) -> dict[str, str]:
    return {flag["id"]: flag["level"] for flag in result["red_flags"]}


# --- the column map ---------------------------------------------------------------


def test_a_mapped_no_is_a_clear_no_where_unmapped_it_can_only_doubt() -> None:
    said = {"Any numbness around the groin or inner thighs?": "No", "Trouble peeing?": "No"}
    assert diagnose(_with(**said), RB, columns=COLUMNS)["status"] == "ok"
    assert diagnose(_with(**said), RB)["status"] == "unscreened"


def test_a_mapped_yes_is_the_signs_yes_at_its_full_level() -> None:
    said = {"Any numbness around the groin or inner thighs?": "Yes", "Trouble peeing?": "No"}
    found = diagnose(_with(**said), RB, columns=COLUMNS)
    assert found["status"] == "refer" and _levels(found)["saddle_numbness"] == "emergency"
    assert not found["fixes"] and not found["alternatives"]


def test_columns_that_are_no_answers_say_nothing() -> None:
    said = {
        "Timestamp": "2026/12/01 10:00",
        "Name": "Ann",
        "Any numbness around the groin or inner thighs?": "No",
        "Trouble peeing?": "No",
    }
    found = diagnose(_with(**said), RB, columns=COLUMNS)
    assert found["warnings"] == [] and found["status"] == "ok"
    unmapped = diagnose(_with(**said), RB, columns={k: v for k, v in COLUMNS.items() if v})
    assert {w["key"] for w in unmapped["warnings"]} >= {"Timestamp", "Name"}


def test_a_note_the_map_calls_no_answer_is_still_read_for_warning_signs() -> None:
    said = {
        "Any numbness around the groin or inner thighs?": "No",
        "Trouble peeing?": "No",
        "Notes": "I keep tripping over my left foot",
    }
    found = diagnose(_with(**said), RB, columns=COLUMNS)
    assert found["status"] == "refer" and "new_leg_weakness" in _levels(found)
    (note,) = [w for w in found["warnings"] if w["key"] == "Notes"]
    assert "mentions 'new_leg_weakness'" in note["message"]


def test_names_match_with_case_and_surrounding_spaces_ignored() -> None:
    found = diagnose(_with(**{"  trouble PEEING? ": "yes"}), RB, columns=COLUMNS)
    assert _levels(found)["bladder_bowel_change"] == "emergency"


@pytest.mark.parametrize(
    ("first", "second", "read"), [("no", "yes", "emergency"), ("no", "unsure", "urgent")]
)
def test_two_columns_for_one_question_are_read_carefully(
    first: str, second: str, read: str
) -> None:
    columns = {**COLUMNS, "Numb groin (again)": "saddle_numbness"}
    said = {
        "Any numbness around the groin or inner thighs?": first,
        "Numb groin (again)": second,
        "Trouble peeing?": "no",
    }
    found = diagnose(_with(**said), RB, columns=columns)
    assert _levels(found)["saddle_numbness"] == read
    assert any("answered by another column too" in w["message"] for w in found["warnings"])


def test_many_records_share_one_checked_map() -> None:
    records = [
        _with(**{"Trouble peeing?": "no", "Any numbness around the groin or inner thighs?": v})
        for v in ("no", "yes")
    ]
    statuses = [r["status"] for r in diagnose_many(records, RB, columns=column_map(COLUMNS, RB))]
    assert statuses == ["ok", "refer"]


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        ({"Age": "age_yrs"}, "did you mean 'age_years'?"),
        ({"Age": 3}, "expected a question id"),
        ({"Age": "age_years", " age": "age_years"}, "is given twice"),
        ({" ": "age_years"}, "an empty column name"),
    ],
)
def test_a_wrong_map_is_refused_with_what_is_wrong(mapping: Any, says: str) -> None:
    with pytest.raises(ColumnMapError, match=re.escape(says)):
        column_map(mapping, RB)


# --- the command line -------------------------------------------------------------

SHEET = (
    "Timestamp,Name,Age,Any numbness around the groin or inner thighs?,Trouble peeing?,"
    "Does your butt lift off the seat?,Notes\n"
    "2026/12/01 10:00,Ann,34,No,No,Yes,\n"
    '2026/12/01 11:00,Bob,52,Yes,No,No,"back sore after leg day"\n'
    '2026/12/01 12:00,Cat,71,No,No,Yes,"I keep tripping over my left foot"\n'
)


def _run(tmp_path: Path, sheet: str, *args: str, name: str = "intake.csv") -> Any:
    (tmp_path / name).write_text(sheet, encoding="utf-8")
    (tmp_path / "columns.json").write_text(json.dumps(COLUMNS, indent=1))
    return runner.invoke(app, ["diagnose", str(tmp_path / name), "-f", "jsonl", *args])


def _results(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_a_csv_sheet_gives_one_result_per_client_with_its_line(tmp_path: Path) -> None:
    result = _run(tmp_path, SHEET, "--columns", str(tmp_path / "columns.json"))
    found = _results(result.stdout)
    assert [r["line"] for r in found] == [2, 3, 4]  # the header is no client
    assert [r["status"] for r in found] == ["unscreened", "refer", "refer"]
    assert _levels(found[1]) == {"saddle_numbness": "emergency"}
    assert "progressive_leg_weakness" in _levels(found[2])


def test_a_jobs_run_reads_the_map_as_one_process_does(tmp_path: Path) -> None:
    one = _results(_run(tmp_path, SHEET, "--columns", str(tmp_path / "columns.json")).stdout)
    two = _results(
        _run(tmp_path, SHEET, "--columns", str(tmp_path / "columns.json"), "-j", "2").stdout
    )
    assert [(r["status"], _levels(r)) for r in one] == [(r["status"], _levels(r)) for r in two]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{\n "Age": "age_years",\n}\n', "columns.json:2:20: not JSON: a comma after the last"),
        ('{\n "Age": "age_yrs"\n}\n', "columns.json:2:2: 'Age' maps to 'age_yrs'"),
        (
            '{"Age": "age_years", "Age": "saddle_numbness"}',
            "columns.json:1:22: 'Age' is given twice",
        ),
        ('["Age"]', "a column map is a JSON object"),
    ],
)
def test_a_broken_map_stops_before_any_work_with_its_place(
    tmp_path: Path, text: str, says: str
) -> None:
    (tmp_path / "intake.csv").write_text(SHEET)
    (tmp_path / "columns.json").write_text(text)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(
        app,
        [
            *("diagnose", str(tmp_path / "intake.csv")),
            *("--columns", str(tmp_path / "columns.json"), "-o", str(out)),
        ],
    )
    assert result.exit_code == 2 and says in result.stderr
    assert not out.exists()


def test_a_missing_map_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, SHEET, "--columns", str(tmp_path / "nosuch.json"))
    assert result.exit_code == 2 and "cannot read the column map" in result.stderr


def test_csv_from_standard_input_with_semicolons_and_an_id_column() -> None:
    sheet = "ID;Age;Trouble peeing?\nc1;70;yes\nc2;40;\n"
    result = runner.invoke(app, ["diagnose", "-", "--csv", "-f", "jsonl"], input=sheet)
    found = _results(result.stdout)
    assert [r["id"] for r in found] == ["c1", "c2"]
    assert "bladder_bowel_change" in _levels(found[0])


def test_a_broken_csv_is_a_usage_error_naming_its_line(tmp_path: Path) -> None:
    result = _run(tmp_path, 'a,b\n1,"unclosed\n', name="bad.csv")
    assert result.exit_code == 2 and "bad.csv:2: not CSV" in result.stderr


# --- reading the sheet ------------------------------------------------------------


def _rows(sheet: bytes) -> list[dict[str, Any] | None]:
    records, _ = csv_as_json_lines(io.BytesIO(sheet), "s.csv")
    lines = records.read().decode().split("\n")
    return [json.loads(line) if line else None for line in lines[:-1]]


def test_numbers_are_numbers_and_empty_cells_are_no_answers() -> None:
    assert _rows(b"Age,Weight,Note\n70,82.5,\n") == [
        None,
        {"answers": {"Age": 70, "Weight": 82.5}},
    ]


def test_a_cell_with_a_line_break_keeps_the_line_numbers_of_the_rows_after_it() -> None:
    rows = _rows(b'Note,Age\n"two\nlines",30\nlast,40\n')
    assert rows[1] == {"answers": {"Note": "two\nlines", "Age": 30}}
    assert rows[2] is None and rows[3] == {"answers": {"Note": "last", "Age": 40}}


def test_cells_past_the_header_are_kept_and_repeated_names_are_numbered() -> None:
    (_, row) = _rows(b"Age,Age,\n30,31,x,trouble peeing\n")
    assert row == {
        "answers": {"Age": 30, "Age (2)": 31, "(column 3)": "x", EXTRA_CELLS: ["trouble peeing"]}
    }


def test_a_tab_separated_sheet_with_a_byte_order_mark() -> None:
    assert _rows("\ufeffAge\tNote\n30\tok\n".encode()) == [
        None,
        {"answers": {"Age": 30, "Note": "ok"}},
    ]


def test_a_windows_code_page_sheet_loses_no_row() -> None:
    assert _rows("Note\ncaf\u00e9\n".encode("cp1252")) == [None, {"answers": {"Note": "caf\u00e9"}}]


def test_an_empty_sheet_has_no_records_and_a_broken_one_says_where() -> None:
    assert _rows(b"") == []
    with pytest.raises(CsvError, match=r"s\.csv:2"):
        _rows(b'a\n"open\n')


# --- the form's own answers, the id column, a column the sheet lacks ---------------


def test_the_map_reads_a_forms_own_answers_and_its_name_column() -> None:
    columns = {
        **COLUMNS,
        "Name": "id",
        "When does it hurt most?": {
            "question": "pain_timing",
            "values": {"At the bottom of the rep": "bottom_of_rep"},
        },
        "Trouble peeing?": {"question": "bladder_bowel_change", "values": {"Sometimes": "unsure"}},
    }
    said = {
        "Name": "Ann Lee",
        "When does it hurt most?": "at the bottom of the rep ",
        "Any numbness around the groin or inner thighs?": "No",
        "Trouble peeing?": "Sometimes",
    }
    found = diagnose(_with(**said), RB, columns=columns)
    assert found["id"] == "Ann Lee" and not found["errors"]
    assert _levels(found)["bladder_bowel_change"] == "urgent"  # unsure: one level lower


def test_a_list_cell_is_read_item_by_item() -> None:
    columns = {
        "Where does it hurt?": {
            "question": "pain_location",
            "values": {"Lower back": "lower_back", "Hips": "hips"},
        }
    }
    found = diagnose({"answers": {"Where does it hurt?": "Lower back, Hips"}}, RB, columns=columns)
    assert not found["errors"]


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ({"question": "pain_timing", "values": {"Bottom": "at_the_bottom"}}, "does not take"),
        ({"question": "saddle_numbness", "values": {"Sometimes": "maybe"}}, "does not take"),
        ({"question": "age_years", "values": {"old": 300}}, "does not take"),
        ({"values": {}}, 'expected {"question": ID'),
        ({"question": "pain_timing", "values": ["a"]}, "expected an object"),
    ],
)
def test_a_wrong_answer_in_the_map_is_refused(target: Any, says: str) -> None:
    with pytest.raises(ColumnMapError, match=re.escape(says)):
        column_map({"Column": target}, RB)


def test_a_mapped_column_the_sheet_lacks_stops_the_run_before_any_record(
    tmp_path: Path,
) -> None:
    # Said as a warning, the coach's run exited 0 with the question unanswered in every
    # row (a new user, check 59): now a usage error naming the map's line and column.
    columns = {**COLUMNS, "Age (years)": "age_years"}
    columns.pop("Age")
    (tmp_path / "columns.json").write_text(json.dumps(columns, indent=1))
    (tmp_path / "intake.csv").write_text(SHEET)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(
        app,
        [
            *("diagnose", str(tmp_path / "intake.csv")),
            *("--columns", str(tmp_path / "columns.json"), "-o", str(out)),
        ],
    )
    assert result.exit_code == 2 and not out.exists()
    said = [line for line in result.stderr.splitlines() if "matches no column" in line]
    line = 1 + list(columns).index("Age (years)") + 1  # json.dumps(indent=1): one a line
    assert len(said) == 1 and f"columns.json:{line}:2: 'Age (years)'" in said[0]
    assert "remove it from the map" in said[0]


def test_the_summary_names_who_to_refer_most_urgent_first(tmp_path: Path) -> None:
    columns = {**COLUMNS, "Name": "id"}
    (tmp_path / "columns.json").write_text(json.dumps(columns))
    (tmp_path / "intake.csv").write_text(SHEET)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(
        app,
        [
            *("diagnose", str(tmp_path / "intake.csv")),
            *("--columns", str(tmp_path / "columns.json"), "-o", str(out)),
        ],
    )
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("to refer:")]
    assert line == (
        'to refer: 1 emergency (an emergency department now): "Bob"; '
        '1 urgent (a doctor today): "Cat"'
    )
    assert [json.loads(row)["id"] for row in out.read_text().splitlines()] == ["Ann", "Bob", "Cat"]


# --- check 58: what a map or a sheet could lose --------------------------------------


@pytest.mark.parametrize("order", ["mapped first", "own id first"])
def test_a_mapped_column_and_the_questions_own_key_are_read_together(order: str) -> None:
    pair = [("Numb groin?", "yes"), ("saddle_numbness", "no")]
    answers = dict(pair if order == "mapped first" else pair[::-1])
    found = diagnose(_with(**answers), RB, columns={"Numb groin?": "saddle_numbness"})
    assert found["status"] == "refer" and "saddle_numbness" in _levels(found)


def test_a_column_naming_a_sign_mapped_elsewhere_is_still_read_for_it() -> None:
    columns = column_map({"Numb groin?": "morning_stiffness"}, RB)
    assert columns.doubts and "names saddle_numbness" in columns.doubts[0]
    found = diagnose(_with(**{"Numb groin?": "yes"}), RB, columns=columns)
    assert "saddle_numbness" in _levels(found)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_sheet_is_read(encoding: str) -> None:
    assert _rows("Age,Note\n30,trouble peeing\n".encode(encoding)) == [
        None,
        {"answers": {"Age": 30, "Note": "trouble peeing"}},
    ]


def test_the_output_may_not_replace_the_column_map(tmp_path: Path) -> None:
    (tmp_path / "intake.csv").write_text(SHEET)
    (tmp_path / "columns.json").write_text(json.dumps(COLUMNS))
    before = (tmp_path / "columns.json").read_text()
    result = runner.invoke(
        app,
        [
            *("diagnose", str(tmp_path / "intake.csv")),
            *("--columns", str(tmp_path / "columns.json"), "-o", str(tmp_path / "columns.json")),
        ],
    )
    assert result.exit_code == 2 and (tmp_path / "columns.json").read_text() == before


def test_a_sign_beside_the_target_is_said_and_the_mapped_no_stays_clear() -> None:
    # "Both legs numb?" mapped to leg pain names both legs too: said (check 59); read
    # under its heading as well, every clear client of a correct map was referred
    columns = column_map({"Both legs numb?": "leg_pain_below_knee"}, RB)
    assert len(columns.doubts) == 1 and "also names both_legs_symptoms" in columns.doubts[0]
    heading = "Any pain, pins and needles or numbness going down a leg below the knee?"
    clear = diagnose(_with(**{heading: "No"}), RB, columns={heading: "leg_pain_below_knee"})
    assert "leg_pain_below_knee" not in _levels(clear)


def test_a_yes_with_words_under_a_mapped_yes_no_column_is_one_answer() -> None:
    columns = {
        **COLUMNS,
        "Trouble peeing?": {"question": "bladder_bowel_change", "values": {"Yes": "yes"}},
    }
    said = {"Trouble peeing?": "Yes, a bit", "Any numbness around the groin or inner thighs?": "No"}
    found = diagnose(_with(**said), RB, columns=columns)
    assert not found["errors"] and _levels(found)["bladder_bowel_change"] == "emergency"


def test_a_note_past_csvs_own_cell_limit_costs_no_row() -> None:
    # csv's default limit is 128 KiB a cell: one long note refused the whole sheet
    note = "I train a lot. " * 12_000 + "Also trouble peeing."
    rows = _rows(f'Age,Note\n30,"{note}"\n40,ok\n'.encode())
    assert [row["answers"]["Age"] for row in rows if row] == [30, 40]
    assert csv.field_size_limit() == 131_072  # the global limit is left as it was
