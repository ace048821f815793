"""diagnose_answers on a raw record, read at the edge first as intake.records does,
for the tests that pin what the reasoning decides about a record as given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from legpress_diag.intake.answers import read_answers
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.reasoning.diagnosis import diagnose_answers as diagnose
from legpress_diag.reasoning.result import DiagnosisOut


def diagnose_answers(
    rb: RuleBase,
    raw: Mapping[Any, Any],
    *,
    strict: bool = False,
    record_id: str | int = 1,
    threshold: float | None = None,
    explain: bool = False,
) -> DiagnosisOut:
    return diagnose(
        rb,
        read_answers(rb, raw, strict=strict),
        record_id=record_id,
        threshold=threshold,
        explain=explain,
    )
