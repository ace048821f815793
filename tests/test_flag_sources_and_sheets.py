"""Where a flag was read from, and what a coach's sheet says at a glance.

A coach's asks after check 59: a flag raised by a note said "Because you said: ...:
unsure" under the sign's own question, so nobody could find the words that raised it;
an unscreened client who answered no safety question looked like one who answered
most, and its plan read like a cleared plan; a CSV row had no level to sort on; a map
column the sheet lacks, or a misspelt answer in a map's "values", went by quietly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import diagnose
from legpress_diag.cli.app import app
from legpress_diag.intake.answers import READ_FROM_SHOWN
from legpress_diag.presentation.render.formats import plan_caveat, plan_heading

from .free_form import ALL_NO, RB, flagged

runner = CliRunner()
NOTE = "pins and needles down both legs since Tuesday"


def _because(result: dict[str, Any], flag_id: str) -> list[dict[str, Any]]:
    return next(f["because"] for f in result["red_flags"] if f["id"] == flag_id)


def _clear_but(*signs: str, **more: Any) -> dict[str, Any]:
    answers = {k: v for k, v in ALL_NO.items() if k not in signs}
    return {"id": "c", "answers": {**answers, **more}}


# --- the flag says which answer it was read from -----------------------------------


def test_a_flag_raised_by_a_note_names_the_note_and_its_words() -> None:
    found = diagnose(_clear_but("both_legs_symptoms", **{"Anything else?": NOTE}), RB)
    assert found["status"] == "refer"
    assert _because(found, "both_legs_symptoms") == [
        {
            "key": "both_legs_symptoms",
            "answer": "unsure",
            "read_from": {"key": "Anything else?", "answer": NOTE},
        }
    ]


def test_a_questions_own_answer_names_no_other_key() -> None:
    own = diagnose(_clear_but("both_legs_symptoms", both_legs_symptoms="unsure"), RB)
    assert _because(own, "both_legs_symptoms") == [
        {"key": "both_legs_symptoms", "answer": "unsure"}
    ]
    said_yes = diagnose(_clear_but("both_legs_symptoms", both_legs_symptoms="yes", notes=NOTE), RB)
    assert _because(said_yes, "both_legs_symptoms") == [
        {"key": "both_legs_symptoms", "answer": "yes"}
    ]


def test_its_own_not_sure_beside_a_note_is_its_own() -> None:
    found = diagnose(_clear_but("both_legs_symptoms", both_legs_symptoms="unsure", notes=NOTE), RB)
    assert "read_from" not in _because(found, "both_legs_symptoms")[0]


def test_a_not_sure_under_another_spelling_of_the_key_names_that_spelling() -> None:
    found = diagnose(_clear_but("saddle_numbness", **{"Saddle Numbness": "not sure"}), RB)
    (said,) = _because(found, "saddle_numbness")
    assert said["read_from"] == {"key": "Saddle Numbness", "answer": "not sure"}


@pytest.mark.parametrize(
    ("length", "shown"), [(READ_FROM_SHOWN, READ_FROM_SHOWN), (READ_FROM_SHOWN + 1, None)]
)
def test_a_long_note_is_shown_shortened_past_the_limit(length: int, shown: int | None) -> None:
    note = (NOTE + " ") + "x" * (length - len(NOTE) - 1)
    assert len(note) == length
    found = diagnose(_clear_but("both_legs_symptoms", **{"Anything else?": note}), RB)
    answer = _because(found, "both_legs_symptoms")[0]["read_from"]["answer"]
    if shown is not None:
        assert answer == note
    else:
        assert len(answer) == READ_FROM_SHOWN and answer.endswith("…")
        assert answer[:-1] == note[: READ_FROM_SHOWN - 1]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "read from “Anything else?”:"),
        ("markdown", "not sure, read from “Anything else?”: “pins and needles &lt;b&gt;"),
        ("html", "not sure, read from “Anything else?”: “pins and needles &lt;b&gt;"),
    ],
)
def test_every_report_shows_where_the_flag_was_read_from(
    tmp_path: Path, fmt: str, expected: str
) -> None:
    record = _clear_but("both_legs_symptoms", **{"Anything else?": "pins and needles <b>" + NOTE})
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n")
    result = runner.invoke(
        app, ["diagnose", str(tmp_path / "in.jsonl"), "-f", fmt], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    assert "<b>" not in result.stdout or fmt == "text"  # escaped where markup is read


# --- a sheet at a glance: level and unanswered count -------------------------------


def _csv_rows(records: list[dict[str, Any]], tmp_path: Path) -> dict[str, dict[str, str]]:
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    result = runner.invoke(app, ["diagnose", str(tmp_path / "in.jsonl"), "-f", "csv"])
    return {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_a_csv_row_has_the_level_and_the_count_of_unanswered_safety_questions(
    tmp_path: Path,
) -> None:
    # follow-ups are asked only after a yes to the question they follow
    first_asked = [q for q in RB.index.screen_questions if RB.questions[q].follow_up_of is None]
    rows = _csv_rows(
        [
            {"id": "clear", "answers": ALL_NO},
            {"id": "one-left", "answers": _clear_but("fever_or_unwell")["answers"]},
            {"id": "none", "answers": {"lower_back_rounds": "yes"}},
            {"id": "emergency", "answers": {**ALL_NO, "saddle_numbness": "yes"}},
            {"id": "unsure", "answers": {**ALL_NO, "leg_pain_below_knee": "unsure"}},
        ],
        tmp_path,
    )
    assert rows["clear"]["status"] == "ok" and rows["clear"]["screen_unanswered"] == "0"
    assert rows["clear"]["level"] == ""
    assert rows["one-left"]["screen_unanswered"] == "1"
    assert rows["none"]["status"] == "unscreened"
    assert int(rows["none"]["screen_unanswered"]) == len(first_asked)
    assert rows["emergency"]["level"] == "emergency"
    assert rows["unsure"]["level"] == "clinician"
    assert list(rows["clear"])[-2:] == ["level", "screen_unanswered"]  # appended last


def test_an_unscreened_plan_says_it_is_no_clearance_in_every_report(tmp_path: Path) -> None:
    left = _clear_but("fever_or_unwell", "cancer_history")
    found = diagnose(left, RB)
    assert found["status"] == "unscreened"
    assert plan_heading(found).endswith("once the safety questions are answered")
    caveat = plan_caveat(found)
    assert caveat is not None and "2 safety questions were not answered" in caveat
    (tmp_path / "in.jsonl").write_text(json.dumps(left) + "\n")
    for fmt in ("markdown", "html", "text"):
        result = runner.invoke(
            app, ["diagnose", str(tmp_path / "in.jsonl"), "-f", fmt], env={"COLUMNS": "400"}
        )
        assert "Not a clearance to train" in result.stdout, fmt
        assert "first things first" not in result.stdout, fmt


def test_a_screened_plan_keeps_its_plain_heading() -> None:
    found = diagnose({"id": "c", "answers": ALL_NO}, RB)
    assert found["status"] == "ok"
    assert plan_heading(found) == "Your plan, first things first"
    assert plan_caveat(found) is None


# --- a map checked against its sheet -------------------------------------------------

SHEET = (
    "Name,Numb groin?,Bladder trouble?,Age,Timestamp\n"
    "Ann,No,Nope,34,2026-01-01\n"
    "Bob,Yes,Nope,51,2026-01-02\n"
)


def _map_run(tmp_path: Path, columns: dict[str, Any], *args: str, sheet: str = SHEET) -> Any:
    (tmp_path / "s.csv").write_text(sheet)
    (tmp_path / "m.json").write_text(json.dumps(columns, indent=1))
    return runner.invoke(
        app,
        ["diagnose", str(tmp_path / "s.csv"), "--columns", str(tmp_path / "m.json"), *args],
    )


MAP = {
    "Name": "id",
    "Numb groin?": "saddle_numbness",
    "Bladder trouble?": {"question": "bladder_bowel_change", "values": {"Nope": "no"}},
    "Age": "age_years",
    "Timestamp": None,
}


def test_a_map_that_fits_its_sheet_says_nothing_of_it(tmp_path: Path) -> None:
    result = _map_run(tmp_path, MAP, "-f", "jsonl")
    assert result.exit_code == 0
    assert "matches no column" not in result.stderr and "in no row" not in result.stderr


def test_a_column_mapped_to_null_the_sheet_lacks_is_a_warning_with_a_suggestion(
    tmp_path: Path,
) -> None:
    columns = {**{k: v for k, v in MAP.items() if k != "Timestamp"}, "Timestmp": None}
    result = _map_run(tmp_path, columns, "-f", "jsonl")
    assert result.exit_code == 0
    line = 1 + (tmp_path / "m.json").read_text().splitlines().index(' "Timestmp": null')
    assert f"m.json:{line}:2: 'Timestmp' matches no column of" in result.stderr
    assert "did you mean 'Timestamp'?" in result.stderr
    quiet = _map_run(tmp_path, columns, "-f", "jsonl", "--quiet")
    assert "Timestmp" not in quiet.stderr


def test_a_misspelt_answer_in_the_maps_values_is_named_with_the_sheets_answer(
    tmp_path: Path,
) -> None:
    columns = {
        **MAP,
        "Numb groin?": {"question": "saddle_numbness", "values": {"Yess": "yes", "No": "no"}},
    }
    result = _map_run(tmp_path, columns, "-f", "jsonl")
    assert "m.json:3:2: the answer 'yess' of 'Numb groin?' is in no row" in result.stderr
    assert "did you mean 'yes'?" in result.stderr
    # an answer no row has, with nothing close, is a form's unused choice: no warning
    unused = {
        **MAP,
        "Bladder trouble?": {
            "question": "bladder_bowel_change",
            "values": {"Nope": "no", "Every day": "yes"},
        },
    }
    assert "in no row" not in _map_run(tmp_path, unused, "-f", "jsonl").stderr


# --- attack round 60: sheets that lost a yes, maps that hid a sign, missed wordings ---


def _sheet_run(tmp_path: Path, sheet: str, columns: dict[str, Any] | None = None) -> Any:
    (tmp_path / "s.csv").write_text(sheet)
    args = ["diagnose", str(tmp_path / "s.csv"), "-f", "jsonl", "-q"]
    if columns is not None:
        (tmp_path / "m.json").write_text(json.dumps(columns))
        args += ["--columns", str(tmp_path / "m.json")]
    result = runner.invoke(app, args)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_excels_sep_line_names_the_delimiter_and_is_no_client(tmp_path: Path) -> None:
    sheet = "sep=;\nName;Numb groin?;Trouble peeing?\nAl;Yes;Yes\nBo;No;No\n"
    columns = {
        "Name": "id",
        "Numb groin?": "saddle_numbness",
        "Trouble peeing?": "bladder_bowel_change",
    }
    results = _sheet_run(tmp_path, sheet, columns)
    assert [r["id"] for r in results] == ["Al", "Bo"]
    assert results[0]["red_flags"][0]["level"] == "emergency"
    assert [r["line"] for r in results] == [3, 4]  # the sheet's own lines


@pytest.mark.parametrize(
    "sheet",
    [
        'Name;"Any numbness, tingling or pins and needles in your groin, buttocks?";Notes\n'
        "Al;Yes;\nBo;No;\n",
        'Name\t"Numbness, tingling in groin, buttocks or inner thighs?"\tNotes\n'
        "Al\tYes\tsore\nBo\tNo\tfine, ok, yes\n",
    ],
)
def test_a_question_with_commas_does_not_make_the_comma_the_delimiter(
    tmp_path: Path, sheet: str
) -> None:
    header = sheet.split("\n", 1)[0]
    question = header.split('"')[1]
    results = _sheet_run(
        tmp_path, sheet, {"Name": "id", question: "saddle_numbness", "Notes": None}
    )
    assert [r["id"] for r in results] == ["Al", "Bo"]
    assert results[0]["status"] == "refer" and results[1]["red_flags"] == []


def test_a_sign_column_mapped_as_the_id_is_still_read(tmp_path: Path) -> None:
    results = _sheet_run(
        tmp_path,
        "Client,Notes\nx,pins and needles down both legs since Tuesday\n",
        {"Client": None, "Notes": "id"},
    )
    assert results[0]["status"] == "refer"
    assert "both_legs_symptoms" in {f["id"] for f in results[0]["red_flags"]}


def test_a_column_naming_other_signs_doubts_them_unless_its_answer_is_no(tmp_path: Path) -> None:
    sheet = "Name,Both legs numb?\nAl,Yes\nBo,No\n"
    results = _sheet_run(tmp_path, sheet, {"Name": "id", "Both legs numb?": "leg_pain_below_knee"})
    assert "both_legs_symptoms" in {f["id"] for f in results[0]["red_flags"]}
    assert results[1]["red_flags"] == []  # a clear no stays clear (check 59's regression)


@pytest.mark.parametrize(
    "said",
    ["Sometimes", "Not sure", "A little", "Yes, a bit", "Numb", "Left side", "Both", "Nopee"],
)
def test_a_map_cannot_read_a_safety_answer_that_says_something_as_no(said: str) -> None:
    from legpress_diag.api import ColumnMapError, column_map

    target = {"question": "saddle_numbness", "values": {said: "no"}}
    with pytest.raises(ColumnMapError, match="never a no on the screen"):
        column_map({"Numb groin?": target}, RB)  # type: ignore[dict-item]


@pytest.mark.parametrize("said", ["Never", "Not at all", "None of these", "Nope"])
def test_a_maps_plain_no_words_are_still_a_no(said: str) -> None:
    from legpress_diag.api import column_map

    target = {"question": "saddle_numbness", "values": {said: "no"}}
    assert column_map({"Numb groin?": target}, RB).values["saddle_numbness"]  # type: ignore[dict-item]


def test_a_key_naming_a_partner_still_asks_the_lifter() -> None:
    # Other people are read as someone else in a note's clause only: a form's own
    # question about the lifter's partner is the lifter's
    assert "sexual_function_change" in flagged(
        "Any trouble in the bedroom with your partner?", "yes"
    )


def test_a_key_warning_said_alike_of_every_row_is_said_once_and_counted(tmp_path: Path) -> None:
    sheet = "Timestamp,Age,Notes\n1,30,\n2,40,\n3,50,numb groin\n"
    (tmp_path / "s.csv").write_text(sheet)
    result = runner.invoke(app, ["diagnose", str(tmp_path / "s.csv"), "-f", "jsonl"])
    said = result.stderr.splitlines()
    assert sum("Timestamp: unknown question id" in line for line in said) == 2
    assert "warning: Timestamp: unknown question id (and in 2 more records)" in said
    assert any("s.csv:4: warning: Notes:" in line for line in said)  # each record's own
    assert len(result.stdout.splitlines()) == 3  # every record's result keeps them all
    for line in result.stdout.splitlines():
        assert "Timestamp" in {w["key"] for w in json.loads(line)["warnings"]}


# --- a coach's second run (check 60) and attack round 61 ---------------------------


def test_a_no_to_a_coachs_toilet_question_naming_the_sign_is_a_clear_no() -> None:
    # every client's "No" here was "not sure": 14 of 15 referred at urgent
    key = "Any change in going to the toilet (bladder or bowel)?"
    assert flagged(key, "No") == set()
    assert "bladder_bowel_change" in flagged(key, "Yes")


def test_a_maps_answers_in_another_case_are_the_questions_choices_without_a_word(
    tmp_path: Path,
) -> None:
    sheet = 'Name,Where,Brace\nAl,Lower back,Sometimes\nBo,"Lower back, Hips",Always\n'
    columns = {
        "Name": "id",
        "Where": {"question": "pain_location", "values": {"Lower back": "lower_back"}},
        "Brace": "core_braced",
    }
    (tmp_path / "s.csv").write_text(sheet)
    (tmp_path / "m.json").write_text(json.dumps(columns))
    result = runner.invoke(
        app,
        ["diagnose", str(tmp_path / "s.csv"), "--columns", str(tmp_path / "m.json"), "-f", "jsonl"],
    )
    assert " read as " not in result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert {w["key"] for w in first["warnings"]} == {"safety_screen_incomplete"}


def test_a_misspelt_map_answer_whose_sheet_answer_is_no_choice_stops_the_run(
    tmp_path: Path,
) -> None:
    sheet = "Name,When?\nAl,At the bottom of the rep\n"
    target = {"question": "pain_timing", "values": {"At the botom of the rep": "bottom_of_rep"}}
    result = _map_run(tmp_path, {"Name": "id", "When?": target}, sheet=sheet)
    assert result.exit_code == 2
    assert "which has 'at the bottom of the rep', not a choice of 'pain_timing'" in result.stderr


def test_prefer_not_to_say_is_no_answer_and_no_error() -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != "age_years"}
    found = diagnose({"id": "c", "answers": {**answers, "age_years": "Prefer not to say"}}, RB)
    assert found["errors"] == [] and found["status"] != "error"


def test_the_summary_says_which_referrals_had_errors(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(
        json.dumps({"id": "a", "answers": {"saddle_numbness": "yes", "knee_angle_at_bottom": 999}})
        + "\n"
        + json.dumps({"id": "b", "answers": {"lower_back_rounds": "yes"}})
        + "\n"
    )
    result = runner.invoke(app, ["diagnose", str(tmp_path / "in.jsonl"), "-f", "jsonl"])
    assert "2 records: 1 refer (1 with errors), 1 unscreened" in result.stderr.splitlines()


def test_a_markdown_batch_opens_with_who_to_see_first(tmp_path: Path) -> None:
    records = [
        {"id": "clear", "answers": ALL_NO},
        {"id": "emma", "answers": {**ALL_NO, "saddle_numbness": "yes"}},
        {"id": "kate", "answers": {**ALL_NO, "leg_pain_below_knee": "yes"}},
        {"id": "grace", "answers": {"lower_back_rounds": "yes"}},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = runner.invoke(app, ["diagnose", str(tmp_path / "in.jsonl"), "-f", "markdown"]).stdout
    head = out.split("## Record", 1)[0]
    assert head.startswith("# Who to see first (4 records)")
    assert "- **Go to an emergency department now** (1): emma" in head
    assert "- **See a doctor or physiotherapist before training again** (1): kate" in head
    assert "not cleared to train** (1): grace" in head
    assert "- The other 1: no warning sign" in head
    assert "## Record emma: refer — EMERGENCY: go to an emergency department now" in out
    assert "## Record grace: unscreened — not cleared to train" in out
    assert "## Record clear: ok\n" in out
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(records[0]) + "\n")
    alone = runner.invoke(app, ["diagnose", str(one), "-f", "markdown"]).stdout
    assert "Who to see first" not in alone  # one record: its heading says it all


def test_a_denial_runs_on_over_or_but_not_over_and_a_sign() -> None:
    assert "saddle_numbness" in flagged("Notes", "no pain and my groin is numb")


def test_rules_show_counts_the_word_patterns_and_lists_them_on_asking() -> None:
    # a coach looking for a question's choices lost them among the patterns (check 60)
    count = len(RB.questions["saddle_numbness"].related_words)
    plain = runner.invoke(app, ["rules", "show", "questions"]).stdout
    assert f"mentioned by: {count} word patterns (rules show --words lists them)" in plain
    assert "numb|numbness" not in plain
    listed = runner.invoke(app, ["rules", "show", "questions", "--words"]).stdout
    assert "mentioned by: numb|numbness" in listed


def test_a_sheet_of_unread_columns_gets_one_hint_of_the_column_map(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("Timestamp,Name,How is your back?,Age\n1,Al,sore,30\n")
    said = runner.invoke(app, ["diagnose", str(tmp_path / "s.csv"), "-f", "jsonl"]).stderr
    assert said.count("hint: 3 of the sheet's 4 columns name no question") == 1
    assert "--columns FILE" in said
    (tmp_path / "ids.csv").write_text("id,saddle_numbness,Notes\n1,no,fine\n")
    said = runner.invoke(app, ["diagnose", str(tmp_path / "ids.csv"), "-f", "jsonl"]).stderr
    assert "hint:" not in said  # a sheet of question ids needs no map


# --- attack round 62 -----------------------------------------------------------------


def test_a_pipe_delimited_sheet_is_read_by_its_pipes(tmp_path: Path) -> None:
    results = _sheet_run(tmp_path, "id|saddle_numbness|Notes\nAl|yes|\nBo|no|fine\n")
    assert [r["id"] for r in results] == ["Al", "Bo"]
    assert results[0]["red_flags"][0]["id"] == "saddle_numbness"


# --- attack round 63 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "Throbbing in the tummy or a tearing pain?",
        "Been feeling feverish / run down / generally unwell?",
        "Lost weight without meaning to?",
        "Did it start with a fall, crash or a pop?",
        "Did it come on suddenly & sharply mid-set?",
        "Has it dragged on 4-6+ weeks or getting worse week on week?",
        "Stiff for more than half an hour when you wake up?",
    ],
)
def test_a_no_to_a_coachs_longer_question_naming_a_sign_is_a_clear_no(key: str) -> None:
    # one word of the coach's own ("tummy", "meaning", "crash") made each "No" a "not
    # sure": every clear client referred, a 62-year-old sent to an emergency department
    assert flagged(key, "No") == set()
    assert flagged(key, "Yes") != set()


@pytest.mark.parametrize(
    "key", ["Is the sciatica down?", "Numbness better?", "Is the numbness still there?"]
)
def test_a_question_turned_around_by_its_word_is_still_no_clear_no(key: str) -> None:
    # ("down", "better", "still": the one word of its own asks something else)
    answers = {
        k: v for k, v in ALL_NO.items() if k not in ("leg_pain_below_knee", "saddle_numbness")
    }
    found = diagnose({"id": "c", "answers": {**answers, key: "No"}}, RB)
    assert found["status"] != "ok"


# Wordings from lifters' stories and coaches' forms that must make a sign "not sure"
# (key, answer, the flag it raises), and ordinary ones that must refer nobody, by the
# round that found them missed or referred.
DOUBTED = [
    # attack round 64 (fresh, on eaa8790)
    (
        "Notes",
        "Heart's going mad, feels like an elephant's sat on me chest, and it's not going away.",
        "chest_pain_now_or_at_rest",
    ),
    (
        "Notes",
        "Me date's gone numb... Can't feel a thing when I'm on the dunny.",
        "saddle_numbness",
    ),
    ("Notes", "my junk feels numb n i couldnt finish this weekend", "sexual_function_change"),
    (
        "Notes",
        "Left leg's gone to water and it's getting worse by the day",
        "progressive_leg_weakness",
    ),
    (
        "Notes",
        "It started in my left leg, now it's moved to the right leg, and it keeps swapping sides.",
        "both_legs_symptoms",
    ),
    ("Notes", "Both me pins are buzzing and gone dead... both sides.", "both_legs_symptoms"),
    ("Notes", "leg keeps getting weeker, cant stand on my heel", "progressive_leg_weakness"),
    ("Notes", "Me chest goes all tight when I'm pushing heavy", "chest_pain_with_exertion"),
    ("Notes", "rear-ended on the motorway at 70 mph", "major_trauma"),
    (
        "Notes",
        "Had the steroid jab in me spine last month and now I'm all shivery and hot",
        "infection_risk_with_fever",
    ),
    ("Notes", "wake up like the tin man every morning", "morning_stiffness_under_45"),
    # attack round 60
    ("Notes", "all fine apart from the numb bum", "saddle_numbness"),
    ("Notes", "groin numb, and no it's not from the seat", "saddle_numbness"),
    ("Notes", "my balls feel numb since the weekend", "saddle_numbness"),
    ("Notes", "tingling in my genitals since I sat down at work on Monday", "saddle_numbness"),
    ("Notes", "peed myself at work, never happened before", "bladder_bowel_change"),
    (
        "Notes",
        "I've peed myself twice this week and I drink loads of water",
        "bladder_bowel_change",
    ),
    ("Notes", "can't make it to the bathroom in time anymore", "bladder_bowel_change"),
    ("Notes", "no morning wood since my back went", "sexual_function_change"),
    ("Notes", "shooting pain down the back of both thighs", "both_legs_symptoms"),
    ("Notes", "electric shocks into both heels", "both_legs_symptoms"),
    (
        "Notes",
        "my right quad is wasting and getting weaker by the week",
        "progressive_leg_weakness",
    ),
    ("Notes", "ok so my groin has gone numb", "saddle_numbness"),
    ("Notes", "groin numb, otherwise fine", "saddle_numbness"),
    ("Notes", "lightning bolts down the back of my leg to the calf", "leg_pain_below_knee"),
    ("Notes", "pain that goes past my knee", "leg_pain_below_knee"),
    ("Notes", "hurts all the way down to my toes", "leg_pain_below_knee"),
    ("Notes", "my left foot keeps falling asleep", "leg_pain_below_knee"),
    ("Notes", "awful - back throbs all night no matter how I lie", "constant_or_night_pain"),
    ("Notes", "the pain never goes away, even lying down", "constant_or_night_pain"),
    ("Notes", "got rear-ended on the motorway last month", "after_trauma"),
    ("Notes", "the safeties failed and the sled came down on me", "after_trauma"),
    ("Notes", "feeling lousy all week", "fever_or_unwell"),
    ("Notes", "down 2 stone and I'm not dieting", "unexplained_weight_loss"),
    ("Notes", "my clothes are hanging off me", "unexplained_weight_loss"),
    ("Notes", "prostate ca 2019", "cancer_history"),
    ("Notes", "It's been 10 weeks and it's exactly the same", "not_improving"),
    ("Notes", "my midriff pulses", "pulsating_belly_or_tearing_pain"),
    ("Notes", "Fieber seit gestern", "fever_or_unwell"),
    ("Notes", "Ischias in beiden Beinen", "both_legs_symptoms"),
    # read whole with its key (round 60)
    ("Notes", "sciatica, first left, now right", "both_legs_symptoms"),
    ("Notes", "numb feet (both)", "both_legs_symptoms"),
    ("Notes", "leaking a bit, wearing pads now", "bladder_bowel_change"),
    ("Legs feel weaker lately?", "yes, more each day", "progressive_leg_weakness"),
    ("Any numbness?", "No, except around my groin", "saddle_numbness"),
    ("Numbness or tingling anywhere?", "only in my crotch", "saddle_numbness"),
    ("Weight", "dropping, not trying", "unexplained_weight_loss"),
    ("Toilet", "can't go", "bladder_bowel_change"),
    # attack round 61
    ("Notes", "it feels weird down there when I wipe", "saddle_numbness"),
    ("Notes", "cant feel the water on my bum in the shower", "saddle_numbness"),
    ("Notes", "pins n needles in my undies area since sunday", "saddle_numbness"),
    (
        "Notes",
        "havent had a pee since last night even though ive been drinking loads",
        "bladder_bowel_change",
    ),
    ("Notes", "had an accident in my trousers at work", "bladder_bowel_change"),
    (
        "Notes",
        "things havent been working in the bedroom since my back went",
        "sexual_function_change",
    ),
    ("Notes", "my left foot doesn't pick up properly", "new_leg_weakness"),
    ("Notes", "it was just the left leg but now it's in the other one too", "both_legs_symptoms"),
    ("Notes", "my sciatica is back", "leg_pain_below_knee"),
    (
        "Notes",
        "not feeling myself, achy all over like I'm coming down with something",
        "fever_or_unwell",
    ),
    ("Notes", "lying still doesn't ease it at all", "constant_or_night_pain"),
    ("Notes", "heard a click and then a stabbing pain", "sudden_sharp_onset"),
    ("Notes", "physio for 8 weeks hasn't touched it", "not_improving"),
    (
        "Notes",
        "first thing in the am I'm stiff as a board for 45 mins",
        "morning_stiffness_under_45",
    ),
    # attack round 62
    ("Notes", "numbnes round my groyn since the weekend", "saddle_numbness"),
    ("Notes", "never feel like I've fully emptied when I go now", "bladder_bowel_change"),
    ("Notes", "cant go on the dunny properly, nothing comes out for ages", "bladder_bowel_change"),
    ("Notes", "things aren't working downstairs since I hurt my back", "sexual_function_change"),
    ("Notes", "erectyle problems since the injury", "sexual_function_change"),
    ("Notes", "the weakness in my right leg is spreading", "progressive_leg_weakness"),
    ("Notes", "the pain goes from my bum right down to my heel", "leg_pain_below_knee"),
    ("Notes", "fevar and chils since sunday", "fever_or_unwell"),
    (
        "Notes",
        "Bulk isn't working, lost 3kg this month despite eating 3500 cals",
        "unexplained_weight_loss",
    ),
    ("Notes", "loosing wieght without trying", "unexplained_weight_loss"),
    ("Notes", "had a fender bender on the way to work, back hurts since", "after_trauma"),
    ("Notes", "the sled came down on me when the safeties failed", "major_trauma"),
    ("Notes", "physio for 3 months and nothing's shifted", "not_improving"),
    (
        "Notes",
        "chest goes tight when I do the stairs and eases when I stop",
        "chest_pain_with_exertion",
    ),
    (
        "Anything else I should know before Monday's session?",
        "came off my mountain bike on saturday, back's been sore since",
        "after_trauma",
    ),
    # attack round 63
    ("Notes", "fever of 39", "fever_or_unwell"),
    ("Notes", "running a fever of 101F", "fever_or_unwell"),
    ("Notes", "unwell with a temp of 38", "fever_or_unwell"),
    ("Notes", "tingly feeling round me undercarriage and ring", "saddle_numbness"),
    ("Notes", "Me arse is gone numb... not from sitting", "saddle_numbness"),
    ("Notes", "cant feel my taint properly", "saddle_numbness"),
    ("Notes", "nether regions are asleep", "saddle_numbness"),
    ("Notes", "busting for a wee but nothing comes out", "bladder_bowel_change"),
    ("Notes", "I can't feel anything during sex", "sexual_function_change"),
    (
        "Notes",
        "used to be just the left but now it's in the right leg as well",
        "both_legs_symptoms",
    ),
    ("Notes", "leg keeps gettin weaker n weaker", "progressive_leg_weakness"),
    ("Notes", "down 3kg and not dieting", "unexplained_weight_loss"),
    ("Notes", "sore chest", "upper_back_or_chest_pain"),
    ("Notes", "cancerous mole removed", "cancer_history"),
    ("Notes", "if anything it's getting worse", "not_improving"),
    ("Any loss of feeling or function in the bedroom department?", "Yes", "sexual_function_change"),
]

ORDINARY = [
    # attack round 64
    ("Notes", "Constipated since I upped my protein shakes"),
    ("Notes", "struggling a bit to hit protein"),
    ("Notes", "Car accident when I was 19, just whiplash, fully recovered 15 years ago."),
    # a new user's run (check 61)
    (
        "Anything else?",
        "Legs feel like jelly after heavy sets, the usual! Had a cold last month, fine now",
    ),
    # attack round 60
    ("Notes", "going on a stag trip next month"),
    ("Notes", "work trip on Friday so I'll miss a session"),
    ("Hydration", "3L a day, lots of toilet trips"),
    ("Notes", "whey, makes me need the loo"),
    ("Leg press numbers", "270kg x 8, dropped to 220kg for backoffs"),
    ("Sleep quality", "ok, kids wake me up at night"),
    ("Occupation", "oncology nurse"),
    ("Occupation", "volunteer at a cancer charity shop"),
    ("Notes", "my kid had chickenpox and a fever last week"),
    ("Notes", "wife had a fall last month"),
    ("Notes", "cousin has sciatica"),
    ("Notes", "walking is fine"),
    # read whole, its parts deny (round 60)
    ("Notes", "no numbness, legs fine"),
    ("Sexual function", "unchanged"),
    ("Weight loss", "trying to lose weight"),
    ("Protein powder", "whey, makes me need the loo"),
    # attack round 61
    ("Anything else?", "no problems with my bladder or bowels"),
    ("Anything else?", "no numbness or tingling anywhere, just a tight lower back"),
    ("Anything else?", "No numbness, no pins and needles, just tight"),
    ("Anything else?", "I have no problems with my bladder or bowels and no leg pain"),
    ("When does it hurt?", "On the way down"),
    ("Anything else?", "on a cut, lost 5kg in 8 weeks, going well"),
    ("Anything else?", "drinking loads of water, peeing all the time lol"),
    ("Anything else?", "hit 300kg for 8 on the leg press last week, new PR"),
    ("Anything else?", "calves were burning on the calf raises after the presses, good pump"),
    ("Anything else?", "my mum had breast cancer so I'm careful with my health"),
    ("Anything else?", "just had a baby, so training is hit and miss"),
    ("notes", "stiff for 5 minutes when I get up, then fine"),
    ("Notes", "sore for about 2 weeks"),
    # attack round 62
    ("How's the back this week?", "my heart rate hit 170 on the bike intervals"),
    ("Tell me about your week", "Feeling great, back feels better than last week"),
    ("How are you feeling?", "Going on holiday to Spain for 2 weeks"),
    ("What's been going on?", "Hit 180kg for 3x10 on the 45 degree today, feet mid plate"),
    ("Describe your pain in your own words", "sleep's been good, 8 hours a night"),
    ("Additional comments", "Heard my knees crack on the way down, no pain"),
    ("How are you feeling?", "back pain started a week ago, already easing off"),
    # attack round 63
    ("Notes", "Pee is bright yellow because of the multivitamins haha"),
    ("Notes", "I always go to the toilet before every session"),
    ("Notes", "Need a wee between sets because I drink so much water"),
    ("Notes", "Inner thighs (adductors) are tight on wide-stance leg press."),
    ("Notes", "Feel a stretch in my groin on a wide stance."),
    ("Notes", "My bum goes numb on long drives, it's fine as soon as I get out"),
    ("Notes", "Chest is sore from cable flyes"),
    ("Notes", "got a temp job at the warehouse"),
    ("Notes", "back is doing well now"),
]


@pytest.mark.parametrize(("key", "said", "sign"), DOUBTED)
def test_a_story_told_in_a_note_or_a_coachs_words_doubts_its_sign(
    key: str, said: str, sign: str
) -> None:
    assert sign in flagged(key, said)


@pytest.mark.parametrize(("key", "said"), ORDINARY)
def test_an_ordinary_note_refers_nobody(key: str, said: str) -> None:
    assert flagged(key, said) == set()


# --- a new user's run on the final tree (check 61) -------------------------------------


def test_a_leg_pain_column_saying_down_below_the_knee_names_no_saddle_sign(tmp_path: Path) -> None:
    # "down ... below" read as the saddle's "down below": every client with plain
    # sciatica and a mapped No to groin numbness was sent to an emergency department
    sheet = (
        "Name,Numb groin?,Does pain or tingling shoot down your leg below the knee?\nSam,No,Yes\n"
    )
    columns = {
        "Name": "id",
        "Numb groin?": "saddle_numbness",
        "Does pain or tingling shoot down your leg below the knee?": "leg_pain_below_knee",
    }
    (result,) = _sheet_run(tmp_path, sheet, columns)
    assert [(f["id"], f["level"]) for f in result["red_flags"]] == [
        ("leg_pain_below_knee", "clinician")
    ]


def test_a_mapped_columns_sign_warning_does_not_call_it_unknown(tmp_path: Path) -> None:
    sheet = "Name,Anything else?\nAl,numb groin since monday\n"
    (tmp_path / "s.csv").write_text(sheet)
    (tmp_path / "m.json").write_text(json.dumps({"Name": "id", "Anything else?": None}))
    result = runner.invoke(
        app, ["diagnose", str(tmp_path / "s.csv"), "--columns", str(tmp_path / "m.json")]
    )
    said = [line for line in result.stderr.splitlines() if "Anything else?" in line]
    assert said and all("unknown question id" not in line for line in said)
    assert "its text mentions 'saddle_numbness'" in said[0]


def test_felt_lately_and_get_ask_only_whether_a_sign_is_there() -> None:
    # without a map, each "No" to these was "not sure": 9 of 12 clear clients referred
    for key in (
        "Have you felt feverish or generally unwell lately?",
        "Do you get numbness in your groin?",
    ):
        assert flagged(key, "No") == set()
        assert flagged(key, "Yes") != set()
