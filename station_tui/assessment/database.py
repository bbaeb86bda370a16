"""The center database: opening it by URL, and its one schema.

``serve``, ``center …``, ``assess``, ``demo``, the benchmarks and the tests
all open the center database with ``open_server_db`` and bring it to the
latest schema with ``migrate_center``: the station records as the server
stores them (``records.server.SERVER_RECORDS``), the center's records,
the server's own tables (accounts, tokens, sync log) and the assessment's
covering indexes. So a demo county can be served, and a served database
assessed, without a second schema to drift.

It lives here, not in the sync server, because the server imports the
assessment and the assessment never imports the server (DESIGN.md).

Connections are pooled: request handlers run in a thread pool and each
unit of work opens its connection with ``db.connection_context()`` in the
thread that uses it, so a pooled connection is never shared between
threads or requests. A command line tool may simply query (autoconnect).
"""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlparse

from peewee import Database, DatabaseError, Model, PostgresqlDatabase
from playhouse.db_url import parse as parse_url
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as migrate_schema
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from station_tui.assessment import indexes
from station_tui.errors import InputError, StorageError
from station_tui.records.center import CENTER_RECORDS, CenterStation, StationStatus
from station_tui.records.server import SERVER_RECORDS, SERVER_TABLES, ServerSetting
from station_tui.storage.db import SQLITE_PRAGMAS, bind
from station_tui.storage.migrations import Step, migrate

log = logging.getLogger(__name__)

#: A little below FastAPI's thread pool (40), waiting rather than failing.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 30}

#: Several servers starting at once on one PostgreSQL upgrade in turn.
_LOCK_KEY = 0x57A7_10E5


def default_server_url() -> str:
    """The embedded center database in the user's data directory."""
    from platformdirs import user_data_path

    path = user_data_path("station-tui", appauthor=False) / "center.sqlite3"
    return f"sqlite:///{path}"


def as_url(url: str) -> str:
    """``url`` itself, or a bare file path as a ``sqlite:///`` URL."""
    return url if "://" in url else f"sqlite:///{url}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL or bare path, or None for another database.

    ``sqlite:///center.sqlite3`` is relative, ``sqlite:////srv/c.sqlite3``
    absolute (four slashes), as in SQLAlchemy and Peewee's db_url.
    """
    url = as_url(url)
    if not url.startswith("sqlite:"):
        return None
    return Path(url.split(":///", 1)[1])


def open_server_db(url: str) -> Database:
    """``sqlite:///path`` (or a bare path) or ``postgresql://…``, pooled,
    with every model bound to it."""
    url = as_url(url)
    scheme = urlparse(url).scheme
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"无法建立数据库所在的文件夹“{path.parent}”：{exc.strerror}") from None
        db: Database = PooledSqliteDatabase(
            str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False, **POOL
        )
    elif scheme in ("postgres", "postgresql"):
        db = PooledPostgresqlDatabase(**parse_url(url), **POOL)
    else:
        raise InputError(
            f"数据库地址“{url}”无法识别，应为 sqlite:///路径 或 postgresql://…",
            field="db")
    bind(db)
    log.info("center database %s", redacted(url))
    return db


def open_center_db(url: str, *, create: bool = True) -> Database:
    """The center database at ``url``, opened and at the latest schema.

    A missing, unreadable or foreign database stops here with one Chinese
    line (``StorageError``/``InputError``) instead of a driver traceback
    later. ``create=False`` (``assess``) refuses to make a new database:
    an empty one has nothing to assess.
    """
    url = as_url(url)
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise InputError(f"中心数据库“{path}”不存在，请检查 --db", field="db")
    db = open_server_db(url)
    try:
        with db.connection_context():
            tables = set(db.get_tables())
        if CenterStation._meta.table_name not in tables and (tables or not create):
            raise StorageError(_not_center(url, path, empty=not tables))
        migrate_center(db)
    except DatabaseError as exc:
        db.close_all()
        raise StorageError(_unreadable(url, path, exc)) from None
    except StorageError:
        db.close_all()
        raise
    return db


def _not_center(url: str, path: Path | None, *, empty: bool) -> str:
    where = f"“{path}”" if path is not None else f"“{redacted(url)}”"
    what = "是空的" if empty else "里没有站点登记表（可能是站点端的数据库）"
    return (f"这个数据库还不是中心数据库：{where}{what}。请先用 station-tui "
            "center add-station 登记站点或用 station-tui demo 生成演示县，"
            "或者检查 --db")


def _unreadable(url: str, path: Path | None, exc: Exception) -> str:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(
        exc).__name__
    if path is not None and "not a database" in reason:
        return f"“{path}”不是 SQLite 数据库文件，请检查 --db"
    where = path if path is not None else redacted(url)
    return f"无法打开数据库“{where}”：{reason}"


def redacted(url: str) -> str:
    """``url`` without its password, for logs."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def _v1_create_tables(db: Database) -> None:
    db.create_tables(
        [*SERVER_RECORDS.values(), *CENTER_RECORDS, *SERVER_TABLES], safe=True
    )
    # The county key for phone hashes: made once, the same for every worker.
    ServerSetting.insert(key="phone_key", value=secrets.token_hex(32)) \
        .on_conflict_ignore().execute()


def _v2_assessment_indexes(db: Database) -> None:
    indexes.ensure(db)


def _v3_changes_waiting(db: Database) -> None:
    # A database made at version 1 before the column existed lacks it; one
    # made since got it from the model in step 1.
    table = StationStatus._meta.table_name
    if "changes_waiting" in {c.name for c in db.get_columns(table)}:
        return
    migrator = SchemaMigrator.from_database(db)
    migrate_schema(migrator.add_column(table, "changes_waiting",
                                       StationStatus.changes_waiting))


#: CENTER_STEPS[i] upgrades version i to i + 1; steps only add.
CENTER_STEPS: list[Step] = [_v1_create_tables, _v2_assessment_indexes,
                            _v3_changes_waiting]


def migrate_center(db: Database) -> int:
    """Create the center database's tables, or upgrade them to the latest
    schema; returns the version reached."""
    with db.connection_context():
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
            try:
                return migrate(db, CENTER_STEPS)
            finally:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
        return migrate(db, CENTER_STEPS)


@contextmanager
def indexes_deferred(db: Database, models: Iterable[type[Model]]) -> Iterator[None]:
    """Drop the secondary indexes of ``models``' tables for a bulk load and
    build them again afterwards from the database's own definitions, so
    the schema comes back exactly as ``migrate_center`` made it."""
    tables = [m._meta.table_name for m in models]
    if isinstance(db, PostgresqlDatabase):
        found = db.execute_sql(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "                WHERE c.conname = i.indexname)", (tables,))
    else:
        marks = ", ".join("?" * len(tables))
        found = db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            f"AND sql IS NOT NULL AND tbl_name IN ({marks})", tables)
    definitions = found.fetchall()
    with db.atomic():
        for name, _ in definitions:
            db.execute_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with db.atomic():
            for _, sql in definitions:
                db.execute_sql(sql)
