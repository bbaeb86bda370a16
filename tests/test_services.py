"""Convenience and financial services: payments, bookings, finance (C01, C03)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Select

from station_tui.domain.labels import SERVICE_KIND
from station_tui.domain.money import format_fen
from station_tui.errors import InputError, RuleError
from station_tui.operations import services
from station_tui.records import Outbox, ServiceRecord
from station_tui.ui.screens.services_screen import ServicesScreen
from tests.orders_harness import (
    SIZE,
    ScreenApp,
    field,
    settle,
    table_rows,
    type_text,
)

pytestmark = pytest.mark.usefixtures("station")


def record(**overrides: Any) -> ServiceRecord:
    fields: dict[str, Any] = {
        "kind": "electricity", "name": "王五", "phone": "13700003333",
        "account": "0101-2233", "amount": "100", "fee": "0",
    }
    fields.update(overrides)
    return services.record(**fields)


def test_a_bill_payment_stores_amount_and_fee_in_fen_C03() -> None:
    saved = record(amount="582.42", fee="1")

    stored = ServiceRecord.get_by_id(saved.uuid)
    assert (stored.category, stored.kind) == ("payment", "electricity")
    assert (stored.amount_fen, stored.fee_fen) == (58242, 100)
    assert stored.customer_phone == "13700003333"
    assert Outbox.select().where(Outbox.record_uuid == saved.uuid).count() == 1


def test_a_zero_payment_is_refused_but_a_zero_fee_is_allowed_C03() -> None:
    with pytest.raises(InputError) as info:
        record(amount="0")
    assert info.value.field == "amount"

    assert record(fee="0").fee_fen == 0
    with pytest.raises(InputError) as info:
        record(fee="0.001")
    assert info.value.field == "fee"


def test_amounts_typed_with_yuan_are_read_like_weights_with_units() -> None:
    saved = record(amount="￥５８２.４２", fee="１２元")
    stored = ServiceRecord.get_by_id(saved.uuid)
    assert (stored.amount_fen, stored.fee_fen) == (58242, 1200)


def test_ten_top_ups_of_a_dime_sum_to_exactly_one_yuan_C03() -> None:
    for _ in range(10):
        record(kind="phone", account="13700003333", amount="0.1")

    total = sum(r.amount_fen for r in ServiceRecord.select())
    assert format_fen(total) == "1.00"


def test_a_phone_top_up_stores_the_topped_up_number_as_eleven_digits_C01() -> None:
    saved = record(kind="phone", account="＋８６ １３７ ００００ ３３３３")

    assert saved.account == "13700003333"
    with pytest.raises(InputError) as info:
        record(kind="phone", account="1370000")
    assert info.value.field == "account"


def test_a_payment_needs_its_account_a_booking_does_not() -> None:
    with pytest.raises(InputError) as info:
        record(kind="water", account="")
    assert info.value.field == "account"

    hotel = record(kind="hotel", account="", amount="268")
    assert (hotel.category, hotel.kind) == ("booking", "hotel")


@pytest.mark.parametrize("kind", ["train", "air", "withdrawal", "lottery"])
def test_bookings_and_financial_services_are_recorded(kind: str) -> None:
    saved = record(kind=kind, account="", amount="20")

    assert saved.category == services.CATEGORY_OF[kind]
    assert saved.amount_fen == 2000


def test_a_loan_referral_may_have_no_amount_yet() -> None:
    saved = record(kind="loan_referral", account="", amount="0")

    assert saved.category == "financial" and saved.amount_fen == 0


def test_an_unknown_kind_is_refused_at_the_kind_field() -> None:
    with pytest.raises(InputError) as info:
        record(kind="gas")

    assert info.value.field == "kind"


def test_the_customer_is_optional_but_checked_when_given_C01() -> None:
    anonymous = record(name="", phone="")
    assert anonymous.customer_name is None and anonymous.villager is None

    with pytest.raises(InputError) as info:
        record(phone="2370000333")
    assert info.value.field == "phone"


def test_a_service_is_voided_with_a_reason_never_deleted() -> None:
    saved = record()

    with pytest.raises(InputError):
        services.void(str(saved.uuid), " ")
    services.void(str(saved.uuid), "重复录入")

    assert ServiceRecord.get_by_id(saved.uuid).void_reason == "重复录入"
    with pytest.raises(RuleError):
        services.void(str(saved.uuid), "再次")
    assert services.recent() == []


# -- the screen, driven by keys ----------------------------------------------


async def test_a_top_up_is_typed_with_a_zero_amount_then_fixed_C03() -> None:
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        # The kind list opens with Enter; 话费充值 is the fourth entry.
        await pilot.press("enter", "down", "down", "down", "enter")
        await settle(pilot)
        assert str(field(screen, "account").query_one("Label").render()) == "充值手机号"
        await pilot.press("tab")
        await type_text(pilot, "赵六")
        await pilot.press("tab")
        await type_text(pilot, "13600004444")
        await pilot.press("tab")
        await type_text(pilot, "136 0000 4444")
        await pilot.press("tab")
        await type_text(pilot, "0")
        await pilot.press("ctrl+s")
        await settle(pilot)

        amount = field(screen, "amount")
        assert amount.has_class("-invalid")
        assert "大于 0" in str(amount.query_one(".form-field--error").render())
        assert field(screen, "account").value == "136 0000 4444"
        assert ServiceRecord.select().count() == 0

        await type_text(pilot, "50")
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = table_rows(screen)[0]
        assert row[1:3] == ["话费充值", "50.00"]
        assert row[4:7] == ["赵六", "136****4444", "136****4444"]

    saved = ServiceRecord.get()
    assert (saved.kind, saved.account, saved.amount_fen) == ("phone", "13600004444",
                                                             5000)


async def test_a_service_is_voided_from_the_list_with_a_reason() -> None:
    record(kind="water", account="A-1", amount="30")
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "v", "enter")
        await settle(pilot)
        assert field(app.screen, "reason").has_class("-invalid")
        await type_text(pilot, "录错了")
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(app.screen) == []

    assert ServiceRecord.get().void_reason == "录错了"


@pytest.mark.parametrize("kind", list(SERVICE_KIND))
async def test_each_service_kinds_account_label_message_and_need_agree(
        kind: str) -> None:
    """Field report: 网费 was labelled 宽带账号 but said 请填写户号 and was
    required, though only water, electricity and top-ups need an account."""
    needed = kind in ("water", "electricity", "phone")
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#select-kind", Select).value = kind
        await settle(pilot)
        account = field(screen, "account")
        label = str(account.query_one("Label").render())
        field(screen, "amount").value = "20"
        await pilot.press("ctrl+s")
        await settle(pilot)

        if needed:
            assert "可空" not in label
            assert account.has_class("-invalid")
            message = str(account.query_one(".form-field--error").render())
            assert message == f"请填写{label}"
            assert ServiceRecord.select().count() == 0
        else:
            assert label.endswith("（可空）")
            assert not account.has_class("-invalid")
            assert ServiceRecord.get().kind == kind
