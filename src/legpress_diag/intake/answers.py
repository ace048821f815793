"""Check one record's raw answers against the questions and normalise them, once.

Normalised values are what compiled conditions read (``knowledge.facts``): yes/no as
bool, a choice as its string, a multi-choice as a frozenset, a number as float.
``unsure`` and ``null`` mean the same as a missing answer: unknown, except on the
safety screen, where both are "not sure": :func:`read_answers` notes them, and the
safety keys a typo may hide, in the :class:`~..reasoning.answers.ReadAnswers` that
the reasoning takes (reasoning/safety.py reads them).
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from ..foundation.jsonvalue import JsonObject, JsonValue, is_number, json_in_text
from ..foundation.problems import did_you_mean
from ..foundation.values import FieldsRepr
from ..knowledge.facts import NormalisedValue, RawAnswers
from ..knowledge.index import (
    MAX_READ_KEY,
    TYPO_CUTOFF,
    NamedInShort,
    asks_if_normal,
    fold_key,
    names_a_function,
    question_named,
    safety_named_in_short,
    short_named,
    sign_words,
    words_of,
)
from ..knowledge.related import BUT_WORDS as RELATED_BUT
from ..knowledge.related import NEGATIONS as RELATED_NEGATIONS
from ..knowledge.related import Clause as RelatedClause
from ..knowledge.related import about_someone_else, read_mentions, ruled_out_by
from ..knowledge.related import clauses as related_clauses
from ..knowledge.related import mentioned as related_mentioned
from ..knowledge.related import words_in as related_words_in
from ..knowledge.rulebase import SCREEN_PREFIX, Question, QuestionType, RuleBase, Screen
from ..reasoning.answers import AnswerProblem, ReadAnswers, ReadFrom, said_text, show_value

# How people write yes, no and "not sure". A batch record and a reply at the
# questionnaire's prompt (intake/replies.py) read them alike, so the same words give
# the same diagnosis in both. "none of these" is how the safety screen offers "no".
# A coach's sheet in another language writes its own yes and no (German "Ja" and
# "Nein", French "Oui" and "Non"): read "not sure", an emergency was urgent and every
# clear client referred (check 26, U-H12; checks 27 and 28: 20 more languages).
YES_WORDS = frozenset(
    {"yes", "y", "yep", "yeah", "yup", "yea"}
    | {"ja", "oui", "si", "sim", "ano", "kylla", "igen", "tak", "evet", "да", "ναι", "はい"}
    | {"da", "ya", "так", "是", "예", "네", "co", "نعم", "כן"}
    | {"present"}  # a clinical record's finding (openEHR, FHIR): present or absent
    | {"positive", "pos", "confirmed"}  # clinical shorthand (check 46, H5)
)
NO_WORDS = frozenset(
    {"no", "n", "nope", "nah", "none", "none of these", "none of them", "nothing", "absent"}
    | {"negative", "neg"}
    | {"nein", "nee", "nej", "nei", "non", "nao", "ne", "ei", "nem", "nie", "hayır", "hayir"}
    | {
        "нет",
        "не",
        "οχι",
        "いいえ",
        "nu",
        "ні",
        "tidak",
        "否",
        "아니요",
        "아니오",
        "khong",
        "لا",
        "לא",
    }
)
UNSURE_WORDS = frozenset(
    {
        "unsure",
        "?",
        "skip",
        "not sure",
        "notsure",
        "don't know",
        "dont know",
        "do not know",
        "idk",
        "dunno",
        "maybe",
        "perhaps",
        "no idea",
        "i don't know",
        "i dont know",
        "i do not know",
        "i'm not sure",
        "im not sure",
        "i am not sure",
        "no clue",
        # Hedged: to "numbness in the saddle area?" it is not a clear no.
        "not really",
        # A form's standard way out ("Age": "Prefer not to say" made a client an
        # error with no plan: a coach, check 60): no answer, and on the screen not sure
        "prefer not to say",
        "rather not say",
        "i'd rather not say",
        "id rather not say",
        "prefer not to answer",
    }
)


def written_yes(value: JsonValue) -> bool:
    """A yes however a record writes it: ``true``, "yes", "YES", "yés", "ｙｅｓ", "yep",
    "TRUE" (a spreadsheet's boolean as text), ``1`` or "1" (a checkbox column),
    ``["yes"]`` (R's boxed value). As normalize_value reads a yes/no answer."""
    value = unboxed_answer(value)
    if isinstance(value, bool) or (isinstance(value, int | float) and value in (0, 1)):
        return value == 1
    # "1" and "0" as text: CSV converters (csvtojson) write every cell as a string; read
    # "not sure", a checkbox's yes was one level lower and every "0" referred (check 19).
    return isinstance(value, str) and (words(value) in YES_WORDS or words(value) in _TICKED)


def written_no(value: JsonValue) -> bool:
    """A no however a record writes it (as ``written_yes`` reads a yes)."""
    value = unboxed_answer(value)
    if isinstance(value, bool) or (isinstance(value, int | float) and value in (0, 1)):
        return value == 0
    return isinstance(value, str) and (says_no(value) or words(value) in _UNTICKED)


def says_no(text: str) -> bool:
    """Whether a text is a word for no ("no", "none", "nope"), never Python's "None"
    for a missing value (see is_unsure)."""
    return words(text) in NO_WORDS and not _pythons_none(text)


def _pythons_none(text: str) -> bool:
    """ "None" as Python writes a missing value, with a stop, a mark or a character
    that shows nothing around it ("None.", "None\u200b"): read as the word "none",
    those were a no, and a missing saddle numbness a clear screen (check 41, L1)."""
    return len(text) < 16 and "".join(c for c in text if c.isascii() and c.isalpha()) == "None"


# A yes or no as forms and spreadsheets write one: a boolean as text, a checkbox's
# column (1/0), an HTML checkbox's "on" (read "not sure", a posted emergency was one
# level lower: check 21).
# Excel and Sheets write TRUE and FALSE in the sheet's language: German WAHR and
# FALSCH, French VRAI and FAUX, Spanish VERDADERO and FALSO, Italian VERO, Portuguese
# VERDADEIRO, Dutch WAAR and ONWAAR, the Nordic, Polish, Finnish, Czech, Turkish,
# Hungarian and Russian ones (check 26, U-H12; check 27, H8).
_TICKED = (
    *("true", "1", "on", "checked", "wahr", "vrai", "verdadero", "vero", "verdadeiro", "waar"),
    *("sand", "sant", "sann", "prawda", "tosi", "pravda", "dogru", "igaz", "истина"),
    # A sheet's or form app's tick mark: read "not sure", an emergency sign ticked so
    # was one level lower (check 37, A-L1). A spreadsheet's "x" in a column is its
    # tick, and so are "+" and "T"; 1.0 is the 1 pandas writes for a 0/1 column with a
    # blank cell (read "not sure", an emergency was urgent: check 46, H5). A drawn
    # cross (✗, ☒, ❌) is left unread, "not sure": some mean "no", some "ticked".
    *("✓", "✔", "☑", "✅", "x", "+", "t", "ticked", "1.0"),
)
_UNTICKED = (
    *("false", "0", "off", "unchecked", "falsch", "faux", "falso", "onwaar", "falsk", "f", "0.0"),
    *("falskt", "usann", "fałsz", "falsz", "epatosi", "nepravda", "yanlis", "hamis", "ложь"),
)


def chosen_options(value: JsonValue) -> JsonValue:
    """A form's options each marked chosen or not ([{"label": "Yes", "selected": false},
    {"label": "No", "selected": true}]) as the chosen one's label (a list of them when
    several are chosen); anything else as it is. Read as an invalid answer, a "no"
    chosen so was "not sure" (check 23)."""
    if not isinstance(value, list) or not value or len(value) > MAX_BOXED_VALUES:
        return value
    flag = next(
        (name for name in ("selected", "checked", "chosen") if _all_have(value, name)), None
    )
    if flag is None:
        return value
    chosen: list[JsonValue] = []
    for item in value:
        assert isinstance(item, dict)
        if written_yes(item[flag]):
            held = answers_in_object({key: inner for key, inner in item.items() if key != flag})
            chosen += held[:1]
    return chosen[0] if len(chosen) == 1 else chosen


def _all_have(items: list[JsonValue], name: str) -> bool:
    return all(isinstance(item, dict) and name in item for item in items)


def unboxed_answer(value: JsonValue) -> JsonValue:
    """An answer as given, out of the one-item list, the options or the object a tool
    put it in, that object also as JSON text (monday.com's "value":
    "{\"checked\":true}")."""
    if isinstance(value, str) and value[:1] == "{" and len(value) <= _MAX_BOXED_TEXT:
        boxed = json_in_text(value, _MAX_BOXED_TEXT)
        if isinstance(boxed, dict):
            held = answers_in_object(boxed)
            return careful_answer(held) if held else value
    value = chosen_options(value)
    if isinstance(value, dict):
        held = answers_in_object(value)
        return careful_answer(held) if held else value
    return value[0] if isinstance(value, list) and len(value) == 1 else value


_MAX_BOXED_TEXT = 4096  # an answer's object as JSON text is short


# The fields of an answer's object that hold an answer (now, or before: a yes given
# earlier is not undone by a later no): a tool's other fields (an id, a type, a
# confidence, "visible": true) are its metadata, never read as an answer.
_ANSWER_FIELDS = frozenset(
    {
        "value",
        "values",
        "answer",
        "answers",
        "response",
        "responses",
        "label",
        "labels",
        "text",
        "simple_text",
        "plain_text",  # Notion's rich text: [{"plain_text": "Yes"}]
        "choice",
        "choices",
        "selected",
        "selection",
        "select",
        "option",
        "name",
        "title",
        "raw",
        "raw_value",
        "other",
        "previous",
        "previous_value",
        "previous_answer",
        "prior",
        "old",
        "old_value",
        "original",
        "changed_from",
        "history",
        "before",
        "last",
        "last_value",
        "current",
        "current_value",
        "new",
        "new_value",
        "after",
        "to",
        "now",
        "from",
        # MongoDB's extended JSON (mongoexport): {"$numberInt": "29"}
        "$number_int",
        "$number_long",
        "$number_double",
        "$number_decimal",
    }
)
MAX_BOXED_DEPTH = 8  # objects in objects: {"answer": {"choice": {"label": "Yes"}}}
MAX_BOXED_VALUES = 200  # values looked at in one answer's object
MAX_BOXED_KEYS = 1000  # keys of one object looked at for its answer fields
# Answer fields that hold what was answered before: read after the answer now.
_EARLIER_FIELDS = frozenset(
    {"previous", "previous_value", "previous_answer", "prior", "old", "old_value"}
    | {"original", "changed_from", "history", "before", "last", "last_value", "from"}
)
# Lists a form offers to choose from, beside the answer chosen: read only when nothing
# else answers (an age's offered 90 was read as the age: check 24).
_OFFERED_FIELDS = frozenset({"choices", "options"})


def _offered_choices(items: list[JsonValue]) -> bool:
    """Whether a list is the choices a form offers (both a yes and a no among them),
    not the answer chosen: read as answers, every "no" beside it was a yes (check 23)."""
    return any(written_yes(item) for item in items) and any(written_no(item) for item in items)


def answers_in_object(box: dict[str, JsonValue]) -> list[JsonValue]:
    """The values an answer's object holds, as a tool boxes an answer ({"value":
    "yes"}, {"answer": {"label": "Yes"}}, {"value": "no", "previous": "yes"},
    {"values": ["yes"]}): every plain value under a field that holds an answer
    (_ANSWER_FIELDS), in objects and lists inside it; never the tool's metadata.
    Read as an invalid answer, a yes written so was "not sure", one level lower
    (check 20, check 21)."""
    found: list[JsonValue] = []
    offered: list[JsonValue] = []  # a form's choices (both a yes and a no, 'choices')
    todo: list[tuple[JsonValue, int]] = [(box, 0)]
    while todo and len(found) < MAX_BOXED_VALUES:
        item, depth = todo.pop()
        if isinstance(item, dict):
            if depth >= MAX_BOXED_DEPTH:
                continue
            case = _enum_case(item)
            if case is not None:
                found.append(case)
                continue
            if len(item) == 1 and fold_key(str(next(iter(item)))) in _TYPE_NAMES:
                # A value under its type's name alone: Avro's JSON union ({"string":
                # "yes"}, {"int": 70}), a Rust enum as serde writes it ({"YesNo":
                # "Yes"}, {"Number": 41.0}), a custom field's {"checked": "true"}
                # (Trello, monday.com). Read as no answer, every sign was "not sure"
                # (check 28; check 29, U-H2, U-H5).
                todo.append((next(iter(item.values())), depth + 1))
                continue
            typed = _under_its_type(item)
            if typed is not None:  # {"type": "checkbox", "checkbox": true}: that value
                todo.append((typed, depth + 1))
                continue
            option = _option_chosen(item)
            if option is None:
                option = _choice_by_index(item)
            if option is not None:  # {"label": "Yes", "value": false}: that label or none
                found += option
                continue
            fields = [
                (fold_key(key), inner)
                for key, inner in list(item.items())[:MAX_BOXED_KEYS]
                if isinstance(key, str)
            ]
            # The answer now first, what was answered before last: a yes behind 50
            # earlier "no"s was never read (check 23).
            offered += [
                inner for key, inner in fields if key in _OFFERED_FIELDS and isinstance(inner, list)
            ]
            fields = [
                (key, inner)
                for key, inner in fields
                if key in _ANSWER_FIELDS
                and not (key in _OFFERED_FIELDS and isinstance(inner, list))
            ]
            fields.sort(key=lambda pair: pair[0] in _EARLIER_FIELDS)
            todo += [(inner, depth + 1) for _, inner in reversed(fields)]
        elif isinstance(item, list) and depth < MAX_BOXED_DEPTH:
            if _offered_choices(item):
                offered.append(item)  # read only when nothing else answers
                continue
            todo += [(inner, depth + 1) for inner in reversed(item[:MAX_BOXED_VALUES])]
        elif item is not None and item != "":
            found.append(item)
    if not found and offered:
        # Only a list with both a yes and a no ({"answer": ["yes", "no"]}): the answer,
        # read the careful way (a yes), as a key given twice is.
        return [
            value
            for choices in offered[:MAX_BOXED_VALUES]
            if isinstance(choices, list)
            for item in choices[:MAX_BOXED_VALUES]
            for value in (answers_in_object(item) if isinstance(item, dict) else [item])
            if value is not None and not isinstance(value, list)
        ]
    return found


_TYPE_NAMES = frozenset(
    {"string", "boolean", "int", "long", "float", "double"}  # Avro's
    | {"integer", "number", "numeric", "decimal", "str", "text", "yes_no", "yesno"}
    | {"checked", "checkbox", "choice", "select", "enum", "option"}
)


def _enum_case(item: dict[str, JsonValue]) -> str | None:
    """The answer a Swift enum without raw values is written as: its case's name over an
    empty object ({"yes": {}}). Read as "not sure", a clear client was referred and a
    "no" raised a level (check 26, U-H9)."""
    if len(item) != 1:
        return None
    ((name, inner),) = item.items()
    if inner != {} or not isinstance(name, str):
        return None
    return name if written_yes(name) or written_no(name) or is_unsure(name) else None


def _under_its_type(item: dict[str, JsonValue]) -> JsonValue | None:
    """The value an object keeps under the name of its type, as Notion's properties
    ({"id": "a1", "type": "checkbox", "checkbox": true}) and Typeform's answers
    ({"type": "boolean", "boolean": true}) do; None for any other object. Read as no
    answer, each such yes was "not sure" and every clear client was referred
    (check 26, U-H6, U-H7)."""
    kind = item.get("type")
    if not isinstance(kind, str) or not kind or kind == "type" or len(item) > 16:
        return None
    return item.get(kind)


_OPTION_FLAGS = ("selected", "checked", "chosen", "value")
_OPTION_LABELS = ("label", "text", "name", "title")


def _option_chosen(item: dict[str, JsonValue]) -> list[JsonValue] | None:
    """A form's option marked chosen or not ({"label": "Yes", "value": false},
    {"label": "No", "selected": 1}): its label when chosen, nothing when not; None for
    an object that is no such option. Read as two answers, a "Yes" not chosen
    referred an emergency (check 24)."""
    fields = {
        fold_key(key): inner for key, inner in list(item.items())[:16] if isinstance(key, str)
    }
    labels = [fields[name] for name in _OPTION_LABELS if isinstance(fields.get(name), str)]
    flags = [fields[name] for name in _OPTION_FLAGS if name in fields]
    if len(labels) != 1 or len(flags) != 1 or not _a_flag(flags[0]):
        return None
    label, chosen = labels[0], written_yes(flags[0])
    if _answers_yes_no(label):
        return [label] if chosen else []
    # A label in words of its own (the question's text beside a ticked box, a
    # choice's name): the tick answers a yes/no question, the label a choice. Read
    # as the label alone, a ticked "Numbness ...? Tick if yes" was not sure (check 25).
    return [label, flags[0]] if chosen else [flags[0]]


def _choice_by_index(item: dict[str, JsonValue]) -> list[JsonValue] | None:
    """The choice an index names beside the choices offered ({"selected": 1,
    "choices": ["Yes", "No"]} is "No"); None for anything else. Read as a 1, a "No"
    chosen so referred an emergency (check 24)."""
    choices = next((item[name] for name in ("choices", "options") if name in item), None)
    index = next((item[name] for name in ("selected", "value", "index") if name in item), None)
    if not isinstance(choices, list) or isinstance(index, bool) or not isinstance(index, int):
        return None
    if not 0 <= index < len(choices) or not any(isinstance(c, str) for c in choices):
        return None
    return [choices[index]] if isinstance(choices[index], str) else None


def _a_flag(value: JsonValue) -> bool:
    """True or false as a tool writes it: a boolean, 1 or 0, "true" or "false"."""
    if isinstance(value, bool) or value in (0, 1):
        return True
    return isinstance(value, str) and words(value) in ("true", "false", "1", "0")


def careful_answer(held: list[JsonValue]) -> JsonValue:
    """One answer for the values an object holds, the careful one, from those that
    answer a yes/no or a number (a question's name or title beside them is none): a
    yes, never undone by a "no" beside it (a previous answer, a changed one), words
    before a tool's 1 or true (a label "No" beside "value": 1, an option's index);
    the highest number (an age); else "unsure"."""
    answering = [value for value in held if _answers_yes_no(value) or _a_number(value)]
    if not answering and any(isinstance(value, str) and yes_with_more(value) for value in held):
        return "yes"  # a yes with a detail ("Yes - left leg"), nothing taken back
    if not answering and any(_hints_yes(value) for value in held):
        return "unsure"  # free text that starts with a yes and doubts it: not sure
    if not answering:
        first = held[0]
        return first if all(value == first for value in held) else "unsure"
    said = [value for value in answering if isinstance(value, str) and _answers_yes_no(value)]
    told = said or answering
    if any(written_yes(value) for value in told):
        return "yes"
    numbers = [value for value in answering if _a_number(value)]
    if not said and numbers and len(numbers) == len(answering):
        return max(numbers)  # type: ignore[type-var]
    first = told[0]
    return first if all(_alike(value, first) for value in told) else "unsure"


def _alike(one: JsonValue, other: JsonValue) -> bool:
    """The same answer, written alike or not ("no" and "No")."""
    if isinstance(one, str) and isinstance(other, str):
        return words(one) == words(other)
    return one == other


# Words that take a yes back or doubt it: "yes, no wait", "yes? not sure", "yes
# maybe". Text that starts with a yes and holds none of them is a yes.
_TAKES_BACK = (
    NO_WORDS
    | UNSURE_WORDS
    | {"not", "never", "wait", "sure", "know", "unsure", "maybe", "perhaps", "dont", "don't"}
    | {"doubt", "unclear", "think", "guess", "probably", "possibly", "might", "kidding"}
    | {"used", "before", "previously", "resolved", "gone", "past", "ago"}
)
MAX_YES_WITH_MORE = 200  # a yes with a detail, not a story to read for its meaning


def yes_with_more(text: str) -> bool:
    """Whether free text is a yes with a detail after it ("Yes - since Tuesday", "yes,
    left side", "yes (a bit)"): it starts with a yes word and nothing after it takes
    the yes back, doubts it or puts it in the past. Read "not sure", an emergency was
    lowered to urgent (check 27, U-H2)."""
    if len(text) > MAX_YES_WITH_MORE or "?" in text or not _hints_yes(text):
        return False
    # The words after it (none for a number or an emoji: "yes 38.4", "yes 🙁").
    said = re.findall(r"[a-z']+", words(text))
    return not any(word in _TAKES_BACK for word in said[1:])


def _read_as_a_yes(rb: RuleBase, qid: str, text: str) -> bool:
    """Whether free text that starts with a yes is read as a yes: on the safety screen
    always (a yes refers at least as high as "not sure": "Yes, started 3 days ago"
    was "not sure", an emergency lowered to urgent: check 28), but for a question whose
    yes lowers a flag (onset_settling, "it eased": a flag's 'unless') only when
    nothing takes it back; elsewhere the same (see yes_with_more)."""
    if not _hints_yes(text):
        return False
    # Whatever its length: a yes with a long story after it was "not sure" (check 28,
    # A-H3); the story is not read, its first word is.
    if eases_only(rb, qid):
        # A yes that only eases a flag (onset_settling: "it settled") is read from a
        # plain yes only: "Yes, but it came back worse", "yes; worse now" eased a sudden
        # onset's referral away (check 29, A-H7). Free text stays "not sure".
        return False
    if qid in rb.index.safety_questions:
        return True
    return yes_with_more(text)


def eases_only(rb: RuleBase, qid: str) -> bool:
    """Whether a question's yes only ever eases a safety flag (onset_settling: in a
    flag's 'unless', in no flag's signs)."""
    flags = rb.safety_flags.values()
    return any(qid in flag.unless_questions for flag in flags) and not any(
        qid in flag.questions for flag in flags
    )


def eases_only_named(name: str) -> bool:
    """Whether a name names a bundled question whose yes only ever eases a safety flag
    (see eases_only): a list or a tick never gives such a yes (check 30, A-R2, A-R3)."""
    named = _bundled_question(name)
    return named is not None and eases_only(*named)


def safety_named(name: str) -> bool:
    """Whether a name names one of the bundled rule base's safety questions."""
    named = _bundled_question(name)
    return named is not None and named[1] in named[0].index.screen_questions


def misspelt_bundled_safety(name: str, *, fast: bool = False) -> str | None:
    """The bundled rule base's safety question a name very likely misspells, or None
    (see misspelt_safety_id)."""
    from ..knowledge.loader import bundled_rulebase  # only for a list's unread item

    rb = bundled_rulebase()
    return None if rb is None else misspelt_safety_id(rb, name, fast=fast)


def _bundled_question(name: str) -> tuple[RuleBase, str] | None:
    """The bundled rule base and the id of its question a name names, or None."""
    if not names_a_question(name):
        return None
    from ..knowledge.loader import bundled_rulebase  # loaded by names_a_question

    rb = bundled_rulebase()
    qid = question_named(rb, name) if rb is not None else None
    return None if rb is None or qid is None else (rb, qid)


def _hints_yes(value: JsonValue) -> bool:
    """Free text that starts with a yes ("yes sometimes", "Yes - left leg"): no plain
    yes, but no "no" either: not sure, as such an answer is in a record's answers."""
    if not isinstance(value, str) or _answers_yes_no(value):
        return False
    # The first word, whatever follows it: "Yes? It started Tuesday", "yes;" (split
    # at spaces only, "yes?" was no word, and the yes "not sure": check 28, A-H3).
    first = _FIRST_WORD.match(words(value[:_FIRST_WORD_SPAN]))
    return first is not None and first.group(1) in YES_WORDS


_FIRST_WORD = re.compile(r"[\W_]*([^\W_]+(?:'[^\W_]+)*)")
_FIRST_WORD_SPAN = 100  # where a reply's first word is, however long the reply


def _answers_yes_no(value: JsonValue) -> bool:
    return written_yes(value) or written_no(value) or is_unsure(value)


def _a_number(value: JsonValue) -> bool:
    return is_number(value) and not isinstance(value, bool)


def words(text: str) -> str:
    """A reply as compared with the words above: lower case, inner spaces collapsed,
    trailing full stops and '!' dropped, a typographic apostrophe made plain."""
    if not text.isascii():
        # Full-width 'ｙｅｓ' is 'yes' (NFKC), and so are 'yés' and 'yes' with a
        # zero-width space in it: accents and what draws nothing are left out, as in
        # keys. Letters of other scripts stay: a look-alike 'nо' is not read as 'no'.
        text = unicodedata.normalize("NFKC", text)
        text = drawn(unicodedata.normalize("NFKD", text))
        # Composed again: NFKD splits a Hangul syllable ('예') into its letters.
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.strip().lower().rstrip(".!").split()).replace("\u2019", "'")


def drawn(text: str, *, marks: bool = True) -> str:
    """``text`` without the characters that draw nothing: format characters (a
    zero-width space, a soft hyphen) and, with ``marks``, combining marks (the accents
    NFKD splits off). A screen's reply keeps its accents (``marks=False``)."""
    drop = _FORMAT_AND_MARKS if marks else _FORMAT
    return "".join(char for char in text if unicodedata.category(char) not in drop)


_FORMAT = frozenset({"Cf"})
_FORMAT_AND_MARKS = frozenset({"Cf", "Mn", "Me"})


def is_unsure(value: JsonValue) -> bool:
    """A "not sure" in any of its forms (never a "no"), boxed in a one-item list too;
    and "None", as Python writes a missing value (``str(None)``): read as "none", a
    no, an export's missing saddle numbness was a clear screen (check 32, M3; check
    37, A-M2). A lifter's "none", in small letters, is still a no."""
    value = unboxed_answer(value)
    return isinstance(value, str) and (words(value) in UNSURE_WORDS or _pythons_none(value))


_SHOWN_CHARS = 60  # as reasoning.answers.show_value shortens a value
# Unknown names listed per record (unknown answer keys here, unknown record fields
# in records.py); past this many, one summary line counts the rest. Keeps a record
# with 20,000 junk keys from costing 20,000 suggestions and 20,000 warning lines.
MAX_UNKNOWN_LISTED = 20
# Of those, the first few are compared with every question id for a "did you mean";
# each listed one is compared with the safety questions, so a misspelt safety key is
# always named. A record of 20 near-miss keys cost 20 full comparisons (issue 20: 50 s
# of CPU per MiB); now the work per record is bounded by these two caps.
MAX_SUGGESTED = 3


class InvalidAnswer(Exception):
    """A value its question cannot take; ``message`` says why: what the value "is"
    ("out of range"), or with ``about_items`` a sentence about the items of a list."""

    def __init__(self, message: str, *, about_items: bool = False) -> None:
        self.message = message
        self.about_items = about_items


MAX_BAD_ITEMS = 5  # wrong items of a multi-choice answer named one by one


def _read_otherwise(
    key: str, value: JsonValue, read: str, written: str, question: Question
) -> AnswerProblem:
    """The warning for an answer read otherwise than it was written: what was read,
    and how to write it (the question's expected values, then ``written``)."""
    return AnswerProblem(
        key=key,
        message=f"{key}: {read}",
        value=show_value(value),
        expected=question.expected() + written,
    )


def _read_boxed(question: Question, held: list[JsonValue]) -> JsonValue:
    """The answer to ``question`` among the values an object holds, read carefully
    (careful_answer) from those that answer it; None when none does (the object is an
    invalid answer, "not sure" for the screen)."""
    readable = []
    for value in held:
        try:
            number = number_in_text(value) if isinstance(value, str) else None
            candidate = number if question.type is QuestionType.NUMBER and number else value
            if normalize_value(question, candidate) is not None or is_unsure(value):
                readable.append(candidate)
        except InvalidAnswer:
            continue
    if not readable:
        return None
    if question.type is QuestionType.NUMBER:
        # The highest age given; a "not sure" beside a number changes nothing (read
        # "not sure", an age of 70 lowered a fracture-risk sign: check 23).
        numbers = [value for value in readable if _a_number(value)]
        return max(numbers) if numbers else "unsure"  # type: ignore[type-var]
    return careful_answer(readable)


def _choice_folded(question: Question, value: str) -> str | None:
    """The choice a value names in another case or with spaces for underscores
    ("Sometimes" for 'sometimes', as a form's label writes it), or by its label in any
    case ("Somewhere else" for 'other'), or None."""
    folded = "_".join(words(value).replace("-", " ").split())
    if folded in question.choice_values:
        return folded
    return next(
        (
            choice
            for choice, label in question.choices
            if "_".join(words(label).replace("-", " ").split()) == folded
        ),
        None,
    )


def _multi_folded(question: Question, value: JsonValue) -> list[JsonValue] | None:
    """A list question's answer written as its choices' labels ("Lower back, Knees",
    ["Lower back"]) as the list of choices, when every item names one; else None (the
    answer as written: already the choices, or checked as it is)."""
    if isinstance(value, str) and len(value) <= 400 and not is_unsure(value):
        items: list[JsonValue] = [p.strip() for p in re.split(r"[,;|]", value) if p.strip()]
    elif isinstance(value, list) and len(value) <= MAX_BAD_ITEMS:
        items = value
    else:
        return None
    if not items or all(isinstance(i, str) and i in question.choice_values for i in items):
        return None if isinstance(value, list) else None if not items else [*items]
    folded = [_choice_folded(question, i) if isinstance(i, str) else None for i in items]
    if any(f is None for f in folded):
        return None
    return list(dict.fromkeys(cast(list[str], folded)))


def normalize_value(question: Question, value: JsonValue) -> NormalisedValue | None:
    """The normalized value, None for unknown; raises InvalidAnswer with a reason."""
    if value is None:
        return None
    kind = question.type
    if kind is not QuestionType.MULTI:
        # One value boxed in a list, as R's jsonlite writes it without auto_unbox:
        # read "not sure", a boxed yes was one level lower (a new user's U17-6).
        value = unboxed_answer(value)
    if kind is QuestionType.YES_NO:
        if is_unsure(value):  # before the no words: "None" (see is_unsure)
            return None
        # "TRUE" and 1 too: a spreadsheet's boolean as text, a checkbox column.
        if written_yes(value):
            return True
        if written_no(value):
            return False
        raise InvalidAnswer("not a yes/no answer")
    if kind is QuestionType.CHOICE:
        if isinstance(value, str) and value in question.choice_values:
            return value
        if isinstance(value, str) and (folded := _choice_folded(question, value)) is not None:
            return folded  # "Sometimes", "Bottom of rep": a form's label of the choice
        hint = did_you_mean(value, question.choice_values) if isinstance(value, str) else None
        raise InvalidAnswer("not one of the choices" + (f"; {hint}" if hint else ""))
    if kind is QuestionType.MULTI:
        if not isinstance(value, list):
            hint = ""
            if isinstance(value, str) and len(value) < 80:
                parts = [part.strip() for part in re.split(r"[,;|]", value) if part.strip()]
                listed = ", ".join(json.dumps(_choice_folded(question, p) or p) for p in parts)
                hint = f"; write a list of its choices ({', '.join(question.choice_values)}):"
                hint += f" [{listed}]"
            raise InvalidAnswer("not a list" + hint)
        bad = [
            item for item in value if not (isinstance(item, str) and item in question.choice_values)
        ]
        if bad:
            # Every wrong item, each with its suggestion: fixing one typo at a time
            # would take as many runs as there are typos.
            named = []
            for item in bad[:MAX_BAD_ITEMS]:
                # did_you_mean skips a name far longer than any choice: no cost to bound.
                hint = did_you_mean(item, question.choice_values) if isinstance(item, str) else None
                named.append(show_value(item) + (f" ({hint})" if hint else ""))
            more = f" and {len(bad) - MAX_BAD_ITEMS} more" if len(bad) > MAX_BAD_ITEMS else ""
            if len(bad) == 1:
                raise InvalidAnswer(f"{named[0]} is not one of the choices", about_items=True)
            raise InvalidAnswer(
                f"{', '.join(named)}{more} are not among the choices", about_items=True
            )
        return frozenset(cast(list[str], value))  # every item checked above
    if is_unsure(value):
        return None  # unknown; on the safety screen (age) the screen reads it as unsure
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidAnswer("not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer of 309 digits or more: no float holds it
        raise InvalidAnswer("out of range") from None
    if not math.isfinite(number):
        raise InvalidAnswer("not a finite number")
    assert question.minimum is not None and question.maximum is not None
    if not question.minimum <= number <= question.maximum:
        raise InvalidAnswer("out of range")
    return number


def normalize_answers(
    rb: RuleBase, raw: RawAnswers, *, strict: bool = False
) -> tuple[dict[str, NormalisedValue], list[AnswerProblem], list[AnswerProblem]]:
    """(answers, errors, warnings). Unknown keys warn, or are errors when ``strict``."""
    answers: dict[str, NormalisedValue] = {}
    errors: list[AnswerProblem] = []
    warnings: list[AnswerProblem] = []
    raw = _spellings_read_together(rb, raw, errors if strict else warnings)
    unknown = suggested = 0
    folded: set[str] = set()
    # The types as locals: looking a member up on the enum costs ~60 ns, per answer.
    yes_no, choice, number_type = QuestionType.YES_NO, QuestionType.CHOICE, QuestionType.NUMBER
    multi = QuestionType.MULTI
    for key, value in raw.items():
        question = rb.questions.get(key)
        if question is None and isinstance(key, str):
            meant = read_as(rb, key, raw)
            if meant is not None and meant not in folded:
                folded.add(meant)  # a second spelling of the same key stays unknown
                # 'Saddle_Numbness' is saddle_numbness: read, never dropped (a safety
                # answer lost to a capital letter would be a warning sign missed).
                (errors if strict else warnings).append(
                    AnswerProblem(
                        key=key,
                        message=f"{key}: read as '{meant}' ({_why_read_as(rb, key)})",
                        value=show_value(value),
                        expected=f"the key written exactly: '{meant}'",
                    )
                )
                key, question = meant, rb.questions[meant]
        if question is None:
            unknown += 1
            if unknown > MAX_UNKNOWN_LISTED:
                continue
            if not isinstance(key, str):  # only from the Python API: JSON keys are text
                errors.append(
                    AnswerProblem(
                        key=show_value(key),
                        message=f"{show_value(key)}: an answer key must be a string",
                        value=show_value(value),
                        expected="a question id (a string)",
                    )
                )
                continue
            suggested += 1
            safety = misspelt_safety_id(rb, key)
            together = () if safety is not None else safety_named_in_short(rb, key)
            if safety is not None:
                hint: str | None = f"did you mean '{safety}'?"
            elif together:
                # Said plainly: "did you mean" one of them read as if it were ignored,
                # and as the screen reads it (a new user's P7, check 47).
                named = " and ".join(f"'{q}'" for q in together.every)
                if together.asks_if_normal:
                    reading = (
                        f"it asks whether {named} is normal: unless its answer is a yes or "
                        "'normal', the screen reads"
                    )
                elif together.mentions_normal:
                    reading = (
                        f"it names {named} beside a normal finding or a function, so a no "
                        "there may be a finding: unless its answer is 'normal', the screen "
                        "reads"
                    )
                elif together.asks_if_present:
                    reading = f"it names {named}: unless its answer is a no, the screen reads"
                else:
                    # (a no clears only under a key that only asks whether the sign is
                    # there: "unless a no" here was wrong, a new user's problem 3)
                    reading = (
                        f"it names {named} but asks more than whether it is there, so "
                        "unless its answer is blank or 'normal', even a no, the screen reads"
                    )
                them = "it" if len(together.every) == 1 else "them"
                only_partly = not (together.whole or together.inside)
                where = f" where nothing else in the record answers {them}" if only_partly else ""
                hint = (
                    f"{reading} {them} as not sure{where}; answer each under its own id (a "
                    "form's column: map it, diagnose --columns)"
                )
            else:
                hint = did_you_mean(key, rb.questions) if suggested <= MAX_SUGGESTED else None
                # Words that mention a sign, in the key or in its text: said, or a
                # "not sure" referral has no reason a coach can see.
                mentioned = _mentions_said(rb, key, value, together)
                if mentioned:
                    hint = (f"{hint}; " if hint else "") + mentioned
            shown = show_value(key)[1:-1] if len(key) > _SHOWN_CHARS else key
            # A screen's reply is no question's answer, but no unknown key either: said
            # "unknown", its signs read from it looked ignored (a new user's P8).
            what = (
                "a screen's reply, not a question id: the signs it names are read from it, "
                "the others stay unanswered"
                if safety is None and is_screen_key(key) and screen_named(rb, key) is not None
                else "unknown question id" + (f"; {hint}" if hint else "")
            )
            problem = AnswerProblem(
                key=shown,
                # Named in the message too, as every other problem is, so a CSV cell or
                # a log line that carries only messages still says which key it was.
                message=f"{shown}: {what}",
                value=show_value(value),
                expected="a question id of the rule base (see 'legpress-diag rules show')",
            )
            (errors if strict else warnings).append(problem)
            continue
        # The common, already-clean answers skip normalize_value (same results; the
        # exact type checks keep True apart from 1 and "yes" apart from " Yes").
        kind = question.type
        if (
            value.__class__ is str
            and not value.strip()
            and question.follow_up_of
            and _not_asked(rb, raw, key)
        ):
            continue  # a follow-up left blank after a no: never asked (see _not_asked)
        if value.__class__ is str:
            if kind is yes_no and (value == "yes" or value == "no"):
                answers[key] = value == "yes"
                continue
            if kind is choice and value in question.labels:
                answers[key] = value
                continue
        elif value.__class__ is bool and kind is yes_no:
            answers[key] = value
            continue
        elif value.__class__ is int and kind is number_type:
            low, high = question.minimum, question.maximum
            if low is not None and high is not None and low <= value <= high:
                answers[key] = float(value)
                continue
        if (
            kind is not multi
            and value.__class__ is list
            and len(cast(list[JsonValue], value)) == 1
            and cast(list[JsonValue], value)[0].__class__ is dict
        ):
            # One answer's object in a list, as SurveyMonkey writes every answer
            # ([{"simple_text": "70"}]): read as the object (an age so was "not a
            # number", and a fracture-risk combination was lowered: check 27).
            value = cast(list[JsonValue], value)[0]
        if value.__class__ is dict:
            held = answers_in_object(cast(dict[str, JsonValue], value))
            if eases_only(rb, key) and any(_hints_yes(text) for text in held):
                # A boxed yes with a story ({"value": "Yes - eased, then worse"}) never
                # eases a flag either (see _read_as_a_yes): not sure.
                held = ["unsure"]
            inner = _read_boxed(question, held)
            if inner is not None:
                read = f"the answer is given inside an object; read as {show_value(inner)}"
                warnings.append(
                    _read_otherwise(key, value, read, ", not inside an object", question)
                )
                value = inner
        if value.__class__ is list:
            value = chosen_options(value)
        if kind is not multi and value.__class__ is list and len(cast(list[JsonValue], value)) == 1:
            # R's and Apps Script's boxed value (["70"], Google Forms' namedValues):
            # unboxed before a number in text is looked for, or ["70"] was an
            # unreadable age and an urgent combination of signs clinician (check 21).
            value = cast(list[JsonValue], value)[0]
        if kind is choice and isinstance(value, str) and value not in question.choice_values:
            as_choice = _choice_folded(question, value)
            if as_choice is not None:
                read = f"{show_value(value)} read as '{as_choice}'"
                warnings.append(_read_otherwise(key, value, read, "", question))
                value = as_choice
        if kind is multi and (folded_items := _multi_folded(question, value)) is not None:
            # Google Forms writes a checkbox question's boxes as their labels joined by
            # ", " ("Lower back, Knees"): an error, a healthy client got no advice, and
            # the hint to write ["Lower back"] was wrong too (a new user's P4, check 47).
            read = f"{show_value(value)} read as {show_value(folded_items)}"
            warnings.append(_read_otherwise(key, value, read, "", question))
            value = folded_items
        if kind is yes_no and value.__class__ is str and _read_as_a_yes(rb, key, value):
            read = f"{show_value(value)} starts with a yes; read as yes"
            warnings.append(_read_otherwise(key, value, read, ", alone", question))
            value = "yes"
        if kind is number_type and value.__class__ is str:
            number = number_in_text(value)
            if number is None and key in rb.index.safety_questions:
                # A safety number (the age) is read as the questionnaire reads what was
                # typed ("seventy", "65,5", "70!"): read two ways, an age lowered a
                # fracture-risk sign from urgent to clinician (attack rounds 9 and 10,
                # M3). Any other number stays the contract's: a JSON number, or an error.
                number = typed_number(question, value)
                if number is None:
                    # warned of as a span, not as a number in text
                    low = _span_read_alike(rb, question, key, value, warnings)
                    value = value if low is None else low
            if number is not None:
                # '"70"' for an age is 70: read as text it would be unreadable, and an
                # unreadable age lowers every age-combined warning sign to a guess.
                read = f"{show_value(value)} is text; read as the number {number:g}"
                warnings.append(_read_otherwise(key, value, read, ", without quotes", question))
                value = number
        try:
            normalized = normalize_value(question, value)
        except InvalidAnswer as exc:
            lead = (
                _leading_number(question, value) or _nearest_in_range(question, value)
                if key in rb.index.safety_questions
                else None
            )
            also = (
                f"; the safety screen reads it both as {lead:g} and as not sure, whichever "
                "refers higher"
                if lead is not None
                else ""
            )
            errors.append(
                AnswerProblem(
                    key=key,
                    message=f"{key}: {exc.message}"
                    if exc.about_items
                    else f"{key}: {show_value(value)} is {exc.message}{also}",
                    value=show_value(value),
                    expected=question.expected(),
                )
            )
            if lead is not None:
                # "70 (ex-smoker)", "64 (unknown)", "60-70": the number it opens with, and
                # (being an error) "not sure": the screen takes the higher of the two.
                # Read "not sure" alone, an age of 70 lowered a fracture-risk sign from
                # urgent to clinician; read as the number alone, "64 (unknown)" cleared
                # one (check 46, H1 and H2).
                answers[key] = lead
            continue
        if normalized is not None:
            answers[key] = normalized
    if unknown > MAX_UNKNOWN_LISTED:
        (errors if strict else warnings).append(
            unlisted("answers", unknown - MAX_UNKNOWN_LISTED, "unknown question ids")
        )
    return answers, errors, warnings


_UNIT = re.compile(
    r"[\s-]*(years?([\s-]+old|\s+of\s+age)?|yrs?([\s-]+old)?|y/?o|degrees?|deg|°)$", re.IGNORECASE
)


_QUOTES = "\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb"
_BEFORE_NUMBER = re.compile(r"^(?:=|ages?d?\s*:?\s*)(?=[\d+-])", re.IGNORECASE)


def number_in_text(text: str) -> float | None:
    """The number a short text writes plainly ('70', ' 62.5 ', '70 years'), or None: no
    words, nothing that only Python reads as a number ('1_000', 'nan', 'inf')."""
    stripped = text.strip()
    if not stripped or len(stripped) > 20:
        return None
    # '"70"' (a CSV field quoted twice), "'70'", “70”, `70`: the quotes around it are
    # no part of it. Unread, an urgent fracture-risk sign was clinician (check 39, A-H3).
    # Nor is one quote at one end (Excel's "'70" that keeps a cell text, '70"'), or the
    # quotes before a unit ('"70" years'): unread, the same sign was clinician (check
    # 40, N3).
    stripped = stripped.strip(_QUOTES).strip()
    # "70 years", "70 yrs", "70 y/o", "62 degrees", "62°": the number with its unit;
    # "age 70", "Aged: 70", and Excel's "=70" (a formula left as text): the number.
    stripped = _UNIT.sub("", stripped).strip().strip(_QUOTES).strip()
    stripped = _BEFORE_NUMBER.sub("", stripped)
    if not stripped:
        return None
    body = stripped[1:] if stripped[0] in "+-" else stripped
    if not body.replace(".", "", 1).isdigit() or not body.isascii():
        return None
    return float(stripped)


# Numbers in words, as the questionnaire reads them and so as a record is read too.
_UNITS = {
    0: "zero",
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
    13: "thirteen",
    14: "fourteen",
    15: "fifteen",
    16: "sixteen",
    17: "seventeen",
    18: "eighteen",
    19: "nineteen",
}
_TENS = {
    20: "twenty",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
}
_WORD_VALUES = {w: n for n, w in (*_UNITS.items(), *_TENS.items())} | {"fourty": 40}


def number_in_words(text: str) -> int | None:
    """``ninety`` → 90, ``eighty-five`` → 85, ``a hundred and ten`` → 110; else None."""
    parts = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not parts:
        return None
    total = 0
    current = 0
    for word in parts:
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "a" and total == current == 0:
            continue  # "a hundred"
        else:
            return None
    total += current
    return total


def _number_in_words_within(text: str) -> float | None:
    """The first number written in words in a text, with its compound ("seventy-two",
    "a hundred and one"); None when it has none."""
    said = re.findall(r"[a-z]+", text.lower())
    for start, word in enumerate(said):
        if word in _WORD_VALUES or word == "hundred":
            run = list(itertools.takewhile(_NUMBER_WORD.__contains__, said[start:]))
            while run and run[-1] in ("and", "a"):
                run.pop()
            number = number_in_words(" ".join(run))
            return None if number is None else float(number)
    return None


_NUMBER_WORD = frozenset(_WORD_VALUES) | {"hundred", "and"}


def _span_read_alike(
    rb: RuleBase, question: Question, key: str, text: str, warnings: list[AnswerProblem]
) -> float | None:
    """A safety number written as a span ("65-70", "70+", "over 65", "about 70") read
    as its lowest number, with a warning, when every test of the rule base reads the
    whole span alike (knowledge.thresholds.span_read_alike); else None, and the answer
    stays unreadable, "not sure" over its whole range. Read so, a band of ages all 65
    or over lowered a fracture-risk sign from urgent to clinician (a new user's P7)."""
    from ..knowledge.thresholds import span_read_alike  # only for a number given as text

    span = number_span(text)
    if span is None:
        return None
    low = max(span[0], question.minimum if question.minimum is not None else -math.inf)
    high = min(span[1], question.maximum if question.maximum is not None else math.inf)
    if low > high or not math.isfinite(low) or not span_read_alike(rb, key, low, high):
        return None
    shown = f"{low:g} to {high:g}" if math.isfinite(high) else f"{low:g} or over"
    read = (
        f"{show_value(text)} is the number {low:g} with a note; read as {low:g}"
        if low == high
        else f"{show_value(text)} is a span ({shown}); every test of the rule base reads "
        f"it alike, so it is read as {low:g}"
    )
    warnings.append(_read_otherwise(key, text, read, ", one number", question))
    return low


def number_span(text: str) -> tuple[float, float] | None:
    """The numbers a short text gives a span of: "65-70" and "65 to 70" (both ends),
    "70+", "over 70", "at least 70", "70 or older" (70 up), "under 20", "below 20"
    (up to 20), "about 70", "~70", "70ish", "approx. 70" (2 either side), "70s" (70 to
    79), "early 70s", "mid 70s", "late 70s" (a third of it); else None. A number with
    a note in brackets is none: "64 (last year)", "64 (or 65)" may be past a limit
    (read as 64, a fracture-risk referral was lost: check 43, H3)."""
    said = text.strip().lower()
    if len(said) > 40:
        return None
    # "in my seventies", "late sixties", "mid-sixties": the decades in words are the
    # decades in digits (read "not sure" alone, a fracture-risk sign was clinician
    # where "70s" was urgent: check 53, H6)
    said = _DECADE_WORD.sub(lambda found: f"{_TENS_OF[found.group(1)]}s", said)
    said = re.sub(r"^(?:in )?(?:my|his|her|their) (?=\d0s$)", "", said).replace("mid-", "mid ")
    for pattern, make in _SPANS:
        found = pattern.fullmatch(said)
        if found is not None:
            return make(found)
    return None


_TENS_OF = {
    "twenties": 20, "thirties": 30, "forties": 40, "fourties": 40, "fifties": 50,
    "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
_DECADE_WORD = re.compile(r"\b(" + "|".join(_TENS_OF) + r")\b")


def _decade(found: re.Match[str]) -> tuple[float, float]:
    start = float(found.group("tens")) * 10
    part = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(found.group("part") or "", (0, 9))
    return start + part[0], start + part[1]


def _ends(found: re.Match[str]) -> tuple[float, float] | None:
    low, high = float(found.group(1)), float(found.group(2))
    return (low, high) if low <= high else None


def _first(found: re.Match[str]) -> float:
    return float(next(group for group in found.groups() if group is not None))


_N = r"(\d{1,3}(?:\.\d+)?)"
_AGE = r"(?:\s*(?:years?(?: old)?|yrs?|y/?o))?"
# The words of a note beside an age that say who, never when or how near.
_WHO = (
    r"retired|student|adult|male|female|man|woman|m|f|he|him|she|her|they|them"
    r"|years?|yrs?|old|y\.?\s*o\.?"
)
_SPANS: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[float, float] | None]], ...
] = (
    (re.compile(rf"(?:age[ds]?\s*)?{_N}\s*(?:-|–|—|to)\s*{_N}{_AGE}"), _ends),
    (
        re.compile(
            rf"(?:(?:over|above|at least|>=?|≥|min\.?|minimum)\s*{_N}{_AGE}|{_N}{_AGE}\s*"
            r"(?:\+|or (?:over|older|more|above)|and (?:over|older|up|above)|plus))"
        ),
        lambda found: (_first(found), math.inf),
    ),
    (
        re.compile(rf"(?:under|below|less than|younger than|<=?|≤)\s*{_N}{_AGE}"),
        lambda found: (-math.inf, _first(found)),
    ),
    (
        re.compile(
            rf"(?:(?:about|around|approx(?:\.|imately)?|ca\.?|circa|c\.|roughly|~)\s*{_N}{_AGE}"
            rf"|{_N}{_AGE}\s*(?:-?ish|\((?:approx(?:\.|imately)?|ish)\)|approx(?:\.|imately)?))"
        ),
        lambda found: (_first(found) - 2, _first(found) + 2),
    ),
    (
        re.compile(
            r"(?:in (?:my|his|her|their) |the )?(?:(?P<part>early|mid|late)[ -]?)?(?P<tens>\d)0'?s"
        ),
        _decade,
    ),
    (
        # "70 (retired)", "70 (F)", "70 y.o.": the number, with a note that says who,
        # never when or how near (check 44). Only those words: a note of any other
        # ("64 (unknown)", "60 (seventy)", "64 (last year)") is no number, and the
        # screen reads the age both as its number and as not sure (normalize_answers;
        # a list of doubts let "64 (unknown)" through as 64: check 46, H1). "72 (at
        # least)" is 72 or over (the next pattern).
        re.compile(
            rf"{_N}{_AGE}\s*(?:y\.\s*o\.|yrs?\.? old)?\.?\s*"
            rf"(?:\(\s*(?:{_WHO})(?:\s*[\s,;/]\s*(?:{_WHO}))*\s*[.!]?\s*\))?"
        ),
        lambda found: (_first(found), _first(found)),
    ),
    (
        re.compile(rf"{_N}{_AGE}\s*\((?:at least|or more|or older|plus|\+)\)"),
        lambda found: (_first(found), math.inf),
    ),
)


