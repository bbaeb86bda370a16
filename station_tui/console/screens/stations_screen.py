"""Every station with its status and sync state, paged from the server and
filtered by township, status and a code or name."""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Select

from station_tui.console.client import (
    ConsoleClient,
    ConsoleError,
    ServerUnreachable,
)
from station_tui.console.labels import STATION_STATUS, choices
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.select_options import set_options_keeping
from station_tui.domain import clock
from station_tui.ui.widgets.paged_table import PagedRow, PagedTable

log = logging.getLogger(__name__)

COLUMNS = [("code", "编码"), ("name", "站点"), ("town", "乡镇"), ("status", "状态"),
           ("partner", "合伙人"), ("synced", "最近同步"), ("clock", "时钟"),
           ("waiting", "待上传"), ("set_aside", "搁置"), ("flags", "待认可")]
#: Typing in the search box waits this long for the next key.
SEARCH_DELAY = 0.12


def station_cells(row: dict[str, Any]) -> tuple[str | Text, ...]:
    status = row["status"]
    offset = row.get("clock_offset")
    clock_text = Text("—" if offset is None else f"{offset:+d} 秒")
    if row.get("clock_flagged"):
        clock_text = Text(f"⚠ {offset:+d} 秒", style="bold red")
    set_aside = row.get("set_aside") or 0
    flags = row.get("open_clock_flags") or 0
    waiting = row.get("changes_waiting")
    return (
        row["code"], row["name"], row["town"],
        Text(STATION_STATUS.get(status, status),
             style="" if status == "active" else "bold yellow"),
        row.get("partner") or "",
        clock.format_time(row["last_received_at"]) if row.get("last_received_at")
        else "从未同步",
        clock_text,
        # None: the station's client is too old to say, or it never synced.
        Text("—" if waiting is None else str(waiting),
             style="bold yellow" if waiting else "dim"),
        Text(str(set_aside), style="bold red" if set_aside else "dim"),
        Text(str(flags), style="bold yellow" if flags else "dim"),
    )


class StationsScreen(ConsoleScreen):
    """The station registry as staff see it."""

    DEFAULT_CSS = """
    StationsScreen #filters {
        height: auto;
        padding: 0 1;
    }
    StationsScreen #filters Select {
        width: 24;
    }
    StationsScreen #search {
        width: 1fr;
    }
    StationsScreen #count {
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("enter", "open", "详情", show=True),
        Binding("ctrl+f", "focus_search", "查找"),
        Binding("ctrl+r", "reload", "刷新"),
    ]

    class TotalKnown(Message):
        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    class PageFailed(Message):
        def __init__(self, error: ConsoleError) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="filters"):
            yield Select([], prompt="全部乡镇", id="town")
            yield Select(choices(STATION_STATUS), prompt="全部状态", id="status")
            yield Input(placeholder="站点编码或名称", id="search")
        yield Label("", id="count")
        yield PagedTable(COLUMNS, page_size=60, id="stations")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "站点"
        self.call("towns", lambda client: client.towns())
        self.apply_filters()
        self.query_one(PagedTable).focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def filters(self) -> dict[str, str | None]:
        town = self.query_one("#town", Select).value
        status = self.query_one("#status", Select).value
        return {
            "town": town if isinstance(town, str) else None,
            "status": status if isinstance(status, str) else None,
            "q": self.query_one("#search", Input).value.strip() or None,
        }

    def apply_filters(self) -> None:
        filters = self.filters()
        client = self.console.client
        self.table.show(lambda after, size: self._page(client, filters, after, size))

    def _page(self, client: ConsoleClient, filters: dict[str, str | None],
              after: Hashable | None, size: int) -> Sequence[PagedRow]:
        """A page of stations; runs in the table's worker thread."""
        try:
            answer = client.stations(after=str(after) if after else None,
                                     limit=size, **filters)
        except ConsoleError as exc:
            self.console.note_connection(not isinstance(exc, ServerUnreachable))
            self.post_message(self.PageFailed(exc))
            return []
        self.console.note_connection(True)
        if answer.get("total") is not None:
            self.post_message(self.TotalKnown(answer["total"]))
        return [PagedRow(r["code"], r["code"], station_cells(r))
                for r in answer["rows"]]

    def answer_towns(self, towns: list[dict[str, Any]]) -> None:
        set_options_keeping(self.query_one("#town", Select),
                            [(f"{t['town']}（{t['stations']}）", t["town"])
                             for t in towns])

    @on(TotalKnown)
    def _total(self, event: TotalKnown) -> None:
        event.stop()
        self.query_one("#count", Label).update(f"共 {event.total} 个站点")

    @on(PageFailed)
    def _page_failed(self, event: PageFailed) -> None:
        event.stop()
        self.show_failure(event.error)

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.apply_filters()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.apply_filters)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        code = self.table.current_key
        if code is None:
            return
        from station_tui.console.screens.station_detail_screen import (
            StationDetailScreen,
        )

        self.app.push_screen(StationDetailScreen(code))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_reload(self) -> None:
        self.call("towns", lambda client: client.towns())
        self.apply_filters()

    def on_reconnected(self) -> None:
        self.action_reload()
