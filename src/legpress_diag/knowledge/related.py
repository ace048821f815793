"""Words that mention a safety sign without naming it: a rule base's ``related_words``.

A coach's form asks about a warning sign in its own words ("Trouble peeing?",
"Tripping more than usual?", "Any falls recently?", "Malignancies?"). The readers of
index.py name a sign only by its id, its question's own words or a short name; every
other wording named nothing, so a "yes" there was dropped and a client with the sign
ticked "no" under its own id left "ok", with exercise advice (checks 55 and 56). Each
round of word lists found new wordings, so this reader is built the other way round:
it never clears a sign, it only doubts one, and its vocabulary is data in the rule
files (a coach's pack adds its own) rather than code.

A pattern is one to four slots separated by spaces; a slot is words separated by
``|``, each matched whole or, ending in ``*``, as the start of a word (three letters
at least before it); a slot starting with ``!`` lists words that must all be absent.
A text mentions the sign when every slot finds one of its words and no ``!`` slot
does: ``pee|peeing|urin*``, ``numb*|tingl* groin|genital*``,
``both leg|legs numb*|pain* !doms|training``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

# One slot: alternatives, each a whole word or a start of words ("urin*").
PATTERN = re.compile(
    r"^!?[a-z0-9]+\*?(?:\|[a-z0-9]+\*?)*(?: !?[a-z0-9]+\*?(?:\|[a-z0-9]+\*?)*){0,3}$"
)
MIN_PREFIX = 3  # "pee*" would do; "pe*" would match "pelvis"
MAX_WORDS_READ = 200  # a long note is read up to here: bounded work per value

# Words of someone else: "Family history of cancer", "Mother had osteoporosis" say
# nothing of the lifter's own signs.
RELATIVES = frozenset(
    {"family", "mother", "father", "mum", "mom", "dad", "parent", "parents", "sibling"}
    | {"siblings", "brother", "sister", "grandmother", "grandfather", "relative", "relatives"}
)
# Words that deny a sign ("No falls?", "Accident free?", "Never had chemo?"): a yes
# under them says it is absent, and any other answer may say it is there.
DENIALS = frozenset(
    {"no", "never", "without", "none", "nothing", "nil", "denies", "denied", "free"}
    | {"absent", "negative"}
)
# Words that may turn what a key says around either way ("I don't have feeling in my
# groin", "Not able to pee?", "Can't feel my feet"): under them no answer is clear.
NEGATIONS = DENIALS | frozenset(
    {"not", "dont", "doesnt", "didnt", "cant", "cannot", "wont", "isnt", "arent", "wasnt"}
    | {"havent", "hasnt", "hadnt", "couldnt", "wouldnt", "unable"}
)
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4\u2032']")
_WORDS = re.compile(r"[a-z0-9]+")


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with one related-words pattern, or None (the schema's check)."""
    if not PATTERN.fullmatch(pattern):
        return (
            f"{pattern!r} is not a pattern: one to four slots of lower-case words "
            "separated by spaces, each slot words separated by '|', a word ending in "
            "'*' for the start of words, a slot starting with '!' for words that must "
            "be absent"
        )
    for slot in pattern.split(" "):
        for word in slot.lstrip("!").split("|"):
            if word.endswith("*") and len(word) - 1 < MIN_PREFIX:
                return f"{word!r} in {pattern!r}: a start of words needs {MIN_PREFIX} letters"
    if all(slot.startswith("!") for slot in pattern.split(" ")):
        return f"{pattern!r} has only '!' slots: it would mention the sign in every text"
    return None


class RelatedWords(NamedTuple):
    """The compiled patterns of a rule base's screened questions."""

    # (question id, number of slots that must find a word) per pattern
    patterns: tuple[tuple[str, int], ...]
    # whole words and starts of words -> (pattern, slot, a "!" slot) they satisfy
    words: Mapping[str, tuple[tuple[int, int, bool], ...]]
    starts: Mapping[str, tuple[tuple[int, int, bool], ...]]
    longest_start: int

    def __bool__(self) -> bool:
        return bool(self.patterns)


def compile_related(by_question: Iterable[tuple[str, Sequence[str]]]) -> RelatedWords:
    """The lookups for ``(question id, its related_words)`` pairs."""
    patterns: list[tuple[str, int]] = []
    words: dict[str, list[tuple[int, int, bool]]] = {}
    starts: dict[str, list[tuple[int, int, bool]]] = {}
    for qid, related in by_question:
        for text in related:
            index = len(patterns)
            slots = text.split(" ")
            patterns.append((qid, sum(not slot.startswith("!") for slot in slots)))
            for number, slot in enumerate(slots):
                absent = slot.startswith("!")
                for word in slot.lstrip("!").split("|"):
                    target = starts if word.endswith("*") else words
                    target.setdefault(word.rstrip("*"), []).append((index, number, absent))
    return RelatedWords(
        tuple(patterns),
        {word: tuple(found) for word, found in words.items()},
        {start: tuple(found) for start, found in starts.items()},
        max((len(start) for start in starts), default=0),
    )


def words_in(text: str) -> list[str]:
    """A text's words as the patterns read them: compatibility forms folded, lower
    case, "don't" as "dont", at most MAX_WORDS_READ of them."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _APOSTROPHES.sub("", folded)
    return _WORDS.findall(folded)[:MAX_WORDS_READ]


def mentioned(
    related: RelatedWords, said: Sequence[str], named: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The questions whose patterns ``said`` (words_in) mentions, in pattern order;
    none in words about someone else. A pattern whose words are all ``named`` (words
    of signs the text names otherwise) mentions nothing: "Saddle numbness & both
    legs" is no numbness of the legs, while "Pins and needles in both feet" mentions
    both legs."""
    if not related or not RELATIVES.isdisjoint(said):
        return ()
    found: dict[int, set[int]] = {}
    own: set[int] = set()  # patterns a word not ``named`` was found for
    excluded: set[int] = set()
    for word in set(said):
        hits = list(related.words.get(word, ()))
        for length in range(MIN_PREFIX, min(len(word), related.longest_start) + 1):
            hits += related.starts.get(word[:length], ())
        for index, number, absent in hits:
            if absent:
                excluded.add(index)
            else:
                found.setdefault(index, set()).add(number)
                if word not in named:
                    own.add(index)
    signs: dict[str, None] = {}
    for index in sorted((found.keys() & own) - excluded):  # (patterns a word was found for)
        qid, needed = related.patterns[index]
        if len(found[index]) == needed:
            signs[qid] = None
    return tuple(signs)


def negated(said: Sequence[str]) -> bool:
    """Whether words may turn what a text says around (see NEGATIONS)."""
    return not NEGATIONS.isdisjoint(said)


def denies(said: Sequence[str]) -> bool:
    """Whether words deny a sign, so that a yes under them says it is absent."""
    return not DENIALS.isdisjoint(said)
