"""A cache of the bundled rule files, validated, so most runs start without pydantic.

Loading the bundled rules takes a few milliseconds; importing pydantic and building
the rule-file models takes ten times that. After the bundled files have loaded once,
their validated data (with the source positions explanations cite) is written as
JSON under the user's cache folder. A later run that finds a matching entry builds
the rule base from it directly: the cache can make a run faster, never different.

**Why every entry is signed.** The entry *is* the rule base a run reasons with, so
an entry edited on disk (an emergency flag's level lowered, a flag deleted, a
certainty changed) would quiet the safety screen while the result still reported
the hash of the genuine files. Each entry is therefore bound by an HMAC-SHA256 to

- the bytes it was built from (the name and SHA-256 of every bundled file),
- the code that built it (the cache format, the package version and
  :func:`code_fingerprint`, the size and mtime of every module), and
- its own bytes, exactly as stored,

under a per-installation secret key: 32 random bytes in ``key`` in the cache
folder, created ``0600`` by the first run and trusted only while it is a regular
file owned by this user that nobody else can read or write (a key that fails
those checks is replaced, which orphans every entry signed with it). An entry that
does not verify is never parsed: the files are loaded as if there were no cache,
and the entry is rewritten. The hash a result reports is always computed from the
rule files' bytes read in this run, which the verified entry is bound to.

We chose a keyed MAC over a plain digest stored beside the entry because anyone
who can edit the entry can recompute a digest; with a key, an edit by hand, by a
tool, by another user sharing ``$LEGPRESS_DIAG_CACHE``, or an entry copied from
another installation is rejected. What it cannot stop is someone running as this
user who reads the key first: such a person can equally edit the installed package
or the shell's ``PATH``, which no check inside the program can detect.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..foundation.problems import SourceSpan

if TYPE_CHECKING:
    from .sources import ParsedFile

FORMAT = 4  # bump whenever the shape of a rule file or of an entry changes
KEY_NAME = "key"
KEY_BYTES = 32
MAC_HEX = 64  # an entry is the MAC in hex, a newline, then the JSON payload


class Lite:
    """Attribute access over validated data, standing in for the pydantic model."""

    def __init__(self, data: Mapping[str, object], fields_set: Sequence[str] = ()) -> None:
        self.__dict__.update(data)
        self.model_fields_set = set(fields_set)


class LiteDocument:
    """The positions a loaded rule base needs: where each definition starts."""

    def __init__(self, path: str, spans: dict[str, list[int | None]]) -> None:
        self.path = path
        self.spans = spans
        self.scalars: dict[tuple[str | int, ...], object] = {}  # none: no text is kept

    def span_for(self, key_path: tuple[str | int, ...]) -> SourceSpan:
        for cut in range(len(key_path), -1, -1):
            found = self.spans.get("/".join(map(str, key_path[:cut])))
            if found is not None:
                line, col, end_line, end_col = found
                assert line is not None and col is not None
                return SourceSpan(self.path, line, col, end_line, end_col)
        return SourceSpan(self.path, 1, 1)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # Set but empty is unset, as XDG's variables read: "" was the current folder, and
    # the cache and its key were written wherever the tool ran (check 37, A-L2).
    return Path(os.environ.get("LEGPRESS_DIAG_CACHE") or os.path.join(base, "legpress-diag"))


@cache
def code_fingerprint() -> str:
    """A hash of the name, size and mtime of every .py file in the package.

    Cheap (a stat per module, once per process), as Python's own bytecode cache
    checks its sources: an edited module in an editable install changes it, so the
    cache never outlives the code that wrote it. Walked with ``os.scandir``, whose
    entries carry their stat: pathlib's rglob cost a run about 2 ms more.
    """
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.sha256()
    for relative, info in sorted(_modules(package, "")):
        digest.update(f"{relative}:{info.st_size}:{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _modules(folder: str, prefix: str) -> list[tuple[str, os.stat_result]]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found += _modules(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                found.append((prefix + entry.name, entry.stat()))
    return found


def _key(raws: Sequence[tuple[str, bytes]]) -> str:
    """The entry's file name: where to look, not a proof of anything (see _mac)."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}:{code_fingerprint()}".encode())
    for name, raw in raws:
        digest.update(name.encode() + b"\0" + len(raw).to_bytes(8, "big") + raw)
    return digest.hexdigest()[:32]


