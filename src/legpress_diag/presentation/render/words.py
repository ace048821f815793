"""What a person reads instead of an identifier.

Ids (question, cause, fix, alternative and flag ids, status codes) stay in JSON, CSV
and ``--detail``; everywhere a lifter or their clinician reads, these words are
shown. Pure functions of the result and the rule base, shared by the templates, the
terminal views and the reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ...knowledge.rulebase import CHECK_PREFIX, COACH_QUESTION_LABEL, SCREEN_PREFIX
from ...reasoning.explanation import conclusion_title
from ...reasoning.result import DiagnosisOut
from ...reasoning.safety import UNANSWERED_LEAD
from .formats import SCREEN_WARNINGS

if TYPE_CHECKING:
    from ...knowledge.rulebase import RuleBase

STATUS_WORDS = {
    "ok": "Form faults found",
    "refer": "See a doctor or clinician first",
    "unscreened": "Form faults found, but the safety check is not finished",
    "no_fault_found": "No form fault found",
    "error": "Some answers could not be read",
}

# The summary's "when to stop": the warning signs of the bundled screen that can
# appear after a first check (nerve signs, pain that does not settle), in words.
# What a lifter reads when the rules never settle on their answers (an error under
# the key 'rules'): the error's own message names rules and facts by their ids.
LOOP_WORDS = (
    "The coach's rules in use keep changing each other's conclusions on these answers, "
    "so no cause can be named. Show this to whoever wrote them ('legpress-diag rules "
    "lint' finds the loop)."
)

WHEN_TO_STOP = (
    "Stop and see a doctor or physiotherapist if numbness, tingling, leg weakness or "
    "a change in bladder or bowel control appears, or if the pain is not clearly "
    "better within four to six weeks."
)


# A referral's heading says how soon, as its most urgent flag does: one heading for
# every referral put "See a doctor or clinician first" above an EMERGENCY box that
# says go now (attack round 10, L2).
REFERRAL_WORDS = {
    "emergency": "Go to an emergency department now",
    "urgent": "See a doctor today",
    "clinician": "See a doctor or physiotherapist before you train again",
}


def status_words(status: str) -> str:
    """A result's status as a lifter reads it."""
    return STATUS_WORDS.get(status, status.replace("_", " "))


def result_words(result: DiagnosisOut) -> str:
    """A result's heading: its status in words, and for a referral how soon."""
    flags = result["red_flags"]
    if result["status"] != "refer" or not flags:
        return status_words(result["status"])
    levels = [flag["level"] for flag in flags]
    most_urgent = next((level for level in REFERRAL_WORDS if level in levels), None)
    return REFERRAL_WORDS[most_urgent] if most_urgent else status_words("refer")


# The words for one rule base, built once per rule base and process (a report asks for
# them for every line). Keyed by identity; the rule base is kept so the id stays its.
_WORDS: dict[int, tuple[RuleBase, dict[str, str], dict[str, str], re.Pattern[str]]] = {}


def _words(rb: RuleBase) -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """(question labels, names of every id, a pattern that finds those ids) for ``rb``."""
    cached = _WORDS.get(id(rb))
    if cached is not None and cached[0] is rb:
        return cached[1], cached[2], cached[3]
    labels = {
        qid: COACH_QUESTION_LABEL if q.from_coach else q.text.rstrip("?")
        for qid, q in rb.questions.items()
    }
    for screen_ in rb.screens.values():
        if screen_.from_coach:
            # Its text and labels are a coach's words: its questions keep their own
            # names (attack round 9, G1 and G3: a coach's label "harmless soreness" for
            # the tool's chest-pain sign in a referral's "not answered" line).
            labels[SCREEN_PREFIX + screen_.id] = COACH_QUESTION_LABEL
            continue
        for item, label in screen_.items:
            question = rb.questions.get(item)
            labels[item] = label if question is None or not question.from_coach else labels[item]
        labels[SCREEN_PREFIX + screen_.id] = screen_.text.rstrip("?")
    names = _names(rb, labels)
    # One alternation of the ids, longest first, as whole words: the search runs in
    # the regex engine and calls back only on an id (a report has thousands of words).
    ids = "|".join(re.escape(i) for i in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9_:])(?:{ids})(?![A-Za-z0-9_])")
    if len(_WORDS) > 16:  # a long-lived process that loads many rule bases
        _WORDS.clear()
    _WORDS[id(rb)] = (rb, labels, names, pattern)
    return labels, names, pattern


def question_label(rb: RuleBase | None, question_id: str) -> str:
    """The shortest wording of a question a person knows it by: its line on a screen
    (``numbness or tingling in the groin, …``), else its text without the "?"."""
    if rb is None:
        return question_id.replace("_", " ")
    label = _words(rb)[0].get(question_id)
    return label if label is not None else question_id.replace("_", " ")


