"""Validated rule files to one compiled, cross-checked RuleBase.

Files are merged in the order given: the bundled base first, then each ``--rules``
path. An id defined twice is an error unless the later definition says
``replaces: true``. Every condition is parsed and type-checked here, so a rule base
that loads cannot hold a rule that fails at run time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from ..foundation import codes
from ..foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan, did_you_mean
from . import bundle_cache, bundled, compiled_cache
from .conditions.compile import Compiled, ConditionTypeError, compile_condition
from .index import TYPO_CUTOFF, fold_key, short_name_inside, short_name_key, short_name_owner
from .rulebase import (
    Alternative,
    Cause,
    Evaluator,
    Fact,
    FaqEntry,
    Fix,
    FlagLevel,
    Question,
    QuestionType,
    Rule,
    RuleBase,
    SafetyFlag,
    Screen,
    Settings,
)
from .sources import SINGULAR, ParsedFile, read_rule_file
from .strata import strongly_connected

if TYPE_CHECKING:  # pydantic and YAML are imported only when files really need reading
    from . import schema_models as m
    from .yamlsafe import Document

SECTIONS = (
    "questions",
    "facts",
    "causes",
    "fixes",
    "alternatives",
    "safety_flags",
    "screens",
    "rules",
    "faq",
)


@dataclass
class Entry:
    """One definition with the file it came from and its place in that file."""

    model: Any
    file: ParsedFile
    key_path: tuple[str | int, ...]

    @property
    def span(self) -> SourceSpan:
        return self.file.document.span_for(self.key_path)

    def field_span(self, name: str) -> SourceSpan:
        return self.file.document.span_for((*self.key_path, name))


@dataclass
class Merged:
    sections: dict[str, dict[str, Entry]] = field(default_factory=lambda: {s: {} for s in SECTIONS})
    problems: list[Diagnostic] = field(default_factory=list)
    # (section, id) -> the definitions a later one replaced, for `rules show --origin`.
    replaced: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    refused: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)  # 2nd replacers

    def error(self, code: str, message: str, span: SourceSpan, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(code, Severity.ERROR, message, span, hint))


def rule_files(
    paths: Sequence[str | os.PathLike[str]] = (),
    include_bundled: bool = True,
    *,
    check_manifests: bool = True,
) -> list[Path]:
    """The rule files of the bundled base (unless not ``include_bundled``) and ``paths``,
    in load order. A pack folder's manifest is checked against this program and the
    bundled rule base first, unless not ``check_manifests`` (lint reports its problems
    with the rule files' own). Raises RuleBaseError."""
    roots: list[str | os.PathLike[str]] = [bundled.bundled_rules_dir()] if include_bundled else []
    if check_manifests and (problems := manifest_problems(paths, include_bundled)):
        raise RuleBaseError(problems)
    return bundled.unique_files([*roots, *paths])


def manifest_problems(
    paths: Sequence[str | os.PathLike[str]], include_bundled: bool
) -> list[Diagnostic]:
    """Every problem of the manifests of the pack folders among ``paths``: one that
    cannot be read, a key or value that is wrong, a need this program does not meet."""
    if not paths:
        return []  # the bundled base alone has no manifest to check: not even an import
    from .packs.manifest import check_needs, read_manifest

    problems: list[Diagnostic] = []
    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            continue
        try:
            manifest = read_manifest(folder)
        except RuleBaseError as exc:
            problems.extend(exc.diagnostics)
            continue
        if manifest is not None:
            problems += check_needs(manifest, bundled_identity() if include_bundled else None)
    return problems


@cache
def bundled_identity() -> tuple[str, str]:
    """The bundled rule base's (name, version), from its rulebase.yaml, read once."""
    parsed = read_rule_file(
        bundled.bundled_rules_dir() / "rulebase.yaml", f"{bundled.BUNDLED_PREFIX}rulebase.yaml"
    )
    meta = parsed.model.rulebase
    return (meta.name, meta.version) if meta is not None else ("legpress-bundled", "0")


def read_all(
    files: Iterable[Path], *, partial: bool = False
) -> tuple[list[ParsedFile], list[Diagnostic]]:
    """Read every file; return what parsed and every problem of every file.

    With ``partial``, a file with schema problems is still returned, holding the
    items that validate (its problems are in the second list too).
    """
    parsed: list[ParsedFile] = []
    problems: list[Diagnostic] = []
    for path in files:
        try:
            one = read_rule_file(path, bundled.shown_name(path), partial=partial)
        except RuleBaseError as exc:
            problems.extend(exc.diagnostics)
        else:
            parsed.append(one)
            problems.extend(one.problems)
    return parsed, problems


def load_rulebase(
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    include_bundled: bool = True,
    texts: Sequence[tuple[str, bytes]] = (),
) -> RuleBase:
    """Load the bundled rule base plus ``paths``, then ``texts`` (rule files given as
    (name, bytes), as a cluster ships them to its workers), or only those.
    Raises RuleBaseError."""
    if not include_bundled and not paths and not texts:
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.UNREADABLE_FILE, Severity.ERROR, "no rule files given (use --rules PATH)"
                )
            ]
        )
    files = rule_files(paths, include_bundled)
    base = [f for f in files if bundled.is_bundled(f)]  # the bundled files come first
    raws = bundled.bundled_raws(base) if base else None
    # The bundled files alone: the compiled rule base itself may be cached.
    alone = raws if len(base) == len(files) and not texts else None
    if alone is not None and (compiled := compiled_cache.load(alone)) is not None:
        return compiled
    cached = bundle_cache.load(raws) if raws is not None else None
    rest = files[len(base) :] if cached is not None else files
    parsed, problems = read_all(rest, partial=True)
    shipped = _parse_texts(texts, problems)
    every = [*(cached or []), *parsed, *shipped]
    if problems:  # still stop here, but with every load problem, not just the first file's
        complete = len(parsed) == len(rest) and len(shipped) == len(texts)
        raise RuleBaseError(check_partial(every, problems, complete)[1])
    rulebase = build_rulebase(every)
    if base and cached is None:
        bundle_cache.store(parsed[: len(base)])
    if alone is not None:
        compiled_cache.store(rulebase, alone)
    return rulebase


