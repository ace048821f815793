"""How exact `legpress-diag measure` is on sets drawn from the kinematic model.

    python benchmarks/measure_accuracy.py [--sets 200] [--seed 0]

Draws sets with measure.synth.random_spec (every machine, either side, clear faults
or none, pixel noise 1-5 px, up to 5% of frames with leg points hidden), measures
each, and prints the median knee-angle error at the bottom and, per yes/no answer
and for the tempo, how often the measured answer agrees with the truth on clear
cases. docs/measure.md reports these numbers; tests/test_measure_accuracy.py holds
the code to them on a fixed sample.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from legpress_diag.measure import check_landmarks, measure
from legpress_diag.measure.geometry import median
from legpress_diag.measure.synth import generate, random_spec

KEYS = ("butt_lifts_off_seat", "heels_lift", "knees_lock_out", "rep_tempo")


def evaluate(sets: int, seed: int, **fixed: object) -> dict[str, object]:
    errors: list[float] = []
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    misses: list[str] = []
    for n in range(seed, seed + sets):
        data, truth = generate(random_spec(n, **fixed))
        record = measure(check_landmarks(data)).record
        answers = record["answers"]
        if "knee_angle_at_bottom" in answers:
            errors.append(abs(float(answers["knee_angle_at_bottom"]) - truth.knee_angle_at_bottom))
        else:
            missing["knee_angle_at_bottom"] += 1
        for key in KEYS:
            if key not in truth.answers:
                continue
            total[key] += 1
            if key not in answers:
                missing[key] += 1
                misses.append(f"seed {n} {key}: not measured ({record['not_measured'][key]})")
            elif answers[key] == truth.answers[key]:
                agree[key] += 1
            else:
                misses.append(
                    f"seed {n} {key}: measured {answers[key]}, truth {truth.answers[key]}"
                )
    return {
        "sets": sets,
        "knee_angle_median_error": round(median(errors), 2) if errors else None,
        "knee_angle_max_error": round(max(errors), 2) if errors else None,
        "agreement": {k: f"{agree[k]}/{total[k]}" for k in KEYS},
        "agreement_overall": round(sum(agree.values()) / max(1, sum(total.values())), 4),
        "not_measured": dict(missing),
        "misses": misses[:40],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise", type=float, help="pixels of noise on every set (default 1-5)")
    parser.add_argument("--dropout", type=float, help="share of frames with leg points hidden")
    args = parser.parse_args()
    fixed = {k: v for k, v in (("noise", args.noise), ("dropout", args.dropout)) if v is not None}
    started = time.perf_counter()
    report = evaluate(args.sets, args.seed, **fixed)
    report["fixed"] = fixed
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
