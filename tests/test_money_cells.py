"""Every money cell of the order, service and ledger lists shows fen as
0.00 in full, even on an 80-column screen with long names beside it."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App

from station_tui.operations import purchases, sales, services
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from station_tui.ui.screens.sales_screen import SalesScreen
from station_tui.ui.screens.services_screen import ServicesScreen
from tests.orders_harness import ScreenApp, settle

pytestmark = pytest.mark.usefixtures("station")

LONG = "欧阳" * 14  # a long name pushes later columns off an 80-column screen


async def screen_text(app: App[None]) -> str:
    """The screen as a person sees it, line by line, once drawn.

    A table sizes its columns to new rows when idle, so wait for that.
    """
    for _ in range(5):
        await app._animator.wait_until_complete()
        await asyncio.sleep(0.05)
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(s.text for s in strip) for strip in strips)


@pytest.mark.parametrize("width", [80, 100, 102, 150])
async def test_a_sale_refund_shows_two_decimals_at_any_width(width: int) -> None:
    order = sales.register(
        name=LONG, phone="13900002222", product="沁州黄小米" * 4,
        offer_kind="product", count="3", unit_price="19.90",
        channel="platform", channel_name="拼多多", buyer="", order_no="PDD0001",
        service_fee="0")
    sales.ship(order.uuid)
    sales.refund(order.uuid, "45.80", "破损")
    app = ScreenApp(SalesScreen)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        text = await screen_text(app)
    for money in ("19.90", "59.70", "45.80"):
        assert money in text, text


@pytest.mark.parametrize("width", [80, 120])
async def test_purchase_amounts_fee_and_refund_show_in_full(width: int) -> None:
    order = purchases.register(
        name=LONG, phone="13800001111", goods="电饭锅" * 6, count="1",
        amount="582.42", service_fee="3", platform="拼多多",
        order_no="PDD2026")
    purchases.refund(order.uuid, "45.80", "差价")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        text = await screen_text(app)
    for money in ("582.42", "3.00", "45.80"):
        assert money in text, text


@pytest.mark.parametrize("width", [80, 120])
async def test_service_amount_and_fee_show_in_full(width: int) -> None:
    services.record(kind="electricity", name=LONG, phone="13700003333",
                    account="0101-2233-4455-6677", amount="582.42", fee="1.5")
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        text = await screen_text(app)
    for money in ("582.42", "1.50"):
        assert money in text, text
