"""Import peewee for a process that only ever opens SQLite.

peewee tries to import every database driver it supports when it is first
imported. On a station PC that has the server's PostgreSQL driver installed
that probe costs about 10 ms of the app's cold start, for a driver the
station app never uses. A ``None`` entry in ``sys.modules`` makes each of
those imports fail at once; the entries are removed again afterwards, so
that only peewee's own probe is skipped.
"""

from __future__ import annotations

import sys

#: The optional drivers peewee probes for at import (peewee 4).
PROBED_DRIVERS = ("pysqlite3", "psycopg2cffi", "psycopg2", "psycopg",
                  "pymysql", "MySQLdb")


def import_peewee_without_server_drivers() -> None:
    """Import peewee with its driver probe skipped, unless already imported."""
    if "peewee" in sys.modules:
        return
    blocked = [name for name in PROBED_DRIVERS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]
