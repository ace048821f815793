"""How `rules lint` scales with the size of a coach's rule file.

Writes a file of N ordinary rules (one to three conditions over the bundled
questions, each concluding a bundled cause or fact, a certainty and a source), then
times `lint` on it, with the time of the analysis checks apart. Usage:

    python benchmarks/lint_scale.py 250 1000 6000
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from legpress_diag.authoring.lint import CHECKS, lint
from legpress_diag.knowledge.loader import load_rulebase

YES_NO = [
    "heels_lift", "knees_cave_in", "knees_lock_out", "lower_back_rounds", "pelvis_tucks_under",
    "butt_lifts_off_seat", "lower_back_arches", "cramped_at_bottom", "can_touch_toes",
    "ankles_flexible", "pain_worse_with_heavier_load",
]  # fmt: skip
CHOICES = {
    "rep_tempo": ["slow", "moderate", "fast"],
    "foot_position": ["low", "middle", "high"],
    "core_braced": ["always", "sometimes", "never"],
    "limb_length": ["short", "average", "long"],
}


def _condition(pick: random.Random) -> str:
    parts = []
    for _ in range(pick.randint(1, 3)):
        kind = pick.random()
        if kind < 0.5:
            parts.append(("not " if pick.random() < 0.2 else "") + pick.choice(YES_NO))
        elif kind < 0.8:
            question = pick.choice(sorted(CHOICES))
            parts.append(f"{question} == {pick.choice(CHOICES[question])}")
        else:
            parts.append(f"knee_angle_at_bottom < {pick.randint(60, 120)}")
    return " and ".join(parts)


def rule_file(count: int, seed: int = 20) -> str:
    pick = random.Random(seed)
    concludes = sorted(load_rulebase([]).rules_by_conclusion)
    lines = ["rules:"]
    for n in range(count):
        lines += [
            f"  - id: coach-rule-{n}",
            f"    if: {_condition(pick)}",
            f"    then: {pick.choice(concludes)}",
            f"    cf: {pick.choice([0.2, 0.3, 0.4, 0.5])}",
            '    source: "coach: a synthetic rule for the lint benchmark"',
        ]
    return "\n".join(lines) + "\n"


def measure(count: int) -> tuple[float, float, int]:
    """(total seconds, analysis seconds, findings) for a file of ``count`` rules."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "coach.yaml"
        path.write_text(rule_file(count))
        spent: dict[str, float] = {}
        originals = {code: getattr(module, "check", None) for code, module in CHECKS.items()}
        for module in CHECKS.values():  # time each check where lint calls it
            check = getattr(module, "check", None)
            if check is None or getattr(module, "PHASE", "") != "analysis":
                continue

            def timed(ctx, _check=check, _code=module.CODE):  # type: ignore[no-untyped-def]
                started = time.perf_counter()
                found = list(_check(ctx))
                spent[_code] = spent.get(_code, 0.0) + time.perf_counter() - started
                return found

            module.check = timed  # type: ignore[attr-defined]
        try:
            started = time.perf_counter()
            report = lint([path])
            total = time.perf_counter() - started
        finally:
            for code, module in CHECKS.items():
                if originals[code] is not None:
                    module.check = originals[code]  # type: ignore[attr-defined]
        slowest = sorted(spent.items(), key=lambda kv: -kv[1])[:3]
        print(f"  slowest analysis checks: {[(c, round(s, 2)) for c, s in slowest]}")
        return total, sum(spent.values()), len(report.diagnostics)


def main(counts: list[int]) -> None:
    for count in counts:
        total, analysis, found = measure(count)
        size = len(rule_file(count).encode()) // 1024
        print(
            f"{count} rules ({size} KB): {total:.1f} s, analysis {analysis:.1f} s, {found} findings"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [250])
