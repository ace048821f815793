"""api.diagnose_partition: what a cluster maps over a partition equals `diagnose`.

The Dask example is run end to end against `legpress-diag diagnose` (it needs the
cluster extra, which the test extra installs); the function itself is tested here
without any cluster.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from legpress_diag import api
from legpress_diag.foundation.problems import RuleBaseError
from legpress_diag.intake import partition
from legpress_diag.knowledge import loader

REPO = Path(__file__).resolve().parents[1]
OVERLAY = (
    "rules:\n  - {id: coach-heels, if: heels_lift, then: heels_lifting, cf: 0.9, source: coach}\n"
)


def _lines() -> list[bytes]:
    """The bundled examples, and every way a line can be wrong, with blank lines."""
    good = (REPO / "examples" / "clients.jsonl").read_bytes().splitlines(keepends=True)
    bad = [
        b"not json\n",
        b"\n",
        b"[1, 2]\n",
        b'{"answers": {"knee_angle_at_bottom": "deep"}}\n',
        b'{"id": 3.5, "answers": {}}\n',
        b'{"answers": {"heels_lift": "yes", "saddle_numbness": "no"}}\n',
        b"   \n",
        b'{"answers": {"a": 1, "a": 2}}\n',
        b"\xff\xfe not utf-8\n",
        b'{"answers": {"saddle_numbness": "yes"}}\n',
    ]
    return [*good, *bad, *good, *bad]


# A record cut short (a partial last write): the commonest way a JSON Lines file breaks.
CUT = b'{"id": "cut", "answers": {\n'
SADDLE = json.dumps({"answers": {"saddle_numbness": "yes"}}).encode()


def _blank(lines: list[bytes]) -> int:
    return sum(not line.strip() for line in lines)


def _expected(lines: list[bytes], **options: Any) -> list[Any]:
    return list(api.diagnose_stream(io.BytesIO(b"".join(lines)), **options))


@pytest.mark.parametrize("cut", [1, 5, 13])
def test_partitions_of_numbered_lines_give_diagnose_results(cut: int) -> None:
    lines = _lines()
    numbered = list(enumerate(lines, 1))
    results = []
    for start in range(0, len(numbered), cut):
        results.extend(api.diagnose_partition(numbered[start : start + cut]))
    expected = _expected(lines)
    assert results == expected
    assert len(results) == len(lines) - _blank(lines)  # as in diagnose, blank lines give none
    assert {r["status"] for r in results} >= {"error", "refer"}


def test_text_lines_read_like_bytes() -> None:
    lines = [line for line in _lines() if not line.startswith(b"\xff")]  # text is UTF-8
    numbered = [(n, line.decode()) for n, line in enumerate(lines, 1)]
    assert api.diagnose_partition(numbered) == _expected(lines)


def test_parsed_records_are_diagnosed_like_diagnose_many() -> None:
    records: list[dict[str, Any]] = [{"id": "x", "answers": {"heels_lift": "yes"}}, {"answers": {}}]
    assert api.diagnose_partition(records) == list(api.diagnose_many(records))


def test_overlays_travel_as_data_or_as_paths(tmp_path: Path) -> None:
    overlay = tmp_path / "coach.yaml"
    overlay.write_text(OVERLAY)
    lines = _lines()
    numbered = list(enumerate(lines, 1))
    expected = _expected(lines, rulebase=api.load_rulebase([overlay]))
    as_data = api.diagnose_partition(numbered, rules=api.rule_texts([tmp_path]))
    as_path = api.diagnose_partition(numbered, rules=[overlay])
    assert as_data == as_path == expected
    assert as_data != _expected(lines)  # the overlay changed something
    assert any("coach-heels" in json.dumps(r) for r in as_data)


def test_the_rule_base_is_loaded_once_per_process_and_never_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "_RULEBASES", type(partition._RULEBASES)())
    loads: list[int] = []
    real = loader.load_rulebase

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(partition, "load_rulebase", counted)
    overlay = tmp_path / "coach.yaml"
    overlay.write_text(OVERLAY)
    record = [(1, b'{"answers": {"heels_lift": "yes"}}')]
    first = api.diagnose_partition(record, rules=[overlay])
    for _ in range(3):
        assert api.diagnose_partition(record, rules=[overlay]) == first
    assert len(loads) == 1
    overlay.write_text(OVERLAY.replace("cf: 0.9", "cf: -0.9"))  # the coach changes the file
    changed = api.diagnose_partition(record, rules=[overlay])
    assert len(loads) == 2 and changed != first
    assert changed == _expected([record[0][1]], rulebase=api.load_rulebase([overlay]))


def test_a_broken_overlay_names_itself() -> None:
    with pytest.raises(RuleBaseError) as caught:
        api.diagnose_partition([], rules=[("coach.yaml", b"rules: [\n")])
    assert caught.value.diagnostics[0].span is not None
    assert caught.value.diagnostics[0].span.path == "coach.yaml"
    with pytest.raises(RuleBaseError):
        api.rule_texts(["/no/such/rules.yaml"])


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=REPO
    )


def test_the_dask_example_equals_diagnose(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    source = tmp_path / "in.jsonl"
    # A record cut short first (a new user's file was refused whole as "a multi-line
    # object") and in the middle: 680 lines, 21 blocks of about 2 KB.
    joined = b'{"id": "j1", "answers": {}}\r' + SADDLE + b"\n"  # a second record, no id
    source.write_bytes(
        CUT + b"".join(_lines() * 10) + CUT + joined + b"".join(_lines() * 10) + joined
    )
    overlay = tmp_path / "coach.yaml"
    overlay.write_text(OVERLAY)
    ours, theirs = tmp_path / "dask.jsonl", tmp_path / "diagnose.jsonl"
    example = [sys.executable, "examples/dask_batch.py", str(source), str(ours)]
    dask = _run([*example, "--rules", str(overlay), "--block-bytes", "2000"])
    cli = [sys.executable, "-m", "legpress_diag", "diagnose", str(source), "--rules"]
    plain = _run([*cli, str(overlay), "--format", "jsonl", "-o", str(theirs)])
    assert (dask.returncode, plain.returncode) == (1, 1), dask.stderr
    got = [json.loads(line) for line in ours.read_text().splitlines()]
    want = [json.loads(line) for line in theirs.read_text().splitlines()]
    assert len(got) == len(want) == 20 * (len(_lines()) - _blank(_lines())) + 2 + 4
    # The joined records' lines, and the ids of the second (it has none): diagnose's.
    assert [r["line"] for r in got if r["id"] == "j1"] == [
        r["line"] for r in want if r["id"] == "j1"
    ]
    assert got == want  # the parts are joined in input order
    errors = {line for line in dask.stderr.splitlines() if ": error: " in line}
    assert errors == {line for line in plain.stderr.splitlines() if ": error: " in line}
    assert len(errors) == sum(r["status"] == "error" for r in want) > 0


@pytest.mark.parametrize(
    ("document", "lines"),
    [
        (b'{"answers": {}}\n{"answers": {}}\n', True),
        (CUT + b'{"answers": {}}\n', True),  # a cut record, then more: JSON Lines
        (b'\n  \n{"answers":\n  {"heels_lift": "yes"}}\n', False),  # one pretty object
        (b'\xef\xbb\xbf[{"answers": {}}]', False),
        (b"[\n", False),  # an array cut short: read whole, and reported as one
        (b"", True),
    ],
)
def test_json_lines_are_told_from_a_document_as_diagnose_tells_them(
    tmp_path: Path, document: bytes, lines: bool
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(document)
    assert api.is_json_lines_file(path) is lines
    if lines:  # then blocks of numbered lines give what diagnose gives for the file
        numbered = list(enumerate(document.splitlines(keepends=True), 1))
        assert api.diagnose_partition(numbered) == _expected([document])


class _Int64:
    """What numpy or pyarrow hands out as a line number: an integer, not an int."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __int__(self) -> int:
        return self.value

    __index__ = __int__


