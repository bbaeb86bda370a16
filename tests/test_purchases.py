"""Purchase orders (代购): fields, status steps, refunds, exchanges (C01, C03)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from station_tui.domain import clock
from station_tui.domain.money import format_fen
from station_tui.errors import InputError, RuleError
from station_tui.operations import purchases, villagers
from station_tui.operations.refunds import refunded_fen
from station_tui.records import Outbox, PurchaseOrder, Refund, Villager
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from tests.orders_harness import (
    SIZE,
    ScreenApp,
    field,
    settle,
    table_rows,
    type_text,
)

pytestmark = pytest.mark.usefixtures("station")


def register(**overrides: Any) -> PurchaseOrder:
    fields: dict[str, Any] = {
        "name": "张三", "phone": "13800001111", "goods": "电饭锅", "count": "1",
        "amount": "582.42", "platform": "拼多多", "service_fee": "2",
    }
    fields.update(overrides)
    return purchases.register(**fields)


def outbox_versions(record_uuid: Any) -> list[int]:
    rows = Outbox.select().where(Outbox.record_uuid == record_uuid)
    return sorted(row.version for row in rows)


def test_a_registered_order_stores_fen_and_writes_its_outbox_row_C03() -> None:
    order = register()

    stored = PurchaseOrder.get_by_id(order.uuid)
    assert stored.amount_fen == 58242
    assert stored.service_fee_fen == 200
    assert stored.status == "registered"
    assert stored.villager_complete is True
    assert stored.phone_last4 == "1111" and stored.name_initials == "zs"
    assert outbox_versions(order.uuid) == [1]
    snapshot = json.loads(Outbox.get(Outbox.record_uuid == order.uuid).snapshot)
    assert snapshot["amount_fen"] == 58242


def test_phone_is_stored_as_eleven_digits_whatever_was_typed_C01() -> None:
    order = register(phone="＋８６ １３８ ００００ １１１１")

    assert PurchaseOrder.get_by_id(order.uuid).villager_phone == "13800001111"


def test_an_invalid_phone_is_refused_at_the_phone_field_C01() -> None:
    with pytest.raises(InputError) as info:
        register(phone="1380000111")

    assert info.value.field == "phone"
    assert "1380000111" in info.value.message
    assert PurchaseOrder.select().count() == 0


@pytest.mark.parametrize(
    ("field", "typed"),
    [("amount", "0"), ("amount", "-3"), ("amount", "9.995"), ("amount", ""),
     ("count", "0"), ("count", "1.5"), ("count", "两"), ("goods", " "),
     ("platform", "")],
)
def test_wrong_values_are_refused_at_their_field_and_nothing_is_saved_C03(
        field: str, typed: str) -> None:
    with pytest.raises(InputError) as info:
        register(**{field: typed})

    assert info.value.field == field
    assert PurchaseOrder.select().count() == 0
    assert Villager.select().count() == 0
    assert Outbox.select().count() == 0


def test_a_zero_service_fee_is_allowed_but_a_zero_amount_is_not_C03() -> None:
    order = register(service_fee="0")

    assert order.service_fee_fen == 0
    with pytest.raises(InputError, match="大于 0"):
        register(amount="0", service_fee="0")


def test_ten_orders_of_a_dime_sum_to_exactly_one_yuan_C03() -> None:
    for _ in range(10):
        register(amount="0.1")

    total = sum(o.amount_fen for o in PurchaseOrder.select())
    assert total == 100 and format_fen(total) == "1.00"


def test_the_villager_is_remembered_once_however_often_ordered() -> None:
    register()
    register(phone="138-0000-1111", goods="暖水瓶")

    assert Villager.select().count() == 1
    villager = Villager.get()
    assert {o.villager for o in PurchaseOrder.select()} == {villager.uuid}


def test_an_order_without_phone_is_kept_but_marked_incomplete() -> None:
    order = register(phone="")

    assert order.villager_complete is False
    assert order.villager is None
    assert Villager.select().count() == 0


def test_an_order_walks_from_registration_to_pickup_one_step_at_a_time() -> None:
    order = register()

    placed = purchases.place(order.uuid, "PDD2026040100001")
    assert placed.status == "ordered"
    assert placed.ordered_day == clock.local_date(placed.ordered_at)
    arrived = purchases.arrive(order.uuid)
    assert arrived.status == "arrived" and arrived.notified_at is not None
    done = purchases.pick_up(order.uuid)
    assert done.status == "picked_up" and done.picked_up_at is not None
    assert outbox_versions(order.uuid) == [1, 2, 3, 4]


def test_placing_an_order_requires_the_platform_order_number() -> None:
    order = register()

    with pytest.raises(InputError) as info:
        purchases.place(order.uuid, "  ")

    assert info.value.field == "order_no"
    assert PurchaseOrder.get_by_id(order.uuid).status == "registered"


def test_registering_with_an_order_number_places_the_order_at_once() -> None:
    order = register(order_no="JD123", when="2026-04-01 00:30")

    assert order.status == "ordered"
    assert order.ordered_day.isoformat() == "2026-04-01"
    assert order.happened_day.isoformat() == "2026-04-01"


def test_steps_cannot_be_skipped_or_go_back() -> None:
    order = register()

    with pytest.raises(RuleError, match="登记"):
        purchases.pick_up(order.uuid)
    with pytest.raises(RuleError):
        purchases.arrive(order.uuid)
    purchases.place(order.uuid, "TB1")
    with pytest.raises(RuleError):
        purchases.place(order.uuid, "TB2")
    assert PurchaseOrder.get_by_id(order.uuid).platform_order_no == "TB1"


def test_cancel_needs_a_reason_and_is_refused_after_pickup() -> None:
    first = register()
    with pytest.raises(InputError) as info:
        purchases.cancel(first.uuid, "")
    assert info.value.field == "reason"

    cancelled = purchases.cancel(first.uuid, "村民不要了")
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "村民不要了"

    second = register()
    purchases.place(second.uuid, "TB9")
    purchases.arrive(second.uuid)
    purchases.pick_up(second.uuid)
    with pytest.raises(RuleError, match="已取货"):
        purchases.cancel(second.uuid, "太晚了")


def picked_up_order(amount: str = "9.95") -> PurchaseOrder:
    order = register(amount=amount)
    purchases.place(order.uuid, "PDD1")
    purchases.arrive(order.uuid)
    return purchases.pick_up(order.uuid)


def test_a_return_is_its_own_positive_refund_linked_to_the_order_C03() -> None:
    order = picked_up_order("9.95")

    refund = purchases.return_goods(order.uuid, "尺码不合适")

    stored = Refund.get_by_id(refund.uuid)
    assert stored.amount_fen == 995
    assert stored.order == order.uuid and stored.order_kind == "purchase"
    assert stored.refund_kind == "return"
    reread = PurchaseOrder.get_by_id(order.uuid)
    assert reread.status == "returned"
    assert reread.amount_fen == 995  # the order keeps its own figure
    assert outbox_versions(refund.uuid) == [1]


def test_partial_refunds_never_exceed_what_remains() -> None:
    order = picked_up_order("10.00")

    purchases.refund(order.uuid, "3.50", "少发一件")
    with pytest.raises(InputError, match="6.50"):
        purchases.refund(order.uuid, "7", "再退")
    purchases.refund(order.uuid, "6.50", "全部退了")

    assert refunded_fen(order.uuid) == 1000
    with pytest.raises(RuleError, match="全额退款"):
        purchases.return_goods(order.uuid, "退货")


def test_a_return_after_a_partial_refund_refunds_only_the_rest() -> None:
    order = picked_up_order("10.00")
    purchases.refund(order.uuid, "2", "破损补偿")

    refund = purchases.return_goods(order.uuid, "还是不要了")

    assert refund.amount_fen == 800
    assert refunded_fen(order.uuid) == 1000


def test_a_cancelled_order_with_a_refund_is_refused_use_return() -> None:
    order = register()
    purchases.place(order.uuid, "PDD7")
    purchases.refund(order.uuid, "1", "优惠券返现")

    with pytest.raises(RuleError, match="退货"):
        purchases.cancel(order.uuid, "不要了")


def test_an_exchange_is_a_new_order_linked_to_the_original() -> None:
    order = picked_up_order("59.00")

    new = purchases.exchange(order.uuid, goods="电饭锅（换大号）", count="1",
                             amount="59")

    assert new.uuid != order.uuid
    assert new.original == order.uuid and new.order_kind == "exchange"
    assert new.status == "registered"
    assert new.villager_phone == "13800001111" and new.villager_complete
    assert PurchaseOrder.get_by_id(order.uuid).status == "picked_up"


def test_an_exchange_before_arrival_is_refused() -> None:
    order = register()

    with pytest.raises(RuleError):
        purchases.exchange(order.uuid, goods="x", count="1", amount="1")


def test_voiding_keeps_the_row_with_its_reason_and_voids_its_refunds() -> None:
    order = picked_up_order("20.00")
    purchases.refund(order.uuid, "5", "差价")

    purchases.void(order.uuid, "录重复了")

    reread = PurchaseOrder.get_by_id(order.uuid)
    assert reread.voided and reread.void_reason == "录重复了"
    assert refunded_fen(order.uuid) == 0
    assert Refund.select().count() == 1
    with pytest.raises(RuleError, match="作废"):
        purchases.arrive(order.uuid)
    assert order.uuid not in {o.uuid for o in purchases.recent()}


def test_recent_pages_never_repeat_or_skip_a_row() -> None:
    for n in range(7):
        register(goods=f"商品{n}", when="2026-04-01 08:00")

    seen = []
    page = purchases.recent(limit=3)
    while page:
        seen.extend(page)
        last = page[-1]
        page = purchases.recent(limit=3, before=(last.happened_at, str(last.uuid)))

    assert len(seen) == 7 and len({o.uuid for o in seen}) == 7


# -- the screen, driven by keys ----------------------------------------------


async def test_a_purchase_is_typed_through_to_pickup_and_returned() -> None:
    villagers.remember("张三", "13800001111")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "1111")
        await settle(pilot)
        await pilot.press("down", "enter")
        assert field(screen, "name").value == "张三"
        assert field(screen, "phone").value == "138****1111"
        await type_text(pilot, "电饭锅")
        await pilot.press("tab", "tab")
        await type_text(pilot, "582.42")
        await pilot.press("tab", "tab")
        await type_text(pilot, "拼多多")
        await pilot.press("ctrl+s")
        await settle(pilot)

        order = PurchaseOrder.get()
        assert (order.villager_phone, order.amount_fen) == ("13800001111", 58242)
        assert order.goods == "电饭锅" and order.platform == "拼多多"
        assert field(screen, "goods").value == ""  # the form is ready again
        row = table_rows(screen)[0]
        assert row[1:3] == ["登记", "582.42"]
        assert row[5:8] == ["张三", "138****1111", "电饭锅"]

        await pilot.press("ctrl+l", "o")
        await type_text(pilot, "PDD2026")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a", "enter")
        await settle(pilot)
        await pilot.press("p", "enter")
        await settle(pilot)
        assert PurchaseOrder.get().status == "picked_up"
        assert table_rows(screen)[0][1] == "已取货"

        await pilot.press("r")
        await type_text(pilot, "尺码不对")
        await pilot.press("enter")
        await settle(pilot)

    assert PurchaseOrder.get().status == "returned"
    refund = Refund.get()
    assert (refund.amount_fen, refund.order) == (58242, order.uuid)


async def test_a_wrong_amount_is_marked_at_its_field_and_typing_is_kept_C03(
) -> None:
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "李四")
        await pilot.press("tab")
        await type_text(pilot, "13900002222")
        await pilot.press("tab")
        await type_text(pilot, "化肥")
        await pilot.press("tab", "tab")
        await type_text(pilot, "9.995")
        await pilot.press("tab", "tab")
        await type_text(pilot, "京东")
        await pilot.press("ctrl+s")
        await settle(pilot)

        amount = field(screen, "amount")
        assert amount.has_class("-invalid")
        assert "9.995" in str(amount.query_one(".form-field--error").render())
        assert amount.input.has_focus
        assert field(screen, "goods").value == "化肥"
        assert field(screen, "name").value == "李四"
        assert field(screen, "platform").value == "京东"
        assert PurchaseOrder.select().count() == 0

        # Focusing the marked field selects its text; go to its end to fix it.
        await pilot.press("end", "backspace")
        await settle(pilot)
        assert not amount.has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert PurchaseOrder.get().amount_fen == 999


async def test_a_step_that_the_rules_refuse_is_told_in_the_dialog() -> None:
    purchases.register(name="张三", phone="13800001111", goods="锅", count="1",
                       amount="5", platform="淘宝")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "p", "enter")
        await settle(pilot)
        message = str(app.screen.query_one("#dialog-error").render())
        assert "登记" in message and "已到货" in message
        await pilot.press("escape")
        await settle(pilot)

    assert PurchaseOrder.get().status == "registered"


def test_a_time_in_the_future_is_refused_at_the_time_field() -> None:
    with pytest.raises(InputError) as info:
        register(when="2099-01-01 08:00")

    assert info.value.field == "when"


async def test_the_list_holds_one_page_and_pages_with_brackets() -> None:
    for n in range(PurchasesScreen.PAGE_SIZE + 10):
        register(goods=f"商品{n:02d}", when=f"2026-04-01 08:{n % 60:02d}")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        first = table_rows(screen)
        assert len(first) == PurchasesScreen.PAGE_SIZE
        await pilot.press("ctrl+l", "right_square_bracket")
        await settle(pilot)
        second = table_rows(screen)
        assert len(second) == 10
        assert not {r[7] for r in first} & {r[7] for r in second}
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert table_rows(screen) == first


async def test_the_return_dialog_says_what_is_left_to_refund() -> None:
    """Field report: 退货 said 全额退款 after an earlier partial refund."""
    order = register(amount="1000")
    purchases.place(order.uuid, "PDD1")
    purchases.arrive(order.uuid)
    purchases.refund(order.uuid, "200", "少发一件")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "r")
        await settle(pilot)
        dialog = app.screen
        title = str(dialog.query_one("#dialog-title").render())
        detail = str(dialog.query_one("#dialog-detail").render())
        assert title == "退货：退还余下的 800.00 元"
        assert "订单金额 1000.00 元，已退款 200.00 元，可退 800.00 元" in detail
        assert "全额" not in title + detail
        await type_text(pilot, "质量问题")
        await pilot.press("enter")
        await settle(pilot)
        assert any("退款 800.00 元" in n.message for n in app._notifications)

    assert refunded_fen(order.uuid) == 100000
    assert [r.amount_fen for r in Refund.select().order_by(Refund.amount_fen)] == [
        20000, 80000]


def test_a_return_is_refused_when_what_remains_changed_since_it_was_shown(
) -> None:
    order = register(amount="1000")
    purchases.place(order.uuid, "PDD1")
    purchases.arrive(order.uuid)
    purchases.refund(order.uuid, "200", "少发一件")

    with pytest.raises(RuleError, match="可退金额已变为 800.00 元"):
        purchases.return_goods(order.uuid, "质量问题", expected_fen=100000)

    assert Refund.select().count() == 1
    assert PurchaseOrder.get_by_id(order.uuid).status == "arrived"


async def test_a_platform_order_number_already_on_a_live_order_is_warned_about(
) -> None:
    """Field report: PDD-2026120500001 was accepted twice without a word."""
    first = register(name="张三", phone="13800001111", goods="电饭锅",
                     order_no="PDD-2026120500001")
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        for name, value in (("name", "李四"), ("phone", "13900002222"),
                            ("goods", "化肥"), ("amount", "80"),
                            ("platform", "拼多多"),
                            ("order_no", "PDD-2026120500001")):
            field(screen, name).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        warnings = [str(n.message) for n in app._notifications
                    if n.severity == "warning"]

    # Saved (one platform order may hold two villagers' goods), but named.
    assert PurchaseOrder.select().count() == 2
    assert len(warnings) == 1
    assert "PDD-2026120500001 已用于另一笔代购" in warnings[0]
    assert "张三 电饭锅" in warnings[0]
    assert purchases.number_warning(first).count("李四 化肥") == 1


async def test_placing_with_a_number_of_another_order_warns_in_the_dialog_path(
) -> None:
    register(name="张三", phone="13800001111", goods="电饭锅", order_no="PDD9",
             when="2026-04-01 08:00")
    register(name="李四", phone="13900002222", goods="化肥",
             when="2026-04-01 09:00")  # the newest, so the first row
    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "o")
        await type_text(pilot, "PDD9")
        await pilot.press("enter")
        await settle(pilot)
        warnings = [str(n.message) for n in app._notifications
                    if n.severity == "warning"]
    assert PurchaseOrder.get(PurchaseOrder.goods == "化肥").status == "ordered"
    assert len(warnings) == 1 and "张三 电饭锅" in warnings[0]


def test_a_cancelled_or_voided_order_does_not_hold_its_number() -> None:
    first = register(order_no="PDD5")
    purchases.cancel(first.uuid, "村民不要了")
    second = register(order_no="PDD5")
    assert purchases.number_warning(second) == ""
    assert "另一笔代购" in purchases.number_warning(register(order_no="PDD5"))
