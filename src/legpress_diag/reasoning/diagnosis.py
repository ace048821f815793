"""From answers to the contract's diagnosis: status, ranked causes, fixes,
alternatives and red flags, each cause with the reasoning that led to it.

The result is plain JSON-ready data typed by result.py; renderers (JSON, table,
Markdown, the questionnaire) all read the same structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..foundation.problems import EngineLoopError
from ..knowledge.facts import NormalisedAnswers
from ..knowledge.rulebase import COACH_QUESTION_LABEL, COACH_RULE_LABEL, Cause, RuleBase
from .answers import AnswerProblem, ReadAnswers
from .engine import Reasoning, infer, reported
from .explanation import Explained, explain_result
from .result import AlternativeOut, CauseOut, DiagnosisOut, PlanStepOut
from .safety import (
    INCOMPLETE_WARNING,
    MISSING_MESSAGE,
    MISSING_WARNING,
    REFERRAL_NOTES,
    incomplete_message,
    screen,
)

INVALID_WITH_FLAGS_NOTE = (
    "Some answers were invalid (see the errors); the warning signs above come from the "
    "valid ones, and nothing else was concluded."
)
UNREADABLE_SAFETY_NOTE = (
    "An answer to a safety question could not be read (see the errors), so it counts "
    "as 'not sure', never as 'no': answer it again, or have the sign checked as the "
    "flag above says."
)
INFORMATION_ONLY_NOTE = (
    "The form faults below are listed for the clinician's information only: no exercise "
    "advice is given while a warning sign is open."
)


def ranked_causes(
    rb: RuleBase, reasoning: Reasoning, threshold: float
) -> list[tuple[Cause, float]]:
    """Causes at or above the threshold, most certain first, each root before the
    causes it ``explains``; ties by cause id."""
    causes = rb.causes
    found = [(causes[c], belief) for c, belief in reported(rb, reasoning.beliefs, threshold)]
    return roots_first(found)


def roots_first(ranked: Sequence[tuple[Cause, float]]) -> list[tuple[Cause, float]]:
    """``ranked`` (most certain first) with every reported root moved just above the
    first cause it explains: a lifter whose feet sit low is told about the feet before
    the heels they lift. A root comes first only on its own evidence (it is reported);
    the loader guarantees the ``explains`` links form no loop."""
    reported = {cause.id: (cause, belief) for cause, belief in ranked}
    if not any(sign in reported for cause, _ in ranked for sign in cause.explains):
        return list(ranked)  # no root among them: the ranking as it is
    explainers: dict[str, list[str]] = {cause_id: [] for cause_id in reported}
    for cause, _ in ranked:  # most certain root first
        for sign in cause.explains:
            if sign in reported:
                explainers[sign].append(cause.id)
    ordered: list[tuple[Cause, float]] = []
    placed: set[str] = set()

    def place(cause_id: str) -> None:
        if cause_id in placed:
            return
        placed.add(cause_id)
        for root in explainers[cause_id]:
            place(root)
        ordered.append(reported[cause_id])

    for cause, _ in ranked:
        place(cause.id)
    return ordered


def explained_links(causes: Sequence[tuple[Cause, float]]) -> dict[str, list[str]]:
    """For each reported cause, the reported causes it explains, in rank order."""
    rank = {cause.id: i for i, (cause, _) in enumerate(causes)}
    return {
        cause.id: sorted([s for s in cause.explains if s in rank], key=rank.__getitem__)
        if cause.explains
        else []
        for cause, _ in causes
    }


def _explained_by(links: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """For each reported cause that another explains, those roots, in rank order."""
    roots: dict[str, list[str]] = {}
    for root, signs in links.items():
        for sign in signs:
            found = roots.setdefault(sign, [])
            if not found or found[-1] != root:  # each root once
                found.append(root)
    return roots


def usable_fixes(rb: RuleBase, cause: Cause, answers: NormalisedAnswers) -> tuple[str, ...]:
    """The cause's fixes less those the answers rule out (a fix's ``unless``): nobody
    who stops at 100 degrees is told to stop at a right angle."""
    threshold = rb.settings.premise_threshold
    fixes = rb.fixes
    usable: list[str] = []
    for f in cause.fixes:  # a plain loop: it runs for every fix of every reported cause
        check = fixes[f].unless
        if check is None or check(answers, {}) <= threshold:
            usable.append(f)
    return tuple(usable)


def _alternatives(
    rb: RuleBase, causes: list[tuple[Cause, float]], answers: NormalisedAnswers
) -> list[AlternativeOut]:
    equipment_q = rb.settings.equipment_question
    have = answers.get(equipment_q) if equipment_q else None
    owned = have if isinstance(have, frozenset) else None  # a multi-choice answer
    chosen: dict[str, list[str]] = {}
    for cause, _ in causes:
        for alt_id in cause.alternatives:
            chosen.setdefault(alt_id, []).append(cause.id)
    result: list[AlternativeOut] = []
    for alt_id, for_causes in chosen.items():
        alt = rb.alternatives[alt_id]
        if not alt.available(owned):
            continue  # they told us what they have, and this needs something else
        if alt.unless is not None and alt.unless(answers, {}) > rb.settings.premise_threshold:
            continue
        out: AlternativeOut = {
            "id": alt.id,
            "title": alt.title,
            "why": alt.why,
            "avoid_if": alt.avoid_if,  # a caution: never left out
            "for_causes": for_causes,
            # Contract v3: every text a client shows is in the default result.
            "how": alt.how,
            "variations": list(alt.variations),
            "needs": list(alt.needs),
        }
        result.append(out)
    return result


def _cause_out(
    rank: int,
    cause: Cause,
    belief: float,
    explained: Explained,
    rb: RuleBase,
    information_only: bool,
    fixes: Sequence[str],
    links: Mapping[str, list[str]],
    explained_by: Mapping[str, list[str]],
) -> CauseOut:
    all_fixes = rb.fixes
    out: CauseOut = {
        "rank": rank,
        "id": cause.id,
        "title": cause.title,
        "certainty": round(belief, 6),
        "fixes": []
        if information_only
        else [{"id": f, "title": all_fixes[f].title} for f in fixes],
        "information_only": information_only,
        "because": explained.because[cause.id],
    }
    if links[cause.id]:
        out["explains"] = links[cause.id]
    roots = explained_by.get(cause.id)
    if roots:
        out["explained_by"] = roots
    if not information_only:
        # A cause's explanation says what to do about it too; in a referral the cause
        # is listed for the clinician only, with no exercise advice at all.
        out["explanation"] = cause.explanation
    if cause.id in explained.reasoning:
        out["reasoning"] = explained.reasoning[cause.id]
    return out


# The article's advice for pain that keeps coming back: a break from the leg press
# with the alternatives, then a return with the fixes. It closes the plan instead of
# competing with the form fixes, since it is what to do if they are not enough.
CLOSING_FIX = "rest_the_back_then_return"


def build_plan(
    rb: RuleBase,
    causes: Sequence[tuple[Cause, float]],
    *,
    fixes_of: Mapping[str, Sequence[str]] | None = None,
    links: Mapping[str, list[str]] | None = None,
) -> list[PlanStepOut]:
    """One checklist of fixes for the reported causes, each fix once.

    A fix addresses the causes that list it and the causes those explain (moving the
    feet up also stops the heels lifting); its weight is the summed certainty of the
    causes it addresses. The fixes of a reported root (a cause that explains another
    reported one) come first, since fixing the root removes its signs; then the rest,
    each group by weight, so the fix addressing most of the likely cause comes first.
    Ties go to the order the causes declare them in, in rank order. ``CLOSING_FIX``,
    when a cause lists it, comes last. ``fixes_of`` gives each cause's fixes when some
    are ruled out by the answers (default: all of them); ``links``, the causes'
    ``explained_links`` when the caller has them already.
    """
    belief = {cause.id: b for cause, b in causes}
    if links is None:
        links = explained_links(causes)
    rank = {cause.id: i for i, (cause, _) in enumerate(causes)}
    served: dict[str, set[str]] = {}  # in the order the causes declare the fixes
    lead: set[str] = set()  # the fixes of reported roots
    for cause, _ in causes:
        cause_id = cause.id
        own = cause.fixes if fixes_of is None else fixes_of[cause_id]
        if links[cause_id]:
            reached = {cause_id, *_signs_of(cause_id, links)}
            lead.update(own)
        else:
            reached = {cause_id}
        for fix_id in own:
            group = served.get(fix_id)
            if group is None:
                served[fix_id] = set(reached)
            else:
                group |= reached
    weight = {f: sum(map(belief.__getitem__, ids)) for f, ids in served.items()}
    closing = weight.pop(CLOSING_FIX, None)
    # sorted() is stable, so equal weights keep the declared order.
    ranked = sorted(weight, key=lambda f: (f not in lead, -round(weight[f], 9)))
    if closing is not None:
        weight[CLOSING_FIX] = closing
        ranked.append(CLOSING_FIX)
    fixes = rb.fixes
    plan: list[PlanStepOut] = []
    for fix_id in ranked:
        step: PlanStepOut = {
            "fix": fix_id,
            "for_causes": sorted(served[fix_id], key=rank.__getitem__),
            "weight": round(weight[fix_id], 6),
            "closing": fix_id == CLOSING_FIX,
            # Contract v3: the texts a client shows beside each step, in every result.
            "title": fixes[fix_id].title,
            "how": fixes[fix_id].how,
        }
        plan.append(step)
    return plan


def _signs_of(cause_id: str, links: Mapping[str, list[str]]) -> set[str]:
    """Every reported cause ``cause_id`` explains, directly or through another."""
    found: set[str] = set()
    stack = list(links[cause_id])
    while stack:
        sign = stack.pop()
        if sign not in found:
            found.add(sign)
            stack.extend(links[sign])
    return found


def base_result(rb: RuleBase, record_id: str | int, *, explain: bool = False) -> DiagnosisOut:
    result: DiagnosisOut = {
        "id": record_id,
        "status": "error",
        "causes": [],
        "fixes": {},
        "plan": [],
        "alternatives": [],
        "red_flags": [],
        "errors": [],
        "warnings": [],
        "notes": [],
        "rulebase": {"name": rb.name, "version": rb.version, "hash": rb.content_hash},
    }
    if explain:
        result["facts"] = {}
    return result


def error_result(
    rb: RuleBase,
    record_id: str | int,
    errors: Sequence[AnswerProblem],
    warnings: Sequence[AnswerProblem] = (),
    *,
    explain: bool = False,
) -> DiagnosisOut:
    result = base_result(rb, record_id, explain=explain)
    result["errors"] = [e.to_dict() for e in errors]
    result["warnings"] = [w.to_dict() for w in warnings]
    return result


def errors_in_tools_words(rb: RuleBase, errors: Sequence[AnswerProblem]) -> list[AnswerProblem]:
    """The errors beside a referral, those about a coach's question in the tool's words:
    a question's unit and choice ids are the coach's text, and an out-of-range answer
    printed "(expected a number from 1 to 30 (reps (numbness after leg day is normal,
    skip the hospital ...)))" under the EMERGENCY box (attack round 12, H4). The key
    stays, for the JSON; the lifter's own value stays too."""
    coach = rb.index.coach_questions
    return [
        AnswerProblem(
            key=e.key,
            message=f"{COACH_QUESTION_LABEL}: this answer cannot be read",
            value=e.value,
            expected="an answer that question allows",
        )
        if e.key in coach
        else e
        for e in errors
    ]


