"""The web questionnaire through FastAPI's TestClient: POST-redirect-GET, the answers
in a signed cookie, the place in the URL, errors as pages (issue 22 items 1-3).
What a real browser does with Back and refresh is in test_serve_browser.py."""

from __future__ import annotations

import html
import re
import warnings
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legpress_diag.knowledge.rulebase import QuestionType, RuleBase

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():  # Starlette's note that it would rather have httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import itertools

from legpress_diag.web import answer_cookie
from legpress_diag.web.app import create_app
from legpress_diag.web.page_routes import RESTARTED

SECRET = "test-secret"
FORM = {"content-type": "application/x-www-form-urlencoded"}
CLEAR_SCREENS = {
    "age_years": 30,
    "screen:nerve_signs": "no",
    "screen:general_health": "no",
    "screen:pain_pattern": "no",
}


@pytest.fixture
def client(rb: RuleBase, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv(answer_cookie.SECRET_ENV, SECRET)
    return TestClient(create_app(rb))


def key() -> bytes:
    import hashlib

    return hashlib.sha256(SECRET.encode()).digest()


def post(client: TestClient, at: int, q: str, do: str, *values: str) -> Any:
    data: list[tuple[str, str]] = [("at", str(at)), ("q", q), ("do", do)]
    data += [("v", v) for v in values]
    return client.post("/", content=urlencode(data), headers=FORM, follow_redirects=False)


def saved(client: TestClient) -> dict[str, Any]:
    return answer_cookie.decode(client.cookies[answer_cookie.NAME], key())


def question_of(page: str) -> str | None:
    found = re.search(r'name="q" value="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def test_the_page_has_no_script_and_strict_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "<script" not in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    assert response.headers["cache-control"] == "no-store"
    assert "How old are you?" in response.text


def test_an_answer_is_a_redirect_that_sets_a_strict_signed_cookie(client: TestClient) -> None:
    response = post(client, 0, "age_years", "answer", "35")
    assert response.status_code == 303 and response.headers["location"] == "/?at=1"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback; https gets Secure (below)
    assert saved(client) == {"age_years": 35}
    page = client.get("/?at=1").text
    assert question_of(page) == "screen:nerve_signs" and "Question 2" in page


def test_https_gets_a_secure_cookie(rb: RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(answer_cookie.SECRET_ENV, SECRET)
    secure = TestClient(create_app(rb), base_url="https://testserver")
    response = post(secure, 0, "age_years", "answer", "35")
    assert "Secure" in response.headers["set-cookie"]


def test_going_back_shows_the_answer_given_and_keeps_the_later_ones(client: TestClient) -> None:
    post(client, 0, "age_years", "answer", "35")
    post(client, 1, "screen:nerve_signs", "no")
    post(client, 2, "screen:general_health", "unsure")
    assert list(saved(client)) == ["age_years", "screen:nerve_signs", "screen:general_health"]
    first = client.get("/?at=0").text  # what browser Back (or refresh) fetches again
    assert 'value="35"' in first and "Your answer before: 35 years" in first
    second = client.get("/?at=1").text
    assert 'value="no" class="chosen" aria-pressed="true"' in second
    assert "Your answer before: None of these" in second
    # The same answer again keeps what came after it ...
    assert post(client, 1, "screen:nerve_signs", "no").headers["location"] == "/?at=2"
    assert len(saved(client)) == 3
    # ... a new one drops it, since it can change what is asked next.
    post(client, 1, "screen:nerve_signs", "yes")
    assert saved(client) == {"age_years": 35, "screen:nerve_signs": "yes"}
    assert question_of(client.get("/?at=2").text) == "saddle_numbness"


def test_a_place_past_the_answers_goes_to_the_last_one(client: TestClient) -> None:
    post(client, 0, "age_years", "answer", "35")
    for wanted in ("9", "-1", "x", "1" * 40):
        response = client.get(f"/?at={wanted}", follow_redirects=False)
        assert response.status_code == 303, wanted
        assert response.headers["location"] in ("/?at=1", "/?at=0")


@pytest.mark.parametrize(
    "cookie",
    [
        "",
        "garbage",
        "v1..",
        "v1.W1siYWdlX3llYXJzIiwzNF1d.AAAA",  # the answers of a real cookie, a wrong MAC
        "v2.W10.abc",
        "v1.%%%.???",
    ],
)
def test_a_changed_cookie_starts_again_with_a_message(client: TestClient, cookie: str) -> None:
    client.cookies.set(answer_cookie.NAME, cookie)
    page = client.get("/?at=3")
    assert page.status_code == 200 and html.escape(RESTARTED, quote=True) in page.text
    assert "How old are you?" in page.text
    assert 'legpress_answers=""' in page.headers["set-cookie"]  # deleted
    client.cookies.set(answer_cookie.NAME, cookie)
    response = post(client, 0, "age_years", "answer", "35")
    assert response.status_code == 303 and response.headers["location"] == "/?at=0&restarted=1"


def test_a_cookie_signed_with_another_key_is_refused(client: TestClient) -> None:
    other = answer_cookie.encode({"age_years": 35}, b"another key")
    client.cookies.set(answer_cookie.NAME, other)
    assert html.escape(RESTARTED, quote=True) in client.get("/").text


def test_signed_answers_this_rule_base_cannot_use_start_again(client: TestClient) -> None:
    client.cookies.set(answer_cookie.NAME, answer_cookie.encode({"age_years": 500}, key()))
    page = client.get("/?at=1")
    assert page.status_code == 200 and "How old are you?" in page.text
    assert html.escape(RESTARTED, quote=True) in page.text


def test_the_page_repeats_a_question_with_the_cli_message(client: TestClient) -> None:
    # Redirected like every answer, so Back never meets "Confirm Form Resubmission";
    # the message comes back once, from a signed cookie, not in the address.
    response = post(client, 0, "age_years", "answer", "7")
    assert response.status_code == 303 and response.headers["location"] == "/?at=0&invalid=1"
    assert "7" not in response.headers["location"]
    page = client.get(response.headers["location"])
    assert "7 is out of range: type a number from 12 to 100 years" in page.text
    assert answer_cookie.NAME not in client.cookies
    again = client.get("/?at=0&invalid=1")  # read once: a reload shows the plain message
    assert "7 is out of range" not in again.text and "could not be used" in again.text
    hostile = post(client, 0, "age_years", "answer", "<b>old</b>")
    shown = client.get(hostile.headers["location"])
    assert hostile.status_code == 303 and "<b>" not in shown.text


def test_a_forged_message_cookie_is_not_shown(client: TestClient) -> None:
    client.cookies.set("legpress_diag_message", answer_cookie.encode({"message": "pwned"}, key()))
    page = client.get("/?at=0&invalid=1")
    assert "pwned" not in page.text and "could not be used" in page.text


def test_a_multi_choice_value_that_is_a_command_word_is_an_answer(
    client: TestClient, rb: RuleBase
) -> None:
    # 'back' is both an injury and the terminal's undo word: on the page it is an answer.
    answers = {"age_years": 30}
    client.cookies.set(answer_cookie.NAME, answer_cookie.encode(answers, key()))
    form = b"at=1&q=injury_history&do=answer&v=back"
    response = client.post("/", content=form, headers=FORM, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?at=2"
    kept = answer_cookie.decode(response.cookies[answer_cookie.NAME], key())
    assert kept["injury_history"] == ["back"]


def test_a_form_for_no_question_changes_nothing(client: TestClient) -> None:
    response = post(client, 0, "<script>alert(1)</script>", "answer", "30")
    assert response.status_code == 303 and response.headers["location"] == "/?at=0"
    assert answer_cookie.NAME not in client.cookies
    broken = client.post("/", content=b"at=0&q=%ff", headers=FORM, follow_redirects=False)
    assert broken.status_code in (303, 400) and "Traceback" not in broken.text


def walk(client: TestClient, rb: RuleBase, answers: dict[str, Any]) -> tuple[str, int]:
    """Answer through the page: the given answers, then "not sure" to the rest."""
    for at in range(60):
        page = client.get(f"/?at={at}").text
        qid = question_of(page)
        if qid is None:
            return page, at
        value = answers.get(qid, "unsure")
        if value == "unsure":
            post(client, at, qid, "unsure")
        elif isinstance(value, list):
            post(client, at, qid, "answer", *value)
        elif qid.startswith("screen:") or rb.questions[qid].type is QuestionType.YES_NO:
            post(client, at, qid, value)
        else:
            post(client, at, qid, "answer", str(value))
    raise AssertionError("the interview did not end")


def test_the_result_page_and_its_downloads(client: TestClient, rb: RuleBase) -> None:
    answers = {
        **CLEAR_SCREENS,
        "pain_location": ["lower_back"],
        "butt_lifts_off_seat": "yes",
        "pain_timing": "bottom_of_rep",
    }
    page, at = walk(client, rb, answers)
    assert 'id="result"' in page and 'id="summary"' in page
    assert "Butt or lower back coming off the seat" in page
    saved_answers = client.get(f"/answers.json?at={at}")
    assert saved_answers.headers["content-disposition"].startswith("attachment")
    assert saved_answers.json()["answers"]["butt_lifts_off_seat"] == "yes"
    report = client.get(f"/report.html?at={at}")
    assert "Butt or lower back" in report.text
    assert "style-src 'sha256-" in report.headers["content-security-policy"]
    unfinished = client.get("/report.html?at=1")
    assert unfinished.status_code == 422 and "not finished" in unfinished.text
    assert client.get(f"/?at={at}").text == page  # refresh: the same result


def test_start_again_forgets_the_answers(client: TestClient) -> None:
    post(client, 0, "age_years", "answer", "35")
    response = client.post("/restart", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?at=0"
    assert 'legpress_answers=""' in response.headers["set-cookie"]


def test_the_largest_set_of_answers_fits_in_one_cookie(rb: RuleBase) -> None:
    """Every question answered with its longest answer, every screen too: the cookie
    stays under what every browser keeps (4,096 bytes with its name)."""
    answers: dict[str, Any] = {}
    for qid, question in rb.questions.items():
        if question.type is QuestionType.MULTI:
            answers[qid] = list(question.choice_values)
        elif question.type is QuestionType.CHOICE:
            answers[qid] = max(question.choice_values, key=len)
        elif question.type is QuestionType.NUMBER:
            answers[qid] = -1234567.123456789  # as long as a typed number gets
        else:
            answers[qid] = "unsure"
    for sid, screen in rb.screens.items():
        answers[f"screen:{sid}"] = list(screen.question_ids)
    value = answer_cookie.encode(answers, key())
    assert len(value) <= answer_cookie.MAX_VALUE_BYTES
    assert answer_cookie.decode(value, key()) == answers
    assert value.split(".")[1].startswith("z")  # deflated, being shorter so
    small = answer_cookie.encode({"age_years": 35}, key())
    assert not small.split(".")[1].startswith("z")


def test_answers_too_many_for_a_cookie_are_a_clear_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answer_cookie, "MAX_VALUE_BYTES", 40)
    response = post(client, 0, "age_years", "answer", "35")
    assert response.status_code == 413 and "too many answers" in response.text
    assert "<h1>" in response.text and "Traceback" not in response.text


@given(st.dictionaries(st.text(max_size=20), st.integers() | st.text(max_size=20), max_size=8))
def test_the_cookie_gives_back_what_it_was_given(answers: dict[str, Any]) -> None:
    assert answer_cookie.decode(answer_cookie.encode(answers, b"k"), b"k") == answers
    assert list(answer_cookie.decode(answer_cookie.encode(answers, b"k"), b"k")) == list(answers)


def test_a_flag_reads_the_same_on_the_web_as_in_every_other_format(
    client: TestClient, rb: RuleBase
) -> None:
    from legpress_diag.api import diagnose
    from legpress_diag.presentation.render.formats import markdown_one
    from legpress_diag.presentation.render.html_batch import batch_page, prepare
    from legpress_diag.presentation.render.report import html_report

    page, _ = walk(client, rb, {"age_years": 40, "screen:nerve_signs": "yes"})
    result = diagnose({"answers": {"saddle_numbness": "unsure"}}, rb, explain=True)
    heading = "URGENT: see a doctor today (answered 'not sure')"
    escaped = heading.replace("'", "&#39;")
    assert escaped in page and heading in markdown_one(result, rb)
    assert escaped in html_report(result, rb)
    assert escaped in batch_page([prepare(result, rb)])


def test_the_api_gives_the_same_estimate_as_the_page_and_it_never_goes_up(
    client: TestClient,
) -> None:
    answers: dict[str, Any] = {"age_years": 35, "screen:nerve_signs": "yes"}
    lefts = []
    for _ in range(40):
        step = client.post("/v1/interview", json={"answers": answers}).json()
        if step["should_stop"]:
            assert step.get("about_left") is None
            break
        lefts.append(step["about_left"])
        answers[step["question"]["id"]] = "unsure"
    assert len(lefts) > 3 and all(a >= b for a, b in itertools.pairwise(lefts))
    first = client.post("/v1/interview", json={"answers": {}}).json()
    assert f"about {first['about_left']} left" in client.get("/").text


def test_the_first_page_offers_to_forget_earlier_answers(client: TestClient) -> None:
    assert "Start again with no answers" not in client.get("/").text
    post(client, 0, "age_years", "answer", "35")
    first = client.get("/").text
    assert "Start again with no answers" in first and 'action="/restart"' in first
    assert "Start again with no answers" not in client.get("/?at=1").text


def test_the_page_asks_an_unsure_clinician_sign_again_with_its_self_check(
    client: TestClient,
) -> None:
    answers: dict[str, Any] = {"age_years": 45, "screen:nerve_signs": "unsure"}
    for qid in (
        "saddle_numbness",
        "bladder_bowel_change",
        "sexual_function_change",
        "progressive_leg_weakness",
        "new_leg_weakness",
        "both_legs_symptoms",
    ):
        answers[qid] = "no"
    answers["leg_pain_below_knee"] = "unsure"
    client.cookies.set(answer_cookie.NAME, answer_cookie.encode(answers, key()))
    page = client.get(f"/?at={len(answers)}")
    assert question_of(page.text) == "check:leg_pain_below_knee"
    assert "Before that counts" in page.text
    response = post(client, len(answers), "check:leg_pain_below_knee", "no")
    assert response.status_code == 303
    kept = answer_cookie.decode(response.cookies[answer_cookie.NAME], key())
    assert kept["check:leg_pain_below_knee"] == "no"
    client.cookies.clear()
    client.cookies.set(answer_cookie.NAME, response.cookies[answer_cookie.NAME])
    after = client.get(response.headers["location"])
    assert question_of(after.text) == "screen:general_health"


def test_a_number_in_words_is_a_button_on_the_page(client: TestClient, rb: RuleBase) -> None:
    # From the re-trial: the help said "pick the words that fit" but the page had none.
    question = rb.questions["knee_angle_at_bottom"]
    assert question.words
    answers = {"age_years": 30}
    client.cookies.set(answer_cookie.NAME, answer_cookie.encode(answers, key()))
    label, number = question.words[-1]
    form = urlencode(
        [("at", "1"), ("q", "knee_angle_at_bottom"), ("do", f"word:{number:g}"), ("v", "")]
    )
    response = client.post("/", content=form, headers=FORM, follow_redirects=False)
    assert response.status_code == 303 and "invalid" not in response.headers["location"]
    kept = answer_cookie.decode(response.cookies[answer_cookie.NAME], key())
    assert kept["knee_angle_at_bottom"] == number
    from legpress_diag.web import pages

    view = pages.question_view(rb, _asking(rb, "knee_angle_at_bottom"), 1, 5)
    html_text = pages.question_page(view)
    assert html.escape(label) in html_text and f'value="word:{number:g}"' in html_text


def _asking(rb: RuleBase, qid: str) -> Any:
    from legpress_diag.intake.questionnaire import Ask
    from legpress_diag.web.service import Step

    return Step(Ask(rb.questions[qid], 2), None, None, None, ())
