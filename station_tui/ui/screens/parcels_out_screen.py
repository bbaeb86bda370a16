"""Parcels out (快递代寄) and handover lists (交接清单) with couriers."""

from __future__ import annotations

import logging

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane

from station_tui.domain.carriers import CARRIERS
from station_tui.errors import StationError
from station_tui.operations import handovers, parcels_out
from station_tui.operations.handover_print import PrintFiles, write_print
from station_tui.operations.parcel_common import load, parcel_out_label, short_time
from station_tui.operations.station import profile
from station_tui.records import Handover, ParcelOut
from station_tui.ui.screens.action_modal import ActionModal, ChoiceSpec, TextSpec
from station_tui.ui.screens.parcel_rows import (
    HANDOVER_COLUMNS,
    OUT_COLUMNS,
    handover_fetcher,
    out_fetcher,
)
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    show_error,
    values,
)
from station_tui.ui.widgets.paged_table import PagedTable

log = logging.getLogger(__name__)

CARRIER_OPTIONS = [(name, code) for code, name in CARRIERS.items()]
OUT_EXCEPTIONS = {"returned": "退回", "damaged": "破损", "lost": "丢失"}
FILTER_LABELS = {"accepted": "待交接", "all": "全部"}
FORM_ORDER = ("sender_name", "sender_phone", "destination", "weight", "fee",
              "tracking_no")


def _parcels_named(parcels: list[ParcelOut]) -> str:
    """The parcels a handover dialog acts on: all of a few, the first of many."""
    shown = [parcel_out_label(p) for p in parcels[:3]]
    if len(parcels) > 3:
        shown.append(f"…… 等共 {len(parcels)} 件")
    return "\n".join(shown)


