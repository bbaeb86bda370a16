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
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, PostgresqlDatabase
from playhouse.db_url import parse as parse_url
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from station_tui.assessment import indexes
from station_tui.errors import InputError
from station_tui.records.center import CENTER_RECORDS
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


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///…`` URL, or None for another database."""
    if not url.startswith("sqlite:"):
        return None
    return Path(urlparse(url).path)


def open_server_db(url: str) -> Database:
    """``sqlite:///path`` (or a bare path) or ``postgresql://…``, pooled,
    with every model bound to it."""
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    scheme = urlparse(url).scheme
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
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


#: CENTER_STEPS[i] upgrades version i to i + 1; steps only add.
CENTER_STEPS: list[Step] = [_v1_create_tables, _v2_assessment_indexes]


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
