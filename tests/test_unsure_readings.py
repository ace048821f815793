"""Every reading of a record's "not sure" answers that could raise a flag is tried.

Check 36's attacker found two ways a coach's flag was lost to an unsure answer. An
unsure number was tried at each limit and one either side, so a band narrower than 2
(an injection 0 to 0.25 years ago) never came true. And two unsure numbers in one flag
(an age band and "under a year of training") were moved one at a time, the other held
at its maximum, so the flag over both never held. A yes/no under a 'not' was only read
as "yes", so `had_surgery and not cleared_by_surgeon` was lost to an unsure clearance.

Now each flag's unsure answers are varied together: a number at one point of every
stretch of its range the flag tells apart, a yes/no as "yes" and, under a 'not', as
"no". Past MAX_READING_TESTS tests a record, a flag is taken as possible and its 'unless' as not
holding, the safe side.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose, load_rulebase
from legpress_diag.reasoning import safety

COACH_QUESTION = """\
  - id: {id}
    type: {type}
    group: safety
    text: {text}
    source: coach
"""
NUMBER_RANGE = "    min: 0\n    max: 60\n"


def flag(ident: str, when: str, level: str = "urgent", unless: str = "") -> str:
    extra = f"    unless: {unless}\n    if_cleared: Ask again if it changes.\n" if unless else ""
    return (
        f"  - id: {ident}\n    when: {when}\n{extra}    level: {level}\n"
        f"    title: {ident}\n    advice: See a doctor today, and do not train.\n"
        f"    if_unsure: See a doctor today.\n    source: coach\n"
    )


def number_question(ident: str) -> str:
    text = COACH_QUESTION.format(id=ident, type="number", text="How many years?")
    return text.replace("    group: safety\n", "    group: safety\n" + NUMBER_RANGE)


def yes_no_question(ident: str) -> str:
    return COACH_QUESTION.format(id=ident, type="yes_no", text=f"{ident.replace('_', ' ')}?")


def pack(tmp_path: Path, questions: list[str], flags: list[str]) -> Any:
    path = tmp_path / "pack.yaml"
    text = "questions:\n" + "".join(questions) if questions else ""
    path.write_text(text + "safety_flags:\n" + "".join(flags), encoding="utf-8")
    return load_rulebase([path])


def levels(result: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["level"] for f in result["red_flags"]}


def test_a_band_narrower_than_two_is_tried(tmp_path: Path) -> None:
    when = "years_since_injection > 0 and years_since_injection < 0.25"
    rb = pack(tmp_path, [number_question("years_since_injection")], [flag("recent", when)])
    for unsure in ("unsure", None):
        found = diagnose({"id": "u", "answers": {"years_since_injection": unsure}}, rb)
        assert levels(found) == {"recent": "clinician"}  # urgent, one lower: not sure
        assert found["fixes"] == {}
    assert levels(diagnose({"id": "a", "answers": {"years_since_injection": 0.1}}, rb)) == {
        "recent": "urgent"
    }
    for outside in (0, 0.25, 5):
        answers = {"years_since_injection": outside}
        assert levels(diagnose({"id": "b", "answers": answers}, rb)) == {}


def test_an_unless_with_a_narrow_gap_does_not_clear_an_unsure_number(tmp_path: Path) -> None:
    unless = "years_since_injection <= 2 or years_since_injection >= 2.5"
    rb = pack(
        tmp_path,
        [number_question("years_since_injection")],
        [flag("gap", "sudden_sharp_onset", unless=unless)],
    )
    answers = {"sudden_sharp_onset": "yes", "years_since_injection": "unsure"}
    assert "gap" in levels(diagnose({"id": "u", "answers": answers}, rb))
    for cleared in (1, 3):
        given = {**answers, "years_since_injection": cleared}
        assert "gap" not in levels(diagnose({"id": "c", "answers": given}, rb))
    assert "gap" in levels(
        diagnose({"id": "in", "answers": {**answers, "years_since_injection": 2.2}}, rb)
    )


def test_two_unsure_numbers_in_one_flag_are_varied_together(tmp_path: Path) -> None:
    when = "age_years >= 13 and age_years <= 17 and training_years < 1"
    rb = pack(
        tmp_path, [number_question("training_years")], [flag("teen_novice", when, "clinician")]
    )
    for age, training in [("unsure", "unsure"), (None, None), ("unsure", 0.5), (15, "unsure")]:
        answers = {"age_years": age, "training_years": training}
        assert "teen_novice" in levels(diagnose({"id": "u", "answers": answers}, rb)), answers
    for age, training in [(30, "unsure"), ("unsure", 3), (15, 2)]:
        answers = {"age_years": age, "training_years": training}
        assert "teen_novice" not in levels(diagnose({"id": "c", "answers": answers}, rb)), answers


def test_a_yes_no_under_a_not_is_also_read_as_no(tmp_path: Path) -> None:
    rb = pack(
        tmp_path,
        [yes_no_question("had_back_surgery"), yes_no_question("cleared_by_surgeon")],
        [flag("surgery_not_cleared", "had_back_surgery and not cleared_by_surgeon")],
    )
    unsure = {"had_back_surgery": "yes", "cleared_by_surgeon": "unsure"}
    assert levels(diagnose({"id": "u", "answers": unsure}, rb)) == {
        "surgery_not_cleared": "clinician"
    }
    cleared = {**unsure, "cleared_by_surgeon": "yes"}
    assert levels(diagnose({"id": "c", "answers": cleared}, rb)) == {}
    not_cleared = {**unsure, "cleared_by_surgeon": "no"}
    assert levels(diagnose({"id": "n", "answers": not_cleared}, rb)) == {
        "surgery_not_cleared": "urgent"
    }


def test_the_points_cover_every_stretch_between_limits(tmp_path: Path) -> None:
    from legpress_diag.knowledge.thresholds import telling_points

    when = "years_since_injection > 0 and years_since_injection < 0.25"
    rb = pack(tmp_path, [number_question("years_since_injection")], [flag("recent", when)])
    points = telling_points(rb, rb.safety_flags["recent"], "years_since_injection", 0, 60)
    assert sorted(points) == [0, 0.125, 0.25, 30.125, 60]
    # A span given (not the question's range) keeps to it; limits outside are left out.
    assert sorted(telling_points(rb, rb.safety_flags["recent"], "years_since_injection", 1, 5)) == [
        1,
        3,
        5,
    ]


# Ids far apart, so that none is refused as a near miss of another.
SIGNS = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike".split()


def contradiction(count: int) -> tuple[list[str], str]:
    """A flag that no reading can make hold (q0 and not q0), over ``count`` questions
    each read under a 'not', so that each doubles the readings."""
    names = SIGNS[:count]
    return [yes_no_question(name) for name in names], " and ".join(
        [names[0], *(f"not {name}" for name in names)]
    )


def cost(count: int) -> int:
    """The tests ``contradiction(count)`` costs: 2**count readings of count + 1 tests."""
    return 2**count * (count + 1)


@pytest.mark.parametrize("count", [7, 8])
def test_past_the_budget_a_flag_is_taken_as_possible(tmp_path: Path, count: int) -> None:
    assert cost(7) <= safety.MAX_READING_TESTS < cost(8)
    questions, when = contradiction(count)
    rb = pack(tmp_path, questions, [flag("never", when)])
    answers = dict.fromkeys(SIGNS[:count], "unsure")
    found = levels(diagnose({"id": "u", "answers": answers}, rb))
    if count == 7:  # 128 readings, each tried: the flag can never hold
        assert found == {}
    else:  # 256 readings of 9 tests: not all tried, and raised, the safe side
        assert found == {"never": "clinician"}


def test_an_unless_over_unsure_answers_never_clears(tmp_path: Path) -> None:
    # Only a certain answer clears a flag: an unless true at every reading of the
    # unsure answers, but not known to hold, does not.
    questions, _ = contradiction(3)
    unless = " or ".join(["not alpha", *SIGNS[:3]])
    rb = pack(tmp_path, questions, [flag("onset", "sudden_sharp_onset", unless=unless)])
    answers = {"sudden_sharp_onset": "yes", **dict.fromkeys(SIGNS[:3], "unsure")}
    assert "onset" in levels(diagnose({"id": "u", "answers": answers}, rb))
    answers["bravo"] = "yes"
    assert "onset" not in levels(diagnose({"id": "c", "answers": answers}, rb))


def test_a_condition_settled_without_the_unsure_answers_is_not_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # False with them unknown is false at every reading (tests are true, false or
    # unknown, joined by min, max and not): no reading is tried, whatever the count.
    questions, _ = contradiction(12)
    when = " and ".join(["sudden_sharp_onset", *(f"not {name}" for name in SIGNS[:12])])
    rb = pack(tmp_path, questions, [flag("settled", when)])
    tried: list[object] = []
    monkeypatch.setattr(safety, "_possible_answers", lambda *args, **kw: tried.append(args))
    answers = {"sudden_sharp_onset": "no", **dict.fromkeys(SIGNS[:12], "unsure")}
    assert levels(diagnose({"id": "n", "answers": answers}, rb)) == {}
    assert tried == []


def test_a_flag_that_only_a_no_holds_is_found_at_the_first_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Check 38, A-M1: twelve unsure answers a flag reads under 'not' tried "yes"
    # first cost every reading a record could pay for; "no" first, the first holds.
    questions, _ = contradiction(12)
    when = " and ".join(f"not {name}" for name in SIGNS[:12])
    rb = pack(tmp_path, questions, [flag("all_failed", when)])
    readings = safety._readings
    tried: list[object] = []

    def counted(*args: Any) -> Any:
        for reading in readings(*args):
            tried.append(reading)
            yield reading

    monkeypatch.setattr(safety, "_readings", counted)
    answers = dict.fromkeys(SIGNS[:12], None)
    assert levels(diagnose({"id": "u", "answers": answers}, rb)) == {"all_failed": "clinician"}
    assert len(tried) == 1


HEEL_STAND = [yes_no_question("leg_gives_way"), yes_no_question("can_stand_on_heels")]


@pytest.mark.parametrize("unsure", ["unsure", None, "maybe"])
@pytest.mark.parametrize(
    "when",
    ["leg_gives_way and not can_stand_on_heels", "leg_gives_way and can_stand_on_heels == no"],
)
def test_a_flag_that_holds_on_a_no_is_raised_by_an_unsure_answer(
    tmp_path: Path, when: str, unsure: Any
) -> None:
    # Check 37, A-H1: a coach writes a failed test as "not can ..." or "== no".
    rb = pack(tmp_path, HEEL_STAND, [flag("heel_weakness", when, "emergency")])
    answers = {"leg_gives_way": "yes", "can_stand_on_heels": unsure}
    found = diagnose({"id": "u", "answers": answers}, rb)
    assert levels(found) == {"heel_weakness": "urgent"}  # one lower: not sure
    assert found["fixes"] == {} and found["alternatives"] == []
    can = diagnose({"id": "y", "answers": {**answers, "can_stand_on_heels": "yes"}}, rb)
    assert levels(can) == {}
    cannot = diagnose({"id": "n", "answers": {**answers, "can_stand_on_heels": "no"}}, rb)
    assert levels(cannot) == {"heel_weakness": "emergency"}


GRIP = """\
  - id: grip_on_weak_side
    type: choice
    group: safety
    text: How strong is your grip on the weak side?
    choices: {normal: normal, weaker: weaker, none: cannot grip}
    source: coach
  - id: numb_areas
    type: multi
    group: safety
    text: Where is it numb?
    choices: {toes: toes, shin: shin, groin: groin}
    source: coach
