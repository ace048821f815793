"""Check 57: words that mention a warning sign without naming it (a rule base's
``related_words``, knowledge/related.py) only ever doubt the sign, never clear it;
and the leftovers of checks 55 and 56 (a screen's unread reply in ``ask --answers``,
"down" under a sign, a failure word in a dating clause, an age in decades under a
short name). Each case failed on aaca2e2."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpress_diag.api import diagnose
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.intake.answers import read_answers
from legpress_diag.intake.questionnaire.replay import state_from_answers
from legpress_diag.knowledge.loader import load_rulebase
from legpress_diag.knowledge.related import compile_related, mentioned, pattern_problem, words_in

from .free_form import ALL_NO, RB, flagged

# --- the reader itself --------------------------------------------------------------


def _mentions(patterns: list[str], text: str) -> tuple[str, ...]:
    return mentioned(compile_related([("sign", patterns)]), words_in(text))


def test_a_start_of_words_matches_every_ending_and_a_whole_word_only_itself() -> None:
    assert _mentions(["urin*"], "Urinary trouble?") == ("sign",)
    assert _mentions(["urin*"], "Urine leaks") == ("sign",)
    assert _mentions(["pee"], "Peeing?") == ()  # a whole word is no start
    assert _mentions(["pee|peeing"], "Peeing?") == ("sign",)


def test_every_slot_must_find_a_word_and_a_bang_slot_rules_the_pattern_out() -> None:
    pattern = ["both leg|legs sore* !training|gym"]
    assert _mentions(pattern, "Both legs sore?") == ("sign",)
    assert _mentions(pattern, "Legs sore?") == ()  # no "both"
    assert _mentions(pattern, "Both legs sore after training?") == ()


def test_words_about_someone_else_mention_nothing() -> None:
    assert _mentions(["malignan*"], "Malignancies?") == ("sign",)
    assert _mentions(["malignan*"], "Malignancies in the family?") == ()


def test_contractions_and_compatibility_forms_are_read() -> None:
    assert words_in("I don\u2019t have ＦＥＥＬＩＮＧ") == ["i", "dont", "have", "feeling"]


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("Pee", "not a pattern"),
        ("pe*", "3 letters"),
        ("!goal", "only '!' slots"),
        ("a b c d e", "not a pattern"),
        ("pee||wee", "not a pattern"),
    ],
)
def test_a_broken_pattern_is_named(pattern: str, says: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and says in problem


def test_the_smallest_start_of_words_is_three_letters() -> None:
    assert pattern_problem("pee*") is None
    assert pattern_problem("urin* !goal") is None


def test_a_rule_file_with_a_broken_pattern_is_refused_with_its_place(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "coach.yaml").write_text(
        "questions:\n"
        "  - id: coach_sign\n"
        "    type: yes_no\n"
        "    text: Anything odd?\n"
        "    related_words: ['ok*', 'fine']\n"
    )
    with pytest.raises(RuleBaseError) as raised:
        load_rulebase([rules])
    (found,) = [d for d in raised.value.diagnostics if "related_words" in d.message]
    assert found.span is not None and found.span.path.endswith("coach.yaml")
    assert (found.span.line, found.span.col) == (5, 20) and "3 letters" in found.message


# --- the bundled vocabulary: stories ------------------------------------------------

# A coach's own wording of a sign, answered yes beside the sign's own "no": at least
# the sign's flag (a "not sure" referral), never "ok" with advice.
SAID_YES = [
    ("Trouble peeing?", "bladder_bowel_change"),
    ("Wetting yourself lately?", "bladder_bowel_change"),
    ("Tripping more than usual?", "new_leg_weakness"),
    ("Tripping more than usual?", "progressive_leg_weakness"),
    ("Foot slapping when you walk?", "new_leg_weakness"),
    ("Knee giving way?", "new_leg_weakness"),
    ("Any falls recently?", "after_trauma"),
    ("Fell off a ladder?", "after_trauma"),
    ("Malignancies?", "cancer_history"),
    ("Tumours?", "cancer_history"),
    ("Night sweats?", "fever_or_unwell"),
    ("Shivering fits?", "fever_or_unwell"),
    ("Lost weight without dieting?", "unexplained_weight_loss"),
    ("I don't have feeling in my groin", "saddle_numbness"),
    ("Numb bum?", "saddle_numbness"),
    ("Tingling in both legs?", "both_legs_symptoms"),
    ("Pins and needles in both feet?", "both_legs_symptoms"),
    ("Both legs sore?", "both_legs_symptoms"),
    ("Impotence?", "sexual_function_change"),
    ("Throbbing stomach?", "pulsating_belly_or_tearing_pain"),
    ("Pain wakes you at night?", "constant_or_night_pain"),
]


@pytest.mark.parametrize(("key", "sign"), SAID_YES)
def test_a_yes_to_a_sign_in_other_words_refers(key: str, sign: str) -> None:
    assert sign in flagged(key, "yes")
    assert sign in flagged(key, "sometimes")  # anything but a no


# Risk factors refer no one alone: the answer is read "not sure" for the screen.
RISK_SAID_YES = [
    ("HIV positive?", "weakened_immunity_or_iv_drugs"),
    ("Weak bones?", "steroids_or_osteoporosis"),
    ("Back op last month?", "recent_spinal_procedure"),
]


@pytest.mark.parametrize(("key", "sign"), RISK_SAID_YES)
def test_a_yes_to_a_risk_factor_in_other_words_is_not_sure(key: str, sign: str) -> None:
    assert sign in read_answers(RB, {**ALL_NO, key: "yes"}).misspelt


@pytest.mark.parametrize(
    ("key", "value", "sign"),
    [
        ("Anything else?", "I keep tripping over my left foot", "new_leg_weakness"),
        ("Other symptoms", "trouble peeing since Monday", "bladder_bowel_change"),
        ("Notes", "No, but my bum is numb", "saddle_numbness"),
        ("Notes", ["fine", "night sweats"], "fever_or_unwell"),
    ],
)
def test_a_free_text_answer_that_mentions_a_sign_refers(key: str, value: object, sign: str) -> None:
    assert sign in flagged(key, value)


# A gym's ordinary columns: nothing to refer.
ORDINARY = [
    ("Squat PR?", "yes"),
    ("Weight loss goal?", "yes"),
    ("Goal", "lose weight"),
    ("Goals", "want to lose weight"),
    ("Body weight (kg)", 80),
    ("Training at night?", "yes"),
    ("Sore quads after leg day?", "yes"),
    ("Both legs sore after training?", "yes"),
    ("Pushing evenly through both legs?", "yes"),
    ("Both feet flat on the plate?", "yes"),
    ("Groin strain last year?", "yes"),
    ("Family history of cancer?", "yes"),
    ("Mother had osteoporosis?", "yes"),
    ("Knees fall in?", "yes"),
    ("Do you let the sled fall fast?", "yes"),
    ("Sex", "male"),
    ("Name", "Peter Fallon"),
    ("Erector spinae tight?", "yes"),
    ("Chest press", "yes"),
    ("Hit depth?", "yes"),
    ("Tweaked it last week?", "yes"),
    ("Sleep", "7 hours, no pain"),
    # a plain no, "normal", a blank, and a yes to "is it fine?"
    ("Trouble peeing?", "no"),
    ("Trouble peeing?", "normal"),
    ("Trouble peeing?", ""),
    ("Falls in the last year", 0),
    ("Peeing normal?", "yes"),
    ("Notes", "No numbness, no bladder trouble"),
    ("Notes", "nothing new"),
]


@pytest.mark.parametrize(("key", "value"), ORDINARY)
def test_ordinary_columns_refer_no_one(key: str, value: object) -> None:
    assert flagged(key, value) == set()


def _doubts(key: str, value: object) -> frozenset[str]:
    return read_answers(RB, {**ALL_NO, key: value}).misspelt


def test_under_a_word_that_denies_the_sign_a_yes_is_its_absence() -> None:
    # "No falls?": "no" says there were falls; its yes that there were none
    assert "after_trauma" in _doubts("No falls?", "no")
    assert _doubts("No falls?", "yes") == frozenset()
    assert _doubts("Accident free", "yes") == frozenset()


def test_under_a_word_that_turns_a_function_around_no_answer_is_clear() -> None:
    # "I don't have feeling in my groin": its yes is numbness, its no is no clear no
    assert "saddle_numbness" in _doubts("I don't have feeling in my groin", "no")
    assert "saddle_numbness" in _doubts("Can't feel my groin", "yes")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Fall", "autumn"),
        ("Weight loss", "trying to lose weight"),
        ("Weight loss", "intentional"),
        ("Chemotherapy", "never"),
        ("Malignancies?", "never had any"),
        ("Notes", "no fever, feels fine"),
        # ("chest day pain": "yes" refers, clinician "not sure": chest pain while
        # training is a physiotherapist's question, whatever day it is)
        (
            "screen:what_happens_in_a_set",
            "your thighs squash into your chest or belly, the pain grows as the weight goes up",
        ),
    ],
)
def test_the_answers_own_words_may_say_nothing_was_found(key: str, value: object) -> None:
    assert flagged(key, value) == set()


def test_a_denied_clause_denies_only_its_own_signs() -> None:
    assert flagged("Notes", "no numbness, tripping a lot") >= {"new_leg_weakness"}
    assert flagged("Notes", "no numbness but night sweats") >= {"fever_or_unwell"}


def test_a_related_word_never_clears_an_unanswered_sign() -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != "bladder_bowel_change"}
    found = diagnose({"id": "t", "answers": {**answers, "Trouble peeing?": "no"}}, RB)
    assert found["status"] == "unscreened"


def test_a_sign_answered_yes_stays_a_yes() -> None:
    found = diagnose(
        {"id": "t", "answers": {**ALL_NO, "saddle_numbness": "yes", "Numb bum?": "yes"}}, RB
    )
    levels = {f["id"]: f["level"] for f in found["red_flags"]}
    assert levels["saddle_numbness"] == "emergency"


# --- screen replies -----------------------------------------------------------------


@pytest.mark.parametrize("reply", ["38+", "38.4", ["38+"], "see notes"])
def test_a_screen_reply_that_names_nothing_doubts_every_sign_of_the_screen(reply: object) -> None:
    raised = flagged("screen:general_health", reply)
    assert {"fever_or_unwell", "cancer_history", "unexplained_weight_loss"} <= raised


@pytest.mark.parametrize("reply", ["nothing new", "all fine", "Saddle area normal"])
def test_a_screen_reply_that_only_denies_doubts_nothing(reply: str) -> None:
    assert flagged("screen:nerve_signs", reply) == set()


def test_a_screen_reply_in_related_words_doubts_that_sign_only() -> None:
    assert flagged("screen:nerve_signs", "can't pee properly") == {"bladder_bowel_change"}
    assert flagged("screen:general_health", "temp 38.4") == {"fever_or_unwell"}


@pytest.mark.parametrize(
    ("reply", "sign"),
    [("Numb groin", "saddle_numbness"), ("No bladder control", "bladder_bowel_change")],
)
def test_ask_answers_keeps_the_doubt_of_a_screen_reply_it_asks_again(reply: str, sign: str) -> None:
    # `ask --answers` asks an unread screen reply again, but the signs' own "no"s
    # answered it: its replay gave advice where diagnose referred (check 55, N10)
    answers = {**ALL_NO, "screen:nerve_signs": reply}
    replay = state_from_answers(RB, answers, keep_valid=True)
    assert replay.errors  # the reply is still reported
    assert sign in replay.state.skipped or replay.state.answers.get(sign) is None


# --- leftovers of checks 55 and 56 --------------------------------------------------


def _without(sign: str, key: str, value: object) -> dict[str, object]:
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    return diagnose({"id": "t", "answers": {**answers, key: value}}, RB)


@pytest.mark.parametrize(
    ("sign", "key"),
    [
        ("leg_pain_below_knee", "Is the sciatica down?"),
        ("leg_pain_below_knee", "Sciatica down?"),
        ("new_leg_weakness", "Is the leg weakness down?"),
        ("bladder_bowel_change", "Do you have bladder control since your back problem?"),
    ],
)
def test_a_no_about_easing_or_a_dated_function_is_no_clear_no(sign: str, key: str) -> None:
    found = _without(sign, key, "no")
    assert found["status"] == "refer", found["status"]
    assert sign in {f["id"] for f in found["red_flags"]}


def test_an_age_in_decades_under_a_short_name_is_that_age() -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != "age_years"}
    answers |= {"sudden_sharp_onset": "yes", "Current age": "in my seventies"}
    found = diagnose({"id": "t", "answers": answers}, RB)
    levels = {f["id"]: f["level"] for f in found["red_flags"]}
    assert levels.get("fracture_risk_sudden_onset") == "urgent"


# --- check 57, second round: the reader's own faults ------------------------------


@pytest.mark.parametrize(
    ("key", "sign"),
    [
        # H2: a denial inside a key describes the sign; only one that opens it denies
        ("Peeing with no control?", "bladder_bowel_change"),
        ("Tripping for no reason?", "new_leg_weakness"),
        ("Knee gives way without warning?", "new_leg_weakness"),
        ("Losing weight for no reason?", "unexplained_weight_loss"),
    ],
)
def test_a_denial_inside_a_key_is_no_denial(key: str, sign: str) -> None:
    assert sign in flagged(key, "yes")


@pytest.mark.parametrize(
    ("key", "sign"),
    [
        # H3: under a key that asks whether things are fine, a no is the finding
        ("Peeing normal?", "bladder_bowel_change"),
        ("Can you stand on your heels?", "new_leg_weakness"),
        ("Walking normally?", "new_leg_weakness"),
        ("Getting better?", "not_improving"),
        ("Weight stable?", "unexplained_weight_loss"),
        ("Sleeping through the night?", "constant_or_night_pain"),
    ],
)
def test_a_no_to_is_it_fine_is_a_finding(key: str, sign: str) -> None:
    assert sign in _doubts(key, "no")
    assert _doubts(key, "yes") == frozenset()


@pytest.mark.parametrize("key", ["Not getting any better?", "No improvement?"])
def test_a_negated_is_it_fine_key_is_clear_neither_way(key: str) -> None:
    assert "not_improving" in _doubts(key, "yes")
    assert "not_improving" in _doubts(key, "no")


@pytest.mark.parametrize(
    ("note", "sign"),
    [
        # H4: a note that names a sign
        ("fever", "fever_or_unwell"),
        ("incontinence", "bladder_bowel_change"),
        ("numb groin since Monday", "saddle_numbness"),
        ("breast cancer 3 years ago", "cancer_history"),
        ("pins and needles in both feet", "both_legs_symptoms"),
        # H5: a relative in one clause hides nothing in another
        ("mum drove me in, I can't pee properly since monday", "bladder_bowel_change"),
        ("my sister is a nurse and says I've lost 8kg without trying", "unexplained_weight_loss"),
        ("fell off a ladder at my parents house", "after_trauma"),
        # H7: a long note is read whole
        ("I train four days a week. " * 60 + "Also I can't pee properly.", "bladder_bowel_change"),
        # H8: look-alike letters and invisible marks inside a word
        ("trouble p\u0435\u0435ing", "bladder_bowel_change"),
        ("trouble pe\u200being", "bladder_bowel_change"),
        # clauses that only seem to deny
        ("no better after 8 weeks", "not_improving"),
        ("no numbness and tripping a lot", "new_leg_weakness"),
    ],
)
def test_a_note_that_names_or_mentions_a_sign_refers(note: str, sign: str) -> None:
    assert sign in flagged("Anything else?", note)


@pytest.mark.parametrize(
    "note",
    [
        "mum had cancer",
        "no numbness and no tingling",
        "antihistamines for hay fever",
        "whey, sometimes makes me gassy and need the loo",
        "dropped 5kg bodyweight and still squatted 180",
    ],
)
def test_a_note_that_denies_or_is_about_someone_else_refers_no_one(note: str) -> None:
    assert flagged("Anything else?", note) == set()


def test_a_key_about_aims_names_no_sign_in_its_answer() -> None:
    assert flagged("Main goal", "weight loss") == set()
    assert "new_leg_weakness" in flagged("Goals", "get back to squatting, stop tripping")


@pytest.mark.parametrize(
    ("reply", "sign"),
    [
        # H6: a screen reply that opens with the loss of a function
        ("can't feel the toilet paper when I wipe", "saddle_numbness"),
        ("no control when I pee", "bladder_bowel_change"),
        ("never know when I need the loo", "bladder_bowel_change"),
        ("no feeling down below", "saddle_numbness"),
    ],
)
def test_a_screen_reply_that_opens_with_a_loss_is_no_denial(reply: str, sign: str) -> None:
    assert sign in flagged("screen:nerve_signs", reply)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Travel", "trips to London twice a month"),
        ("Both legs sore after leg day?", "yes"),
        ("Flu jab this year?", "yes"),
        ("Sweating at night when it's hot?", "yes in summer"),
        ("Knees buckle in?", "yes"),
        ("Legs give out at failure?", "yes"),
        ("Least favourite exercise", "lunges, I always stumble"),
        ("Weight dropped since starting (kg)", 3),
        ("Rotator cuff", "old tear, some pain"),
        ("Knees travel past toes?", "yes"),
        ("Other symptoms", "tight hamstrings"),
    ],
)
def test_gym_talk_that_borrows_a_signs_words_refers_no_one(key: str, value: object) -> None:
    assert flagged(key, value) == set()


# --- check 58 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "sign"),
    [
        ("Can\u00b4t pee?", "yes", "bladder_bowel_change"),  # an acute accent for "'"
        ("Falls in the last month?", "yes", "after_trauma"),
        ("Fell on your knees?", "yes", "after_trauma"),
        ("RTC?", "yes", "major_trauma"),
        ("Acute onset?", "yes", "sudden_sharp_onset"),
        ("Reduced perianal sensation?", "yes", "saddle_numbness"),
        ("Crushing chest pain?", "yes", "chest_pain_now_or_at_rest"),
        ("Pain down the left arm?", "yes", "chest_pain_now_or_at_rest"),
        ("Notes", "my bum's been numb since sunday", "saddle_numbness"),
        ("Medical history", "mastectomy 2015", "cancer_history"),
        ("Notes", "keeps me awake most nights", "constant_or_night_pain"),
        ("Had to strain to wee?", "yes", "bladder_bowel_change"),
        ("Numbness round the back passage?", "yes", "saddle_numbness"),
        ("Chest gets tight when you push hard?", "yes", "chest_pain_with_exertion"),
        ("High-speed collision?", "yes", "major_trauma"),
        ("Anything else?", "knee just went from under me on the stairs", "new_leg_weakness"),
        (
            "Anything else?",
            "my jeans are falling off me",
            "unexplained_weight_loss",
        ),
    ],
)
def test_check58_wordings_refer(key: str, value: object, sign: str) -> None:
    assert sign in flagged(key, value)


def test_can_you_hop_answered_no_doubts_weakness() -> None:
    assert "new_leg_weakness" in _doubts("Can you hop on each leg?", "no")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Knees fall in?", "yes"),
        ("Travel", "trip to Tenerife"),
        ("Notes", "weight has been stable for a year"),
        ("Notes", "walking is fine now"),
        ("Lost weight on purpose?", "yes, 5kg on slimming world"),
        ("Old injuries", "broke my wrist skiing in 2012, fully healed"),
        ("Feel sick after leg day?", "once after 20-rep squats"),
    ],
)
def test_check58_ordinary_wordings_refer_no_one(key: str, value: object) -> None:
    assert flagged(key, value) == set()


# --- check 59 -----------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["\u02b9", "\u02bb", "\ua78c", "\u05f3", "\uff07"])
def test_every_mark_that_stands_for_an_apostrophe_is_one(mark: str) -> None:
    assert "bladder_bowel_change" in flagged(f"Can{mark}t pee?", "yes")


@pytest.mark.parametrize(
    ("key", "value", "sign"),
    [
        ("Is it in both legs now?", "yes", "both_legs_symptoms"),
        ("Anything else?", "it's now going down both legs", "both_legs_symptoms"),
        ("Can you feel a pulse in your belly?", "yes", "pulsating_belly_or_tearing_pain"),
        ("Messed yourself without noticing?", "yes", "bladder_bowel_change"),
        ("Anything else?", "tingly numb patch between my cheeks", "saddle_numbness"),
    ],
)
def test_check59_wordings_refer(key: str, value: object, sign: str) -> None:
    assert sign in flagged(key, value)


def test_numbers_are_no_numbness() -> None:
    assert flagged("Leg press numbers", "200kg x 10") == set()
