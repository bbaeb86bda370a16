"""Running ledger reads and writes in a worker thread.

Textual thread workers each run in a thread of their own; Peewee keeps one
SQLite connection per thread, so a worker closes its connection when done
rather than leaving it for the garbage collector.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from station_tui.records import database_proxy

T = TypeVar("T")


def in_worker(job: Callable[[], T]) -> T:
    """Run ``job`` and close this thread's database connection afterwards."""
    try:
        return job()
    finally:
        database_proxy.obj.close()
