"""The cache of validated bundled rules: faster when it hits, never different."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from legpress_diag.api import diagnose
from legpress_diag.knowledge import bundle_cache, bundled, compiled_cache
from legpress_diag.knowledge.loader import load_rulebase

RECORD = {
    "answers": {"lower_back_rounds": "yes", "knee_angle_at_bottom": 70, "can_touch_toes": "no"}
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", str(tmp_path))
    monkeypatch.delenv("LEGPRESS_DIAG_NO_CACHE", raising=False)
    # These tests are about the validated files' entry: the compiled rule base's
    # entry (tests/test_compiled_cache.py), which a later load would use first, is
    # left out.
    monkeypatch.setattr(compiled_cache, "load", lambda raws: None)
    return tmp_path


def test_first_load_writes_the_cache_and_the_second_uses_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_rulebase()
    assert len(list(cache.glob("bundled-*.json"))) == 1
    used: list[int] = []
    real = bundle_cache.load

    def counted(raws: list[tuple[str, bytes]]) -> object:
        used.append(1)
        return real(raws)

    monkeypatch.setattr(bundle_cache, "load", counted)
    cached = load_rulebase()
    assert used and real([]) is None  # an empty key never matches
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


# --- The cache can make a run faster, never different (issue 20, item 4) ------------

SADDLE = {"answers": {"saddle_numbness": "yes", "lower_back_rounds": "yes"}}


def _entry(cache: Path) -> Path:
    (entry,) = cache.glob("bundled-*.json")
    return entry


def _edit(cache: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the stored data as someone without the key would: keep whatever precedes
    the JSON (the MAC line), change the JSON, write it back under the same name."""
    entry = _entry(cache)
    text = entry.read_text(encoding="utf-8")
    start = text.index("{")
    data = json.loads(text[start:])
    change(data)
    entry.write_text(text[:start] + json.dumps(data), encoding="utf-8")