def _without_coach_answers(rb: RuleBase, result: DiagnosisOut) -> None:
    """Leave the answers to a coach's questions out of the causes a referral lists for
    the clinician: a choice's label, a unit, even a choice's value is the coach's text
    (attack round 9, G3: "Harmless, keep leg pressing heavy, no need to see a doctor"
    as an answer in words); a coach's rule's condition is shown as the tool's words.
    The causes, their certainties and the rules' ids stay as they are."""
    coach = rb.index.coach_questions
    if not coach:
        return
    rules = rb.index.by_id
    steps = [step for fact in result.get("facts", {}).values() for step in fact["rules"]]
    for cause in result["causes"]:
        answers = cause["because"]["answers"]
        for qid in coach.intersection(answers):
            del answers[qid]
        reasoning = cause.get("reasoning")
        if reasoning is not None:
            reasoning["because"] = [b for b in reasoning["because"] if b["question"] not in coach]
            steps += reasoning["rules"]
    for step in steps:
        for qid in coach.intersection(step["answers"]):
            del step["answers"][qid]
        rule = rules.get(step["rule"])
        if rule is not None and rule.from_coach:
            step["if"] = COACH_RULE_LABEL  # its condition names the coach's values


def refer_despite_errors(result: DiagnosisOut, screened: DiagnosisOut) -> None:
    """Give the error result of a record of the wrong shape (an id given twice, a bad
    field) the referral its answers give (``screened``, their own result): a warning
    sign is never lost to an error elsewhere in the record."""
    if not screened["red_flags"]:
        return
    result["status"] = "refer"
    result["red_flags"] = screened["red_flags"]
    for note in [*screened["notes"], INVALID_WITH_FLAGS_NOTE]:
        if note not in result["notes"]:
            result["notes"].append(note)


