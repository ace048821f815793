"""Records in, results out: the one function a cluster engine maps over a partition.

Dask's ``map_partitions`` / ``client.map``, Spark's ``mapInPandas`` and the like hand
a worker process one slice of the records at a time, many times. The rule base is
therefore loaded once per worker process and kept, keyed by a hash of the bytes of
every rule file it is made of (the bundled files and each overlay), so a worker
never reasons with a rule base whose files have changed since it loaded them.

Overlays (a coach's ``--rules``) travel in either of two ways:

- as data: ``(name, bytes)`` pairs, read once where the job is submitted
  (:func:`rule_texts`) and shipped inside the task; nothing has to be installed or
  mounted on the workers;
- as paths that every worker can read (a shared file system); each worker reads
  them when a partition arrives.

Each item of a partition is either one JSON Lines line with its 1-based line number,
``(line, text)`` — then the result is exactly what ``legpress-diag diagnose`` gives
for that line of the file, a malformed line included (an error result naming the
line); a blank line gives no result, as in ``diagnose``; records joined on one line
by another program's line break (a lone CR, U+2028) give one result each, numbered
as ``diagnose`` numbers them; number the lines with :func:`numbered_lines` (a job
that cuts a file into blocks starts each block at the sum of :func:`lines_taken`
over the blocks before it) and every line and id is ``diagnose``'s — or a record
already parsed (a mapping), whose id
defaults to its 0-based index in the partition.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, NamedTuple, TypeAlias

from ..knowledge.bundled import bundled_rules_dir, shown_name
from ..knowledge.loader import load_rulebase, rule_files
from ..knowledge.rulebase import RuleBase
from ..reasoning.result import DiagnosisOut
from .records import (
    _MAYBE_BREAK,
    _OTHER_BREAKS,
    MAX_LINE_BYTES,
    MAX_REJOINED_LINES,
    MAX_VALUES_ON_THEIR_OWN_LINES,
    UTF8_BOM,
    RawRecord,
    _complete,
    _line_or_long_line,
    _line_records,
    _narrowed,
    _opened,
    _read_line,
    awaits_value,
    commented_at,
    diagnose_record,
    ends_array,
    is_json_lines,
    note_line,
    rejoined_record,
    rejoined_records,
    starts_record,
    string_left_open,
)

Line: TypeAlias = tuple[int, str | bytes]  # (1-based line number, the line's text)
Item: TypeAlias = Line | Mapping[str, object]
RuleText: TypeAlias = tuple[str, bytes]  # (the name messages show, the file's bytes)
RuleSource: TypeAlias = str | os.PathLike[str] | RuleText

# A worker sees one rule base in almost every job; a few are kept in case jobs with
# different overlays share the workers.
_KEPT = 4
_RULEBASES: OrderedDict[str, RuleBase] = OrderedDict()


def rule_texts(paths: Sequence[str | os.PathLike[str]]) -> list[RuleText]:
    """The rule files under ``paths`` (files, or folders of .yaml files), read here, to
    ship to workers as data. Raises RuleBaseError for a path that is missing."""
    from ..knowledge.sources import read_limited

    # Read as the command line reads a rule file: at most its size limit, and a FIFO
    # with no writer is empty (attack round 10, M4: '--rules /dev/zero' filled 6.7 GB).
    return [
        (shown_name(path), read_limited(path, shown_name(path)))
        for path in rule_files(paths, include_bundled=False)
    ]


def partition_rulebase(rules: Sequence[RuleSource] = (), include_bundled: bool = True) -> RuleBase:
    """The rule base for ``rules``, loaded once per process for the same files' bytes.
    One source alone (a path, or one ``(name, bytes)`` pair) is taken as a list of one,
    not as a sequence of characters."""
    if isinstance(rules, str | os.PathLike) or (
        isinstance(rules, tuple) and len(rules) == 2 and isinstance(rules[1], bytes)
    ):
        rules = [rules]
    texts: list[RuleText] = []
    for source in rules:  # paths are read here, in the worker, every partition
        texts.extend([source] if isinstance(source, tuple) else rule_texts([source]))
    key = _key(texts, include_bundled)
    found = _RULEBASES.get(key)
    if found is None:
        found = load_rulebase(include_bundled=include_bundled, texts=texts)
        _RULEBASES[key] = found
        while len(_RULEBASES) > _KEPT:
            _RULEBASES.popitem(last=False)
    else:
        _RULEBASES.move_to_end(key)
    return found


def _key(texts: Sequence[RuleText], include_bundled: bool) -> str:
    """A hash of every byte the rule base is made of: a changed file is a new key."""
    digest = hashlib.sha256()
    if include_bundled:
        for path in sorted(bundled_rules_dir().glob("*.y*ml")):
            digest.update(_framed(path.name.encode()) + _framed(path.read_bytes()))
    digest.update(b"overlays\0")
    for name, raw in texts:
        digest.update(_framed(name.encode()) + _framed(raw))
    return digest.hexdigest()


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def diagnose_partition(
    records: Iterable[Item],
    *,
    rules: Sequence[RuleSource] = (),
    include_bundled: bool = True,
    strict: bool = False,
    threshold: float | None = None,
    explain: bool = False,
    ends_input: bool = True,
) -> list[DiagnosisOut]:
    """One result per record of the partition, in its order (blank lines give none).

    ``ends_input``: whether the partition's last line is the input's last. A block of
    ``line_blocks`` that is not the last ends before a line that starts a record, so a
    record left open at its end is no pretty record a crash cut short (which the
    input's end makes one error, screened whole): pass False for every block but the
    last, and each block gives ``diagnose``'s results (check 22: a note in single
    quotes with an Enter in it was one record at a block's end, two in diagnose).

    Raises RuleBaseError when the rule files do not load: check them where the job is
    submitted (:func:`partition_rulebase`) so the error is seen before any work.
    """
    rb = partition_rulebase(rules, include_bundled)
    results = []
    items = [_narrowed_item(item) for item in records]
    taken = 0  # items of a record put back together, still to pass
    for index, item in enumerate(items):
        if taken:
            taken -= 1
            continue
        if isinstance(item, Mapping):
            raws = [RawRecord(index, None, data=item)]
        elif _is_line(item):
            # A record an Enter cut over lines, put back together as diagnose does
            # (within the partition: a job cuts a file between records).
            number = int(item[0])
            line = _bytes(item[1])
            line = line.removeprefix(UTF8_BOM) if number == 1 else line
            peek = _peek_items(items, index)
            commented, comment_lines = None, 1
            if line[:1] in (b"#", b"/"):
                commented, comment_lines = commented_at(number, line.removesuffix(b"\n"), peek)
            rejoined = None
            if commented is None:
                rejoined = rejoined_record(line, peek, input_ends=ends_input)
            if commented is not None:
                raws, taken = [commented], comment_lines - 1
            elif rejoined is not None:
                raws, taken = rejoined_records(number, rejoined[0]), rejoined[1] - 1
            else:
                raws, _ = _line(int(item[0]), item[1])
            raws = list(_opened(iter(raws)))  # an export's wrapper among them opened
        else:
            # A bare line was an AttributeError from deep inside (attack round 10, L4).
            raise TypeError(
                f"item {index} of the partition is {type(item).__name__}: each item is a "
                "(line number, line) pair (api.numbered_lines gives them) or a record "
                "as a mapping"
            )
        for raw in raws:  # none for a blank line
            results.append(diagnose_record(raw, rb, strict, threshold, explain=explain))
    return results


def _narrowed_item(item: Item) -> Item:
    """A line given as bytes, a UTF-16 line of a UTF-8 file read as diagnose reads it
    (records._narrowed): without it, a block's results differed from diagnose's."""
    if _is_line(item) and isinstance(item, tuple | list) and isinstance(item[1], bytes):
        line = item[1]
        if b"\x00" in line:
            return (item[0], _narrowed(line + b"\n").removesuffix(b"\n"))
    return item


def _bytes(text: str | bytes) -> bytes:
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


def _peek_items(items: list[Item], index: int) -> Callable[[int], bytes | None]:
    """rejoined_record's view of the lines after ``items[index]``."""

    def peek(offset: int) -> bytes | None:
        item = items[index + offset] if index + offset < len(items) else None
        if not isinstance(item, tuple | list) or not _is_line(item):
            return None
        line = _bytes(item[1])
        return line if len(line) <= MAX_LINE_BYTES else None

    return peek


def _is_line(item: object) -> bool:
    return (
        isinstance(item, tuple | list)
        and len(item) == 2
        # Any integer, numpy's too (a line number from a data frame), but no bool.
        and hasattr(item[0], "__index__")
        and not isinstance(item[0], bool)
        and isinstance(item[1], str | bytes)
    )


def _line(number: int, text: str | bytes) -> tuple[list[RawRecord], int]:
    """The records of a line as ``diagnose`` reads them (bytes, the size bounded): none
    for a blank line; one per record where another program's line break (a lone CR,
    U+2028) joins several, numbered as an editor shows them (a new user's try: joined,
    they were one error, and the warning sign in the second was not referred); and
    the number of the last line they took."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if number == 1:
        data = data.removeprefix(UTF8_BOM)  # diagnose drops it from a file's first line
    if not data.strip():
        return [], number
    too_long = len(data) > MAX_LINE_BYTES  # as diagnose counts it: without the LF
    if data.endswith((b"\r", b"\r\x00")):
        data += b"\n"  # a CRLF line cut at its LF (in UTF-16 too): its CR is no line break
    if too_long:
        # Read as diagnose reads a line past the limit: split at other programs'
        # line breaks when it holds them (records.long_line_records), in pieces.
        stream = io.BytesIO(data)
        item = _read_line(stream)
        assert item is not None  # data is over the limit: there is a line to read
        reading = _line_or_long_line(number, item, stream)
        records: list[RawRecord] = []
        while True:
            try:
                records.append(next(reading))
            except StopIteration as done:
                return records, done.value
    return _line_records(number, data, too_long)


def numbered_lines(data: bytes, first: int = 1) -> list[tuple[int, bytes]]:
    """The lines of ``data`` (whole lines, each ended by LF but perhaps the last) with
    the numbers ``diagnose`` gives them, from ``first``: one per line, and a line of
    records joined by another program's line break (a lone CR, U+2028, ...) takes one
    per record, so the lines after it are numbered as an editor shows them. These
    are the items :func:`diagnose_partition` takes; numbered by LFs alone, a joined
    record took the next line's number, and two records without an id had one id
    (a new user's try: keyed by id, referrals were lost)."""
    lines = data.split(b"\n")
    if lines[-1] in (b"", b"\x00"):
        # The text after the last LF is not a line, nor the second byte of a UTF-16
        # LF that ends the input (records._narrowed reads it so).
        lines.pop()
    if not _MAYBE_BREAK.search(data):
        return list(enumerate(lines, first))  # the common block: nothing joined
    numbered, number = [], first
    for line in lines:
        numbered.append((number, line))
        number += 1 + _extra_lines(number, line)
    return numbered


def lines_taken(data: bytes, first: int = 1) -> int:
    """How many line numbers ``diagnose`` gives ``data`` (whole lines) when its first
    line is number ``first``: a job that cuts a file into blocks numbers each block's
    first line with ``first`` plus this, summed over the blocks before it."""
    numbered = numbered_lines(data, first)
    if not numbered:
        return 0
    number, line = numbered[-1]
    return number + 1 + _extra_lines(number, line) - first


def _extra_lines(number: int, line: bytes) -> int:
    """The line numbers a line takes past its own: one per record joined to another."""
    # A CRLF line's CR is no break (nor, in UTF-16, a CR and its NUL)
    body = line.removesuffix(b"\x00") if line.endswith(b"\r\x00") else line
    body = body.removesuffix(b"\r")
    if not _MAYBE_BREAK.search(body) or not _OTHER_BREAKS.search(body) or not body.strip():
        return 0  # the cheap tests first: most lines with such a byte hold an é
    _, last = _line(number, line)
    return last - number


class LineBlock(NamedTuple):
    """A slice of a JSON Lines file that one task diagnoses: ``length`` bytes from
    ``offset``, whole lines, the first numbered ``first_line`` as diagnose numbers it."""

    offset: int
    length: int
    first_line: int


def line_blocks(path: str | os.PathLike[str], size: int) -> list[LineBlock]:
    """Blocks of about ``size`` bytes covering a JSON Lines file, each ending at a line
    end before a line that starts a record (or MAX_REJOINED_LINES lines on, when no
    line does): a record that Enters cut over lines (records.rejoined_record) is never
    split between two blocks, so each block read alone (numbered_lines,
    diagnose_partition) gives ``diagnose``'s results. Cut at any line end, such a record
    across a 1 MiB edge was two error results, its combination of signs screened
    apart (attack round 13, H8). The file is read once; raises OSError."""
    if size < 1:
        raise ValueError(f"a block of at least one byte, not {size}")
    blocks: list[LineBlock] = []
    offset, number = 0, 1
    with open(path, "rb") as stream:
        while chunk := stream.read(size):
            while not chunk.endswith(b"\n"):  # finish the line, a bounded read at a time
                more = stream.readline(size)
                if not more:
                    break
                chunk += more
            note = _OpenAbove()
            for line in chunk.split(b"\n"):
                note.follow(line, line[:1] in (b"{", b"["))
            chunk += _up_to_a_record_start(stream, _last_line(chunk), note)
            blocks.append(LineBlock(offset, len(chunk), number))
            offset += len(chunk)
            number += lines_taken(chunk, number)
    return blocks


# How far past its size a block may grow looking for a line that starts a record.
MAX_BLOCK_EXTENSION = 4 * MAX_LINE_BYTES


class _OpenAbove:
    """What the lines followed so far leave open, as the reading of JSON Lines sees it:
    a string (a note an Enter cut: the next line is the note's, even one that starts
    with '{', up to MAX_VALUES_ON_THEIR_OWN_LINES such lines, as rejoined_record reads
    it), or a JSON array written over lines after JSON Lines (up to its closing line,
    another array or a record of JSON Lines, as _rejoined_array reads it). Cut inside
    either, a record lost its warning sign to the next block (check 21)."""

    def __init__(self) -> None:
        self.open = False
        self.passed = 0  # lines that start a record read as the note's since its start
        self.in_array = False

    def follow(self, line: bytes, starts: bool) -> bool:
        """Take the next line; True when it belongs to what is open above it (no cut
        before it)."""
        if self.in_array:
            if line[:1] == b"]":
                self.in_array = False
                return True
            if line[:1] != b"[" and not ends_array(line):
                return True
            self.in_array = False
        if line[:1] == b"[" and not _complete((line, False)):
            self.in_array, self.open, self.passed = True, False, 0
            return False
        if self.open and starts and note_line(line):
            self.open = string_left_open(line, self.open)
            return True  # "{day 3} sore": a note's next line, however many
        if starts and not (self.open and self.passed < MAX_VALUES_ON_THEIR_OWN_LINES):
            self.open, self.passed = string_left_open(line, False), 0
            return False
        self.passed += starts
        self.open = string_left_open(line, self.open)
        return starts


def _up_to_a_record_start(stream: IO[bytes], previous: bytes, note: _OpenAbove) -> bytes:
    """The lines from the stream's position up to the next that starts a record (left
    unread), or MAX_REJOINED_LINES lines past the last line that could start one: no
    record rejoins more lines, and only a line that starts a record starts one, so no
    rejoined record spans the end. The object after a line that awaits a value (an
    Enter after '"answers":') is that value: no end there. At most
    MAX_BLOCK_EXTENSION bytes in all (a file of nothing else is cut there)."""
    taken: list[bytes] = []
    size = 0
    since_start = 0  # lines since the last that could start a rejoined record
    while since_start < MAX_REJOINED_LINES and size < MAX_BLOCK_EXTENSION:
        at = stream.tell()
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            break
        starts = len(line) <= MAX_LINE_BYTES and starts_record(line.removesuffix(b"\n"))
        held = note.follow(line, starts)
        if starts and not awaits_value(previous) and not held:
            stream.seek(at)
            break
        since_start = 0 if starts or note.in_array else since_start + 1
        taken.append(line)
        size += len(line)
        while not line.endswith(b"\n") and (line := stream.readline(MAX_LINE_BYTES)):
            taken.append(line)  # the rest of a line over the limit: an error anyway
            size += len(line)
        previous = line if line.strip() else previous  # blank lines between
    return b"".join(taken)


def _last_line(chunk: bytes) -> bytes:
    """The last line with text of a chunk of whole lines (looked for in its last 4 KiB:
    enough to see whether it ends with a key awaiting its value)."""
    tail = chunk[-4096:].rstrip()
    return tail[tail.rfind(b"\n") + 1 :]


def is_json_lines_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``legpress-diag diagnose`` reads the file line by line, so a cluster job
    may cut it into blocks of lines; False for a JSON array or one object spread over
    several lines, which is read whole (``api.diagnose_stream``). Raises OSError."""
    with open(path, "rb") as stream:
        return is_json_lines(stream)
