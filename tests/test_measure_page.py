"""Issue 26 on the web page: a filmed set's landmarks uploaded, what was measured
shown in words with a way to change each answer, the measured questions not asked,
the lifter's own answer winning; a video only where the measure extra is installed."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest

from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.measure.synth import SetSpec, generate
from legpress_diag.measure.video import available

from .test_no_ids import IDS, shown, visible_ids

pytest.importorskip("fastapi", reason="the serve extra is not installed")
pytest.importorskip("httpx", reason="FastAPI's TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legpress_diag.web.app import Limits, create_app
from legpress_diag.web.measured_pages import Marks, pack

SET = json.dumps(generate(SetSpec(hip_lift=0.25, heel_lift=18, lowering=0.6, seed=21))[0])
FORM = {"content-type": "application/x-www-form-urlencoded"}
SAFE = {"age_years": "34"}  # and "no" to every safety screen
LANDMARKS_CAP = 2_000_000  # bytes: both sets here fit


@pytest.fixture
def client(rb: RuleBase, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("LEGPRESS_DIAG_SECRET", "measured-page")
    return TestClient(create_app(rb, Limits(max_landmarks_bytes=LANDMARKS_CAP)))


def upload(client: TestClient, data: bytes = SET.encode(), name: str = "set.json") -> Any:
    kind = "video/mp4" if name.endswith(".mp4") else "application/json"
    return client.post("/measure", files={"film": (name, data, kind)}, follow_redirects=False)


def question_of(page: str) -> str | None:
    found = re.search(r'name="q" value="([^"]+)"', page)
    return found.group(1) if found else None


def position_of(page: str) -> int:
    found = re.search(r'name="at" value="(\d+)"', page)
    assert found is not None
    return int(found.group(1))


def walk(client: TestClient, start: int = 0) -> tuple[list[str], str]:
    """Answer until the result: the safety screen clear, "not sure" to the rest."""
    asked: list[str] = []
    at = start
    for _ in range(60):
        page = client.get(f"/?at={at}").text
        assert not visible_ids(shown(page), IDS), visible_ids(shown(page), IDS)
        qid = question_of(page)
        if qid is None:
            return asked, page
        asked.append(qid)
        if qid in SAFE:
            body = f"at={at}&q={qid}&do=answer&v={SAFE[qid]}"
        elif qid.startswith("screen:") and 'type="checkbox"' not in page:
            body = f"at={at}&q={qid}&do=no"
        else:
            body = f"at={at}&q={qid}&do=unsure"
        answered = client.post("/", content=body.encode(), headers=FORM, follow_redirects=False)
        assert answered.status_code == 303
        at += 1
    raise AssertionError("the interview did not end")


def test_the_first_page_offers_the_upload_and_a_video_only_with_the_extra(
    client: TestClient,
) -> None:
    page = client.get("/").text
    assert 'action="/measure" enctype="multipart/form-data"' in page
    accept = re.search(r'accept="([^"]+)"', page)
    assert accept is not None
    assert ("video/*" in accept.group(1)) is available()
    assert ("Upload the video" in page) is available()


def test_an_upload_shows_what_was_measured_and_the_questions_skip_it(
    client: TestClient, rb: RuleBase
) -> None:
    sent = upload(client)
    assert sent.status_code == 303 and sent.headers["location"] == "/measured?at=0"
    page = client.get("/measured?at=0").text
    text = " ".join(shown(page).split())
    assert "Measured from your filmed set" in text
    assert re.search(r"knee angle at the bottom: about \d+°, measured in 5 reps", text)
    assert "butt lifts off the seat: yes, measured in 5 reps" in text
    assert "Change: heels lift off the plate" in text
    assert "lower back rounds: cannot tell from these landmarks" in text
    assert not visible_ids(text, IDS)
    first = client.get("/?at=0").text
    assert "6 answers measured from your filmed set" in first
    asked, result = walk(client)
    measured = {"knee_angle_at_bottom", "knees_lock_out", "rep_tempo", "heels_lift"}
    assert not measured & set(asked)
    assert "butt_lifts_off_seat" not in asked
    flat = " ".join(shown(result).split())
    assert "Measured from your filmed set" in flat
    assert "heels lift off the plate: yes, measured in 5 reps" in flat
    assert "Change a measured answer" in flat
    at = position_of_result(result)
    record = client.get(f"/answers.json?at={at}").json()
    assert record["measured"]["heels_lift"]["value"] == "yes"
    assert record["answers"]["heels_lift"] == "yes"
    report = " ".join(shown(client.get(f"/report.html?at={at}").text).split())
    assert "heels lift off the plate: yes, measured in 5 reps" in report


def position_of_result(page: str) -> int:
    found = re.search(r"/answers\.json\?at=(\d+)", page)
    assert found is not None
    return int(found.group(1))


def test_a_changed_answer_wins_over_the_measured_one(client: TestClient) -> None:
    assert upload(client).status_code == 303
    change = client.get("/measured?at=0&change=heels_lift").text
    assert question_of(change) == "heels_lift" and position_of(change) == 0
    # The measurement, said to be the film's (the lifter never gave it), with its reps.
    said = " ".join(shown(change).split())
    assert "Your filmed set showed: yes, measured in 5 reps" in said
    assert "Your answer before" not in said
    sent = client.post(
        "/", content=b"at=0&q=heels_lift&do=no", headers=FORM, follow_redirects=False
    )
    assert sent.status_code == 303
    listed = " ".join(shown(client.get("/measured?at=1").text).split())
    assert "heels lift off the plate: no, your own answer, used instead of the measurement" in (
        listed
    )
    asked, result = walk(client, start=1)
    assert "heels_lift" not in asked
    flat = " ".join(shown(result).split())
    assert "heels lift off the plate: no, your own answer, used instead of the measurement" in flat
    record = client.get(f"/answers.json?at={position_of_result(result)}").json()
    assert record["answers"]["heels_lift"] == "no"
    assert record["measured"]["heels_lift"]["value"] == "yes"


def test_start_again_forgets_the_measured_set(client: TestClient) -> None:
    assert upload(client).status_code == 303
    client.post("/restart", follow_redirects=False)
    assert "measured from your filmed set" not in client.get("/?at=0").text


@pytest.mark.parametrize(
    ("data", "status", "said"),
    [
        (b'{"fps": 30}', 422, "missing 'width'"),
        (b"not json", 400, "the landmarks are not valid JSON"),
        (b"{" + b" " * LANDMARKS_CAP + b"}", 413, "larger than 2,000,000 bytes"),
    ],
)
def test_bad_landmarks_get_a_page_that_says_what_is_wrong(
    client: TestClient, data: bytes, status: int, said: str
) -> None:
    sent = upload(client, data)
    assert sent.status_code == status
    assert said in shown(sent.text)
    assert "legpress_measured" not in sent.headers.get("set-cookie", "")


def test_a_set_where_nothing_is_measured_says_why_and_keeps_nothing(client: TestClient) -> None:
    data, _ = generate(SetSpec(front=True, seed=3))
    sent = upload(client, json.dumps(data).encode())
    assert sent.status_code == 422
    assert "Nothing could be measured from that file" in shown(sent.text)
    assert "side view" in sent.text
    assert "legpress_measured" not in sent.headers.get("set-cookie", "")


def test_a_form_without_a_file_or_not_multipart(client: TestClient) -> None:
    empty = client.post("/measure", files={"film": ("", b"", "application/octet-stream")})
    assert empty.status_code == 400 and "no file was sent" in empty.text
    plain = client.post("/measure", content=b"film=x", headers=FORM)
    assert plain.status_code == 415


@pytest.mark.skipif(available(), reason="the measure extra is installed here")
def test_a_video_without_the_extra_is_a_clear_501(client: TestClient) -> None:
    page = upload(client, b"\x00\x00\x00\x18ftypmp42", "set.mp4")
    assert page.status_code == 501
    assert "the measure extra is not installed" in shown(page.text)
    api = client.post("/v1/measure", content=b"\x00", headers={"content-type": "video/mp4"})
    assert api.status_code == 501
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["title"] == "Reading a video needs the measure extra"


def test_the_cookie_leaves_out_each_reps_frames_when_they_do_not_fit() -> None:
    reps = [{"rep": i, "start": 1, "bottom": 2, "end": 3, "value": 1.5 + i} for i in range(400)]
    entry = {"value": "yes", "confidence": 0.9, "evidence": {"text": "seen", "reps": reps}}
    value = pack(Marks({"heels_lift": entry}, {}), b"k" * 32)
    assert len(value) < 3800
    small = pack(
        Marks({"heels_lift": {**entry, "evidence": {"text": "t", "reps": reps[:3]}}}, {}), b"k" * 32
    )
    assert len(small) < len(value)


def test_the_upload_is_read_byte_for_byte() -> None:
    """A video's bytes (any byte, boundaries-like lines too) come out of the form whole."""
    import httpx

    from legpress_diag.web.measured import read_upload

    data = bytes(range(256)) * 400 + b"\r\n--boundary\r\n" + bytes(range(255, -1, -1))
    request = httpx.Request(
        "POST", "http://x/measure", files={"film": ("My Set.MP4", data, "video/mp4")}
    )
    upload = read_upload(request.read(), request.headers["content-type"])
    assert upload.data == data and upload.is_video and upload.suffix == ".mp4"
