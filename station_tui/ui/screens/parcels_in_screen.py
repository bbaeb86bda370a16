"""Parcels in (快递代收): scan to take in, notify, pick up, exceptions."""

from __future__ import annotations

import logging
from typing import get_args

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, Select, Static

from station_tui.domain.carriers import CARRIERS
from station_tui.errors import (
    DuplicateError,
    InputError,
    StationError,
    each_error,
)
from station_tui.operations import handovers, parcels_in
from station_tui.operations.parcel_common import load, parcel_in_label
from station_tui.records import Handover, ParcelIn
from station_tui.domain.labels import NOTIFY_METHOD
from station_tui.ui.screens.action_modal import ActionModal, ChoiceSpec, TextSpec
from station_tui.ui.screens.parcel_rows import IN_COLUMNS, in_fetcher, in_worker_thread
from station_tui.ui.screens.pickup_modal import PickupModal
from station_tui.ui.widgets.form_field import FormField, show_error
from station_tui.ui.widgets.paged_table import PagedTable
from station_tui.ui.widgets.scan_input import ScanInput

log = logging.getLogger(__name__)

FILTER_LABELS = {"waiting": "待取件", "all": "全部", "overdue": "滞留件"}
EXCEPTION_LABELS = {"damaged": "破损（站内）", "lost": "丢失", "refused": "拒收",
                    "returned": "退回寄件人"}
#: Typing pauses this long before the list is searched.
SEARCH_DEBOUNCE_S = 0.15
#: After a burst of scans the list is refreshed once, not once per scan.
RELOAD_AFTER_SCAN_S = 0.3


def scan_refused(value: str, error: InputError) -> str:
    """Why a scan was not taken in: every wrong field, the number first.

    The scan field is already empty for the next scan, so the line names
    the number whenever it is the other fields that are wrong.
    """
    errors = each_error(error)
    text = "；".join(e.message for e in errors)
    if all(e.field != "tracking_no" for e in errors):
        text = f"单号“{value.strip()}”未入库：{text}"
    return text