def _names(rb: RuleBase, labels: Mapping[str, str]) -> dict[str, str]:
    names: dict[str, str] = dict(labels)
    for cid, cause in rb.causes.items():
        names[cid] = cause.title
    for fid, fix in rb.fixes.items():
        names[fid] = fix.title
    for aid, alt in rb.alternatives.items():
        names[aid] = alt.title
    for flag_id, flag in rb.safety_flags.items():
        names.setdefault(flag_id, flag.shown_title)
    for fact in rb.facts:
        names.setdefault(fact, conclusion_title(rb, fact))
    return names


def in_words(
    text: str,
    rb: RuleBase | None,
    names: Mapping[str, str] | None = None,
    inert: Callable[[str], str] = str,
) -> str:
    """A message with every rule-base id in it replaced by what a person calls it;
    ``names`` comes first (a report calls a cause by its number, say), and ``inert``
    makes each inserted name safe for where the text goes."""
    if rb is None:
        return text
    _, known, pattern = _words(rb)
    extra = names or {}

    def name(match: re.Match[str]) -> str:
        return inert(extra.get(match.group()) or known[match.group()])

    return pattern.sub(name, text)


def no_markup(text: str) -> str:
    """Text for inside a Markdown code block that an HTML-minded viewer could still
    misread: ``<``, ``>`` and ``&`` as entities (the block shows them literally)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def screen_warning_lines(result: DiagnosisOut, rb: RuleBase | None) -> list[str]:
    """The warnings about the safety screen, in words: which signs were not asked."""
    lines = []
    for warning in result["warnings"]:
        if warning["key"] not in SCREEN_WARNINGS:
            continue
        message = warning["message"]
        head, sep, listed = message.partition(UNANSWERED_LEAD)
        if sep and rb is not None:
            items = [question_label(rb, q.strip()) for q in listed.split(",") if q.strip()]
            message = f"{head}{UNANSWERED_LEAD}{'; '.join(items)}"
        lines.append(in_words(message, rb))
    return lines


def cause_titles(rb: RuleBase, question_id: str) -> list[str]:
    """The causes an answer bears on, directly or through what it shows, by title."""
    seen: list[str] = []
    frontier = [r.concludes for r in rb.rules_by_question.get(question_id, ())]
    visited: set[str] = set()
    while frontier:
        target = frontier.pop(0)
        if target in visited:
            continue
        visited.add(target)
        if target in rb.causes:
            title = rb.causes[target].title
            if title not in seen:
                seen.append(title)
        frontier += [r.concludes for r in rb.rules_by_fact.get(target, ())]
    return seen


def _or_list(items: list[str], most: int = 3) -> str:
    shown = [i[:1].lower() + i[1:] for i in items[:most]]
    if len(items) > most:
        return ", ".join(shown) + " or another cause"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def why_in_brief(rb: RuleBase, question_id: str) -> str:
    """Why a question is asked, in one or two plain sentences a lifter reads (the
    rule-by-rule account stays in ``why`` of ``ask`` and the API's ``why``)."""
    question_id = question_id.removeprefix(CHECK_PREFIX)
    if question_id.startswith(SCREEN_PREFIX):
        screen_ = rb.screens.get(question_id.removeprefix(SCREEN_PREFIX))
        if screen_ is not None and screen_.style == "pick":
            return (
                "Each of these is a form fault that can load the lower back. Ticking the "
                "ones that happen saves a question for each."
            )
        return (
            "These are warning signs that need a doctor rather than a change of form. "
            "Most people have none of them; if you have any, or are not sure, I ask about each."
        )
    flags = [f for f in rb.safety_flags.values() if question_id in f.questions]
    if flags:
        if len(flags) == 1:
            title = flags[0].shown_title
            return (
                f"It is a safety question: {title[:1].lower()}{title[1:]} "
                "needs a doctor's view rather than a change of form."
            )
        return (
            "It is a safety question: together with your other answers it shows whether "
            "a warning sign needs a doctor's view before you train again."
        )
    causes = cause_titles(rb, question_id)
    if causes:
        return f"Your answer helps tell whether the pain comes from {_or_list(causes)}."
    filters = question_id == rb.settings.equipment_question or any(
        question_id in alt.unless_questions for alt in rb.alternatives.values()
    )
    if filters:
        return "It picks the exercises to suggest instead: only ones you can do where you train."
    return "Nothing in the result depends on this answer; it is kept for your records."


__all__ = [
    "REFERRAL_WORDS",
    "STATUS_WORDS",
    "WHEN_TO_STOP",
    "cause_titles",
    "in_words",
    "question_label",
    "result_words",
    "screen_warning_lines",
    "status_words",
    "why_in_brief",
]


def rulebase_words(result: Mapping[str, Any]) -> str:
    """The rule base a result came from, as a page or report names it: its name,
    version and hash; in a referral the hash alone, because the name and version are
    whatever a rule file's ``rulebase:`` says (attack round 10, H1: "NOTE: the warning
    above is over-cautious ... do not go to hospital" under EMERGENCY)."""
    identity = result.get("rulebase") or {}
    digest = str(identity.get("hash", ""))
    if result.get("status") == "refer":
        return digest
    return f"{identity.get('name', '')} {identity.get('version', '')} ({digest})"
