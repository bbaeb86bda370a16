"""One line saying how sync stands: last sync, waiting changes, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from station_tui.domain import clock
from sync.client.rounds import SyncStatus as Status

if TYPE_CHECKING:
    from station_tui.ui.sync_controller import SyncController


def describe(status: Status | None) -> str:
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


class SyncStatus(Static):
    """The sync status line; reads the app's ``SyncController``.

    It only reads the controller's latest status from memory, twice a
    second, so it costs nothing and works on every screen it is put on.
    """

    DEFAULT_CSS = """
    SyncStatus {
        height: 1;
        width: 1fr;
        color: $text-muted;
        padding: 0 1;
    }
    SyncStatus.-warning {
        color: $warning;
    }
    SyncStatus.-error {
        color: $error;
    }
    """

    def __init__(self, controller: SyncController | None = None, *,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self._controller = controller
        self._shown: Status | None | bool = False

    @property
    def controller(self) -> SyncController | None:
        return self._controller or getattr(self.app, "sync_controller", None)

    def on_mount(self) -> None:
        self._refresh_status()
        self.set_interval(0.5, self._refresh_status)

    def _refresh_status(self) -> None:
        controller = self.controller
        status = controller.status if controller else None
        if status is self._shown:
            return
        self._shown = status
        self.update(describe(status))
        has_error = bool(status and status.error and not status.running)
        self.set_class(has_error, "-error")
        self.set_class(bool(status and (status.clock_warning or status.set_aside))
                       and not has_error, "-warning")
