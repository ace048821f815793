"""A cache of the bundled rule files, validated, so most runs start without pydantic.

Loading the bundled rules takes a few milliseconds; importing pydantic and building
the rule-file models takes ten times that. After the bundled files have loaded once,
their validated data (with the source positions explanations cite) is written as
JSON under the user's cache folder, keyed by a hash of the files' bytes, the
package version and the package's code (the size and mtime of each of its .py
files, so an editable install never serves data an older loader made). A later run
that finds a matching entry builds the rule base from it directly. Any mismatch,
damage or unwritable folder means a normal load: the cache can make a run faster,
never different.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .. import __version__
from .problems import SourceSpan
from .sources import ParsedFile

FORMAT = 3  # bump whenever the shape of a rule file changes


class Lite:
    """Attribute access over validated data, standing in for the pydantic model."""

    def __init__(self, data: dict[str, Any], fields_set: Sequence[str] = ()) -> None:
        self.__dict__.update(data)
        self.model_fields_set = set(fields_set)


class LiteDocument:
    """The positions a loaded rule base needs: where each definition starts."""

    def __init__(self, path: str, spans: dict[str, list[int | None]]) -> None:
        self.path = path
        self.spans = spans
        self.scalars: dict[tuple[str | int, ...], Any] = {}

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
    return Path(os.environ.get("LEGPRESS_DIAG_CACHE", os.path.join(base, "legpress-diag")))


@cache
def code_fingerprint() -> str:
    """A hash of the name, size and mtime of every .py file in the package.

    Cheap (a stat per module, once per process): an edited module in an editable
    install changes it, so the cache never outlives the code that wrote it.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _key(raws: Sequence[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"{FORMAT}:{__version__}:{code_fingerprint()}".encode())
    for name, raw in raws:
        digest.update(name.encode() + b"\0" + len(raw).to_bytes(8, "big") + raw)
    return digest.hexdigest()[:32]


def load(raws: Sequence[tuple[str, bytes]]) -> list[ParsedFile] | None:
    """The cached files for exactly these (name, bytes), or None."""
    if os.environ.get("LEGPRESS_DIAG_NO_CACHE"):
        return None
    path = cache_dir() / f"bundled-{_key(raws)}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        files = []
        for (name, raw), entry in zip(raws, stored["files"], strict=True):
            if entry["path"] != name:
                return None
            document = LiteDocument(name, entry["spans"])
            files.append(ParsedFile(name, raw, "", document, _model(entry)))  # type: ignore[arg-type]
        return files
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _model(entry: dict[str, Any]) -> Lite:
    from .loader import SECTIONS  # the loader is imported by whoever reads the cache

    data = entry["data"]
    model: dict[str, Any] = {s: [Lite(item) for item in data.get(s, [])] for s in SECTIONS}
    meta = data.get("rulebase")
    model["rulebase"] = Lite(meta) if meta else None
    settings = data.get("settings")
    model["settings"] = Lite(settings, entry.get("settings_fields_set", ())) if settings else None
    return Lite(model)


def store(files: Sequence[ParsedFile]) -> None:
    """Remember freshly validated bundled files. Failing to write is not an error."""
    if os.environ.get("LEGPRESS_DIAG_NO_CACHE"):
        return
    from .loader import SECTIONS

    entries = []
    for parsed in files:
        model: Any = parsed.model
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
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"bundled-{_key([(f.path, f.raw) for f in files])}.json"
        fd, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, "files": entries}, out)
        os.replace(temp, target)
    except OSError:
        pass
