"""Issue 26: landmarks input is checked strictly; each error names the frame and field."""

from __future__ import annotations

import copy
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.measure import (
    MAX_FRAMES,
    LandmarksError,
    check_landmarks,
    landmarks,
    parse_landmarks,
    read_landmarks,
)
from legpress_diag.measure.geometry import (
    angle_at,
    offset_from_line,
    parabola_low,
    percentile,
    turn,
)
from legpress_diag.measure.synth import SetSpec, generate


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    data, _ = generate(SetSpec(reps=1, pause=0.3, lowering=0.5, pressing=0.5, seed=1))
    return data


def _broken(good: dict[str, Any], change: Any) -> dict[str, Any]:
    data = copy.deepcopy(good)
    change(data)
    return data


def _error(data: Any) -> str:
    with pytest.raises(LandmarksError) as caught:
        check_landmarks(data)
    return str(caught.value)


def test_good_landmarks_keep_the_measured_points_in_pixels(good: dict[str, Any]) -> None:
    marks = check_landmarks(good)
    assert marks.frames == len(good["frames"]) and marks.view == "left"
    x, y, _, v = good["frames"][3]["landmarks"][25]  # the left knee
    assert marks.joint("knee")[3] == (x * 1280, y * 720, v)
    assert marks.joint("knee", "right")[3][0] == good["frames"][3]["landmarks"][26][0] * 1280


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["frames"][7]["landmarks"].pop(), "frame 7: 'landmarks' is 32 points"),
        (lambda d: d["frames"][2]["landmarks"].append([0, 0, 0, 1]), "frame 2: 'landmarks' is 34"),
        (lambda d: d["frames"][4]["landmarks"][12].pop(), "frame 4: landmark 12 is 3 numbers"),
        (
            lambda d: d["frames"][5]["landmarks"][3].__setitem__(1, float("nan")),
            "frame 5: landmark 3: y is nan",
        ),
        (
            lambda d: d["frames"][5]["landmarks"][3].__setitem__(0, float("inf")),
            "frame 5: landmark 3: x is inf",
        ),
        (lambda d: d["frames"][6]["landmarks"][0].__setitem__(2, "0"), "landmark 0: z is a string"),
        (lambda d: d["frames"][6]["landmarks"][0].__setitem__(3, True), "visibility is a boolean"),
        (lambda d: d["frames"][6]["landmarks"][0].__setitem__(3, 1.5), "visibility is 1.5"),
        (lambda d: d["frames"][6]["landmarks"][0].__setitem__(0, 101.0), "x, y are 101"),
        (lambda d: d["frames"][9].__setitem__("t", d["frames"][8]["t"]), "frame 9: 't' is"),
        (lambda d: d["frames"][9].__setitem__("t", 0.0), "not after frame 8's"),
        (lambda d: d["frames"][3].pop("t"), "frame 3: missing 't'"),
        (lambda d: d["frames"][3].pop("landmarks"), "frame 3: 'landmarks' is missing"),
        (lambda d: d["frames"].__setitem__(1, [1, 2]), "frame 1 is an array"),
        (lambda d: d.pop("fps"), "missing 'fps'"),
        (lambda d: d.pop("width"), "missing 'width'"),
        (lambda d: d.pop("height"), "missing 'height'"),
        (lambda d: d.pop("view"), "missing 'view'"),
        (lambda d: d.pop("frames"), "missing 'frames'"),
        (lambda d: d.__setitem__("fps", 0), "'fps' is 0"),
        (lambda d: d.__setitem__("fps", 1001), "'fps' is 1001"),
        (lambda d: d.__setitem__("width", 12.5), "'width' is 12.5"),
        (lambda d: d.__setitem__("height", 0), "'height' is 0"),
        (
            lambda d: d.__setitem__("view", "front"),
            "'view' is \"front\"; expected 'left' or 'right'",
        ),
        (lambda d: d.__setitem__("frames", []), "'frames' is empty"),
        (lambda d: d.__setitem__("frames", {}), "'frames' is an object"),
    ],
)
def test_each_error_names_where_and_what_was_expected(
    good: dict[str, Any], change: Any, message: str
) -> None:
    assert message in _error(_broken(good, change))


def test_a_whole_number_width_written_as_a_float_is_accepted(good: dict[str, Any]) -> None:
    assert check_landmarks(_broken(good, lambda d: d.__setitem__("width", 1280.0))).width == 1280


