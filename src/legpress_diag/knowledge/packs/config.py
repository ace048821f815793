"""The project config: which packs a project uses, found like ruff's.

From the working directory upwards, the first folder with a ``legpress-diag.toml``
(its keys at the top level) or a ``pyproject.toml`` with a ``[tool.legpress-diag]``
table is the project's; a ``pyproject.toml`` without that table is passed over.

    [tool.legpress-diag]
    rules = ["team/", "hips.yaml"]     # relative to this file
    installed-packs = true             # false: none; ["team-hips"]: only these
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...foundation.problems import RuleBaseError
from ...foundation.values import FieldsValue
from ..paths import display_path
from .tomlfile import check_keys, read_toml, value_error

CONFIG_NAME = "legpress-diag.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "legpress-diag"
ENV_RULES = "LEGPRESS_DIAG_RULES"
_KEYS = ("rules", "installed-packs")


@dataclass(frozen=True, repr=False, eq=False)
class ProjectConfig(FieldsValue):
    """A project's ``[tool.legpress-diag]`` (or ``legpress-diag.toml``)."""

    path: Path  # the file it was read from
    rules: tuple[Path, ...] = ()  # made absolute against the file's folder
    # True: every installed pack; False: none; a tuple: only the packs of these names.
    installed_packs: bool | tuple[str, ...] = True

    @property
    def shown(self) -> str:
        return display_path(self.path)


def find_config(start: Path) -> ProjectConfig | None:
    """The config of the nearest folder at or above ``start`` that has one, or None.

    Raises RuleBaseError when that file is broken.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            data, text = read_toml(own)
            return _config(own, data, text, "the config")
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            data, text = read_toml(pyproject)
            tool = data.get("tool")
            table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
            if isinstance(table, dict):
                return _config(pyproject, table, text, f"[tool.{TOOL_TABLE}]")
    return None


def _config(path: Path, data: dict[str, object], text: str, where: str) -> ProjectConfig:
    shown = display_path(path)
    problems = check_keys(data, _KEYS, shown, text, where)
    rules = data.get("rules", [])
    if not (isinstance(rules, list) and all(isinstance(r, str) for r in rules)):
        problems.append(
            value_error(
                shown,
                text,
                "rules",
                "'rules' must be a list of paths in quotes",
                'like rules = ["team/", "hips.yaml"]',
            )
        )
        rules = []
    packs = data.get("installed-packs", True)
    if not (
        isinstance(packs, bool)
        or (isinstance(packs, list) and all(isinstance(p, str) for p in packs))
    ):
        problems.append(
            value_error(
                shown,
                text,
                "installed-packs",
                "'installed-packs' must be true, false or a list of pack names",
            )
        )
        packs = True
    if problems:
        raise RuleBaseError(problems)
    folder = path.parent
    return ProjectConfig(
        path,
        tuple(folder / rule for rule in rules),
        packs if isinstance(packs, bool) else tuple(packs),
    )
