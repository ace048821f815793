"""What no rule file may do to the safety screen, checked when a rule base loads.

The screen is the part of the tool that must never be wrong, and coaches extend the
rule base with their own files. Lint alone is not enough: a file that was never
linted is still loaded by ``diagnose``, ``ask`` and ``serve``. So the loader refuses,
in every command, a file that could make an unanswered or positive warning sign look
screened:

- a question whose ``replaced_by`` names a screen question of another file (answering
  it "no" would cover the signs it claims to replace);
- a question id that reads as another one once keys are folded (``Saddle_Numbness``
  beside ``saddle_numbness``): answer keys are matched by their folded form, so such a
  twin would take the safety answer away from the screen;
- a safety flag whose words give exercise advice (a referral carries none).

Replacing a flag, screen or safety question is refused in ``loader._add`` (LP207).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rulebase import Alternative, Fix, SafetyFlag

# Words of training advice that have no place in a referral's text (where to go and
# how soon); "train" and "press" alone do ("do not train", "before you leg press again").
TRAINING_WORDS = (
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
    "lower the weight",
    "less weight",
    "reduce the weight",
    # Reworded advice from the attacker's re-run ("carry on with your programme at half
    # the load; squats are fine"): the words of a plan, an exercise or a dose.
    "carry on",
    "programme",
    "program",
    "half the",
    "squat",
    "squats",
    "lunges",
    "deadlift",
    "deadlifts",
    "workout",
    "workouts",
    "exercises",
    # Reworded again in the third round ("Relax, this is common and harmless. Continue
    # to train as normal tomorrow, go a bit easier on the plate, and push through
    # it."): going on as before, a dose, or a reassurance that undoes the referral.
    "as normal",
    "train as usual",
    "lift as usual",
    "continue to train",
    "keep going",
    "push through",
    "easier",
    "plate",
    "the load",
    "weights",
    "the weight",
    "harmless",
    "nothing to worry",
    # The fourth round ("go back to the gym tomorrow and do exactly what you always
    # do"): the gym, a routine, or doing what was done before.
    "gym",
    "routine",
    "your usual",
    "as always",
    "always do",
    "as before",
    "same as before",
    "exactly what you",
    "back to training",
    "back to lifting",
    # A new user's tries in the same session ("No need to see anyone, just train
    # through it"; "You are fine to leg press tomorrow"): leave to go on, or a
    # reassurance that no one need look.
    "train through",
    "press through",
    "lift through",
    "fine to",
    "you are fine",
    "you re fine",
    "safe to",
    "ok to",
    "okay to",
    "no need",
    "don t need",
    "do not need",
    "nothing serious",
    "not serious",
    "don t worry",
    "do not worry",
    "no worries",
    "will pass",
    "wait and see",
    # The sixth round: carrying on under other words.
    "resume",
    "benign",
    "normal session",
    "intensity",
    "stay active",
    "lift on",
    "feel free",
    "foam rolling",
    "keep pushing",
    "training plan",
    "in the meantime",
    "meanwhile",
)

# A coach's flag may say where to go and how soon, not to train until then, and how
# to check an unsure sign: each sentence of its advice must name someone to see or a
# place to go, or tell the lifter not to train; each of its if_unsure may also say how
# to check. A list of forbidden words alone was reworded past six times in a row
# ("This is benign. ..."); this is the other way round: what a sentence must hold.
# The bundled flags, written and reviewed with the rule base, explain more and are
# held to the forbidden words only.
DESTINATIONS = (
    "doctor",
    "doctors",
    "gp",
    "physio",
    "physiotherapist",
    "physical therapist",
    "clinician",
    "clinic",
    "emergency",
    "hospital",
    "a e",
    "urgent care",
    "ambulance",
    "999",
    "911",
    "112",
    "111",
    "nurse",
    "specialist",
    "medical",
    "health professional",
)
NOT_TRAINING = ("do not", "don t", "stop", "until", "before you", "no training")
CHECKING = ("check", "notice", "feel", "touch", "compare", "look", "measure", "temperature")


def unreferred_sentences(flag: SafetyFlag) -> Iterator[tuple[str, str]]:
    """(field, sentence) for each sentence of a coach's flag that neither says where
    to go, nor not to train, nor (in if_unsure) how to check."""
    for field, text, allowed in (
        ("advice", flag.advice, DESTINATIONS + NOT_TRAINING),
        ("if_unsure", flag.if_unsure, DESTINATIONS + NOT_TRAINING + CHECKING),
    ):
        for sentence in re.split(r"(?<=[.!?;:])\s+|\n", text):
            said = plain_words(sentence)
            if said.strip() and not any(f" {word} " in said for word in allowed):
                yield field, sentence.strip()


def plain_words(text: str) -> str:
    """Lower case words, anything else (punctuation, '_', '-') a single space, padded
    with a space at each end so that ``f" {word} " in plain_words(text)`` finds whole
    words only. Letters are read as answer keys are (letters.latin_letters): 'trаining'
    with a Cyrillic 'а', or with a soft hyphen inside, is 'training'."""
    if not text.isascii():
        from .letters import latin_letters

        text = latin_letters(text)
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


ADVICE_HINT = (
    'say where to go and how soon ("See a physiotherapist before you train again"), and '
    "how to check an unsure sign; nothing else"
)


def advice_in_flags(
    flags: Mapping[str, SafetyFlag],
    fixes: Mapping[str, Fix],
    alternatives: Mapping[str, Alternative],
) -> Iterator[tuple[str, str, str]]:
    """(flag id, field, message) for each flag whose words give exercise advice: a fix
    or an alternative by id or title, or a training word; ``field`` is the first of
    title, advice and if_unsure that holds them (where an error points). The loader
    refuses such a flag in every command; LP320 documents it for lint."""
    names = [(f"fix '{f.id}'", name) for f in fixes.values() for name in (f.id, f.title)]
    names += [
        (f"alternative '{a.id}'", name) for a in alternatives.values() for name in (a.id, a.title)
    ]
    folded = _folded_names(names)  # once, not once per flag: a third of a load's checks
    for ident, flag in flags.items():
        texts = {"title": flag.title, "advice": flag.advice, "if_unsure": flag.if_unsure}
        named = list(_named_in(plain_words(" ".join(texts.values())), folded))
        if named:
            field = next(
                (k for k, text in texts.items() if any(_named_in(plain_words(text), folded))),
                "advice",  # only the texts together name it (a phrase across two)
            )
            yield (
                ident,
                field,
                (
                    f"safety flag '{ident}' names {', '.join(named)}: a referral gives no "
                    "exercise advice"
                ),
            )


def _folded_names(advice_names: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(what, name)`` with each name as :func:`plain_words` gives it; names of four
    letters or fewer are left out (too likely to be an ordinary word)."""
    return [(what, plain_words(name)) for what, name in advice_names if len(name) > 4]


def _named_in(said: str, folded: list[tuple[str, str]]) -> Iterator[str]:
    yield from sorted({what for what, name in folded if name in said})
    yield from (f"'{word}'" for word in TRAINING_WORDS if f" {word} " in said)
