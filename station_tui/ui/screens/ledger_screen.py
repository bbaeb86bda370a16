"""The ledger (台账): search every kind of record, page through, export."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    ProgressBar,
    Select,
    Static,
)
from textual.widgets.data_table import ColumnKey

from station_tui.errors import FieldChecks, StationError
from station_tui.exports import Format, default_export_path, export_ledger
from station_tui.exports.ledger_table import LIST_COLUMNS, row_text
from station_tui.operations.ledger_search import (
    ALL_KINDS,
    KIND_LABELS,
    PAGE_SIZE,
    TRANSACTION_KINDS,
    Cursor,
    Hit,
    Kind,
    LedgerQuery,
    count_hits,
    reread,
    search_page,
)
from station_tui.records import database_proxy
from station_tui.ui.screens.ledger_export_modal import LedgerExportModal
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    show_error,
    values,
)

log = logging.getLogger(__name__)

KIND_CHOICES: list[tuple[str, str]] = [
    ("全部台账", "all"), *((KIND_LABELS[k], k) for k in ALL_KINDS),
]


#: A voided record stays listed, struck through, its status standing out,
#: so that it never reads as live (an order voided for a typo in 1,000,000).
VOIDED_STYLE = "dim strike"
VOIDED_STATUS_STYLE = "bold red"


#: A listed row: its key (the record's uuid), its kind and its cells.
Row = tuple[str, Kind, list[str | Text]]


def _row(hit: Hit) -> list[str | Text]:
    """A record's cells for the list; a voided record's marked as such."""
    texts = row_text(hit)
    if not hit.record.voided:
        plain: list[str | Text] = [*texts]
        return plain
    return [
        Text(text, style=VOIDED_STATUS_STYLE if column.key == "status"
             else VOIDED_STYLE)
        for column, text in zip(LIST_COLUMNS, texts)
    ]


class LedgerScreen(Screen[None]):
    """Search all ledgers a page at a time; export what was found."""

    DEFAULT_CSS = """
    LedgerScreen {
        layout: vertical;
        padding: 0 1;
    }
    LedgerScreen #ledger-filters {
        height: auto;
    }
    LedgerScreen #field-text {
        width: 2fr;
        min-width: 24;
    }
    LedgerScreen #field-date_from, LedgerScreen #field-date_to {
        width: 16;
    }
    /* At 80 columns the buttons give their room to 查找: Enter searches
       and Ctrl+E (in the footer) exports. */
    LedgerScreen.-narrow #ledger-filters Button {
        display: none;
    }
    LedgerScreen.-narrow #field-date_from, LedgerScreen.-narrow #field-date_to {
        width: 15;
    }
    LedgerScreen #ledger-kind {
        width: 18;
        margin-top: 1;
    }
    LedgerScreen #ledger-filters Button {
        margin: 1 0 0 1;
    }
    LedgerScreen #ledger-table {
        height: 1fr;
    }
    LedgerScreen #ledger-status {
        height: 1;
        color: $text-muted;
    }
    LedgerScreen #ledger-progress {
        display: none;
    }
    LedgerScreen #ledger-progress.-exporting {
        display: block;
    }
    """

    BINDINGS = [
        Binding("ctrl+f", "focus_search", "查找"),
        # priority: an Input would take ctrl+e as "end of line" first.
        Binding("ctrl+e", "export", "导出", priority=True),
    ]

    class PageLoaded(Message):
        """A page of rows was read for search number ``generation``."""

        def __init__(self, generation: int, rows: list[Row],
                     cursor: Cursor | None, first: bool) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows
            self.cursor = cursor
            self.first = first

    class RowsRedrawn(Message):
        """The listed rows of search ``generation``, read again."""

        def __init__(self, generation: int, rows: list[Row]) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows

    class Counted(Message):
        """The number of records the search ``generation`` finds."""

        def __init__(self, generation: int, total: int) -> None:
            super().__init__()
            self.generation = generation
            self.total = total

    class ExportProgressed(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class ExportFinished(Message):
        def __init__(self, path: Path, count: int, seconds: float) -> None:
            super().__init__()
            self.path = path
            self.count = count
            self.seconds = seconds

    class ExportFailed(Message):
        def __init__(self, path: Path, reason: str) -> None:
            super().__init__()
            self.path = path
            self.reason = reason

    def __init__(self) -> None:
        super().__init__()
        self._query = LedgerQuery()
        self._generation = 0
        self._cursor: Cursor | None = None
        self._loading = False
        self._total: int | None = None
        self._format: Format = "csv"
        self._exporting = False
        #: The kind of each listed row, by key, to read the rows again.
        self._kinds: dict[str, Kind] = {}
        self._columns: list[ColumnKey] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="ledger-filters"):
            yield FormField("查找", name="text",
                            placeholder="手机后四位 / 姓名 / 拼音首字母 / 单号")
            yield Select(KIND_CHOICES, value="all", allow_blank=False,
                         id="ledger-kind")
            yield FormField("从", name="date_from", placeholder="例：2026-04-01")
            yield FormField("到", name="date_to", placeholder="例：2026-04-30")
            yield Button("查询", id="search", variant="primary")
            yield Button("导出 (Ctrl+E)", id="export")
        yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ledger-status", markup=False)
        yield ProgressBar(id="ledger-progress", show_eta=False)

    def on_mount(self) -> None:
        table = self.query_one("#ledger-table", DataTable)
        self._columns = table.add_columns(*(c.header for c in LIST_COLUMNS))
        self._start_search(LedgerQuery())

    def on_screen_resume(self) -> None:
        # Another screen may have changed listed records (a villager's data
        # erased, an order voided): redraw them in place, so the list keeps
        # its pages and cursor; a new search brings in new records.
        if self._kinds and not self._loading:
            by_kind: dict[Kind, list[str]] = {}
            for key, kind in self._kinds.items():
                by_kind.setdefault(kind, []).append(key)
            self._redraw(self._generation, by_kind)

    @work(thread=True, group="ledger-redraw")
    def _redraw(self, generation: int, by_kind: dict[Kind, list[str]]) -> None:
        with database_proxy.connection_context():
            rows: list[Row] = [
                (str(hit.record.uuid), kind, _row(hit))
                for kind, keys in by_kind.items()
                for hit in reread(kind, keys)
            ]
        self.post_message(self.RowsRedrawn(generation, rows))

    @on(RowsRedrawn)
    def _show_redrawn(self, event: RowsRedrawn) -> None:
        if event.generation != self._generation:  # a newer search is listed
            return
        table = self.query_one("#ledger-table", DataTable)
        for key, _kind, cells in event.rows:
            if key not in table.rows:
                continue
            for column, cell in zip(self._columns, cells):
                table.update_cell(key, column, cell, update_width=True)

    def action_focus_search(self) -> None:
        self.query_one("#input-text", Input).focus()

    # Searching ---------------------------------------------------------

    def _read_query(self) -> LedgerQuery | None:
        from station_tui.domain.clock import parse_day

        clear_errors(self)
        typed = values(self)
        kind = self.query_one("#ledger-kind", Select).value
        kinds: tuple[Kind, ...] = (
            TRANSACTION_KINDS if kind == "all" else (kind,)  # type: ignore[assignment]
        )
        checks = FieldChecks()
        days = {
            name: checks.take(parse_day, typed[name], field=name)
            if typed[name].strip() else None
            for name in ("date_from", "date_to")
        }
        try:
            checks.raise_all()
            return LedgerQuery(text=typed["text"], kinds=kinds, **days)
        except StationError as error:
            if not show_error(self, error):
                self.notify(error.message, severity="error")
            return None

    @on(Input.Submitted)
    @on(Button.Pressed, "#search")
    @on(Select.Changed, "#ledger-kind")
    def _search(self, event: Message) -> None:
        event.stop()
        query = self._read_query()
        if query is not None:
            self._start_search(query)

    def _start_search(self, query: LedgerQuery) -> None:
        self._query = query
        self._generation += 1
        self._cursor = None
        self._total = None
        self._loading = True
        self.query_one("#ledger-status", Static).update("正在查询……")
        self._load_page(self._generation, query, None)
        self._count(self._generation, query)

    @work(thread=True, group="ledger-page")
    def _load_page(self, generation: int, query: LedgerQuery,
                   after: Cursor | None) -> None:
        started = time.perf_counter()
        with database_proxy.connection_context():
            page = search_page(query, after, PAGE_SIZE)
        rows: list[Row] = [(str(hit.record.uuid), hit.kind, _row(hit))
                           for hit in page.hits]
        log.debug("ledger page of %d rows in %.1f ms", len(rows),
                  (time.perf_counter() - started) * 1000)
        self.post_message(
            self.PageLoaded(generation, rows, page.next_cursor, after is None))

    @work(thread=True, group="ledger-count")
    def _count(self, generation: int, query: LedgerQuery) -> None:
        with database_proxy.connection_context():
            total = count_hits(query)
        self.post_message(self.Counted(generation, total))

    @on(PageLoaded)
    def _show_page(self, event: PageLoaded) -> None:
        if event.generation != self._generation:  # an older search
            return
        table = self.query_one("#ledger-table", DataTable)
        if event.first:
            table.clear()
            self._kinds = {}
        for key, kind, cells in event.rows:
            table.add_row(*cells, key=key)
            self._kinds[key] = kind
        self._cursor = event.cursor
        self._loading = False
        self._show_status()

    @on(Counted)
    def _show_count(self, event: Counted) -> None:
        if event.generation == self._generation:
            self._total = event.total
            self._show_status()

    def _show_status(self) -> None:
        shown = self.query_one("#ledger-table", DataTable).row_count
        total = "" if self._total is None else f"，共 {self._total} 条"
        more = "，移到最后一行自动载入下一页" if self._cursor else ""
        if self._loading:
            more = "，正在载入……"
        self.query_one("#ledger-status", Static).update(
            f"已显示 {shown} 条{total}{more}")

    @on(DataTable.RowHighlighted, "#ledger-table")
    def _maybe_next_page(self, event: DataTable.RowHighlighted) -> None:
        at_end = event.cursor_row >= event.data_table.row_count - 1
        if at_end and self._cursor is not None and not self._loading:
            self._loading = True
            self._show_status()
            self._load_page(self._generation, self._query, self._cursor)

    # Exporting ---------------------------------------------------------

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self._exporting:
            self.notify("上一次导出还没有完成", severity="warning")
            return
        count = "正在统计条数" if self._total is None else f"共 {self._total} 条"
        query = self._query

        def chosen(answer: tuple[Path, Format] | None) -> None:
            if answer is not None:
                self._format = answer[1]
                self._export(query, *answer)

        self.app.push_screen(
            LedgerExportModal(default_export_path(self._format), self._format,
                              f"当前查询结果{count}。"),
            chosen,
        )

    @work(thread=True, group="ledger-export")
    def _export(self, query: LedgerQuery, path: Path, fmt: Format) -> None:
        self._exporting = True
        started = time.perf_counter()
        try:
            with database_proxy.connection_context():
                total = count_hits(query)
                self.post_message(self.ExportProgressed(0, total))
                count = export_ledger(
                    query, path, fmt,
                    progress=lambda n: self.post_message(
                        self.ExportProgressed(n, total)),
                )
        except OSError as error:
            log.warning("export to %s failed: %s", path, error)
            self.post_message(self.ExportFailed(path, error.strerror or str(error)))
            return
        finally:
            self._exporting = False
        self.post_message(
            self.ExportFinished(path, count, time.perf_counter() - started))

    @on(ExportProgressed)
    def _show_progress(self, event: ExportProgressed) -> None:
        bar = self.query_one("#ledger-progress", ProgressBar)
        bar.add_class("-exporting")
        bar.update(total=max(event.total, 1), progress=event.done)

    @on(ExportFinished)
    def _exported(self, event: ExportFinished) -> None:
        self.query_one("#ledger-progress", ProgressBar).remove_class("-exporting")
        self.notify(f"已导出 {event.count} 条到 {event.path}"
                    f"（{event.seconds:.1f} 秒）", timeout=10)

    @on(ExportFailed)
    def _export_failed(self, event: ExportFailed) -> None:
        self.query_one("#ledger-progress", ProgressBar).remove_class("-exporting")
        self.notify(f"导出到 {event.path} 失败：{event.reason}", severity="error",
                    timeout=15)
