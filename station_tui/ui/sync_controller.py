"""Background sync for the station app: rounds in a thread worker.

The app makes one controller on mount and calls ``start()``; a round runs
every ``interval`` seconds and on ``sync_now()``. Recording never waits:
the round runs in a worker thread with its own database connection and
only short write transactions, and the result comes back as a
``SyncController.StatusChanged`` message posted to the app.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Callable

from textual.message import Message

from station_tui.domain import clock

from sync.client.http import CenterClient
from sync.client.rounds import SyncStatus, crash_message, read_status, run_round

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300.0


#: Seconds a round in the app may spend on failed tries and waits.
BACKGROUND_RETRY_BUDGET_S = 30.0


def _background_client(url: str, token: str, **kwargs: Any) -> CenterClient:
    # Fewer, shorter tries than a scheduled task: the next round comes soon.
    return CenterClient(url, token, timeout=15.0, attempts=3, max_backoff=10.0,
                        retry_budget=BACKGROUND_RETRY_BUDGET_S, **kwargs)


class SyncController:
    """Starts sync rounds without blocking the app; keeps the latest status."""

    class StatusChanged(Message):
        """The sync status changed (a round started, progressed or ended)."""

        def __init__(self, status: SyncStatus) -> None:
            super().__init__()
            self.status = status

    def __init__(self, app: App, *, interval: float = DEFAULT_INTERVAL_S,
                 client_factory: Callable[[str, str], CenterClient] | None = None
                 ) -> None:
        self.app = app
        self.interval = interval
        self.client_factory = client_factory or _background_client
        self.status: SyncStatus | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def start(self) -> None:
        """Show the stored status now, then sync now and every interval."""
        self.app.set_interval(self.interval, self.sync_now, name="sync")
        self.sync_now()

    def sync_now(self) -> None:
        """Start a round unless one is running."""
        if self.running:
            return
        self.app.run_worker(self._round, name="sync round", group="sync",
                            thread=True, exit_on_error=False)

    def _publish(self, status: SyncStatus) -> None:
        self.status = status
        self.app.post_message(self.StatusChanged(status))

    def _progress(self, done: int, total: int) -> None:
        base = self.status or SyncStatus(None, total - done, 0, None, None)
        self._publish(SyncStatus(base.last_ok_at, total - done, base.set_aside,
                                 None, base.clock_warning, True, (done, total)))

    def _publish_crash(self, exc: Exception) -> None:
        """End the round on the status line even though it crashed.

        Without this the line would say 正在同步… for good.
        """
        base = self.status or SyncStatus(None, 0, 0, None, None)
        self._publish(SyncStatus(
            base.last_ok_at, base.pending, base.set_aside,
            crash_message(exc),
            base.clock_warning, running=False,
        ))

    def _round(self) -> None:
        if not self._lock.acquire(blocking=False):
            return
        from station_tui.records import database_proxy

        try:
            before = read_status()
            self._publish(SyncStatus(before.last_ok_at, before.pending,
                                     before.set_aside, before.error,
                                     before.clock_warning, running=True))
            run_round(progress=self._progress, client_factory=self.client_factory)
            self._publish(read_status())
        except Exception as exc:  # a worker must not take the app down with it
            log.exception("sync round crashed")
            self._publish_crash(exc)
        finally:
            database_proxy.obj.close()  # this thread's connection
            self._lock.release()


def describe(status: SyncStatus | None) -> str:
    """The status line's text (Chinese)."""
    if status is None:
        return "同步：读取中…"
    parts = []
    if status.running and status.progress:
        done, total = status.progress
        parts.append(f"正在同步 {done}/{total}")
    elif status.running:
        parts.append("正在同步…")
    last = clock.format_time(status.last_ok_at, "%m-%d %H:%M")
    parts.append(f"上次同步 {last}" if last else "尚未同步")
    parts.append(f"待上传 {status.pending} 条")
    if status.set_aside:
        parts.append(f"退回 {status.set_aside} 条待处理")
    if status.error and not status.running:
        parts.append(f"错误：{status.error}")
    if status.clock_warning:
        parts.append(status.clock_warning)
    return " · ".join(parts)