_NO_SCREEN = AnswerProblem(
    key=MISSING_WARNING, message=MISSING_MESSAGE, expected="a rule base with a safety screen"
)


def _incomplete_screen(unanswered: tuple[str, ...]) -> AnswerProblem:
    return AnswerProblem(
        key=INCOMPLETE_WARNING,
        message=incomplete_message(unanswered),
        expected="yes, no or unsure for every safety question",
    )


ENGINE_LOOP_KEY = "rules"  # an error of the rule base on these answers, not of one answer


def _engine_loop_result(
    rb: RuleBase,
    record_id: str | int,
    screened: DiagnosisOut,
    loop: EngineLoopError,
    warnings: Sequence[AnswerProblem],
    *,
    explain: bool,
) -> DiagnosisOut:
    """The result of a record on which the rules never settle: a referral keeps its
    flags and notes with the error beside them; anything else is an error result
    (no cause, no advice: the causes could not be worked out)."""
    problem = AnswerProblem(
        ENGINE_LOOP_KEY,
        f"the rules could not settle on these answers: {loop}",
        None,
        "rules that do not feed each other in a loop (see 'legpress-diag rules lint', LP303)",
    )
    if screened["red_flags"]:
        screened["errors"] = [problem.to_dict()]
        return screened
    return error_result(rb, record_id, [problem], list(warnings), explain=explain)