def _leading_number(question: Question, value: JsonValue) -> float | None:
    """The number a safety number's unreadable text opens with ("70 (ex-smoker)",
    "64 (unknown)", "60-70"), when the question takes it; else None."""
    if question.type is not QuestionType.NUMBER or not isinstance(value, str):
        return None
    # The number opens the text: its first 80 characters, spaces collapsed, are read (a
    # long note refused the reading, and padding did too: check 48, H4), as are
    # characters that draw nothing and runs of one mark ("Age:" and 400 spaces, zero-width
    # spaces, dot leaders hid "70 (x)": check 50, F6).
    value = drawn(value[:_MAX_PADDED])
    value = _MARK_RUN.sub(r"\1", " ".join(value.split()))[:80]
    whole = _nearest_in_range(question, value)  # "1e308" is one number, not a 1
    if whole is not None:
        return whole
    # The first number written in digits anywhere ("age 70 (x)", "prob 70", "(x) 70",
    # "0070 (x)"), else the text before a note in words ("Seventy (retired)",
    # "sixty-five (x)"): read as not sure alone, each was one level lower than the
    # same age written plainly (check 47, N4).
    span = number_span(value)
    found = _A_NUMBER.search(value)
    if span is not None and not math.isfinite(span[0]):
        number: float | None = None  # "under 70": never a bound it excludes
    elif found is not None:
        # The first number written ("66ish" is 66, "60-70" 60): the "not sure" half of
        # the reading covers the rest (read as the span's lowest, 64, a fracture-risk
        # sign at 66 was clinician: check 48, H11).
        number = float(found.group(1))
    else:
        head = _NOTE_AFTER.split(value.strip(), maxsplit=1)[0].strip()
        number = typed_number(question, head) if head else None
        if number is None:
            # A number in words anywhere ("I am seventy", "aged seventy (x)", "about
            # seventy-two"), as digits are found anywhere: read "not sure" alone, each
            # was one level lower than "aged 70 (x)" (check 48, H5).
            number = _number_in_words_within(value)
    return None if number is None else _nearest_in_range(question, number)


