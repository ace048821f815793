"""LP320 advice-in-referral: a safety flag's words name an exercise or a fix.

A referral carries no exercise advice at all (the contract, version 2): what a
flag says is where to go and how soon, and how to check an uncertain sign. A flag
whose title, advice or if_unsure text names a fix or an alternative, by id or by
title, or uses words of training advice (sets, reps, stretch, lighter, keep
training, the gym, a routine) or of reassurance that undoes the referral (fine to,
no need, harmless, train through it), would slip advice into the one result that
must hold none. A flag of a coach's file must also hold, in every sentence of its
advice, someone to see, a place to go or "do not train" (in if_unsure, also how to
check). The loader refuses such a flag in every command, pointing at the text.

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

from ....foundation import codes
from ....foundation.problems import Diagnostic, Severity
from ....knowledge.screen_guard import ADVICE_HINT, advice_in_flags
from ..context import LintContext

CODE = codes.ADVICE_IN_REFERRAL
NAME = "advice-in-referral"
SEVERITY = Severity.ERROR
PHASE = "analysis"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    for ident, _field, message in advice_in_flags(rb.safety_flags, rb.fixes, rb.alternatives):
        yield Diagnostic(CODE, SEVERITY, message, rb.safety_flags[ident].span, ADVICE_HINT)
