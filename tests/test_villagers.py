"""Villagers: remembered by phone, found fast, erased on request (C01)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from peewee import SqliteDatabase

from station_tui.errors import InputError, RuleError
from station_tui.operations import changes, purchases, sales, services, villagers
from station_tui.records import (
    Outbox,
    ParcelIn,
    PurchaseOrder,
    Refund,
    SaleOrder,
    ServiceRecord,
    Villager,
)
from station_tui.storage.db import write_txn

pytestmark = pytest.mark.usefixtures("station")


def test_a_villager_is_stored_once_per_phone_C01() -> None:
    first = villagers.remember("张三", "138 0000 1111")
    again = villagers.remember("张三", "＋８６１３８００００１１１１")

    assert first.uuid == again.uuid
    assert Villager.select().count() == 1
    stored = Villager.get()
    assert stored.phone == "13800001111"
    assert (stored.phone_last4, stored.name_initials) == ("1111", "zs")


def test_a_new_name_for_the_same_phone_updates_the_villager() -> None:
    villagers.remember("张山", "13800001111")
    fixed = villagers.remember("张三", "13800001111")

    assert fixed.version == 2 and fixed.name == "张三"
    assert Villager.select().count() == 1
    assert villagers.find("zs")[0].uuid == fixed.uuid


def test_remembering_needs_both_a_name_and_a_valid_phone_C01() -> None:
    with pytest.raises(InputError) as info:
        villagers.remember("", "13800001111")
    assert info.value.field == "name"
    with pytest.raises(InputError) as info:
        villagers.remember("张三", "138-0000")
    assert info.value.field == "phone"
    assert Villager.select().count() == 0


@pytest.fixture
def three_villagers() -> dict[str, Villager]:
    return {
        "zs": villagers.remember("张三", "13800001111"),
        "zsf": villagers.remember("张三丰", "13900005678"),
        "ls": villagers.remember("李四", "13700001111"),
    }


def names(found: list[Villager]) -> set[str]:
    return {v.name for v in found}


def test_find_by_the_phone_last_four_digits(three_villagers: Any) -> None:
    assert names(villagers.find("1111")) == {"张三", "李四"}
    assert names(villagers.find("5678")) == {"张三丰"}
    assert villagers.find("0000") == []


def test_find_by_pinyin_initials(three_villagers: Any) -> None:
    assert names(villagers.find("zs")) == {"张三", "张三丰"}
    assert names(villagers.find("ZSF")) == {"张三丰"}
    assert names(villagers.find("l")) == {"李四"}


def test_find_by_part_of_the_name_puts_the_exact_name_first(
        three_villagers: Any) -> None:
    found = villagers.find("张三")
    assert [v.name for v in found][0] == "张三"
    assert names(found) == {"张三", "张三丰"}
    assert names(villagers.find("三丰")) == {"张三丰"}


def test_find_by_a_whole_phone_number(three_villagers: Any) -> None:
    assert names(villagers.find("13900005678")) == {"张三丰"}


def test_finding_uses_the_indexes(db: SqliteDatabase) -> None:
    for query in ("1111", "zs"):
        sql, params = villagers.find_query(query).sql()
        plan = db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        details = " ".join(str(row[-1]) for row in plan)
        assert "USING INDEX" in details, details


def test_finding_among_five_thousand_villagers_is_quick() -> None:
    with write_txn():
        for n in range(5000):
            phone = f"138{n:08d}"
            changes.create(Villager, station="QY-001", name=f"村民{n}", phone=phone,
                           phone_last4=phone[-4:], name_initials=f"cm{n % 97}")
    villagers.remember("张三", "13999991234")

    started = time.perf_counter()
    for query in ("1234", "zs", "cm5", "张三"):
        villagers.find(query)
    elapsed = time.perf_counter() - started

    assert villagers.find("1234")[0].name in {"张三", "村民1234"}
    assert elapsed < 0.25


def test_erased_villagers_are_never_found(three_villagers: Any) -> None:
    villagers.erase(three_villagers["zs"].uuid, "本人要求删除")

    assert names(villagers.find("1111")) == {"李四"}
    assert names(villagers.find("zs")) == {"张三丰"}


def make_ledger(villager: Villager) -> dict[str, Any]:
    order = purchases.register(name="张三", phone="13800001111", goods="化肥",
                               count="2", amount="120.50", platform="拼多多",
                               service_fee="3")
    purchases.place(order.uuid, "PDD1")
    purchases.arrive(order.uuid)
    purchases.pick_up(order.uuid)
    refund = purchases.refund(order.uuid, "9.95", "少一袋")
    sale = sales.register(name="张三", phone="13800001111", product="核桃",
                          offer_kind="product", count="5", unit_price="12",
                          channel="platform", channel_name="淘宝",
                          buyer="太原王女士", order_no="TB1")
    top_up = services.record(kind="phone", name="张三", phone="13800001111",
                             account="13800001111", amount="50", fee="0")
    with write_txn():
        parcel = changes.create(
            ParcelIn, station="QY-001", tracking_no="SF1234567890123",
            carrier="SF", recipient_name="张三", recipient_phone="13800001111",
            phone_last4="1111", name_initials="zs", shelf_slot="A1",
            pickup_code="1-1-1",
        )
    return {"order": order, "refund": refund, "sale": sale, "top_up": top_up,
            "parcel": parcel}


def test_erasing_blanks_personal_fields_everywhere_and_keeps_figures(
        three_villagers: Any) -> None:
    villager = three_villagers["zs"]
    ledger = make_ledger(villager)

    changed = villagers.erase(villager.uuid, "村民本人书面申请")

    assert changed == 5  # order, sale, top-up, parcel and the villager
    gone = Villager.get_by_id(villager.uuid)
    assert (gone.name, gone.phone, gone.address) == (None, None, None)
    assert (gone.phone_last4, gone.name_initials) == ("", "")
    assert gone.erased_at is not None and gone.erase_reason == "村民本人书面申请"

    order = PurchaseOrder.get_by_id(ledger["order"].uuid)
    assert (order.villager_name, order.villager_phone) == (None, None)
    assert (order.phone_last4, order.name_initials) == ("", "")
    assert (order.amount_fen, order.service_fee_fen, order.quantity) == (
        12050, 300, 2)
    assert order.status == "picked_up" and order.platform_order_no == "PDD1"
    assert order.villager_complete is True  # the ledger was complete when kept
    assert Refund.get_by_id(ledger["refund"].uuid).amount_fen == 995

    sale = SaleOrder.get_by_id(ledger["sale"].uuid)
    assert (sale.seller_name, sale.seller_phone, sale.buyer) == (None, None, None)
    assert sale.amount_fen == 6000

    top_up = ServiceRecord.get_by_id(ledger["top_up"].uuid)
    assert (top_up.customer_name, top_up.account) == (None, None)
    assert top_up.amount_fen == 5000

    parcel = ParcelIn.get_by_id(ledger["parcel"].uuid)
    assert (parcel.recipient_name, parcel.recipient_phone) == (None, None)
    assert parcel.tracking_no == "SF1234567890123"

    other = Villager.get_by_id(three_villagers["ls"].uuid)
    assert other.name == "李四" and other.phone == "13700001111"


def test_erasing_writes_a_new_version_and_scrubs_older_snapshots(
        three_villagers: Any) -> None:
    villager = three_villagers["zs"]
    order = make_ledger(villager)["order"]
    versions_before = PurchaseOrder.get_by_id(order.uuid).version

    villagers.erase(villager.uuid, "本人要求")

    reread = PurchaseOrder.get_by_id(order.uuid)
    assert reread.version == versions_before + 1
    rows = list(Outbox.select().where(Outbox.record_uuid == order.uuid))
    assert max(r.version for r in rows) == reread.version
    for row in rows:
        text = row.snapshot
        assert "张三" not in text and "13800001111" not in text
        assert json.loads(text)["amount_fen"] == 12050


def test_erasing_needs_a_reason_and_happens_once(three_villagers: Any) -> None:
    villager = three_villagers["zs"]

    with pytest.raises(InputError) as info:
        villagers.erase(villager.uuid, "  ")
    assert info.value.field == "reason"
    assert Villager.get_by_id(villager.uuid).name == "张三"

    villagers.erase(villager.uuid, "本人要求")
    with pytest.raises(RuleError):
        villagers.erase(villager.uuid, "本人要求")
