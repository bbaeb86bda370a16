"""Opening the station database (SQLite, WAL, synchronous=FULL)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from peewee import Database, SqliteDatabase

from station_tui.records import database_proxy

log = logging.getLogger(__name__)

#: FULL makes a committed transaction survive a power cut, not just a crash.
#: busy_timeout lets a scan wait for a sync that is marking rows sent (C06).
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
    "temp_store": 2,
}


def default_db_path() -> Path:
    """The station database in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("station-tui", appauthor=False) / "station.sqlite3"


def open_sqlite(path: str | Path, *, migrate: bool = True) -> SqliteDatabase:
    """Open (creating if needed) a SQLite database and bind the models to it."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    bind(db)
    db.connect(reuse_if_open=True)
    if migrate:
        from station_tui.storage.migrations import migrate as run_migrations

        run_migrations(db)
    log.info("opened station database %s", path)
    return db


def bind(db: Database) -> None:
    database_proxy.initialize(db)


@contextmanager
def write_txn(db: Database | None = None) -> Iterator[None]:
    """A write transaction.

    On SQLite it starts IMMEDIATE: a deferred transaction that later needs
    the write lock fails at once with "database is locked" instead of
    waiting for busy_timeout, which is what a scan racing a sync would hit.
    """
    db = db or database_proxy.obj
    if isinstance(db, SqliteDatabase) and not db.in_transaction():
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield
