"""The bundled rule base as compiled, signed, so a run need not build it again.

``bundle_cache`` spares a run YAML and pydantic; building the rule base from its
validated data still parses, type-checks and cross-checks every condition and
definition, which was most of a one-record run's own work. This keeps what that
build made: the :class:`RuleBase` itself, pickled, for the bundled files alone (a
run with overlays builds as before).

An entry is signed exactly as a ``bundle_cache`` entry is (see its docstring: the
same per-installation key, bound to the bytes of every bundled file and to the
code), under a MAC of its own kind, so that neither kind of entry can stand in for
the other. Unpickling runs code, so a payload is unpickled only after its MAC
verifies: an entry edited, copied from another installation or made by other code
is never opened, and the rule base is built from the files instead (and signed
again). A changed rule file changes the entry's name and MAC, so it is never served
stale; the hash a result reports is computed from the bytes read in this run.

Pickle cannot hold the evaluators (closures) the condition compiler makes; the
entry keeps the checked conditions instead, and loading compiles them again, which
costs a fraction of a millisecond.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import pickle
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import bundle_cache
from .conditions.ast import Condition
from .conditions.compile import compile_condition
from .rulebase import Question, RuleBase

KIND = b"legpress-diag compiled rule base"
PREFIX, SUFFIX = "compiled", ".pickle"
# The items whose ``unless`` is an evaluator beside its text (the rule base keeps no
# condition for it), by section.
_UNLESS_SECTIONS = ("fixes", "alternatives", "safety_flags")


def content_hash(raws: Iterable[bytes]) -> str:
    """The hash a result reports for a rule base made of files with these bytes."""
    digest = hashlib.sha256()
    for raw in raws:
        digest.update(len(raw).to_bytes(8, "big"))
        digest.update(raw)
    return "sha256:" + digest.hexdigest()[:16]


def load(raws: Sequence[tuple[str, bytes]]) -> RuleBase | None:
    """The rule base compiled from exactly these bundled (name, bytes), or None."""
    payload = bundle_cache.verified_payload(PREFIX, SUFFIX, raws, KIND)
    if payload is None:
        return None
    # Signed by this installation: see the docstring. The collector is paused while
    # the thousands of objects are made: a full collection over everything the
    # command line has imported by now cost as much as the unpickling itself.
    paused = gc.isenabled()
    gc.disable()
    try:
        stored = pickle.loads(payload)
        return _rebuild(stored["fields"], stored["unless"], content_hash(raw for _, raw in raws))
    except Exception:  # signed but not what this code reads (another Python, say): rebuild
        return None
    finally:
        if paused:
            gc.enable()


def store(rb: RuleBase, raws: Sequence[tuple[str, bytes]]) -> None:
    """Remember ``rb``, built from exactly these bundled (name, bytes), signed.

    Nothing is stored when ``rb`` was not built from these bytes (a file changed
    between reading it for the key and reading it to build)."""
    if rb.content_hash != content_hash(raw for _, raw in raws):
        return
    fields, unless = _stripped(rb)
    payload = pickle.dumps({"fields": fields, "unless": unless}, protocol=pickle.HIGHEST_PROTOCOL)
    bundle_cache.write_signed(PREFIX, SUFFIX, raws, payload, KIND)


def _stripped(rb: RuleBase) -> tuple[dict[str, Any], dict[tuple[str, str], Condition]]:
    """RuleBase's fields with every evaluator taken out, and the checked ``unless``
    condition of each item that has one (compiled from its text as the loader does)."""
    from .conditions.parser import parse_condition  # only when an entry is written

    fields = {f.name: getattr(rb, f.name) for f in dataclasses.fields(rb) if f.init}
    no_evaluator: dict[str, Any] = {"evaluate": None}
    fields["rules"] = tuple(dataclasses.replace(r, **no_evaluator) for r in rb.rules)
    unless: dict[tuple[str, str], Condition] = {}
    for section in _UNLESS_SECTIONS:
        items: Mapping[str, Any] = fields[section]
        for ident, item in items.items():
            if item.unless is not None:
                checked = compile_condition(parse_condition(item.unless_text), rb.questions, set())
                unless[(section, ident)] = checked.condition
        changes: dict[str, Any] = {"unless": None}
        if section == "safety_flags":
            changes["evaluate"] = None
        fields[section] = {i: dataclasses.replace(x, **changes) for i, x in items.items()}
    return fields, unless


def _rebuild(
    fields: dict[str, Any], unless: dict[tuple[str, str], Condition], hashed: str
) -> RuleBase:
    """The stored fields with their evaluators compiled again, as a RuleBase."""
    questions: dict[str, Question] = fields["questions"]
    derived = set(fields["facts"]) | set(fields["causes"])
    for rule in fields["rules"]:
        _set(rule, "evaluate", compile_condition(rule.condition, questions, derived).evaluate)
    for flag in fields["safety_flags"].values():
        # Flags are checked before any reasoning: their conditions read answers only.
        _set(flag, "evaluate", compile_condition(flag.condition, questions, set()).evaluate)
    for (section, ident), condition in unless.items():
        evaluate = compile_condition(condition, questions, set()).evaluate
        _set(fields[section][ident], "unless", evaluate)
    fields["content_hash"] = hashed
    return RuleBase(**fields)


def _set(item: object, name: str, value: object) -> None:
    """Fill in a field of a frozen item this module has just unpickled (it is no one
    else's yet, so nothing can have seen it without the value)."""
    object.__setattr__(item, name, value)
