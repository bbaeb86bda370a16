"""Pickup: find waiting parcels by code, last four digits or number."""

from __future__ import annotations

import logging

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from station_tui.errors import StationError
from station_tui.operations import parcels_in
from station_tui.records import ParcelIn
from station_tui.ui.screens.parcel_rows import IN_COLUMNS, in_row, in_worker_thread
from station_tui.ui.widgets.form_field import FormField, show_error
from station_tui.ui.widgets.paged_table import fit_cell

log = logging.getLogger(__name__)


class PickupModal(ModalScreen[int]):
    """Type a code, last four or tracking number; Enter on a row hands it out.

    Returns how many parcels were picked up. Several parcels may match the
    last four digits: each is handed out on its own Enter, so the partner
    checks every one against the shelf.
    """

    DEFAULT_CSS = """
    PickupModal {
        align: center middle;
    }
    PickupModal > Vertical {
        width: 100;
        height: 80%;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    PickupModal DataTable {
        height: 1fr;
    }
    PickupModal .pickup-modal--hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "close", "关闭")]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self.picked = 0
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield FormField("取件码 / 手机后四位 / 快递单号", name="query",
                            value=self._initial, placeholder="例如 B3-017 或 1111")
            yield FormField("代取人姓名（本人取件留空）", name="proxy_name")
            table: DataTable[object] = DataTable(cursor_type="row", id="matches")
            yield table
            yield Static("Enter 查找；在列表中 Enter 取件；Esc 关闭",
                         classes="pickup-modal--hint")

    def on_mount(self) -> None:
        table = self.query_one("#matches", DataTable)
        for key, label in IN_COLUMNS:
            table.add_column(label, key=key)
        if self._initial:
            self._search(self._initial)

    @on(Input.Submitted, "#input-query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#input-proxy_name")
    def _proxy_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#matches", DataTable).focus()

    def _search(self, text: str) -> None:
        self._generation += 1
        self._find(self._generation, text)

    @work(thread=True, exclusive=True, group="pickup-find")
    def _find(self, generation: int, text: str) -> None:
        try:
            found = in_worker_thread(lambda: parcels_in.find_for_pickup(text))
            error = None
        except StationError as exc:
            found, error = [], exc.message
        self.app.call_from_thread(self._show, generation, found, error)

    def _show(self, generation: int, found: list[ParcelIn], error: str | None) -> None:
        if generation != self._generation:
            return
        field = self.query_one("#field-query", FormField)
        table = self.query_one("#matches", DataTable)
        table.clear()
        if error:
            field.show_error(error)
            return
        for parcel in found:
            row = in_row(parcel)
            table.add_row(*(fit_cell(c) for c in row.cells), key=row.key)
        table.focus()

    @on(DataTable.RowSelected, "#matches")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = str(event.row_key.value)
        proxy = self.query_one("#field-proxy_name", FormField)
        by = "proxy" if proxy.value.strip() else "self"
        try:
            parcel = parcels_in.pickup(key, by=by, proxy_name=proxy.value)
        except StationError as exc:
            if not show_error(self, exc):
                self.notify(exc.message, severity="error")
            return
        self.picked += 1
        event.data_table.remove_row(event.row_key)
        who = f"（代取：{parcel.proxy_name}）" if parcel.proxy_name else ""
        self.notify(f"已取件：{parcel.pickup_code} {parcel.tracking_no}{who}")
        if event.data_table.row_count == 0:
            self.dismiss(self.picked)

    def action_close(self) -> None:
        self.dismiss(self.picked)
