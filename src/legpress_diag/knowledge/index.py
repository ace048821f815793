"""What a rule base derives from its rules, built once when the rule base is made.

Everything here is a pure function of the rules and questions: lookups by question,
fact and conclusion, the strata, whether facts conclude each other in a loop, each
rule's static data (where it is defined, what it tests) and the engine's one-pass
plan. Building it with the rule base, as one frozen value, means no module fills a
memo later and two rule bases can never share or disagree about one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from ..foundation.values import FieldsValue
from .conditions.ast import And, Compare, Condition, FactRef, Leaf, Member, Not, Truth, leaves
from .facts import NormalisedValue
from .letters import latin_letters
from .related import RELATIVES, RelatedWords, compile_related, mentioned
from .related import denies as may_deny
from .related import negated as may_negate
from .strata import compute_strata, cycles

if TYPE_CHECKING:
    from .rulebase import Evaluator, Question, Rule, RuleBase, SafetyFlag, Screen


def agenda_key(strata: Mapping[str, int], rule: Rule) -> tuple[int, int, int]:
    """The order rules fire in: by stratum, then salience, then as declared."""
    return (strata.get(rule.concludes, 1), -rule.salience, rule.order)


def required_answers(
    questions: Mapping[str, Question], rule: Rule
) -> set[tuple[str, NormalisedValue]]:
    """Exact answers the rule's condition cannot fire without (empty: none known)."""
    from .rulebase import QuestionType

    condition = rule.condition
    conjuncts = condition.operands if isinstance(condition, And) else (condition,)
    required: set[tuple[str, NormalisedValue]] = set()
    for part in conjuncts:
        negated = isinstance(part, Not)
        leaf = part.operand if isinstance(part, Not) else part
        question = (
            questions.get(leaf.ref.name) if isinstance(leaf, Truth | Compare | Member) else None
        )
        if question is None:
            continue
        if isinstance(leaf, Truth) and question.type is QuestionType.YES_NO:
            required.add((question.id, not negated))
        elif isinstance(leaf, Compare) and not negated and leaf.op == "==":
            value = leaf.value.value
            if question.type is QuestionType.YES_NO:
                required.add((question.id, value == "yes"))
            elif question.type is QuestionType.CHOICE:
                required.add((question.id, value))
        elif (
            isinstance(leaf, Member) and not negated and not leaf.negated and len(leaf.values) == 1
        ):
            required.add((question.id, leaf.values[0].value))
    return required


def decided_by_answers(questions: Mapping[str, Question], rule: Rule) -> bool:
    """Whether the rule is a conjunction of exact answer tests on distinct questions
    (``q``, ``not q``, ``choice == v``, ``choice in [v]``) and nothing else: then a
    record holding all of its required answers gives it a premise of exactly 1, and
    the engine need not evaluate it."""
    condition = rule.condition
    conjuncts = condition.operands if isinstance(condition, And) else (condition,)
    tested = {leaf.ref.name for leaf in leaves(condition)}
    return not any(isinstance(leaf, FactRef) for leaf in leaves(condition)) and len(
        conjuncts
    ) == len(tested) == len(required_answers(questions, rule))


def required_facts(rule: Rule) -> tuple[str, ...]:
    """Derived facts that a conjunction needs believed (bare fact names among its parts)."""
    condition = rule.condition
    conjuncts = condition.operands if isinstance(condition, And) else (condition,)
    return tuple(sorted({part.ref.name for part in conjuncts if isinstance(part, FactRef)}))


class Step(NamedTuple):
    """One step of the plan: a rule as the engine reads it. A flat named tuple rather
    than the Rule's own attributes, because this is the innermost loop of every
    diagnosis (a field of a tuple is read without a dictionary lookup)."""

    mask: int  # bits (Plan.question_bits) of the questions the condition reads
    facts: tuple[str, ...]  # the derived facts the condition reads
    needs: tuple[str, ...]  # the facts a conjunction requires (see required_facts)
    evaluate: Evaluator
    concludes: str
    rule_id: str
    cf: float
    rule: Rule


@dataclass(frozen=True, repr=False, eq=False)
class Plan(FieldsValue):
    """An acyclic rule base's rules in agenda order, with an index of required answers.

    Most rules are conjunctions that need certain exact answers (``q``, ``not q``,
    ``choice == v``). For each such question the plan holds, as bit sets over the
    rules, which rules each possible answer rules out (``ruled_out``) and which an
    unknown answer rules out (``ruled_out_unknown``). A record costs one OR per
    question, and only the rules left are looked at: the work follows the rules a
    record can activate, not the size of the rule base. Rules with no exact
    requirement (``or``, number ranges, facts only) are never ruled out this way.
    """

    question_bits: Mapping[str, int]
    steps: tuple[Step, ...]
    stage_of: tuple[int, ...]
    all_steps: int  # a bit per step
    ruled_out: Mapping[str, Mapping[NormalisedValue, int]]
    ruled_out_unknown: Mapping[str, int]
    # For large rule bases, rules that need derived facts are found by counting
    # (TREAT-style) rather than by looking at each: a rule becomes a candidate once
    # every fact it needs is believed, and a believed fact names the rules needing it.
    free_steps: int  # bits of the steps that need no derived fact
    needing_only: Mapping[str, int]  # fact -> bits of the steps needing it and no other
    needing: Mapping[str, tuple[int, ...]]  # fact -> steps needing it and others too
    stages: tuple[tuple[int, int, int], ...]  # (stage, first step, end), in order
    # 1 for a step whose premise is exactly 1 whenever it is a candidate (see
    # decided_by_answers): the engine skips evaluating it.
    decided: bytes


def build_plan(
    rules: tuple[Rule, ...], questions: Mapping[str, Question], strata: Mapping[str, int]
) -> Plan:
    bits = {q: 1 << i for i, q in enumerate(questions)}
    steps: list[Step] = []
    stage_of: list[int] = []
    needing: dict[str, dict[NormalisedValue, int]] = {}  # question -> answer -> rules that need it
    for index, rule in enumerate(sorted(rules, key=lambda r: agenda_key(strata, r))):
        mask = 0
        for question in rule.questions:
            mask |= bits[question]
        facts = tuple(sorted(rule.facts))
        needs = required_facts(rule)
        steps.append(
            Step(mask, facts, needs, rule.evaluate, rule.concludes, rule.id, rule.cf, rule)
        )
        stage_of.append(strata.get(rule.concludes, 1))
        for question, answer in required_answers(questions, rule):
            by_answer = needing.setdefault(question, {})
            by_answer[answer] = by_answer.get(answer, 0) | (1 << index)
    ruled_out: dict[str, dict[NormalisedValue, int]] = {}
    ruled_out_unknown: dict[str, int] = {}
    for question, by_answer in needing.items():
        anything = 0
        for rule_bits in by_answer.values():
            anything |= rule_bits
        ruled_out_unknown[question] = anything  # a rule needing any answer to q
        ruled_out[question] = {answer: anything & ~bits_ for answer, bits_ in by_answer.items()}
    free = 0
    needing_only: dict[str, int] = {}
    needing_fact: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        needs = step[2]
        if not needs:
            free |= 1 << index
        elif len(needs) == 1:
            needing_only[needs[0]] = needing_only.get(needs[0], 0) | 1 << index
        else:
            for fact in needs:
                needing_fact.setdefault(fact, []).append(index)
    stages: list[tuple[int, int, int]] = []
    for index, stage in enumerate(stage_of):
        if stages and stages[-1][0] == stage:
            stages[-1] = (stage, stages[-1][1], index + 1)
        else:
            stages.append((stage, index, index + 1))
    return Plan(
        bits,
        tuple(steps),
        tuple(stage_of),
        (1 << len(steps)) - 1,
        ruled_out,
        ruled_out_unknown,
        free,
        needing_only,
        {fact: tuple(indices) for fact, indices in needing_fact.items()},
        tuple(stages),
        bytes(decided_by_answers(questions, step[7]) for step in steps),
    )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RuleStatic(FieldsValue):
    """What explanations cite of a rule, worked out once."""

    defined_at: str | None  # file:line
    questions: tuple[str, ...]  # the questions it tests, in the order it tests them
    facts: tuple[str, ...]  # the derived facts it reads, sorted


