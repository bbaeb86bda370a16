"""Streaming table writers: CSV (UTF-8 with BOM), XLSX and JSON.

Rows arrive as an iterator and leave one at a time, so an export of a
whole year's parcels never holds the table in memory. Each file is written
beside its target and renamed when complete: a failed or interrupted
export never leaves a half file under the chosen name.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Literal, Sequence

from station_tui.domain import clock
from station_tui.domain.money import format_fen

log = logging.getLogger(__name__)

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
ColumnType = Literal["text", "time", "money"]
Cells = dict[str, Any]
Progress = Callable[[int], None]

#: How many rows between two progress reports.
PROGRESS_EVERY = 500
# A text cell starting with one of these is a formula to Excel (CSV
# injection); it is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column: its key in a row's cells, its header, how to write it."""

    key: str
    header: str
    type: ColumnType = "text"


def text_of(value: Any, column: Column) -> str:
    """A cell as people read it: local time, yuan with two decimals."""
    if value is None:
        return ""
    if column.type == "time":
        return clock.format_time(value)
    if column.type == "money":
        return format_fen(value)
    return str(value)


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv(out: Path, columns: Sequence[Column], rows: Iterable[Cells],
               tick: Progress) -> None:
    # utf-8-sig writes the BOM that makes Excel on Chinese Windows read
    # UTF-8 instead of GBK (case C07); newline="" lets csv end the lines.
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in columns])
        for n, row in enumerate(rows, 1):
            writer.writerow([
                _csv_safe(text_of(row[c.key], c)) if c.type == "text"
                else text_of(row[c.key], c)
                for c in columns
            ])
            tick(n)


def _xlsx_cell(sheet: Any, value: Any, column: Column) -> Any:
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, WriteOnlyCell

    if value is None:
        return None
    if column.type == "time":
        cell = WriteOnlyCell(sheet, clock.local_dt(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if column.type == "money":
        cell = WriteOnlyCell(sheet, Decimal(value) / 100)
        cell.number_format = "0.00"
        return cell
    text = str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):  # control characters XML cannot hold
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("=") or text in ERROR_CODES:
        # Text stays text: openpyxl would store "=…" as a formula.
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text  # plain strings share one cell inside openpyxl: much faster


def _give_temp_file(sheet: Any) -> Path:
    """Give a write-only sheet the temporary file its rows stream into.

    openpyxl would make it with ``NamedTemporaryFile(mode="w+")`` and no
    encoding: harmless, since it is reopened in binary, but an
    EncodingWarning, which ``-W error::EncodingWarning`` (case C08) turns
    into a crash. Column widths and panes must be set before this.
    """
    import os
    import tempfile

    from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter

    handle, name = tempfile.mkstemp(prefix="openpyxl.", suffix=".xml")
    os.close(handle)
    ALL_TEMP_FILES.append(name)  # openpyxl removes it from there when saved
    sheet._writer = WorksheetWriter(sheet, out=name)
    sheet._writer.write_top()
    return Path(name)


def _write_xlsx(out: Path, columns: Sequence[Column], rows: Iterable[Cells],
                tick: Progress, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    # write_only streams each appended row to a temporary file.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    for index, column in enumerate(columns, 1):
        width = {"time": 17, "money": 12}.get(column.type, 16)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    temp = _give_temp_file(sheet)
    try:
        sheet.append([c.header for c in columns])
        for n, row in enumerate(rows, 1):
            sheet.append([_xlsx_cell(sheet, row[c.key], c) for c in columns])
            tick(n)
        book.save(out)
    finally:
        temp.unlink(missing_ok=True)


def _json_value(value: Any, column: Column) -> Any:
    if value is None or column.type == "money":
        return value
    if column.type == "time":
        return clock.local_dt(value).isoformat()
    return str(value)


def _json_key(column: Column) -> str:
    return f"{column.key}_fen" if column.type == "money" else column.key


def _write_json(out: Path, columns: Sequence[Column], rows: Iterable[Cells],
                tick: Progress) -> None:
    handle: IO[str]
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for n, row in enumerate(rows, 1):
            item = {_json_key(c): _json_value(row[c.key], c) for c in columns}
            handle.write(",\n " if n > 1 else "\n ")
            handle.write(json.dumps(item, ensure_ascii=False))
            tick(n)
        handle.write("\n]\n")


def write_table(path: str | Path, fmt: Format, columns: Sequence[Column],
                rows: Iterable[Cells], *, progress: Progress | None = None,
                title: str = "Sheet1") -> int:
    """Write ``rows`` to ``path`` in ``fmt``; returns how many were written."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    written = 0

    def tick(n: int) -> None:
        nonlocal written
        written = n
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)

    try:
        if fmt == "csv":
            _write_csv(partial, columns, rows, tick)
        elif fmt == "xlsx":
            _write_xlsx(partial, columns, rows, tick, title)
        elif fmt == "json":
            _write_json(partial, columns, rows, tick)
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    if progress is not None:
        progress(written)
    log.info("exported %d rows as %s to %s", written, fmt, target)
    return written