@cache
def bundled_rulebase() -> RuleBase | None:
    """The bundled rule base, loaded once a process (from its cache when signed for
    its files), or None when it cannot be loaded. For readers that must tell a
    record's answers from an export's fields before any rule base is at hand: the
    bundled questions' ids name answers whatever a coach adds (attack round 13's
    NEW-3: a record's own "saddle_numbness": true beside a "history" list of past
    records was taken for their wrapper and lost)."""
    try:
        return load_rulebase()
    except RuleBaseError:
        return None


def check_partial(
    parsed: Sequence[ParsedFile], problems: Sequence[Diagnostic], complete: bool
) -> tuple[RuleBase | None, list[Diagnostic]]:
    """Every load problem of files that did not all read cleanly, and what compiles.

    ``problems`` are the reading problems (``parsed`` holds what was read, broken items
    repaired or left out). The names and references of what was read are still
    checked, except a reference to an item that was left out: its own problem is
    already reported. When a file did not read at all (not ``complete``), every name
    it defines would be unknown, so nothing more is checked and no rule base is made.
    """
    if not complete:
        return None, list(problems)
    skipped = {ident for one in parsed for ident in one.skipped}
    rulebase, found = compile_rulebase(parsed)
    kept = [d for d in found if not _names_a_skipped_item(d, skipped)]
    return rulebase, sorted(dict.fromkeys([*problems, *kept]), key=_problem_order(parsed))


def _names_a_skipped_item(diagnostic: Diagnostic, skipped: set[str]) -> bool:
    return diagnostic.code in (
        codes.UNKNOWN_NAME,
        codes.NOT_A_CHOICE,
        codes.WRONG_TYPE,
        codes.UNKNOWN_REFERENCE,
    ) and any(f"'{ident}'" in diagnostic.message for ident in skipped)


def _parse_texts(
    texts: Sequence[tuple[str, bytes]], problems: list[Diagnostic]
) -> list[ParsedFile]:
    """Rule files given as bytes, checked as a file of that name would be."""
    from .sources import parse_rule_text

    parsed = []
    for name, raw in texts:
        try:
            # Only a file read from the bundled folder is the bundled base's: a text's
            # name is the caller's (attack round 9, G5).
            parsed.append(parse_rule_text(raw, bundled.not_bundled(name), partial=True))
        except RuleBaseError as exc:
            problems.extend(exc.diagnostics)
    return parsed


def merge(files: Sequence[ParsedFile]) -> Merged:
    merged = Merged()
    names_seen: dict[str, tuple[str, Entry]] = {}
    for parsed in files:
        for section in SECTIONS:
            for index, model in enumerate(getattr(parsed.model, section)):
                entry = Entry(model, parsed, (section, parsed.index_in_file(section, index)))
                _add(merged, section, entry, names_seen)
    return merged