def _rule_static(rule: Rule) -> RuleStatic:
    where = f"{rule.span.path}:{rule.span.line}" if rule.span else None
    names = [leaf.ref.name for leaf in leaves(rule.condition) if not isinstance(leaf, FactRef)]
    return RuleStatic(where, tuple(dict.fromkeys(names)), tuple(sorted(rule.facts)))


def _grouped(pairs: list[tuple[str, Rule]]) -> dict[str, tuple[Rule, ...]]:
    grouped: dict[str, list[Rule]] = {}
    for key, rule in pairs:
        grouped.setdefault(key, []).append(rule)
    return {key: tuple(rules) for key, rules in grouped.items()}


@dataclass(frozen=True, repr=False, eq=False)
class RuleIndex(FieldsValue):
    """The lookups, strata and plan of one rule base (see the module's docstring)."""

    by_question: Mapping[str, tuple[Rule, ...]]  # rules testing a question, declared order
    by_fact: Mapping[str, tuple[Rule, ...]]  # rules reading a derived fact
    by_conclusion: Mapping[str, tuple[Rule, ...]]  # rules concluding a fact or cause
    by_id: Mapping[str, Rule]
    static: Mapping[str, RuleStatic]  # by rule id
    strata: Mapping[str, int]
    has_cycles: bool  # facts conclude each other in a loop
    plan: Plan | None  # the engine's one-pass plan; None when there are cycles
    derived_ids: frozenset[str]  # facts and causes
    safety_questions: frozenset[str]  # every question a safety flag reads (in when or unless)
    # The safety questions a complete screen answers, in declared order (a version-1
    # question that others replaced is not one of them), and the replaced questions.
    screen_questions: tuple[str, ...]
    replaced: tuple[str, ...]
    # Question ids by their folded form (fold_key): a key written 'Saddle_Numbness' or
    # ' saddle-numbness' is still that question.
    folded_ids: Mapping[str, str]
    names: NameIndex = field(repr=False)  # folded_ids as several_named reads them
    # Questions a rule file outside the bundled base defines: a referral quotes none of
    # their words, not even an answer's label (reasoning.diagnosis).
    coach_questions: frozenset[str]
    # The screened safety questions' short names (folded, without joining words) and the
    # questions going by each; each name's first word, last word and length in words
    # (where a lookup inside a longer key can start); each screened question with the
    # words of its id and whether it is a follow-up; each screen by the words of its
    # id and own question. What reading a free-form key needs (safety_named_in_short,
    # answers.screen_of_key), worked out here once rather than per key.
    short_names: Mapping[str, tuple[str, ...]] = field(repr=False)
    short_name_shapes: frozenset[tuple[str, str, int]] = field(repr=False)
    safety_words: tuple[tuple[str, frozenset[str], bool], ...] = field(repr=False)
    screens_by_words: Mapping[tuple[str, ...], Screen] = field(repr=False)
    # The screened questions' related_words, compiled (related.py).
    related: RelatedWords = field(repr=False)
    conditions: tuple[Condition, ...] = field(repr=False)  # of the rules and safety flags
    compile_leaf: Callable[[Leaf], Evaluator] = field(repr=False, compare=False)

    @cached_property
    def leaf_evaluators(self) -> Mapping[Leaf, Evaluator]:
        """Every answer test of every rule and flag, compiled alone (for the belief
        bounds the questionnaire uses); made on first use: batch diagnosis never needs it."""
        found: dict[Leaf, Evaluator] = {}
        for condition in self.conditions:
            for leaf in leaves(condition):
                if not isinstance(leaf, FactRef) and leaf not in found:
                    found[leaf] = self.compile_leaf(leaf)
        return found

    # Per-key memos of question_named and questions_named (bounded there): the readers
    # of one record ask about the same keys several times, and a batch's columns
    # repeat in every row. Kept with the rule base, they go when it goes.
    @cached_property
    def named_keys(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def several_named_keys(self) -> dict[str, tuple[str, ...]]:
        return {}

    @cached_property
    def short_named_keys(self) -> dict[str, NamedInShort]:
        return {}

    @cached_property
    def note_mentions(self) -> dict[tuple[str, tuple[str, ...]], frozenset[str]]:
        return {}  # answers._mentioned_in_text's, by note and key words (bounded there)

    @cached_property
    def question_words(self) -> dict[str, frozenset[str]]:
        return {}  # filled once, by question_words_of (it needs the questions)


# difflib's ratio above which an unknown answer key is taken for a safety question
# misspelt (one letter off in a 15-letter id is about 0.97; 'saddle_setup' against
# 'saddle_numbness' is about 0.6). The loader refuses a question id this close to a
# safety question's, so the two readings can never meet.
TYPO_CUTOFF = 0.85


def fold_key(key: str) -> str:
    """An answer key as a person may have meant it: case, surrounding spaces, '-' or
    inner spaces for '_', compatibility forms (full-width, mathematical bold: NFKC),
    letters of other scripts that look like Latin ones, accents, and characters that
    show nothing (a zero-width space, a soft hyphen) do not matter."""
    if not key.isascii():
        key = latin_letters(key)
    # camelCase and PascalCase ('saddleNumbness', 'SaddleNumbness', as JavaScript apps
    # and C# exports write keys): a word starts at each capital after a small letter
    # (read as unknown keys, a yes was "not sure", one level lower: check 19).
    key = _WORD_START.sub("_", key)
    return "_".join(key.strip().lower().replace("-", " ").replace("_", " ").split())


def header_folded(folded: str) -> str:
    """A folded key without what a form's header puts around a question's id:
    "Saddle Numbness?", "saddle_numbness:", a question number ("q3_saddle_numbness"),
    the answers' prefix inside the answers ("Answers.saddle_numbness"). Read as
    unknown keys, a yes was lost or one level lower (check 22)."""
    return _AROUND_ID.sub("", folded.strip("_?:.!*")) or folded


_AROUND_ID = re.compile(r"^(?:answers(?:[./]|__)|q\d*[._])")


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def question_named(rb: RuleBase, key: str) -> str | None:
    """The question a record's key names: the key itself, or the question it folds to
    (see fold_key), also inside what a form or an export writes around it (see
    _key_readings); None for a key that names none. Kept per rule base: the readers of
    one record ask about the same keys several times (a 1 MiB interview body of 25,000
    keys asked 127,000 times, 14 s: check 36, A-M3)."""
    if key in rb.questions:
        return key
    if len(key) > MAX_READ_KEY:
        return _question_named(rb, key)  # not kept: a megabyte key is never held
    known = rb.index.named_keys
    if key in known:
        return known[key]
    if len(known) >= _MAX_NAMED:
        known.clear()  # bounded: a stream of new keys only costs what it did before
    found = known[key] = _question_named(rb, key)
    return found


_MAX_NAMED = 50_000  # keys of at most MAX_READ_KEY letters: 20 MB at the very most


def _question_named(rb: RuleBase, key: str) -> str | None:
    folded = fold_key(key)
    named = rb.index.folded_ids
    found = named.get(folded)
    if found is not None or len(key) > MAX_READ_KEY:
        return found
    whole = named.get("_".join(_WORD_ONLY.findall(folded)))
    if whole is not None:
        return whole  # a question's own words, commas and all (a sign's wording, a title)
    if questions_named(rb, key):
        # "saddle_numbness/leg_pain_below_knee": read as its last part (a path's),
        # a yes to saddle numbness was lost, emergency became clinician. A key that
        # names two questions names neither alone (see questions_named).
        return None
    for reading in _key_readings(folded):
        found = named.get(reading)
        if found is not None:
            return found
    custom = _CUSTOM_FIELD.fullmatch(key) or _FLAT_VALUE.fullmatch(key)
    if custom is not None:
        return question_named(rb, custom.group(1))
    return _after_group(key, named)


# Salesforce names a custom field with "__c" at its end ("Saddle_Numbness__c"), in
# every query's answer. Read as a typo, each yes was "not sure", one level lower
# (check 28). Two underscores then a c, at the end only: folding would make it "_c".
_CUSTOM_FIELD = re.compile(r"(.*[^_])__[cC]")
# openEHR's FLAT format names an element's value by a suffix: ".../saddle_numbness|value",
# ".../age_years|magnitude" (its "|code" and "|unit" are no answers). Read as unknown
# keys, every sign was lost (check 29, U-H3).
_FLAT_VALUE = re.compile(r"(.+)\|(?:value|magnitude)")


def _after_group(key: str, named: Mapping[str, str]) -> str | None:
    """The question an ODK Central or Briefcase CSV column names: the group's name, a
    '-', then the question's id ("group_safety-saddle_numbness"). Folding makes the
    '-' a '_', so it is split first; an id only, never after a "no-". Read as an
    unknown key, an emergency was lost without a word (check 26, A-H4)."""
    if "-" not in key:
        return None
    head, _, last = key.rpartition("-")
    found = named.get(fold_key(last))
    if found is None or not head.strip() or _NEGATING.search(fold_key(head)):
        return None
    return found


def question_worded(rb: RuleBase, text: str) -> str | None:
    """The question a text names word for word (its id, its text, a sign's wording, a
    flag's title: the words alone, any case and marks), never by a reading of what an
    export writes around a name (question_named): ", it came on suddenly" at the end of
    a run of ticked wordings named only the last sign (a new user's A)."""
    if len(text) > MAX_READ_KEY:
        return None
    return rb.index.folded_ids.get("_".join(_WORD_ONLY.findall(latin_letters(text))))


def questions_named(rb: RuleBase, key: str) -> tuple[str, ...]:
    """The questions a key names when it names more than one, joined by a mark or a
    word ("saddle_numbness/leg_pain_below_knee", "Saddle numbness & bladder change",
    "saddle numbness and leg pain below knee"); () for a key that names one or none
    (question_named reads those)."""
    if key in rb.questions or len(key) > MAX_READ_KEY:
        return ()
    known = rb.index.several_named_keys
    found = known.get(key)
    if found is None:
        if len(known) >= _MAX_NAMED:
            known.clear()  # bounded, as question_named's
        found = known[key] = _several_in_key(key, fold_key(key), rb.index.names)
    return found


def _several_in_key(key: str, folded: str, names: NameIndex) -> tuple[str, ...]:
    """several_named, and with a '-' between parts read as a mark too (folding makes
    it a '_'): "saddle_numbness - leg_pain_below_knee" was read as its last part, an
    ODK group's question (check 41, H1)."""
    found = several_named(folded, names)
    if not found and "-" in key:
        found = several_named(fold_key(key.replace("-", "/")), names)
    return found


def several_named(folded: str, names: NameIndex) -> tuple[str, ...]:
    """The distinct questions the parts of a folded key name, when two or more do:
    parts between marks that are not a word's ('/', '&', '+', ',', ...), and within a
    part the questions its words name one after another ("saddle_numbness and
    leg_pain_below_knee", "saddle numbness leg pain below knee", a line break). A
    label that holds a joining word ("bladder_or_bowel_change") names one question,
    or none: its halves name none."""
    if folded in names.named:
        return ()
    found: dict[str, None] = {}
    for part in _WORD.findall(folded):
        for qid in _named_in_turn(part.strip("_").split("_"), names):
            found[qid] = None
    return tuple(found) if len(found) > 1 else ()


def _named_in_turn(words: list[str], names: NameIndex) -> list[str]:
    """The questions a run of words names one after another, read the way that leaves
    the fewest words naming nothing (joining words cost nothing and are read without),
    then the fewest names: "bladder or bowel change" is one question, "saddle numbness
    or leg pain below knee" two. Past _MAX_WORDS_READ words, the run as a whole only."""
    whole = _name_of("_".join(words), names.named)
    if whole is not None or len(words) < 2 or len(words) > _MAX_WORDS_READ:
        return [whole] if whole else []
    kept = [word for word in words if word not in _JOINING_WORDS]
    joinless, lengths, shapes = names.joinless, names.lengths, names.shapes
    # best[i]: (words left unnamed, names) for the first i words, and the names. Only
    # the lengths a name ending in a word has are tried: a few lookups a word, however
    # the words repeat ("pain pain pain ...": 4 s of CPU a MiB, check 42 M3).
    best: list[tuple[int, int, list[str]]] = [(0, 0, [])]
    for end in range(1, len(kept) + 1):
        skip = best[end - 1]
        choice = (skip[0] + 1, skip[1], skip[2])
        last = kept[end - 1]
        for length in lengths.get(last, ()):
            if length > end or (kept[end - length], last, length) not in shapes:
                continue
            qid = joinless.get("_".join(kept[end - length : end]))
            if qid is not None:
                before = best[end - length]
                option = (before[0], before[1] + 1, [*before[2], qid])
                if option[:2] < choice[:2]:
                    choice = option
        best.append(choice)
    return best[-1][2]


class NameIndex(NamedTuple):
    """The names a key is read by (folded ids, texts, wordings, titles: ``named``),
    without their joining words (``joinless``); for each word a name ends with, the
    lengths in words of the names that end with it (``lengths``); and each name's
    first word, last word and length (``shapes``): what reading several names one
    after another needs (several_named), worked out once per rule base."""

    named: Mapping[str, str]
    joinless: Mapping[str, str]
    lengths: Mapping[str, frozenset[int]]
    shapes: frozenset[tuple[str, str, int]]


def _name_index(named: Mapping[str, str]) -> NameIndex:
    joinless: dict[str, str] = {}
    for key, qid in named.items():
        bare = _without_joins(key)
        if bare:
            joinless.setdefault(bare, qid)
    lengths: dict[str, set[int]] = {}
    for bare in joinless:
        parts = bare.split("_")
        lengths.setdefault(parts[-1], set()).add(len(parts))
    return NameIndex(
        named,
        joinless,
        {word: frozenset(sizes) for word, sizes in lengths.items()},
        _shapes_of(joinless),
    )


_MAX_WORDS_READ = 40  # a key of at most MAX_READ_KEY letters has about as many words


def _name_of(piece: str, named: Mapping[str, str]) -> str | None:
    """The question a piece of a key names: as folded, without a header around it,
    or without its joining words ("bladder_or_bowel_change")."""
    return named.get(piece) or named.get(header_folded(piece)) or named.get(_without_joins(piece))


class NamedInShort(NamedTuple):
    """The safety questions an unknown key names: ``whole``, by their own names (ids,
    texts, wordings, every word of an id); ``partly``, by a short name the rule base
    gives them or by most of an id's words. A yes under a key naming a sign whole
    doubts it beside its own "no"; one naming it partly only where nothing answers it
    ("both legs": "yes" beside both_legs_symptoms "no" referred a clear client)."""

    whole: tuple[str, ...] = ()
    partly: tuple[str, ...] = ()
    # Of ``partly``, those named by a short name inside a longer key ("Recent fever",
    # "Bladder trouble"): a plain yes under it doubts the sign beside its own "no" too
    # (a yes there was lost, "ok" with advice: check 46, H7), where a side column's
    # other answers ("Back surgery date": "2019") doubt it only unanswered.
    inside: tuple[str, ...] = ()
    # The key asks, in so many words, whether one sign's part is normal ("Bowel
    # movements normal?", "Can feel saddle area normally?"): a yes there says nothing
    # was found (see asks_if_normal).
    asks_if_normal: bool = False
    # The key holds a word of a normal finding or names a function ("Bladder normal
    # for you?", "Night pain gone?", "Sexual function"): a no there may say a finding
    # (a "No" was read as a no, "ok" with advice: a new user's P1, checks 47 to 50), so
    # no reply but a blank or "normal" clears its doubt.
    mentions_normal: bool = False
    # The key only asks whether its signs are present: every word a word of their
    # names, a part of the body, or grammar of such a question ("Any fever?", "Loss of
    # bladder control", "Fever (Y/N)"). Only there is a no a clear no; "Can you feel
    # your saddle area?", "Night pain improved?" answered no say a finding (check 52,
    # H3). An allow-list: a word it does not know makes a no a doubt.
    asks_if_present: bool = False
    # The key is a function's name alone ("Sexual function", "Bowel habits"): its
    # "unchanged", "regular", "no problems" say it works.
    names_function: bool = False
    # Signs a no at the key's start denies ("No fever?"): a yes there clears nothing,
    # and a no (or anything but a yes) doubts them (check 52, H4).
    denied: tuple[str, ...] = ()
    # Signs the key mentions by a rule base's related words and names no other way
    # ("Trouble peeing?", "Any falls recently?": related.py): any answer but a plain
    # no doubts them (under a word that may negate, "No falls?", a no too); never
    # does an answer clear them.
    related: tuple[str, ...] = ()
    related_negated: bool = False
    # ... and a word that denies the sign ("No falls?", "Accident free"): its yes
    # says the sign is absent
    related_denied: bool = False

    def __bool__(self) -> bool:
        return bool(self.whole or self.partly)

    @property
    def every(self) -> tuple[str, ...]:
        return self.whole + tuple(q for q in self.partly if q not in self.whole)


def safety_named_in_short(rb: RuleBase, key: str) -> NamedInShort:
    """The safety questions an unknown key names (see NamedInShort): its names read
    one after another (questions_named: "saddle numbness leg pain below knee",
    "saddle_numbness - leg_pain_below_knee"), each part that names one, is all of an
    id's words or is a short name the rule base gives one ("fever", "sciatica"); and,
    partly, a short name of two words or more inside a part ("numbness in both legs")
    or more than half of an id's words ("bladder change"; never a follow-up's).
    "Saddle numbness & bladder change": "yes" was read as saddle numbness alone, and
    "bladder change": "yes" as nothing (unscreened, advice)."""
    if len(key) > MAX_READ_KEY:
        return NamedInShort()
    known = rb.index.short_named_keys
    found = known.get(key)
    if found is None:
        if len(known) >= _MAX_NAMED:
            known.clear()  # bounded, as question_named's
        found = known[key] = _named_in_short(rb, key)
    return found


def _named_in_short(rb: RuleBase, key: str) -> NamedInShort:
    # (an apostrophe inside a word joins it: "Can't pee" is "cant pee", never "can"
    # and "t pee"; between two words it parts them, "Fever'Sciatica")
    folded = _APOSTROPHES.sub("'", fold_key(key))
    folded = _CONTRACTION.sub("", _CLITIC.sub("", folded))
    negated = _NEGATED_KEY.match(folded)
    first = _negated_first(rb, folded[negated.end() :]) if negated else None
    if first is not None:
        # "No fever/chills": "yes" says the signs are absent: read as naming them, a
        # clear client was referred (check 43, M1). A no before a sign's name names
        # none of that sign's; a no that is the sign ("No control over bladder", "No
        # bladder control") still names it (check 44); and a second sign after it is
        # read as any name is ("No fever, numb groin": it was lost, check 46 H4).
        signs, rest = first
        after = rest.lstrip("_,;/|&+:()[]- ")
        later = safety_named_in_short(rb, after) if after else NamedInShort()
        return NamedInShort(
            tuple(q for q in later.whole if q not in signs),
            tuple(q for q in later.partly if q not in signs),
            tuple(q for q in later.inside if q not in signs),
            denied=tuple(q for q in signs if q in rb.index.screen_questions),
        )
    rest = folded[negated.end() :] if negated else ""
    if rest and _WORD.fullmatch(rest.rstrip("?")):
        # A no before words that only ask for one sign ("No numbness in the saddle
        # area", "Not any fever") denies it, as "No fever" does; before a function
        # ("No bladder control") it is the sign; and a second part after a mark is
        # read as any name is ("No to fever, numb groin").
        after_no = safety_named_in_short(rb, rest)
        if (
            after_no.asks_if_present
            and not after_no.mentions_normal
            and not after_no.denied
            and len(after_no.every) == 1
        ):
            return NamedInShort(denied=after_no.every)
    screened = rb.index.screen_questions
    whole: dict[str, None] = dict.fromkeys(q for q in questions_named(rb, key) if q in screened)
    partly: dict[str, None] = {}
    named_inside: dict[str, None] = {}
    mentions = mentions_normal(folded)
    short = rb.index.short_names
    shapes = rb.index.short_name_shapes
    named = rb.index.folded_ids
    for part in _WORD.findall(folded.replace("_&_", "_and_")):
        # A short name with a joining word of its own ("pins and needles") is whole,
        # and so are short names one after another ("Fever Sciatica", "Incontinence -
        # Numb groin": read as one piece, they named nothing: check 43, H2).
        bare = _without_joins(header_folded(part.strip("_")))
        # (in the plural too: "Fevers?", "Cancers?" named nothing, check 53 H5)
        whole.update(dict.fromkeys(short.get(bare) or short.get(_singular(bare), ())))
        for name in _short_in_turn(bare.split("_"), short):
            whole.update(dict.fromkeys(short[name]))
        # ... and inside a longer part too ("Pins and needles today", "Pins & needles
        # in feet": parted at its "and", it named nothing; check 52, H6)
        joined = bare.split("_")
        for length in range(2, min(len(joined) - 1, _MAX_SHORT_WORDS) + 1):
            for start in range(len(joined) - length + 1):
                named_run = joined[start : start + length]
                name = "_".join(named_run)
                # (plurals too: "Recent fevers", check 54 N7)
                owners = short.get(name) or short.get(_singular(name), ())
                partly.update(dict.fromkeys(owners))
                # (as below: not of a relative, nor of another part of the body unless
                # the name holds its own: "Pins and needles in hands?" is no leg's)
                if _SOMEONE_ELSE.isdisjoint(joined) and (
                    _ELSEWHERE.isdisjoint(joined)
                    or not _SITES.isdisjoint(named_run)
                    or not _LEG_PLACES.isdisjoint(joined)
                ):
                    named_inside.update(dict.fromkeys(owners))
        for piece in _JOINED_PIECES.split(part.strip("_")):
            qid = _name_of(piece, named)
            if qid in screened:
                whole[qid] = None
            words = [word for word in header_folded(piece).split("_") if word not in _JOINING_WORDS]
            # A short name as the whole piece names its sign whole ("Fever"); inside a
            # longer piece, a word or more, only partly ("numbness in both legs", "Loss
            # of bladder control": named by nothing, a yes was lost and the advice shown,
            # check 44). A no before the name is read above ("no fever" names nothing).
            whole.update(dict.fromkeys(short.get("_".join(words), ())))
            inside = (
                "_".join(words[start : start + length])
                for length in range(1, min(len(words) - 1, _MAX_SHORT_WORDS) + 1)
                for start in range(len(words) - length + 1)
                # a lookup only where a short name starts, ends and fits (in the plural
                # too: "Recent fevers", "Cancers in the past?", check 54 N7)
                if (words[start], words[start + length - 1], length) in shapes
                or (
                    _singular(words[start]),
                    _singular(words[start + length - 1]),
                    length,
                )
                in shapes
            )
            # A key that says a finding is normal or absent ("pain at rest feels fine",
            # "Bowel movements normal?") may be answered yes for a no, and one about
            # someone else or another part of the body ("Family cancer history", "knee
            # pain after trauma": check 33) may be answered yes with the lifter's sign
            # absent: partly only.
            plain = _SOMEONE_ELSE.isdisjoint(words) and (
                mentions or _NORMAL_FINDINGS.isdisjoint(words)
            )
            here = _ELSEWHERE.isdisjoint(words) or not _LEG_PLACES.isdisjoint(words)
            for run in inside:
                owners = short.get(run) or short.get(_singular(run), ())
                partly.update(dict.fromkeys(owners))
                if plain and (here or not _SITES.isdisjoint(run.split("_"))):
                    named_inside.update(dict.fromkeys(owners))
            said = set(words)
            if len(said) < 2:
                continue
            for qid, id_words, follows in rb.index.safety_words:
                if said == id_words:
                    whole[qid] = None
                elif said < id_words and 2 * len(said) > len(id_words) and not follows:
                    partly[qid] = None
                    if len(said) >= 3 and plain and not said <= _BODY | _ELSEWHERE:
                        # three of an id's words say the sign ("Pain below the knee?",
                        # the contract's own wording: its yes was lost beside the
                        # sign's "no", check 54 N2)
                        named_inside[qid] = None
    if not whole and not partly and not any(qid in folded for qid in screened):
        # A form's own wording of a sign's question ("Any numbness around the groin
        # or inner thighs?", "Is a leg getting weaker as the days go by?"): named by
        # most of its words, as a coach's intake names them. Named by nothing, a "Yes"
        # there was lost: unscreened, with advice (a new user's problem 1, check 54).
        # (A key holding a sign's id whole, "safety_saddle_numbness", is read as such:
        # answers.misspelt_safety.)
        for qid in worded_like(rb, folded):
            partly[qid] = None
            if _SOMEONE_ELSE.isdisjoint(folded.split("_")):
                named_inside[qid] = None
    key_words = _WORD_ONLY.findall(folded)
    return NamedInShort(
        tuple(whole),
        tuple(q for q in partly if q not in whole),
        tuple(q for q in named_inside if q not in whole),
        # (a sign named otherwise is read as named: "Saddle area sensation": "intact")
        # (and a side column of a sign's id, "saddle_numbness_comment", is read as
        # one: answers.misspelt_safety)
        # Never by the words of the signs it names: "Saddle numbness & both legs" is
        # no numbness of the legs (check 42, M1); "Pins and needles in both feet" is
        # both legs' too.
        related=tuple(
            q
            for q in mentioned(rb.index.related, key_words, sign_words(rb, (*whole, *partly)))
            if q not in whole and q not in partly and q not in folded
        ),
        related_negated=may_negate(key_words),
        related_denied=may_deny(key_words),
        asks_if_normal=len({*whole, *partly}) == 1 and asks_if_normal(folded),
        mentions_normal=mentions,
        asks_if_present=_asks_if_present(rb, folded, (*whole, *partly)),
        names_function=names_a_function(folded),
    )


def _asks_if_present(rb: RuleBase, folded: str, signs: tuple[str, ...]) -> bool:
    """Whether a folded key only asks whether ``signs`` are present (see
    NamedInShort.asks_if_present)."""
    if not signs:
        return False
    text = _FORM_HINT.sub("_", folded)
    if _NOT_PLAIN_MARK.search(text):
        return False
    # (a name that says a function fails, "can't pee", lends no word that asks; the
    # words of the sign's own question do: "Is a leg getting weaker as the days go by?")
    worded = question_words_of(rb)
    named = (sign_words(rb, signs) | frozenset().union(*(worded.get(q, ()) for q in signs))) - _ABLE
    said = re.findall(r"[a-z]+", text)
    if "since" in said:
        # "since the pain started" dates the question; "Did it start before ...?" asks
        # something else
        said = [word for word in said if word not in _ONSET_WORDS]
    said = _RUN_DOWN.sub("rundown", " ".join(said)).split()  # "run down" is unwell
    if "down" in said and _LEG_PLACES.isdisjoint(said[said.index("down") + 1 :]):
        # "down" asks for a place only before one ("Pain down the leg?"); "Is the
        # sciatica down?" asks whether it eased, and its no says it is there (check
        # 56, OPEN1: read as a clear no, "ok" with advice)
        return False
    loses: frozenset[str] = frozenset()
    if not _FUNCTIONS.isdisjoint(said):
        # "Do you have bladder control?", "Any sex life?": a no says the function is
        # lost, unless the key asks for the loss ("Loss of bladder control", "No
        # bladder control"; check 53, H2: the reading was exactly inverted), in the
        # question itself, not in a clause that dates it ("Do you have bladder control
        # since your back problem?": its no is the loss; check 55, N4)
        asked = said[: next((i for i, w in enumerate(said) if w in _DATING), len(said))]
        if _FAILURES.isdisjoint(asked) and _LOST.isdisjoint(asked):
            return False
        loses = _LOST
    unknown = [
        word
        for word in said
        if not (
            word in loses
            or word in named
            or word.removesuffix("s") in named
            or word in _PRESENCE
            or word in _BODY
            or word in _ELSEWHERE
        )
    ]
    # One word of a coach's own in a question of four or more ("Lost weight without
    # meaning to?", "Throbbing in the tummy or a tearing pain?", "Stiff for more than
    # half an hour when you wake up?") asks nothing else, unless it is a word that
    # turns the question around ("better", "still", "can"): with every word required,
    # each such "No" was "not sure", and a 62-year-old who answered No to everything
    # was sent to an emergency department (attack round 63)
    return not unknown or (len(unknown) == 1 and len(said) >= 4 and unknown[0] not in _TURNS)


_RUN_DOWN = re.compile(r"\brun down\b")
# Words that make a key ask something else than whether a sign is there
_TURNS = frozenset(
    {"better", "improve", "improved", "improving", "improvement", "easing", "eased", "eases"}
    | {"settled", "settling", "gone", "same", "less", "fewer", "reduced", "stable", "still"}
    | {"can", "could", "feel", "able", "working", "work", "works", "back", "returned"}
    | {"recovered", "resolved", "cleared", "okay", "ok", "fine", "good", "else", "other"}
    | {"family", "before", "previously", "usual", "normal", "normally", "down"}
    | {"no", "not", "never", "none", "nothing", "dont", "doesnt", "isnt", "arent", "hasnt"}
    | {"havent", "didnt", "cant", "cannot", "wont", "without", "free", "absent", "negative"}
    # a question of when, or of a time limit: its no says when, not whether (check 55)
    | {"start", "started", "began", "begin", "beginning", "onset", "first", "minutes"}
    | {"mins", "within", "under"}
)


def worded_like(rb: RuleBase, folded: str) -> tuple[str, ...]:
    """The safety questions a key is a wording of: at least two of its content words
    (not grammar) are words of the question's id, text or short names, and they are
    at least half of its content words; the best such question, or those tied."""
    said = _content_words(folded)
    if len(said) < 2:
        return ()
    # Words every question of a region shares ("leg", "pain") count only beside one
    # of the question's own ("Any new weakness in a leg or foot?": "weakness").
    specific = said - _NEVER_A_NAME
    best, found = 1, list[str]()
    for qid, vocabulary in question_words_of(rb).items():
        shared = len(specific & vocabulary)
        # two words at least, two thirds of a long key's, every one of a short key's:
        # "Weight loss goal" (a gym's column) names no sign
        if shared < 2 or 3 * shared < 2 * len(specific) or shared < best:
            continue
        if len(specific) <= 3 and shared < len(specific):
            continue
        if shared > best:
            best, found = shared, []
        found.append(qid)
    return tuple(found)


def question_words_of(rb: RuleBase) -> Mapping[str, frozenset[str]]:
    """Each screened question's content words: of its id, text and short names."""
    known = rb.index.question_words
    if not known:
        for qid in rb.index.screen_questions:
            question = rb.questions.get(qid)
            if question is not None and question.type.value != "number":
                # (without what the question says it is not: "(not the muscle soreness
                # after a leg day)" named the sign by it, check 55 M5)
                said = _NOT_CLAUSE.sub(" ", question.text)
                text = " ".join((qid, said, *question.short_names))
                known[qid] = _content_words(fold_key(text)) - _NEVER_A_NAME
    return known


_NOT_CLAUSE = re.compile(r"\((?:not|never)\b[^)]*\)", re.IGNORECASE)


def _content_words(folded: str) -> frozenset[str]:
    """A folded text's words that say something (not grammar), in the singular."""
    return frozenset(
        word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word
        for word in re.findall(r"[a-z]+", folded)
        if len(word) > 2 and word not in _GRAMMAR_WORDS
    )


_GRAMMAR_WORDS = frozenset(
    {"the", "and", "any", "you", "your", "have", "has", "had", "does", "did", "are", "was"}
    | {"were", "been", "that", "this", "with", "for", "from", "into", "than", "ever", "not"}
    | {"yes", "how", "what", "when", "where", "which", "who", "why", "there", "their", "its"}
    | {"such", "can", "will", "would", "should", "could", "may", "might", "more", "less"}
    | {"one", "all", "some", "new", "since", "after", "before", "over", "under", "about"}
)
# Words of a question's text that say how it works, never what the sign is: a key
# with them asks something else ("Are you controlling your bladder?").
_NEVER_A_NAME = frozenset(
    {"controlling", "control", "feel", "feeling", "sensation", "function", "normal"}
    | {"normally", "position", "eases", "ease", "easing", "pain", "back", "leg", "foot"}
    # (words any question may hold: "Other symptoms" named both legs' by "other" and
    # "symptoms", and any note under it referred; check 57, a clinician's read)
    | {"other", "symptom", "symptoms", "problem", "problems", "issue", "issues"}
)


def sign_words(rb: RuleBase, signs: Iterable[str]) -> frozenset[str]:
    """The words of the signs' ids and short names ("fever", "unwell", "chills" for
    fever_or_unwell)."""
    found: set[str] = set()
    for qid in signs:
        question = rb.questions.get(qid)
        if question is not None:
            for name in (qid, *question.short_names):
                found.update(re.findall(r"[a-z]+", fold_key(name)))
    return frozenset(found)


# The grammar of a question whether a sign is present, and the words of a failure it
# may name ("loss of", "trouble", "leaking"). Never a word of a function that works
# ("able", "can", "feel", "hold", "working") or of a change ("better", "improved",
# "settled", "worse"): a no there may say a finding.
_PRESENCE = frozenset(
    {"any", "do", "does", "did", "you", "your", "have", "has", "had", "ever", "is", "are"}
    | {"there", "an", "the", "of", "or", "and", "with", "in", "on", "at", "to", "for"}
    | {"since", "recent", "recently", "new", "current", "currently", "now", "today"}
    | {"yesterday", "last", "past", "this", "week", "weeks", "month", "months", "year"}
    | {"years", "day", "days", "noticed", "experienced", "experiencing", "history"}
    | {"sign", "signs", "symptom", "symptoms", "problem", "problems", "issue", "issues"}
    | {"trouble", "troubles", "change", "changes", "episode", "episodes", "y", "n", "yes"}
    # ("Have you felt feverish or generally unwell lately?", "Do you get ...": check 61)
    | {"felt", "lately", "get"}
    # (no "no" or "not": "Do you have no fever?", "Fever - no?" deny what they name,
    # check 53 H3)
    | {"q", "i", "my", "me", "loss", "lost", "difficulty", "leaking", "leak", "leaks"}
    | {"accident", "accidents", "sudden", "suddenly", "pain", "painful", "present"}
    | {"suffer", "suffered", "suffering", "from", "such", "as", "eg", "e", "g", "etc"}
    | {"control", "tingling", "numb", "numbness", "a", "when", "while", "during", "after"}
    | {"before", "lifting", "training", "exercise", "exercising", "pads", "pad", "need"}
    | {"needed", "use", "using", "was", "were", "been", "child", "born", "birth", "baby"}
    | {"childbirth", "pregnancy", "jumping", "running", "heavy", "coughing", "sneezing"}
    | {"laughing", "squatting", "pressing", "around", "near", "past", "through", "by"}
    | {"than", "more", "least", "about", "it", "its", "that", "these", "those", "which"}
    | {"what", "how", "whether", "either", "each", "every", "go", "the", "be", "been"}
    # (never a word of a change or a time it ends: "Fever down?", "Does the stiffness
    # go within 30 minutes?", "Did the incontinence start before the back pain?"
    # answered no say the sign is there; check 55, R1)
)
_APOSTROPHES = re.compile("[\u2018\u2019\u02bc\u0060\u00b4\u2032]")
# "n't" joins its word ("cant", "isnt"); "'s", "'ll", "'re", "'ve", "'d", "'m" go
# ("Sciatica's back?" is "sciatica back": joined, "sciaticas" named nothing, check 54)
_CONTRACTION = re.compile(r"(?<=n)'(?=t(?![a-z]))")
_CLITIC = re.compile(r"(?<=[a-z])'(?:s|ll|re|ve|d|m)(?![a-z])")
_ABLE = frozenset({"can", "cannot", "t", "pass", "able", "well"})
# ("since the beginning?" asks whether it was there all along: its no is no clear no,
# check 56 REG2)
_ONSET_WORDS = frozenset({"started", "start", "began", "begin"})
# Words that open a clause dating a question ("... since your back problem").
_DATING = frozenset({"since", "after", "following", "because", "from", "when", "while"})
_LOST = frozenset({"no", "not", "without", "cannot"})  # before a function: its loss
# Words that ask for a function's loss ("Loss of bladder control", "Reduced saddle
# sensation"): with one, a key naming a function asks for the sign.
_FAILURES = frozenset(
    {"loss", "lost", "losing", "trouble", "troubles", "difficulty", "difficulties"}
    | {"problem", "problems", "issue", "issues", "change", "changes", "reduced", "poor"}
    | {"weak", "weakness", "altered", "abnormal", "decreased", "impaired", "dysfunction"}
    | {"unwell", "ill", "sick", "poorly", "numb", "numbness", "tingling"}
)
_BODY = frozenset(
    {"bladder", "bowel", "bowels", "groin", "saddle", "area", "region", "genitals"}
    | {"genital", "buttock", "buttocks", "thigh", "thighs", "inner", "perineum", "perineal"}
    | {"leg", "legs", "foot", "feet", "toe", "toes", "belly", "chest", "back", "spine"}
    | {"spinal", "hip", "hips", "lower", "upper", "left", "right", "both", "one", "side"}
    # going to the toilet is the bladder's and bowel's business ("Any change in going to
    # the toilet (bladder or bowel)?": its No was "not sure", 14 of 15 clients referred)
    | {"toilet", "loo", "bathroom", "going", "go", "habits", "waterworks"}
)


def _singular(folded: str) -> str:
    """A folded name with each plural word made singular, roughly ("fevers" ->
    "fever"; "chills", "bowels", "legs" stay words of their own names)."""
    return "_".join(
        word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word
        for word in folded.split("_")
    )


def short_named(rb: RuleBase, key: str) -> str | None:
    """The one safety question a key names by one of its short names, the key whole
    (marks, a note in brackets and joining words aside): "Saddle anaesthesia",
    "Pulsating belly?", "Cancer (Y/N)"; None for a key that names none, or more than
    one ("foot drop"). Read only under a yes (see answers.short_names_said_yes): a
    short name is broader than its question, so its no clears nothing."""
    if len(key) > MAX_READ_KEY:
        return None
    folded = fold_key(key)
    stem = _NOTE_AT_END.sub("", folded).strip("_") or folded
    short = rb.index.short_names
    for reading in (folded, header_folded(folded), header_folded(stem)):
        named = short.get(_without_joins(reading.replace("/", "_")))
        if named is not None:
            return named[0] if len(named) == 1 else None
    return None


# (A no before the name is read as a negated key; a no that is the sign, "No bladder
# control", names it.)


def mentions_normal(folded: str) -> bool:
    """Whether a folded key holds a word of a normal finding ("normal", "fine",
    "gone", "abnormal") or is a function's name alone ("Sexual function", "Bladder
    control?"; "Loss of bladder control" names a sign): a no under it may be a finding,
    so it never clears a sign's doubt. A word list that only ever adds doubt: a word
    missed here leaves the key read as a sign's name is."""
    said = set(re.findall(r"[a-z]+", folded))
    if "normal" in folded or not _NORMAL_FINDINGS.isdisjoint(said):
        return True
    return names_a_function(folded)


def names_a_function(folded: str) -> bool:
    """Whether a folded key is a function's name and nothing more ("Sexual function",
    "Bladder control?"): its yes may say the function works, its no that it is lost."""
    said = set(re.findall(r"[a-z]+", folded))
    return not _FUNCTIONS.isdisjoint(said) and _only_parts(folded, said)


def _only_parts(folded: str, said: set[str]) -> bool:
    """Whether a key's words, a form's hints aside, are all parts of the body, their
    functions, grammar or asking words (see asks_if_normal)."""
    if _FORM_HINT.search(folded):
        said = set(re.findall(r"[a-z]+", _FORM_HINT.sub("_", folded)))
    return all(word in _ASKING or word in _PARTS or word in _GRAMMAR for word in said)


def asks_if_normal(folded: str) -> bool:
    """Whether a folded key only asks or says whether a part is normal: one question
    at most, every word a part of the body, a word of grammar or a form's hint, and a
    word that asks ("Bowel movements normal?", "Is bladder function normal for you?",
    "Normal sensation (saddle area)?", "Bladder normal (Y/N)?", "Bowels - regular").
    A yes there says nothing was found. An allow-list on purpose: the deny-lists
    before it missed "isnt", "vs.", "instead of", "beyond" (check 50, F3), and each
    miss cleared a sign's yes; a word not listed here only makes the yes a doubt (a
    referral "not sure")."""
    text = _FORM_HINT.sub("_", folded)  # (folded: NFKC made "？" a "?")
    if len(re.findall(r"\?+", text)) > 1 or _NOT_PLAIN_MARK.search(text):
        # "Fever? Bowels normal?" asks two things; a mark that may negate ("Bladder
        # ¬normal?", "!normal", "≠", "❌", "<") is no plain question (check 52, H1)
        return False
    said = set(re.findall(r"[a-z]+", text))
    return not _ASKING.isdisjoint(said) and _only_parts(text, said)


# What a plain question's key is written with besides letters: a form's marks.
_NOT_PLAIN_MARK = re.compile(r"[^a-z0-9_?:()\[\]/&*.,'+\s-]")  # ("4-6+ weeks": check 63)
# Words of a normal finding: a key holding one may be answered no for a finding.
_NORMAL_FINDINGS = frozenset(
    {"normal", "normally", "regular", "regularly", "fine", "ok", "okay", "usual", "unchanged"}
    | {"clear", "absent", "negative", "unremarkable", "free", "resolved", "gone", "intact"}
    | {"well"}
)
# A function's name: "Sexual function": "none", "Bladder control": "no" say a loss.
_FUNCTIONS = frozenset(
    {"function", "functions", "functioning", "control", "sensation", "feeling", "strength"}
    | {"erection", "erections", "life", "continence", "habits", "habit"}
)
# The allow-list of asks_if_normal: the asking words, the parts a screen names, and
# grammar. Plurals are listed as such.
_ASKING = frozenset(
    {"normal", "normally", "regular", "regularly", "fine", "ok", "okay", "usual", "well"}
)
_PARTS = frozenset(
    {"bladder", "bladders", "bowel", "bowels", "urine", "urinating", "urination", "pee"}
    | {"peeing", "water", "stool", "stools", "toilet", "continence", "saddle", "area"}
    | {"region", "groin", "genital", "genitals", "genitalia", "buttock", "buttocks"}
    | {"bottom", "inner", "thigh", "thighs", "perineum", "perineal", "sexual", "sex"}
    | {"erection", "erections", "sensation", "sensations", "feeling", "function"}
    | {"functions", "functioning", "control", "movement", "movements", "habit", "habits"}
    | {"emptying", "passing", "going", "bowelmovements", "erectile", "life", "leg", "legs"}
    | {"strength", "temperature", "temp", "body"}
)
_GRAMMAR = frozenset(
    {"is", "are", "your", "you", "my", "do", "does", "can", "feel", "feels", "still"}
    # (no "a": "Bladder a-normal?" is "abnormal", check 52 H1)
    | {"and", "both", "all", "the", "for", "to", "in", "of", "at", "today", "now"}
    | {"currently", "working", "work", "works", "as", "q", "s"}
)
# A form's hint after the question, or just before its "?": "(Y/N)", "[yes/no]",
# "Y or N", "(tick)", "*required" ("Bladder: Yes/No - normal?" is no such hint).
_FORM_HINT = re.compile(
    r"[(\[]?_*(?<![a-z])(?:y_?/_?n|yes_?/_?no|y_or_n|yes_or_no|tick|please_tick|required)"
    r"(?![a-z])_*[)\]]?(?=[_?:*.]*$)"
)
# A key about someone else ("Family cancer history", "Mother: bladder problems") may
# be answered yes with the lifter's sign absent. Only relatives a family-history column
# names: "since my child was born" is the lifter's own story (check 47, N2).
_SOMEONE_ELSE = RELATIVES
# Another part of the body ("knee pain after trauma"): the sign named is not the
# lifter's back's, unless the name holds its own part ("Numbness in groin and hands"
# is the groin's numbness: check 47, N2).
_ELSEWHERE = frozenset(
    {"knee", "knees", "shoulder", "shoulders", "elbow", "wrist", "ankle", "neck", "hand"}
    | {"hands", "arm", "arms", "finger", "fingers", "head"}
)
_SITES = _PARTS | frozenset({"belly", "chest", "leg", "legs", "back", "spine", "spinal"})
# A leg's own places: with one, a key naming "knee" or "hands" too is still the leg's
# ("Pins and needles in hands and feet?", "Pain below the knee?": check 54, N2)
_LEG_PLACES = frozenset(
    {"leg", "legs", "foot", "feet", "toe", "toes", "groin", "saddle", "buttock", "buttocks"}
    | {"thigh", "thighs", "calf", "calves", "shin", "shins", "heel", "heels", "below", "past"}
    | {"down"}
)


_NEGATED_KEY = re.compile(r"(?:no|not|without|denies|denied|absent|negative_for)_")


def _negated_first(rb: RuleBase, rest: str) -> tuple[tuple[str, ...], str] | None:
    """The signs the first name after a key's no names ("fever" in "no_fever/chills",
    "no_fever_numb_groin"), and the key after that name; None when the words after the
    no name no sign, or go on past its name with words of no name ("bladder_control" in
    "no_bladder_control": that no is the sign)."""
    run = re.match(r"[a-z0-9_]*[a-z0-9]", rest)
    if run is None:
        return None
    words = run.group(0).split("_")
    length = _name_at(rb, words)
    if not length:
        return None
    after = words[length:]
    if after and after[0] not in _JOINING_WORDS and not _name_at(rb, after):
        return None
    name = _without_joins("_".join(words[:length]))
    if names_a_function(name):
        return None  # "No erections", "No sexual function": that no is the sign (check 54)
    signs = rb.index.short_names.get(name) or (name,)
    return signs, rest[len("_".join(words[:length])) :]


def _name_at(rb: RuleBase, words: list[str]) -> int:
    """How many of the first words are a safety sign's short name or id (the longest
    such run; 0 for none)."""
    for length in range(min(len(words), _MAX_NAME_WORDS), 0, -1):
        name = _without_joins("_".join(words[:length]))
        if name in rb.index.short_names or name in rb.index.screen_questions:
            return length
    return 0


_MAX_NAME_WORDS = 8  # the longest screened id has six words


def _short_in_turn(words: list[str], short: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The short names a run of words is made of, one after another, every word in
    one ("fever_sciatica"); [] when any word is in none (bounded: names of at most
    _MAX_SHORT_WORDS words, runs of at most _MAX_WORDS_READ)."""
    if len(words) < 2 or len(words) > _MAX_WORDS_READ:
        return []
    # covered[i]: the names that cover the first i words exactly, or None.
    covered: list[list[str] | None] = [[]] + [None] * len(words)
    for end in range(1, len(words) + 1):
        for length in range(1, min(end, _MAX_SHORT_WORDS) + 1):
            before = covered[end - length]
            name = "_".join(words[end - length : end])
            if before is not None and name in short:
                covered[end] = [*before, name]
                break
    return covered[-1] or []


def _short_names_of(
    questions: Mapping[str, Question], screened: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Each screened question's short names, folded, without joining words -> the
    questions that go by it ("foot drop" is a name of two)."""
    named: dict[str, tuple[str, ...]] = {}
    for qid in screened:
        for name in questions[qid].short_names:
            folded = short_name_key(name)
            if folded and qid not in named.get(folded, ()):
                named[folded] = (*named.get(folded, ()), qid)
    return named


def short_name_owner(ident: str, names: Mapping[str, tuple[str, ...]]) -> str | None:
    """The safety question a question id names by its short names (``names``: short
    name key -> questions), as an answer key is read: whole ("fever"), with a yes/no
    ending ("fever_yn"), or several of one question's short names in turn
    ("fever_or_chills"); None for none. A coach's question of such an id would take
    the sign's yes from the screen (check 45 point 3, check 47 N6)."""
    bare = _YES_NO_ENDING.sub("", short_name_key(ident)) or short_name_key(ident)
    owners = names.get(bare) or tuple(
        qid for name in _short_in_turn(bare.split("_"), names) for qid in names[name]
    )
    return owners[0] if owners else None


def short_name_inside(ident: str, names: Mapping[str, tuple[str, ...]]) -> str | None:
    """The safety question whose short name a question id holds among other words
    ("q_fever", "recent_fever", "fever_2"): an answer key so named is read as a doubt
    of that sign (index.safety_named_in_short), so a coach's question of that id would
    take the doubt away from the screen (check 48, H7). None for none."""
    words = short_name_key(ident).split("_")
    for length in range(min(len(words), _MAX_SHORT_WORDS), 0, -1):
        for start in range(len(words) - length + 1):
            owners = names.get("_".join(words[start : start + length]))
            if owners:
                return owners[0]
    return None


_YES_NO_ENDING = re.compile(r"_(?:yn|y_n|yes_no|yesno|bool|flag)$")


def short_name_key(name: str) -> str:
    """A short name as keys are matched against it: folded, '/' as a space, without
    joining words ("Bladder/bowel" -> "bladder_bowel")."""
    return _without_joins(fold_key(name).replace("/", "_"))


def _shapes_of(names: Iterable[str]) -> frozenset[tuple[str, str, int]]:
    """Each name's first word, last word and length in words."""
    return frozenset(
        (parts[0], parts[-1], len(parts)) for parts in (name.split("_") for name in names)
    )


_MAX_SHORT_WORDS = 4  # a short name is a word or two; four at most is looked for inside


def _safety_words_of(
    questions: Mapping[str, Question], screened: Iterable[str]
) -> tuple[tuple[str, frozenset[str], bool], ...]:
    """Each screened question with the words of its id, and whether it is a follow-up."""
    return tuple(
        (qid, frozenset(qid.split("_")) - _JOINING_WORDS, questions[qid].follow_up_of is not None)
        for qid in screened
    )


def words_of(text: str) -> tuple[str, ...]:
    """A text's words as Latin letters and digits, marks and case aside."""
    return tuple(_WORD_ONLY.findall(latin_letters(text)))


def _screens_by_words(screens: Iterable[Screen]) -> dict[tuple[str, ...], Screen]:
    """Each screen by the words of its id and own question, and of its id after
    "screen" ("screen_nerve_signs", "screens:nerve_signs": a near miss of the
    interview's key)."""
    return {
        words_of(name): screen
        for screen in screens
        for name in (screen.text, screen.id, "screen " + screen.id, "screens " + screen.id)
    }


_JOINED_PIECES = re.compile(r"_(?:and|or|plus|with|&)_")


# A key that names someone else ("dog/age", "mother/cancer_history", "Age (from
# Coach)") is still read as the lifter's answer: the careful reading. A guard that
# left such keys unread (5948a3e) took lifters' own answers away whenever a label
# named a coach, a trainer or a contact ("(asked by coach)", "first_contact/"),
# lowering emergencies in two rounds (checks 27, 28); a raised level is the lesser harm.
_NEGATING = re.compile(r"(?:^|_)(?:no|not|non|never|without|none)$")


# The longest key read as anything but a question's id (a question's own words are
# the longest thing a form puts there: about 220 letters).
MAX_READ_KEY = 400


def _key_readings(folded: str) -> list[str]:
    """What a folded key may name, in order: a form header around the id (see
    header_folded); the key without a note in brackets at its end ("Saddle Numbness
    (Y/N)", Airtable's "Age (from Client)") or a '_yn' ending; its words joined
    ("saddle.numbness", a question's own text, as a form built from `rules show`
    names its items); the last part of a path (KoboToolbox's
    "safety/saddle_numbness", pandas' "('answers', 'saddle_numbness')"); the key
    without a type a tool appends ("saddle_numbness_boolean", see _TYPE_AT_END). Read
    as unknown keys, each was a yes lost or one level lower (check 25)."""
    stem = _NOTE_AT_END.sub("", folded).strip("_") or folded
    readings = [header_folded(folded), header_folded(stem)]
    typed = _TYPE_AT_END.sub("", folded)
    if typed != folded and typed:
        readings.append(typed)
    # A label's joining words: "Bladder or bowel change" for bladder_bowel_change (a
    # yes was "not sure", one level lower, and a "FALSE" referred a clear client:
    # check 29, U-H6); both sides are read without them.
    joined = _without_joins("_".join(_WORD_ONLY.findall(stem)))
    if joined:
        readings.append(joined)
    for text in dict.fromkeys((folded, stem)):
        parts = _WORD.findall(text)
        if parts:
            readings.append(header_folded("_".join(parts)))
            readings.append("_".join(_WORD_ONLY.findall(text)))
            readings.append(parts[-1].strip("_"))
    return readings


# The type a no-code tool appends to a field's name: Bubble's Data API writes
# "saddle_numbness_boolean", "age_years_number", "pain_location_list_text". Read as
# unknown keys, every client of a Bubble app was lost (check 26, U-H1).
def _without_joins(folded: str) -> str:
    """A folded key or id without the words that join its parts ("or", "and")."""
    return "_".join(word for word in folded.split("_") if word not in _JOINING_WORDS)


_JOINING_WORDS = frozenset({"or", "and", "any", "the", "your"})
_TYPE_AT_END = re.compile(r"_(?:boolean|number|text|list_text|list_number|date)$")
_NOTE_AT_END = re.compile(r"_*(?:\([^()]*\)|\[[^\[\]]*\])$|_(?:yn|y_n|yes_no)$")
_WORD = re.compile(r"[a-z0-9_]*[a-z0-9]")
_WORD_ONLY = re.compile(r"[a-z0-9]+")


def _folded(
    questions: Mapping[str, Question],
    screens: Iterable[Screen] = (),
    flags: Iterable[SafetyFlag] = (),
) -> dict[str, str]:
    found: dict[str, str] = {}
    for qid in questions:
        found.setdefault(fold_key(qid), qid)  # two ids folding alike: the first keeps it
    for qid in questions:
        # The id with its underscores dropped ("saddlenumbness", a form tool's field
        # name): read as a typo, its yes was "not sure" (check 28).
        found.setdefault(fold_key(qid).replace("_", ""), qid)
    for qid in questions:
        # The id without its joining words, as a key is read too (_key_readings).
        found.setdefault(_without_joins(fold_key(qid)), qid)
    # Then their own words ("how_old_are_you"), the bundled questions' first: a form
    # built from the questions names its items by their text (check 25, H5). An id
    # always comes before a text that folds the same.
    for qid, question in sorted(questions.items(), key=lambda item: item[1].from_coach):
        words = _WORD_ONLY.findall(latin_letters(question.text))
        if words:
            found.setdefault("_".join(words), qid)
        # A number question's id without its unit ("age" for age_years, unit years).
        unit = "_" + fold_key(question.unit) if question.unit else ""
        if question.type == "number" and unit and qid.endswith(unit) and len(qid) > len(unit):
            found.setdefault(fold_key(qid[: -len(unit)]), qid)
    # Then a screen's short wording of each of its signs, as the questionnaire shows
    # it: an app that keeps the wording it showed as the key ("numbness or tingling in
    # the groin, ...": "yes") lost the sign, and its advice was shown (check 39, M2).
    for screen in sorted(screens, key=lambda screen: screen.from_coach):
        for qid, wording in screen.items:
            words = _WORD_ONLY.findall(latin_letters(wording))
            if words and qid in questions:
                found.setdefault("_".join(words), qid)
    # Then the title of a flag that one sign raises on its own, as a result shows it
    # ("Numbness or tingling in the saddle area"): a record written back from a report
    # keyed its yes by that title, and the sign was lost (a new user's P10).
    for flag in sorted(flags, key=lambda flag: flag.from_coach):
        (qid,) = flag.questions if len(flag.questions) == 1 else ("",)
        words = _WORD_ONLY.findall(latin_letters(flag.title))
        if qid in questions and words:
            found.setdefault("_".join(words), qid)
    return found


def build_index(rb: RuleBase) -> RuleIndex:
    from .conditions.compile import compile_condition

    rules = rb.rules
    strata = compute_strata(rules)
    looped = bool(cycles(rules))
    derived = frozenset(rb.facts) | frozenset(rb.causes)
    questions = rb.questions
    safety = frozenset(
        q for flag in rb.safety_flags.values() for q in flag.questions | flag.unless_questions
    )
    derived_set = set(derived)  # what the condition compiler takes
    screened = tuple(
        q for q, question in questions.items() if q in safety and not question.replaced_by
    )
    short_names = _short_names_of(questions, screened)
    folded = _folded(questions, rb.screens.values(), rb.safety_flags.values())
    return RuleIndex(
        by_question=_grouped([(q, rule) for rule in rules for q in sorted(rule.questions)]),
        by_fact=_grouped([(f, rule) for rule in rules for f in sorted(rule.facts)]),
        by_conclusion=_grouped([(rule.concludes, rule) for rule in rules]),
        by_id={rule.id: rule for rule in rules},
        static={rule.id: _rule_static(rule) for rule in rules},
        strata=strata,
        has_cycles=looped,
        plan=None if looped else build_plan(rules, questions, strata),
        derived_ids=derived,
        safety_questions=safety,
        screen_questions=screened,
        replaced=tuple(q for q, question in questions.items() if question.replaced_by),
        folded_ids=folded,
        names=_name_index(folded),
        coach_questions=frozenset(q for q, question in questions.items() if question.from_coach),
        short_names=short_names,
        short_name_shapes=_shapes_of(short_names),
        safety_words=_safety_words_of(questions, screened),
        screens_by_words=_screens_by_words(rb.screens.values()),
        related=compile_related((q, questions[q].related_words) for q in screened),
        conditions=tuple(rule.condition for rule in rules)
        + tuple(flag.condition for flag in rb.safety_flags.values()),
        compile_leaf=lambda leaf: compile_condition(leaf, questions, derived_set).evaluate,
    )