def _section(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(f["data"][name] for f in data["files"] if f["data"].get(name))


def _quiet_the_flag(data: dict[str, Any]) -> None:
    flag = next(f for f in _section(data, "safety_flags") if f["id"] == "saddle_numbness")
    flag["level"] = "clinician"


def _delete_the_flag(data: dict[str, Any]) -> None:
    flags = _section(data, "safety_flags")
    flags[:] = [f for f in flags if f["id"] != "saddle_numbness"]
    for file in data["files"]:  # and from its screen, so the rest still cross-checks
        for screen in file["data"].get("screens", []):
            screen["items"].pop("saddle_numbness", None)


def _lower_a_certainty(data: dict[str, Any]) -> None:
    for rule in _section(data, "rules"):
        rule["cf"] = 0.01


@pytest.mark.parametrize(
    ("change", "record"),
    [(_quiet_the_flag, SADDLE), (_delete_the_flag, SADDLE), (_lower_a_certainty, RECORD)],
)
def test_an_entry_edited_on_disk_is_never_used(
    cache: Path,
    change: Callable[[dict[str, Any]], None],
    record: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_rulebase()
    _edit(cache, change)
    result = diagnose(record, load_rulebase())
    monkeypatch.setenv("LEGPRESS_DIAG_NO_CACHE", "1")
    assert result == diagnose(record, load_rulebase())
    if record is SADDLE:
        assert result["status"] == "refer" and result["red_flags"][0]["level"] == "emergency"
    monkeypatch.delenv("LEGPRESS_DIAG_NO_CACHE")
    # The rejected entry was rebuilt, and the rebuilt one is used.
    assert bundle_cache.load(_raws()) is not None


def _raws() -> list[tuple[str, bytes]]:
    files = sorted(bundled.bundled_rules_dir().glob("*.yaml"))
    return [(bundled.shown_name(p), p.read_bytes()) for p in files]


def test_an_entry_signed_with_another_installations_key_is_refused(cache: Path) -> None:
    load_rulebase()
    assert bundle_cache.load(_raws()) is not None
    (cache / "key").write_bytes(os.urandom(32))  # still 0600: a different installation
    assert bundle_cache.load(_raws()) is None


def test_a_key_others_can_read_is_not_trusted_and_is_replaced(cache: Path) -> None:
    load_rulebase()
    key = cache / "key"
    old = key.read_bytes()
    key.chmod(0o644)
    assert bundle_cache.load(_raws()) is None  # whoever read it could sign an edit
    load_rulebase()
    assert key.read_bytes() != old and key.stat().st_mode & 0o777 == 0o600
    assert bundle_cache.load(_raws()) is not None


def test_a_symlinked_key_is_not_followed(cache: Path, tmp_path_factory: Any) -> None:
    load_rulebase()
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "key"
    shutil.move(cache / "key", elsewhere)
    (cache / "key").symlink_to(elsewhere)
    assert bundle_cache.load(_raws()) is None


def test_the_key_is_private_and_the_entry_is_not_plain_json(cache: Path) -> None:
    load_rulebase()
    assert (cache / "key").stat().st_mode & 0o777 == 0o600
    assert len((cache / "key").read_bytes()) == bundle_cache.KEY_BYTES
    first_line = _entry(cache).read_bytes().split(b"\n", 1)[0]
    assert len(first_line) == bundle_cache.MAC_HEX


def test_a_fifo_in_place_of_the_entry_does_not_hang(cache: Path) -> None:
    load_rulebase()
    entry = _entry(cache)
    entry.unlink()
    os.mkfifo(entry)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(bundle_cache.load(_raws())), daemon=True)
    reader.start()
    reader.join(timeout=60)  # generous: it returns at once unless it waits for a writer
    assert found == [None]


def test_a_changed_rule_file_is_never_served_stale(
    cache: Path, tmp_path_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled_copy(tmp_path_factory, monkeypatch)
    before = load_rulebase()
    assert diagnose(SADDLE, load_rulebase())["status"] == "refer"  # from the cache
    quiet_the_saddle_flag_in_place(rules)
    after = load_rulebase()
    assert after.content_hash != before.content_hash
    assert after.safety_flags["saddle_numbness"].level == "clinician"
    monkeypatch.setenv("LEGPRESS_DIAG_NO_CACHE", "1")
    assert diagnose(SADDLE, after) == diagnose(SADDLE, load_rulebase())


def quiet_the_saddle_flag_in_place(rules: Path) -> None:
    """The saddle-numbness flag (the first emergency) made "clinician": the same size
    and the same mtime, so only the bytes say the file changed."""
    safety = rules / "safety.yaml"
    stat = safety.stat()
    text = safety.read_text(encoding="utf-8")
    changed = text.replace("level: emergency", "level: clinician", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    safety.write_text(changed, encoding="utf-8")
    os.utime(safety, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def bundled_copy(tmp_path_factory: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled rule files that the loader takes for the bundled base."""
    rules: Path = tmp_path_factory.mktemp("bundled") / "rules"
    shutil.copytree(bundled.bundled_rules_dir(), rules)
    monkeypatch.setattr(bundled, "bundled_rules_dir", lambda: rules)
    return rules


def test_folders_in_place_of_the_key_and_the_entries_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Attack round 5, P3: a folder under the key's name stopped every command with
    # "error: 5: Is a directory". The cache can make a run faster, never impossible.
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", str(tmp_path))
    monkeypatch.delenv("LEGPRESS_DIAG_NO_CACHE", raising=False)
    expected = diagnose(RECORD, load_rulebase())
    entries = [p for p in tmp_path.iterdir() if p.name != bundle_cache.KEY_NAME]
    assert entries  # the load wrote its entries
    for path in [tmp_path / bundle_cache.KEY_NAME, *entries]:
        path.unlink()
        path.mkdir()
    assert diagnose(RECORD, load_rulebase()) == expected


def test_old_entries_and_a_killed_runs_temp_files_are_removed(cache: Path) -> None:
    """Nothing reads an entry once the code or the files it was built from change, and
    a new user found 508 of them (51 MB) in one folder: the newest few of each kind
    are kept."""
    cache.mkdir(exist_ok=True)
    stale, fresh = cache / "old.tmp", cache / "new.tmp"
    stale.write_bytes(b"x")
    os.utime(stale, (1, 1))
    fresh.write_bytes(b"x")
    other = cache / "notes.txt"  # not the cache's: never touched
    other.write_text("mine")
    for n in range(bundle_cache.KEEP_ENTRIES + 4):
        bundle_cache.write_signed("bundled", ".json", [("f.yaml", b"%d" % n)], b"{}", b"test")
        os.utime(cache / f"bundled-{bundle_cache._key([('f.yaml', b'%d' % n)])}.json", (n, n))
    kept = {p.name for p in cache.glob("bundled-*.json")}
    assert len(kept) == bundle_cache.KEEP_ENTRIES
    newest = range(4, bundle_cache.KEEP_ENTRIES + 4)
    assert kept == {f"bundled-{bundle_cache._key([('f.yaml', b'%d' % n)])}.json" for n in newest}
    assert not stale.exists() and fresh.exists() and other.exists()
    payload = bundle_cache.verified_payload("bundled", ".json", [("f.yaml", b"11")], b"test")
    assert payload == b"{}"  # the newest still verifies


def test_an_empty_cache_variable_is_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Check 37, A-L2: LEGPRESS_DIAG_CACHE="" wrote the cache and its key into the
    # current folder.
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert bundle_cache.cache_dir() == tmp_path / "xdg" / "legpress-diag"
    monkeypatch.setenv("LEGPRESS_DIAG_CACHE", str(tmp_path / "mine"))
    assert bundle_cache.cache_dir() == tmp_path / "mine"
