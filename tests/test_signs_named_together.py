"""Signs named together, in short or in the words a report shows, are each read.

Check 41's attacker (H1) joined two signs in a screen's reply ("saddle_numbness/
leg_pain_below_knee", "a & b", "a - b", "a: b", "a (b)", one list item "a, b"): only
the last was read, an emergency came out clinician, and fever with weakened immunity
came out "ok" with advice. A new user found the same under an answer key beside the
signs' own "no"s ("ok"), with free text ("Yes - both": dropped), with a short label
("bladder change"), with a screen's own question as the key and its boxes joined by
commas as Google Forms writes them, and with a flag's title as the key. Check 41 also
found "None" inside a screen's object, a misspelt tick beside its sign's "no", a text
reply under "nerve_signs" or "screen_nerve_signs", and "None." read as a no.
"""

from __future__ import annotations

from typing import Any

import pytest

from legpress_diag.api import bundled_rulebase, diagnose
from legpress_diag.intake.interview import rebuild
from legpress_diag.knowledge.rulebase import RuleBase

RB = bundled_rulebase()
LEVEL = {"emergency": 3, "urgent": 2, "clinician": 1}
WORDING = {qid: text for screen in RB.screens.values() for qid, text in screen.items}
# Every screened sign a plain no, an adult's age: a clear screen, as a careful form gives.
ALL_NO: dict[str, Any] = {qid: "no" for qid in RB.index.screen_questions} | {"age_years": 34}
JOINERS = ["/", " & ", "+", " - ", ": ", " (", ", ", "; ", " and ", " or ", "\n", " ", "_"]
PAIRS = [
    (screen.id, screen.items[0][0], qid)
    for screen in RB.screens.values()
    if screen.id != "what_happens_in_a_set"
    for qid, _ in screen.items[1:]
    if qid in RB.index.screen_questions and screen.items[0][0] in RB.index.screen_questions
]


def top(result: dict[str, Any]) -> int:
    return max((LEVEL[flag["level"]] for flag in result["red_flags"]), default=0)


def run(rb: RuleBase, answers: dict[str, Any]) -> dict[str, Any]:
    return diagnose({"id": "t", "answers": {**answers, "lower_back_rounds": "yes"}}, rb)


@pytest.mark.parametrize("joiner", JOINERS, ids=repr)
def test_two_signs_joined_in_a_reply_are_read_as_both(rb: RuleBase, joiner: str) -> None:
    lowered = []
    for screen, first, second in PAIRS:
        named = run(rb, {**ALL_NO, first: "yes", second: "yes"})
        for reply in (first + joiner + second, [first + joiner + second]):
            got = run(rb, {**ALL_NO, f"screen:{screen}": reply})
            if top(got) < top(named) or (got["fixes"] and not named["fixes"]):
                lowered.append((screen, first, second, reply))
    assert lowered == []


def test_the_attackers_two_cases(rb: RuleBase) -> None:
    saddle = run(rb, {**ALL_NO, "screen:nerve_signs": "saddle_numbness/leg_pain_below_knee"})
    assert top(saddle) == 3 and not saddle["fixes"]
    fever = run(
        rb, {**ALL_NO, "screen:general_health": "fever_or_unwell & recent_spinal_procedure"}
    )
    assert fever["status"] == "refer" and top(fever) == 2 and not fever["fixes"]


@pytest.mark.parametrize(
    "key",
    [
        "saddle numbness and bladder bowel change",
        "Saddle numbness / bladder or bowel change?",
        "saddle_numbness - bladder_bowel_change",  # check 42, H1: read as a typo of one
        "saddle numbness bladder bowel change",  # check 42, H2: a space between names
        "saddle_numbness\tbladder_bowel_change",
    ],
)
@pytest.mark.parametrize("said", ["yes", "Yes - both", "Yes, since Tuesday"])
def test_a_key_naming_two_signs_beside_their_nos_doubts_both(
    rb: RuleBase, key: str, said: str
) -> None:
    # The new user's P1-P3: "ok" with advice beside the two "no"s, or dropped.
    found = run(rb, {**ALL_NO, key: said})
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    assert found["status"] == "refer" and not found["fixes"]
    assert flagged["saddle_numbness"] == flagged["bladder_bowel_change"] == "urgent"
    warning = next(w for w in found["warnings"] if w["key"] == key)
    assert "'saddle_numbness'" in warning["message"] and "not sure" in warning["message"]


