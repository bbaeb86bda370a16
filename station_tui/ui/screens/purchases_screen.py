"""代购: register a villager's purchase and take it through to pickup."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList

from station_tui.domain import clock
from station_tui.domain.money import format_fen
from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.operations import purchases
from station_tui.operations.pages import PageKey
from station_tui.records import PurchaseOrder
from station_tui.domain.labels import PURCHASE_STATUS
from station_tui.ui.screens.counter_screen import Cells
from station_tui.ui.screens.fields_modal import ModalField
from station_tui.ui.screens.large_amount import large_ok
from station_tui.ui.screens.order_screen import OrderScreen
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.villager_picker import VillagerPicker


class PurchasesScreen(OrderScreen[PurchaseOrder]):
    """Purchase orders (代购): the form, and recent orders with their steps."""

    ops = purchases
    STATUS = PURCHASE_STATUS
    HEADING = "代购登记　　Enter 下一项　Ctrl+S 保存　↓ 选择已登记村民　Ctrl+L 列表/表单"
    # Money before free text, so no amount is cut at a narrow screen's edge.
    COLUMNS = ("登记时间", "状态", "金额", "服务费", "已退款", "村民", "手机",
               "商品", "数量", "平台", "平台订单号")
    ROW_ACTIONS = frozenset(
        {"place", "arrive", "pick_up", "cancel", "return_goods", "refund",
         "exchange", "void"}
    )
    BINDINGS = [
        Binding("o", "place", "下单"),
        Binding("a", "arrive", "到货通知"),
        Binding("p", "pick_up", "取货"),
        Binding("c", "cancel", "取消"),
        Binding("r", "return_goods", "退货"),
        Binding("f", "refund", "退款"),
        Binding("x", "exchange", "换货"),
        Binding("v", "void", "作废"),
    ]

    def compose_form(self) -> ComposeResult:
        with Horizontal():
            yield VillagerPicker(label="村民")
            yield FormField("商品", name="goods", placeholder="商品名称、规格")
        with Horizontal():
            yield FormField("数量", name="count")
            yield FormField("金额（元）", name="amount", placeholder="例：58.50")
            yield FormField("服务费（元）", name="service_fee")
            yield FormField("购物平台", name="platform", placeholder="例：拼多多")
            yield FormField("平台订单号", name="order_no", placeholder="下单后填")
            yield FormField("时间", name="when", placeholder="空=现在，例：08:30")

    def prepare_form(self) -> None:
        platform = self.query_one("#field-platform", FormField).input
        platform.suggester = SuggestFromList(purchases.PLATFORMS)

    def form_defaults(self) -> dict[str, str]:
        return {"count": "1", "service_fee": "0"}

    def save_record(self, typed: dict[str, str]) -> PurchaseOrder:
        return purchases.register(
            name=typed["name"], phone=typed["phone"], goods=typed["goods"],
            count=typed["count"], amount=typed["amount"],
            platform=typed["platform"], service_fee=typed["service_fee"],
            order_no=typed["order_no"], when=typed["when"],
            large_ok=large_ok(typed),
        )

    def describe(self, order: PurchaseOrder) -> str:
        who = order.villager_name or mask(order.villager_phone) or "（未留名）"
        goods = mask_phones(order.goods)
        return (f"{mask_phones(who)}  {goods} × {order.quantity}  "
                f"{format_fen(order.amount_fen)} 元")

    def saved_text(self, record: PurchaseOrder) -> str:
        status = PURCHASE_STATUS[record.status]
        return f"代购已登记（{status}）：{self.describe(record)}"

    def fetch_page(self, before: PageKey | None,
                   limit: int) -> list[PurchaseOrder]:
        return purchases.recent(limit=limit, before=before)

    def order_cells(self, order: PurchaseOrder, refunded: int) -> Cells:
        kind = "（换货）" if order.order_kind == "exchange" else ""
        return (
            clock.format_time(order.happened_at, "%m-%d %H:%M"),
            PURCHASE_STATUS[order.status], format_fen(order.amount_fen),
            format_fen(order.service_fee_fen), self.refunded_text(refunded),
            mask_phones(order.villager_name), mask(order.villager_phone),
            f"{mask_phones(order.goods)}{kind}", order.quantity, order.platform,
            order.platform_order_no or "",
        )

    # -- steps on the selected order (the rest are OrderScreen's) ----------

    def action_arrive(self) -> None:
        self.confirm_step("货已到站，并已通知村民取货？", "arrive",
                          "已到货，已记下通知时间")

    def action_pick_up(self) -> None:
        self.confirm_step("村民已取货？", "pick_up", "已取货")

    def action_exchange(self) -> None:
        order = self.selected()
        fields: list[ModalField] = []
        if order is not None:
            fields = [
                ModalField("换成的商品", "goods", order.goods),
                ModalField("数量", "count", str(order.quantity)),
                ModalField("金额（元）", "amount", format_fen(order.amount_fen)),
            ]
        self.ask("换货：登记一笔新订单，关联原订单", self._exchange,
                 detail=self.detail(), fields=fields, done="换货订单已登记")

    @staticmethod
    def _exchange(order: PurchaseOrder, typed: dict[str, str]) -> Any:
        return purchases.exchange(order.uuid, goods=typed["goods"],
                                  count=typed["count"], amount=typed["amount"],
                                  large_ok=large_ok(typed))
