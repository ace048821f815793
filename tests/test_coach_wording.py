"""A coach's intake in its own words, and check 54's findings on 42efad6.

A new user (a coach) wrote a form's questions in plain words ("Any numbness around
the groin or inner thighs?"), and a "Yes" to several emergency signs named nothing:
unscreened, with an exercise plan. A key that is most of a sign's own question's
words now names it (a doubt, never a clear), and a plain "No" under it leaves the
sign unanswered. Check 54 found regressions of 42efad6 in apostrophes, other body
parts and "leg strength", and temperatures read too widely."""

from __future__ import annotations

from typing import Any

import pytest

from .free_form import flagged

COACH = [
    ("Any numbness around the groin or inner thighs?", "saddle_numbness"),
    ("Bladder or bowel problems since the pain started?", "bladder_bowel_change"),
    ("Any change in sexual function?", "sexual_function_change"),
    ("Is a leg getting weaker as the days go by?", "progressive_leg_weakness"),
    ("Any new weakness in a leg or foot?", "new_leg_weakness"),
    ("Pain shooting down a leg past the knee or pins and needles?", "leg_pain_below_knee"),
    ("Lost weight without trying?", "unexplained_weight_loss"),
    ("Throbbing in your belly or tearing pain?", "pulsating_belly_or_tearing_pain"),
    ("Did it start with a fall or accident?", "after_trauma"),
    ("Pain more than 6 weeks or getting worse?", "not_improving"),
    ("Stiff in the morning for more than 30 minutes?", "morning_stiffness_under_45"),
    ("Pain at night or at rest that nothing eases?", "constant_or_night_pain"),
]


@pytest.mark.parametrize(("key", "sign"), COACH)
def test_a_yes_under_a_coachs_wording_of_a_sign_refers(key: str, sign: str) -> None:
    assert sign in flagged(key, "Yes")


# Words of a time limit or of easing ("for more than 30 minutes", "that nothing
# eases") are no words of a plain presence question (check 55, R1): a no under these
# two is read as not sure, an over-referral kept on purpose.
TIMED = {
    "Stiff in the morning for more than 30 minutes?",
    "Pain at night or at rest that nothing eases?",
}


@pytest.mark.parametrize(("key", "sign"), [(k, s) for k, s in COACH if k not in TIMED])
def test_a_no_there_refers_no_one(key: str, sign: str) -> None:
    assert flagged(key, "No") == set()


@pytest.mark.parametrize("key", sorted(TIMED))
def test_a_no_under_a_timed_wording_is_not_sure(key: str) -> None:
    assert flagged(key, "No")


@pytest.mark.parametrize(
    ("key", "value"),
    [("Sciatica's back?", "yes"), ("Numb groin\u2019s bad?", "yes"),
     ("Pins and needles in hands and feet?", "yes"), ("Pain below the knee?", "yes"),
     ("Leg strength", "weak"), ("No erections?", "yes"), ("No sensation in groin?", "yes"),
     ("Recent fevers", "yes"), ("Cancers in the past?", "yes"), ("Can\u2018t pee?", "yes"),
     ("Temperature (\u00b0C)", "99"), ("Temperature", "35"),
     ("Temp / numb groin / incontinence", "36.9")],
)  # fmt: skip
def test_check54_findings_refer(key: str, value: Any) -> None:
    assert flagged(key, value)


@pytest.mark.parametrize(
    ("key", "value"),
    [("Temperature (F)", "98.6"), ("Body temp", "98.6F"), ("Temperature", "36.6"),
     ("knee pain after trauma", "yes"), ("Pins and needles in hands?", "yes"),
     ("Sensation in groin", "normal")],
)  # fmt: skip
def test_what_check54_kept_clear_stays_clear(key: str, value: Any) -> None:
    assert flagged(key, value) == set()


@pytest.mark.parametrize(
    "key",
    ["Fever down?", "Temperature down?", "Did the incontinence start before the back pain?",
     "Does the morning stiffness go within 30 minutes?", "Night pain eases within the hour?"],
)  # fmt: skip
def test_a_no_to_whether_a_sign_has_eased_is_a_doubt(key: str) -> None:
    # Check 55, R1 (a regression of 02cec8a): words of a change or of the time a sign
    # ends made these keys plain presence questions, and their no a clear no.
    assert flagged(key, "no")


@pytest.mark.parametrize(("key", "value"), [("Muscle soreness", "yes"), ("Tired legs?", "yes"),
                                            ("Temperature this morning", 36.7)])  # fmt: skip
def test_what_a_question_says_it_is_not_names_no_sign(key: str, value: Any) -> None:
    assert flagged(key, value) == set()  # check 55, M5, M8


@pytest.mark.parametrize(
    "key", ["Groin numbness since the beginning?", "Fever since the beginning?"]
)
def test_since_the_beginning_is_no_date_of_a_presence_question(key: str) -> None:
    # Check 56, REG2: "beginning" was read as "since the pain began", and a no cleared.
    assert flagged(key, "no")
    assert flagged("Bladder or bowel problems since the pain started?", "no") == set()
