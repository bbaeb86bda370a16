"""The center database's schema and its migrations.

Same mechanism as the station's (``station_tui.storage.migrations``): each
step runs in a transaction with the version bump, and steps only add. On
PostgreSQL an advisory lock makes several servers starting at once upgrade
one after the other.
"""

from __future__ import annotations

import secrets

from peewee import Database, PostgresqlDatabase

from station_tui.records.center import CENTER_RECORDS
from station_tui.storage.migrations import Step, migrate
from sync.server.models import SERVER_RECORDS, SERVER_TABLES, ServerSetting

_LOCK_KEY = 0x57A7_10E5


def _v1_create_tables(db: Database) -> None:
    db.create_tables(
        [*SERVER_RECORDS.values(), *CENTER_RECORDS, *SERVER_TABLES], safe=True
    )
    # The county key for phone hashes: made once, the same for every worker.
    ServerSetting.insert(key="phone_key", value=secrets.token_hex(32)) \
        .on_conflict_ignore().execute()


SERVER_STEPS: list[Step] = [_v1_create_tables]


def migrate_server(db: Database) -> int:
    """Bring the center database to the latest schema."""
    with db.connection_context():
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
            try:
                return migrate(db, SERVER_STEPS)
            finally:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
        return migrate(db, SERVER_STEPS)


def phone_key() -> str:
    return ServerSetting.get_by_id("phone_key").value