def _nearest_in_range(question: Question, value: JsonValue) -> float | None:
    """The age in range a safety number out of range stands for: 101 (or 1e308, or
    Infinity) is past every age a flag tells apart, so the highest; -70 is 70 with a
    dash before it. Read "not sure" alone, an age of 101 referred one level lower
    than 100 (check 51, F1)."""
    value = unboxed_answer(value)  # {"value": 101}, [101]
    if isinstance(value, str):
        try:  # "1e308", as a sheet writes a number too long for its cell
            value = float(value.strip())
        except ValueError:
            return None
    if (
        question.type is not QuestionType.NUMBER
        or not isinstance(value, int | float)
        or isinstance(value, bool)
        or value != value  # NaN stands for no age
    ):
        return None
    low = question.minimum if question.minimum is not None else -math.inf
    high = question.maximum if question.maximum is not None else math.inf
    if value < 0 and low <= -value <= high:
        return float(-value)
    return float(min(max(value, low), high))


_MAX_PADDED = 4096  # an age's text with its padding; past that, no number is looked for
_MARK_RUN = re.compile(r"([^\w\s]|_)\1+")
_A_NUMBER = re.compile(r"(?<![\d.])0*(\d{1,3}(?:\.\d+)?)(?![\d.])")
_NOTE_AFTER = re.compile(r"[(\[,;:?!]")