def test_a_sign_named_in_part_is_doubted_only_where_nothing_answers_it(rb: RuleBase) -> None:
    # "both legs" is most of both_legs_symptoms's name, not all of it, and no short
    # name of it: beside its own "no" it doubts nothing (check 42, M1: ordinary
    # columns, "both legs", "weight loss", overrode a record's "no"s); the saddle
    # numbness named whole does.
    key = "Saddle numbness & both legs"
    beside = {flag["id"] for flag in run(rb, {**ALL_NO, key: "yes"})["red_flags"]}
    assert beside == {"saddle_numbness"}
    alone = {k: v for k, v in ALL_NO.items() if k != "both_legs_symptoms"}
    assert {"saddle_numbness", "both_legs_symptoms"} <= {
        flag["id"] for flag in run(rb, {**alone, key: "yes"})["red_flags"]
    }


@pytest.mark.parametrize(
    "key", ["both legs", "press with both legs", "weight loss", "Goal: weight loss", "new leg",
            "progressive leg", "function change"],
)  # fmt: skip
def test_an_ordinary_column_beside_the_signs_nos_refers_no_one(rb: RuleBase, key: str) -> None:
    # Check 42, M1: each referred a clear client (urgent or clinician).
    found = run(rb, {**ALL_NO, key: "yes"})
    assert found["status"] == "ok" and not found["red_flags"]


def test_a_no_under_such_a_key_leaves_the_clear_screen_clear(rb: RuleBase) -> None:
    found = run(rb, {**ALL_NO, "saddle numbness and bladder bowel change": "no"})
    assert found["status"] == "ok" and not found["red_flags"]


@pytest.mark.parametrize(
    ("key", "sign"),
    [("bladder change", "bladder_bowel_change"), ("night pain", "constant_or_night_pain")],
)
def test_a_short_label_of_a_sign_is_not_sure_of_it(rb: RuleBase, key: str, sign: str) -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    found = run(rb, {**answers, key: "yes"})
    assert sign in {flag["id"] for flag in found["red_flags"]} and not found["fixes"]


@pytest.mark.parametrize(
    "key",
    ["back pain", "knee pain", "leg day", "chest day", "notes/saddle", "Saddle (seat) height",
     "season/fall", "no fever", "Saddle numbness - asked"],
)  # fmt: skip
def test_everyday_words_and_side_columns_doubt_nothing(rb: RuleBase, key: str) -> None:
    # The threshold: a part's words must be most of a sign's id, name it whole, or be
    # one of its short names (a lone word only as the whole part); a side column
    # beside an answered sign never doubts it (check 33).
    found = run(rb, {**ALL_NO, key: "yes"})
    assert found["status"] == "ok" and not found["red_flags"]


@pytest.mark.parametrize(
    ("key", "sign"),
    [("Fever", "fever_or_unwell"), ("Cancer", "cancer_history"),
     ("Sciatica", "leg_pain_below_knee"), ("Bladder/bowel", "bladder_bowel_change"),
     ("Chest pain", "upper_back_or_chest_pain"),
     ("Pins and needles", "leg_pain_below_knee"), ("numbness in both legs", "both_legs_symptoms")],
)  # fmt: skip
def test_a_short_name_from_the_rule_base_doubts_its_sign(rb: RuleBase, key: str, sign: str) -> None:
    # A new user's C: each gave "unscreened" with advice ("did you mean ...?").
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    found = run(rb, {**answers, key: "yes"})
    assert sign in {flag["id"] for flag in found["red_flags"]} and not found["fixes"]
    assert not run(rb, {**answers, key: "no - never"})["red_flags"]  # a no doubts nothing


@pytest.mark.parametrize(
    "key", ["fever or weight loss", "Fever, weight loss or cancer", "night pain or fever"]
)
def test_a_list_of_short_names_keeps_every_sign(rb: RuleBase, key: str) -> None:
    # A new user's E: the fever was dropped, clinician where fever alone is urgent
    # beside weakened immunity; here each sign named must be doubted.
    found = run(rb, {**ALL_NO, key: "yes"})
    assert "fever_or_unwell" in {flag["id"] for flag in found["red_flags"]}


