"""A one-record `diagnose` starts with only what it needs (issue 25, item 3).

Timing is measured by benchmarks/run.py, never asserted here (a loaded machine would
make such a test fail by luck); these tests pin down the reasons it is fast: the
other commands are neither imported nor built, the cached rule base is used, and
what the user sees is the same as from the whole application.
"""

from __future__ import annotations

import gc
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from legpress_diag.cli import startup
from legpress_diag.cli.app import COMMANDS, app, build
from legpress_diag.knowledge import bundle_cache

ONE = '{"answers": {"butt_lifts_off_seat": "yes"}}\n'

# A probe's first lines: a run of the command line with the probe's arguments.
RUN = """
import sys
from legpress_diag.cli.main import main
sys.argv = ["legpress-diag", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
"""

PROBE = (
    RUN
    + """
watched = ("legpress_diag", "yaml", "tomllib", "fastapi", "uvicorn", "starlette", "jinja2")
names = sorted(m for m in sys.modules if m.startswith(watched))
print("MODULES " + " ".join(names), file=sys.stderr)
"""
)


def _probe(code: str, *args: str, cwd: Path | None = None) -> list[str]:
    """The lines a probe script (run on one record) writes to stderr."""
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        input=ONE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return run.stderr.splitlines()


def _modules_after(*args: str, cwd: Path | None = None) -> set[str]:
    line = next(x for x in _probe(PROBE, *args, cwd=cwd) if x.startswith("MODULES "))
    return set(line.split()[1:])


def test_a_diagnose_run_imports_no_other_command_and_no_yaml(tmp_path: Path) -> None:
    _modules_after("diagnose", "-", cwd=tmp_path)  # the first run may fill the cache
    modules = _modules_after("diagnose", "-", cwd=tmp_path)
    assert "legpress_diag.cli.diagnose" in modules
    others = {f"legpress_diag.cli.{name}" for name in COMMANDS if name != "diagnose"}
    assert not modules & others, modules & others
    assert "yaml" not in modules and "legpress_diag.knowledge.schema_models" not in modules
    assert "tomllib" not in modules  # no project config above tmp_path: nothing to parse


def test_a_one_record_diagnose_imports_no_web_no_templates_no_authoring(tmp_path: Path) -> None:
    """What a one-record run does not need is not imported: the web stack, the
    templates, the authoring tools, the cluster function, the rule-file parser.
    Each of these once came in through an import chain, and each cost start-up time."""
    _modules_after("diagnose", "-", cwd=tmp_path)  # the first run may fill the cache
    modules = _modules_after("diagnose", "-", cwd=tmp_path)
    assert "legpress_diag.reasoning.diagnosis" in modules  # the probe saw a real run
    tops = {m.split(".")[0] for m in modules}
    assert not tops & {"fastapi", "uvicorn", "starlette", "jinja2"}, tops
    ours = {m.split(".")[1] for m in modules if m.count(".") >= 1}
    assert not ours & {"web", "authoring", "measure"}, ours
    assert "legpress_diag.intake.partition" not in modules  # api's cluster function
    assert "legpress_diag.intake.workers" not in modules  # one job: no worker pool
    assert "legpress_diag.knowledge.packs.manifest" not in modules  # no pack folder


# Every module of ours a one-record `diagnose -` imports, by package. Each costs start-up
# time (our own imports are most of what a one-record run spends over typer's floor,
# docs/performance.md): a module added to this path fails the test below, so that
# the addition is a decision, not an accident.
ONE_RECORD_MODULES = {
    "": ("", "api", "exitcodes"),
    "cli": (
        "",
        "app",
        "batch_messages",
        "common",
        "diagnose",
        "main",
        "output",
        "startup",
        "wakeful",
    ),
    "foundation": ("", "codes", "files", "jsonvalue", "problems", "values"),
    "intake": (
        "",
        "answers",
        "batch",
        "fhir",  # a record is looked at for FHIR's resourceType (check 25)
        "fields",
        "measured",
        "records",
        "repeated",
        "source",
        "typed",  # the JSON decoder reads a database's typed values (check 25)
        "wrappers",
    ),
    "knowledge": (
        "",
        "bundle_cache",
        "bundled",
        "compiled_cache",
        "conditions",
        "conditions.ast",
        "conditions.compile",
        "facts",
        "index",
        "letters",
        "packs",
        "packs.config",
        "packs.layers",
        "packs.tomlfile",
        "paths",
        "related",  # the index compiles the safety questions' related words
        "rulebase",
        "strata",
    ),
    "presentation": (
        "",
        "destination",
        "render",
        "render.batch_text",
        "render.json_codec",
        "render.textsafe",
        "ui",
        "ui.fit",
        "writers",  # the registry imports every writer: --format's help lists them
        "writers.csv_rows",
        "writers.html_page",
        "writers.interface",
        "writers.json_array",
        "writers.json_lines",
        "writers.markdown",
        "writers.table",
    ),
    "reasoning": (
        "",
        "answers",
        "certainty",
        "diagnosis",
        "engine",
        "explanation",
        "result",
        "safety",
    ),
}


