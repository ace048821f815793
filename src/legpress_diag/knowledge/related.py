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
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .letters import latin_letters

# One slot: alternatives, each a whole word or a start of words ("urin*").
PATTERN = re.compile(
    r"^!?[a-z0-9]+\*?(?:\|[a-z0-9]+\*?)*(?: !?[a-z0-9]+\*?(?:\|[a-z0-9]+\*?)*){0,3}$"
)
MIN_PREFIX = 3  # "pee*" would do; "pe*" would match "pelvis"
MAX_WORDS_READ = 20_000  # a note of about 100 KB: bounded work per value

# Words of someone else: "Family history of cancer", "Mother had osteoporosis" say
# nothing of the lifter's own signs.
RELATIVES = frozenset(
    {"family", "mother", "father", "mum", "mom", "dad", "parent", "parents", "sibling"}
    | {"siblings", "brother", "sister", "grandmother", "grandfather", "relative", "relatives"}
)
# ... and in a note's clause, anyone else who opens it ("wife had a fall last month",
# "my kid had a fever": referred, attack round 60). Not in a key: "Any trouble in the
# bedroom with your partner?" asks the lifter.
OTHER_PEOPLE = RELATIVES | frozenset(
    {"wife", "husband", "partner", "kid", "kids", "son", "daughter", "child", "children"}
    | {"cousin", "uncle", "aunt", "auntie", "grandma", "grandad", "nan", "baby", "friend"}
    | {"mate", "boyfriend", "girlfriend", "colleague", "coworker", "grandpa", "granny"}
)
# Words that deny a sign when they open a key or a clause ("No falls?", "Never had
# cancer", "nothing new"): a yes under such a key says the sign is absent, and any
# other answer may say it is there. Inside a key they describe the sign ("Peeing
# with no control?", "Tripping for no reason?": check 57, H2).
DENIALS = frozenset(
    {"no", "never", "without", "none", "nothing", "nil", "denies", "denied", "absent"}
    | {"negative", "negatives"}
)
# Words that may turn what a key says around either way ("I don't have feeling in my
# groin", "Not able to pee?", "Can't feel my feet"): under them no answer is clear,
# and a clause they open is no denial ("can't feel the toilet paper": H6).
NEGATIONS = DENIALS | frozenset(
    {"not", "dont", "doesnt", "didnt", "cant", "cannot", "wont", "isnt", "arent", "wasnt"}
    | {"havent", "hasnt", "hadnt", "couldnt", "wouldnt", "unable", "free"}
)
# After a denial, a function or a getting better is its loss, not the sign's absence
# ("no control when I pee", "no feeling down below", "never know when I need the
# loo", "no better after 8 weeks", "no position helps at night").
FUNCTIONS = frozenset(
    {"control", "feeling", "feel", "sensation", "strength", "power", "function", "grip"}
    | {"erection", "erections", "idea", "warning", "know", "tell", "better", "same"}
    | {"improvement", "improving", "change", "position", "sleep", "relief", "let", "wood"}
)
# Words of the lifter as the subject ("my sister says I've lost 8kg").
FIRST_PERSON = frozenset({"i", "ive", "im", "id", "ill", "me", "myself"})
# Words that end a denial's reach ("No numbness but tripping a lot").
BUT_WORDS = frozenset(
    {"but", "except", "only", "although", "though", "apart", "besides", "however", "yet"}
    | {"still", "unless", "sometimes", "occasionally"}
)
_WORDS = re.compile(r"[a-z]+|[0-9]+")  # "6kg" is 6 and kg
_CLITIC = re.compile(r"(?<=[a-z])'(?:s|ve|re|ll|d|m)(?![a-z])")
_CLAUSES = re.compile(r"[,;.!?/\n()]+|\bbut\b")
# A denial runs on over "or" ("no problems with my bladder or bowels") and over a
# list, but not over "and" ("no fever and a numb groin"); "pins and needles" is one
# thing, so it stays whole (denied, "no pins and needles" was read as a sign: check 60)
_JOINS = re.compile(r"\band\b|&")
_PINS = re.compile(r"\bpins\s*(?:and|&|n'?)\s*needles\b", re.IGNORECASE)


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
    # word -> its hits (_hits), filled as words are read; bounded (MAX_HITS_KEPT)
    seen: dict[str, tuple[tuple[int, int, bool], ...]]

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
        {},
    )


def words_in(text: str) -> list[str]:
    """A text's words as the patterns read them: as the Latin letters they show (no
    look-alikes, accents or invisible characters: letters.latin_letters), lower case,
    "don't" as "dont", a number apart from its unit ("6kg"), at most MAX_WORDS_READ."""
    # (letters.latin_letters makes every mark that stands for an apostrophe one; in
    # ASCII only the backtick does)
    folded = text.lower().replace("`", "'") if text.isascii() else latin_letters(text)
    folded = _CLITIC.sub("", folded)  # "bum's" is "bum"
    return _WORDS.findall(folded.replace("'", ""))[:MAX_WORDS_READ]


class Clause(NamedTuple):
    """A clause of a text, as words, and whether it only denies ("no numbness and no
    tingling"; never "no numbness and tripping a lot", "no numbness except ...")."""

    words: list[str]
    denies: bool


def clauses(text: str) -> list[Clause]:
    """A text's clauses (parted at marks and "but"; "pins and needles", "hot and
    cold" stay whole), each with whether it only denies: every part of it joined by
    "and" or "or" opens with a denial, and no word says "but"."""
    found = []
    for part in _CLAUSES.split(text):
        words = words_in(part)
        if words:
            parts = [words_in(piece) for piece in _JOINS.split(_PINS.sub("pins needles", part))]
            denies = BUT_WORDS.isdisjoint(words) and all(
                opens_with_denial(piece) for piece in parts if piece
            )
            found.append(Clause(words, denies))
    return found


