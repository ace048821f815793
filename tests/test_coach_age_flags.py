"""A coach's flag that tests an age is raised whenever the age could hold it.

Check 35's attacker wrote packs whose flags test an age band (13 to 17), one exact
age, or clear a flag with `unless: age_years >= 16`; and a pick checklist holding a
question a flag reads only in its `unless`. An age answered "not sure" was tried at
the two ends of its range only, so a band never came true; an `unless` over an unsure
age cleared the flag with the age given beside it; and the checklist's unticked item,
read as "no", cleared an urgent flag. Now the unsure age is also tried at each number
the rules compare it with and either side of it, an `unless` clears a flag only when
it holds at every age the answer could be, and such a checklist is refused at load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose, load_rulebase
from legpress_diag.foundation.problems import RuleBaseError

BAND = """\
safety_flags:
  - id: teen_sudden_onset
    when: sudden_sharp_onset and age_years >= 13 and age_years <= 17
    level: urgent
    title: Sudden onset in a teenager
    advice: See a doctor today, and do not train until you have been seen.
    if_unsure: Check your age; see a doctor today.
    source: coach
  - id: age_fourteen
    when: age_years == 14
    level: clinician
    title: Fourteen
    advice: See a physiotherapist first.
    if_unsure: Check your age.
    source: coach
"""
UNLESS = """\
safety_flags:
  - id: teen_back_pain
    when: pain_location includes lower_back
    unless: age_years >= 16
    level: clinician
    title: Back pain under 16
    advice: See a physiotherapist or doctor before you train again.
    if_unsure: Check your age.
    if_cleared: Adults get the advice below.
    source: coach
"""
PICK_UNLESS = """\
questions:
  - id: felt_a_pop
    type: yes_no
    text: Did you feel a pop?
screens:
  - id: coach_set_checklist
    style: pick
    text: Which of these happened?
    items:
      felt_a_pop: you felt a pop
safety_flags:
  - id: pop_then_pain
    when: sudden_sharp_onset
    unless: not felt_a_pop
    level: urgent
    title: A pop with sudden pain
    advice: See a doctor today.
    if_unsure: See a doctor today.
    source: coach
"""


def pack(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rulebase([path])


def levels(result: dict[str, Any]) -> dict[str, str]:
    return {f["id"]: f["level"] for f in result["red_flags"]}


@pytest.mark.parametrize("age", ["unsure", None])
def test_an_unsure_age_can_fall_in_a_coachs_band(tmp_path: Path, age: Any) -> None:
    rb = pack(tmp_path, BAND)
    answers = {"age_years": age, "sudden_sharp_onset": "yes", "onset_settling": "no"}
    found = levels(diagnose({"id": "a", "answers": answers}, rb))
    assert found["teen_sudden_onset"] == "clinician"  # urgent, one lower for "not sure"
    assert "age_fourteen" in found
    known = levels(diagnose({"id": "b", "answers": {**answers, "age_years": 30}}, rb))
    assert "teen_sudden_onset" not in known and "age_fourteen" not in known


@pytest.mark.parametrize(
    "ages", ['"age_years": 30, "AGE_YEARS": 14', '"age_years": 14, "age_years": 30']
)
def test_an_unless_over_an_age_given_two_ways_does_not_clear(tmp_path: Path, ages: str) -> None:
    import io

    from legpress_diag.api import diagnose_stream

    rb = pack(tmp_path, UNLESS)
    line = f'{{"id": "a", "answers": {{{ages}, "pain_location": ["lower_back"]}}}}'
    (result,) = diagnose_stream(io.BytesIO(line.encode()), rb)
    assert "teen_back_pain" in levels(result)
    assert result["fixes"] == {}
    adult = diagnose({"id": "b", "answers": {"age_years": 30, "pain_location": ["lower_back"]}}, rb)
    assert "teen_back_pain" not in levels(adult)  # a certain adult age clears it


def test_a_pick_checklist_of_a_question_a_flag_reads_in_unless_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleBaseError, match="felt_a_pop"):
        pack(tmp_path, PICK_UNLESS)