def typed_number(question: Question, text: str) -> float | None:
    """The number the questionnaire reads in ``text`` typed at its prompt ("70!",
    "７０", "7e1", "seventy", a word of the question's scale), or None: a record says
    what a person typed as often as a number, and read two ways an age dropped a
    fracture-risk sign from urgent to clinician (attack round 10, M3)."""
    from .replies import parse_reply  # replies reads answers through this module

    if len(text) > 40:
        return None
    reply = parse_reply(question, text)
    value = reply.value
    if reply.kind != "answer" or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def read_as(rb: RuleBase, key: object, raw: Mapping[str, object]) -> str | None:
    """The question an unknown key is read as when it differs from the id only in
    case, spaces or '-' (see fold_key); None when the exact key is also there. Batch,
    the API and a resumed questionnaire all read keys through this."""
    if not isinstance(key, str) or len(key) > MAX_READ_KEY:
        return None
    meant = question_named(rb, key)
    return meant if meant is not None and meant not in raw else None


def _spellings_read_together(
    rb: RuleBase, raw: RawAnswers, problems: list[AnswerProblem]
) -> RawAnswers:
    """The answers with two or more keys that are read as the same question (a form's
    "safety/saddle_numbness" and "today/saddle_numbness", "Age" and "Age (years)"),
    none of them the question's own id, given as one: the careful reading of their
    values (careful_answer: a yes never undone, the higher age). The first read
    alone, a later yes was dropped and a later age of 72 lost to one of 25 (check 26,
    H1). The common record, every key a question's id, is returned as it is."""
    if all(key in rb.questions for key in raw):
        return raw
    spellings: dict[str, list[str]] = {}
    for key in list(raw)[:MAX_READ_KEYS]:
        if key in rb.questions or not isinstance(key, str) or len(key) > MAX_READ_KEY:
            continue
        meant = question_named(rb, key)
        if meant is None:
            continue
        if meant not in raw:
            spellings.setdefault(meant, []).append(key)
        elif _numbers_alike(rb, meant, [raw[meant], raw[key]]):
            # A number under its own id and under another spelling ('age_years': 72
            # and 'AGE_YEARS': 75) that no test tells apart is one reading. Left
            # unknown, the result hung on the keys' order (check 32, A-H2).
            spellings.setdefault(meant, [meant]).append(key)
    together = {meant: keys for meant, keys in spellings.items() if len(keys) > 1}
    if not together:
        return raw
    joined: dict[str, JsonValue] = dict(raw)
    for meant, keys in together.items():
        values = [raw[key] for key in keys]
        careful = _read_boxed(rb.questions[meant], [unboxed_answer(v) for v in values])
        joined[keys[0]] = careful if careful is not None else values[0]
        for key in keys[1:]:
            del joined[key]
        problems.append(
            AnswerProblem(
                key=keys[0],
                message=f"{', '.join(keys)}: each read as '{meant}'; the careful reading of "
                f"their answers is kept ({show_value(joined[keys[0]])})",
                value=show_value(values),
                expected=f"one answer, under '{meant}'",
            )
        )
    return joined


