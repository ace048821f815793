"""Problem codes are named constants: the loader's and the lint checks' are the same."""

from __future__ import annotations

import re
from pathlib import Path

from legpress_diag.authoring.lint.registry import CHECKS
from legpress_diag.foundation import codes

SRC = Path(__file__).parents[1] / "src" / "legpress_diag"


def test_every_load_code_has_its_check_module_and_name() -> None:
    named = {name: value for name, value in vars(codes).items() if name.isupper()}
    assert named  # the loader's own codes
    for name, code in named.items():
        module = CHECKS[code]
        assert code == module.CODE
        # The module file is named after the constant: LP304 certainty_range.
        assert module.__name__.endswith(f"{code.lower()}_{name.lower()}"), module.__name__


def test_no_code_is_spelled_as_a_literal_in_the_core() -> None:
    for path in sorted((SRC / "knowledge").rglob("*.py")):
        if path.name == "codes.py":
            continue
        found = re.findall(r"[\"']LP\d{3}[\"']", path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(SRC)}: {found}"
