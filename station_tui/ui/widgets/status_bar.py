"""The bottom line of every screen: station, sync state, Shanghai time."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from station_tui.domain import clock
from station_tui.ui.formatting import weekday


class StatusBar(Horizontal):
    """Station name and code, what sync last did, and the Shanghai clock.

    Each screen has its own bar; every bar mirrors the app's
    ``station_text`` and ``sync_text`` reactives when the app has them, so
    sync work sets ``app.sync_text`` once and every screen shows it.
    """

    DEFAULT_CSS = """
    StatusBar {
        split: bottom;
        height: 1;
        background: $panel;
        color: $text;
    }
    StatusBar > Label {
        height: 1;
        padding: 0 1;
    }
    StatusBar > #status-station {
        text-style: bold;
    }
    StatusBar > #status-sync {
        width: 1fr;
        color: $text-muted;
    }
    """

    station_text: reactive[str] = reactive("")
    """Station name and code."""
    sync_text: reactive[str] = reactive("")
    """What sync last did; empty until sync work fills it."""
    clock_text: reactive[str] = reactive("")
    """Date, weekday and time in Shanghai."""

    def compose(self) -> ComposeResult:
        yield Label(id="status-station")
        yield Label(id="status-sync")
        yield Label(id="status-clock")

    def on_mount(self) -> None:
        for name in ("station_text", "sync_text"):
            if hasattr(self.app, name):
                self.watch(self.app, name, self._mirror(name))
        self._tick()
        self.set_interval(1.0, self._tick)

    def _mirror(self, name: str) -> Callable[[str], None]:
        def copy(value: str) -> None:
            setattr(self, name, value)

        return copy

    def _tick(self) -> None:
        now = clock.now()
        day = clock.local_date(now)
        self.clock_text = (
            f"{day.isoformat()} {weekday(day)} {clock.format_time(now, '%H:%M')}"
        )

    def watch_station_text(self, text: str) -> None:
        self.query_one("#status-station", Label).update(text)

    def watch_sync_text(self, text: str) -> None:
        self.query_one("#status-sync", Label).update(text)

    def watch_clock_text(self, text: str) -> None:
        self.query_one("#status-clock", Label).update(text)
