"""The result screens, rendered at a fixed width and compared with committed copies.

Run with UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
"""

from __future__ import annotations

import io
import os

import pytest
from rich.console import Console

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.presentation.ui.questionnaire_view import QuestionnaireView

from .conftest import REPO

SNAPSHOTS = REPO / "tests" / "snapshots"
RECORDS = {
    "result_ok": {
        "pelvis_tucks_under": "yes",
        "knee_angle_at_bottom": 70,
        "equipment_available": ["swiss_ball"],
    },
    "result_refer": {"bladder_bowel_change": "yes"},
    "result_nothing": {"butt_lifts_off_seat": "no"},
}


@pytest.mark.parametrize("name", RECORDS)
def test_result_screen_snapshot(name: str) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, color_system=None, highlight=False)
    view = QuestionnaireView(console, console, bundled_rulebase())
    view.result(diagnose({"answers": RECORDS[name]}, explain=True))
    screen = buffer.getvalue()
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(screen, encoding="utf-8")
    assert screen == path.read_text(encoding="utf-8")


def test_markdown_report_uses_the_rule_base_for_words_and_notes() -> None:
    from legpress_diag.presentation.render.report import markdown_report

    rb = bundled_rulebase()
    report = markdown_report(diagnose({"answers": RECORDS["result_ok"]}, rb, explain=True), rb)
    assert (
        "As the sled comes down, do your hips tuck under (the pelvis rolls back): *yes*" in report
    )
    assert "why: Seeing the hips tuck under is direct evidence of posterior pelvic tilt." in report
    assert "source: article: Introduction" in report
    assert "- [ ] **Stop at a right angle at the knee** (for 1, 2). Lower the sled" in report
    assert report.count("Stop at a right angle at the knee") == 1  # each fix once
