"""Opening the center database: SQLite (WAL) or PostgreSQL, pooled.

Request handlers run in a thread pool; each unit of work opens its
connection with ``db.connection_context()`` in the thread that uses it, so
a pooled connection is never shared between threads or requests.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database
from playhouse.db_url import parse as parse_url
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

from station_tui.errors import StorageError
from station_tui.storage.db import SQLITE_PRAGMAS, bind

log = logging.getLogger(__name__)

#: A little below FastAPI's thread pool (40), waiting rather than failing.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 30}


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
    """Connect to ``url`` and bind every model to it."""
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
        raise StorageError(
            f"不支持的数据库地址“{url}”：请用 sqlite:///路径 或 postgresql://…"
        )
    bind(db)
    log.info("center database %s", redacted(url))
    return db


def redacted(url: str) -> str:
    """``url`` without its password, for logs."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
