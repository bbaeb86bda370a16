"""Opening the station database (SQLite, WAL, synchronous=FULL)."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from peewee import Database, DatabaseError, IntegrityError, SqliteDatabase

from station_tui.errors import StorageError
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
    try:
        if isinstance(db, SqliteDatabase) and not db.in_transaction():
            with db.atomic("IMMEDIATE"):
                yield
        else:
            with db.atomic():
                yield
    except IntegrityError:
        raise  # a rule of the data (a duplicate): the caller says which
    except DatabaseError as exc:
        # A full disk makes SQLite roll back by itself, and peewee's own
        # rollback then fails too: either way nothing of it was saved.
        log.exception("write transaction failed")
        raise StorageError(write_failure(exc)) from exc


def write_failure(exc: BaseException) -> str:
    """What a failed write means for the partner, in Chinese."""
    # The first error is the telling one ("database or disk is full");
    # the rollback that followed it only says no transaction was left.
    first: BaseException = exc
    while first.__context__ is not None:
        first = first.__context__
    exc = first
    text = str(exc).lower()
    if "full" in text:
        return "磁盘已满，这一笔没有保存。请清理磁盘空间（或换一个有空间的磁盘）后再录入"
    if "locked" in text or "busy" in text:
        return "数据库正被占用（可能另开了一个本程序或正在同步），这一笔没有保存，请稍后再试"
    if "readonly" in text or "read-only" in text:
        return "数据库文件只读，这一笔没有保存。请检查文件和文件夹的写入权限"
    if "i/o" in text or "disk" in text:
        return "读写磁盘出错，这一笔没有保存。请检查磁盘或U盘是否还连着"
    return f"数据库出错，这一笔没有保存（{exc}）"
