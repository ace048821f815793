"""knowledge.thresholds.read_alike: numbers read alike exactly when every comparison agrees.

The bisection over sorted limits (check 36: a pack of 20,000 comparisons made each
record with an age given twice take a tenth of a second, and held the service) must
say what comparing each number with each limit one by one says.
"""

from __future__ import annotations

import itertools
import operator
from pathlib import Path

from legpress_diag.api import load_rulebase
from legpress_diag.knowledge.thresholds import read_alike

TESTS = {">=": operator.ge, ">": operator.gt, "<": operator.lt, "<=": operator.le}
TESTS |= {"==": operator.eq, "!=": operator.ne}
PACK = """\
safety_flags:
  - id: odd_ages
    when: age_years > 20 and age_years <= 30 or age_years == 41
    unless: age_years != 25 and age_years < 22
    level: clinician
    title: Odd ages
    advice: See a physiotherapist first.
    if_unsure: Check your age.
    source: coach
"""


def test_bisection_agrees_with_comparing_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    rb = load_rulebase([path])
    tests = [(">", 20.0), ("<=", 30.0), ("==", 41.0), ("!=", 25.0), ("<", 22.0)]
    tests += [(">=", t) for t in (50.0, 60.0, 65.0)] + [("<", 45.0)]
    grid = [x / 2 for x in range(30, 140)]
    for low, high in itertools.combinations(grid, 2):
        expected = all(TESTS[op](low, t) == TESTS[op](high, t) for op, t in tests)
        if read_alike(rb, "age_years", [low, high]) != expected:
            raise AssertionError(f"{low} and {high}: read_alike says {not expected}")
