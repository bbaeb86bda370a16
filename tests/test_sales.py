"""Sale orders (代销): amount in fen, channels, status steps, refunds (C03)."""

from __future__ import annotations

from typing import Any

import pytest

from station_tui.errors import InputError, RuleError
from station_tui.operations import sales
from station_tui.operations.refunds import refunded_fen
from station_tui.records import Refund, SaleOrder, Villager
from station_tui.ui.screens.sales_screen import SalesScreen
from station_tui.ui.widgets.choice_field import ChoiceField
from tests.orders_harness import (
    SIZE,
    ScreenApp,
    field,
    settle,
    table_rows,
    type_text,
)

pytestmark = pytest.mark.usefixtures("station")


def register(**overrides: Any) -> SaleOrder:
    fields: dict[str, Any] = {
        "name": "李四", "phone": "13900002222", "product": "沁州黄小米",
        "offer_kind": "product", "count": "3", "unit_price": "19.90",
        "channel": "platform", "channel_name": "拼多多", "buyer": "",
        "order_no": "PDD0001", "service_fee": "0",
    }
    fields.update(overrides)
    return sales.register(**fields)


def test_the_amount_is_quantity_times_unit_price_in_fen_C03() -> None:
    order = register(count="3", unit_price="19.90")

    stored = SaleOrder.get_by_id(order.uuid)
    assert stored.unit_price_fen == 1990
    assert stored.amount_fen == 5970
    assert stored.seller_phone == "13900002222" and stored.villager_complete


def test_a_dime_times_ten_is_exactly_one_yuan_C03() -> None:
    assert register(count="10", unit_price="0.1").amount_fen == 100


@pytest.mark.parametrize(
    ("field", "typed"),
    [("unit_price", "0"), ("unit_price", "1.999"), ("count", "0"),
     ("product", ""), ("channel", "wechat"), ("offer_kind", "")],
)
def test_wrong_values_are_refused_at_their_field_C03(field: str,
                                                     typed: str) -> None:
    with pytest.raises(InputError) as info:
        register(**{field: typed})

    assert info.value.field == field
    assert SaleOrder.select().count() == 0


def test_a_platform_sale_needs_the_platform_name() -> None:
    with pytest.raises(InputError) as info:
        register(channel_name="")

    assert info.value.field == "channel_name"


def test_a_sale_needs_a_buyer_or_an_order_number() -> None:
    with pytest.raises(InputError) as info:
        register(buyer="", order_no="")

    assert info.value.field == "buyer"


def test_a_showroom_sale_is_named_for_the_county_o2o_center_and_placed() -> None:
    order = register(channel="o2o", channel_name="随便", buyer="太原客户",
                     order_no="")

    assert order.channel == "o2o"
    assert order.channel_name == "县O2O展示展销中心"
    assert order.status == "ordered" and order.ordered_day is not None


def test_a_tourism_offer_can_be_sold() -> None:
    order = register(product="农家乐两日游", offer_kind="tourism", count="2",
                     unit_price="168")

    assert order.offer_kind == "tourism" and order.amount_fen == 33600


def test_a_sale_with_only_a_buyer_waits_for_its_order_number() -> None:
    order = register(order_no="", buyer="王先生")
    assert order.status == "registered" and order.ordered_at is None

    with pytest.raises(InputError) as info:
        sales.place(order.uuid, "")
    assert info.value.field == "order_no"

    placed = sales.place(order.uuid, "TB778")
    assert placed.status == "ordered" and placed.order_no == "TB778"


def test_a_sale_walks_to_completion_one_step_at_a_time() -> None:
    order = register()

    with pytest.raises(RuleError):
        sales.complete(order.uuid)
    assert sales.ship(order.uuid).status == "shipped"
    with pytest.raises(RuleError):
        sales.cancel(order.uuid, "不卖了")
    assert sales.complete(order.uuid).status == "completed"
    with pytest.raises(RuleError):
        sales.ship(order.uuid)


def test_a_refund_of_nine_ninety_five_is_its_own_positive_record_C03() -> None:
    order = register(count="1", unit_price="29.95")
    sales.ship(order.uuid)

    refund = sales.refund(order.uuid, "9.95", "买家说有破损")

    assert refund.amount_fen == 995 and refund.order_kind == "sale"
    assert refund.order == order.uuid
    assert SaleOrder.get_by_id(order.uuid).amount_fen == 2995
    with pytest.raises(InputError, match="20.00"):
        sales.refund(order.uuid, "20.01", "再退")
    with pytest.raises(InputError):
        sales.refund(order.uuid, "-1", "负数")


