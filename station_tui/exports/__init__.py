"""Exports of the ledger: CSV (UTF-8 with BOM), XLSX and JSON, streamed.

``export_ledger`` writes a ledger search to a file; the ledger screen and
``station-tui export`` both use it. Phones are masked in every format.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from station_tui.domain import clock
from station_tui.exports.ledger_table import COLUMNS, cells
from station_tui.exports.writers import FORMATS, Format, Progress, write_table
from station_tui.operations.ledger_search import LedgerQuery, iter_hits

__all__ = ["FORMATS", "Format", "default_export_path", "export_ledger",
           "path_for_format", "suffix_mismatch"]

#: Extensions a person may have typed for an export of some format.
_EXPORT_SUFFIXES = frozenset({".csv", ".xlsx", ".xls", ".json", ".txt"})


def export_ledger(query: LedgerQuery, path: str | Path, fmt: Format, *,
                  progress: Progress | None = None) -> int:
    """Write every record the search finds; returns how many."""
    rows = (cells(hit) for hit in iter_hits(query))
    return write_table(path, fmt, COLUMNS, rows, progress=progress, title="台账")


def path_for_format(path: Path, fmt: Format) -> Path:
    """The path with the extension of ``fmt``, so an XLSX is never ``.csv``.

    A known export extension is replaced, a missing (or unknown) one added:
    ``台账.csv`` → ``台账.xlsx``, ``台账`` and ``台账.v2`` get ``.xlsx`` added.
    """
    suffix = path.suffix.lower()
    if suffix == f".{fmt}":
        return path
    if suffix in _EXPORT_SUFFIXES:
        return path.with_suffix(f".{fmt}")
    return path.with_name(f"{path.name}.{fmt}")


def suffix_mismatch(path: Path, fmt: Format) -> str | None:
    """Why a file named ``path`` must not hold ``fmt``, or None if it may.

    Only a known export extension of another format is a mismatch; a
    script's own name without one (``report``, ``x.dat``) is kept.
    """
    suffix = path.suffix.lower()
    if suffix in _EXPORT_SUFFIXES and suffix != f".{fmt}":
        fixed = path_for_format(path, fmt).name
        other = suffix.lstrip(".")
        hint = (f"请用 --format {other}，或把文件名改为 {fixed}" if other in FORMATS
                else f"请把文件名改为 {fixed}")
        return (f"文件名 {path.name} 的扩展名 {path.suffix} 与导出格式 "
                f"{fmt.upper()} 不符，未导出：{hint}")
    return None


def default_export_path(fmt: Format, now: datetime | None = None) -> Path:
    """台账-YYYYMMDD-HHMM.<fmt> in the user's documents, else the data dir.

    The stamp is Beijing time, as everywhere in the app, whatever time zone
    the PC is set to.
    """
    from platformdirs import user_data_path, user_documents_path

    stamp = (now or clock.local_dt(clock.now())).strftime("%Y%m%d-%H%M")
    folder = user_documents_path()
    if not folder.is_dir():
        folder = user_data_path("station-tui", appauthor=False) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
    return folder / f"台账-{stamp}.{fmt}"
