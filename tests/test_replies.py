"""What a lifter types at the prompt is understood as they mean it (issue 14)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legpress_diag.api import bundled_rulebase
from legpress_diag.intake.replies import Reply, number_in_words, parse_how, parse_reply

Q = bundled_rulebase().questions
ANGLE = Q["knee_angle_at_bottom"]


@pytest.mark.parametrize(
    "typed, value",
    [
        ("85", 85.0),
        ("85 deg", 85.0),
        ("85 degrees", 85.0),
        ("85 Degrees.", 85.0),
        ("85°", 85.0),
        ("85 °", 85.0),
        ("ninety", 90.0),
        ("eighty-five", 85.0),
        ("eighty five degrees", 85.0),
        ("a hundred and ten", 110.0),
        ("85,5", 85.5),
    ],
)
def test_numbers_with_units_and_in_words(typed: str, value: float) -> None:
    assert parse_reply(ANGLE, typed) == Reply("answer", value)


def test_a_unit_of_another_question_or_nonsense_is_refused() -> None:
    assert parse_reply(ANGLE, "85 kg").kind == "invalid"
    assert parse_reply(ANGLE, "ninety blue").kind == "invalid"
    assert "out of range" in parse_reply(ANGLE, "nine hundred").message
    assert parse_reply(Q["age_years"], "40 years").value == 40.0
    assert parse_reply(Q["age_years"], "forty").value == 40.0


@given(st.integers(min_value=0, max_value=999))
def test_every_number_in_words_reads_back(n: int) -> None:
    units = "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    units += "fourteen fifteen sixteen seventeen eighteen nineteen"
    small = units.split()
    tens = "twenty thirty forty fifty sixty seventy eighty ninety".split()

    def say(k: int) -> str:
        if k < 20:
            return small[k]
        if k < 100:
            return tens[k // 10 - 2] + ("-" + small[k % 10] if k % 10 else "")
        rest = k % 100
        return f"{small[k // 100]} hundred" + (f" and {say(rest)}" if rest else "")

    assert number_in_words(say(n)) == n


@pytest.mark.parametrize("typed", ["yes", "y", "yep", "yeah", "yup", "Yeah!"])
def test_yes_in_everyday_words(typed: str) -> None:
    assert parse_reply(Q["heels_lift"], typed) == parse_reply(Q["heels_lift"], "y")
    assert parse_reply(Q["heels_lift"], typed).value is True


@pytest.mark.parametrize("typed", ["no", "n", "nope", "nah", "Nope."])
def test_no_in_everyday_words(typed: str) -> None:
    assert parse_reply(Q["heels_lift"], typed).value is False


@pytest.mark.parametrize("typed", ["?", "maybe", "not sure", "Not  sure", "dunno", "idk"])
def test_not_sure_in_everyday_words_skips(typed: str) -> None:
    assert parse_reply(Q["heels_lift"], typed).kind == "skip"
    # On the safety screen a skip is recorded as "not sure", never as "no".
    assert parse_reply(Q["saddle_numbness"], typed).kind == "skip"


def test_undo_means_back() -> None:
    assert parse_reply(Q["heels_lift"], "undo") == parse_reply(Q["heels_lift"], "back")
    assert parse_reply(ANGLE, "undo").value == "back"


@pytest.mark.parametrize(
    "question, typed, meant",
    [("pain_location", "knes", "knees"), ("pain_timing", "bottm", "bottom_of_rep")],
)
def test_a_near_miss_on_a_choice_gets_a_did_you_mean(question: str, typed: str, meant: str) -> None:
    reply = parse_reply(Q[question], typed)
    assert reply.kind == "invalid"  # a suggestion, never a guess
    assert f"'{typed}' is not one of the choices (did you mean '{meant}'?)" in reply.message
    # "Enter for none" is a definite answer: the way to say "not sure" is offered too.
    assert reply.message.endswith("; ? if you are not sure")


@pytest.mark.parametrize("typed", ["I dont know", "I'm not sure"])
def test_not_knowing_in_a_sentence_is_not_sure_at_a_choice(typed: str) -> None:
    assert parse_reply(Q["pain_location"], typed) == parse_reply(Q["pain_location"], "?")


def test_choices_still_take_numbers_names_and_unique_starts() -> None:
    assert parse_reply(Q["pain_timing"], "bottom").value == "bottom_of_rep"
    assert parse_reply(Q["pain_location"], "knees and hips").value == {"knees", "hips"}
    assert parse_reply(Q["core_braced"], "some").value == "sometimes"


CAUSES = ["excess_depth", "fast_reps", "tight_hamstrings", "too_much_weight"]


@pytest.mark.parametrize(
    "typed", ["how excess_depth", "how excess", "how exc", "how 1", "How excess depth"]
)
def test_how_takes_a_unique_start_of_a_cause(typed: str) -> None:
    assert parse_how(typed, CAUSES).value == "excess_depth"


def test_how_explains_what_it_cannot_take() -> None:
    assert "starts tight_hamstrings and too_much_weight" in parse_how("how t", CAUSES).message
    assert "did you mean 'tight_hamstrings'" in parse_how("how tigth", CAUSES).message
    assert parse_how("", CAUSES).kind == parse_how("quit", CAUSES).kind == "command"
    assert "how CAUSE" in parse_how("what now", CAUSES).message


def test_the_start_of_a_shown_label_picks_that_choice() -> None:
    # "every" starts the label "Every rep" (value always): never the near miss "never".
    assert parse_reply(Q["core_braced"], "every").value == "always"
    assert parse_reply(Q["pain_timing"], "at the b").value == "bottom_of_rep"
