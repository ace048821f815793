"""A spreadsheet's CSV export read as answer records.

A coach's intake lives in a spreadsheet (Google Forms, Typeform, Excel). Its CSV has a
header row of column names and one row per client; read as JSON Lines, its header was
counted as a client and every row was an error. Here each row becomes one record:

- the header names the answers (a column map, intake/columns.py, says which column is
  which question); a column called ``id`` (any case) is the record's id, and without
  one a row's result carries its line in the file, as a JSON Lines record's does;
- an empty cell is no answer; a cell that is a plain number (``70``, ``82.5``) is that
  number, since CSV has no types; any other cell is its text, read as a record's text
  is ("Yes", "No", "not sure");
- cells past the header's length are kept under ``(cells past the header)``, so their
  text is still read for warning signs and named in a warning; a header name given
  twice gets a number (``Age (2)``) so that no column hides another;
- the delimiter is the one Excel's first line `sep=;` names, else a comma, a semicolon,
  a tab or a pipe, whichever splits the header and the first rows alike into most cells
  (quotes respected: a question with commas in it does not count).

Each record carries the line of its row, so every message names the CSV's own line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import IO

from ..foundation.problems import LegpressError

EXTRA_CELLS = "(cells past the header)"
MAX_CSV_BYTES = 256 << 20  # read whole: a larger sheet should be exported as JSON Lines
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_ID_NAMES = ("id",)


class CsvError(LegpressError):
    """A CSV export that cannot be read, with where."""


def csv_as_json_lines(
    stream: IO[bytes], name: str, cells: dict[str, set[str]] | None = None
) -> tuple[IO[bytes], list[str]]:
    """The records of a CSV export as JSON Lines bytes (one line per row, and an empty
    line for the header, so that a record's line is its row's line when no cell holds
    a line break), and the header's column names. With ``cells``, the distinct short
    texts of each column go there too (a column map's answers are checked against
    them: ColumnMap.check_sheet). Raises CsvError."""
    data = stream.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(
            f"{name}: a CSV file is read whole, at most {MAX_CSV_BYTES >> 20} MiB; "
            "export a larger sheet as JSON Lines"
        )
    try:
        text = _decoded_utf16(data) or data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows writes its own code page: Latin-1 never fails, and keeps
        # every letter that code page has (a wrong letter beats a lost row)
        text = data.decode("cp1252", errors="replace")
    out = io.BytesIO()
    header: list[str] = []
    for line in _json_lines(text, name, header, cells):
        out.write(line.encode() + b"\n")
    out.seek(0)
    return out, header


def _decoded_utf16(data: bytes) -> str | None:
    """A UTF-16 sheet's text (Excel's "Unicode Text" export, with its byte order mark,
    or without one and a NUL beside most letters), else None. Read as one byte per
    letter, every answer was unread and a "yes" lost (check 58, H7)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 3 > len(head):
        big_endian = head[0::2].count(0) > head[1::2].count(0)
        return data.decode("utf-16-be" if big_endian else "utf-16-le", errors="replace")
    return None


# Distinct texts kept per column for checking a map's answers: a form's choices are a
# few; a free-text column's texts are not answers to check, and are not all kept.
MAX_DISTINCT_CELLS = 64
_SHORT_CELL = 80


def _json_lines(
    text: str, name: str, header_out: list[str], cells: dict[str, set[str]] | None = None
) -> Iterator[str]:
    delimiter, sep_line = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    # A note of more than csv's 128 KiB default refused the whole sheet (check 58, M2):
    # one cell may be as large as the file, for this read only (the limit is global)
    before = csv.field_size_limit(MAX_CSV_BYTES)
    try:
        if sep_line:
            next(reader, None)
            yield ""  # Excel's "sep=;" line: records keep their rows' line numbers
        header = next(reader, None)
        if header is None:
            return
        columns = _unique(header)
        header_out += columns
        yield ""  # the header's line: records keep their rows' line numbers
        row_start = reader.line_num + 1
        for row in reader:
            line = row_start
            row_start = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                yield ""  # an empty row: no client (JSON Lines skips empty lines)
                continue
            if cells is not None:
                _keep_distinct(cells, columns, row)
            yield json.dumps(_record(columns, row), ensure_ascii=False)
            # a cell with a line break spans lines: keep the count with empty lines
            for _ in range(reader.line_num - line):
                yield ""
    except csv.Error as exc:
        raise CsvError(f"{name}:{reader.line_num}: not CSV: {exc}") from exc
    finally:
        csv.field_size_limit(before)


_SEP_LINE = re.compile(r"\ufeff?sep=(.)\s*", re.IGNORECASE)
_DELIMITERS = (",", ";", "\t", "|")  # a pipe: some exports (a lost "yes": round 62)
_ROWS_SNIFFED = 20


def _delimiter(text: str) -> tuple[str, bool]:
    """(the sheet's delimiter, whether its first line is Excel's "sep=;" that names it).
    Otherwise the delimiter that splits the header and the first rows alike into most
    cells, quotes respected: counted in the header alone, a form's question with
    commas in it made a semicolon or tab sheet one cell a row, and every "Yes" was
    lost (attack round 60)."""
    first = text.split("\n", 1)[0]
    named = _SEP_LINE.fullmatch(first.rstrip("\r"))
    if named and named.group(1) != '"':
        return named.group(1), True
    if not first.strip():
        return ",", False
    sample = "\n".join(text.split("\n", _ROWS_SNIFFED + 1)[:_ROWS_SNIFFED])
    best = max(_DELIMITERS, key=first.count)
    best_score: tuple[bool, float, int] = (False, -1.0, -1)
    for delimiter in _DELIMITERS:
        try:
            widths = [
                len(row)
                for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if any(cell.strip() for cell in row)
            ]
        except csv.Error:
            continue
        if not widths:
            continue
        header, rows = widths[0], widths[1:-1] or widths[1:]  # the last may be cut short
        alike = sum(width == header for width in rows) / len(rows) if rows else 1.0
        score = (header > 1, alike, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best, False


def _keep_distinct(cells: dict[str, set[str]], columns: list[str], row: list[str]) -> None:
    for column, cell in zip(columns, row, strict=False):
        kept = cells.setdefault(column, set())
        if len(kept) < MAX_DISTINCT_CELLS and cell.strip() and len(cell) <= _SHORT_CELL:
            kept.add(cell)


def _unique(header: list[str]) -> list[str]:
    """Header names, each once ("Age", "Age (2)"), and a name for an empty one."""
    seen: dict[str, int] = {}
    names = []
    for number, raw in enumerate(header, 1):
        name = raw.strip() or f"(column {number})"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def _record(columns: list[str], row: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}
    record_id: object = None
    for name, cell in zip(columns, row, strict=False):
        if name.casefold() in _ID_NAMES and record_id is None and cell.strip():
            record_id = cell.strip()
            continue
        if cell.strip():
            answers[name] = _cell(cell)
    extra = [cell for cell in row[len(columns) :] if cell.strip()]
    if extra:
        answers[EXTRA_CELLS] = extra
    return {"answers": answers} if record_id is None else {"id": record_id, "answers": answers}


def _cell(cell: str) -> object:
    text = cell.strip()
    if _NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    return cell