def _allowed() -> set[str]:
    return {
        ".".join(part for part in ("legpress_diag", package, name) if part)
        for package, names in ONE_RECORD_MODULES.items()
        for name in names
    }


def test_a_one_record_diagnose_imports_only_the_modules_it_needs(tmp_path: Path) -> None:
    """With the compiled rule base in the cache, no rule file is read: neither the
    loader nor the rule-file reader, the condition parser, the schema repair or the
    screen guard is imported (they were, through the loader, until issue 25)."""
    _modules_after("diagnose", "-", cwd=tmp_path)  # the first run may fill the cache
    ours = {
        m for m in _modules_after("diagnose", "-", cwd=tmp_path) if m.startswith("legpress_diag")
    }
    assert ours == _allowed(), {"added": ours - _allowed(), "gone": _allowed() - ours}
    readers = ("loader", "sources", "conditions.parser", "repair", "screen_guard", "schema_models")
    for builder in readers:
        assert f"legpress_diag.knowledge.{builder}" not in ours


DATACLASS_PROBE = (
    RUN
    + """
import dataclasses
from legpress_diag.foundation.values import FieldsRepr, FieldsValue
for name, module in sorted(sys.modules.items()):
    if not name.startswith("legpress_diag"):
        continue
    for cls in list(vars(module).values()):
        if not (isinstance(cls, type) and cls.__module__ == name):
            continue
        if not dataclasses.is_dataclass(cls) or cls in (FieldsRepr, FieldsValue):
            continue
        params = cls.__dataclass_params__
        ordered = params.order  # the generated order needs the generated eq
        wanted = FieldsValue if params.frozen and not ordered else FieldsRepr
        if params.repr or not issubclass(cls, wanted) or (wanted is FieldsValue and params.eq):
            print("GENERATES " + cls.__module__ + "." + cls.__qualname__, file=sys.stderr)
print("CHECKED", file=sys.stderr)
"""
)


def test_every_dataclass_a_one_record_run_creates_shares_its_methods(tmp_path: Path) -> None:
    """Each method ``@dataclass`` generates is compiled with its own exec (about 0.07 ms
    on Python 3.11): the classes a one-record run creates take ``__repr__`` (and, when
    frozen, ``__eq__`` and ``__hash__``) from foundation/values.py instead. A class
    added to that path with the generated methods fails here."""
    _probe(DATACLASS_PROBE, "diagnose", "-", cwd=tmp_path)  # the first run may fill the cache
    said = _probe(DATACLASS_PROBE, "diagnose", "-", cwd=tmp_path)
    assert "CHECKED" in said, said
    assert [line for line in said if line.startswith("GENERATES ")] == []


def _twins() -> tuple[type, type]:
    """The same fields as a generated dataclass and as one on the shared methods."""
    from dataclasses import dataclass, field

    from legpress_diag.foundation.values import FieldsValue

    @dataclass(frozen=True)
    class Generated:
        name: str
        span: tuple[int, int] | None = None
        note: str = field(default="", repr=False)
        hook: object = field(default=None, repr=False, compare=False)
        weight: float = field(default=0.0, hash=False)

    @dataclass(frozen=True, repr=False, eq=False)
    class Shared(FieldsValue):
        name: str
        span: tuple[int, int] | None = None
        note: str = field(default="", repr=False)
        hook: object = field(default=None, repr=False, compare=False)
        weight: float = field(default=0.0, hash=False)

    return Generated, Shared