def test_line_numbers_from_numpy_give_results_json_can_write() -> None:
    [result] = api.diagnose_partition([(_Int64(7), CUT)])  # type: ignore[list-item]
    assert json.loads(json.dumps(result))["line"] == 7
    # A record cut short keeps the id written in it (a new user's F8), else its line.
    assert result["id"] == "cut"
    [nameless] = api.diagnose_partition([(_Int64(7), b'{"answers": {\n')])  # type: ignore[list-item]
    assert json.loads(json.dumps(nameless))["id"] == 7


@pytest.mark.parametrize("case", ["same file", "through a link", "folder", "no folder", "rules"])
def test_the_dask_example_refuses_an_output_before_any_work(tmp_path: Path, case: str) -> None:
    """A new user's try: `dask_batch.py IN IN` replaced the records with the results,
    and an output in a missing folder, or a folder, ended in a traceback (after all
    the work, for a folder). Refused before any work now, with exit 2."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(_lines()[0])
    overlay = tmp_path / "coach.yaml"
    overlay.write_text(OVERLAY)
    (tmp_path / "link.jsonl").symlink_to(source)
    output = {
        "same file": source,
        "through a link": tmp_path / "link.jsonl",
        "folder": tmp_path,
        "no folder": tmp_path / "missing" / "out.jsonl",
        "rules": overlay,
    }[case]
    before = {p: p.read_bytes() for p in (source, overlay)}
    run = _run(
        [sys.executable, "examples/dask_batch.py", str(source), str(output), "-r", str(overlay)]
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("dask_batch.py: error: ") and "Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "missing").exists()
    assert not list(tmp_path.glob(".parts-*"))


def test_the_dask_example_reads_a_json_array_as_diagnose_does(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    source = tmp_path / "in.json"
    records = [json.loads(line) for line in _lines()[:6] if line.strip()]
    source.write_text(json.dumps(records, indent=2))
    ours = tmp_path / "out.jsonl"
    run = _run([sys.executable, "examples/dask_batch.py", str(source), str(ours)])
    plain = _run([sys.executable, "-m", "legpress_diag", "diagnose", str(source), "-f", "jsonl"])
    assert (run.returncode, plain.returncode) == (1, 1), run.stderr  # one record has an error
    got = [json.loads(line) for line in ours.read_text().splitlines()]
    assert got == [json.loads(line) for line in plain.stdout.splitlines()]
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert errors == [line for line in plain.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and ": record " in errors[0]


def test_the_dask_example_refuses_a_broken_overlay(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    source = tmp_path / "in.jsonl"
    source.write_bytes(_lines()[0])
    overlay = tmp_path / "coach.yaml"
    overlay.write_text("rules: [\n")
    run = _run([sys.executable, "examples/dask_batch.py", str(source), str(tmp_path / "out")])
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out2"
    run = _run(
        [sys.executable, "examples/dask_batch.py", str(source), str(out), "-r", str(overlay)]
    )
    assert run.returncode == 2 and "coach.yaml" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_the_dask_bag_recipe_in_the_docs_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dask = pytest.importorskip("dask", reason="the cluster extra is not installed")
    page = (REPO / "docs" / "scale.md").read_text(encoding="utf-8")
    (recipe,) = [b for b in page.split("```python\n")[1:] if "import dask.bag" in b]
    recipe = recipe.split("```", 1)[0]
    (tmp_path / "coach.yaml").write_text(OVERLAY)
    monkeypatch.chdir(tmp_path)
    # A byte-order mark and records joined by a lone CR and by U+2028 (a new user:
    # numbered by LFs alone, the snippet gave two records one id and lost referrals).
    lines = [b"\xef\xbb\xbf\r\n", *_lines(), b"{}\r" + SADDLE + b"\n", *_lines()]
    lines += [b"{}\xe2\x80\xa8" + SADDLE + b"\n", *_lines()]
    (tmp_path / "answers.jsonl").write_bytes(b"".join(lines))
    scope: dict[str, Any] = {"__name__": "__main__"}  # the recipe is a script's main part
    with dask.config.set(scheduler="sync"):
        exec(compile(recipe, "docs/scale.md", "exec"), scope)  # our own page's code
    expected = _expected(lines, rulebase=api.load_rulebase([tmp_path / "coach.yaml"]))
    assert scope["results"] == expected


def test_one_rule_source_alone_is_a_list_of_one(tmp_path: Path) -> None:
    """Attack round 9, L3: rules="coach.yaml" was read as the paths "c", "o", ..."""
    overlay = tmp_path / "coach.yaml"
    overlay.write_text(OVERLAY)
    records = [{"answers": {"heels_lift": "yes"}}]
    want = api.diagnose_partition(records, rules=[str(overlay)])
    assert api.diagnose_partition(records, rules=str(overlay)) == want  # type: ignore[arg-type]
    assert api.diagnose_partition(records, rules=overlay) == want  # type: ignore[arg-type]
    pair = ("coach.yaml", OVERLAY.encode())
    assert api.diagnose_partition(records, rules=pair) == api.diagnose_partition(
        records, rules=[pair]
    )


@pytest.mark.parametrize("joint", [b"\r", "\u2028".encode()])
def test_records_joined_by_another_programs_line_break_are_each_read(joint: bytes) -> None:
    """A new user's try: diagnose split such a line and referred the second record;
    the partition function read one error, and the warning sign was lost."""
    line = b'{"id": "a", "answers": {}}' + joint + SADDLE
    results = api.diagnose_partition([(4, line)])
    assert [r["line"] for r in results] == [4, 5]
    assert results[1]["status"] == "refer"
    assert results == _expected([b"\n" * 3, line + b"\n"])  # diagnose numbers them so too


def test_a_crlf_file_with_a_record_cut_short_first_keeps_its_line_numbers() -> None:
    """The same user's 305-line CRLF file: one cut record made diagnose number every
    later line one too far (and the ids of records that have none)."""
    lines = [CUT.replace(b"\n", b"\r\n")] + [b'{"answers": {}}\r\n'] * 4
    results = _expected(lines)
    assert [r["line"] for r in results] == [1, 2, 3, 4, 5]
    assert [r["id"] for r in results[1:]] == [2, 3, 4, 5]
    numbered = list(enumerate((line.removesuffix(b"\n") for line in lines), 1))
    assert api.diagnose_partition(numbered) == results


def test_check_output_takes_one_input_alone_and_looks_into_rule_folders(tmp_path: Path) -> None:
    """A new user's try: check_output(out, "in.jsonl") walked the name's characters, and
    a folder of rules among the inputs was not looked into: both let a driver write
    over its own input."""
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n")
    rules = tmp_path / "coach"
    rules.mkdir()
    (rules / "seat.yaml").write_text("rules: []\n")
    with pytest.raises(api.OutputError, match="is the input"):
        api.check_output(source, str(source))
    with pytest.raises(api.OutputError, match=r"seat\.yaml"):
        api.check_output(rules / "seat.yaml", [source, rules])
    api.check_output(tmp_path / "out.jsonl", [source, rules])  # its own name: fine


def test_blocks_numbered_with_lines_taken_give_diagnose_results() -> None:
    """A second new user: numbered by LFs alone, a joined record took the next line's
    number, and two records without an id had one id (keyed by id, 30 referrals of
    a 300-line file were lost)."""
    joined = [b'{"answers": {}}\r' + SADDLE + b"\n", b"{}\xe2\x80\xa8{}\xe2\x80\xa8{}\n"]
    lines = [*_lines()[:5], joined[0], *_lines()[5:9], joined[1], *_lines()[9:14], joined[0]]
    want = _expected(lines)
    for cut in (3, 6, 11, 15):
        first, second = lines[:cut], lines[cut:]
        start = 1 + api.lines_taken(b"".join(first))
        got = api.diagnose_partition(api.numbered_lines(b"".join(first)))
        got += api.diagnose_partition(api.numbered_lines(b"".join(second), start))
        assert got == want, cut
    assert len({r["id"] for r in want}) == len(want)


def test_a_crlf_line_at_the_length_limit_is_read_as_diagnose_reads_it() -> None:
    """The same user: the LF a CR-ended line gets back counted towards the limit, so a
    line of exactly 8 MiB with its CR was 'too long' here and referred by diagnose."""
    from legpress_diag.intake.records import MAX_LINE_BYTES

    body = b'{"answers": {"saddle_numbness": "yes"}}'
    line = body + b" " * (MAX_LINE_BYTES - len(body) - 1) + b"\r"
    assert len(line) == MAX_LINE_BYTES
    [got] = api.diagnose_partition([(1, line)])
    assert got == _expected([line + b"\n"])[0]
    assert got["status"] == "refer"


def test_rule_texts_read_a_file_as_the_command_line_does() -> None:
    """Attack round 10, M4: '--rules /dev/zero' grew to 6.7 GB; now refused at the
    command line's 4 MiB, naming the file."""
    with pytest.raises(RuleBaseError) as caught:
        api.rule_texts(["/dev/zero"])
    (problem,) = caught.value.diagnostics
    assert problem.code == "LP002" and "/dev/zero" in str(problem.span)