def _on_the_screen(section: str, earlier: Entry) -> bool:
    """A safety flag, a screen, or a question of the safety group: what a referral
    rests on. A replacement could make a flag fire less often, at a lower level, or
    with exercise advice in it, so none may be replaced; new ones may be added."""
    if section in ("safety_flags", "screens"):
        return True
    return section == "questions" and getattr(earlier.model, "group", None) == "safety"


def _add(
    merged: Merged, section: str, entry: Entry, names_seen: dict[str, tuple[str, Entry]]
) -> None:
    table = merged.sections[section]
    ident = entry.model.id
    earlier = table.get(ident)
    kind = SINGULAR[section]
    if earlier is not None:
        if entry.model.replaces and _on_the_screen(section, earlier):
            merged.error(
                codes.SCREEN_REPLACED,
                f"{kind} '{ident}' is part of the safety screen (at {earlier.span}) and "
                "cannot be replaced: rule files may add to the screen, never lower it",
                entry.field_span("replaces"),
                "add one of your own with a new id (a new flag may read the same questions)",
            )
            return
        if entry.model.replaces and earlier.model.replaces:
            # Two packs replacing one id: which text wins would depend on the order
            # the packs load in, and the team whose text lost would never know.
            merged.error(
                codes.DUPLICATE_ID,
                f"{kind} '{ident}' is replaced twice: by {earlier.span} and by "
                f"{entry.span}; only one file may replace it",
                entry.field_span("replaces"),
                "keep one of the two replacements (or rename one to a new id), or "
                "leave one of the packs out",
            )
            merged.refused.setdefault((section, ident), []).append(entry)
            return
        if entry.model.replaces:
            merged.replaced.setdefault((section, ident), []).append(earlier)
            table[ident] = entry  # keeps the earlier position in declared order
        else:
            merged.error(
                codes.DUPLICATE_ID,
                f"duplicate {kind} id '{ident}' (first defined at {earlier.span})",
                entry.field_span("id"),
                "rename it, or add 'replaces: true' to replace the earlier one",
            )
        return
    if entry.model.replaces:
        merged.error(
            codes.UNKNOWN_REFERENCE,
            f"{kind} '{ident}' says 'replaces: true' but nothing earlier has that id",
            entry.field_span("replaces"),
            did_you_mean(ident, table),
        )
    # Facts and causes are both conclusions, so they share one set of names. A
    # question may share a name with a cause (the contract's 'injury_history' is
    # both); inside a condition such a name means the question.
    if section in ("facts", "causes"):
        other = names_seen.get(ident)
        if other is not None:
            merged.error(
                codes.DUPLICATE_ID,
                f"'{ident}' is already a {SINGULAR[other[0]]} (at {other[1].span}); facts "
                "and causes share one set of names",
                entry.field_span("id"),
            )
            return
        names_seen[ident] = (section, entry)
    table[ident] = entry


def build_rulebase(files: Sequence[ParsedFile]) -> RuleBase:
    """Merge parsed files and compile them. Raises RuleBaseError listing every problem."""
    rulebase, problems = compile_rulebase(files)
    if problems:
        raise RuleBaseError(problems)
    return rulebase


def compile_rulebase(files: Sequence[ParsedFile]) -> tuple[RuleBase, list[Diagnostic]]:
    """Merge parsed files and compile what can be: (the rule base, every problem).

    With problems, the rule base holds only what is sound: a rule or flag whose
    condition does not compile, or that concludes an unknown name, is left out, and
    a reference to something unknown (a cause's fix, an ``explains`` loop, a
    question's ``replaced_by``) is dropped, so `rules lint` can still analyse the
    rest. Other commands must not use such a rule base: see :func:`build_rulebase`.
    """
    merged = merge(files)
    s = merged.sections
    questions = {i: _question(e) for i, e in s["questions"].items()}
    facts = {i: _fact(e) for i, e in s["facts"].items()}
    fixes = {i: _fix(e, questions, merged) for i, e in s["fixes"].items()}
    settings = _settings(files, questions, merged)
    alternatives = {
        i: _alternative(e, questions, settings, merged) for i, e in s["alternatives"].items()
    }
    causes = {i: _cause(e, fixes, alternatives, merged) for i, e in s["causes"].items()}
    causes = _check_explains(s["causes"], causes, merged)
    derived = set(facts) | set(causes)
    rules = _rules(s["rules"], questions, derived, merged)
    flags = _flags(s["safety_flags"], questions, derived, merged)
    _check_replacements(s["questions"], questions, merged)
    _guard_screen(s, questions, flags, fixes, alternatives, merged)
    screens = _screens(s["screens"], questions, flags, merged)
    if merged.problems:
        questions, settings = _sound(questions, settings)
    name, version = _identity(files)
    rulebase = RuleBase(
        name=name,
        version=version,
        content_hash=_content_hash(files),
        files=tuple(f.path for f in files),
        settings=settings,
        questions=questions,
        facts=facts,
        causes=causes,
        fixes=fixes,
        alternatives=alternatives,
        safety_flags=flags,
        rules=rules,
        faq={
            i: FaqEntry(i, e.model.question, e.model.answer, e.model.source, e.span)
            for i, e in s["faq"].items()
        },
        screens=screens,
    )
    return rulebase, sorted(merged.problems, key=_problem_order(files))


