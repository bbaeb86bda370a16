"""代销: record a villager's product or tourism offer sold, and its steps."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from station_tui.domain import clock
from station_tui.domain.money import format_fen, parse_yuan
from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.errors import InputError
from station_tui.operations import sales
from station_tui.operations.order_fields import quantity
from station_tui.operations.pages import PageKey
from station_tui.records import SaleOrder
from station_tui.domain.labels import OFFER_KIND, SALE_CHANNEL, SALE_STATUS
from station_tui.ui.screens.counter_screen import Cells
from station_tui.ui.screens.large_amount import large_ok
from station_tui.ui.screens.order_screen import OrderScreen
from station_tui.ui.widgets.choice_field import ChoiceField
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.villager_picker import VillagerPicker


class SalesScreen(OrderScreen[SaleOrder]):
    """Sale orders (代销): the form, and recent sales with their steps."""

    DEFAULT_CSS = """
    SalesScreen #choice-offer_kind {
        width: 16;
    }
    SalesScreen #choice-channel {
        width: 2fr;
        min-width: 26;
    }
    SalesScreen #amount-preview {
        width: 18;
        padding: 1 1 0 1;
        color: $success;
    }
    SalesScreen #field-count {
        min-width: 8;
    }
    SalesScreen #field-unit_price {
        min-width: 12;
    }
    /* At 80 columns the choices narrow and the preview goes (the amount is
       in the saved notice), so that 数量, 单价 and 平台 stay readable. */
    SalesScreen.-narrow #choice-offer_kind {
        width: 14;
    }
    SalesScreen.-narrow #choice-channel {
        width: 20;
        min-width: 20;
    }
    SalesScreen.-narrow #amount-preview {
        display: none;
    }
    """

    ops = sales
    STATUS = SALE_STATUS
    HEADING = "代销登记　　Enter 下一项　Ctrl+S 保存　↓ 选择已登记村民　Ctrl+L 列表/表单"
    # Money before free text, so no amount is cut at a narrow screen's edge.
    COLUMNS = ("登记时间", "状态", "数量", "单价", "金额", "已退款", "卖家", "手机",
               "产品", "类别", "渠道", "买家", "订单号")
    ROW_ACTIONS = frozenset(
        {"place", "ship", "complete", "cancel", "return_goods", "refund", "void"}
    )
    BINDINGS = [
        Binding("o", "place", "下单"),
        Binding("s", "ship", "发货"),
        Binding("d", "complete", "完成"),
        Binding("c", "cancel", "取消"),
        Binding("r", "return_goods", "退货"),
        Binding("f", "refund", "退款"),
        Binding("v", "void", "作废"),
    ]

    def compose_form(self) -> ComposeResult:
        with Horizontal():
            yield VillagerPicker(label="卖家")
            yield FormField("产品或旅游项目", name="product",
                            placeholder="例：沁州黄小米 2.5kg")
        with Horizontal():
            yield ChoiceField("类别", name="offer_kind",
                              choices=[(v, k) for k, v in OFFER_KIND.items()])
            yield FormField("数量", name="count")
            yield FormField("单价（元）", name="unit_price")
            yield Static("", id="amount-preview")
            yield ChoiceField("渠道", name="channel",
                              choices=[(v, k) for k, v in SALE_CHANNEL.items()])
            yield FormField("平台名称", name="channel_name", placeholder="例：淘宝")
        with Horizontal():
            yield FormField("买家", name="buyer", placeholder="买家或订单号填一项")
            yield FormField("订单号", name="order_no")
            yield FormField("服务费（元）", name="service_fee")
            yield FormField("时间", name="when", placeholder="空=现在，例：08:30")

    def form_defaults(self) -> dict[str, str]:
        return {"count": "1", "service_fee": "0"}

    @on(Input.Changed, "#input-count, #input-unit_price")
    def _preview_amount(self) -> None:
        # Pure arithmetic on what is typed: shows the total before saving.
        preview = self.query_one("#amount-preview", Static)
        typed = self.collect()
        try:
            total = quantity(typed["count"]) * parse_yuan(typed["unit_price"])
        except InputError:
            preview.update("")
            return
        preview.update(f"金额 {format_fen(total)} 元")

    @on(Select.Changed, "#select-channel")
    def _channel_changed(self, event: Select.Changed) -> None:
        name = self.query_one("#field-channel_name", FormField)
        showroom = event.value == "o2o"
        name.input.disabled = showroom
        name.value = sales.O2O_SHOWROOM if showroom else ""

    def save_record(self, typed: dict[str, str]) -> SaleOrder:
        return sales.register(
            name=typed["name"], phone=typed["phone"], product=typed["product"],
            offer_kind=typed["offer_kind"], count=typed["count"],
            unit_price=typed["unit_price"], channel=typed["channel"],
            channel_name=typed["channel_name"], buyer=typed["buyer"],
            order_no=typed["order_no"], service_fee=typed["service_fee"],
            when=typed["when"], large_ok=large_ok(typed),
        )

    def describe(self, order: SaleOrder) -> str:
        who = order.seller_name or mask(order.seller_phone) or "（未留名）"
        product = mask_phones(order.product)
        return (f"{mask_phones(who)}  {product} × {order.quantity}  "
                f"{format_fen(order.amount_fen)} 元")

    def saved_text(self, record: SaleOrder) -> str:
        return f"代销已登记（{SALE_STATUS[record.status]}）：{self.describe(record)}"

    def fetch_page(self, before: PageKey | None, limit: int) -> list[SaleOrder]:
        return sales.recent(limit=limit, before=before)

    def order_cells(self, order: SaleOrder, refunded: int) -> Cells:
        return (
            clock.format_time(order.happened_at, "%m-%d %H:%M"),
            SALE_STATUS[order.status], order.quantity,
            format_fen(order.unit_price_fen), format_fen(order.amount_fen),
            self.refunded_text(refunded), mask_phones(order.seller_name),
            mask(order.seller_phone), mask_phones(order.product),
            OFFER_KIND.get(order.offer_kind, order.offer_kind),
            order.channel_name, mask_phones(order.buyer), order.order_no or "",
        )

    # -- steps on the selected sale (the rest are OrderScreen's) -----------

    def action_ship(self) -> None:
        self.confirm_step("已发货？", "ship", "已发货")

    def action_complete(self) -> None:
        self.confirm_step("买家已收货，订单完成？", "complete", "已完成")