def _numbers_alike(rb: RuleBase, qid: str, values: list[JsonValue]) -> bool:
    """Whether the values are numbers for a number question (or text that is plainly
    one, "75") that every test of the rule base reads alike (knowledge.thresholds)."""
    if rb.questions[qid].type is not QuestionType.NUMBER:
        return False
    from ..knowledge.thresholds import read_alike  # only for a number given twice

    numbers = [plain_number(value) for value in values]
    if any(number is None for number in numbers):
        return False
    return read_alike(rb, qid, [float(n) for n in numbers if n is not None])


def plain_number(value: JsonValue) -> int | float | None:
    """A JSON number, or text that is plainly one ("75", "70 years"), else None."""
    number = number_in_text(value) if isinstance(value, str) else value
    return number if is_number(number) else None


# How many keys of one record are looked at for two spellings of one question.
MAX_READ_KEYS = 1000


def _why_read_as(rb: RuleBase, key: str) -> str:
    """Why a key was read as a question's (see read_as), for its warning."""
    folded = fold_key(key)
    meant = rb.index.folded_ids.get(folded)
    if meant is not None and folded in (fold_key(meant), fold_key(meant).replace("_", "")):
        return "the key differs in case, spacing or look-alike letters"
    if meant is not None:
        # A sign's wording or a flag's title: said so, not "differs in case" (a new
        # user's P8).
        return "the key is the question's own words, as the questionnaire or a result shows them"
    return "the key holds the question's id or its words, among what a form or an export adds"


def unlisted(key: str, count: int, what: str) -> AnswerProblem:
    """The one problem that stands for ``count`` more of the same kind, not listed."""
    return AnswerProblem(
        key=key,
        message=f"and {count} more {what} (only the first {MAX_UNKNOWN_LISTED} are listed)",
    )


def read_answers(rb: RuleBase, raw: RawAnswers, *, strict: bool = False) -> ReadAnswers:
    """A record's raw answers read once, for the reasoning: normalised, with their
    problems and what the safety screen must know of the raw form (see ReadAnswers).
    Unknown keys warn, or are errors when ``strict``."""
    raw, said_shortly = short_names_said_yes(rb, raw)
    answers, errors, warnings = normalize_answers(rb, raw, strict=strict)
    (errors if strict else warnings)[:0] = said_shortly
    # Unknown keys are among the warnings (the errors when strict): one may be a safety
    # question misspelt, and a warning sign behind it refers even in a strict run.
    doubted = safety_doubted_by(rb, raw) if warnings or errors else {}
    unsure = unsure_answered_by(rb, raw)
    # where a "not sure" came from: another spelling of the id before a note or
    # column, and nothing when the question's own key said it
    sources = {**{q: k for q, k in doubted.items() if q not in unsure}, **unsure}
    read_from = {
        qid: ReadFrom(key, said_text(raw[key], READ_FROM_SHOWN))
        for qid, key in sources.items()
        if key != qid
    }
    return ReadAnswers(
        answers, tuple(errors), tuple(warnings), frozenset(unsure), frozenset(doubted), read_from
    )


# How much of a note a flag shows where it was read from: a sentence or two.
READ_FROM_SHOWN = 200


def short_names_said_yes(rb: RuleBase, raw: RawAnswers) -> tuple[RawAnswers, list[AnswerProblem]]:
    """The answers with a yes under a short name of one safety sign ("Saddle
    anaesthesia": "yes", "Pulsating belly?": "Yes", index.short_named) given under
    the sign's id, where nothing else in the record answers that sign; with a warning
    for each. Read as "not sure", a plain yes to an emergency sign was referred one
    level lower, as urgent (check 43, H5). Only a yes: a short name is broader than
    its question ("bladder" for any bladder or bowel change), so a no under it clears
    nothing, and beside the sign's own answer it stays a doubt (misspelt_safety).
    Batch, the API and the interview all read a record through this."""
    if all(key in rb.questions for key in raw):
        return raw, []
    renamed: dict[str, str] = {}  # key -> the sign it is read as
    answered: frozenset[str] | None = None
    for key in list(raw)[:MAX_READ_KEYS]:
        if not isinstance(key, str) or key in rb.questions:
            continue
        qid = short_named(rb, key)
        if qid is None or question_named(rb, key) is not None or qid in renamed.values():
            continue
        folded = fold_key(key)
        if asks_if_normal(folded) or names_a_function(folded):
            # "Bladder (normal?)": "yes" finds nothing; "Sexual function": "yes" may say
            # it works: a doubt (_doubted_by). "Fever (above normal)" is the sign.
            continue
        value = raw[key]
        if rb.questions[qid].type is QuestionType.NUMBER:
            # "Current age": 70, "age_yrs": "70": a number is the number (read "not
            # sure", a fracture-risk sign was clinician, not urgent: check 46, H6).
            # (and "70 (x)", "seventy-year-old", [101]: read as the age is, both ways,
            # where read as not sure alone they were one level lower: check 52, H8)
            question = rb.questions[qid]
            if not (
                is_number(unboxed_answer(value))
                or (
                    isinstance(value, str)
                    and (
                        number_in_text(value)
                        or _leading_number(question, value) is not None
                        # "in my seventies", "70s": a span, read as the age's own key
                        # reads it (read "not sure", clinician where urgent: check 55 N8)
                        or number_span(value) is not None
                    )
                )
            ):
                continue
        elif not written_yes(value):
            continue
        if answered is None:  # once, and only when a short name says yes
            answered = _answered_anyhow(rb, raw)
        if qid not in answered:
            renamed[key] = qid
    if not renamed:
        return raw, []
    read = {renamed.get(key, key) if isinstance(key, str) else key: v for key, v in raw.items()}
    said = [
        AnswerProblem(
            key=key,
            message=f"{key}: read as '{qid}' ("
            + (
                "a short name of the question, answered with a number)"
                if rb.questions[qid].type is QuestionType.NUMBER
                else "a short name of the sign, answered yes; a no under a short name "
                "clears nothing)"
            ),
            value=show_value(raw[key]),
            expected=f"the sign's own key: '{qid}'",
        )
        for key, qid in renamed.items()
    ]
    return read, said


def unsure_answers(rb: RuleBase, raw: RawAnswers) -> frozenset[str]:
    """Safety questions answered "not sure" in any of its forms (which normalize to
    unknown), under their own key or one that folds to it (see index.fold_key)."""
    return frozenset(unsure_answered_by(rb, raw))


def unsure_answered_by(rb: RuleBase, raw: RawAnswers) -> dict[str, str]:
    """unsure_answers, each with the first key it was read from."""
    safety = rb.safety_questions()
    found: dict[str, str] = {}
    for key, value in raw.items():
        if (value.__class__ is bool or value == "no" or value == "yes") and key in rb.questions:
            continue  # the common, plain answer: neither unsure nor a second spelling
        if not isinstance(key, str):
            continue
        qid = question_named(rb, key)
        if qid not in safety:
            continue
        # null is "not sure" on the screen (never a missing answer that could pass for
        # a screened one): a saved session and its record replay the same way.
        # A coach's choice question read by a flag too: null left `grip != normal`
        # unraised, an unscreened result with advice (check 37, A-H1).
        if unboxed_answer(value) is None or (
            is_unsure(value)
            and rb.questions[qid].type in (QuestionType.YES_NO, QuestionType.NUMBER)
        ):
            if _left_blank(value) and _not_asked(rb, raw, qid):
                continue
            found.setdefault(qid, key)
        elif (
            qid != key
            and qid in raw
            and _read(rb, qid, value) != _read(rb, qid, raw[qid])
            and not _numbers_alike(rb, qid, [raw[qid], value])  # joined: one reading
        ):
            # The same question twice ('saddle_numbness' and 'Saddle_Numbness') with
            # different answers: nobody can tell which holds, so it is not sure.
            found.setdefault(qid, key)
    return found


def never_asked(rb: RuleBase, raw: RawAnswers, qid: str, value: JsonValue) -> bool:
    """Whether ``value`` for ``qid`` is a follow-up left blank or null after the question
    it follows was answered a plain no: never asked, it says nothing (see _not_asked).
    The interview reads it so too: read "not sure" there, a saved session referred
    what its record did not (check 45, point 1)."""
    question = rb.questions.get(qid)
    return (
        question is not None
        and question.follow_up_of is not None
        and _left_blank(value)
        and _not_asked(rb, raw, qid)
    )


def _left_blank(value: JsonValue) -> bool:
    """A null or an empty cell: nothing written, not a "not sure" said."""
    value = unboxed_answer(value)
    return value is None or (isinstance(value, str) and not value.strip())


def _not_asked(rb: RuleBase, raw: RawAnswers, qid: str) -> bool:
    """Whether a follow-up question was never asked: the question it follows was
    answered a plain no ("chest pain at rest?" after no chest pain). A form leaves
    it blank, pandas writes null: read "not sure", every clear client was referred
    to a doctor today (check 25, check 27 M1)."""
    parent = rb.questions[qid].follow_up_of
    if parent is None:
        return False
    given = [raw[parent]] if parent in raw else []
    if not given:
        given = [value for key, value in raw.items() if question_named(rb, key) == parent]
    return bool(given) and all(written_no(value) for value in given)


def misspelt_safety(rb: RuleBase, raw: RawAnswers) -> frozenset[str]:
    """Unanswered safety questions that an unknown key is very likely a misspelling of
    ('saddle_numbnes'), when its answer is not a plain "no": the screen reads them as
    unsure. The key stays an unknown-key warning (the contract's rule), but a "yes" to
    a warning sign behind a typo is never taken for a clear screen."""
    return frozenset(safety_doubted_by(rb, raw))


def safety_doubted_by(rb: RuleBase, raw: RawAnswers) -> dict[str, str]:
    """misspelt_safety's signs, each with the first key of ``raw`` that doubts it, so
    a flag can say which note or column it was read from (the flag's ``because``)."""
    doubted_by: dict[str, str] = {}
    looked = _KeysLooked(max((len(q) for q in rb.index.screen_questions), default=0))
    for key, value in raw.items():
        if not isinstance(key, str) or key in rb.questions:
            continue
        new = _doubts_of_key(rb, raw, key, value, looked)
        for qid in new.difference(doubted_by):
            doubted_by[qid] = key
    return doubted_by


@dataclass(repr=False)
class _KeysLooked(FieldsRepr):
    """What safety_doubted_by carries from one unknown key to the next: the bounds on
    its work and what it worked out once for the whole record."""

    longest: int  # the longest screen question id: a key past twice it is no typo of one
    checked: int = 0  # keys looked up as typos (difflib for the first ones only)
    ticks: int = 0  # items of screens' replies looked up as misspelt signs
    answered: frozenset[str] | None = None  # worked out once, at the first key that needs it


