"""A real browser (Debian's headless chromium, driven by selenium) through the web
questionnaire: a lifter with form faults, and one with an emergency warning sign.

Each result is photographed 360 px wide into a temporary folder (set
LEGPRESS_DIAG_SHOTS=DIR to keep the pictures).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from . import serve_live  # noqa: E402

live_server = serve_live.live_server  # the fixture, shared

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH = 360

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "chromium is absent: apt-get install -y chromium chromium-driver (CI installs it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="legpress-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},800",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.set_window_size(WIDTH, 800)  # headless starts at least 500 px wide
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def click(driver: Any, label: str) -> None:
    """Press a button and wait for the page it posts to (every button submits a form)."""
    # Mark this document: a new page load gives a fresh window without the mark. (A
    # staleness check on an element races with the navigation and can raise.)
    driver.execute_script("window.__legpressOld = true;")
    driver.find_element(By.XPATH, f"//button[normalize-space()={label!r}]").click()
    WebDriverWait(driver, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.__legpressOld === undefined && document.readyState === 'complete';"
        )
    )


def question_id(driver: Any) -> str | None:
    fields = driver.find_elements(By.NAME, "q")
    return fields[0].get_attribute("value") if fields else None


def screenshot(driver: Any, name: str, folder: Path) -> Path:
    """The whole page at 360 px wide."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, max(800, int(height) + 120))
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 1000
    keep = os.environ.get("LEGPRESS_DIAG_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    driver.set_window_size(WIDTH, 800)
    return path


def fits_the_width(driver: Any) -> bool:
    widths = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    return bool(widths[0] == WIDTH and widths[1] <= WIDTH)


FORM_FAULTS = {
    "butt_lifts_off_seat": "Yes",
    "lower_back_rounds": "Yes",
    "pelvis_tucks_under": "Yes",
}


def test_a_lifter_with_form_faults(browser: Any, live_server: str, tmp_path: Path) -> None:
    browser.get(live_server + "/")
    assert "How old are you?" in browser.page_source and fits_the_width(browser)
    browser.find_element(By.NAME, "v").send_keys("34")
    click(browser, "Next")
    # The safety screen first: three grouped questions; "back" undoes one.
    click(browser, "None of these")
    click(browser, "Back")
    assert question_id(browser) == "screen:nerve_signs"
    for _ in range(3):
        assert (question_id(browser) or "").startswith("screen:")
        click(browser, "None of these")
    went_back = False
    for _ in range(40):
        qid = question_id(browser)
        if qid is None:
            break
        assert fits_the_width(browser), qid
        if qid == "pain_location":
            browser.find_element(By.CSS_SELECTOR, 'input[value="lower_back"]').click()
            click(browser, "Next")
        elif qid == "pain_timing":
            browser.find_element(By.CSS_SELECTOR, 'input[value="bottom_of_rep"]').click()
            click(browser, "Next")
            if not went_back:  # change the answer just given, then give it again
                went_back = True
                click(browser, "Back")
                assert question_id(browser) == "pain_timing"
        elif qid in FORM_FAULTS:
            click(browser, FORM_FAULTS[qid])
        elif browser.find_elements(By.XPATH, "//button[normalize-space()='No']"):
            click(browser, "No")
        else:
            click(browser, "I'm not sure")
    page = browser.page_source
    assert browser.find_element(By.ID, "result")
    assert "Your plan: what to do first" in page
    assert "Butt or lower back coming off the seat" in page
    assert "EMERGENCY" not in page
    assert browser.find_elements(By.XPATH, "//button[contains(., 'Download my answers')]")
    assert browser.find_elements(By.XPATH, "//button[contains(., 'Download the report')]")
    assert fits_the_width(browser)
    screenshot(browser, "form-faults", tmp_path)


def test_a_lifter_with_an_emergency_sign(browser: Any, live_server: str, tmp_path: Path) -> None:
    browser.get(live_server + "/")
    browser.find_element(By.NAME, "v").send_keys("52")
    click(browser, "Next")
    assert question_id(browser) == "screen:nerve_signs"
    click(browser, "Yes, one or more")
    assert question_id(browser) == "saddle_numbness"
    click(browser, "Yes")
    page = browser.page_source
    flag = browser.find_element(By.CSS_SELECTOR, "section.flag")
    assert "EMERGENCY: go to an emergency department now" in flag.text
    assert "Go to an emergency department now" in flag.text  # the advice, whole
    assert "Exercises to use instead" not in page and "&#9744;" not in page and "☐" not in page
    assert fits_the_width(browser)
    screenshot(browser, "emergency", tmp_path)
