"""Packs a team shares: manifests, the project config, LEGPRESS_DIAG_RULES, installed
packs, two packs replacing one id, and `rules show --origin` (docs/authoring.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legpress_diag.api import load_rulebase
from legpress_diag.cli.app import app
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.knowledge.loader import bundled_identity
from legpress_diag.knowledge.packs import (
    CONTRACT_VERSION,
    ENV_RULES,
    find_config,
    read_manifest,
    resolve,
)
from legpress_diag.knowledge.packs.manifest import parse_spec, satisfies

from .packs.wheel import pip_install

runner = CliRunner()


def replacing(title: str) -> str:
    return textwrap.dedent(
        f"""\
        fixes:
          - id: stop_at_90_degrees
            replaces: true
            title: {title}
            how: Stop when your knees reach a right angle.
        """
    )


def pack(folder: Path, manifest: str | None = None, title: str = "Team version") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fixes.yaml").write_text(replacing(title), encoding="utf-8")
    if manifest is not None:
        (folder / "legpress-pack.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    return folder


GOOD = """\
[pack]
name = "team-hips"
version = "1.2.0"
needs-contract = ">=3"
needs-rulebase = ">=1.0, <2"
author = "Coach Kim"
licence = "CC-BY-4.0"
sources = ["https://example.org/hips"]
"""


def messages(exc: pytest.ExceptionInfo[RuleBaseError]) -> str:
    return "\n".join(d.format() for d in exc.value.diagnostics)


# --- the manifest ---------------------------------------------------------------------


def test_a_manifest_is_read_with_every_field(tmp_path: Path) -> None:
    found = read_manifest(pack(tmp_path / "team", GOOD))
    assert found is not None
    assert (found.name, found.version, found.licence) == ("team-hips", "1.2.0", "CC-BY-4.0")
    assert found.sources == ("https://example.org/hips",)
    assert read_manifest(pack(tmp_path / "plain")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[pack]\nname = "x"\n', "missing key 'version'"),
        (
            '[pack]\nname = "x"\nversion = "1"\nlicense = "MIT"\nauthr = "me"\n',
            "unknown key 'authr'",
        ),
        ('[pack]\nname = "x"\nversion = "one"\n', "'version' must be numbers and dots"),
        (
            '[pack]\nname = "x"\nversion = "1"\nneeds-rulebase = "about 1"\n',
            "cannot read 'about 1'",
        ),
        ('[pack]\nname = "x"\nversion = 1\n', "'version' must be text in quotes"),
        ('name = "x"\n', "needs a [pack] table"),
        ("[pack\n", "TOML syntax error"),
    ],
)
def test_a_broken_manifest_is_refused_naming_the_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    folder = pack(tmp_path / "team", text)
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([folder])
    assert expected in messages(exc)
    assert "legpress-pack.toml:" in messages(exc)


def test_an_unknown_manifest_key_gets_the_likely_one(tmp_path: Path) -> None:
    folder = pack(tmp_path / "team", '[pack]\nname = "x"\nversion = "1"\nauthr = "me"\n')
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([folder])
    assert "legpress-pack.toml:4:1: LP101 unknown key 'authr'" in messages(exc)
    assert "did you mean 'author'?" in messages(exc)


@pytest.mark.parametrize(
    ("manifest", "where", "said"),
    [
        ('[pack]\nname = "x"\nversion = "1"\nautor = "me"\n', "4:1", "unknown key 'autor'"),
        ('[pack\nname = "x"\n', "1:6", "TOML syntax error"),  # cannot be read at all
    ],
)
def test_lint_reports_a_manifest_problem_and_still_lints_the_rule_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manifest: str, where: str, said: str
) -> None:
    # Coach trial: a typo'd manifest key was all one `rules lint PACK/` run showed (exit
    # 2, no summary), hiding the typo in the pack's rule file behind it.
    monkeypatch.chdir(tmp_path)
    folder = pack(tmp_path / "team", manifest)
    fixes = folder / "fixes.yaml"
    fixes.write_text(fixes.read_text("utf-8").replace("how:", "hwo:"), "utf-8")
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive", "team/"])
    out = result.stdout
    assert result.exit_code == 1, out  # findings, like any other
    assert f"team/legpress-pack.toml:{where}: LP" in out and said in out
    assert "team/fixes.yaml:" in out and "unknown field 'hwo'" in out
    assert "\n  |      ^" in out or "\n  | ^^^^^" in out  # the manifest line, with a caret
    assert "2 errors in 2 of 2 files" in out  # the summary counts the manifest
    # Other commands refuse the pack, naming where its manifest is wrong.
    (tmp_path / "c.yaml").write_text("cases: []\n", "utf-8")
    refused = runner.invoke(app, ["rules", "test", "--rules", "team/", "c.yaml"])
    assert refused.exit_code == 2
    assert f"team/legpress-pack.toml:{where}: LP" in refused.output


def test_a_pack_for_another_contract_names_both_versions(tmp_path: Path) -> None:
    folder = pack(tmp_path / "team", GOOD.replace('">=3"', '">=4"'))
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([folder])
    text = messages(exc)
    assert "needs contract >=4" in text and f"implements contract {CONTRACT_VERSION}" in text
    assert "legpress-pack.toml:4:1" in text  # the needs-contract line


def test_a_pack_for_another_rule_base_names_both_versions(tmp_path: Path) -> None:
    name, version = bundled_identity()
    folder = pack(tmp_path / "team", GOOD.replace('">=1.0, <2"', f'">{version}"'))
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([folder])
    assert f"needs bundled rule base >{version}" in messages(exc)
    assert f"the bundled rule base is {name} {version}" in messages(exc)
    # At the threshold: exactly the bundled version is enough for >=.
    pack(folder, GOOD.replace('">=1.0, <2"', f'">={version}"'))
    assert load_rulebase([folder]).fixes["stop_at_90_degrees"].title == "Team version"


def test_without_the_bundled_base_its_version_is_not_asked(tmp_path: Path) -> None:
    folder = pack(tmp_path / "team", GOOD.replace('">=1.0, <2"', '">99"'))
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([folder], include_bundled=False)
    assert "needs bundled rule base" not in messages(exc)  # only the replaces error


@pytest.mark.parametrize(
    ("version", "spec", "ok"),
    [
        ("1.0.0", ">=1.0", True),
        ("1.0.0", ">1.0", False),
        ("1", "==1.0.0", True),
        ("2.0", "<2", False),
        ("1.9.9", ">=1, <2", True),
        ("3", "!=3", False),
        ("3", "3", True),
        ("1.0.0", "1.0", True),  # a bare version means exactly it (docs/authoring.md)
        ("1.1", "1.0", False),
        ("1.0rc1", ">=1", False),
    ],
)
def test_version_needs(version: str, spec: str, ok: bool) -> None:
    assert satisfies(version, spec) is ok


def test_a_version_need_in_other_words_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        parse_spec("~=1.0")


# --- the project config and the environment ------------------------------------------


def test_the_config_is_found_upwards_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    pack(tmp_path / "team")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "gym"\n\n[tool.legpress-diag]\nrules = ["team/"]\n', "utf-8"
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = find_config(deep)
    assert config is not None and config.rules == (tmp_path / "team",)
    assert resolve(cwd=deep, environ={}).paths == [tmp_path / "team"]


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "legpress-diag.toml").write_text('rules = ["team/"]\n', "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    config = find_config(inner)
    assert config is not None and config.path == tmp_path / "legpress-diag.toml"


def test_legpress_diag_toml_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    (tmp_path / "legpress-diag.toml").write_text('rules = ["a/"]\n', "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.legpress-diag]\nrules = ["b/"]\n', "utf-8")
    config = find_config(tmp_path)
    assert config is not None and config.rules == (tmp_path / "a",)


def test_a_config_naming_a_missing_path_says_where(tmp_path: Path) -> None:
    (tmp_path / "legpress-diag.toml").write_text('\nrules = ["tema/"]\n', "utf-8")
    with pytest.raises(RuleBaseError) as exc:
        resolve(cwd=tmp_path, environ={})
    assert "legpress-diag.toml:2:1: LP002 'rules' names" in messages(exc)
    assert "tema" in messages(exc) and "which does not exist" in messages(exc)


def test_a_config_with_an_unknown_key_or_wrong_type(tmp_path: Path) -> None:
    (tmp_path / "legpress-diag.toml").write_text('rulez = ["a"]\nrules = "a"\n', "utf-8")
    with pytest.raises(RuleBaseError) as exc:
        find_config(tmp_path)
    assert "unknown key 'rulez'" in messages(exc) and "did you mean 'rules'?" in messages(exc)
    assert "'rules' must be a list of paths" in messages(exc)


def test_layers_load_in_order_config_then_environment_then_rules(tmp_path: Path) -> None:
    for name in ("conf", "env1", "env2", "cli"):
        pack(tmp_path / name)
    (tmp_path / "legpress-diag.toml").write_text('rules = ["conf"]\n', "utf-8")
    environ = {ENV_RULES: os.pathsep.join(["env1", "", "env2"])}
    sources = resolve([tmp_path / "cli"], cwd=tmp_path, environ=environ)
    assert [p.name for p in sources.paths] == ["conf", "env1", "env2", "cli"]
    assert sources.layer_of(tmp_path / "env2" / "fixes.yaml") == ENV_RULES
    assert sources.layer_of(tmp_path / "conf" / "fixes.yaml").startswith("project config")
    isolated = resolve([tmp_path / "cli"], cwd=tmp_path, environ=environ, isolated=True)
    assert [p.name for p in isolated.paths] == ["cli"]


# --- two packs, one id ---------------------------------------------------------------


def test_two_packs_replacing_one_id_is_an_error_naming_both_files(tmp_path: Path) -> None:
    first, second = pack(tmp_path / "team"), pack(tmp_path / "other", title="Other")
    with pytest.raises(RuleBaseError) as exc:
        load_rulebase([first, second])
    text = messages(exc)
    assert "fix 'stop_at_90_degrees' is replaced twice" in text
    assert "team/fixes.yaml:2:5" in text.replace(os.sep, "/")
    assert "other/fixes.yaml:2:5" in text.replace(os.sep, "/")
    assert load_rulebase([first]).fixes["stop_at_90_degrees"].title == "Team version"


def test_the_cli_refuses_two_layers_replacing_one_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pack(tmp_path / "team")
    pack(tmp_path / "other", title="Other")
    (tmp_path / "legpress-diag.toml").write_text('rules = ["team/"]\n', "utf-8")
    monkeypatch.setenv(ENV_RULES, "other")
    result = runner.invoke(app, ["rules", "lint", "--no-exhaustive"])
    assert result.exit_code == 1
    assert "replaced twice: by team/fixes.yaml:2:5 and by other/fixes.yaml:2:5" in result.stdout
    # --isolated leaves the config and the environment out.
    assert runner.invoke(app, ["rules", "show", "--isolated"]).exit_code == 0


def test_show_origin_names_the_winner_its_layer_and_what_it_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pack(tmp_path / "team")
    (tmp_path / "pyproject.toml").write_text('[tool.legpress-diag]\nrules = ["team"]\n', "utf-8")
    result = runner.invoke(app, ["rules", "show", "--origin", "stop_at_90_degrees"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "fix 'stop_at_90_degrees': team/fixes.yaml:2:5 (project config pyproject.toml)",
        "  replaces <bundled>/fixes.yaml:11:5 (bundled)",
    ]
    alone = runner.invoke(app, ["rules", "show", "--origin", "hack_squat", "--isolated"])
    assert "(bundled)" in alone.stdout and "replaces nothing" in alone.stdout
    wrong = runner.invoke(app, ["rules", "show", "--origin", "stop_at_90_degree"])
    assert wrong.exit_code == 2 and "did you mean 'stop_at_90_degrees'?" in wrong.stderr


# --- installed packs -----------------------------------------------------------------


def test_an_installed_pack_is_found_through_its_entry_point(tmp_path: Path) -> None:
    """A real `pip install` of a pack package, then the CLI in a fresh process."""
    project = tmp_path / "hips-pack"
    pack(project / "hips_pack", GOOD)
    (project / "hips_pack" / "__init__.py").write_text("", "utf-8")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "hips-pack"\nversion = "1.2.0"\n\n'
        '[project.entry-points."legpress_diag.packs"]\nteam-hips = "hips_pack"\n',
        "utf-8",
    )
    site = tmp_path / "site"
    pip_install(project, site)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "legpress_diag", "rules", "show", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    shown = run("--origin", "stop_at_90_degrees")
    assert shown.returncode == 0, shown.stderr
    assert "(installed pack 'team-hips' (hips-pack 1.2.0))" in shown.stdout
    assert "hips_pack" in shown.stdout and "replaces <bundled>/fixes.yaml" in shown.stdout
    # Switched off: by --isolated, or by the project config.
    assert "(bundled)" in run("--origin", "stop_at_90_degrees", "--isolated").stdout.splitlines()[0]
    (work / "legpress-diag.toml").write_text("installed-packs = false\n", "utf-8")
    assert "(bundled)" in run("--origin", "stop_at_90_degrees").stdout.splitlines()[0]
    (work / "legpress-diag.toml").write_text('installed-packs = ["team-hip"]\n', "utf-8")
    wrong = run("--origin", "stop_at_90_degrees")
    assert wrong.returncode == 2
    assert "'team-hip', which is not an installed pack" in wrong.stderr
    assert "did you mean 'team-hips'?" in wrong.stderr


def test_an_environment_path_that_does_not_exist_names_the_variable(tmp_path: Path) -> None:
    pack(tmp_path / "team")
    with pytest.raises(RuleBaseError) as exc:
        resolve(cwd=tmp_path, environ={ENV_RULES: os.pathsep.join(["team", "nope"])})
    assert f"{ENV_RULES} names 'nope', which does not exist" in messages(exc)
    assert len(exc.value.diagnostics) == 1  # 'team' exists