def _doubts_of_key(
    rb: RuleBase, raw: RawAnswers, key: str, value: JsonValue, looked: _KeysLooked
) -> set[str]:
    """The safety questions one unknown key and its answer make "not sure"."""
    found: set[str] = set()
    if question_named(rb, key) is not None:
        return found  # read as that question already (normalize_answers)
    # A key past twice the longest id is no typo of one, but it may name several
    # ("saddle numbness, bladder bowel change and sexual function change": its yes
    # was dropped, "ok", while the warning said it was read: a new user's B).
    typo_length = len(key) <= 2 * looked.longest
    together = safety_named_in_short(rb, key)
    # Words that mention a sign without naming it ("Trouble peeing?": "yes"): a
    # doubt, never a clear no; in a free-text answer under any other key too
    # ("Anything else?": "tripping a lot lately"). Dropped, a ticked sign's
    # "yes" beside its own "no" was "ok" with advice (check 55, R2 to R4).
    # (not under a misspelt id, "brogressive_leg_weakness2": read as that id below)
    related = _related_doubted(rb, raw, together, key, value) if together.related else set()
    if not is_screen_key(key):
        found |= _mentioned_in_text(rb, raw, key, value)
    if together.denied:
        # "No fever?": a no (or anything but a yes) doubts what the key denies
        found |= _denial_doubted(raw, together.denied, value)
    if ((isinstance(value, str) and says_no(value)) or value is False) and (
        not together or (together.asks_if_present and not together.mentions_normal)
    ):
        # "Any fever?": "no" finds nothing; a misspelt id's no ("sadle_numbness")
        # leaves the sign unanswered, as its own missing answer would (and is no
        # denial: "never_or_unwell": "no")
        if related and not (
            typo_length and _near_safety_id(rb.index.screen_questions, fold_key(key))
        ):
            found |= related
        return found
    if together.whole or not typo_length:
        # Names read whole come before a typo: "saddle_numbness - leg_pain_below_knee"
        # was read as a typo of one sign beside its own "no", and "ok" (check 42, H1).
        found |= _doubted_by(rb, raw, together, key, value)
        found |= related
        return found
    looked.checked += typo_length
    # Bounded work per record: difflib for the first keys, then a lookup that finds
    # a typo of one or two edits in microseconds (every key of a 1 MiB body in a
    # third of a second). Past 20 keys a misspelt "yes" beside its question's "no"
    # was not looked at, and dropped: "ok" (attack round 11, M1).
    close = (
        None
        if not typo_length
        else misspelt_safety_id(rb, key)
        if looked.checked <= MAX_UNKNOWN_LISTED
        else _near_safety_id(rb.index.screen_questions, fold_key(key))
    )
    if close is None and together:
        found |= _doubted_by(rb, raw, together, key, value)
        found |= related
        return found
    if close is None:
        # A yes under a key that holds a safety id whole among other words
        # ('safety_saddle_numbness', 'saddle_numbness_today'), or under a screen's
        # pseudo-id ('screen:nerve_signs'), with the question itself unanswered:
        # dropped, the result was "unscreened" with exercise advice beside a typed
        # yes (check 32, A-M1). Only a yes or a "not sure": a notes column beside
        # its question ('saddle_numbness_details') changes nothing.
        # "not sure" there opens the screen; its question as the key is its key too
        # (an unread reply there was lost: unscreened, with advice; check 44, N4)
        screen_key = is_screen_key(key) or screen_of_key(rb, key) is not None
        if screen_key and screen_named(rb, key) is not None:
            # A sign ticked with a typo in a screen's list ("saddle_numbnes"), beside
            # its own "no": nobody can tell which holds, so it is not sure. Dropped,
            # the record was "ok" with advice (check 41, M2).
            ticked, looked.ticks = _misspelt_ticks(rb, raw, value, looked.ticks)
            found |= ticked
        if screen_key and _unread_reply(value):
            found |= _labels_named(rb, raw, value, screen_of_key(rb, key))
        if (
            written_yes(value)
            or (is_unsure(value) and not screen_key)
            or (screen_key and _unread_reply(value))
            or (screen_key and isinstance(value, dict) and _unread_object(rb, value))
        ):
            inside = [q for q in _safety_ids_inside(rb, key) if q not in raw]
            if inside:
                # Answered under a spelling the tool reads ('Saddle numbness': "no"
                # beside 'Saddle numbness - asked': "Yes") is answered: a side
                # column never doubts it (check 33, A-M1).
                if looked.answered is None:  # once: an empty set is worked out too
                    looked.answered = _answered_anyhow(rb, raw)
                found |= set(inside) - looked.answered
        found |= related
        return found
    # Unanswered under its own id, or answered otherwise there ("no" beside a
    # misspelt "yes"): nobody can tell which holds, so the screen is not sure.
    if close not in raw or _read(rb, close, value) != _read(rb, close, raw[close]):
        found.add(close)
    return found


def _mentions_said(
    rb: RuleBase, key: str, value: JsonValue, together: NamedInShort | tuple[()]
) -> str:
    """What a warning says of the signs a key or its text mentions by related words,
    or "" (see _related_doubted and _mentioned_in_text)."""
    related = together.related if isinstance(together, NamedInShort) else ()
    in_text = _mentioned_in_text(rb, {}, key, value) if not is_screen_key(key) else set()
    signs = [*related, *(q for q in sorted(in_text) if q not in related)]
    if not signs:
        return ""
    named = " and ".join(f"'{q}'" for q in signs)
    where = "its words mention" if related else "its text mentions"
    return (
        f"{where} {named}: unless its answer is a plain no, the screen reads "
        f"{'it' if len(signs) == 1 else 'them'} as not sure; answer each under its own id"
    )


def _own_item(screen: Screen, said: list[str]) -> str | None:
    """The item of ``screen`` whose label or id ``said`` (words_in) is."""
    for qid, label in screen.items:
        if said in (related_words_in(label), related_words_in(qid.replace("_", " "))):
            return qid
    return None


def _related_doubted(
    rb: RuleBase, raw: RawAnswers, together: NamedInShort, key: str, value: JsonValue
) -> set[str]:
    """The signs a key mentions by related words (NamedInShort.related) that its
    answer doubts: anything but a blank, "n/a", a plain no (a 0 too), "normal", or a
    yes under a key that only asks whether things are fine ("Peeing normal?", never
    "Tripping more than usual?"). Under a word that may negate ("No falls?", "I
    don't have feeling in my groin") a no is no clear no either. A sign whose own
    answer is a yes stays a yes."""
    if not together.related or said_nothing(value):
        return set()
    fine = _asks_if_fine(key)
    if fine and together.related_negated:
        pass  # "Not getting any better?", "No improvement?": no answer is clear
    elif fine:
        # "Peeing normal?", "Can you stand on your heels?", "Getting better?": a yes
        # says nothing was found, and a no that it was (check 57, H3)
        if _yes_it_is(value) or _reads_normal(value):
            return set()
    elif together.related_denied and written_yes(value):
        return set()  # "No falls?": "yes", "Accident free": "yes"
    elif not together.related_negated and (
        written_no(value) or value == 0 or _never(value) or _reads_normal(value)
    ):
        return set()
    signs = together.related
    if isinstance(value, str):
        # the answer's words may rule a pattern out ("Weight loss": "trying to lose
        # weight", "Fall": "autumn")
        with_value = related_mentioned(
            rb.index.related, related_words_in(key) + related_words_in(value)
        )
        signs = tuple(q for q in signs if q in with_value)
    return {q for q in signs if not written_yes(raw.get(q))}


_NEVER_WORDS = frozenset({"never", "no", "none", "nope", "nil", "nothing", "ever", "had", "any"})


def _never(value: JsonValue) -> bool:
    """A no in a few words ("never", "never had", "none ever"); "not really" is not."""
    if not isinstance(value, str):
        return False
    said = related_words_in(value)
    return bool(said) and len(said) <= 4 and set(said) <= _NEVER_WORDS


# A key that asks whether something is fine, whether one can, or whether it got
# better ("Peeing normal?", "Able to pee normally?", "Can you stand on your
# heels?", "Getting better?", "Weight stable?"), and words that make it ask
# something else ("more than usual", "less than normal").
_FINE_WORDS = frozenset(
    {"normal", "normally", "ok", "okay", "fine", "alright", "working", "well", "able"}
    | {"better", "improving", "improved", "improvement", "easing", "eases", "ease"}
    | {"settled", "settling", "resolved", "stable", "steady", "strong", "healthy", "clear"}
    | {"gradual", "gradually", "slowly", "same"}
)
_COMPARING = frozenset({"than", "more", "less", "worse", "unusual", "abnormal"})
_CAN = frozenset({"can", "could"})
_SLEEP = frozenset({"sleep", "sleeping", "sleeps", "slept"})
# ... but "Can you feel a pulse in your belly?" asks for a symptom, not an ability
_SYMPTOMS = frozenset(
    {"pulse", "pulsing", "throbbing", "pain", "lump", "numbness", "tingling", "pins", "ache"}
)


def _asks_if_fine(key: str) -> bool:
    said = related_words_in(key)
    fine = not _FINE_WORDS.isdisjoint(said) or ("through" in said and not _SLEEP.isdisjoint(said))
    # ("Can you stand on your heels?" asks an ability; "Can you feel a pulse in your
    # belly?" a symptom: check 59)
    can = bool(said[:1]) and said[0] in _CAN and _SYMPTOMS.isdisjoint(said)
    if can or fine:
        return _COMPARING.isdisjoint(said)
    return False


def said_nothing(value: JsonValue) -> bool:
    """A blank, an empty list or "n/a": nothing said."""
    return (
        _left_blank(value)
        or value == []
        or (isinstance(value, str) and value.strip().lower() in _NOT_APPLICABLE)
    )


# Words of a key that says its values were ruled out ("symptoms_denied",
# "ruled_out", "Not present", "negatives"): what they name is no one's sign.
_RULED_OUT = frozenset({"denied", "denies", "ruled", "excluded", "negatives", "negative"})
_RULED_OUT |= {"absent", "none"}
MAX_TEXT_READ = 1 << 16  # of a note: its first and last 32 KB past this
MAX_TEXTS_READ = 1 << 18  # of a list of notes, in all
MAX_CLAUSES_NAMED = 2_000  # clauses of one answer read for signs' names (bounded work)


def _texts_of(value: JsonValue) -> Iterator[str]:
    """The texts of an answer, a list's too, within MAX_TEXTS_READ characters in all;
    a note past MAX_TEXT_READ as its first and last halves of that."""
    budget = MAX_TEXTS_READ
    for item in value if isinstance(value, list) else [value]:
        if budget <= 0:
            return
        if isinstance(item, str):
            if len(item) > MAX_TEXT_READ:
                half = MAX_TEXT_READ // 2
                item = item[:half] + "\n" + item[-half:]
            budget -= len(item)
            yield item


def _mentioned_in_text(rb: RuleBase, raw: RawAnswers, key: str, value: JsonValue) -> set[str]:
    """The signs a free-text answer names or mentions ("Anything else?": "numb groin
    since Monday", "I keep tripping over my left foot"), clause by clause: each not
    sure, unless its own answer is a yes. A clause that opens with a denial ("no
    fever", "nothing new") denies what it names, unless it says "but" ("no numbness
    except when I sit"); a clause about a relative ("mum drove me in") names no one's
    sign, and no other clause loses by it. The key's words may rule a pattern out
    ("Goal": "lose weight"), or the whole answer ("symptoms_denied": ["Saddle
    numbness"])."""
    key_words = related_words_in(key)
    if (key_words and key_words[0] in RELATED_NEGATIONS) or not _RULED_OUT.isdisjoint(key_words):
        return set()
    if isinstance(value, str) and len(value) <= MAX_READ_KEY:
        # A batch's notes repeat ("Notes 1" .. "Notes 9000" with one text): read once
        # per text and key words (numbers aside)
        memo = rb.index.note_mentions
        index = (value, tuple(word for word in key_words if not word.isdigit()))
        said = memo.get(index)
        if said is None:
            if len(memo) >= _MAX_NOTES_KEPT:
                memo.clear()
            said = memo[index] = frozenset(_said_in_notes(rb, key_words, value))
        return {q for q in said if not written_yes(raw.get(q))}
    return {q for q in _said_in_notes(rb, key_words, value) if not written_yes(raw.get(q))}


_MAX_NOTES_KEPT = 20_000  # notes of at most MAX_READ_KEY letters: a few MB at most


def _said_in_notes(rb: RuleBase, key_words: list[str], value: JsonValue) -> set[str]:
    """The signs the notes of an answer name or mention (see _mentioned_in_text)."""
    # A key about aims ("Main goal": "weight loss") names no sign in its answers;
    # a related word still may ("Goals": "get back to squatting, stop tripping").
    names_read = _AIMS.isdisjoint(key_words)
    said_so: set[str] = set()
    named_budget = MAX_CLAUSES_NAMED
    for text in _texts_of(value):
        if said_nothing(text) or written_yes(text) or written_no(text) or is_unsure(text):
            continue
        if text.lstrip()[:1] in ("{", "[", "<"):
            continue  # a form tool's structure or markup as text ("FieldStructure"), no note
        found_in = related_clauses(text)
        # the key's words may rule a pattern out in every clause ("Goal": "lose
        # weight"), a note's words in their own clause only: read from the whole note,
        # "never happened before" or "not from the seat" switched a sign off in
        # another clause (attack round 60)
        # (a short key's words only: "Protein powder", "Leg press numbers", a column's
        # name; a form's long question is no topic: "Anything else I should know
        # before Monday's session?" ruled night pain out of every answer: round 62)
        by_key = (
            ruled_out_by(rb.index.related, key_words)
            if len(key_words) <= _TOPIC_WORDS
            else frozenset()
        )
        # ... but a short note is one thought: its words rule out in every clause
        # ("on a cut, lost 5kg in 8 weeks"; "drinking loads of water, peeing all the
        # time"), as they do when it is read whole (_read_whole)
        every_word = [word for clause in found_in for word in clause.words]
        if len(every_word) + len(key_words) <= _WHOLE_WORDS:
            by_key = by_key | ruled_out_by(rb.index.related, every_word)
        for words, denies in found_in:
            if about_someone_else(words, in_a_note=True):
                continue  # "mum had cancer": named or not, no one's sign here
            if _says_fine(words):
                continue  # "weight has been stable for a year", "walking is fine"
            # (read_mentions adds the clause's own "!" words to the key's and note's)
            mentions, ruled_out = read_mentions(
                rb.index.related, words, in_a_note=True, around=by_key
            )
            found = set(mentions)
            if names_read and named_budget > 0:
                named_budget -= 1
                found |= _named_in_clause(rb, words) - ruled_out
            if found and not denies:
                said_so |= found
        said_so |= _read_whole(rb, key_words, found_in, by_key, text)
    # (a sign denied in one clause and said in another is said: "no fever. fever now")
    return said_so


# A short answer is also read whole, with its key's words: a pattern split over its
# clauses or between a key and its answer ("sciatica, first left, now right";
# "Weight": "dropping, not trying"; "Any numbness?": "No, except around my groin")
# was missed clause by clause (attack round 60).
_WHOLE_WORDS = 24


def _turns(text: str) -> bool:
    """Whether a text says "but" or the like (the clauses drop it: they part at it)."""
    return not RELATED_BUT.isdisjoint(related_words_in(text[:_TURNS_READ]))


_TURNS_READ = 400  # a short note's letters, and some


def _read_whole(
    rb: RuleBase,
    key_words: list[str],
    found_in: list[RelatedClause],
    by_key: frozenset[int],
    text: str,
) -> set[str]:
    # the key lends its words of substance only: "What's been going on?" lent "going
    # on" to a note's "for 3x10", and a gym note was weeks of no improvement (round 62)
    lent = [word for word in key_words if word not in _LITTLE_WORDS]
    words = [*lent, *(word for clause in found_in for word in clause.words)]
    if len(words) > _WHOLE_WORDS or not found_in:
        return set()
    if _asks_if_fine(" ".join(key_words)):
        return set()  # "Sleeping through the night?": "yes, mostly" finds nothing
    # ("busting for a wee but nothing comes out": the "but" turns the denial around)
    turned = _turns(text)
    for clause in found_in:
        if (clause.denies and not turned) or about_someone_else(clause.words, in_a_note=True):
            return set()
        if _says_fine(clause.words):
            return set()
    whole = read_mentions(rb.index.related, words, in_a_note=True, around=by_key)[0]
    # what the key mentions alone is its own reading's ("Sexual function":
    # "unchanged" says it works: _related_doubted); only what the answer adds counts
    by_itself = read_mentions(rb.index.related, key_words)[0] if key_words else ()
    return set(whole).difference(by_itself)