@pytest.mark.parametrize(
    "key",
    [
        "saddle numbness, bladder bowel change and sexual function change",
        "Have you had saddle numbness, or a bladder bowel change, or a sexual function change?",
    ],
)
def test_a_long_key_naming_three_signs_is_read(rb: RuleBase, key: str) -> None:
    # A new user's B, check 42's H3: past 58 letters the key was skipped ("ok") while
    # its warning said it was read.
    flagged = {flag["id"] for flag in run(rb, {**ALL_NO, key: "yes"})["red_flags"]}
    assert {"saddle_numbness", "bladder_bowel_change", "sexual_function_change"} <= flagged


def test_every_ticked_wording_of_a_screen_joined_by_commas_is_read(rb: RuleBase) -> None:
    # A new user's A: a wording with commas in it swallowed the next one.
    for screen in RB.screens.values():
        signs = [qid for qid, _ in screen.items if qid in RB.index.screen_questions]
        if not signs:
            continue
        reply = ", ".join(WORDING[qid] for qid in signs)
        answers = {k: v for k, v in ALL_NO.items() if k not in signs}
        named = run(rb, {**answers, **{qid: "yes" for qid in signs}})
        got = run(rb, {**answers, screen.text: reply})
        assert {f["id"] for f in got["red_flags"]} == {f["id"] for f in named["red_flags"]}


def test_a_screens_question_as_the_key_with_its_boxes_joined(rb: RuleBase) -> None:
    # Google Forms joins a checkbox question's boxes with ", ", and the wordings hold
    # commas themselves.
    question = RB.screens["nerve_signs"].text
    reply = WORDING["saddle_numbness"] + ", " + WORDING["bladder_bowel_change"]
    found = run(rb, {question: reply})
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    assert flagged["saddle_numbness"] == flagged["bladder_bowel_change"] == "emergency"


@pytest.mark.parametrize("sign", ["both_legs_symptoms", "saddle_numbness"])
def test_a_wording_with_commas_as_the_screens_text_reply(rb: RuleBase, sign: str) -> None:
    found = run(rb, {"screen:nerve_signs": WORDING[sign]})
    assert {flag["id"]: flag["level"] for flag in found["red_flags"]}[sign] == "emergency"


def test_a_wording_with_commas_keeps_a_fracture_risk(rb: RuleBase) -> None:
    found = run(
        rb,
        {
            "age_years": 40,
            "screen:general_health": WORDING["steroids_or_osteoporosis"],
            "screen:pain_pattern": ["sudden_sharp_onset"],
        },
    )
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    assert flagged["fracture_risk_sudden_onset"] == "urgent"


@pytest.mark.parametrize(
    "flag_id", ["saddle_numbness", "bladder_bowel_change", "leg_pain_below_knee"]
)
def test_a_flags_title_as_the_key_is_its_sign(rb: RuleBase, flag_id: str) -> None:
    # The new user's P10: a record written back from a report, keyed by titles.
    title = RB.safety_flags[flag_id].title
    by_title = run(rb, {title: "yes"})
    by_id = run(rb, {flag_id: "yes"})
    assert [(f["id"], f["level"]) for f in by_title["red_flags"]] == [
        (f["id"], f["level"]) for f in by_id["red_flags"]
    ]
    assert rebuild(rb, {title: "yes"}).state.answers.get(flag_id) is True


@pytest.mark.parametrize("key", ["nerve_signs", "screen_nerve_signs", "screens:nerve_signs"])
def test_a_text_reply_under_a_near_miss_of_the_screens_key(rb: RuleBase, key: str) -> None:
    found = run(rb, {key: "saddle_numbness and bladder_bowel_change"})
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    assert flagged["saddle_numbness"] == flagged["bladder_bowel_change"] == "emergency"


@pytest.mark.parametrize("none", ["None", "None.", "None!", "No\u200bne", "None\u200b"])
def test_pythons_none_anywhere_is_not_sure(rb: RuleBase, none: str) -> None:
    # Check 41's M1 (inside a screen's object) and L1 (with a mark or an invisible
    # character): read as the word "none", a no.
    for answers in ({"saddle_numbness": none}, {"screen:nerve_signs": {"saddle_numbness": none}}):
        found = run(rb, answers)
        assert {flag["id"]: flag["level"] for flag in found["red_flags"]} == {
            "saddle_numbness": "urgent"
        }


@pytest.mark.parametrize("no", ["none", "NONE", "no"])
def test_a_lifters_none_is_still_a_no(rb: RuleBase, no: str) -> None:
    assert not run(rb, {"saddle_numbness": no})["red_flags"]


