"""Every form marks every wrong field at once, keeps the typing, saves nothing.

Each test types two or more wrong values into one kind of form, saves, and
checks that each wrong field shows its own message, that what was typed is
still there, and that no record and no outbox row was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from station_tui.errors import FieldChecks, InputError, InputErrors
from station_tui.operations import parcels_out, purchases, sales, services
from station_tui.operations.station import get_setting
from station_tui.records import (
    DailyReport,
    Handover,
    Outbox,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Refund,
    RestDay,
    SaleOrder,
    ServiceRecord,
    StationProfile,
    Villager,
)
from station_tui.ui.app import StationApp
from station_tui.ui.screens.action_modal import ActionModal
from station_tui.ui.screens.fields_modal import FieldsModal
from station_tui.ui.screens.ledger_screen import LedgerScreen
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.parcels_out_screen import ParcelsOutScreen
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from station_tui.ui.screens.report_screen import ReportScreen
from station_tui.ui.screens.requests_screen import RequestsScreen
from station_tui.ui.screens.sales_screen import SalesScreen
from station_tui.ui.screens.services_screen import ServicesScreen
from station_tui.ui.screens.villagers_screen import VillagersScreen
from station_tui.ui.widgets.form_field import FormField
from tests.orders_harness import SIZE, ScreenApp, field, settle

pytestmark = pytest.mark.usefixtures("station")


async def type_into(pilot: Pilot[None], screen: Screen[Any],
                    typed: dict[str, str]) -> None:
    """Type each value into its (emptied) field, key by key."""
    for name, text in typed.items():
        box = field(screen, name).input
        box.value = ""
        box.focus()
        await pilot.press(*text)


def error_of(form_field: FormField) -> str:
    return str(form_field.query_one(".form-field--error", Static).render())


def assert_marked(screen: Screen[Any], expected: dict[str, str]) -> None:
    """Exactly the expected fields are marked, each with its own message."""
    marked = {f.field_name for f in screen.query(FormField)
              if f.has_class("-invalid")}
    assert marked == set(expected)
    for name, words in expected.items():
        assert words in error_of(field(screen, name)), name


def assert_kept(screen: Screen[Any], typed: dict[str, str]) -> None:
    assert {name: field(screen, name).value for name in typed} == typed


# -- the checks themselves ----------------------------------------------------


def test_checks_keep_one_error_per_field_and_raise_them_together() -> None:
    checks = FieldChecks()
    assert checks.take(int, "7") == 7
    checks.add(InputError("first", field="a"))
    checks.add(InputError("second", field="a"))
    checks.add(InputErrors([InputError("b wrong", field="b"),
                            InputError("c wrong", field="c")]))

    assert not checks.passed("a") and checks.passed("d")
    with pytest.raises(InputErrors) as info:
        checks.raise_all()
    assert [(e.field, e.message) for e in info.value.errors] == [
        ("a", "first"), ("b", "b wrong"), ("c", "c wrong")]


def test_a_single_wrong_field_is_raised_as_itself_and_none_is_no_error() -> None:
    checks = FieldChecks()
    checks.raise_all()  # nothing kept, nothing raised
    checks.take(purchases.register, name="", phone="", goods="锅", count="1",
                amount="5", platform="淘宝")

    with pytest.raises(InputError) as info:
        checks.raise_all()
    assert type(info.value) is InputError and info.value.field == "name"


@pytest.mark.parametrize("register, typed, fields", [
    pytest.param(purchases.register,
                 {"name": "", "phone": "12345", "goods": "", "count": "0",
                  "amount": "9.995", "platform": "", "when": "25:99"},
                 ["phone", "goods", "count", "amount", "platform", "when"],
                 id="purchase"),
    pytest.param(sales.register,
                 {"name": "张三", "phone": "", "product": "", "offer_kind": "product",
                  "count": "x", "unit_price": "0", "channel": "platform",
                  "channel_name": "", "buyer": "", "order_no": ""},
                 ["product", "count", "unit_price", "channel_name", "buyer"],
                 id="sale"),
    pytest.param(services.record,
                 {"kind": "water", "phone": "138", "account": "", "amount": "0",
                  "fee": "abc"},
                 ["phone", "account", "amount", "fee"], id="service"),
    pytest.param(parcels_out.accept,
                 {"sender_name": "", "sender_phone": "", "destination": "",
                  "carrier": None, "weight": "0", "fee": "x"},
                 ["sender_name", "sender_phone", "destination", "weight", "fee"],
                 id="parcel out"),
])
def test_an_operation_raises_every_wrong_field_in_form_order(
        register: Any, typed: dict[str, str], fields: list[str]) -> None:
    before = Outbox.select().count()
    with pytest.raises(InputErrors) as info:
        register(**typed)

    assert [e.field for e in info.value.errors] == fields
    assert Outbox.select().count() == before


def test_a_sale_checks_the_amount_only_when_count_and_price_are_right() -> None:
    typed = {"name": "张三", "phone": "", "product": "小米",
             "offer_kind": "product", "unit_price": "1000000", "channel": "o2o",
             "buyer": ""}
    with pytest.raises(InputErrors) as wrong_count:
        sales.register(count="x", **typed)
    with pytest.raises(InputErrors) as too_much:
        sales.register(count="20", **typed)

    assert [e.field for e in wrong_count.value.errors] == ["count", "buyer"]
    assert [e.field for e in too_much.value.errors] == ["count", "buyer"]
    assert "金额过大" in too_much.value.errors[0].message


# -- counter forms: 代购, 代销, 便民, 村民 ---------------------------------------


async def test_the_purchase_form_marks_every_wrong_field_at_once() -> None:
    before = Outbox.select().count()
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"name": "李四", "phone": "12345", "goods": "",
                 "amount": "9.995", "platform": ""}
        await type_into(pilot, screen, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert_marked(screen, {"phone": "12345", "goods": "请填写商品",
                               "amount": "9.995", "platform": "请填写购物平台"})
        assert_kept(screen, typed)
        assert field(screen, "phone").input.has_focus  # the first in the form
    assert PurchaseOrder.select().count() == 0
    assert Villager.select().count() == 0
    assert Outbox.select().count() == before


async def test_the_sale_form_marks_every_wrong_field_at_once() -> None:
    before = Outbox.select().count()
    app = ScreenApp(SalesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"name": "张三", "product": "沁州黄小米", "count": "0",
                 "unit_price": "abc", "buyer": ""}
        await type_into(pilot, screen, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert_marked(screen, {"count": "数量“0”必须大于 0",
                               "unit_price": "金额“abc”不是数字",
                               "channel_name": "请填写平台名称",
                               "buyer": "请填写买家或订单号"})
        assert_kept(screen, typed)
    assert SaleOrder.select().count() == 0
    assert Outbox.select().count() == before


async def test_the_service_form_marks_every_wrong_field_at_once() -> None:
    before = Outbox.select().count()
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"phone": "138", "account": "", "amount": "0", "fee": "abc"}
        await type_into(pilot, screen, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert_marked(screen, {"phone": "138", "account": "请填写户号",
                               "amount": "金额必须大于 0",
                               "fee": "金额“abc”不是数字"})
        assert_kept(screen, typed)
    assert ServiceRecord.select().count() == 0
    assert Outbox.select().count() == before


async def test_the_villager_form_marks_a_missing_name_and_a_bad_phone() -> None:
    before = Outbox.select().count()
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"name": "", "phone": "1234567", "address": "城关村东街 3 号"}
        await type_into(pilot, screen, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert_marked(screen, {"name": "请填写村民姓名", "phone": "1234567"})
        assert_kept(screen, typed)
        assert field(screen, "name").input.has_focus
    assert Villager.select().count() == 0
    assert Outbox.select().count() == before


# -- dialogs: a refund (FieldsModal), a handover (ActionModal) -----------------


async def test_the_refund_dialog_marks_the_amount_and_the_missing_reason() -> None:
    order = purchases.register(name="张三", phone="13800001111", goods="锅",
                               count="1", amount="50", platform="淘宝",
                               order_no="TB2026")
    before = Outbox.select().count()
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FieldsModal)
        await type_into(pilot, dialog, {"amount": "五块", "reason": ""})
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is dialog
        assert_marked(dialog, {"amount": "金额“五块”不是数字",
                               "reason": "请填写退款原因"})
        assert_kept(dialog, {"amount": "五块", "reason": ""})
        assert field(dialog, "amount").input.has_focus
    assert Refund.select().count() == 0
    assert PurchaseOrder.get_by_id(order.uuid).version == order.version
    assert Outbox.select().count() == before


async def test_the_handover_dialog_marks_the_courier_and_the_time() -> None:
    parcel = parcels_out.accept(sender_name="张三", sender_phone="13800001111",
                                destination="山西省长治市", carrier=None,
                                weight="1", fee="10", tracking_no="73123456789012")
    before = Outbox.select().count()
    app = ScreenApp(ParcelsOutScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#outgoing").focus()
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionModal)
        typed = {"courier_name": "", "signer": "王建国", "signed_at": "25:99"}
        await type_into(pilot, dialog, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is dialog
        assert_marked(dialog, {"courier_name": "请填写快递员姓名",
                               "signed_at": "时间“25:99”格式不对"})
        assert_kept(dialog, typed)
    assert Handover.select().count() == 0
    assert ParcelOut.get_by_id(parcel.uuid).status == "accepted"
    assert Outbox.select().count() == before


# -- parcels: the scan bar and the send form -----------------------------------


async def test_a_scan_with_a_bad_number_and_a_bad_phone_names_both() -> None:
    app = ScreenApp(ParcelsInScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ParcelsInScreen)
        await type_into(pilot, screen, {"phone": "1380000", "name": "赵六"})
        screen.scan_input.focus()
        await pilot.press(*"AB1", "enter")
        await settle(pilot)

        # The number is not a form field: the scan line says why, with it.
        assert_marked(screen, {"phone": "1380000"})
        assert_kept(screen, {"phone": "1380000", "name": "赵六"})
        said = str(screen.query_one("#scan-result", Static).render())
        assert "AB1" in said and "1380000" in said
        assert screen.scan_input.has_focus  # the scanner keeps typing there
    assert ParcelIn.select().count() == 0
    assert Outbox.select().count() == 0


async def test_the_send_form_marks_every_wrong_field_at_once() -> None:
    app = ScreenApp(ParcelsOutScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"sender_name": "", "sender_phone": "138",
                 "destination": "山西省长治市沁县", "weight": "abc", "fee": "-1"}
        await type_into(pilot, screen, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert_marked(screen, {"sender_name": "请填写寄件人姓名",
                               "sender_phone": "138",
                               "weight": "重量“abc”不是数字",
                               "fee": "金额不能为负数"})
        assert_kept(screen, typed)
        assert field(screen, "sender_name").input.has_focus
    assert ParcelOut.select().count() == 0
    assert Outbox.select().count() == 0


# -- the daily report, opening hours, the ledger search ------------------------


async def test_the_report_form_marks_a_bad_day_and_a_too_long_note() -> None:
    app = ScreenApp(ReportScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_into(pilot, screen, {"day": "2026-02-30"})
        note = "今天停电半天，" * 300  # longer than a note may be
        field(screen, "note").value = note
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is screen  # no confirmation was asked
        assert_marked(screen, {"day": "2026-02-30", "note": "最多 2000 个"})
        assert_kept(screen, {"day": "2026-02-30", "note": note})
    assert DailyReport.select().count() == 0
    assert Outbox.select().count() == 0


async def test_withdrawing_a_rest_day_marks_a_bad_day_and_a_missing_reason(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        await type_into(pilot, screen, {"day": "明天", "reason": ""})
        await pilot.click("#opening-withdraw")
        await settle(pilot)

        assert_marked(screen, {"day": "日期“明天”格式不对",
                               "reason": "撤销休息日必须填写原因"})
        assert_kept(screen, {"day": "明天", "reason": ""})
    assert RestDay.select().count() == 0
    assert Outbox.select().count() == 0


async def test_the_ledger_search_marks_both_wrong_dates() -> None:
    app = ScreenApp(LedgerScreen)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        typed = {"date_from": "4月1日", "date_to": "2026-04-31"}
        await type_into(pilot, screen, typed)
        await pilot.click("#search")
        await settle(pilot)

        assert_marked(screen, {"date_from": "4月1日", "date_to": "2026-04-31"})
        assert_kept(screen, typed)


async def test_center_settings_mark_a_bad_address_and_a_bad_token(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FieldsModal)
        typed = {"center": "center.example.gov.cn", "token": "no-dot"}
        await type_into(pilot, dialog, typed)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is dialog
        assert_marked(dialog, {"center": "center.example.gov.cn",
                               "token": "令牌“no-dot”不对"})
        assert_kept(dialog, typed)
    assert get_setting("center_url") is None
    assert get_setting("center_token") is None
