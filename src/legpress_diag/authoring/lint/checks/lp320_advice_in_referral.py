"""LP320 advice-in-referral: a safety flag's words name an exercise or a fix.

A referral carries no exercise advice at all (the contract, version 2): what a
flag says is where to go and how soon, and how to check an uncertain sign. A flag
whose title, advice or if_unsure text names a fix or an alternative, by id or by
title, or uses words of training advice (sets, reps, stretch, lighter, keep
training), would slip advice into the one result that must hold none.

Bad:
    safety_flags:
      - id: numb_feet
        when: leg_pain_below_knee
        level: clinician
        title: Numb feet
        advice: See a physiotherapist, and do the hack squat meanwhile.
        source: "coach"

Good:
    safety_flags:
      - id: numb_feet
        when: leg_pain_below_knee
        level: clinician
        title: Numb feet
        advice: See a physiotherapist before you train again.
        source: "coach"

"""

from __future__ import annotations

from collections.abc import Iterator

from ....knowledge import codes
from ....knowledge.problems import Diagnostic, Severity
from ....knowledge.screen_guard import advice_named
from ..context import LintContext

CODE = codes.ADVICE_IN_REFERRAL
NAME = "advice-in-referral"
SEVERITY = Severity.ERROR
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    names = [(f"fix '{fix.id}'", name) for fix in rb.fixes.values() for name in (fix.id, fix.title)]
    names += [
        (f"alternative '{a.id}'", name)
        for a in rb.alternatives.values()
        for name in (a.id, a.title)
    ]
    for flag in rb.safety_flags.values():
        named = list(advice_named((flag.title, flag.advice, flag.if_unsure), names))
        if named:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"safety flag '{flag.id}' names {', '.join(named)}: a referral gives no "
                "exercise advice",
                flag.span,
                "say where to go and how soon, and how to check an unsure sign; nothing else",
            )
