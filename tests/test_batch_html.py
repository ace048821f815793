"""The batch HTML report: a summary, then one section per record; self-contained,
escaped, red flags whole, no advice with a referral; checked in a real headless
browser (issue 14)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.api import bundled_rulebase
from legpress_diag.cli.app import app

runner = CliRunner()
RB = bundled_rulebase()
SCRIPT = "<script>alert(1)</script>"
RECORDS = [
    {"id": "client-ok", "answers": {"butt_lifts_off_seat": "yes", "knee_angle_at_bottom": 70,
                                   "equipment_available": ["hack_squat"]}},
    {"id": "client-refer", "answers": {"saddle_numbness": "yes", "butt_lifts_off_seat": "yes",
                                      "knee_angle_at_bottom": 60}},
    {"id": "client-unsure", "answers": {"leg_pain_below_knee": "unsure", "heels_lift": "yes"}},
    {"id": SCRIPT, "answers": {"knee_angle_at_bottom": 500}},
    {"id": "client-nothing", "answers": {}},
]  # fmt: skip


def write_report(tmp_path: Path) -> Path:
    source = tmp_path / "clients.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["diagnose", str(source), "-o", str(out)])
    assert result.exit_code == 1, result.stderr  # one record is invalid on purpose
    return out


def sections(text: str) -> dict[str, str]:
    """Each record's section by its (escaped) id heading."""
    parts = re.split(r'<section class="record" id="record-\d+">', text)[1:]
    return {re.match(r"<h2>(.*?) <span", part).group(1): part for part in parts}  # type: ignore[union-attr]


def test_summary_table_then_one_section_per_record(tmp_path: Path) -> None:
    text = write_report(tmp_path).read_text()
    table = text[text.index('<table class="summary">') : text.index("</table>")]
    assert table.count("<tr") == len(RECORDS) + 1  # the header and one row each
    for header in ("id", "status", "top cause", "certainty", "red flags"):
        assert f"<th>{header}</th>" in table
    assert 'href="#record-2">client-refer</a>' in table
    assert text.index("</table>") < text.index('<section class="record"')
    assert len(sections(text)) == len(RECORDS)


def test_self_contained_and_strictly_escaped(tmp_path: Path) -> None:
    text = write_report(tmp_path).read_text()
    assert "<script" not in text.lower() and html.escape(SCRIPT) in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)  # nothing fetched
    assert "<style>" in text and "<link" not in text


def test_a_referral_shows_its_flag_whole_and_no_advice(tmp_path: Path) -> None:
    text = write_report(tmp_path).read_text()
    refer = sections(text)["client-refer"]
    flag = RB.safety_flags["saddle_numbness"]
    assert "EMERGENCY: go to an emergency department now" in refer
    assert html.escape(flag.title) in refer and html.escape(flag.advice) in refer
    assert refer.split("</h2>", 1)[1].startswith('<div class="flag"')  # the flag first
    advice = [f.title for f in RB.fixes.values()] + [a.title for a in RB.alternatives.values()]
    for title in advice:
        assert html.escape(title) not in refer, title
    assert "Exercises to use instead" not in refer and "&#9744;" not in refer
    unsure = sections(text)["client-unsure"]
    assert "not sure" in unsure and 'class="flag"' in unsure


def test_an_ordinary_record_keeps_its_fixes(tmp_path: Path) -> None:
    ok = sections(write_report(tmp_path).read_text())["client-ok"]
    assert "&#9744;" in ok and "Exercises to use instead" in ok


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "HOME": profile},
        )


@pytest.mark.browser
@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_the_report_renders_in_a_headless_browser(tmp_path: Path) -> None:
    chromium = _chromium()
    assert chromium is not None
    report = write_report(tmp_path)
    shot = tmp_path / "batch-report.png"
    _browser(chromium, f"--screenshot={shot}", "--window-size=1000,1400", report.as_uri())
    assert shot.exists() and shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 20_000  # a page of text and tables, not a blank image
    keep = os.environ.get("LEGPRESS_DIAG_SHOTS")  # to look at it: a folder to copy it to
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "batch-report.png")
    dom = _browser(chromium, "--dump-dom", report.as_uri()).stdout
    assert dom.count('<section class="record"') == len(RECORDS)
    assert "EMERGENCY: go to an emergency department now" in dom
    assert "client-refer" in dom and html.escape(SCRIPT) in dom
    assert "<script>" not in dom  # the hostile id stayed text in the parsed page
