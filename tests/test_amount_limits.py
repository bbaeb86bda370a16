"""Amounts above a kind's limit are saved only once the partner confirms.

Field report: a 代购 of 1,000,000 yuan was saved at once, with no question
(only 99999999.99 was refused as 过大). 代购, 代销, 便民 and refunds ask
before saving an amount above 50,000 yuan (setting amount_limit.<kind>).
"""

from __future__ import annotations

import pytest
from textual.widgets import Button

from station_tui.errors import InputError
from station_tui.operations import purchases, sales, services
from station_tui.operations.order_fields import LargeAmount
from station_tui.operations.station import set_setting
from station_tui.records import PurchaseOrder, Refund, SaleOrder, ServiceRecord
from station_tui.storage.db import write_txn
from station_tui.ui.screens.ask_modal import AskModal
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from station_tui.ui.screens.sales_screen import SalesScreen
from station_tui.ui.screens.services_screen import ServicesScreen
from tests.orders_harness import SIZE, ScreenApp, field, settle, table_rows

pytestmark = pytest.mark.usefixtures("station")

MILLION = "1000000"


def purchase(amount: str, **extra: object) -> PurchaseOrder:
    return purchases.register(name="张三", phone="13800001111", goods="拖拉机",
                              count="1", amount=amount, platform="拼多多",
                              **extra)  # type: ignore[arg-type]


def sale(unit_price: str, **extra: object) -> SaleOrder:
    return sales.register(name="王五", phone="13700003333", product="小米",
                          offer_kind="product", count="10",
                          unit_price=unit_price, channel="o2o",
                          buyer="县城李女士", **extra)  # type: ignore[arg-type]


def test_every_kind_asks_above_its_limit_and_saves_once_confirmed() -> None:
    attempts = {
        "代购": lambda ok: purchase(MILLION, large_ok=ok),
        "代销": lambda ok: sale("6000", large_ok=ok),  # 10 × 6000 = 60,000
        "便民": lambda ok: services.record(kind="hotel", amount="50000.01",
                                           large_ok=ok),
    }
    for noun, attempt in attempts.items():
        with pytest.raises(LargeAmount) as info:
            attempt(False)
        assert "提醒上限 50000.00 元" in info.value.message, noun
    assert PurchaseOrder.select().count() == SaleOrder.select().count() == 0
    assert ServiceRecord.select().count() == 0

    for attempt in attempts.values():
        attempt(True)
    assert PurchaseOrder.get().amount_fen == 100_000_000


def test_amounts_up_to_the_limit_pass_and_beyond_ten_million_are_refused() -> None:
    assert purchase("50000").amount_fen == 5_000_000
    with pytest.raises(InputError, match="过大") as info:
        purchase("99999999.99", large_ok=True)
    assert not isinstance(info.value, LargeAmount)


def test_a_refund_above_the_limit_asks_too_and_a_return_does_not() -> None:
    order = purchase("80000", large_ok=True)
    purchases.place(order.uuid, "PDD1")
    purchases.arrive(order.uuid)

    with pytest.raises(LargeAmount):
        purchases.refund(order.uuid, "60000", "少发")
    assert Refund.select().count() == 0
    purchases.refund(order.uuid, "60000", "少发", large_ok=True)
    # What remains was confirmed with the order; a return just gives it back.
    assert purchases.return_goods(order.uuid, "退货").amount_fen == 2_000_000


def test_the_limit_is_a_setting_per_kind() -> None:
    with write_txn():
        set_setting("amount_limit.purchase", "200000")

    assert purchase(MILLION[:-1]).amount_fen == 10_000_000  # 100,000 yuan
    with pytest.raises(LargeAmount, match="提醒上限 50000.00 元"):
        services.record(kind="water", account="A-1", amount="60000")


# -- the forms and dialogs ask, and keep what was typed -----------------------


async def test_the_purchase_form_asks_and_keeps_the_typing_when_told_back(
) -> None:
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for name, text in (("name", "张三"), ("phone", "13800001111"),
                           ("goods", "化肥"), ("amount", MILLION),
                           ("platform", "拼多多")):
            field(screen, name).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, AskModal)
        assert "1000000.00" in str(ask.query_one(".ask--detail").render())

        await pilot.press("enter")  # 返回 has the focus: a stray Enter saves nothing
        await settle(pilot)
        assert app.screen is screen
        amount = field(screen, "amount")
        assert amount.has_class("-invalid") and amount.value == MILLION
        assert field(screen, "goods").value == "化肥"
        assert PurchaseOrder.select().count() == 0

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#ask-confirm")
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(screen)[0][2] == "1000000.00"

    assert PurchaseOrder.get().amount_fen == 100_000_000


@pytest.mark.parametrize("screen_class", [SalesScreen, ServicesScreen])
async def test_the_sale_and_service_forms_ask_before_a_large_amount(
        screen_class: type) -> None:
    app = ScreenApp(screen_class)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = ({"name": "王五", "phone": "13700003333", "product": "小米",
                  "count": "10", "unit_price": "6000", "channel_name": "淘宝",
                  "buyer": "县城李女士"}
                 if screen_class is SalesScreen
                 else {"account": "0101-2233", "amount": "60000"})
        for name, text in typed.items():
            field(screen, name).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        await pilot.click("#ask-confirm")
        await settle(pilot)

    model = SaleOrder if screen_class is SalesScreen else ServiceRecord
    assert model.get().amount_fen == 6_000_000


async def test_the_refund_dialog_asks_before_a_large_refund() -> None:
    order = sale("10000", large_ok=True)  # 100,000 yuan at the showroom
    sales.ship(order.uuid)
    app = ScreenApp(SalesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "f")
        await settle(pilot)
        dialog = app.screen
        field(dialog, "amount").value = "60000"
        field(dialog, "reason").value = "买家退回一半"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        app.screen.query_one("#ask-back", Button).press()
        await settle(pilot)
        assert app.screen is dialog
        assert field(dialog, "amount").has_class("-invalid")
        assert Refund.select().count() == 0

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#ask-confirm")
        await settle(pilot)
        assert isinstance(app.screen, SalesScreen)

    assert Refund.get().amount_fen == 6_000_000
