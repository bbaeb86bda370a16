"""Running ledger reads and writes in a worker thread.

Textual thread workers each run in a thread of their own; Peewee keeps one
SQLite connection per thread, so a worker closes its connection when done
rather than leaving it for the garbage collector.
"""

from __future__ import annotations

import logging
from typing import Callable, TypeVar

from peewee import DatabaseError

from station_tui.errors import StorageError
from station_tui.records import database_proxy

log = logging.getLogger(__name__)

T = TypeVar("T")


def in_worker(job: Callable[[], T]) -> T:
    """Run ``job`` and close this thread's database connection afterwards.

    A database failure (a disk full, a lock held past the busy timeout)
    becomes a StorageError with a message for the partner, so that the
    screen reports it instead of the app stopping; the transaction was
    rolled back, so nothing was half-saved.
    """
    try:
        return job()
    except DatabaseError as exc:
        log.exception("database error in a worker")
        raise StorageError(f"数据库暂时不能写入，请稍后再试（{exc}）") from exc
    finally:
        database_proxy.obj.close()