@pytest.mark.parametrize("reply", [["saddle_numbnes"], "saddle_numbnes"])
def test_a_misspelt_tick_beside_its_signs_no_is_not_sure(rb: RuleBase, reply: Any) -> None:
    # Check 41's M2: "ok" with advice; the right spelling is an emergency.
    found = run(rb, {**ALL_NO, "screen:nerve_signs": reply})
    assert {flag["id"]: flag["level"] for flag in found["red_flags"]} == {
        "saddle_numbness": "urgent"
    }


def test_a_label_keyed_object_under_the_screens_key_doubts_its_signs(rb: RuleBase) -> None:
    # Check 41's M3: dropped, "unscreened" with advice.
    found = run(rb, {"screen:nerve_signs": {"Numbness in the saddle area": "yes"}})
    assert found["status"] == "refer" and not found["fixes"]
    assert {flag["id"]: flag["level"] for flag in found["red_flags"]}["saddle_numbness"] == "urgent"


@pytest.mark.parametrize(
    "said", ["no/yes", "No (yes since Monday)", "no idea", "nah maybe", "Non-stop", "no, but yes"]
)
def test_a_reply_that_opens_with_no_and_says_more_still_doubts(rb: RuleBase, said: str) -> None:
    # Check 43, H1 (a regression of 1903149): the first word's no cancelled the rest.
    found = run(rb, {**ALL_NO, "saddle_numbness/bladder_bowel_change": said})
    assert {"saddle_numbness", "bladder_bowel_change"} <= {f["id"] for f in found["red_flags"]}


@pytest.mark.parametrize(
    ("key", "said"),
    [("Cancer", "never"), ("Incontinence", "never"), ("Bowel", "normal"), ("Bladder", "fine"),
     ("Fever", "negative"), ("Fever", "No, never had it"), ("No fever/chills", "yes")],
)  # fmt: skip
def test_a_reply_that_says_nothing_was_found_doubts_nothing(
    rb: RuleBase, key: str, said: str
) -> None:
    # Check 43, M1: each referred a clear client.
    found = run(rb, {**ALL_NO, key: said})
    assert found["status"] == "ok" and not found["red_flags"]


@pytest.mark.parametrize("joiner", [" ", "-", " - ", "\t", "\n", "\u2013", "_"], ids=repr)
def test_short_names_one_after_another_are_each_read(rb: RuleBase, joiner: str) -> None:
    # Check 43, H2: "Fever Sciatica" named nothing, "ok" with advice.
    found = run(rb, {**ALL_NO, f"Incontinence{joiner}Numb groin": "yes"})
    assert {"bladder_bowel_change", "saddle_numbness"} <= {f["id"] for f in found["red_flags"]}


@pytest.mark.parametrize("joiner", ["\n", "\r\n", " and ", " / "], ids=repr)
def test_wordings_joined_by_a_line_break_or_and_are_each_ticked(rb: RuleBase, joiner: str) -> None:
    # Check 43, H4: they ticked nothing, and the emergency was read as urgent.
    reply = WORDING["saddle_numbness"] + joiner + WORDING["bladder_bowel_change"]
    found = run(rb, {"screen:nerve_signs": reply})
    flagged = {flag["id"]: flag["level"] for flag in found["red_flags"]}
    assert flagged["saddle_numbness"] == flagged["bladder_bowel_change"] == "emergency"


@pytest.mark.parametrize("said", ["not normal", "never normal", "not fine", "No, not normal"])
def test_a_no_before_a_normal_finding_is_a_finding(rb: RuleBase, said: str) -> None:
    # Check 44, N2 (a regression of dc594f5's first cut): "not normal" read as a no.
    found = run(rb, {**ALL_NO, "Bowel": said})
    assert "bladder_bowel_change" in {flag["id"] for flag in found["red_flags"]}


def test_a_no_that_is_the_sign_still_names_it(rb: RuleBase) -> None:
    # Check 44, N1: "No control over bladder/bowel" is the sign, not its absence.
    found = run(rb, {**ALL_NO, "No control over bladder/bowel": "yes"})
    assert "bladder_bowel_change" in {flag["id"] for flag in found["red_flags"]}


