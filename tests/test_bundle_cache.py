"""The cache of validated bundled rules: faster when it hits, never different."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpress_diag.api import diagnose
from legpress_diag.knowledge import bundle_cache
from legpress_diag.knowledge.loader import load_rulebase

RECORD = {
    "answers": {"lower_back_rounds": "yes", "knee_angle_at_bottom": 70, "can_touch_toes": "no"}
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", str(tmp_path))
    monkeypatch.delenv("LEGPRESS_DIAG_NO_CACHE", raising=False)
    return tmp_path


def test_first_load_writes_the_cache_and_the_second_uses_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_rulebase()
    assert len(list(cache.glob("bundled-*.json"))) == 1
    used = []
    real = bundle_cache.load
    monkeypatch.setattr(bundle_cache, "load", lambda raws: used.append(1) or real(raws))
    cached = load_rulebase()
    assert used and real([(f.path, f.raw) for f in []]) is None  # an empty key never matches
    assert cached.content_hash == fresh.content_hash and cached.identity == fresh.identity
    assert [r.id for r in cached.rules] == [r.id for r in fresh.rules]
    assert [r.span for r in cached.rules] == [r.span for r in fresh.rules]
    assert cached.settings == fresh.settings
    assert diagnose(RECORD, cached) == diagnose(RECORD, fresh)


def test_a_damaged_cache_is_ignored(cache: Path) -> None:
    expected = diagnose(RECORD, load_rulebase())
    for path in cache.glob("bundled-*.json"):
        path.write_text("{not json")
    assert diagnose(RECORD, load_rulebase()) == expected


def test_an_overlay_still_loads_on_top_of_the_cached_base(cache: Path, tmp_path: Path) -> None:
    load_rulebase()
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "rules:\n  - {id: more-heels, if: heels_lift, then: heels_lifting, cf: 0.5, source: x}\n"
    )
    rb = load_rulebase([extra])
    assert "more-heels" in {r.id for r in rb.rules}
    assert rb.rules[-1].span is not None and rb.rules[-1].span.path.endswith("extra.yaml")


def test_an_unwritable_cache_folder_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", "/proc/no-such-place")
    assert load_rulebase().name == "legpress-bundled"


def test_the_key_covers_the_package_code(monkeypatch: pytest.MonkeyPatch) -> None:
    raws = [("rules/a.yaml", b"questions: []\n")]
    before = bundle_cache._key(raws)
    assert bundle_cache._key(raws) == before  # stable within one version of the code
    monkeypatch.setattr(bundle_cache, "code_fingerprint", lambda: "an edited module")
    assert bundle_cache._key(raws) != before