def opens_with_denial(said: Sequence[str]) -> bool:
    """Whether words open with a denial of a sign ("no fever", "never had it", "I
    have no leg pain"), not with the loss of a function ("no control when I pee")."""
    said = _after_having(said)
    return bool(said) and said[0] in DENIALS and FUNCTIONS.isdisjoint(said[1:3])


# "I have no ...", "I've got no ...", "there is no ...": the denial after them
_HAVING = frozenset({"i", "ive", "have", "has", "had", "got", "there", "theres", "is", "are"})


def _after_having(said: Sequence[str]) -> Sequence[str]:
    for start, word in enumerate(said[:3]):
        if word not in _HAVING:
            return said[start:]
    return said[3:]


def about_someone_else(said: Sequence[str], *, in_a_note: bool = False) -> bool:
    """Whether words are about a relative: any relative's name in a key ("Cancer in
    the family?"); in a note's clause, one that opens it with no "I" after it
    ("mum had cancer", never "my sister says I've lost 8kg", "fell off a ladder at
    my parents house")."""
    if not in_a_note:
        return not RELATIVES.isdisjoint(said)
    if OTHER_PEOPLE.isdisjoint(said[:3]):
        return False
    # "mum had breast cancer so I'm careful": the lifter after a "so" is another thought
    ends = [at for at, word in enumerate(said) if word in _THOUGHT_ENDS]
    return FIRST_PERSON.isdisjoint(said[: ends[0]] if ends else said)


_THOUGHT_ENDS = frozenset({"so", "because", "cos", "hence", "which", "thats"})


def mentioned(
    related: RelatedWords,
    said: Sequence[str],
    named: frozenset[str] = frozenset(),
    *,
    in_a_note: bool = False,
    around: Sequence[str] | frozenset[int] = (),
) -> tuple[str, ...]:
    """The questions whose patterns ``said`` (words_in) mentions, in pattern order;
    none in words about someone else (about_someone_else). A pattern whose words are
    all ``named`` (words of signs the text names otherwise) mentions nothing:
    "Saddle numbness & both legs" is no numbness of the legs, while "Pins and
    needles in both feet" mentions both legs. ``around``: words of the key and the
    rest of a note, which may rule a pattern out ("!" slots) but never mention."""
    return read_mentions(related, said, named, in_a_note=in_a_note, around=around)[0]


def read_mentions(
    related: RelatedWords,
    said: Sequence[str],
    named: frozenset[str] = frozenset(),
    *,
    in_a_note: bool = False,
    around: Sequence[str] | frozenset[int] = (),
) -> tuple[tuple[str, ...], frozenset[str]]:
    """(mentioned, ruled out): the questions ``said`` mentions (see mentioned), and
    those with a pattern whose words ``said`` holds but that a "!" word rules out
    ("antihistamines for hay fever", "Main goal": "weight loss"): the vocabulary
    says such a use is no sign, so a name of the sign there names none either."""
    if not related or about_someone_else(said, in_a_note=in_a_note):
        return (), frozenset()
    found: dict[int, set[int]] = {}
    own: set[int] = set()  # patterns a word not ``named`` was found for
    excluded: set[int] = (
        set(around)
        if isinstance(around, frozenset)
        else (set(ruled_out_by(related, around)) if around else set())
    )
    excluded |= ruled_out_by(related, said)  # (a "!" word after a negation rules out nothing)
    for word in set(said):
        for index, number, absent in _hits(related, word):
            if not absent:
                found.setdefault(index, set()).add(number)
                if word not in named:
                    own.add(index)
    signs: dict[str, None] = {}
    ruled_out: set[str] = set()
    for index in sorted(found):  # (only patterns a word was found for)
        qid, needed = related.patterns[index]
        if len(found[index]) == needed:
            if index in excluded:
                ruled_out.add(qid)
            elif index in own:
                signs[qid] = None
    return tuple(signs), frozenset(ruled_out)


MAX_HITS_KEPT = 100_000  # words remembered (a few MB at most)


def _hits(related: RelatedWords, word: str) -> tuple[tuple[int, int, bool], ...]:
    """The (pattern, slot, "!" slot) a word satisfies, whole or by its start."""
    known = related.seen.get(word)
    if known is not None:
        return known
    hits = list(related.words.get(word, ()))
    for length in range(MIN_PREFIX, min(len(word), related.longest_start) + 1):
        hits += related.starts.get(word[:length], ())
    if len(related.seen) >= MAX_HITS_KEPT:
        related.seen.clear()
    found = related.seen[word] = tuple(hits)
    return found


def ruled_out_by(related: RelatedWords, said: Iterable[str]) -> frozenset[int]:
    """The patterns a "!" word among ``said`` rules out: worked out once for a key
    and a whole note, then given to read_mentions as ``around`` for each clause. A "!"
    word right after a negation rules nothing out ("numb, not from sitting", "I'm not
    dieting", "haven't even been cycling"): it says the harmless cause is not it
    (attack round 63)."""
    words = list(said)
    return frozenset(
        index
        for at, word in enumerate(words)
        if NEGATIONS.isdisjoint(words[max(0, at - 3) : at])
        for index, _, absent in _hits(related, word)
        if absent
    )


def negated(said: Sequence[str]) -> bool:
    """Whether words may turn what a text says around (see NEGATIONS)."""
    return not NEGATIONS.isdisjoint(said)


def denies(said: Sequence[str]) -> bool:
    """Whether a key's words deny a sign, so that a yes under it says the sign is
    absent: a denial that opens it ("No falls?"), or "free" ("Accident free")."""
    return opens_with_denial(said) or "free" in said
