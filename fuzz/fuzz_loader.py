"""Coverage-guided fuzzing of the rule-file loader (atheris).

    pip install -e '.[fuzz]'
    python fuzz/fuzz_loader.py fuzz/corpus/rules -max_total_time=600

Any input must either load or raise RuleBaseError with diagnostics that carry a
position; anything else (another exception, a crash, a hang) is a bug.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["legpress_diag"]):
    # The YAML layer and the schema are imported lazily by the package (start-up time);
    # import them here so they are instrumented and the fuzzer sees their coverage.
    from legpress_diag.foundation.problems import RuleBaseError
    from legpress_diag.knowledge import schema_models, yamlsafe  # noqa: F401
    from legpress_diag.knowledge.loader import build_rulebase
    from legpress_diag.knowledge.sources import parse_rule_text


def test_one_input(data: bytes) -> None:
    try:
        build_rulebase([parse_rule_text(data, "fuzz.yaml")])
    except RuleBaseError as exc:
        assert exc.diagnostics, "a RuleBaseError must say what is wrong"
        for diagnostic in exc.diagnostics:
            assert diagnostic.span is None or diagnostic.span.line >= 1
            assert len(diagnostic.message) < 2000, "messages must not echo huge input"


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
