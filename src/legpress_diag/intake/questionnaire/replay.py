"""A session rebuilt from the answers given so far, in order.

This is how every front end carries a session: the HTTP interview and the web page
keep only the answers (in the contract's record format), and ``ask --answers`` starts
from a saved record. One function reads them all (``state_from_answers``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from itertools import islice

from ...foundation.jsonvalue import JsonObject, JsonValue
from ...foundation.problems import did_you_mean
from ...knowledge.facts import NormalisedValue, RawAnswers
from ...knowledge.index import question_named
from ...knowledge.rulebase import (
    CHECK_PREFIX,
    SCREEN_PREFIX,
    UNSURE_MARK,
    UNSURE_REST,
    QuestionType,
    RuleBase,
    Screen,
)
from ...reasoning.answers import AnswerProblem, show_value
from ..answers import (
    MAX_SUGGESTED,
    MAX_UNKNOWN_LISTED,
    misspelt_safety,
    misspelt_safety_id,
    never_asked,
    normalize_answers,
    read_as,
    short_names_said_yes,
    unlisted,
    unsure_answers,
    yes_under_other_keys,
)
from .choice import self_check_due
from .state import SessionState, record_answer


@dataclass(frozen=True)
class Replay:
    """A session rebuilt from its answers, or what is wrong with them (per key)."""

    state: SessionState
    errors: tuple[AnswerProblem, ...] = ()
    warnings: tuple[AnswerProblem, ...] = ()
    # The states this one replay went through, answer by answer (a key that changes
    # nothing adds none), and last the state itself: what ``progress.about_left``
    # estimates from, with no replay of each prefix (10,000 unknown keys made that
    # 50 million key readings, issue 20). When every key is a question, screen or
    # self-check id these are exactly the states each prefix replays to; with other
    # keys, close to them (an unknown key is read against the whole record). None
    # when an answer is invalid.
    prefixes: tuple[SessionState, ...] | None = None


# Keys of the answers between two looks at the request's deadline (``check``): a
# look costs a clock read, a key a few microseconds.
CHECK_EVERY = 256

_SCREEN_REPLIES = {"yes": True, "no": False, "unsure": None}


def _screen_reply(
    rb: RuleBase, key: str, value: JsonValue, *, suggest: bool = True
) -> tuple[Screen | None, NormalisedValue | None, str]:
    """(screen, True/False/None, problem): a screen's reply, or why it is not one
    (with a "did you mean" when ``suggest``)."""
    screen_ = rb.screens.get(key.removeprefix(SCREEN_PREFIX))
    if screen_ is None:
        ids = [SCREEN_PREFIX + s for s in rb.screens]
        hint = did_you_mean(key, ids) if suggest else None
        return None, None, "unknown safety screen" + (f"; {hint}" if hint else "")
    if screen_.style == "pick":
        return _checklist_reply(screen_, key, value)
    if isinstance(value, bool):
        return screen_, value, ""
    if isinstance(value, str) and value.strip().lower() in _SCREEN_REPLIES:
        return screen_, _SCREEN_REPLIES[value.strip().lower()], ""
    return screen_, None, f"{key}: {show_value(value)} is not a yes/no answer"


def _checklist_reply(
    screen_: Screen, key: str, value: JsonValue
) -> tuple[Screen, frozenset[str] | None, str]:
    """A checklist's reply: a list of the item ids that happen ("?ID" for one that
    cannot be told), or "unsure" to go through the items one by one."""
    if isinstance(value, str) and value.strip().lower() == "unsure":
        return screen_, None, ""
    items = set(screen_.question_ids)
    if isinstance(value, list) and all(
        isinstance(v, str) and (v.removeprefix(UNSURE_MARK) in items or v == UNSURE_REST)
        for v in value
    ):
        return screen_, frozenset(v for v in value if isinstance(v, str)), ""  # all are
    expected = ", ".join(screen_.question_ids)
    return (
        screen_,
        None,
        (
            f"{key}: {show_value(value)} is not a list of its items ({expected}; '?ID' for "
            f"one you cannot tell; '{UNSURE_REST}' for 'not sure about the rest') or \"unsure\""
        ),
    )


def state_from_answers(
    rb: RuleBase,
    answers: RawAnswers,
    *,
    keep_valid: bool = False,
    check: Callable[[], None] | None = None,
    said_yes: Collection[str] = (),
) -> Replay:
    """The session that answering ``answers`` in their order would have built.

    This is how a stateless client (the HTTP interview, the web page) carries a
    session: the answers so far, in the contract's record format, in the order given.
    ``"unsure"`` is "not sure" for any question (for a choice or a list too: asked,
    unknown). A number question with ``words`` also takes one of them (its label). A
    screen's pseudo-question ``"screen:ID"`` takes yes/no/unsure: ``"no"`` answers every
    sign it still lists "no", like "none of these" in ``ask``; ``"yes"`` or ``"unsure"``
    opens it, so its signs are asked one at a time. A checklist's (``style: pick``)
    takes the list of its items that happen, ``"?ID"`` for one that cannot be told (the
    rest are "no"), or ``"unsure"`` to ask them one by one. ``"check:ID"`` is the second
    answer to safety question ID after its self-check (asked when a "not sure" would
    end the check at clinician level); it replaces the first only where the interview
    asked it, right after that "not sure" (``choice.self_check_due``): anywhere else it
    is ignored with a warning, so it never turns a "yes" into a "no" nor lowers a
    referral that ``diagnose`` of the same answers would make. Values are checked as in
    batch records, with the same per-key messages; unknown keys are warnings, and a key
    that differs from a question id only in case or spacing is read as that question,
    as ``diagnose`` reads it (a safety answer is never lost to a capital letter).

    With an invalid answer the state is empty, unless ``keep_valid``: then it holds
    every valid answer and the invalid ones are asked again (``ask --answers``).

    The work is bounded per key: as in ``diagnose``, only the first
    ``MAX_UNKNOWN_LISTED`` "screen:"/"check:" keys that name nothing are listed (one
    problem counts the rest) and the first ``MAX_SUGGESTED`` get a "did you mean".
    ``check`` (a request's deadline) is called every ``CHECK_EVERY`` keys and may
    raise to stop the work.

    ``said_yes``: keys the record gave a yes that its reading made "not sure" (a
    repeated key, a second 'answers' object, a key beside 'answers':
    ``CheckedRecord.said_yes``); like a yes under another spelling, such a sign is
    never offered a self-check, and one sent for it is ignored with a warning.
    """
    # A yes under a short name of one sign ("Saddle anaesthesia") is read as the sign's
    # yes here too, as diagnose reads it (answers.short_names_said_yes).
    answers, said_shortly = short_names_said_yes(rb, answers)
    plain: JsonObject = {}
    unsure: set[str] = set()
    rechecks: dict[str, NormalisedValue | None] = {}  # "check:ID" -> the second answer
    errors: list[AnswerProblem] = []
    bad: set[str] = set()  # keys naming no screen or self-check, listed or not
    said_nothing: list[AnswerProblem] = []  # unknown screens' empty replies
    for count, (key, value) in enumerate(answers.items()):
        if check is not None and count % CHECK_EVERY == 0:
            check()
        question = rb.questions.get(key)
        if key.startswith(CHECK_PREFIX):
            target = rb.questions.get(key.removeprefix(CHECK_PREFIX))
            if target is None or target.type is not QuestionType.YES_NO:
                bad.add(key)
                if len(bad) > MAX_UNKNOWN_LISTED:
                    continue
                errors.append(
                    AnswerProblem(
                        key,
                        f"{key}: not a yes/no question asked again with its self-check",
                        show_value(value),
                        "'check:' followed by the id of a yes/no safety question",
                    )
                )
                continue
            checked, problems, _ = normalize_answers(rb, {target.id: value})
            errors += [AnswerProblem(key, p.message, p.value, p.expected) for p in problems]
            rechecks[key] = checked.get(target.id)
        elif key.startswith(SCREEN_PREFIX):
            unknown = key.removeprefix(SCREEN_PREFIX) not in rb.screens
            if unknown:
                bad.add(key)
                if value is None or value == [] or (isinstance(value, str) and not value.strip()):
                    # An unknown screen's empty reply says nothing: a warning, as any
                    # unknown key's, never an error that stops the interview (the live
                    # schema test's schema-valid body was refused)
                    if len(bad) <= MAX_UNKNOWN_LISTED:
                        said_nothing.append(
                            AnswerProblem(
                                key,
                                f"{key}: unknown safety screen; its empty reply is left out",
                                show_value(value),
                                "a safety screen of the rule base",
                            )
                        )
                    continue
                if len(bad) > MAX_UNKNOWN_LISTED:
                    continue
            _, _, problem = _screen_reply(rb, key, value, suggest=len(bad) <= MAX_SUGGESTED)
            if problem:
                expected = (
                    "a list of its items, or unsure" if "list" in problem else ("yes, no or unsure")
                )
                errors.append(AnswerProblem(key, problem, show_value(value), expected))
        elif (
            question is not None
            and value == "unsure"
            and question.type in (QuestionType.CHOICE, QuestionType.MULTI)
            and value not in question.choice_values
        ):
            unsure.add(key)
        elif question is not None and isinstance(value, str) and question.words:
            # A number a person cannot measure may come in the rule base's words.
            number = question.number_for(value)
            plain[key] = value if number is None else number
        else:
            plain[key] = value
    if len(bad) > MAX_UNKNOWN_LISTED:
        errors.append(
            unlisted("answers", len(bad) - MAX_UNKNOWN_LISTED, "unknown screen or self-check keys")
        )
    normalized, problems, warnings = normalize_answers(rb, plain)
    warnings[:0] = [*said_shortly, *said_nothing]
    errors += problems
    if errors and not keep_valid:
        return Replay(SessionState(), tuple(errors), tuple(warnings))
    bad |= {p.key for p in errors}
    # A screen's reply that could not be read ("screen:nerve_signs": "Numb groin") is
    # asked again, but its signs' own "no"s would answer it: doubted as diagnose
    # doubts them, or `ask --answers` gave advice where diagnose referred (check 55,
    # N10). Only the unread replies: the read ones are answers already.
    doubt_from = plain | {
        key: value for key, value in answers.items() if key in bad and key.startswith(SCREEN_PREFIX)
    }
    # Safety questions the record gives two ways (read as "not sure"), which may be
    # what asked a self-check; worked out once, and only when a self-check is sent.
    two_ways = _two_ways(rb, doubt_from) if rechecks else frozenset()
    # Safety questions a yes was given for that the record's reading made "not sure".
    yes_read_unsure = {
        qid: key
        for index, key in enumerate(said_yes)
        # under the id, another spelling of it, or a misspelling (attack round 6, Q4)
        if (
            qid := question_named(rb, key)
            or misspelt_safety_id(rb, key, fast=index >= MAX_UNKNOWN_LISTED)
        )
        is not None
        and qid in rb.index.safety_questions
    }
    # Signs answered yes under another spelling (worked out once, when first needed).
    yes_under: dict[str, str] | None = None
    state = SessionState()
    prefixes: list[SessionState] = []
    for index, (key, value) in enumerate(answers.items()):
        if check is not None and index % CHECK_EVERY == 0:
            check()
        before = state
        if key in bad:
            pass
        elif key.startswith(SCREEN_PREFIX):
            screen_, reply, _ = _screen_reply(rb, key, value)
            assert screen_ is not None
            state = record_answer(rb, state, key, reply)
        elif key in rechecks:
            checked_id = key.removeprefix(CHECK_PREFIX)
            yes_key = yes_read_unsure.get(checked_id)
            if yes_key is None and checked_id in two_ways:
                if yes_under is None:
                    yes_under = yes_under_other_keys(rb, plain)
                yes_key = yes_under.get(checked_id)
            asked = None  # a self-check never clears a "yes", asked or not
            if yes_key is None:
                asked = _check_asked_at(rb, state, key, plain, answers, index, two_ways)
            if yes_key is not None:
                warnings.append(_check_against_a_yes(key, value, yes_key))
            elif asked is None:
                warnings.append(_unasked_check(key, value))
            else:
                state = record_answer(rb, asked, key, rechecks[key])
        else:
            qid = key if key in rb.questions else read_as(rb, key, plain)
            if qid is not None and qid not in bad and not never_asked(rb, plain, qid, value):
                state = state.answer(qid, None if key in unsure else normalized.get(qid))
        if state is not before:
            prefixes.append(state)
    if not rechecks:  # worked out above only when a self-check was sent
        two_ways = _two_ways(rb, doubt_from)
    doubted = _doubted_safety(rb, plain, state, two_ways)
    for qid in doubted:
        state = state.answer(qid, None)
    # A sign answered "yes" under another spelling stays "not sure" for good: no
    # self-check is offered for it (one would be ignored, and asked again for ever).
    skipped_two_ways = [qid for qid in two_ways if qid in state.skipped]
    if skipped_two_ways and yes_under is None:
        yes_under = yes_under_other_keys(rb, plain)
    settled = frozenset(
        qid for qid in skipped_two_ways if yes_under is not None and qid in yes_under
    ) | frozenset(qid for qid in yes_read_unsure if qid in state.skipped)
    if settled - state.rechecked:
        state = replace(state, rechecked=state.rechecked | settled)
    if doubted:
        prefixes.append(state)
    return Replay(state, tuple(errors), tuple(warnings), None if errors else tuple(prefixes))


def _check_asked_at(
    rb: RuleBase,
    state: SessionState,
    key: str,
    plain: JsonObject,
    answers: RawAnswers,
    at: int,
    two_ways: frozenset[str],
) -> SessionState | None:
    """The state at which the interview asked the self-check ``key`` ("check:ID"), when
    the answers before it (``at`` of them, replayed into ``state``) lead there; None
    when they do not, and a second answer there was never asked for.

    Replaying the answers before it on their own would also read a safety answer
    given two ways as "not sure" (``_doubted_safety``), and that may be what asked
    the self-check: so when ``state`` does not ask it, the doubts of those answers
    are applied and asked again, when the record gives ``target`` two ways at all
    (``two_ways``; the common case, every key a question id, gives none).
    """
    target = key.removeprefix(CHECK_PREFIX)
    if self_check_due(rb, state, target):
        return state
    if target not in two_ways:
        return None
    before = dict(islice(answers.items(), at))
    shown = {k: v for k, v in plain.items() if k in before}
    doubted = _doubted_safety(rb, shown, state)
    if target not in doubted:
        return None
    for qid in doubted:
        state = state.answer(qid, None)
    return state if self_check_due(rb, state, target) else None


def _check_against_a_yes(key: str, value: JsonValue, yes_key: str) -> AnswerProblem:
    target = key.removeprefix(CHECK_PREFIX)
    return AnswerProblem(
        key,
        f"{key}: ignored: '{target}' is answered yes under '{yes_key}', and a self-check "
        "does not clear a yes: it stays 'not sure'",
        show_value(value),
        f"'{key}' only for a sign answered 'not sure'",
    )


def _unasked_check(key: str, value: JsonValue) -> AnswerProblem:
    target = key.removeprefix(CHECK_PREFIX)
    return AnswerProblem(
        key,
        f"{key}: ignored: the interview did not ask this self-check here, so '{target}' "
        'keeps its answer (a self-check counts only right after the "not sure" it checks)',
        show_value(value),
        f"'{key}' only in answer to the self-check the interview asked",
    )


def _doubted_safety(
    rb: RuleBase,
    plain: JsonObject,
    state: SessionState,
    doubtful: frozenset[str] | None = None,
) -> list[str]:
    """Safety questions the answers give two ways, read as "not sure", as ``diagnose``
    reads them: a key that folds to one ('ѕаddlе_numbnеѕѕ' in Cyrillic look-alikes,
    'Saddle_Numbness') with a different answer, or an unknown key that very likely
    misspells one, when its answer is not a plain "no". Without this the interview
    would keep whichever spelling it met last and could clear a screen that
    ``diagnose`` of the same record refers. A definite "yes" stays, and so does an
    answer the lifter confirmed after the self-check the interview asked (``check:ID``
    counted: ``state.rechecked``); a "check:ID" it never asked changes nothing."""
    if doubtful is None:  # ``plain``'s own, unless the caller has them
        doubtful = _two_ways(rb, plain)
    return sorted(
        qid
        for qid in doubtful
        if state.answers.get(qid) is not True
        and qid not in state.skipped
        and qid not in state.rechecked
    )


def _two_ways(rb: RuleBase, plain: JsonObject) -> frozenset[str]:
    """Safety questions the answers give two ways, or under a key that very likely
    misspells one, with an answer that is not a plain no (see ``_doubted_safety``)."""
    if all(key in rb.questions for key in plain):
        return frozenset()  # the common case: every key is a question id, nothing to doubt
    return unsure_answers(rb, plain) | misspelt_safety(rb, plain)