_TOPIC_WORDS = 4  # a key of at most this many words names a topic its answers are about
_AIMS = frozenset({"goal", "goals", "target", "targets", "aim", "aims", "want", "wants"})
_AIMS |= {"wish", "hope", "hoping", "motivation", "reason", "reasons", "why"}


def _says_fine(words: list[str]) -> bool:
    """Whether a note's clause says something is fine, and nothing more: a word of
    it being fine, none that turns it around or compares ("not getting better",
    "worse than normal")."""
    # "ok so my groin has gone numb": an "ok" that opens a clause says nothing is fine
    # ("fine now" is fine: an opener opens only a longer clause)
    said = words[1:] if len(words) >= _OPENED and words[0] in _OPENERS else words
    if "well" in said:  # "in the right leg as well" says nothing is fine
        said = [w for at, w in enumerate(said) if not (w == "well" and said[at - 1 : at] == ["as"])]
    # "better than last week" is good news; "worse than normal" is not
    comparing = _COMPARING - {"than"} if "better" in words else _COMPARING
    return (
        not _FINE_IN_NOTES.isdisjoint(said)
        and RELATED_NEGATIONS.isdisjoint(words)
        and comparing.isdisjoint(words)
        and RELATED_BUT.isdisjoint(words)  # "all fine apart from the numb bum"
        and "otherwise" not in words  # "groin numb, otherwise fine"
    )


_OPENERS = frozenset({"ok", "okay", "well", "alright", "right", "so"})
_OPENED = 4  # words of a clause an opener may open
# "10 weeks and it's exactly the same" is no fine clause: the sign itself; nor is
# "eases": chest pain that eases with rest, stiffness that eases as you move, are signs
# (round 62); "good" and "great" are ("sleep's been good")
_FINE_IN_NOTES = (_FINE_WORDS - {"same", "ease", "eases", "easing"}) | {"good", "great"}


def _named_in_clause(rb: RuleBase, words: list[str]) -> set[str]:
    """The signs a clause names as a key would (a short name, an id, a wording):
    never one it only asks about as normal ("bladder normal")."""
    if not words or len(words) > _MAX_CLAUSE_WORDS:
        return set()
    together = safety_named_in_short(rb, " ".join(words))
    if together.asks_if_normal or (together.mentions_normal and not together.whole):
        return set()
    if _SYMPTOM_WORDS.isdisjoint(words):
        # A note shares words with a question's text without saying a symptom: "On
        # the way down" ("a knee that gives way", "a foot that slaps down"; a new
        # user, check 60), "Feel a stretch in my groin on a wide stance" (the saddle
        # question's "feeling" and "groin": urgent, round 63). Only a name read whole
        # names a sign there; the related words read the rest.
        return set(together.whole) | set(together.denied)
    return set(together.every) | set(together.denied)


# Words that say a symptom or a loss: with none, a note's clause names a sign only by
# a name read whole ("saddle numbness", "sciatica")
_SYMPTOM_WORDS = frozenset(
    "numb numbness numbed tingling tingly tingle pins needles weak weakness weaker "
    "pain painful ache aching hurts hurt hurting loss lost losing cant cannot trouble "
    "problem problems leak leaking leaks burning shooting dead asleep fever feverish "
    "sweats chills unwell worse worsening throbbing pulsing tearing stiff stiffness "
    "incontinence accident accidents fall fell crash sudden suddenly sciatica sciatic".split()
)


_MAX_CLAUSE_WORDS = 40
_LITTLE_WORDS = frozenset(
    "a an the on in at to of off up down out over under into onto way and or my me it "
    "is its was be been when then with for from by as so just get got go goes going "
    "back bit".split()
)


def _only_denies(text: str, said: list[str]) -> bool:
    """Whether a text only denies: every clause opens with a denial ("no numbness",
    "nothing new"; never "can't feel ...", "no control when I pee") and none says
    "but"."""
    found = related_clauses(text)
    return bool(found) and RELATED_BUT.isdisjoint(said) and all(c.denies for c in found)


def _denial_doubted(raw: RawAnswers, denied: tuple[str, ...], value: JsonValue) -> set[str]:
    """The signs a key's no denies ("No fever?") that its answer doubts: anything but
    a yes, a blank or "n/a" (a no to "No fever?" says a fever), unless the sign's own
    answer is a yes."""
    if (
        written_yes(value)
        or _left_blank(value)
        or (isinstance(value, str) and value.strip().lower() in _NOT_APPLICABLE)
    ):
        return set()
    return {q for q in denied if not written_yes(raw.get(q))}


def _labels_named(
    rb: RuleBase, raw: RawAnswers, value: JsonValue, screen: Screen | None
) -> set[str]:
    """The signs a screen's unread reply names in words, read as a key naming them is
    ("Numbness in the saddle area", a label of the sign) or mentions by related words
    ("trouble peeing"): each is at least not sure, beside its own "no" too, unless
    that is a yes. A reply that says a part is normal ("Saddle area normal") or only
    denies ("No numbness in the saddle area", "nothing new") names none. Unread beside
    the sign's own "no", such a reply was "ok" with advice (check 47, H). A reply that
    names nothing and denies nothing ("38+", "temp 38.4") doubts every sign of
    ``screen``: nobody can tell which it answers (it was "ok", check 55 N9)."""
    doubted: set[str] = set()
    safety = rb.index.screen_questions
    for item in value if isinstance(value, list) else [value]:
        if (
            not isinstance(item, str)
            or _left_blank(item)
            or written_no(item)
            or is_unsure(item)
            or len(item) > MAX_READ_KEY
        ):
            continue
        together = safety_named_in_short(rb, item)
        # (a denial and nothing more, "No numb groin", names none; "No bladder control",
        # "Not able to control my bladder" name the sign: check 53 H4)
        if not together.asks_if_normal:
            doubted |= {q for q in together.every if not written_yes(raw.get(q))}
        said = related_words_in(item)
        if together or together.denied or together.asks_if_normal:
            # what it names, and what it mentions beside ("no feeling down below")
            if not together.asks_if_normal and not _only_denies(item, said):
                mentioned = related_mentioned(rb.index.related, said, in_a_note=True)
                doubted |= {q for q in mentioned if not written_yes(raw.get(q))}
            continue
        own = _own_item(screen, said) if screen is not None else None
        if own is not None:
            # the screen's own wording of an item, or its id: that sign, at least
            # not sure (never every sign of the screen)
            doubted |= {own} if not written_yes(raw.get(own)) else set()
            continue
        mentioned = related_mentioned(rb.index.related, said, in_a_note=True)
        if _only_denies(item, said) or _reads_normal(item):
            continue
        # (a safety screen's only: a checklist of form faults is read as its items,
        # and its labels, "your thighs squash into your chest", mention no sign)
        screened = [q for q in (screen.question_ids if screen else ()) if q in safety]
        if not mentioned and _near_safety_id(rb.index.screen_questions, fold_key(item)):
            continue  # a sign's id misspelt ("saddle_numbnes"): that sign, read as a tick
        signs = (mentioned or tuple(screened)) if screened else ()
        doubted |= {q for q in signs if not written_yes(raw.get(q))}
    return doubted


def _doubted_by(
    rb: RuleBase, raw: RawAnswers, together: NamedInShort, key: str, value: JsonValue
) -> set[str]:
    """The signs a key naming several or in short doubts ("saddle_numbness/
    leg_pain_below_knee", "Saddle numbness & bladder change", "fever"): anything it
    says but a no doubts each sign it names whole, unless its own answer is a yes (a
    yes to one of two cannot say which: beside two "no"s it was dropped, "ok" with
    advice), and each it names partly that nothing else answers. "Yes - both" too."""
    if said_nothing(value):  # (a list of none too: "numb_areas": [])
        return set()
    if set(together.every) <= set(rb.index.short_names.get("temperature", ())) and (
        _normal_temperature(key, value)
    ):
        return set()  # "Temperature": 36.6: a measured temperature, and no fever
    if together.mentions_normal:
        # A key about a normal finding or a function ("Bladder normal for you?",
        # "Sexual function"): a no may be the finding, so only "normal", or a yes
        # where the key only asks whether the part is normal, finds nothing.
        of_a_part = together.asks_if_normal or together.names_function
        if _reads_normal(value, of_a_part=of_a_part) or (
            together.asks_if_normal and _yes_it_is(value)
        ):
            return set()
    elif _reads_normal(value):
        return set()  # "Bowel habits": "normal", "Night pain": "fine": nothing found
    elif (
        together.asks_if_present
        and not written_yes(value)
        and (written_no(value) or _opens_with_no(value, rb, together.every, key))
    ):
        # A no clears nothing but under a key that only asks whether the signs are
        # there: "Can you feel your saddle area?": "No" says a finding (check 52, H3).
        return set()
    # (Past the no's above, anything said under a short name inside a key doubts its
    # sign beside its own "no": "yes, since Monday", "sometimes" were dropped, check 47
    # N1, as "Yes" was before check 46's H7.)
    doubted = {
        q for q in (*together.whole, *together.inside) if q not in raw or not written_yes(raw[q])
    }
    if together.partly:
        answered = _answered_anyhow(rb, raw)
        doubted |= {q for q in together.partly if q not in answered}
    return doubted


def _normal_temperature(key: str, value: JsonValue) -> bool:
    """Whether a key about the body's temperature holds a measured one below a fever:
    under 37.5 °C (99.5 °F). A clear client's "Temperature": 36.6 was referred (check
    53, M1); 38.2, or a number that is no temperature, still doubts the sign."""
    said = set(re.findall(r"[a-z]+", fold_key(key)))
    if not said & {"temp", "temperature"} or not said <= _TEMPERATURE_WORDS:
        return False  # "Days with temperature": 36 is no reading
    number = value if is_number(value) and not isinstance(value, bool) else None
    if isinstance(value, str) and len(value) <= 20:
        found = _DEGREES.fullmatch(value.strip().lower())
        number = float(found.group(1).replace(",", ".")) if found else None
        if found and found.group(2):
            said.add(found.group(2)[0])  # "98.6F": its own unit
    if not isinstance(number, int | float):
        return False
    # (under 36 C, 96.8 F is no normal reading either: too cold is a sign of sepsis)
    celsius = 36 <= number < 37.5 and not said & {"f", "fahrenheit"}
    fahrenheit = 96.8 <= number < 99.5 and not said & {"c", "celsius"}
    return celsius or fahrenheit


_TEMPERATURE_WORDS = frozenset(
    {"temp", "temperature", "body", "core", "oral", "c", "f", "celsius", "fahrenheit"}
    | {"degrees", "today", "now", "current", "latest", "measured", "reading", "your", "in"}
    | {"this", "morning", "at", "check", "resting", "taken", "last"}
)
_DEGREES = re.compile(r"(\d{2,3}(?:[.,]\d+)?)\s*(?:°|º)?\s*(c|f|celsius|fahrenheit)?")


def _reads_normal(value: JsonValue, *, of_a_part: bool = False) -> bool:
    """A reply that says something is normal and nothing more ("normal", "fine", "all
    ok"); not "negative" or "absent", which under "Night pain gone?" say a finding.
    ``of_a_part``: the key names a part or a function ("Sexual function", "Bowel
    movements normal?"), where "unchanged", "intact", "regular", "no problems" say it
    works too; under a sign's name they say the sign is still there ("Numb groin":
    "unchanged" was a clear no, check 53 H1)."""
    if (
        not isinstance(value, str)
        or len(value) > 80
        # letters and a full stop or comma only: "normal ❌", "fine?", "Fine 0/10" say
        # more (check 52, H2)
        or re.search(r"[^a-zA-Z'\s.,!]", value)
    ):
        return False
    said = re.findall(r"[a-z']+", value.lower())
    replies = _PART_WORKS if of_a_part else _NORMAL_REPLY
    filler = _PART_FILLER if of_a_part else _NORMAL_FILLER
    return bool(said) and (
        (all(word in replies or word in filler for word in said) and not replies.isdisjoint(said))
        # "no problems", "no issues at all": nothing wrong with it (check 52, M4)
        or (of_a_part and bool(_NOTHING_WRONG.fullmatch(" ".join(said))))
    )


_NOTHING_WRONG = re.compile(
    r"(?:no|nothing|none) (?:problems?|issues?|concerns?|complaints?|changes?)(?: at all)?"
    r"(?: thanks| thank you)?"
)
_NORMAL_REPLY = frozenset({"normal", "fine", "ok", "okay", "unremarkable"})
_NORMAL_FILLER = frozenset(
    {"all", "quite", "perfectly", "completely", "totally", "is", "as", "usual"}
)
_PART_WORKS = _NORMAL_REPLY | {"unchanged", "intact", "regular", "good"}
_PART_FILLER = _NORMAL_FILLER | {"it's", "its", "very"}


def _yes_it_is(value: JsonValue) -> bool:
    """A yes to "is it normal?", with thanks or "all good" after it ("yes thanks")."""
    return written_yes(value) or (
        isinstance(value, str) and bool(_YES_IT_IS.fullmatch(value.strip().lower()))
    )


_YES_IT_IS = re.compile(r"yes[\s,.!-]*(?:thanks|thank you|all good|all fine|fine|normal)?[.!]*")


