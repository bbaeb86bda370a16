"""Opening a server database by URL and creating the tables the engine
reads (the sync server's migrations own the real server schema; tests,
the demo and the benchmark use this)."""

from __future__ import annotations

import logging

from peewee import Database, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect

from station_tui.assessment import indexes
from station_tui.errors import InputError
from station_tui.records import STATION_RECORDS, database_proxy
from station_tui.records.center import CENTER_RECORDS
from station_tui.storage.db import SQLITE_PRAGMAS

log = logging.getLogger(__name__)


def open_server_db(url: str) -> Database:
    """``sqlite:///path`` (or a bare path) or ``postgresql://…``, bound to
    the models."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("sqlite"):
        db: Database = SqliteDatabase(url.split(":///", 1)[1], pragmas=SQLITE_PRAGMAS)
    elif url.startswith(("postgres://", "postgresql://")):
        db = connect(url)
    else:
        raise InputError(f"数据库地址“{url}”无法识别，应为 sqlite:///路径 或 "
                         "postgresql://…", field="db")
    database_proxy.initialize(db)
    db.connect(reuse_if_open=True)
    return db


def create_schema(db: Database) -> None:
    """Every station and center table, and the engine's indexes."""
    with db.atomic():
        db.create_tables([*STATION_RECORDS, *CENTER_RECORDS], safe=True)
    indexes.ensure(db)


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)
