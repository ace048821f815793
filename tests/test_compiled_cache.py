"""The signed cache of the compiled bundled rule base: faster when it hits, never
different, never opened unless signed by this installation (issue 25, item 3)."""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.intake.answers import normalize_answers
from legpress_diag.knowledge import bundle_cache, bundled, compiled_cache, loader
from legpress_diag.knowledge.loader import load_rulebase
from legpress_diag.knowledge.rulebase import QuestionType, RuleBase

from .test_bundle_cache import bundled_copy, quiet_the_saddle_flag_in_place

SADDLE = {"answers": {"saddle_numbness": "yes", "lower_back_rounds": "yes"}}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", str(tmp_path))
    monkeypatch.delenv("LEGPRESS_DIAG_NO_CACHE", raising=False)
    return tmp_path


def _fresh(monkeypatch: pytest.MonkeyPatch) -> RuleBase:
    """The rule base built from the files, no cache of either kind."""
    with monkeypatch.context() as patch:
        patch.setenv("LEGPRESS_DIAG_NO_CACHE", "1")
        return load_rulebase()


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("compiled-*.pickle")
    return entry


def _raws() -> list[tuple[str, bytes]]:
    return [(bundled.shown_name(p), p.read_bytes()) for p in loader.rule_files()]


def _records(rb: RuleBase, n: int) -> list[dict[str, Any]]:
    """Every question answered at random (safety questions too, "unsure" included),
    one answer in five left out: fixed seed, so the same records every run."""
    rnd = random.Random(25)
    records = []
    for index in range(n):
        answers: dict[str, Any] = {}
        for q in rb.questions.values():
            if q.replaced_by or rnd.random() < 0.2:
                continue
            if q.type is QuestionType.YES_NO:
                answers[q.id] = rnd.choice(("yes", "no", "no", "no", "unsure"))
            elif q.type is QuestionType.CHOICE:
                answers[q.id] = rnd.choice(q.choice_values)
            elif q.type is QuestionType.MULTI:
                k = rnd.randint(0, len(q.choice_values))
                answers[q.id] = sorted(rnd.sample(q.choice_values, k))
            else:
                low = q.minimum if q.minimum is not None else 0
                high = q.maximum if q.maximum is not None else 120
                answers[q.id] = rnd.randint(int(low), int(high))
        records.append({"id": index, "answers": answers})
    return records


