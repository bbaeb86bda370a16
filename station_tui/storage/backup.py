"""Consistent copies of a SQLite database, on demand and rolling."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from station_tui.domain import clock

log = logging.getLogger(__name__)

ROLLING_KEEP = 7


def backup_to(source: str | Path, target: str | Path) -> Path:
    """Copy ``source`` to ``target`` with SQLite's online backup API.

    Safe while the app writes: the copy is one consistent snapshot. The copy
    is written beside the target and renamed, so a power cut never leaves a
    half-written backup under the real name.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    log.info("backed up %s to %s", source, target)
    return target


def rolling_backup(source: str | Path, directory: str | Path,
                   keep: int = ROLLING_KEEP) -> Path:
    """Today's backup in ``directory``, keeping the newest ``keep`` days.

    "Today" is the Shanghai date, as for every record, not the PC's own
    time zone (a PC set to UTC would otherwise name 07:00 backups after
    yesterday).
    """
    directory = Path(directory)
    stamp = clock.local_date(clock.now()).strftime("%Y%m%d")
    target = backup_to(source, directory / f"station-{stamp}.sqlite3")
    olds = sorted(directory.glob("station-*.sqlite3"))
    for old in olds[:-keep]:
        old.unlink(missing_ok=True)
    return target