KIND = b"legpress-diag bundle cache"  # what an entry holds, signed with it (see compiled_cache)


def _mac(
    key: bytes, raws: Sequence[tuple[str, bytes]], payload: bytes, kind: bytes = KIND
) -> bytes:
    """HMAC-SHA256 binding an entry's bytes to its kind, its rule files' bytes and the code."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in (kind, str(FORMAT).encode(), __version__.encode()):
        mac.update(len(part).to_bytes(8, "big") + part)
    mac.update(code_fingerprint().encode())
    for name, raw in raws:
        encoded = name.encode()
        mac.update(len(encoded).to_bytes(8, "big") + encoded + hashlib.sha256(raw).digest())
    mac.update(payload)
    return mac.hexdigest().encode()


MAX_ENTRY_BYTES = 64 * 1024 * 1024  # the bundled files are a few hundred KB


def _read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes (at most ``limit``) without following a symlink or
    waiting on a FIFO someone left under the name; None for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        # Looked at before the descriptor becomes a file object: fdopen refuses a
        # folder with an error, and a folder under the key's name (or an entry's)
        # stopped every command (attack round 5, P3). The cache is then not used.
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb") as stream:
            fd = -1  # the file object closes it
            data = stream.read(limit + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    return (data, info) if len(data) <= limit else None


def _private(info: os.stat_result) -> bool:
    """Owned by this user, and nobody else may read or write it."""
    if not hasattr(os, "getuid"):  # Windows: the folder's ACL is all there is
        return True
    return info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def _read_key(folder: Path) -> bytes | None:
    """This installation's key, or None when there is none that can be trusted."""
    found = _read_regular(folder / KEY_NAME, KEY_BYTES)
    if found is None:
        return None
    key, info = found
    return key if len(key) == KEY_BYTES and _private(info) else None


def _make_key(folder: Path) -> bytes:
    """A fresh key, unless another run made a trusted one first. Raises OSError."""
    key = secrets.token_bytes(KEY_BYTES)
    fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        try:
            os.link(temp, folder / KEY_NAME)  # never clobbers a key made meanwhile
        except FileExistsError:
            existing = _read_key(folder)
            if existing is not None:
                return existing
            os.replace(temp, folder / KEY_NAME)  # untrusted: its entries are orphaned
    finally:
        Path(temp).unlink(missing_ok=True)
    return key


def load(raws: Sequence[tuple[str, bytes]]) -> list[ParsedFile] | None:
    """The cached files for exactly these (name, bytes), or None.

    None unless the entry's MAC verifies under this installation's key: an entry
    edited, truncated, copied from elsewhere or made by other code is never parsed.
    """
    payload = verified_payload("bundled", ".json", raws, KIND)
    if payload is None:
        return None
    from .sources import ParsedFile  # a run that finds the compiled rule base never gets here

    try:
        stored = json.loads(payload)
        files = []
        for (name, raw), entry in zip(raws, stored["files"], strict=True):
            if entry["path"] != name:
                return None
            document = LiteDocument(name, entry["spans"])
            files.append(ParsedFile(name, raw, "", document, _model(entry)))  # type: ignore[arg-type]
        return files
    except (ValueError, KeyError, TypeError):
        return None