def _sound(
    questions: dict[str, Question], settings: Settings
) -> tuple[dict[str, Question], Settings]:
    """Questions and settings without the references that were reported as wrong."""
    from dataclasses import replace

    def tidy(q: Question) -> Question:
        follows = q.follow_up_of
        sound_follow = (
            follows in questions
            and follows != q.id
            and questions[follows].type is QuestionType.YES_NO
        )
        return replace(
            q,
            replaced_by=tuple(o for o in q.replaced_by if o in questions and o != q.id),
            follow_up_of=follows if sound_follow else None,
        )

    if settings.equipment_question not in questions:
        settings = replace(settings, equipment_question=None)
    return {i: tidy(q) for i, q in questions.items()}, settings


def _problem_order(files: Sequence[ParsedFile]) -> Callable[[Diagnostic], tuple[int, int, int]]:
    rank = {f.path: i for i, f in enumerate(files)}

    def key(d: Diagnostic) -> tuple[int, int, int]:
        span = d.span
        return (rank.get(span.path, -1), span.line, span.col) if span else (-1, 0, 0)

    return key


def _identity(files: Sequence[ParsedFile]) -> tuple[str, str]:
    metas = [f.model.rulebase for f in files if f.model.rulebase is not None]
    if not metas:
        return ("unnamed", "0")
    return (" + ".join(meta.name for meta in metas), " + ".join(meta.version for meta in metas))


def _content_hash(files: Sequence[ParsedFile]) -> str:
    return compiled_cache.content_hash(parsed.raw for parsed in files)


def _settings(
    files: Sequence[ParsedFile], questions: dict[str, Question], merged: Merged
) -> Settings:
    values: dict[str, Any] = {}
    for parsed in files:  # later files override only the settings they name
        if parsed.model.settings is not None:
            chosen = parsed.model.settings
            values.update({k: getattr(chosen, k) for k in chosen.model_fields_set})
            equipment = values.get("equipment_question")
            if (
                equipment is not None
                and equipment not in questions
                and "equipment_question" in chosen.model_fields_set
            ):
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"settings.equipment_question names unknown question '{equipment}'",
                    parsed.document.span_for(("settings", "equipment_question")),
                    did_you_mean(equipment, questions),
                )
            elif (
                equipment in questions
                and questions[equipment].type is not QuestionType.MULTI
                and "equipment_question" in chosen.model_fields_set
            ):
                # Alternatives' needs are choices the lifter may have several of; any
                # other answer would be read as "not asked" and filter nothing.
                merged.error(
                    codes.WRONG_TYPE,
                    f"settings.equipment_question names '{equipment}', a "
                    f"{questions[equipment].type.value} question (expected a multi question: "
                    "alternatives' needs name the equipment a lifter has, any number of it)",
                    parsed.document.span_for(("settings", "equipment_question")),
                )
    return Settings(**values)


def _question(e: Entry) -> Question:
    q: m.QuestionModel = e.model
    return Question(
        id=q.id,
        type=QuestionType(q.type),
        text=q.text,
        help=q.help,
        choices=tuple((q.choices or {}).items()),
        minimum=q.min,
        maximum=q.max,
        unit=q.unit,
        group=q.group,
        source=q.source,
        span=e.span,
        replaced_by=tuple(q.replaced_by),
        follow_up_of=q.follow_up_of,
        short_names=tuple(q.short_names),
        related_words=tuple(q.related_words),
        words=tuple((q.words or {}).items()),
        from_coach=not e.file.path.startswith(bundled.BUNDLED_PREFIX),
    )


def _fact(e: Entry) -> Fact:
    return Fact(
        e.model.id,
        e.model.title,
        e.model.description,
        e.model.source,
        e.span,
        from_coach=not e.file.path.startswith(bundled.BUNDLED_PREFIX),
    )


