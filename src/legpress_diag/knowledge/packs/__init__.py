"""Rule packs: folders of rule files a team shares, and where a run finds them.

A pack is a folder of rule files, optionally with a ``legpress-pack.toml`` manifest
(``manifest``). The rule files a run uses come in layers, each later one able to
replace what an earlier one defined (``layers``)::

    bundled < installed packs < project config < LEGPRESS_DIAG_RULES < --rules

Nothing here imports a terminal or web framework: the command line only passes its
options to :func:`layers.resolve`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import CONFIG_NAME, ENV_RULES, ProjectConfig, find_config
from .layers import ENTRY_POINT_GROUP, InstalledPack, Layer, RuleSources, installed_packs, resolve

if TYPE_CHECKING:
    from .manifest import CONTRACT_VERSION, MANIFEST_NAME, PackManifest, check_needs, read_manifest

# A manifest is read only where a pack folder is loaded: resolving the layers of an
# ordinary run does not import it (see docs/performance.md, one-record start).
_MANIFEST = {"CONTRACT_VERSION", "MANIFEST_NAME", "PackManifest", "check_needs", "read_manifest"}

__all__ = [
    "CONFIG_NAME",
    "CONTRACT_VERSION",
    "ENTRY_POINT_GROUP",
    "ENV_RULES",
    "MANIFEST_NAME",
    "InstalledPack",
    "Layer",
    "PackManifest",
    "ProjectConfig",
    "RuleSources",
    "check_needs",
    "find_config",
    "installed_packs",
    "read_manifest",
    "resolve",
]


def __getattr__(name: str) -> Any:
    if name in _MANIFEST:
        from . import manifest

        return getattr(manifest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