@pytest.mark.parametrize(
    "args",
    [
        ("a",),
        ("a", (1, 2), "n", len, 0.5),
        ("a", (1, 2), "m", print, 0.5),
        ("a", (1, 2), "n", len, 0.75),
        ("b'\n\u00e9", None, "", None, -0.0),
    ],
)
def test_the_shared_methods_answer_as_the_generated_ones(args: tuple[object, ...]) -> None:
    generated, shared = _twins()
    for other in [("a",), ("a", (1, 2), "n", None, 0.5), ("a", (1, 2), "m", len, 0.75)]:
        one, two = generated(*args), generated(*other)
        mine, theirs = shared(*args), shared(*other)
        assert repr(mine).replace("Shared", "Generated") == repr(one)
        assert (mine == theirs) is (one == two)
        assert (mine != theirs) is (one != two)
        assert hash(mine) == hash(one)
        assert mine.__eq__(one) is NotImplemented  # another class: never equal by fields
    assert shared(*args) != generated(*args)


def test_the_entry_point_search_is_skipped_only_when_nothing_can_declare_a_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib.machinery import PathFinder

    from legpress_diag.knowledge.packs import layers

    # Only the standard finder lists distributions here (another test may have left
    # one of its own on sys.meta_path, which would rightly answer True).
    standard = [f for f in sys.meta_path if f is PathFinder or not hasattr(f, "find_distributions")]
    monkeypatch.setattr(sys, "meta_path", standard)
    site = tmp_path / "site"
    other = site / "other-1.0.dist-info"
    other.mkdir(parents=True)
    (other / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    (site / "bare-1.0.dist-info").mkdir()  # no entry points at all
    monkeypatch.setattr(sys, "path", [str(site), str(tmp_path / "missing")])
    assert layers._may_declare_packs() is False
    assert layers.installed_packs() == []
    team = site / "Team_Pack-1.0.DIST-INFO"
    team.mkdir()
    (team / "entry_points.txt").write_text("[legpress_diag.packs]\nteam = team_pack\n")
    assert layers._may_declare_packs() is True
    # What is not a plain folder is left to importlib.metadata: a zip, an egg, or a
    # finder of its own that lists distributions.
    archive = tmp_path / "lib.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert layers._may_declare_packs() is True
    monkeypatch.setattr(sys, "path", [str(tmp_path / "old.egg")])
    assert layers._may_declare_packs() is True

    class Lister:
        def find_distributions(self, context: object = None) -> list[object]:
            return []

    monkeypatch.setattr(sys, "path", [str(site / "nothing-here")])
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Lister()])
    assert layers._may_declare_packs() is True


def _names(group: typer.Typer) -> set[str | None]:
    return {c.name for c in group.registered_commands} | {g.name for g in group.registered_groups}


