"""Database access from thread workers."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from station_tui.records import database_proxy


@contextmanager
def worker_connection() -> Iterator[None]:
    """A SQLite connection of this worker thread's own, closed afterwards.

    Peewee keeps one connection per thread; a worker thread comes from a
    pool, so closing here keeps a finished worker from leaving one open.
    """
    with database_proxy.obj.connection_context():
        yield
