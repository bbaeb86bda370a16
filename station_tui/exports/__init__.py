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

__all__ = ["FORMATS", "Format", "default_export_path", "export_ledger"]


def export_ledger(query: LedgerQuery, path: str | Path, fmt: Format, *,
                  progress: Progress | None = None) -> int:
    """Write every record the search finds; returns how many."""
    rows = (cells(hit) for hit in iter_hits(query))
    return write_table(path, fmt, COLUMNS, rows, progress=progress, title="台账")


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