class ParcelsOutScreen(Screen[None]):
    """Accept parcels to send, hand them to a courier, print the lists."""

    DEFAULT_CSS = """
    ParcelsOutScreen .out-form {
        height: auto;
    }
    ParcelsOutScreen #carrier-box {
        width: 24;
        height: auto;
    }
    ParcelsOutScreen #carrier-box > Label {
        color: $text-muted;
    }
    ParcelsOutScreen #out-hint, ParcelsOutScreen #print-path {
        color: $text-muted;
        padding: 0 1;
    }
    """

    BINDINGS = [
        # Priority: a Select that was typed into must not swallow Ctrl+S.
        Binding("ctrl+s", "accept", "保存寄件", priority=True),
        Binding("ctrl+g", "hand_over", "交给快递员"),
        Binding("ctrl+t", "amend", "补单号/改快递"),
        Binding("ctrl+r", "exception", "异常"),
        Binding("ctrl+y", "void", "作废"),
        Binding("ctrl+l", "cycle_filter", "筛选"),
        Binding("ctrl+f", "switch_tab", "寄件/清单"),
        Binding("ctrl+n", "open_incoming", "新建收件清单"),
        Binding("ctrl+b", "sign", "清单签字"),
        Binding("ctrl+o", "print_list", "打印清单"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.list_filter: parcels_out.OutFilter = "accepted"
        self.last_print: PrintFiles | None = None

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="tab-accept"):
            with TabPane("寄件", id="tab-accept"):
                with Horizontal(classes="out-form"):
                    yield FormField("寄件人姓名", name="sender_name")
                    yield FormField("寄件人手机", name="sender_phone")
                    yield FormField("寄往地址", name="destination",
                                    placeholder="省 市 县 详细地址")
                with Horizontal(classes="out-form"):
                    with Vertical(id="carrier-box"):
                        yield Label("快递公司")
                        yield Select([("按单号识别", "")] + CARRIER_OPTIONS,
                                     value="", allow_blank=False, id="carrier")
                    yield FormField("重量（公斤）", name="weight", placeholder="例：1.5")
                    yield FormField("运费（元）", name="fee", placeholder="例：12.00")
                    yield FormField("快递单号（可后补）", name="tracking_no")
                yield Static("", id="out-hint")
                yield PagedTable(OUT_COLUMNS, markable=True, id="outgoing")
            with TabPane("交接清单", id="tab-lists"):
                yield PagedTable(HANDOVER_COLUMNS, id="lists")
                yield Static("", id="print-path")

    def on_mount(self) -> None:
        self._show_outgoing()
        self.query_one("#lists", PagedTable).show(handover_fetcher())
        self.call_after_refresh(self.query_one("#input-sender_name", Input).focus)

    def on_screen_resume(self) -> None:
        self.query_one("#outgoing", PagedTable).reload()
        self.query_one("#lists", PagedTable).reload()

    # --- accepting a parcel --------------------------------------------

    @on(Input.Submitted, ".out-form Input")
    def _field_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        event.stop()
        name = (event.input.id or "").removeprefix("input-")
        if name == FORM_ORDER[-1]:
            self.action_accept()
            return
        following = FORM_ORDER[FORM_ORDER.index(name) + 1]
        self.query_one(f"#input-{following}", Input).focus()

    def action_accept(self) -> None:
        form = self.query_one("#tab-accept", TabPane)
        clear_errors(form)
        typed = values(form)
        try:
            parcel = parcels_out.accept(
                carrier=str(self.query_one("#carrier", Select).value) or None,
                **typed)
        except StationError as exc:
            if not show_error(form, exc):
                self.notify(exc.message, severity="error")
            return
        for field in form.query(FormField):
            field.value = ""
        self.query_one("#out-hint", Static).update(
            f"已收寄：{parcel.sender_name} → {parcel.destination_region or '外地'}，"
            f"{parcel.weight_g / 1000:g} 公斤")
        self.query_one("#outgoing", PagedTable).reload()
        self.query_one("#input-sender_name", Input).focus()

    # --- the accepted list ---------------------------------------------

    def _show_outgoing(self) -> None:
        self.query_one("#outgoing", PagedTable).show(out_fetcher(self.list_filter))
        self.query_one("#out-hint", Static).update(
            f"列表：{FILTER_LABELS[self.list_filter]}　空格 选择多件，Ctrl+G 交给快递员")

    def action_cycle_filter(self) -> None:
        self.list_filter = "all" if self.list_filter == "accepted" else "accepted"
        self._show_outgoing()

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-lists" if tabs.active == "tab-accept" else "tab-accept"
        if tabs.active == "tab-lists":
            self.query_one("#lists", PagedTable).focus()
        else:
            # Back where the next parcel is typed; Tab from the last field
            # reaches the list for marking.
            self.query_one("#input-sender_name", Input).focus()

    def _chosen_parcels(self) -> list[str]:
        table = self.query_one("#outgoing", PagedTable)
        chosen = sorted(table.marked) or (
            [table.current_key] if table.current_key else [])
        if not chosen:
            self.notify("请先在寄件列表中选择寄件（空格选择多件）", severity="warning")
        return chosen

    def _run_modal(self, modal: ActionModal) -> None:
        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=8)
                self.query_one("#outgoing", PagedTable).reload()
                self.query_one("#lists", PagedTable).reload()

        self.app.push_screen(modal, done)

    def action_hand_over(self) -> None:
        chosen = self._chosen_parcels()
        if not chosen:
            return
        try:
            parcels = [load(ParcelOut, key, label="寄件") for key in chosen]
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return

        def act(typed: dict[str, str]) -> str:
            handover = handovers.create_outgoing(
                chosen, carrier=typed["carrier"], courier_name=typed["courier_name"],
                signer=typed["signer"], signed_at=typed["signed_at"])
            return f"已交接 {len(chosen)} 件。" + self._print(handover.uuid.hex)

        self._run_modal(ActionModal(f"交给快递员：{len(chosen)} 件", [
            ChoiceSpec("carrier", "快递公司", CARRIER_OPTIONS, parcels[0].carrier),
            TextSpec("courier_name", "快递员姓名"),
            TextSpec("signer", "签收人（留空即快递员本人）"),
            TextSpec("signed_at", "签字时间（留空为现在）", placeholder="例：17:30"),
        ], act, detail=_parcels_named(parcels)))

    def _selected_out(self) -> ParcelOut | None:
        """The parcel under the cursor, read afresh so its dialog names it."""
        key = self.query_one("#outgoing", PagedTable).current_key
        if key is None:
            self.notify("寄件列表中没有选中的寄件", severity="warning")
            return None
        try:
            return load(ParcelOut, key, label="寄件")
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return None

    def action_amend(self) -> None:
        """Add or correct the tracking number and the carrier."""
        parcel = self._selected_out()
        if parcel is None:
            return
        key = parcel.uuid.hex
        # 按单号识别 stays chosen while the carrier is only the guess.
        chosen = "" if parcels_out.carrier_was_guessed(parcel) else parcel.carrier

        def act(typed: dict[str, str]) -> str:
            done = parcels_out.amend(key, tracking_no=typed["tracking_no"],
                                     carrier=typed["carrier"])
            carrier = CARRIERS.get(done.carrier, done.carrier)
            return f"已保存：单号 {done.tracking_no or '待补'}，{carrier}"

        self._run_modal(ActionModal("补单号 / 改快递公司", [
            TextSpec("tracking_no", "快递单号", parcel.tracking_no or ""),
            ChoiceSpec("carrier", "快递公司", [("按单号识别", "")] + CARRIER_OPTIONS,
                       chosen),
        ], act, detail=parcel_out_label(parcel)))

    def action_exception(self) -> None:
        parcel = self._selected_out()
        if parcel is None:
            return
        key = parcel.uuid.hex
        options = [(label, code) for code, label in OUT_EXCEPTIONS.items()]

        def act(typed: dict[str, str]) -> str:
            parcels_out.mark_exception(key, typed["kind"],  # type: ignore[arg-type]
                                       typed["note"])
            return f"已登记：{OUT_EXCEPTIONS[typed['kind']]}"

        self._run_modal(ActionModal("登记寄件异常", [
            ChoiceSpec("kind", "异常类型", options), TextSpec("note", "情况说明"),
        ], act, detail=parcel_out_label(parcel)))

    def action_void(self) -> None:
        parcel = self._selected_out()
        if parcel is None:
            return
        key = parcel.uuid.hex

        def act(typed: dict[str, str]) -> str:
            parcels_out.void(key, typed["reason"])
            return "已作废寄件"

        self._run_modal(ActionModal("作废寄件", [TextSpec("reason", "作废原因")], act,
                                    detail=parcel_out_label(parcel)))

    # --- handover lists -------------------------------------------------

    def action_open_incoming(self) -> None:
        def act(typed: dict[str, str]) -> str:
            handovers.open_incoming(carrier=typed["carrier"],
                                    courier_name=typed["courier_name"])
            return "已新建收件交接清单：在收件页扫码时选它，包裹即加入清单"

        self._run_modal(ActionModal("新建收件交接清单（快递员送件）", [
            ChoiceSpec("carrier", "快递公司", CARRIER_OPTIONS),
            TextSpec("courier_name", "快递员姓名"),
        ], act))

    def _selected_list(self) -> str | None:
        key = self.query_one("#lists", PagedTable).current_key
        if key is None:
            self.notify("请在“交接清单”页选中一张清单（Ctrl+F 切换）",
                        severity="warning")
        return key

    def action_sign(self) -> None:
        key = self._selected_list()
        if key is None:
            return
        station = profile()
        try:
            target = load(Handover, key, label="交接清单")
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return
        count = handovers.counts([target]).get(target.uuid, 0)
        carrier = CARRIERS.get(target.carrier, target.carrier)

        def act(typed: dict[str, str]) -> str:
            handovers.sign(key, signer=typed["signer"], signed_at=typed["signed_at"])
            return "清单已签字。" + self._print(key)

        self._run_modal(ActionModal("收件交接清单签字", [
            TextSpec("signer", "签收人", station.partner_name if station else ""),
            TextSpec("signed_at", "签字时间（留空为现在）", placeholder="例：17:30"),
        ], act, detail=(f"{carrier} {target.courier_name} 的收件清单，{count} 件，"
                        f"{short_time(target.happened_at)} 开单")))

    def action_print_list(self) -> None:
        key = self._selected_list()
        if key is None:
            return
        try:
            message = self._print(key)
        except StationError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(message, timeout=10)

    def _print(self, key: str) -> str:
        """Write the printable files; the message names where they are."""
        files = write_print(key)
        self.last_print = files
        self.query_one("#print-path", Static).update(
            f"打印文件：{files.html}\n纯文本：{files.text}")
        return f"交接清单已生成，用浏览器打开打印：{files.html}"