def _define_hint(section: str) -> str | None:
    """For an id with no look-alike: where to define it, or how to list what exists."""
    if section not in ("fixes", "alternatives"):
        return None
    return f"define it under `{section}:`, or see `rules show {section}`"


def _check_refs(
    e: Entry, field_name: str, known: Mapping[str, object], kind: str, merged: Merged
) -> tuple[str, ...]:
    for index, ref in enumerate(getattr(e.model, field_name)):
        if ref not in known:
            merged.error(
                codes.UNKNOWN_REFERENCE,
                f"unknown {kind} '{ref}' in {e.model.id}.{field_name}",
                e.file.document.span_for((*e.key_path, field_name, index)),
                did_you_mean(ref, known) or _define_hint(field_name),
            )
    return tuple(ref for ref in getattr(e.model, field_name) if ref in known)


def _alternative(
    e: Entry, questions: dict[str, Question], settings: Settings, merged: Merged
) -> Alternative:
    a: m.AlternativeModel = e.model
    equipment = questions.get(settings.equipment_question or "")
    if equipment is not None:
        for needs in ("needs", "needs_any"):
            _check_refs(e, needs, dict(equipment.choices), f"choice of '{equipment.id}'", merged)
    return Alternative(
        a.id,
        a.title,
        a.how,
        a.why,
        tuple(a.variations),
        tuple(a.needs),
        a.avoid_if,
        a.source,
        e.span,
        needs_any=tuple(a.needs_any),
        **_unless(e, questions, merged),
    )


def _fix(e: Entry, questions: dict[str, Question], merged: Merged) -> Fix:
    f: m.FixModel = e.model
    return Fix(f.id, f.title, f.how, f.source, e.span, **_unless(e, questions, merged))


class _Unless(TypedDict):
    unless: Evaluator | None
    unless_text: str
    unless_questions: frozenset[str]


def _unless(e: Entry, questions: dict[str, Question], merged: Merged) -> _Unless:
    """An item's ``unless`` (a condition over answers only), compiled: the fields an
    Alternative and a Fix share for it."""
    text: str | None = e.model.unless
    compiled = None if text is None else _compile(e, "unless", "unless", questions, set(), merged)
    return {
        "unless": compiled.evaluate if compiled else None,
        "unless_text": text or "",
        "unless_questions": compiled.questions if compiled else frozenset(),
    }


def _cause(
    e: Entry, fixes: dict[str, Fix], alternatives: dict[str, Alternative], merged: Merged
) -> Cause:
    c: m.CauseModel = e.model
    fix_ids = _check_refs(e, "fixes", fixes, "fix", merged)
    alt_ids = _check_refs(e, "alternatives", alternatives, "alternative", merged)
    return Cause(
        c.id,
        c.title,
        c.explanation,
        fix_ids,
        alt_ids,
        c.source,
        e.span,
        tuple(c.explains),
        from_coach=not e.file.path.startswith(bundled.BUNDLED_PREFIX),
    )


def _check_explains(
    entries: dict[str, Entry], causes: dict[str, Cause], merged: Merged
) -> dict[str, Cause]:
    """Every id a cause ``explains`` is another cause, and no cause explains itself,
    directly or through others: the ranking puts a root above what it explains, which
    a loop would make impossible. Returns the causes with the wrong links dropped."""
    from dataclasses import replace

    looped: set[str] = set()
    for ident, e in entries.items():
        for index, ref in enumerate(causes[ident].explains):
            span = e.file.document.span_for((*e.key_path, "explains", index))
            if ref not in causes:
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"unknown cause '{ref}' in {ident}.explains",
                    span,
                    did_you_mean(ref, causes),
                )
            elif ref == ident:
                merged.error(
                    codes.EXPLAINS_CYCLE,
                    f"cause '{ident}' explains itself",
                    span,
                    "list the causes this one is a root of, not itself",
                )
    graph = {ident: {r for r in c.explains if r in causes} for ident, c in causes.items()}
    for loop in strongly_connected(graph):
        if len(loop) < 2:
            continue  # a cause explaining itself is reported above
        looped |= set(loop)
        # At every link of the loop: the one to remove may be in any file.
        for member in loop:
            e = entries[member]
            index = next(i for i, r in enumerate(causes[member].explains) if r in loop)
            merged.error(
                codes.EXPLAINS_CYCLE,
                f"'{member}' explains '{causes[member].explains[index]}', and so causes "
                "explain each other in a loop: " + ", ".join(loop),
                e.file.document.span_for((*e.key_path, "explains", index)),
                "a root explains its signs, never the other way round: remove one link",
            )
    sound = {
        ident: tuple(r for r in c.explains if r in causes and r != ident and ident not in looped)
        for ident, c in causes.items()
    }
    return {
        ident: c if sound[ident] == c.explains else replace(c, explains=sound[ident])
        for ident, c in causes.items()
    }