@pytest.mark.parametrize(
    "head",
    [b"\xef\xbb\xbf\r\n", b"\xef\xbb\xbf\n", b"\xef\xbb\xbf\x0c\r\n", b"\xef\xbb\xbf{}\r{}\n"],
    ids=["bom-crlf", "bom-lf", "bom-ff", "bom-joined"],
)
def test_a_byte_order_mark_on_the_first_line_is_read_as_diagnose_reads_it(head: bytes) -> None:
    """A new user: a Windows file's BOM on an empty first line was an error record on
    the cluster path (exit 1), and with a form feed it numbered every later line one
    too far."""
    data = head + b"".join(_lines()[:8]) + SADDLE + b"\n"
    want = _expected([data])
    assert api.diagnose_partition(api.numbered_lines(data)) == want
    assert api.lines_taken(data) == api.numbered_lines(data)[-1][0]  # the last line: one


@pytest.mark.parametrize("item", [b'{"answers": {}}', '{"answers": {}}', (1,), ("1", b"{}"), 7])
def test_an_item_that_is_no_line_pair_nor_record_is_named(item: object) -> None:
    """Attack round 10, L4: a bare line was an AttributeError from deep inside."""
    with pytest.raises(TypeError, match=r"item 0 of the partition is \w+: each item is a"):
        api.diagnose_partition([item])  # type: ignore[list-item]


