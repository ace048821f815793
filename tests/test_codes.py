"""Problem codes are named constants: the loader's and the lint checks' are the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from legpress_diag.authoring.lint.explain import check_doc
from legpress_diag.authoring.lint.registry import CHECKS
from legpress_diag.foundation import codes
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.knowledge.loader import load_rulebase

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


# Issue 23 item 4: a check's logic lives in its module, or the module says where and
# why. A load check's logic must stay below authoring/ (every command refuses such a
# rule base, and the loader may not import lint), so its module documents the code,
# names the files that find it, and its examples are run through the loader here (and
# through lint in test_lint.py).
LOAD_CHECKS = sorted(code for code, module in CHECKS.items() if module.PHASE == "load")


def _finders(code: str) -> set[str]:
    name = next(n for n, value in vars(codes).items() if n.isupper() and value == code)
    return {
        str(path.relative_to(SRC))
        for path in (SRC / "knowledge").rglob("*.py")
        if re.search(rf"\bcodes\.{name}\b", path.read_text(encoding="utf-8"))
    }


def test_only_load_checks_are_documentation_modules() -> None:
    for code, module in CHECKS.items():
        assert hasattr(module, "REPORTED_BY") == (module.PHASE == "load"), code
        assert hasattr(module, "check") != (module.PHASE in ("load", "suppression")), code


@pytest.mark.parametrize("code", LOAD_CHECKS)
def test_a_load_check_names_where_its_logic_lives(code: str) -> None:
    module = CHECKS[code]
    assert set(module.REPORTED_BY) == _finders(code)
    said = " ".join((module.__doc__ or "").split())
    for path in module.REPORTED_BY:
        assert f"`{path}`" in said, f"{code}: the docstring should say {path} finds it"


@pytest.mark.parametrize("code", LOAD_CHECKS)
def test_the_loader_refuses_the_bad_example_and_loads_the_good(code: str, tmp_path: Path) -> None:
    doc = check_doc(CHECKS[code])
    bad, good = tmp_path / "bad.yaml", tmp_path / "good.yaml"
    bad.write_text(doc.bad + "\n", encoding="utf-8")
    good.write_text(doc.good + "\n", encoding="utf-8")
    with pytest.raises(RuleBaseError) as refused:
        load_rulebase([bad])
    assert code in {d.code for d in refused.value.diagnostics}
    assert load_rulebase([good]).rules