def _used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make building from the files fail, so a load that succeeds came from the entry."""
    built: list[int] = []

    def refuse(files: Any) -> RuleBase:
        built.append(1)
        raise AssertionError("built from the files, not taken from the compiled entry")

    monkeypatch.setattr(loader, "build_rulebase", refuse)
    return built


def test_the_second_load_is_the_compiled_entry_and_reasons_identically(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _fresh(monkeypatch)
    load_rulebase()  # writes both entries
    assert _entry(cache).stat().st_size > 0
    _used(monkeypatch)
    cached = load_rulebase()
    # Every definition equal (evaluators are not compared by ==, so below they are run).
    assert cached == fresh and cached.content_hash == fresh.content_hash
    assert [r.span for r in cached.rules] == [r.span for r in fresh.rules]
    assert cached.index.plan is not None and fresh.index.plan is not None
    assert cached.index.plan.ruled_out == fresh.index.plan.ruled_out
    assert cached.index.plan.decided == fresh.index.plan.decided
    records = _records(fresh, 300)
    assert any(diagnose(r, fresh)["status"] == "refer" for r in records)  # flags exercised
    for record in records:
        assert diagnose(record, cached, explain=True) == diagnose(record, fresh, explain=True)


def test_every_evaluator_is_compiled_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _fresh(monkeypatch)
    load_rulebase()
    cached = load_rulebase()
    for record in _records(fresh, 50):
        normal, _, _ = normalize_answers(fresh, record["answers"])
        beliefs = {f: 0.5 for f in [*fresh.facts, *fresh.causes]}
        for old, new in zip(fresh.rules, cached.rules, strict=True):
            assert new.evaluate(normal, beliefs) == old.evaluate(normal, beliefs)
        for ident, flag in fresh.safety_flags.items():
            again = cached.safety_flags[ident]
            assert again.evaluate(normal, {}) == flag.evaluate(normal, {})
            assert (again.unless is None) == (flag.unless is None)
            if flag.unless is not None and again.unless is not None:
                assert again.unless(normal, {}) == flag.unless(normal, {})
        for old_items, new_items in (
            (fresh.fixes, cached.fixes),
            (fresh.alternatives, cached.alternatives),
        ):
            for ident, item in old_items.items():
                again_unless = new_items[ident].unless
                assert (again_unless is None) == (item.unless is None)
                if item.unless is not None and again_unless is not None:
                    assert again_unless(normal, {}) == item.unless(normal, {})


def test_an_edited_entry_is_never_unpickled(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_rulebase()
    entry = _entry(cache)
    blob = bytearray(entry.read_bytes())
    blob[-10] ^= 0x01  # one bit of the pickle, the MAC line kept
    entry.write_bytes(bytes(blob))
    opened: list[bytes] = []
    real = pickle.loads

    def loads(data: bytes) -> Any:
        opened.append(data)
        return real(data)

    monkeypatch.setattr(pickle, "loads", loads)  # the module compiled_cache calls
    assert compiled_cache.load(_raws()) is None
    assert opened == []
    rb = load_rulebase()  # built from the files, and the entry written again
    assert diagnose(SADDLE, rb)["red_flags"][0]["level"] == "emergency"
    assert compiled_cache.load(_raws()) is not None and len(opened) == 1


def test_another_installations_key_opens_neither_kind_of_entry(cache: Path) -> None:
    load_rulebase()
    raws = _raws()
    kinds = (compiled_cache.load, bundle_cache.load)
    assert [load(raws) is None for load in kinds] == [False, False]
    (cache / "key").write_bytes(os.urandom(32))  # still 0600: a different installation
    assert [load(raws) is None for load in kinds] == [True, True]


def test_a_validated_files_entry_cannot_stand_in_for_a_compiled_one(cache: Path) -> None:
    load_rulebase()
    (validated,) = cache.glob("bundled-*.json")
    _entry(cache).write_bytes(validated.read_bytes())  # signed, but as the other kind
    assert compiled_cache.load(_raws()) is None


def test_a_changed_rule_file_is_never_served_stale(
    cache: Path, tmp_path_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled_copy(tmp_path_factory, monkeypatch)
    before = load_rulebase()
    assert diagnose(SADDLE, load_rulebase())["red_flags"][0]["level"] == "emergency"
    quiet_the_saddle_flag_in_place(rules)
    after = load_rulebase()
    assert after.content_hash != before.content_hash
    assert after.safety_flags["saddle_numbness"].level == "clinician"
    assert diagnose(SADDLE, after) == diagnose(SADDLE, _fresh(monkeypatch))


def test_an_overlay_is_never_taken_from_the_compiled_entry(cache: Path, tmp_path: Path) -> None:
    load_rulebase()
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "rules:\n  - {id: more-heels, if: heels_lift, then: heels_lifting, cf: 0.5, source: x}\n"
    )
    assert "more-heels" in {r.id for r in load_rulebase([extra]).rules}
    assert len(list(cache.glob("compiled-*.pickle"))) == 1  # the bundled base's only


def test_nothing_is_stored_for_bytes_the_rule_base_was_not_built_from(cache: Path) -> None:
    rb = load_rulebase()
    _entry(cache).unlink()
    other = [(name, raw + b"\n# changed\n") for name, raw in _raws()]
    compiled_cache.store(rb, other)
    assert not list(cache.glob("compiled-*.pickle"))


def test_no_cache_means_no_entry(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGPRESS_DIAG_NO_CACHE", "1")
    load_rulebase()
    assert not list(cache.glob("compiled-*.pickle"))
    assert (
        bundle_cache.verified_payload("compiled", ".pickle", _raws(), compiled_cache.KIND) is None
    )


def test_a_signed_entry_this_code_cannot_read_is_built_again(cache: Path) -> None:
    load_rulebase()
    raws = _raws()
    for payload in (b"not a pickle", pickle.dumps({"fields": {}}), pickle.dumps([1, 2])):
        bundle_cache.write_signed("compiled", ".pickle", raws, payload, compiled_cache.KIND)
        assert compiled_cache.load(raws) is None
        assert diagnose(SADDLE, load_rulebase())["red_flags"][0]["level"] == "emergency"
    assert compiled_cache.load(raws) is not None  # and written again


# --- the loader-free way in: knowledge/bundled.from_cache ----------------------------


def test_the_cache_alone_gives_the_loaders_rule_base_for_the_same_files(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """from_cache names the files as the loader does (the entry's key), so it finds
    the entry the loader stored, and only that: nothing before the loader's first run."""
    assert bundled.from_cache() is None  # no entry yet: the loader builds and stores it
    fresh = _fresh(monkeypatch)
    load_rulebase()
    assert [name for name, _ in _raws()] == list(fresh.files)
    _used(monkeypatch)
    cached = bundled.from_cache()
    assert cached is not None and cached == fresh and cached.content_hash == fresh.content_hash
    for record in _records(fresh, 100):
        assert diagnose(record, cached, explain=True) == diagnose(record, fresh, explain=True)


def test_the_cache_alone_never_serves_a_changed_or_tampered_rule_base(
    cache: Path, tmp_path_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled_copy(tmp_path_factory, monkeypatch)
    load_rulebase()
    served = bundled.from_cache()
    assert served is not None and served.safety_flags["saddle_numbness"].level == "emergency"
    quiet_the_saddle_flag_in_place(rules)  # same size, same mtime: only the bytes differ
    assert bundled.from_cache() is None
    after = load_rulebase()  # builds from the changed file, and stores that
    served = bundled.from_cache()
    assert served is not None and served.content_hash == after.content_hash
    assert served.safety_flags["saddle_numbness"].level == "clinician"
    for entry in cache.glob("compiled-*.pickle"):  # the old files' entry and the new ones'
        blob = bytearray(entry.read_bytes())
        blob[-10] ^= 0x01  # one bit of the pickle
        entry.write_bytes(bytes(blob))
    assert bundled.from_cache() is None


def test_the_api_takes_the_bundled_base_from_the_cache_alone(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legpress_diag import api

    load_rulebase()
    _used(monkeypatch)
    taken: list[RuleBase | None] = []
    real = bundled.from_cache

    def from_cache() -> RuleBase | None:
        taken.append(real())
        return taken[-1]

    monkeypatch.setattr(bundled, "from_cache", from_cache)
    api.bundled_rulebase.cache_clear()
    try:
        assert api.bundled_rulebase() is taken[0] is not None
    finally:
        api.bundled_rulebase.cache_clear()  # the next test's cache folder is another