def condition_span(
    document: Document, key_path: tuple[str | int, ...], offset: int, text: str
) -> SourceSpan:
    """Map an offset inside a condition string back to file:line:col."""
    scalar = document.scalars.get(key_path)
    if scalar is None:
        return document.span_for(key_path)
    start = scalar.span
    if scalar.style in (None, "'", '"') and start.end_line == start.line:
        quote = 0 if scalar.style is None else 1
        return SourceSpan(start.path, start.line, start.col + quote + offset)
    if scalar.style in ("|", ">") and isinstance(scalar.value, str):  # a block is text
        line_index = scalar.value.count("\n", 0, offset)
        col_in_line = offset - (scalar.value.rfind("\n", 0, offset) + 1)
        line_no = start.line + 1 + line_index
        lines = text.splitlines()
        if line_no - 1 < len(lines):
            physical = lines[line_no - 1]
            indent = len(physical) - len(physical.lstrip(" "))
            return SourceSpan(start.path, line_no, indent + col_in_line + 1)
    return start


def _compile(
    e: Entry,
    field_name: str,
    key: str,
    questions: dict[str, Question],
    derived: set[str],
    merged: Merged,
) -> Compiled | None:
    from .conditions.parser import ConditionSyntaxError, parse_condition  # only when building

    text: str = getattr(e.model, field_name)
    path = (*e.key_path, key)
    try:
        return compile_condition(parse_condition(text), questions, derived)
    except (ConditionSyntaxError, ConditionTypeError) as exc:
        code = getattr(exc, "code", codes.CONDITION_SYNTAX)
        span = condition_span(e.file.document, path, exc.offset, e.file.text)
        merged.error(code, f"in condition of '{e.model.id}': {exc.message}", span, exc.hint)
        return None


def _rules(
    entries: dict[str, Entry], questions: dict[str, Question], derived: set[str], merged: Merged
) -> tuple[Rule, ...]:
    rules = []
    for order, (ident, e) in enumerate(entries.items()):
        r: m.RuleModel = e.model
        compiled = _compile(e, "when", "if", questions, derived, merged)
        if r.then not in derived:
            kind = "a question" if r.then in questions else "unknown"
            merged.error(
                codes.UNKNOWN_REFERENCE,
                f"rule '{ident}' concludes '{r.then}', which is {kind}: "
                "'then' names a fact or cause",
                e.field_span("then"),
                did_you_mean(r.then, derived),
            )
            continue
        if compiled is None:
            continue
        rules.append(
            Rule(
                id=ident,
                condition=compiled.condition,
                condition_text=r.when,
                evaluate=compiled.evaluate,
                concludes=r.then,
                cf=r.cf,
                order=order,
                salience=r.salience,
                note=r.note,
                source=r.source,
                span=e.span,
                questions=compiled.questions,
                facts=compiled.facts,
                key_path=e.key_path,
                from_coach=not e.file.path.startswith(bundled.BUNDLED_PREFIX),
            )
        )
    return tuple(rules)


def _flags(
    entries: dict[str, Entry], questions: dict[str, Question], derived: set[str], merged: Merged
) -> dict[str, SafetyFlag]:
    flags = {}
    for ident, e in entries.items():
        f: m.SafetyFlagModel = e.model
        # Flags are checked before any reasoning, so they may test answers only.
        compiled = _compile(e, "when", "when", questions, set(), merged)
        if compiled is None:
            continue
        unless = None
        if f.unless is not None:
            unless = _compile(e, "unless", "unless", questions, set(), merged)
            if unless is None:
                continue
        for index, qid in enumerate(f.risk_factors):
            if qid not in compiled.questions:
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"safety flag '{ident}' names risk factor '{qid}', which its 'when' "
                    "does not read",
                    e.file.document.span_for((*e.key_path, "risk_factors", index)),
                    did_you_mean(qid, compiled.questions),
                )
        flags[ident] = SafetyFlag(
            id=ident,
            condition=compiled.condition,
            condition_text=f.when,
            evaluate=compiled.evaluate,
            level=FlagLevel(f.level),
            title=f.title,
            advice=f.advice,
            source=f.source,
            span=e.span,
            questions=compiled.questions,
            if_unsure=f.if_unsure,
            risk_factors=frozenset(f.risk_factors),
            unsure_level=FlagLevel(f.unsure_level) if f.unsure_level else None,
            unless=unless.evaluate if unless else None,
            unless_text=f.unless or "",
            unless_questions=unless.questions if unless else frozenset(),
            from_coach=not e.file.path.startswith(bundled.BUNDLED_PREFIX),
            if_cleared=f.if_cleared,
        )
    return flags