def _opens_with_no(
    value: JsonValue, rb: RuleBase | None = None, signs: tuple[str, ...] = (), key: str = ""
) -> bool:
    """Free text that says no and nothing else ("No, never", "no - neither", "never",
    "normal", "negative", "No fever" under "Fever"): under a key that names signs in
    short it raises no doubt (the sign stays unanswered, never cleared): "Cancer":
    "never" and "Bowel": "normal" referred clear clients (check 43, M1). Anything more
    is read as said: "no idea", "no/yes", "No (yes since Monday)" doubt the signs
    (check 43, H1).

    Read clause by clause (between marks: "no, fine" is two no's, check 46 M1), each
    made only of negators, normal findings and filler, with at least one of the first
    two; a normal finding after a negator in one clause says something was found ("not
    normal", "never fine": check 44); a hedge ("not really", "not yet", "not so far",
    "not that I know") is more than a no; and "had", "have", "do" or "it" only after a
    negator that turns them ("never had it", "I don't"): "nope, had it" and "no, I
    have" say yes (check 46, H3). The key's own words may follow a negator ("No fever")."""
    if not isinstance(value, str) or _pythons_none(value) or len(value) > 80:
        return False
    # The key's own words that name its sign ("fever" of "Fever"), never another of the
    # sign's names ("No fever feeling unwell" names the sign again: check 49, N2).
    named = (
        _sign_words(rb, signs) & frozenset(re.findall(r"[a-z]+", fold_key(key)))
        if rb is not None
        else frozenset()
    )
    clauses = [c for c in _CLAUSE_MARKS.split(value.lower().replace("\u2019", "'")) if c.strip()]
    said = [re.findall(r"[a-z']+", clause) for clause in clauses]
    # A clause of courtesy alone ("thanks" in "none, thanks") says nothing more; "both"
    # or "all of these" after a no affirm (check 48, H8).
    spoken = [
        words
        for words, clause in zip(said, clauses, strict=True)
        # ("no (1)": a clause of no words says something too, a tick or a number)
        if not (words and all(word in _COURTESY for word in words))
        or re.search(r"[^\sa-z']", clause)
    ]
    # A digit or a mark inside a clause ("no 1", "No ✓") says more than a no (check 49,
    # N5): those are a checkbox's yes.
    return bool(spoken) and all(
        _says_no(words, named) and not re.search(r"[^\sa-z']", clause)
        for words, clause in zip(said, clauses, strict=True)
        if words in spoken
    )


def _sign_words(rb: RuleBase, signs: tuple[str, ...]) -> frozenset[str]:
    """The words of the signs' ids and short names ("fever" for fever_or_unwell): a
    reply may repeat them after its no ("No fever"), never a form's option words
    ("Numb groin (yes/no)": "No Yes" ticks both; check 47, N3)."""
    return sign_words(rb, signs) - _JOINERS_AND_OPTIONS


_JOINERS_AND_OPTIONS = frozenset({"or", "and", "any", "the", "your", "yes", "no", "y", "n"})


def _says_no(said: list[str], named: frozenset[str]) -> bool:
    """Whether one clause's words say no and nothing more (see _opens_with_no)."""
    if not said:
        return False
    negated = turned = found_nothing = False
    for word in said:
        if word in _NEGATORS:
            if found_nothing:
                return False  # "Normal? No", "ok not": a question answered no
            negated = True
            turned = turned or word in _VERB_NEGATORS
        elif word in _NORMALS:
            if negated:
                return False  # "not normal"
            found_nothing = True
        elif word in _NO_VERBS:
            if not turned:
                return False  # "had it", "I have", "no I do"
        elif word in named:
            if not negated:
                return False  # "fever" under "Fever" says nothing of a no
        elif word not in _NO_FILLER:
            return False
    return negated or found_nothing


# A reply that says nothing was found is made of negators and filler ("No, never"),
# or of normal findings and filler ("normal", "negative"); any other word (a yes,
# "idea", "since", "but", "really", "yet") makes it more than a no.
_CLAUSE_MARKS = re.compile(r"[,.;:!/()\[\]\-–—]+")
_VERB_NEGATORS = frozenset(
    {"never", "not", "haven't", "havent", "hasn't", "hasnt", "don't", "dont", "doesn't"}
    | {"doesnt", "didn't", "didnt"}
)
_NEGATORS = frozenset({"no", "nope", "nah", "none", "neither", "nothing", "nil"}) | _VERB_NEGATORS
# ("regular" is no normal finding under a sign's name: "Night pain": "regular" says
# it comes often; check 52, H5)
_NORMALS = frozenset(
    {"normal", "negative", "fine", "clear", "absent", "ok", "okay", "unremarkable"}
)
_NO_VERBS = frozenset({"had", "have", "has", "do", "does", "did", "it", "noticed", "experienced"})
_NO_FILLER = frozenset(
    {"at", "all", "ever", "of", "these", "them", "those", "both", "either", "any", "i"}
    | {"sign", "signs", "symptom", "symptoms", "thanks", "problem", "problems", "issue"}
    | {"issues", "the", "a"}
)
_COURTESY = frozenset({"thanks", "thank", "you", "please", "cheers", "ta"})
# What a form writes for "not asked here": nothing said, so no doubt.
_NOT_APPLICABLE = frozenset({"n/a", "na", "n.a.", "-", "--", "–", "—", "not applicable"})


def _misspelt_ticks(
    rb: RuleBase, raw: RawAnswers, value: JsonValue, looked: int
) -> tuple[set[str], int]:
    """The safety questions a screen's reply ticks under a misspelt id, unless its
    own answer is a yes, and how many items of the record have been looked up
    (bounded per record: difflib for the first items, a lookup after; per list, 1,000
    screen keys of 32 items cost 3 s)."""
    items = value if isinstance(value, list) else [value]
    found = set()
    for item in items[:MAX_READ_KEYS]:
        if not isinstance(item, str) or says_no(item) or is_unsure(item) or len(item) > 80:
            continue
        looked += 1
        qid = (
            misspelt_safety_id(rb, item)
            if looked <= MAX_UNKNOWN_LISTED
            else _near_safety_id(rb.index.screen_questions, fold_key(item))
        )
        if qid is not None and not written_yes(raw.get(qid)):
            found.add(qid)
    return found, looked


def _unread_object(rb: RuleBase, reply: JsonObject) -> bool:
    """Whether a screen's reply as an object says something under a key no reader
    names ({"Numbness in the saddle area": "yes"}): its signs are then not sure.
    Its items under a question's name are read as the answers they are; read as
    nothing, a yes beside a label got advice (check 41, M3)."""
    return any(
        isinstance(key, str)
        and question_named(rb, key) is None
        and not _left_blank(value)
        and not written_no(value)
        for key, value in list(reply.items())[:MAX_READ_KEYS]
    )


def _unread_reply(value: JsonValue) -> bool:
    """Whether a screen's reply says something no reader could read: a label, a list
    of labels, nested lists ("screen:nerve_signs": "Numbness in the saddle area"). Its
    signs are then not sure: dropped, a ticked emergency sign got advice (check 37,
    A-M1). Not a no, a "not sure" (which opens the screen), an empty list or an object
    (read as the screen's items)."""
    if isinstance(value, str):
        return bool(value.strip()) and not is_unsure(value) and not written_no(value)
    if isinstance(value, list):
        return any(
            not (isinstance(item, str) and (not item.strip() or written_no(item)))
            for item in value[:MAX_READ_KEYS]
        )
    return False


def _answered_anyhow(rb: RuleBase, raw: RawAnswers) -> frozenset[str]:
    """The questions a record answers under their id or a spelling read as it."""
    return frozenset(
        qid
        for key in list(raw)[:MAX_READ_KEYS]
        if isinstance(key, str) and len(key) <= MAX_READ_KEY
        for qid in (question_named(rb, key),)
        if qid is not None
    )


def is_screen_key(key: str) -> bool:
    """Whether a key is a screen's interview key, "screen:ID", in any case and with
    spaces around it ("Screen:nerve_signs", "SCREEN: nerve_signs ")."""
    head, colon, _ = key[: len(SCREEN_PREFIX) + 8].strip().partition(":")
    return bool(colon) and head.strip().casefold() == SCREEN_PREFIX.removesuffix(":")


def names_a_screen(key: str, rb: RuleBase | None = None) -> bool:
    """Whether a key is a screen's id without its "screen:" ("nerve_signs") or its own
    question ("Since the pain began, have you had any of these?"), as a form built
    from the questionnaire names the boxes it lists: read as an unknown key, the signs
    ticked under it as one text were lost (unscreened, with advice). ``rb``: the rule
    base the record is read for (the bundled one when None, loaded for it)."""
    if len(key) > MAX_READ_KEY:
        return False
    if rb is None:
        from ..knowledge.loader import bundled_rulebase  # a one-record run has its rb

        rb = bundled_rulebase()
    return rb is not None and words_of(key) in rb.index.screens_by_words


def screen_of_key(rb: RuleBase, key: str) -> Screen | None:
    """The screen a key names: "screen:ID" (screen_named), or its id or own question
    written otherwise (names_a_screen)."""
    found = screen_named(rb, key)
    if found is not None or len(key) > MAX_READ_KEY:
        return found
    return rb.index.screens_by_words.get(words_of(key))


def screen_named(rb: RuleBase, key: str) -> Screen | None:
    """The screen a "screen:ID" key names (see is_screen_key), its id in any spelling
    an answer key is read in; None for any other key."""
    if not is_screen_key(key):
        return None
    name = key.strip().partition(":")[2].strip()
    return rb.screens.get(name) or rb.screens.get(fold_key(name))


def _safety_ids_inside(rb: RuleBase, key: str) -> tuple[str, ...]:
    """The safety questions a key names among other words: each safety id it holds
    whole, between word edges, or the signs of the screen a 'screen:ID' names."""
    screen = screen_of_key(rb, key)
    if screen is not None:
        safety = rb.index.safety_questions
        return tuple(q for q in screen.question_ids if q in safety)
    folded = fold_key(key)
    # Every one it holds, the longest first, none inside another: "saddle_numbness/
    # leg_pain_below_knee" holds two, and only the first was doubted.
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for qid in sorted(rb.index.screen_questions, key=len, reverse=True):
        start = folded.find(qid)
        if start < 0:
            continue
        end = start + len(qid)
        if (
            (start == 0 or not folded[start - 1].isalnum())
            and (end == len(folded) or not folded[end].isalnum())
            and not any(start < stop and begin < end for begin, stop in taken)
        ):
            found.append(qid)
            taken.append((start, end))
    return tuple(found)


def _near_safety_id(safety: tuple[str, ...], folded: str) -> str | None:
    """The safety question ``folded`` is within about two edits of (a letter left out,
    added, changed or two swapped, on either side), by lookups of one-letter deletions
    (symmetric deletion): a few microseconds, where difflib takes fifty."""
    index = _deletion_index(safety)
    for variant in (folded, *_deletions(folded)):
        found = index.get(variant)
        if found is not None:
            return found
    return None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=8)
def _deletion_index(safety: tuple[str, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for qid in safety:
        folded = fold_key(qid)
        for variant in (folded, *sorted(_deletions(folded))):
            index.setdefault(variant, qid)
    return index


# Keys under which a record may keep its own answers in another shape ('Answers',
# 'responses', flattened 'answers.<id>'): such an object is a record (an error,
# screened), never a wrapper of the records it holds.
_ANSWERS_LIKE = re.compile(
    r"(?i)answers?|responses?|replies|item_?responses|(?:answers)?(?:[./\[]|__).+"
)


def keeps_answers(key: str) -> bool:
    """Whether a record's key is where it keeps answers: 'answers' or a key like it, or
    a question of the bundled rule base (whatever a coach adds, the screen's questions
    are among them; see names_an_answer). For readers that must tell a record from an
    export's wrapper before a rule base is at hand: a record's "saddle_numbness": true
    beside a "history" list of past records was taken for their wrapper and its own
    answer lost (a new check of cd9efd2, NEW-3)."""
    return bool(_ANSWERS_LIKE.fullmatch(key)) or names_a_question(key)


def answers_name(key: str) -> bool:
    """Whether a key is 'answers' or a name like it ('responses', 'Answers')."""
    return bool(_ANSWERS_LIKE.fullmatch(key))


@lru_cache(maxsize=4096)
def names_a_question(key: str) -> bool:
    """Whether a key names a question of the bundled rule base (see keeps_answers).
    Kept by key: an export repeats its column names in every row."""
    # Imported here: only an object that may be a wrapper gets this far, and a
    # one-record run imports no loader (tests/test_startup.py).
    from ..knowledge.loader import bundled_rulebase

    rb = bundled_rulebase()
    return rb is not None and names_an_answer(rb, key)


def names_an_answer(rb: RuleBase, key: str) -> bool:
    """Whether a key names one of the rule base's questions, as a record's keys are
    read (folded: case, look-alikes, see fold_key), or a safety question within a
    typo of it: microseconds a key, whatever its length."""
    if len(key) > MAX_READ_KEY:
        return False
    return (
        question_named(rb, key) is not None
        or _near_safety_id(rb.index.screen_questions, fold_key(key)) is not None
    )


def yes_under_other_keys(rb: RuleBase, raw: RawAnswers) -> dict[str, str]:
    """Each safety question a record answers "yes" under a key other than its id (a
    spelling read as it, or a very likely misspelling), with the first such key. One
    pass, bounded as misspelt_safety: difflib for the first unknown keys, then the fast
    lookup. A search per question, by difflib for every key, took 20 s for a 1 MiB
    interview body of side columns (check 36, A-M3)."""
    found: dict[str, str] = {}
    unknown = 0
    for key, value in raw.items():
        if not isinstance(key, str) or key in rb.questions or not written_yes(value):
            continue
        qid = question_named(rb, key)
        if qid is None:
            unknown += 1
            qid = misspelt_safety_id(rb, key, fast=unknown > MAX_UNKNOWN_LISTED)
        if qid is not None and qid in rb.index.safety_questions:
            found.setdefault(qid, key)
    return found


def misspelt_safety_id(rb: RuleBase, key: str, *, fast: bool = False) -> str | None:
    """The safety question an unknown key very likely misspells ('saddle_numbnes'),
    or None. Kept by key: a misspelt column repeats in every row of a batch. ``fast``:
    by the lookup of one or two edits (_near_safety_id), for keys past the first few
    of a record, where difflib for each would cost without bound."""
    safety = rb.index.screen_questions
    if len(key) > 2 * max((len(q) for q in safety), default=0):
        return None  # no typo of any of them (and a megabyte is never folded or kept)
    if fast:
        return _near_safety_id(safety, fold_key(key))
    return _close_safety(fold_key(key), safety)


@lru_cache(maxsize=4096)
def _close_safety(folded: str, safety: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(folded, safety, n=1, cutoff=TYPO_CUTOFF)
    return close[0] if close else None


def _read(rb: RuleBase, qid: str, value: JsonValue) -> JsonValue | NormalisedValue | None:
    try:
        return normalize_value(rb.questions[qid], value)
    except InvalidAnswer:  # an unreadable value differs from any readable one
        return value