class ParcelsInScreen(Screen[None]):
    """Scan mode: the cursor lives in the tracking-number field.

    Each Enter from the scanner is one parcel, saved in its own short
    transaction in the order scanned. The phone typed beforehand and the
    "damaged on arrival" toggle apply to the next scan only; the carrier
    and the incoming handover list stay until changed.
    """

    DEFAULT_CSS = """
    ParcelsInScreen #scan-bar {
        height: auto;
    }
    ParcelsInScreen #scan-bar > FormField {
        width: 20;
    }
    ParcelsInScreen #field-scan {
        width: 1fr;
        height: auto;
    }
    ParcelsInScreen #field-scan > Label {
        color: $text-muted;
    }
    ParcelsInScreen #scan-options {
        height: auto;
    }
    /* One line each at 80 columns too: the carrier box as wide as its
       longest name, the list box takes the rest, a long courier's name
       ends in … instead of making the box taller than its neighbours. */
    ParcelsInScreen #carrier {
        width: 22;
    }
    ParcelsInScreen #handover {
        width: 1fr;
    }
    ParcelsInScreen #damaged {
        width: auto;
    }
    ParcelsInScreen #scan-options SelectCurrent Static#label {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ParcelsInScreen #scan-result {
        height: 1;
        padding: 0 1;
    }
    ParcelsInScreen #scan-result.-error {
        color: $error;
    }
    ParcelsInScreen #scan-result.-warning {
        color: $warning;
    }
    ParcelsInScreen #search-bar {
        height: auto;
    }
    ParcelsInScreen #search {
        width: 1fr;
    }
    ParcelsInScreen #filter-label {
        width: auto;
        padding: 1 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+o", "pickup", "取件"),
        Binding("ctrl+n", "notify_recipient", "通知"),
        Binding("ctrl+b", "add_phone", "补手机号"),
        Binding("ctrl+r", "exception", "异常"),
        Binding("ctrl+y", "void", "作废"),
        Binding("ctrl+t", "toggle_damaged", "到站破损"),
        Binding("ctrl+g", "add_to_list", "加入交接单"),
        Binding("ctrl+l", "cycle_filter", "筛选"),
        Binding("ctrl+f", "focus_search", "搜索"),
        Binding("escape", "focus_scan", "扫描", show=False),
        Binding("up", "cursor('up')", show=False),
        Binding("down", "cursor('down')", show=False),
        Binding("pageup", "cursor('page_up')", show=False),
        Binding("pagedown", "cursor('page_down')", show=False),
    ]

    class ScanHandled(Message):
        """A scan was dealt with: ``stored``, ``duplicate`` or ``error``."""

        def __init__(self, value: str, outcome: str) -> None:
            super().__init__()
            self.value = value
            self.outcome = outcome

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.list_filter: parcels_in.ListFilter = "waiting"
        #: (scanned value, outcome) of every scan, in order: ``stored``,
        #: ``duplicate`` or ``error``; kept for the session's counts.
        self.scan_log: list[tuple[str, str]] = []
        self.duplicates = 0
        self._search_timer: Timer | None = None
        self._reload_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="scan-bar"):
            with Vertical(id="field-scan"):
                yield Label("快递单号（扫码枪直接扫）")
                yield ScanInput(placeholder="扫描或输入单号后回车", id="scan")
            yield FormField("手机号（可选，本件）", name="phone")
            yield FormField("姓名（可选）", name="name")
        with Horizontal(id="scan-options"):
            carriers = [("快递：自动识别", "")] + [
                (name, code) for code, name in CARRIERS.items()]
            yield Select(carriers, value="", allow_blank=False, id="carrier")
            yield Select([("不加入交接单", "")], value="", allow_blank=False,
                         id="handover")
            yield Checkbox("到站破损（下一件）", id="damaged")
        yield Static("", id="scan-result")
        with Horizontal(id="search-bar"):
            yield Input(placeholder="搜索：手机后四位 / 取件码 / 单号 / 拼音首字母",
                        id="search")
            yield Static("", id="filter-label")
        yield PagedTable(IN_COLUMNS, id="parcels")

    def on_mount(self) -> None:
        self.query_one("#damaged", Checkbox).can_focus = False
        self._show_list()
        self._load_open_lists()
        self.call_after_refresh(self.action_focus_scan)

    @property
    def scan_input(self) -> ScanInput:
        return self.query_one("#scan", ScanInput)

    @property
    def table(self) -> PagedTable:
        return self.query_one("#parcels", PagedTable)

    # --- scanning ------------------------------------------------------

    @on(ScanInput.Scanned, "#scan")
    def _scanned(self, event: ScanInput.Scanned) -> None:
        """Save one scan now, in its own transaction, before the next."""
        event.stop()
        outcome = self._save_scan(event.value)
        self.scan_log.append((event.value, outcome))
        self.post_message(self.ScanHandled(event.value, outcome))

    def _save_scan(self, value: str) -> str:
        phone_field = self.query_one("#field-phone", FormField)
        name_field = self.query_one("#field-name", FormField)
        damaged = self.query_one("#damaged", Checkbox)
        carrier = str(self.query_one("#carrier", Select).value) or None
        handover = str(self.query_one("#handover", Select).value) or None
        try:
            parcel = parcels_in.intake(
                value, carrier=carrier, phone=phone_field.value,
                name=name_field.value, damaged=damaged.value, handover=handover,
            )
        except DuplicateError as exc:
            self.duplicates += 1
            self._say(f"{exc.message}（本次共 {self.duplicates} 次重复）", "-warning")
            return "duplicate"
        except InputError as exc:
            # Focus stays in the scan field: the scanner's next keys go there.
            show_error(self.query_one("#scan-bar"), exc, focus=False)
            self._say(scan_refused(value, exc), "-error")
            return "error"
        except StationError as exc:
            self._say(exc.message, "-error")
            return "error"
        # Reset only what was set: each change costs a restyle, and the
        # scanner's next keys are already waiting.
        if phone_field.value:
            phone_field.value = ""
        if name_field.value:
            name_field.value = ""
        if damaged.value:
            damaged.value = False
        self._say(self._stored_text(parcel), "")
        self._schedule_reload()
        return "stored"

    def _stored_text(self, parcel: ParcelIn) -> str:
        carrier = CARRIERS.get(parcel.carrier, parcel.carrier)
        extra = "，到站破损已记录" if parcel.damaged_on_arrival else ""
        return (f"已入库 {parcel.tracking_no}（{carrier}）→ 取件码 "
                f"{parcel.pickup_code}，放 {parcel.shelf_slot[0]} 架 "
                f"{parcel.shelf_slot[1:]} 层{extra}")

    def _say(self, text: str, level: str) -> None:
        result = self.query_one("#scan-result", Static)
        result.set_classes(level)
        result.update(text)

    def _schedule_reload(self) -> None:
        if self._reload_timer is not None:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(RELOAD_AFTER_SCAN_S, self.table.reload)

    @on(Input.Submitted, "#input-phone, #input-name")
    def _phone_entered(self, event: Input.Submitted) -> None:
        """Enter after typing the phone goes back to the scan field."""
        event.stop()
        self.action_focus_scan()

    # --- the list --------------------------------------------------------

    def _show_list(self) -> None:
        search = self.query_one("#search", Input).value
        self.query_one("#filter-label", Static).update(
            f"筛选：{FILTER_LABELS[self.list_filter]}")
        self.table.show(in_fetcher(self.list_filter, search))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE_S, self._show_list)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_cycle_filter(self) -> None:
        order = list(get_args(parcels_in.ListFilter))
        self.list_filter = order[(order.index(self.list_filter) + 1) % len(order)]
        self._show_list()

    def action_cursor(self, direction: str) -> None:
        getattr(self.table, f"action_cursor_{direction}"
                if direction in ("up", "down") else f"action_{direction}")()

    def action_focus_scan(self) -> None:
        self.scan_input.focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_toggle_damaged(self) -> None:
        self.query_one("#damaged", Checkbox).toggle()

    # --- open incoming handover lists ----------------------------------

    @work(thread=True, exclusive=True, group="open-lists")
    def _load_open_lists(self) -> None:
        lists = in_worker_thread(handovers.open_incoming_lists)
        self.app.call_from_thread(self._set_open_lists, lists)

    def _set_open_lists(self, lists: list[Handover]) -> None:
        select = self.query_one("#handover", Select)
        current = select.value
        options = [("不加入交接单", "")] + [
            (f"清单：{CARRIERS.get(h.carrier, h.carrier)} {h.courier_name}",
             h.uuid.hex) for h in lists]
        select.set_options(options)
        keep = current if any(v == current for _, v in options) else ""
        select.value = keep

    def on_screen_resume(self) -> None:
        self._load_open_lists()
        self.table.reload()

    # --- actions on the parcel under the cursor --------------------------

    def _selected(self) -> str | None:
        key = self.table.current_key
        if key is None:
            self.notify("列表中没有选中的包裹", severity="warning")
        return key

    def _highlighted(self) -> ParcelIn | None:
        """The parcel under the cursor, read afresh so its dialog names it."""
        key = self._selected()
        if key is None:
            return None
        try:
            return load(ParcelIn, key, label="包裹")
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return None

    def _run_modal(self, modal: ActionModal) -> None:
        def done(message: str | None) -> None:
            if message:
                self.notify(message)
                self.table.reload()
            self.action_focus_scan()

        self.app.push_screen(modal, done)

    def action_pickup(self) -> None:
        search = self.query_one("#search", Input).value.strip()

        def done(picked: int | None) -> None:
            if picked:
                self.table.reload()
            self.action_focus_scan()

        self.app.push_screen(PickupModal(search), done)

    def action_notify_recipient(self) -> None:
        parcel = self._highlighted()
        if parcel is None:
            return
        key = parcel.uuid.hex
        options = [(label, code) for code, label in NOTIFY_METHOD.items()]
        # Without a phone only WeChat can be recorded; offer it first.
        first = "call" if parcel.recipient_phone else "wechat"

        def act(values: dict[str, str]) -> str:
            method = values["method"]
            done = parcels_in.mark_notified(key, method)  # type: ignore[arg-type]
            return f"已记录通知：{done.pickup_code} {NOTIFY_METHOD[method]}"

        self._run_modal(ActionModal(
            f"通知收件人取件：{parcel.pickup_code}",
            [ChoiceSpec("method", "通知方式", options, first)], act,
            detail=parcel_in_label(parcel)))

    def action_add_phone(self) -> None:
        parcel = self._highlighted()
        if parcel is None:
            return
        key = parcel.uuid.hex

        def act(values: dict[str, str]) -> str:
            done = parcels_in.set_contact(key, values["phone"],
                                          values["name"] or None)
            return f"已补手机号：{done.pickup_code} {done.tracking_no}"

        self._run_modal(ActionModal(f"补充收件人手机号：{parcel.pickup_code}", [
            TextSpec("phone", "手机号"),
            TextSpec("name", "姓名（可选）", parcel.recipient_name or ""),
        ], act, detail=parcel_in_label(parcel)))

    def action_exception(self) -> None:
        parcel = self._highlighted()
        if parcel is None:
            return
        key = parcel.uuid.hex
        options = [(label, code) for code, label in EXCEPTION_LABELS.items()]

        def act(values: dict[str, str]) -> str:
            kind = values["kind"]
            done = parcels_in.mark_exception(
                key, kind, values["note"])  # type: ignore[arg-type]
            return f"已登记异常：{done.tracking_no} {EXCEPTION_LABELS[done.status]}"

        self._run_modal(ActionModal(f"登记异常件：{parcel.pickup_code}", [
            ChoiceSpec("kind", "异常类型", options), TextSpec("note", "情况说明"),
        ], act, detail=parcel_in_label(parcel)))

    def action_void(self) -> None:
        parcel = self._highlighted()
        if parcel is None:
            return
        key = parcel.uuid.hex

        def act(values: dict[str, str]) -> str:
            done = parcels_in.void(key, values["reason"])
            return f"已作废：{done.tracking_no}（单号可重新入库）"

        self._run_modal(ActionModal(f"作废误扫的包裹：{parcel.pickup_code}", [
            TextSpec("reason", "作废原因", placeholder="例如：扫错了"),
        ], act, detail=parcel_in_label(parcel)))

    def action_add_to_list(self) -> None:
        key = self._selected()
        target = str(self.query_one("#handover", Select).value)
        if key is None:
            return
        if not target:
            self.notify("请先在上方选择一张未签字的收件交接清单", severity="warning")
            return
        try:
            handovers.add_to_incoming(target, [key])
            parcel = load(ParcelIn, key, label="包裹")
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(f"已加入交接清单：{parcel_in_label(parcel)}")
        self.table.reload()