def test_not_an_object_and_not_json() -> None:
    assert _error([1]).endswith("fps, width, height, view and frames, not an array")
    with pytest.raises(LandmarksError, match="not valid JSON: Expecting"):
        parse_landmarks(b'{"fps": 30,')
    with pytest.raises(LandmarksError, match="NaN is not a number JSON allows"):
        parse_landmarks(b'{"fps": NaN}')
    with pytest.raises(LandmarksError, match="not UTF-8"):
        parse_landmarks(b'{"fps": "\xff"}')


def test_the_frame_cap_is_checked_before_any_frame_is_read(good: dict[str, Any]) -> None:
    header = {k: v for k, v in good.items() if k != "frames"}
    at_cap = _error({**header, "frames": [None] * MAX_FRAMES})
    assert at_cap.startswith("frame 0 is null")  # at the cap: frames are read
    over = _error({**header, "frames": [None] * (MAX_FRAMES + 1)})
    assert over == "'frames' has 100,001 frames; at most 100,000 are measured at a time"


def test_the_byte_cap_refuses_a_bigger_input_before_parsing(good: dict[str, Any]) -> None:
    blob = json.dumps(good).encode()
    assert read_landmarks(io.BytesIO(blob), limit=len(blob)).frames == len(good["frames"])
    with pytest.raises(LandmarksError, match=f"larger than {len(blob) - 1:,} bytes"):
        read_landmarks(io.BytesIO(blob), limit=len(blob) - 1)


def test_a_file_over_the_cap_is_refused_without_being_read(
    good: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(good))
    size = path.stat().st_size
    with path.open("rb") as stream:
        assert read_landmarks(stream, limit=size).frames == len(good["frames"])
    with path.open("rb") as stream:
        with pytest.raises(LandmarksError, match=f"larger than {size - 1:,} bytes"):
            read_landmarks(stream, limit=size - 1)
        assert stream.tell() == 0  # refused by its size, not a byte read


def test_angles_are_taken_in_pixels_not_normalised_units() -> None:
    assert angle_at((0, 0), (1, 0), (1, 1)) == pytest.approx(90.0)
    assert angle_at((0, 0), (1, 0), (2, 0)) == pytest.approx(180.0)
    assert angle_at((1, 0), (1, 0), (2, 0)) is None
    # A right angle in a 16:9 picture is 90° in pixels, not in normalised units.
    frame = [[0.5, 0.5, 0.0, 1.0]] * 33
    frame = [list(p) for p in frame]
    frame[23], frame[25], frame[27] = (
        [0.4, 0.5, 0, 1],
        [0.5, 0.5, 0, 1],
        [0.5, 0.5 + 0.1 * 16 / 9, 0, 1],
    )
    marks = check_landmarks(
        {
            "fps": 30,
            "width": 1600,
            "height": 900,
            "view": "left",
            "frames": [{"t": 0, "landmarks": frame}],
        }
    )
    hip, knee, ankle = (marks.joint(j)[0][:2] for j in ("hip", "knee", "ankle"))
    assert angle_at(hip, knee, ankle) == pytest.approx(90.0)
    assert offset_from_line((0, 1), (0, 0), (1, 0)) == pytest.approx(1.0)
    assert turn(170, -170) == pytest.approx(20.0) and turn(10, 350) == pytest.approx(-20.0)
    assert percentile([1, 2, 3, 4, 5], 0.5) == 3 and math.isclose(percentile([0, 10], 0.25), 2.5)


def test_the_lowest_point_of_a_fitted_parabola() -> None:
    assert parabola_low([-2, -1, 0, 1, 2], [9, 6, 5, 6, 9]) == pytest.approx(5.0)
    assert parabola_low([-2, -1, 0, 1, 2], [9.5, 6.5, 5.5, 6.5, 9.5]) == pytest.approx(5.5)
    assert parabola_low([0, 1, 2], [1, 0, 1]) is None  # too few points to fit
    assert parabola_low([-2, -1, 0, 1, 2], [-4, -1, 0, -1, -4]) is None  # opens downward
    assert parabola_low([1, 2, 3, 4], [1, 4, 9, 16]) is None  # lowest point outside