def verified_payload(
    prefix: str, suffix: str, raws: Sequence[tuple[str, bytes]], kind: bytes
) -> bytes | None:
    """The payload of the entry of this kind for exactly these (name, bytes), or None:
    None unless its MAC verifies under this installation's key (or with the cache off)."""
    if os.environ.get("LEGPRESS_DIAG_NO_CACHE"):
        return None
    folder = cache_dir()
    key = _read_key(folder)
    found = _read_regular(folder / f"{prefix}-{_key(raws)}{suffix}", MAX_ENTRY_BYTES)
    if key is None or found is None:
        return None
    blob = found[0]
    mac, payload = blob[:MAC_HEX], blob[MAC_HEX + 1 :]
    if blob[MAC_HEX : MAC_HEX + 1] != b"\n" or not hmac.compare_digest(
        mac, _mac(key, raws, payload, kind)
    ):
        return None
    return payload


def write_signed(
    prefix: str, suffix: str, raws: Sequence[tuple[str, bytes]], payload: bytes, kind: bytes
) -> None:
    """Store ``payload`` as the entry of this kind for these files, signed; a folder
    that cannot be written is not an error (the next run builds again)."""
    if os.environ.get("LEGPRESS_DIAG_NO_CACHE"):
        return
    folder = cache_dir()
    temp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        key = _read_key(folder) or _make_key(folder)
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(_mac(key, raws, payload, kind) + b"\n" + payload)
        os.replace(temp, folder / f"{prefix}-{_key(raws)}{suffix}")
    except OSError:
        if temp is not None:  # a full disk leaves no half-written file behind
            Path(temp).unlink(missing_ok=True)
        return
    _prune(folder, prefix, suffix)


# Entries of one kind kept in the folder, newest first. Each upgrade, each edit of a
# module and each overlay's text makes a new entry and nothing else ever reads the
# old ones: a new user found 508 entries (51 MB) in a shared cache folder.
KEEP_ENTRIES = 8
STALE_TEMP_SECONDS = 3600  # a temp file this old was left by a run that was killed


def _prune(folder: Path, prefix: str, suffix: str) -> None:
    """Remove all but the newest KEEP_ENTRIES entries of this kind, and temp files a
    killed run left; a file another run is reading stays readable until it closes
    it (and a run that misses an entry builds it again). Errors are ignored."""
    try:
        found = []
        with os.scandir(folder) as listing:
            for entry in listing:
                name = entry.name
                info = entry.stat(follow_symlinks=False)
                if name.startswith(f"{prefix}-") and name.endswith(suffix):
                    found.append((info.st_mtime, name))
                elif name.endswith(".tmp") and time.time() - info.st_mtime > STALE_TEMP_SECONDS:
                    (folder / name).unlink(missing_ok=True)
        for _, name in sorted(found, reverse=True)[KEEP_ENTRIES:]:
            (folder / name).unlink(missing_ok=True)
    except OSError:
        pass


def _model(entry: dict[str, Any]) -> Lite:
    from .loader import SECTIONS  # the loader is imported by whoever reads the cache

    data = entry["data"]
    model: dict[str, object] = {s: [Lite(item) for item in data.get(s, [])] for s in SECTIONS}
    meta = data.get("rulebase")
    model["rulebase"] = Lite(meta) if meta else None
    settings = data.get("settings")
    model["settings"] = Lite(settings, entry.get("settings_fields_set", ())) if settings else None
    return Lite(model)


def store(files: Sequence[ParsedFile]) -> None:
    """Remember freshly validated bundled files, signed. Failing to write is not an error."""
    if os.environ.get("LEGPRESS_DIAG_NO_CACHE"):
        return
    from .loader import SECTIONS

    entries = []
    for parsed in files:
        model = parsed.model
        spans = {}
        for section in SECTIONS:
            for index, _ in enumerate(getattr(model, section)):
                span = parsed.document.span_for((section, index))
                spans[f"{section}/{index}"] = [span.line, span.col, span.end_line, span.end_col]
        settings = model.settings
        entries.append(
            {
                "path": parsed.path,
                "spans": spans,
                "data": model.model_dump(mode="json"),
                "settings_fields_set": sorted(settings.model_fields_set) if settings else [],
            }
        )
    raws = [(f.path, f.raw) for f in files]
    payload = json.dumps({"format": FORMAT, "files": entries}).encode()
    write_signed("bundled", ".json", raws, payload, KIND)
