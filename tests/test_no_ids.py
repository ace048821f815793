"""No id a person would read (issue 22 item 6): every lifter-facing screen, page and
report, for a healthy, an unsure and a red-flag lifter, uses words. Ids stay in JSON,
CSV and ``--detail``; this test fails on any snake_case id of the rule base
(question, cause, fix, alternative, flag or derived-fact id) shown anywhere else."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.cli.app import app
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.presentation.render.report import html_report, markdown_report

RB = bundled_rulebase()
SAFE = {q: "no" for q in RB.safety_questions()} | {"age_years": 34}
LIFTERS: dict[str, dict[str, Any]] = {
    "healthy": {
        **SAFE,
        "pain_location": ["lower_back"],
        "butt_lifts_off_seat": "yes",
        "lower_back_rounds": "yes",
        "knee_angle_at_bottom": 70,
        "equipment_available": ["dumbbells"],
    },
    "unsure": {q: "unsure" for q in RB.safety_questions()} | {"age_years": "unsure"},
    "red flag": {"age_years": 52, "saddle_numbness": "yes", "butt_lifts_off_seat": "yes"},
}


def rule_base_ids(rb: RuleBase) -> set[str]:
    """The ids a person must never read: the snake_case ones (a one-word id such as
    ``knees`` is an ordinary word too)."""
    ids = (
        set(rb.questions)
        | set(rb.causes)
        | set(rb.fixes)
        | set(rb.alternatives)
        | set(rb.safety_flags)
        | set(rb.facts)
    )
    return {i for i in ids if "_" in i}


def visible_ids(text: str, ids: set[str]) -> list[str]:
    return sorted({t for t in re.findall(r"[A-Za-z0-9_]+", text) if t in ids})


class _Visible(HTMLParser):
    """The text a browser shows: no tags, attributes, style or hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def shown(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.parts)


IDS = rule_base_ids(RB)


def test_the_ids_are_found_when_they_are_there() -> None:
    assert visible_ids("see: butt_lifts_off_seat, (excess_depth).", IDS) == [
        "butt_lifts_off_seat",
        "excess_depth",
    ]
    assert shown('<p title="x_y">a <input value="butt_lifts_off_seat"> b</p>') == "a   b"


@pytest.mark.parametrize("lifter", sorted(LIFTERS))
def test_the_reports_use_words(lifter: str) -> None:
    result = diagnose({"id": "me", "answers": LIFTERS[lifter]}, RB, explain=True)
    assert not visible_ids(shown(html_report(result, RB)), IDS)
    assert not visible_ids(markdown_report(result, RB), IDS)
    assert "Status:" not in html_report(result, RB)
    assert result["status"] not in shown(html_report(result, RB)).split()


@pytest.mark.parametrize("lifter", sorted(LIFTERS))
def test_ask_screens_and_how_use_words(lifter: str, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    partial = dict(list(LIFTERS[lifter].items())[:-1])  # one question left to ask
    answers.write_text(json.dumps({"id": "me", "answers": partial}))
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        ["ask", "--answers", str(answers), "--report", str(report)],
        input="?\n" * 40 + "how\nhow 1\n\n",
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.stderr
    screens = result.stdout + result.stderr
    assert not visible_ids(screens, IDS), screens
    assert not visible_ids(shown(report.read_text()), IDS)


@pytest.mark.parametrize("lifter", sorted(LIFTERS))
def test_every_web_page_uses_words(lifter: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legpress_diag.web.app import create_app

    from .test_serve_pages import question_of

    monkeypatch.setenv("LEGPRESS_DIAG_SECRET", "no-ids")
    client = TestClient(create_app(RB))
    form = {"content-type": "application/x-www-form-urlencoded"}
    wanted = LIFTERS[lifter]
    for at in range(60):
        page = client.get(f"/?at={at}").text
        assert not visible_ids(shown(page), IDS), (at, visible_ids(shown(page), IDS))
        qid = question_of(page)
        if qid is None:
            break
        value = wanted.get(qid, "unsure")
        if qid.startswith("screen:"):
            opened = any(
                wanted.get(q) not in (None, "no") for q in RB.screens[qid[7:]].question_ids
            )
            body = f"at={at}&q={qid}&do={'yes' if opened else 'no'}"
        elif value in ("yes", "no", "unsure"):
            body = f"at={at}&q={qid}&do={value}"
        else:
            values = value if isinstance(value, list) else [value]
            body = f"at={at}&q={qid}&do=answer" + "".join(f"&v={v}" for v in values)
        client.post("/", content=body.encode(), headers=form, follow_redirects=False)
    assert 'id="result"' in page
    report = client.get(f"/report.html?at={at}").text
    assert not visible_ids(shown(report), IDS)


def _measured_record() -> dict[str, Any]:
    """A record from `legpress-diag measure` (issue 26), the screen answered clear and
    one measured answer changed by the lifter."""
    from legpress_diag.measure import measure, parse_landmarks
    from legpress_diag.measure.synth import SetSpec, generate

    data, _ = generate(SetSpec(hip_lift=0.25, heel_lift=18, lowering=0.6, seed=21))
    record: dict[str, Any] = dict(measure(parse_landmarks(json.dumps(data).encode())).record)
    record["answers"] = {**record["answers"], **SAFE, "heels_lift": "no"}
    return {"id": "film", **record}


def test_measured_answers_are_shown_in_words(tmp_path: Path) -> None:
    """Every format a person reads names a measured answer in words (issue 26)."""
    record = _measured_record()
    result = diagnose(record, RB, explain=True)
    assert result["measurements"]
    for page in (shown(html_report(result, RB)), markdown_report(result, RB)):
        assert "Measured from your filmed set" in page
        assert not visible_ids(page, IDS), visible_ids(page, IDS)
    path = tmp_path / "film.json"
    path.write_text(json.dumps(record))
    batch = CliRunner().invoke(app, ["diagnose", str(path), "--format", "html"])
    assert not visible_ids(shown(batch.stdout), IDS)
    asked = CliRunner().invoke(
        app,
        ["ask", "--answers", str(path)],
        input="\n" + "?\n" * 40 + "how 1\n\n",
        env={"COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert asked.exit_code == 0, asked.stderr
    assert "Measured from your filmed set" in asked.stderr
    assert not visible_ids(asked.stdout + asked.stderr, IDS)


@pytest.mark.parametrize("lifter", ["healthy", "measured", "incomplete screen"])
def test_the_table_format_uses_words(lifter: str, tmp_path: Path) -> None:
    """`diagnose --format table` is read by a person too: its "because" column and its
    incomplete-screen warning name questions in words (the new-user trial of issue 26
    found ids in both)."""
    record: dict[str, Any] = {
        "healthy": {"id": "t", "answers": LIFTERS["healthy"]},
        "measured": _measured_record(),
        "incomplete screen": {
            "id": "t",
            "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70},
        },
    }[lifter]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    table = CliRunner().invoke(
        app, ["diagnose", str(path), "--format", "table"], env={"COLUMNS": "200"}
    )
    assert "because" in table.stdout and "certainty" in table.stdout
    assert not visible_ids(table.stdout, IDS), visible_ids(table.stdout, IDS)
