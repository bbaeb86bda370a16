"""Schema versions and the steps between them.

Each step runs in its own transaction together with the version bump, so an
upgrade killed half-way leaves the previous version intact and simply runs
again at the next start (case C09). Steps must only add: a release never
drops a column a record still holds.
"""

from __future__ import annotations

import logging
from typing import Callable

from peewee import Database, IntegerField, SqliteDatabase

from station_tui.errors import StorageError
from station_tui.records import LOCAL_TABLES, BaseModel

log = logging.getLogger(__name__)


class SchemaVersion(BaseModel):
    """One row: the schema version this database has reached."""

    version = IntegerField()

    class Meta:
        table_name = "schema_version"


def _v1_create_tables(db: Database) -> None:
    # Imported in the steps: a database already up to date (every start
    # but the first) needs no ledger models to say so.
    from station_tui.records import STATION_RECORDS

    db.create_tables([*STATION_RECORDS, *LOCAL_TABLES], safe=True)


def _v2_sync_tables(db: Database) -> None:
    """Additive: the sync log and local copies of what the center sends down.

    Every center model with ``pull_to_station`` gets its table, so the
    station's preview reads them with the same models as the server.
    """
    from station_tui.records.center import CENTER_RECORDS
    from station_tui.records.local import SyncRound

    pulled = [m for m in CENTER_RECORDS if getattr(m, "pull_to_station", False)]
    db.create_tables([SyncRound, *pulled], safe=True)


def _v3_day_indexes(db: Database) -> None:
    """Additive: an index on each record table's Shanghai day.

    The today screen and the daily report sum one day's records; without it
    each sum scans the whole table (30 ms at 200,000 parcels). Station
    databases only: the center's own indexes serve its per-period sums.
    """
    from station_tui.records import STATION_RECORDS

    for model in STATION_RECORDS:
        table = model._meta.table_name
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_happened_day" '
                       f'ON "{table}" ("happened_day")')


def _v4_letter_initials(db: Database) -> None:
    """Pinyin initials hold the letters a–z only (digits, signs, emoji and
    Han characters without a reading are skipped): recompute the ones an
    earlier release stored with anything else, so a prefix search finds
    them. Initials are a local search helper: no outbox row, no version.
    """
    from station_tui.domain.pinyin import initials
    from station_tui.records import STATION_RECORDS

    for model in STATION_RECORDS:
        if "name_initials" not in model.local_fields:
            continue
        table = model._meta.table_name
        name = model._meta.fields[model.personal_fields[0]].column_name
        stale = db.execute_sql(
            f'SELECT "uuid", "{name}" FROM "{table}" '
            "WHERE \"name_initials\" GLOB '*[^a-z]*'").fetchall()
        for key, person in stale:
            db.execute_sql(f'UPDATE "{table}" SET "name_initials" = ? '
                           'WHERE "uuid" = ?', (initials(person), key))


Step = Callable[[Database], None]

#: STEPS[i] upgrades version i to i + 1.
STEPS: list[Step] = [_v1_create_tables, _v2_sync_tables, _v3_day_indexes,
                     _v4_letter_initials]

LATEST = len(STEPS)


def current_version(db: Database) -> int:
    if not SchemaVersion.table_exists():
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def migrate(db: Database, steps: list[Step] | None = None) -> int:
    """Bring ``db`` to the latest schema; returns the version reached."""
    steps = STEPS if steps is None else steps
    with db.bind_ctx([SchemaVersion]):
        db.create_tables([SchemaVersion], safe=True)
        version = current_version(db)
        if version > len(steps):
            raise StorageError(
                f"数据库版本 {version} 比本程序（{len(steps)}）新，请升级 station-tui"
            )
        while version < len(steps):
            log.info("upgrading schema %d -> %d", version, version + 1)
            atomic = (
                db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase)
                else db.atomic()
            )
            with atomic:
                steps[version](db)
                SchemaVersion.delete().execute()
                SchemaVersion.create(version=version + 1)
            version += 1
    return version