def test_without_a_command_name_the_whole_application_is_built() -> None:
    assert _names(app) == set(COMMANDS)
    for args in ([], ["--help"], ["--version"], ["diagnos"], ["-V", "diagnose"]):
        assert _names(build(args)) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_named_command_builds_only_itself(name: str) -> None:
    assert _names(build([name, "--help"])) == {name}


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "-"],
        ["diagnose", "-", "--format", "table"],
        ["diagnose", "--help"],
        ["diagnose"],
        ["diagnose", "-", "--jobs", "-1"],
        ["diagnose", "-", "--format", "nope"],
        ["diagnose", "-", "--unknown-option"],
        ["diagnose", "/no/such/file.jsonl"],
    ],
)
def test_the_one_command_application_answers_as_the_whole_one(args: list[str]) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, args, input=ONE, prog_name="legpress-diag")
    alone = runner.invoke(build(args), args, input=ONE, prog_name="legpress-diag")
    assert (alone.exit_code, alone.stdout, alone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_a_mistyped_command_still_gets_a_suggestion() -> None:
    result = CliRunner().invoke(build(["diagnos"]), ["diagnos"], prog_name="legpress-diag")
    assert result.exit_code == 2 and "diagnose" in result.stderr


def test_the_code_fingerprint_covers_every_module_as_before() -> None:
    """os.scandir replaced pathlib's rglob: the same files, sizes and mtimes."""
    # Computed afresh on both sides: the value is kept per process, and a file edited
    # since an earlier test computed it must not make this comparison fail.
    bundle_cache.code_fingerprint.cache_clear()
    package = Path(bundle_cache.__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    assert bundle_cache.code_fingerprint() == digest.hexdigest()


def test_one_record_gives_one_result() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "legpress_diag", "diagnose", "-"],
        input=ONE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert json.loads(run.stdout)["causes"][0]["id"] == "butt_off_seat"


GC_PROBE = """
import gc, sys
from legpress_diag.cli import common
from legpress_diag.intake import batch

seen = {}
load_paths, run_batch = common.load_paths, batch.run_batch


def loading(*args, **kwargs):
    seen["loading"] = gc.isenabled()
    return load_paths(*args, **kwargs)


def reading(*args, **kwargs):
    seen["reading"] = (gc.isenabled(), gc.get_freeze_count() > 0)
    return run_batch(*args, **kwargs)


common.load_paths, batch.run_batch = loading, reading
from legpress_diag.cli.main import main

sys.argv = ["legpress-diag", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("SEEN", seen, gc.isenabled(), file=sys.stderr)
"""


def _collector_seen(*args: str) -> str:
    return next(x for x in _probe(GC_PROBE, *args) if x.startswith("SEEN "))


def test_diagnose_starts_with_the_collector_paused_and_reads_records_with_it_running() -> None:
    """Start-up's objects are frozen, not collected again and again, then at exit
    (see cli/startup.py); the records are read with the collector running."""
    assert _collector_seen("diagnose", "-") == (
        "SEEN {'loading': False, 'reading': (True, True)} True"
    )


def test_a_run_that_ends_before_its_start_up_does_gets_the_collector_back() -> None:
    assert _collector_seen("diagnose", "--help") == "SEEN {} True"
    assert _collector_seen("diagnose", "-", "--jobs", "-1") == "SEEN {} True"


def test_only_a_command_that_ends_its_start_up_pauses_the_collector() -> None:
    assert "diagnose" in startup.PAUSING_COMMANDS
    for args in ([], ["rules", "lint"], ["ask"], ["--version"]):
        with startup.collector_paused(args):
            assert gc.isenabled()
            startup.over()
            assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()  # someone else's choice is left alone
    try:
        with startup.collector_paused(["diagnose"]):
            startup.over()
            assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
    with startup.collector_paused(["diagnose"]):
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # never got to over(): nothing frozen
    try:
        with startup.collector_paused(["diagnose"]):
            startup.over()
            assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this process goes on: give the test session its objects back
    assert gc.isenabled()


def test_main_called_with_arguments_leaves_the_collector_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caller that goes on after main() (a test, a program) keeps its collector."""
    from legpress_diag.cli.main import main

    seen = []
    monkeypatch.setattr(startup, "over", lambda: seen.append(gc.isenabled()))
    record = tmp_path / "one.json"
    record.write_text(ONE)
    with pytest.raises(SystemExit):  # typer's standalone mode exits, success too
        main(["diagnose", str(record)])
    assert seen == [True] and gc.isenabled() and gc.get_freeze_count() == 0
    assert json.loads(capsys.readouterr().out)["causes"][0]["id"] == "butt_off_seat"


TEXTSAFE_PROBE = """
import sys
from legpress_diag.cli.main import main
from legpress_diag.presentation.render import textsafe

sys.argv = ["legpress-diag", "diagnose", "-"]
try:
    main()
except SystemExit:
    pass
patterns = ("_unsafe", "_json_unsafe", "_line_breaks", "_block_start", "_backtick_runs")
tables = ("_json_escapes", "_terminal_table")
made = [n for n in (*patterns, *tables) if getattr(textsafe, n).cache_info().currsize]
print("MADE", made, file=sys.stderr)
"""


def test_a_run_with_nothing_to_escape_makes_no_escaping_pattern_or_table(tmp_path: Path) -> None:
    """Compiling the escaping patterns and tables cost every start-up over a
    millisecond; they are made when a text first needs them (an ASCII result never does)."""
    said = _probe(TEXTSAFE_PROBE, cwd=tmp_path)
    assert "MADE []" in said, said
    from legpress_diag.presentation.render import textsafe

    assert textsafe.terminal("a\x1bb") == "a\\x1bb"  # and made when needed
    assert textsafe.json_line('"\u202e"') == '"\\u202e"'