def _check_replacements(
    entries: dict[str, Entry], questions: dict[str, Question], merged: Merged
) -> None:
    for ident, e in entries.items():
        for index, other in enumerate(questions[ident].replaced_by):
            if other not in questions or other == ident:
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"question '{ident}' is replaced_by unknown question '{other}'",
                    e.file.document.span_for((*e.key_path, "replaced_by", index)),
                    did_you_mean(other, questions),
                )


def _near_miss(ident: str, on_screen: set[str]) -> str | None:
    """The safety question ``ident`` misspells as answer keys are read
    (``index.misspelt_safety``), or None. Defined as a question of its own, such an id
    would be read as itself, and a "yes" under it would no longer reach the screen
    (attack round 5, P2: a file that linted clean turned such a "yes" into advice)."""
    import difflib

    close = difflib.get_close_matches(fold_key(ident), sorted(on_screen), 1, TYPO_CUTOFF)
    return close[0] if close else None


def _guard_screen(
    s: dict[str, dict[str, Entry]],
    questions: dict[str, Question],
    flags: dict[str, SafetyFlag],
    fixes: dict[str, Fix],
    alternatives: dict[str, Alternative],
    merged: Merged,
) -> None:
    """What no rule file may do to the safety screen (see screen_guard.py)."""
    from .screen_guard import (  # only when building
        ADVICE_HINT,
        advice_in_flags,
        unreferred_sentences,
    )

    entries = s["questions"]
    on_screen = {q for flag in flags.values() for q in flag.questions}
    folded: dict[str, str] = {}
    earlier: set[str] = set()  # the safety questions defined before this one
    # What the reader takes a misspelt key for (index.screen_questions): in 'unless' too.
    read_by_flags = {q for f in flags.values() for q in f.questions | f.unless_questions}
    # A safety question's short names are read as it in answer keys (a yes under one is
    # its yes): a question with such an id took that yes from the screen, and "ok" with
    # advice came out where the sign was referred (check 45, point 3).
    short_named: dict[str, tuple[str, ...]] = {}
    for qid in sorted(read_by_flags & questions.keys()):
        for name in questions[qid].short_names:
            name_key = short_name_key(name)
            short_named[name_key] = (*short_named.get(name_key, ()), qid)
    for ident, e in entries.items():
        owner, how = short_name_owner(ident, short_named), "is"
        if owner is None and ident not in read_by_flags:
            owner, how = short_name_inside(ident, short_named), "holds"
        if owner is not None and owner != ident:
            merged.error(
                codes.DUPLICATE_ID,
                f"question id '{ident}' {how} a short name of safety question '{owner}' (at "
                f"{entries[owner].span if owner in entries else 'the bundled base'}): an "
                "answer key with that name is read as that warning sign, and a question "
                "of this id would take such answers away from the screen",
                e.field_span("id"),
                "give the question an id that is not a safety question's short name",
            )
        twin = folded.setdefault(fold_key(ident), ident)
        if twin != ident:
            merged.error(
                codes.DUPLICATE_ID,
                f"question id '{ident}' reads as '{twin}' (at {entries[twin].span}): answer "
                "keys are matched without regard to case, spacing or look-alike letters",
                e.field_span("id"),
                "give the question an id that differs in its letters",
            )
        # (a twin of a safety question is refused above: one problem, not two)
        # Against every safety question defined before it, a file's own included: a
        # question of one's own flag, 'saddle_numbness2', took the "yes" a reader would
        # have given 'saddle_numbness' (attack round 10, M5). The later one is named.
        shadows = owner is not None and owner != ident  # refused above: one problem
        near = None if twin != ident or shadows else _near_miss(ident, earlier)
        if ident in read_by_flags:
            earlier.add(ident)
        if near is not None:
            merged.error(
                codes.DUPLICATE_ID,
                f"question id '{ident}' is a near miss of safety question '{near}' (at "
                f"{entries[near].span if near in entries else 'the bundled base'}): an "
                "answer key that misspells a warning sign is read as that sign, and a "
                "question of this id would take such answers away from the screen",
                e.field_span("id"),
                "give the question an id that is not close to a safety question's",
            )
        for index, other in enumerate(questions[ident].replaced_by):
            target = entries.get(other)
            if other in on_screen and target is not None and target.file is not e.file:
                merged.error(
                    codes.SCREEN_REPLACED,
                    f"question '{ident}' is replaced_by safety question '{other}' of "
                    f"another file (at {target.span}): an answer to '{ident}' would cover "
                    "that warning sign without asking it",
                    e.file.document.span_for((*e.key_path, "replaced_by", index)),
                    "ask the safety questions themselves; replaced_by is for a question "
                    "and its parts in one file",
                )
        follows = questions[ident].follow_up_of
        if follows is not None and (
            follows not in questions
            or follows == ident
            or questions[follows].type is not QuestionType.YES_NO
        ):
            merged.error(
                codes.UNKNOWN_REFERENCE,
                f"question '{ident}' is a follow_up_of '{follows}', which is not another "
                "yes/no question",
                e.field_span("follow_up_of"),
                did_you_mean(follows, questions),
            )
    refused = set()
    for ident, holds_it, message in advice_in_flags(flags, fixes, alternatives):
        refused.add(ident)
        where = s["safety_flags"][ident].field_span(holds_it)
        merged.error(codes.ADVICE_IN_REFERRAL, message, where, ADVICE_HINT)
    for ident, e in s["safety_flags"].items():
        # A flag whose condition did not compile was left out, with its own error.
        if ident in refused or ident not in flags or not flags[ident].from_coach:
            continue
        for holds_it, sentence in unreferred_sentences(flags[ident]):
            merged.error(
                codes.ADVICE_IN_REFERRAL,
                f"safety flag '{ident}' says {sentence!r}, which names no one to see, no "
                "place to go and does not say not to train: a coach's flag in a referral "
                "says only where to go and how soon, and how to check an unsure sign",
                e.field_span(holds_it),
                ADVICE_HINT,
            )
            break  # one problem per flag: the first sentence that says something else