def _blocks_results(path: Path, size: int) -> list[Any]:
    data = path.read_bytes()
    results = []
    for offset, length, first in api.line_blocks(path, size):
        block = data[offset : offset + length]
        results += api.diagnose_partition(api.numbered_lines(block, first))
    return results


def test_line_blocks_never_split_a_record_that_enters_cut_over_lines(tmp_path: Path) -> None:
    """Attack round 13, H8: cut at any line end, a record that Enters cut over lines
    (a note typed with Enter, `jq .` output among JSON Lines) across a block's edge
    was two broken records, each screened without the other (an urgent combination
    of signs referred lower). Every block size gives diagnose's results."""
    fracture = {"age_years": 70, "sudden_sharp_onset": "yes", "onset_settling": "no"}
    note = json.dumps({"id": "n", "answers": fracture, "note": "week 1\nweek 2\nweek 3"})
    note = note.replace("\\n", "\n")  # Enters typed into the note
    pretty = json.dumps({"id": "p", "answers": {"saddle_numbness": "yes"}}, indent=2)
    # An Enter after '"answers":' (round 13, L2): the object below is its value.
    colon = b'{"id": "k", "answers":\n{"saddle_numbness": "yes"}}\n'
    lines = _lines()[:6]
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b"".join(
            [*lines, note.encode() + b"\n", *lines, pretty.encode() + b"\n", *lines, colon, *lines]
        )
    )
    want = list(api.diagnose_stream(io.BytesIO(source.read_bytes())))
    levels = {r["id"]: r["red_flags"][0]["level"] for r in want if r["id"] in ("n", "p", "k")}
    assert levels == {"n": "urgent", "p": "emergency", "k": "emergency"}
    data = source.read_bytes()
    # A first block read to each line end inside either record (the edge the attack
    # put there), and a few sizes that cut everywhere.
    inside = [data.index(part) for part in (b"week 2", b'  "answers"', b'    "saddle', b'"k"')]
    for size in [*inside, 1, 2, 50, 333, len(data)]:
        blocks = api.line_blocks(source, size)
        assert sum(block.length for block in blocks) == len(data)
        assert _blocks_results(source, size) == want, size


