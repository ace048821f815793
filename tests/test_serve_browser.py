"""A real browser (Debian's headless chromium, driven by selenium) through the web
questionnaire at phone size (390 x 844 CSS pixels): browser Back and refresh, what the
result shows above the fold, and three lifters (issue 22).

Each page is photographed whole into a temporary folder (set LEGPRESS_DIAG_SHOTS=DIR
to keep the pictures; docs/images holds the ones docs/serve.md shows).
"""

from __future__ import annotations

import itertools
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

from legpress_diag.api import bundled_rulebase  # noqa: E402

from . import serve_live  # noqa: E402
from .test_no_ids import rule_base_ids, visible_ids  # noqa: E402

live_server = serve_live.live_server  # the fixture, shared
pytestmark = pytest.mark.browser  # the slow part: pytest -m browser (pyproject.toml)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 390, 844  # a phone, in CSS pixels
IDS = rule_base_ids(bundled_rulebase())

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "chromium is absent: apt-get install -y chromium chromium-driver (CI installs it)",
        allow_module_level=True,
    )


def phone(driver: Any, height: int = HEIGHT) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


@pytest.fixture
def browser() -> Iterator[Any]:
    """A fresh browser for each lifter: its own history and cookies."""
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
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    phone(driver)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _mark_and_wait(driver: Any, action: Any) -> None:
    # Mark this document: a new page load gives a fresh window without the mark. (A
    # staleness check on an element races with the navigation and can raise.)
    driver.execute_script("window.__legpressOld = true;")
    action()
    WebDriverWait(driver, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.__legpressOld === undefined && document.readyState === 'complete';"
        )
    )


def click(driver: Any, label: str) -> None:
    """Press a button or a button-like link and wait for the page it leads to."""
    xpath = f"//*[self::button or self::a][normalize-space()={label!r}]"
    _mark_and_wait(driver, lambda: driver.find_element(By.XPATH, xpath).click())


def back(driver: Any) -> None:
    _mark_and_wait(driver, driver.back)


def refresh(driver: Any) -> None:
    _mark_and_wait(driver, driver.refresh)


def question_id(driver: Any) -> str | None:
    fields = driver.find_elements(By.NAME, "q")
    return fields[0].get_attribute("value") if fields else None


def text(driver: Any) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def check_page(driver: Any) -> None:
    """What every page must be: no browser error, phone-wide, no id on screen."""
    assert "Leg press check" in driver.title, driver.title  # not a browser error page
    widths = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    assert widths[0] == WIDTH and widths[1] <= WIDTH, widths
    shown = text(driver)
    assert not visible_ids(shown, IDS), (visible_ids(shown, IDS), shown)


def height(driver: Any) -> int:
    return int(driver.execute_script("return document.documentElement.scrollHeight"))