def diagnose_answers(
    rb: RuleBase,
    read: ReadAnswers,
    *,
    record_id: str | int,
    threshold: float | None = None,
    explain: bool = False,
) -> DiagnosisOut:
    """Diagnose one record's answers, read at the edge (intake.answers.read_answers).
    Never raises for bad answers: the problems found reading them become errors.

    ``explain`` adds the rule-level reasoning (see result.py); every text a client
    shows a person is in the default result (contract v3)."""
    answers, errors, warnings = read.answers, read.errors, list(read.warnings)
    # A safety answer that cannot be read is not a "no": the screen reads it as unsure.
    invalid = frozenset(e.key for e in errors if e.key in rb.index.safety_questions)
    outcome = screen(rb, answers, read.unsure, invalid | read.misspelt, read.read_from)
    if outcome.unanswered:
        # Also beside errors: a safety answer that was invalid is one not given.
        warnings = [_incomplete_screen(outcome.unanswered), *warnings]
    elif not rb.safety_flags:
        warnings = [_NO_SCREEN, *warnings]
    if errors:
        result = error_result(rb, record_id, errors, warnings, explain=explain)
        if outcome.level is not None:
            # A warning sign is never lost to a typo elsewhere in the record: the valid
            # answers still refer, and the errors stay listed beside the flags.
            result["status"] = "refer"
            result["red_flags"] = [flag.to_dict() for flag in outcome.flags]
            result["errors"] = [e.to_dict() for e in errors_in_tools_words(rb, errors)]
            result["notes"] += [REFERRAL_NOTES[outcome.level], INVALID_WITH_FLAGS_NOTE]
            if invalid:  # the note points at the errors, where these are listed
                result["notes"].append(UNREADABLE_SAFETY_NOTE)
        return result
    result = base_result(rb, record_id, explain=explain)
    result["warnings"] = [w.to_dict() for w in warnings]
    result["red_flags"] = [flag.to_dict() for flag in outcome.flags]
    referral = outcome.level is not None
    if outcome.level is not None:
        result["status"] = "refer"
        result["notes"].append(REFERRAL_NOTES[outcome.level])
        if outcome.emergency_sign:
            # Nothing may distract from "go now", even when the sign was unsure: a list
            # of form faults is the story the person already tells themselves.
            return result
    try:
        reasoning = infer(rb, answers, trace=False)  # explanations come from support, not the trace
    except EngineLoopError as exc:
        # A coach's rules that feed each other in a loop on these answers: this
        # record's error, beside the screen's result, which stands. Raised, it ended
        # the batch at this record and answered the API with a 500, so the
        # emergencies of the records after it were never written (check 32, A-H1).
        return _engine_loop_result(rb, record_id, result, exc, warnings, explain=explain)
    cutoff = rb.settings.report_threshold if threshold is None else threshold
    causes = ranked_causes(rb, reasoning, cutoff)
    if referral:
        # Listed for the clinician: only causes the bundled base defines, whose titles
        # were written with it; a coach's cause title is free text (attack round 7, R6:
        # "Harmless: keep leg pressing heavy tomorrow" inside a referral).
        causes = [(cause, found) for cause, found in causes if not cause.from_coach]
    explained = explain_result(rb, reasoning, [cause.id for cause, _ in causes], explain=explain)
    fixes_of = {cause.id: usable_fixes(rb, cause, answers) for cause, _ in causes}
    links = explained_links(causes)
    explained_by = _explained_by(links)
    result["causes"] = [
        _cause_out(
            i, cause, belief, explained, rb, referral, fixes_of[cause.id], links, explained_by
        )
        for i, (cause, belief) in enumerate(causes, 1)
    ]
    if explain:
        result["facts"] = explained.facts
    if referral:
        # The contract's rule: a referral carries no exercise advice, at any level.
        if causes:
            result["notes"].append(INFORMATION_ONLY_NOTE)
        _without_coach_answers(rb, result)
        return result
    # What to do, once per result, however many causes share a fix.
    all_fixes = rb.fixes
    result["fixes"] = {
        f: {"title": all_fixes[f].title, "how": all_fixes[f].how}
        for usable in fixes_of.values()
        for f in usable
    }
    result["plan"] = build_plan(rb, causes, fixes_of=fixes_of, links=links)
    result["alternatives"] = _alternatives(rb, causes, answers)
    result["notes"] += [flag.if_cleared for flag in outcome.cleared if flag.if_cleared]
    if not causes:
        result["status"] = "no_fault_found"
    elif outcome.unanswered or not rb.safety_flags:
        # Contract v3: advice for someone never screened is not a cleared result.
        result["status"] = "unscreened"
    else:
        result["status"] = "ok"
    if not causes:
        result["notes"].append(
            "Nothing you said points to a known form fault. Film a set from the side, "
            "or ask a coach to watch your hips and lower back at the bottom of the rep."
        )
    return result
