"""Coverage-guided fuzzing of batch diagnosis (atheris).

    pip install -e '.[fuzz]'
    python fuzz/fuzz_diagnose.py fuzz/corpus/answers -max_total_time=600

The input is a batch file (JSON, a JSON array or JSON Lines). Whatever it holds,
diagnosis must not raise; JSON Lines give exactly one result per non-blank line;
every result has a contract status and certainties within [0, 1].
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports(include=["legpress_diag"]):
    from legpress_diag.api import bundled_rulebase, diagnose_stream
    from legpress_diag.intake import batch  # noqa: F401  (instrument them too)
    from legpress_diag.presentation import render  # noqa: F401  (instrument them too)
    from legpress_diag.reasoning import explanation  # noqa: F401  (instrument them too)

RULEBASE = bundled_rulebase()
STATUSES = {"ok", "refer", "no_fault_found", "error"}


def test_one_input(data: bytes) -> None:
    results = list(diagnose_stream(io.BytesIO(data), RULEBASE))
    lines = [line for line in data.split(b"\n") if line.strip()]
    head = data.lstrip()[:1]
    if head not in (b"[", b"{") and lines:
        assert len(results) == len(lines), (len(results), len(lines))
    for result in results:
        assert result["status"] in STATUSES
        for cause in result["causes"]:
            assert 0.0 <= cause["certainty"] <= 1.0
        if result["status"] == "error":
            assert result["errors"]


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