def test_line_blocks_end_within_the_rejoin_bound_when_no_line_starts_a_record(
    tmp_path: Path,
) -> None:
    """No line starts a record for longer than any record rejoins: the block ends
    there, bounded, and the results are still diagnose's."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "a", "answers": {}}\n' + b"  junk\n" * 2500 + b"{}\n")
    blocks = api.line_blocks(source, 1)
    assert [block.first_line for block in blocks] == [1, 1002, 2003, 2502]
    assert _blocks_results(source, 1) == list(api.diagnose_stream(source.open("rb")))
    with pytest.raises(ValueError, match="at least one byte"):
        api.line_blocks(source, 0)


def test_the_dask_example_fails_as_diagnose_does_on_a_referral_with_errors(
    tmp_path: Path,
) -> None:
    """A flat row (an error) that still refers, beside a plain record: diagnose exits 1
    and says why; the example exited 0 (it counted only 'error' statuses: check 21)."""
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "flat", "saddle_numbness": "yes"}\n' + SADDLE + b"\n")
    ours, theirs = tmp_path / "dask.jsonl", tmp_path / "diagnose.jsonl"
    dask = _run([sys.executable, "examples/dask_batch.py", str(source), str(ours)])
    cli = [sys.executable, "-m", "legpress_diag", "diagnose", str(source), "--format"]
    plain = _run([*cli, "jsonl", "-o", str(theirs)])
    assert (dask.returncode, plain.returncode) == (1, 1), dask.stderr
    summary = "2 records: 2 refer (1 with errors)"
    assert summary in dask.stderr.splitlines()
    assert summary in plain.stderr.splitlines()