def test_listed_values_never_show_minus_zero() -> None:
    from legpress_diag.measure.context import listing

    assert listing([-0.3, 1.26, -1.6]) == "0, 1, -2"
    assert listing([-0.004, 0.126], 2) == "0.00, 0.13"
    assert listing(list(range(10))) == "0, 1, 2, 3, 4, 5, 6, 7, …"


# Text much denser in arrays or objects than landmarks can be is refused before it is
# parsed: parsed, a 16 MiB body of `[[],[],...]` held 480 MB (issue 20, attack N3).


def _densest_valid(frames: int) -> str:
    point = "[0,0,0,1]"
    frame = '{"t":%d,"landmarks":[' + ",".join([point] * 33) + "]}"
    body = ",".join(frame % i for i in range(frames))
    return '{"fps":30,"width":640,"height":480,"view":"left","frames":[' + body + "]}"


def test_the_densest_valid_landmarks_are_measured() -> None:
    text = _densest_valid(300)
    assert text.count("[") > len(text) // landmarks.BYTES_PER_ARRAY * 0.95  # near the bound
    assert parse_landmarks(text).frames == 300


@pytest.mark.parametrize(
    ("char", "per"),
    [
        ("[", "BYTES_PER_ARRAY"),
        ("{", "BYTES_PER_OBJECT"),
        # Attack round 6: 2 million keys, or 3 million short strings, in 16 MiB.
        (":", "BYTES_PER_KEY"),
        ('"', "BYTES_PER_QUOTE"),
    ],
)
def test_text_denser_in_arrays_or_objects_is_refused_at_the_bound(char: str, per: str) -> None:
    length = 100_000
    allowed = length // getattr(landmarks, per) + 8
    at_bound = char * allowed + " " * (length - allowed)
    landmarks._check_density(at_bound)  # at the bound: left to the parser
    over = char * (allowed + 1) + " " * (length - allowed - 1)
    message = f"hold {allowed + 1:,} '{re.escape(char)}' in 100,000"
    with pytest.raises(LandmarksError, match=message):
        landmarks._check_density(over)


def test_a_body_of_empty_arrays_is_refused_without_being_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blob = b'{"fps":30,"width":1,"height":1,"view":"left","frames":[' + b"[]," * 100_000 + b"[]]}"

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed")

    monkeypatch.setattr(landmarks.json, "loads", never)
    with pytest.raises(LandmarksError, match="expected at most one per 10 characters"):
        parse_landmarks(blob)


def test_an_integer_no_float_holds_is_an_error_naming_where(good: dict[str, Any]) -> None:
    # Attack round 5: a 400-digit time was an internal error (OverflowError).
    data = copy.deepcopy(good)
    blob = json.dumps(data).replace('"t": 0.0', '"t": ' + "9" * 400, 1)
    assert "9" * 400 in blob
    with pytest.raises(LandmarksError, match="frame 0: 't' is an integer of 400 digits"):
        parse_landmarks(blob)


@pytest.mark.parametrize(("t", "refused"), [(86_400.0, False), (86_400.5, True), (1e300, True)])
def test_a_frame_time_past_a_day_is_refused(good: dict[str, Any], t: float, refused: bool) -> None:
    # Attack round 5, P11: times of 1e300 s were measured, and a note then printed a
    # 300-digit number of seconds.
    data = copy.deepcopy(good)
    start = t - data["frames"][-1]["t"]
    for frame in data["frames"]:
        frame["t"] += start  # the last frame at t, the others before it
    if not refused:
        assert check_landmarks(data).frames == len(data["frames"])
        return
    first = next(i for i, frame in enumerate(data["frames"]) if frame["t"] > 86_400)
    with pytest.raises(LandmarksError, match=f"frame {first}: 't' is .*, at most 86,400 either"):
        check_landmarks(data)


def test_a_short_text_gets_the_parsers_message_not_the_density_one() -> None:
    # A new user's try: `[[[[[[[[[[` was "too many '['", hiding that it is cut short.
    with pytest.raises(LandmarksError, match="not valid JSON: Expecting value"):
        parse_landmarks("[" * 10)
    short = "[" * (landmarks.DENSITY_CHECKED_FROM - 1)
    with pytest.raises(LandmarksError, match="not valid JSON"):
        parse_landmarks(short)
    with pytest.raises(LandmarksError, match="expected at most one per 10"):
        parse_landmarks(short + "[")
