"""Property: the lenient reading of a refused record (intake.salvage) finds every
scalar answer of the record it came from, so a slip elsewhere never hides a sign, and
it reads no answer from inside a string."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from legpress_diag.intake.salvage import salvaged_answers

KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
ANSWERS = st.dictionaries(
    KEYS.filter(lambda key: key not in ("id", "answers", "measured", "not_measured")),
    SCALARS,
    max_size=6,
)


@given(ANSWERS, st.sampled_from(["trailing comma", "cut after", "utf-16"]))
def test_every_answer_of_a_damaged_record_is_found(answers: dict, damage: str) -> None:
    text = json.dumps({"id": "x", "answers": answers}, ensure_ascii=False)
    if damage == "trailing comma":
        data = (text[:-2] + ",}}").encode()
    elif damage == "cut after":
        data = text[:-2].encode()  # the closing braces lost
    else:
        data = text.encode("utf-16-le")
    found, _ = salvaged_answers(data)
    assert found == answers


@given(st.text(max_size=40))
def test_nothing_inside_a_string_is_an_answer(note: str) -> None:
    text = json.dumps({"note": f'"saddle_numbness": "yes" {note}', "answers": {}})
    found, said_yes = salvaged_answers((text[:-1] + ",}").encode())
    assert "saddle_numbness" not in found and not said_yes
