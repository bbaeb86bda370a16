"""便民: bill payments, top-ups, bookings and financial services."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Select

from station_tui.domain import clock
from station_tui.domain.money import format_fen
from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.operations import services
from station_tui.operations.pages import PageKey
from station_tui.records import ServiceRecord
from station_tui.domain.labels import (
    SERVICE_CATEGORY,
    SERVICE_KIND,
    SERVICE_KINDS_BY_CATEGORY,
)
from station_tui.ui.screens.counter_screen import Cells, CounterScreen
from station_tui.ui.screens.large_amount import large_ok
from station_tui.ui.screens.order_screen import REASON
from station_tui.ui.widgets.choice_field import ChoiceField
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.villager_picker import VillagerPicker

KIND_CHOICES = [
    (f"{SERVICE_CATEGORY[category]} · {SERVICE_KIND[kind]}", kind)
    for category, kinds in SERVICE_KINDS_BY_CATEGORY.items()
    for kind in kinds
]


class ServicesScreen(CounterScreen[ServiceRecord]):
    """Convenience and financial services: the form and recent records."""

    HEADING = "便民服务登记　　Enter 下一项　Ctrl+S 保存　服务费不计入交易额　Ctrl+L 列表/表单"
    # Money before free text, so no amount is cut at a narrow screen's edge.
    COLUMNS = ("时间", "项目", "金额", "服务费", "客户", "手机", "账号", "备注")
    ROW_ACTIONS = frozenset({"void"})
    BINDINGS = [Binding("v", "void", "作废")]

    def compose_form(self) -> ComposeResult:
        with Horizontal():
            yield ChoiceField("服务项目", name="kind", choices=KIND_CHOICES)
            yield VillagerPicker(label="客户")
        with Horizontal():
            yield FormField(services.ACCOUNT_FIELDS[KIND_CHOICES[0][1]].form_label,
                            name="account")
            yield FormField("金额（元）", name="amount")
            yield FormField("服务费（元）", name="fee")
            yield FormField("备注", name="note")
            yield FormField("时间", name="when", placeholder="空=现在，例：08:30")

    def form_defaults(self) -> dict[str, str]:
        return {"fee": "0"}

    @on(Select.Changed, "#select-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        spec = services.ACCOUNT_FIELDS.get(str(event.value))
        label = spec.form_label if spec is not None else "账号（可空）"
        self.query_one("#field-account", FormField).query_one(Label).update(label)

    def save_record(self, typed: dict[str, str]) -> ServiceRecord:
        return services.record(
            kind=typed["kind"], name=typed["name"], phone=typed["phone"],
            account=typed["account"], amount=typed["amount"], fee=typed["fee"],
            note=typed["note"], when=typed["when"], large_ok=large_ok(typed),
        )

    def saved_text(self, record: ServiceRecord) -> str:
        return f"{SERVICE_KIND[record.kind]}已登记：{format_fen(record.amount_fen)} 元"

    def fetch_page(self, before: PageKey | None,
                   limit: int) -> list[ServiceRecord]:
        return services.recent(limit=limit, before=before)

    def row_cells(self, record: ServiceRecord) -> Cells:
        return (
            clock.format_time(record.happened_at, "%m-%d %H:%M"),
            SERVICE_KIND.get(record.kind, record.kind),
            format_fen(record.amount_fen), format_fen(record.fee_fen),
            mask_phones(record.customer_name), mask(record.customer_phone),
            services.shown_account(record.kind, record.account),
            mask_phones(record.note),
        )

    def action_void(self) -> None:
        record = self.selected()
        detail = ""
        if record is not None:
            detail = (f"{SERVICE_KIND[record.kind]}  "
                      f"{format_fen(record.amount_fen)} 元")
        self.ask("作废（录错时用；记录保留）",
                 lambda r, t: services.void(str(r.uuid), t["reason"]),
                 detail=detail, fields=[REASON], done="已作废")
