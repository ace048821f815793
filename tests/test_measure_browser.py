"""Issue 26 in a real browser at phone size (390 CSS pixels): upload a filmed set's
landmarks, see what was measured, change one answer, finish the questions; every page
phone-wide and free of ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.measure.synth import SetSpec, generate

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.webdriver.common.by import By

from .test_serve_browser import (
    SAFE,
    _mark_and_wait,
    browser,
    check_page,
    click,
    live_server,
    question_id,
    screenshot,
    text,
    walk,
)

__all__ = ["browser", "live_server"]  # the fixtures, shared

pytestmark = pytest.mark.browser  # the slow part: pytest -m browser (pyproject.toml)


def test_a_lifter_uploads_a_filmed_set_on_a_phone(
    browser: Any, live_server: str, tmp_path: Path
) -> None:
    data, _ = generate(SetSpec(hip_lift=0.25, heel_lift=18, lowering=0.6, seed=21))
    film = tmp_path / "my-set.json"
    film.write_text(json.dumps(data))
    browser.get(live_server + "/")
    check_page(browser)
    browser.find_element(By.CSS_SELECTOR, "details.film summary").click()
    browser.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(str(film))
    _mark_and_wait(
        browser, lambda: browser.find_element(By.XPATH, "//button[.='Measure it']").click()
    )
    check_page(browser)  # the measured page: phone-wide, no ids
    shown = " ".join(text(browser).split())
    assert "Measured from your filmed set" in shown
    assert "butt lifts off the seat: yes, measured in 5 reps" in shown
    assert "heels lift off the plate: yes, measured in 5 reps" in shown
    screenshot(browser, "web-measured", tmp_path)
    click(browser, "Change: heels lift off the plate")
    check_page(browser)
    assert question_id(browser) == "heels_lift"
    click(browser, "No")
    check_page(browser)
    assert "6 answers measured from your filmed set" in text(browser)
    asked = walk(browser, SAFE)
    measured = {"knee_angle_at_bottom", "knees_lock_out", "rep_tempo", "butt_lifts_off_seat"}
    assert not measured & set(asked) and "heels_lift" not in asked
    check_page(browser)
    result = " ".join(text(browser).split())
    assert "heels lift off the plate: no, your own answer, used instead of the measurement" in (
        result
    )
    assert "butt lifts off the seat: yes, measured in 5 reps" in result
    screenshot(browser, "web-measured-result", tmp_path)
