"""What a batch says beside its results: a line per record with problems, the summary
and, when it stops early, how far it got. Plain text; the caller escapes it for the
terminal and prints it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ...intake.batch import LEVELS, Outcome, Tally
from ...knowledge.rulebase import COACH_QUESTION_LABEL
from ...reasoning.answers import show_value
from ...reasoning.result import ProblemOut


def location(source: str, outcome: Outcome) -> str:
    """``clients.jsonl:7`` for a line, ``clients.json: record 3`` in an array."""
    if outcome.line is not None:
        return f"{source}:{outcome.line}"
    return f"{source}: record {outcome.record_id}"


def outcome_messages(source: str, outcome: Outcome) -> Iterator[str]:
    """The lines for one record: its first error (with how many more), then each
    warning. The incomplete-screen warning is not among them: the batch flags it, and
    the summary counts it once."""
    where = location(source, outcome)
    if outcome.errors:
        first = outcome.errors[0]
        expected = f" (expected {first['expected']})" if first.get("expected") else ""
        more = len(outcome.errors) - 1
        extra = f" (+{more} more)" if more > 0 else ""
        yield f"{where}: error: {_named(first)}{expected}{extra}"
    for warning in outcome.warnings:
        yield f"{where}: warning: {_named(warning)}"


def _named(problem: ProblemOut) -> str:
    """Most messages start with their key; one that does not (an unknown key) gets it.
    One that names a coach's question in the tool's words (beside a referral) does
    not: the id is the coach's text too."""
    key, message = problem["key"], problem["message"]
    named = not key or message.startswith((key, COACH_QUESTION_LABEL))
    return message if named else f"{key}: {message}"


def summary_lines(tally: Tally, *, has_screen: bool = True) -> list[str]:
    """How many records, by status, and a warning when safety questions went
    unanswered (or the rule base has no safety screen at all)."""
    total = tally.done
    # Referrals that carry errors (a slip in a record that still showed a warning
    # sign) fail the run too: said beside the refer count, or "2 ok, 3 refer" came with
    # exit status 1 and no word of why (check 21); at the end of the line it read as
    # the last status's (a coach, check 60)
    referred_with_errors = tally.with_errors - tally.counts.get("error", 0)
    by_status = ", ".join(
        f"{n} {status}"
        + (
            f" ({referred_with_errors} with errors)"
            if status == "refer" and referred_with_errors > 0
            else ""
        )
        for status, n in sorted(tally.counts.items())
    )
    noun = "record" if total == 1 else "records"
    lines = [f"{total} {noun}" + (f": {by_status}" if by_status else " (the input held none)")]
    if tally.referred:
        lines.append(_referred_line(tally))
    if tally.unscreened and not has_screen:
        lines.append(
            "warning: this rule base has no safety screen, so no result can recognise a "
            "warning sign; each result carries the safety_screen_missing warning"
        )
    elif tally.unscreened:
        which = "record leaves" if tally.unscreened == 1 else "records leave"
        lines.append(
            f"warning: {tally.unscreened} {which} safety questions unanswered, so a warning "
            "sign may have been missed; each result's safety_screen_incomplete warning "
            "names them"
        )
    if tally.repeated_ids:
        lines.append(_repeated_line(tally))
    return lines


_SEE = {
    "emergency": "an emergency department now",
    "urgent": "a doctor today",
    "clinician": "a physiotherapist or doctor before training again",
}


def _referred_line(tally: Tally) -> str:
    """Who needs a clinician, most urgent first, by id: a coach's triage at a glance
    ("refer: 1 to an emergency department now (Farid); 2 to a doctor today ...")."""
    parts = []
    for level in LEVELS:
        count = tally.referred.get(level, 0)
        if not count:
            continue
        ids = ", ".join(show_value(i) for i in tally.referred_ids.get(level, []))
        more = count - len(tally.referred_ids.get(level, []))
        ids += f", and {more:,} more" if more > 0 else ""
        parts.append(f"{count:,} {level} ({_SEE[level]}): {ids}")
    return "to refer: " + "; ".join(parts)


def _repeated_line(tally: Tally) -> str:
    """A warning naming ids given to more than one record, and where."""
    shown = "; ".join(
        f"{show_value(r.record_id)} at {_places(r.first, r.again)}" for r in tally.repeated
    )
    more = tally.repeated_ids - len(tally.repeated)
    rest = f"; and {more:,} more" if more > 0 else ""
    which = "1 id is" if tally.repeated_ids == 1 else f"{tally.repeated_ids:,} ids are"
    return (
        f"warning: {which} given to more than one record ({shown}{rest}): where results "
        "are kept by id, one client's result stands for the other's; give each record "
        "an id of its own"
    )


def _places(first: str, again: str) -> str:
    if first.startswith("#"):
        return f"records {first} and {again}"
    return f"lines {first} and {again}"


def how_far(tally: Tally, output: Path | None, *, streamed: bool) -> str:
    """How far a batch that stopped early got (a worker died, or it was interrupted),
    and what became of the output. ``streamed``: each result was written as it came
    (JSON Lines on standard output), so the ones before the stop are there."""
    done = tally.done
    where = (
        f"{output} was left as it was"
        if output is not None
        else f"the first {done} results were written"
        if streamed
        else "no results were written"
    )
    counted = "1 record was" if done == 1 else f"{done} records were"
    return f"{counted} diagnosed ({where})"