"""


@pytest.mark.parametrize(
    ("when", "answer"),
    [
        ("grip_on_weak_side != normal", {"grip_on_weak_side": None}),
        ("grip_on_weak_side == none", {"grip_on_weak_side": None}),
        ("grip_on_weak_side in [weaker, none]", {"grip_on_weak_side": "not sure"}),
        ("numb_areas includes groin", {"numb_areas": None}),
        ("numb_areas includes toes and not numb_areas includes shin", {"numb_areas": None}),
    ],
)
def test_an_unsure_choice_is_tried_at_each_of_its_values(
    tmp_path: Path, when: str, answer: dict[str, Any]
) -> None:
    rb = pack(tmp_path, [GRIP], [flag("coach_sign", when)])
    found = diagnose({"id": "u", "answers": answer}, rb)
    assert levels(found) == {"coach_sign": "clinician"}
    assert found["fixes"] == {}
    clear = {"grip_on_weak_side": "normal", "numb_areas": []}
    assert levels(diagnose({"id": "c", "answers": clear}, rb)) == {}


@pytest.mark.parametrize("flags", [1, 2])
def test_the_readings_are_bounded_per_record(tmp_path: Path, flags: int) -> None:
    # One flag of 1,024 tests fits in the record's budget; a second does not, and is
    # raised (the safe side) instead of costing without bound.
    assert cost(7) == safety.MAX_READING_TESTS
    questions, when = contradiction(7)
    rb = pack(tmp_path, questions, [flag(f"never_{n}", when) for n in range(flags)])
    found = levels(diagnose({"id": "u", "answers": dict.fromkeys(SIGNS[:7], "unsure")}, rb))
    assert found == ({} if flags == 1 else {"never_1": "clinician"})


def test_a_multi_choices_sets_are_made_once(tmp_path: Path) -> None:
    # Check 39, A-H2: the 4,096 sets of a 12-choice answer were made for every flag of
    # every record (434 s for 205 records of a 300-flag pack).
    choices = ", ".join(f"c{n}: choice {n}" for n in range(10))
    question = (
        "  - id: coach_signs\n    type: multi\n    group: safety\n    text: Which?\n"
        f"    choices: {{{choices}}}\n    source: coach\n"
    )
    when = "coach_signs includes all [c0, c1, c2]"
    rb = pack(tmp_path, [question], [flag(f"multi_{n}", when) for n in range(3)])
    safety._every_subset.cache_clear()
    for n in range(4):
        found = levels(diagnose({"id": n, "answers": {"coach_signs": None}}, rb))
        assert "multi_0" in found
    assert safety._every_subset.cache_info().misses == 1