def test_a_returned_sale_refunds_the_rest_and_is_marked_returned() -> None:
    order = register(count="2", unit_price="50")
    sales.ship(order.uuid)
    sales.refund(order.uuid, "10", "运费补贴")

    refund = sales.return_goods(order.uuid, "买家退货")

    assert refund.amount_fen == 9000 and refund.refund_kind == "return"
    assert SaleOrder.get_by_id(order.uuid).status == "returned"
    assert refunded_fen(order.uuid) == 10000


def test_a_cancelled_sale_keeps_its_reason() -> None:
    order = register(order_no="", buyer="赵")

    sales.cancel(order.uuid, "买家不要了")

    reread = SaleOrder.get_by_id(order.uuid)
    assert reread.status == "cancelled" and reread.cancel_reason == "买家不要了"


def test_voiding_a_sale_voids_its_refunds_too() -> None:
    order = register()
    sales.ship(order.uuid)
    sales.refund(order.uuid, "1", "差价")

    sales.void(order.uuid, "录错了")

    assert SaleOrder.get_by_id(order.uuid).voided
    assert all(r.voided for r in Refund.select())
    with pytest.raises(RuleError):
        sales.void(order.uuid, "再次")


def test_the_seller_is_remembered_as_a_villager() -> None:
    register()
    register(product="核桃")

    assert Villager.select().count() == 1
    assert Villager.get().name_initials == "ls"


# -- the screen, driven by keys ----------------------------------------------


async def test_a_showroom_sale_is_typed_in_and_shipped() -> None:
    app = ScreenApp(SalesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "王五")
        await pilot.press("tab")
        await type_text(pilot, "13700003333")
        await pilot.press("tab")
        await type_text(pilot, "沁州黄小米")
        await pilot.press("tab", "tab")  # past the kind, into quantity
        await pilot.press("end", "backspace")
        await type_text(pilot, "3")
        await pilot.press("tab")
        await type_text(pilot, "19.9")
        await settle(pilot)
        preview = str(screen.query_one("#amount-preview").render())
        assert "59.70" in preview

        screen.query_one("#choice-channel", ChoiceField).value = "o2o"
        await settle(pilot)
        assert field(screen, "channel_name").value == "县O2O展示展销中心"
        field(screen, "buyer").input.focus()
        await type_text(pilot, "太原客户")
        await pilot.press("ctrl+s")
        await settle(pilot)

        sale = SaleOrder.get()
        assert (sale.amount_fen, sale.unit_price_fen, sale.quantity) == (5970, 1990, 3)
        assert sale.channel == "o2o" and sale.status == "ordered"
        assert sale.seller_phone == "13700003333"
        row = table_rows(screen)[0]
        assert row[1] == "已下单" and row[4] == "59.70"
        assert row[6:8] == ["王五", "137****3333"]

        await pilot.press("ctrl+l", "s", "enter")
        await settle(pilot)
        await pilot.press("f")
        await type_text(pilot, "9.95")
        await pilot.press("tab")
        await type_text(pilot, "少了一袋")
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(screen)[0][5] == "9.95"

    assert SaleOrder.get().status == "shipped"
    assert Refund.get().amount_fen == 995


async def test_an_over_refund_is_marked_at_the_amount_in_the_dialog() -> None:
    order = register(count="1", unit_price="10")
    sales.ship(order.uuid)
    app = ScreenApp(SalesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "f")
        await type_text(pilot, "10.01")
        await pilot.press("tab")
        await type_text(pilot, "退多了")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        amount = field(dialog, "amount")
        assert amount.has_class("-invalid") and amount.value == "10.01"
        assert field(dialog, "reason").value == "退多了"
        await pilot.press("escape")
        await settle(pilot)

    assert Refund.select().count() == 0


def test_an_order_number_already_on_a_live_sale_is_named_in_a_warning() -> None:
    register(name="李四", product="沁州黄小米", order_no="PDD0001")
    second = register(name="王五", product="核桃", order_no="PDD0001")
    warning = sales.number_warning(second)
    assert "订单号 PDD0001 已用于另一笔代销：李四 沁州黄小米" in warning
    assert sales.number_warning(register(order_no="PDD0002")) == ""
