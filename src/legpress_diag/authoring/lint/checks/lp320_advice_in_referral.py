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

import re
from collections.abc import Iterator

from ....knowledge.problems import Diagnostic, Severity
from ..context import LintContext

CODE = "LP320"
NAME = "advice-in-referral"
SEVERITY = Severity.ERROR
PHASE = "analysis"


def _words(text: str) -> str:
    """Lower case words, anything else (punctuation, '_', '-') a single space."""
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


# Words of training advice that have no place in a referral's text (where to go and
# how soon); "train" and "press" alone do ("do not train", "before you leg press again").
_TRAINING_WORDS = (
    "sets",
    "reps",
    "stretch",
    "stretches",
    "stretching",
    "lighter",
    "warm up",
    "hamstring",
    "hamstrings",
    "brace",
    "keep training",
    "continue training",
    "carry on training",
    "keep pressing",
    "keep lifting",
)


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    rb = ctx.rulebase
    if rb is None:
        return
    advice = [(f"fix '{fix.id}'", fix.id, fix.title) for fix in rb.fixes.values()]
    advice += [(f"alternative '{a.id}'", a.id, a.title) for a in rb.alternatives.values()]
    names = [(what, _words(name)) for what, ident, title in advice for name in (ident, title)]
    for flag in rb.safety_flags.values():
        said = _words(" ".join((flag.title, flag.advice, flag.if_unsure)))
        named = sorted({what for what, name in names if len(name) > 4 and name in said})
        named += [f"'{w}'" for w in _TRAINING_WORDS if f" {w} " in said]
        if named:
            yield Diagnostic(
                CODE,
                SEVERITY,
                f"safety flag '{flag.id}' names {', '.join(named)}: a referral gives no "
                "exercise advice",
                flag.span,
                "say where to go and how soon, and how to check an unsure sign; nothing else",
            )