def test_a_screens_question_as_the_key_with_an_unread_reply_doubts_its_signs(
    rb: RuleBase,
) -> None:
    # Check 44, N4: "unscreened" with advice; under "screen:nerve_signs", urgent.
    question = RB.screens["nerve_signs"].text
    answers = {k: v for k, v in ALL_NO.items() if k not in dict(RB.screens["nerve_signs"].items)}
    found = run(rb, {**answers, question: WORDING["saddle_numbness"] + " (since Monday)"})
    assert found["status"] == "refer" and not found["fixes"]
    yes = run(rb, {**answers, question: "Yes: " + WORDING["saddle_numbness"]})
    assert {f["id"]: f["level"] for f in yes["red_flags"]}["saddle_numbness"] == "emergency"


# Check 43, H5: a yes under a short name of one sign, the key whole, was "not sure":
# an emergency sign answered yes came out urgent. It is the sign's yes, in every front
# end, when nothing else answers the sign; a no under it clears nothing.
SHORT_YES = [
    ("Saddle anaesthesia", "saddle_numbness"),
    ("Pulsating belly?", "pulsating_belly_or_tearing_pain"),
    ("Bladder", "bladder_bowel_change"),
    ("Incontinence (Y/N)", "bladder_bowel_change"),
    ("Cancer", "cancer_history"),
    ("Fever", "fever_or_unwell"),
]


@pytest.mark.parametrize(("key", "sign"), SHORT_YES)
def test_a_short_names_yes_is_the_signs_yes(rb: RuleBase, key: str, sign: str) -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    by_id = run(rb, {**answers, sign: "yes"})
    by_short = run(rb, {**answers, key: "Yes"})
    assert [(f["id"], f["level"], f["unsure"]) for f in by_short["red_flags"]] == [
        (f["id"], f["level"], f["unsure"]) for f in by_id["red_flags"]
    ]
    assert not by_short["fixes"]
    assert any(f"read as '{sign}'" in w["message"] for w in by_short["warnings"])
    interview = rebuild(rb, {**answers, key: "yes"})
    assert interview.state.answers.get(sign) is True


@pytest.mark.parametrize(("key", "sign"), SHORT_YES)
def test_a_short_names_no_clears_nothing(rb: RuleBase, key: str, sign: str) -> None:
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    found = run(rb, {**answers, key: "no"})
    assert found["status"] == "unscreened" and sign not in rebuild(rb, {key: "no"}).state.answers


def test_a_short_names_yes_beside_the_signs_own_no_stays_a_doubt(rb: RuleBase) -> None:
    found = run(rb, {**ALL_NO, "Saddle anaesthesia": "yes"})
    assert [(f["id"], f["level"], f["unsure"]) for f in found["red_flags"]] == [
        ("saddle_numbness", "urgent", True)
    ]


def test_a_short_name_of_two_signs_says_neither(rb: RuleBase) -> None:
    # "foot drop" is a short name of both weakness questions: a yes cannot say which.
    signs = ("progressive_leg_weakness", "new_leg_weakness")
    answers = {k: v for k, v in ALL_NO.items() if k not in signs}
    found = run(rb, {**answers, "Foot drop": "yes"})
    assert {f["id"] for f in found["red_flags"] if f["unsure"]} == set(signs)


@pytest.mark.parametrize(
    ("key", "sign"),
    [("Loss of bladder control", "bladder_bowel_change"),
     ("No bladder control", "bladder_bowel_change"),
     ("Fever last week", "fever_or_unwell"),
     ("History of cancer", "cancer_history")],
)  # fmt: skip
def test_a_one_word_short_name_inside_a_key_doubts_an_unanswered_sign(
    rb: RuleBase, key: str, sign: str
) -> None:
    # Check 44: "No bladder control": "yes" named nothing; the sign unanswered, the
    # result was "unscreened" with the advice shown.
    answers = {k: v for k, v in ALL_NO.items() if k != sign}
    found = run(rb, {**answers, key: "yes"})
    assert [(f["id"], f["unsure"]) for f in found["red_flags"]] == [(sign, True)]
    assert not found["fixes"]
    # Beside the sign's own "no", a yes there says the sign two ways: not sure (check
    # 46, H7); a no there doubts nothing.
    beside = run(rb, {**ALL_NO, key: "yes"})
    assert [(f["id"], f["unsure"]) for f in beside["red_flags"]] == [(sign, True)]
    assert run(rb, {**ALL_NO, key: "no"})["status"] == "ok"
