"""Database access from thread workers."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from peewee import DatabaseError

from station_tui.errors import StorageError
from station_tui.records import database_proxy

log = logging.getLogger(__name__)

T = TypeVar("T")


@contextmanager
def worker_connection() -> Iterator[None]:
    """A SQLite connection of this worker thread's own, closed afterwards.

    Peewee keeps one connection per thread; a worker thread comes from a
    pool, so closing here keeps a finished worker from leaving one open.
    """
    with database_proxy.obj.connection_context():
        yield


def in_worker(job: Callable[[], T]) -> T:
    """Run ``job`` on this worker's own connection, closed afterwards.

    A database failure (a disk full, a lock held past the busy timeout)
    becomes a StorageError with a message for the partner, so that the
    screen reports it instead of the app stopping; the transaction was
    rolled back, so nothing was half-saved.
    """
    try:
        with worker_connection():
            return job()
    except DatabaseError as exc:
        log.exception("database error in a worker")
        raise StorageError(f"数据库暂时不能写入，请稍后再试（{exc}）") from exc