def _screens(
    entries: dict[str, Entry],
    questions: dict[str, Question],
    flags: dict[str, SafetyFlag],
    merged: Merged,
) -> dict[str, Screen]:
    """Screens group yes/no questions: an any_of screen holds safety questions (some
    flag reads each), a pick screen holds form questions (no flag reads any: a warning
    sign is never inferred from an item left unpicked)."""
    # In 'when' or in 'unless': an unpicked item read as "no" in a flag's 'unless'
    # cleared an urgent flag (check 35, A-H2).
    flagged = {q for flag in flags.values() for q in flag.questions | flag.unless_questions}
    screens: dict[str, Screen] = {}
    taken: dict[str, str] = {}
    for ident, e in entries.items():
        sc: m.ScreenModel = e.model
        safety_screen = sc.style == "any_of"
        from_coach = not e.file.path.startswith(bundled.BUNDLED_PREFIX)
        for qid in sc.items:
            span = e.file.document.span_for((*e.key_path, "items", qid))
            question = questions.get(qid)
            if from_coach and question is not None and not question.from_coach and qid in flagged:
                # A screen is asked in its own words and "none of these" answers every
                # sign in it: a coach's screen over the tool's own signs asked them as
                # "harmless soreness" and answered an emergency sign "no" (attack
                # round 9, G1 and G2).
                merged.error(
                    codes.SCREEN_REPLACED,
                    f"screen '{ident}' lists '{qid}', a safety question of the tool's own: "
                    "the tool asks its warning signs in its own words and screens",
                    span,
                    "leave the tool's safety questions out of your screens; a screen of "
                    "yours may group your own safety questions",
                )
            elif question is None:
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"screen '{ident}' lists unknown question '{qid}'",
                    span,
                    did_you_mean(qid, questions),
                )
            elif question.type is not QuestionType.YES_NO or (qid in flagged) != safety_screen:
                kind = "of a safety flag" if safety_screen else "that no safety flag reads"
                merged.error(
                    codes.UNKNOWN_REFERENCE,
                    f"screen '{ident}' ({sc.style}) lists '{qid}', which is not a yes/no "
                    f"question {kind}",
                    span,
                    "an any_of screen holds the safety screen's yes/no questions; a pick "
                    "screen holds yes/no form questions",
                )
            elif qid in taken:
                merged.error(
                    codes.DUPLICATE_ID,
                    f"question '{qid}' is in two screens ('{taken[qid]}' and '{ident}')",
                    span,
                )
            else:
                taken[qid] = ident
        screens[ident] = Screen(
            ident,
            sc.text,
            tuple(sc.items.items()),
            sc.help,
            e.span,
            style=sc.style,
            from_coach=from_coach,
        )
    return screens