def screenshot(driver: Any, name: str, folder: Path) -> None:
    """The first screen (what a phone shows before scrolling), then the whole page."""
    first = folder / f"{name}-first-screen.png"
    assert driver.save_screenshot(str(first)) and first.stat().st_size > 1000
    phone(driver, max(HEIGHT, height(driver)))
    whole = folder / f"{name}.png"
    assert driver.save_screenshot(str(whole)) and whole.stat().st_size > 1000
    phone(driver)
    keep = os.environ.get("LEGPRESS_DIAG_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in (first, whole):
            shutil.copy(path, Path(keep) / path.name)


def bottom_of(driver: Any, element_id: str) -> float:
    return float(
        driver.execute_script(
            f"return document.getElementById({element_id!r}).getBoundingClientRect().bottom"
        )
    )


def answer(driver: Any, qid: str, answers: dict[str, Any]) -> None:
    """Give ``answers[qid]`` (a button label, a number, or a list of values to tick);
    "I'm not sure" for anything not listed."""
    value = answers.get(qid, "I'm not sure")
    if isinstance(value, list):
        for item in value:
            driver.find_element(By.CSS_SELECTOR, f'input[value="{item}"]').click()
        click(driver, "Next")
    elif isinstance(value, int):
        field = driver.find_element(By.NAME, "v")
        field.clear()
        field.send_keys(str(value))
        click(driver, "Next")
    else:
        click(driver, value)


def walk(driver: Any, answers: dict[str, Any], shots: Path | None = None) -> list[str]:
    """Answer until the result; the question ids asked, in order."""
    asked: list[str] = []
    for _ in range(60):
        qid = question_id(driver)
        if qid is None:
            return asked
        check_page(driver)
        asked.append(qid)
        answer(driver, qid, answers)
    raise AssertionError("the interview did not end")


SAFE = {
    "age_years": 34,
    "screen:nerve_signs": "None of these",
    "screen:general_health": "None of these",
    "screen:pain_pattern": "None of these",
}
HEALTHY = {
    **SAFE,
    "pain_location": ["lower_back"],
    "pain_timing": ["bottom_of_rep"],
    "screen:what_happens_in_a_set": ["butt_lifts_off_seat", "lower_back_rounds"],
    "butt_lifts_off_seat": "Yes",
    "lower_back_rounds": "Yes",
    "pelvis_tucks_under": "Yes",
    "knee_angle_at_bottom": 70,
    "equipment_available": ["dumbbells"],
}


def test_back_and_refresh_keep_the_place_and_the_answer(browser: Any, live_server: str) -> None:
    browser.get(live_server + "/")
    check_page(browser)
    assert "How old are you?" in text(browser) and "about 13 left" in text(browser)
    answer(browser, "age_years", SAFE)
    # "Yes" comes first on a safety screen, the same size as "None of these".
    buttons = browser.find_elements(By.CSS_SELECTOR, ".pair button")
    assert [b.text for b in buttons] == ["Yes, one or more", "None of these"]
    assert buttons[0].size == buttons[1].size
    answer(browser, "screen:nerve_signs", SAFE)
    assert question_id(browser) == "screen:general_health"
    back(browser)  # the phone's back key: the previous question, its answer kept
    check_page(browser)
    assert question_id(browser) == "screen:nerve_signs"
    assert "Your answer before: None of these" in text(browser)
    back(browser)
    assert question_id(browser) == "age_years"
    assert browser.find_element(By.NAME, "v").get_attribute("value") == "34"
    refresh(browser)  # no "Confirm Form Resubmission": every page is a GET
    check_page(browser)
    assert question_id(browser) == "age_years"
    assert browser.find_element(By.NAME, "v").get_attribute("value") == "34"
    answer(browser, "age_years", SAFE)  # the same answer: the later ones stay
    assert "Your answer before: None of these" in text(browser)
    click(browser, "Back")  # the page's own Back link goes the same way
    assert question_id(browser) == "age_years"


def test_the_progress_never_goes_up(browser: Any, live_server: str) -> None:
    browser.get(live_server + "/")
    lefts: list[int] = []
    values: list[float] = []
    for _ in range(60):
        qid = question_id(browser)
        if qid is None:
            break
        bar = browser.find_element(By.TAG_NAME, "progress")
        values.append(float(bar.get_attribute("value")) / float(bar.get_attribute("max")))
        progress = browser.find_element(By.CSS_SELECTOR, "p.progress").text
        lefts.append(int(progress.split("about ")[1].split(" ")[0]))
        answer(browser, qid, {**HEALTHY, "screen:nerve_signs": "Yes, one or more"})
    assert len(lefts) > 5
    assert all(a >= b for a, b in itertools.pairwise(lefts)), lefts
    assert all(a < b for a, b in itertools.pairwise(values)), values


def test_a_healthy_lifter_sees_the_summary_first(
    browser: Any, live_server: str, tmp_path: Path
) -> None:
    browser.get(live_server + "/")
    walk(browser, HEALTHY)
    check_page(browser)
    summary = browser.find_element(By.ID, "summary").text
    assert "Most likely: Butt or lower back coming off the seat" in summary
    assert "First:" in summary and "When to stop:" in summary
    assert bottom_of(browser, "summary") <= HEIGHT  # above the fold, at phone size
    assert len(browser.find_elements(By.CSS_SELECTOR, "#steps + ol.steps > li")) <= 3
    print(f"\nresult page height at {WIDTH} px: {height(browser)} px")
    causes = browser.find_elements(By.CSS_SELECTOR, "details.cause")
    assert causes and not causes[0].get_attribute("open")  # folded, works without script
    causes[0].find_element(By.TAG_NAME, "summary").click()  # a tap opens it
    assert "Why I think so" in causes[0].text and "You answered" in causes[0].text
    assert "EMERGENCY" not in text(browser)
    screenshot(browser, "web-healthy", tmp_path)


def test_an_unsure_lifter_is_referred_in_words(
    browser: Any, live_server: str, tmp_path: Path
) -> None:
    browser.get(live_server + "/")
    walk(browser, {"age_years": 41})  # "I'm not sure" to everything else
    check_page(browser)
    flags = browser.find_elements(By.CSS_SELECTOR, "#summary .flag")
    assert flags and "answered 'not sure'" in flags[0].text
    assert bottom_of(browser, "summary") <= HEIGHT  # what to do, then each sign whole
    assert len(browser.find_elements(By.CSS_SELECTOR, "#signs ~ .flag")) > 1
    assert "What to do, first things first" not in text(browser)  # no advice to train
    screenshot(browser, "web-unsure", tmp_path)


def test_a_lifter_with_an_emergency_sign(browser: Any, live_server: str, tmp_path: Path) -> None:
    browser.get(live_server + "/")
    answer(browser, "age_years", {"age_years": 52})
    assert question_id(browser) == "screen:nerve_signs"
    click(browser, "Yes, one or more")
    assert question_id(browser) == "saddle_numbness"
    click(browser, "Yes")
    check_page(browser)
    flag = browser.find_element(By.CSS_SELECTOR, "#summary .flag")
    assert "EMERGENCY: go to an emergency department now" in flag.text
    assert "Go to an emergency department now" in flag.text  # the advice, whole
    assert bottom_of(browser, "summary") <= HEIGHT
    page = browser.page_source
    assert "What to do" not in page and "&#9744;" not in page and "☐" not in page
    screenshot(browser, "web-red-flag", tmp_path)


def test_back_after_an_answer_that_could_not_be_used_is_no_resubmission(
    browser: Any, live_server: str
) -> None:
    # From the new-user trial: an answer the page refused was shown in reply to the
    # POST, so the phone's Back key met "Confirm Form Resubmission".
    browser.get(live_server + "/")
    field = browser.find_element(By.NAME, "v")
    browser.execute_script("arguments[0].removeAttribute('min')", field)  # as a bad client
    field.clear()
    field.send_keys("7")
    click(browser, "Next")
    check_page(browser)
    assert "7 is out of range" in text(browser) and question_id(browser) == "age_years"
    answer(browser, "age_years", SAFE)
    back(browser)
    check_page(browser)  # the page again, never the browser's resubmission error
    assert question_id(browser) == "age_years"
    refresh(browser)
    check_page(browser)
    assert "7 is out of range" not in text(browser)  # said once
