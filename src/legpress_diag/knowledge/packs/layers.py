"""Where a run's rule files come from, in layers, each able to replace the one before.

    1. the bundled rule base            off with --no-default-rules
    2. installed packs (entry points)   off with installed-packs = false, or --isolated
    3. the project config's ``rules``   off with --isolated
    4. LEGPRESS_DIAG_RULES              off with --isolated (or leave it unset)
    5. --rules                          as given

The bundled base is added by the loader; this module resolves layers 2 to 5 into
paths, and remembers which layer each came from for `rules show --origin`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ...foundation import codes
from ...foundation.problems import Diagnostic, RuleBaseError, Severity, SourceSpan
from ...foundation.values import FieldsValue
from ..paths import display_path
from .config import ENV_RULES, ProjectConfig, find_config
from .tomlfile import key_line

ENTRY_POINT_GROUP = "legpress_diag.packs"


@dataclass(frozen=True, repr=False, eq=False)
class InstalledPack(FieldsValue):
    """A pack an installed Python package declares through an entry point."""

    name: str  # the entry point's name
    distribution: str  # the Python package that installed it
    folder: Path


@dataclass(frozen=True, repr=False, eq=False)
class Layer(FieldsValue):
    """The rule paths of one layer, with the label ``rules show --origin`` shows."""

    label: str  # "installed pack 'team-hips' (team-hips-pack 1.0)", "--rules", ...
    paths: tuple[Path, ...]


@dataclass(frozen=True, repr=False, eq=False)
class RuleSources(FieldsValue):
    """The rule paths of layers 2 to 5, in the order they load."""

    layers: tuple[Layer, ...] = ()
    config: ProjectConfig | None = None

    @property
    def paths(self) -> list[Path]:
        return [path for layer in self.layers for path in layer.paths]

    def layer_of(self, file: Path) -> str:
        """The label of the layer a rule file was loaded through ('bundled' if none)."""
        file = file.resolve()
        for layer in self.layers:  # a file named twice loads where it is first named
            for path in layer.paths:
                root = path.resolve()
                if file == root or root in file.parents:
                    return layer.label
        return "bundled"


def installed_packs() -> list[InstalledPack]:
    """Every pack an installed Python package declares, sorted by name.

    A package declares one in its metadata, like a pytest plugin::

        [project.entry-points."legpress_diag.packs"]
        team-hips = "team_hips_pack"

    The entry point names a module (its folder holds the rule files) or an object
    that is a path. Raises RuleBaseError when one cannot be loaded.
    """
    if not _may_declare_packs():
        return []
    from importlib.metadata import entry_points

    found = []
    problems = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        dist = point.dist
        where = f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"
        try:
            target = point.load()
            folder = _folder(target)
        except Exception as exc:  # an installed package's import can fail any way at all
            problems.append(
                Diagnostic(
                    codes.UNREADABLE_FILE,
                    Severity.ERROR,
                    f"installed pack '{point.name}' (from {where}, entry point "
                    f"'{point.value}') cannot be loaded: {type(exc).__name__}: {exc}",
                    None,
                    "reinstall or uninstall that package, or run with --isolated "
                    "(or installed-packs = false in the project config) to leave packs out",
                )
            )
            continue
        found.append(InstalledPack(point.name, where, folder))
    if problems:
        raise RuleBaseError(problems)
    return found


def _may_declare_packs() -> bool:
    """False only when no installed distribution can declare a pack: no
    ``entry_points.txt`` on ``sys.path`` names the group.

    ``importlib.metadata`` parses the entry points of every installed distribution,
    which cost a one-record run about 3 ms with the test tools installed; this reads
    the same files as bytes and looks for the group's name. Whatever it cannot read
    as plainly as ``importlib.metadata`` would (a zip or an egg on the path, another
    finder that lists distributions) answers True, and the full lookup runs.
    """
    import sys
    from importlib.machinery import PathFinder

    if any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        return True
    group = ENTRY_POINT_GROUP.encode()
    for entry in sys.path:
        folder = entry or "."
        if folder.endswith(".egg") or os.path.isfile(folder):
            return True
        try:
            names = os.listdir(folder)
        except OSError:
            continue  # absent or unreadable: importlib.metadata finds nothing there either
        for name in names:
            if not name.lower().endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as points:
                    if group in points.read():
                        return True
            except OSError:
                continue  # no entry points (or an .egg-info file): no pack either
    return False


def _folder(target: object) -> Path:
    if isinstance(target, ModuleType):
        locations = list(getattr(target, "__path__", ()))
        if locations:
            return Path(locations[0])
        if target.__file__:
            return Path(target.__file__).parent
    if isinstance(target, str | os.PathLike):
        return Path(target)
    raise TypeError(f"expected a module or a path, got {type(target).__name__}")


def resolve(
    cli_rules: Sequence[str | os.PathLike[str]] = (),
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    isolated: bool = False,
) -> RuleSources:
    """The layers after the bundled base. ``isolated``: only ``cli_rules`` (like ruff's
    --isolated: no installed packs, no config, no environment). Raises RuleBaseError."""
    cli = Layer("--rules", tuple(Path(p) for p in cli_rules))
    if isolated:
        return RuleSources((cli,) if cli.paths else ())
    cwd = cwd or Path.cwd()
    environ = os.environ if environ is None else environ
    config = find_config(cwd)
    layers = []
    chosen = config.installed_packs if config else True
    if chosen is not False:
        packs = installed_packs()
        if isinstance(chosen, tuple):
            packs = _pick(packs, chosen, config)
        layers += [
            Layer(f"installed pack '{p.name}' ({p.distribution})", (p.folder,)) for p in packs
        ]
    if config is not None and config.rules:
        _check_exist(config)
        layers.append(Layer(f"project config {config.shown}", config.rules))
    given = [p for p in environ.get(ENV_RULES, "").split(os.pathsep) if p.strip()]
    env = [Path(cwd, p) for p in given]
    missing = [p for p, path in zip(given, env, strict=True) if not path.exists()]
    if missing:
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.UNREADABLE_FILE,
                    Severity.ERROR,
                    f"{ENV_RULES} names '{p}', which does not exist",
                    None,
                    f"its paths are separated by '{os.pathsep}' and relative to the working "
                    "directory; unset it, or run with --isolated, to leave it out",
                )
                for p in missing
            ]
        )
    if env:
        layers.append(Layer(ENV_RULES, tuple(env)))
    if cli.paths:
        layers.append(cli)
    return RuleSources(tuple(layers), config)


def _pick(
    packs: list[InstalledPack], names: tuple[str, ...], config: ProjectConfig | None
) -> list[InstalledPack]:
    from ...foundation.problems import did_you_mean

    by_name = {p.name: p for p in packs}
    missing = [name for name in names if name not in by_name]
    if missing and config is not None:
        text = config.path.read_text("utf-8-sig")
        installed = ", ".join(by_name) or "none"
        raise RuleBaseError(
            [
                Diagnostic(
                    codes.UNKNOWN_REFERENCE,
                    Severity.ERROR,
                    f"'installed-packs' names '{name}', which is not an installed pack "
                    f"(installed: {installed})",
                    SourceSpan(config.shown, key_line(text, "installed-packs"), 1),
                    did_you_mean(name, by_name) or "pip install the pack's package first",
                )
                for name in missing
            ]
        )
    return [by_name[name] for name in names]


def _check_exist(config: ProjectConfig) -> None:
    text = config.path.read_text("utf-8-sig")
    line = key_line(text, "rules")
    problems = [
        Diagnostic(
            codes.UNREADABLE_FILE,
            Severity.ERROR,
            f"'rules' names '{os.path.relpath(path, config.path.parent)}', which does not exist",
            SourceSpan(config.shown, line, 1),
            f"paths in the config are relative to its folder ({display_path(config.path.parent)})",
        )
        for path in config.rules
        if not path.exists()
    ]
    if problems:
        raise RuleBaseError(problems)
