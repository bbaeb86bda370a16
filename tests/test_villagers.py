"""Villagers: remembered by phone, found fast, erased on request (C01)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList

from station_tui.domain.phone import mask
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
from station_tui.ui.screens.villagers_screen import VillagersScreen
from station_tui.ui.widgets.villager_picker import VillagerPicker
from tests.orders_harness import (
    SIZE,
    ScreenApp,
    settle,
    table_rows,
    type_text,
)

pytestmark = pytest.mark.usefixtures("station")


def test_a_villager_is_stored_once_per_phone_C01() -> None:
    first = villagers.remember("张三", "138 0000 1111")
    again = villagers.remember("张三", "＋８６１３８００００１１１１")

    assert first.uuid == again.uuid
    assert Villager.select().count() == 1
    stored = Villager.get()
    assert stored.phone == "13800001111"
    assert (stored.phone_last4, stored.name_initials) == ("1111", "zs")


def test_relatives_sharing_a_phone_are_two_villagers_never_a_rename() -> None:
    """Field report: adding 𠮷祥😀 with 李四's phone silently renamed 李四."""
    li = villagers.remember("李四", "13900002222")
    ji = villagers.remember("𠮷祥😀", "13900002222")

    assert ji.uuid != li.uuid
    assert Villager.get_by_id(li.uuid).name == "李四"
    assert Villager.get_by_id(li.uuid).version == 1
    assert {v.name for v in villagers.find("2222")} == {"李四", "𠮷祥😀"}
    assert [v.name for v in villagers.sharing_phone(ji)] == ["李四"]
    # A form naming one of them links to that one, not to the first.
    order = purchases.register(name="𠮷祥😀", phone="13900002222", goods="化肥",
                               count="1", amount="10", platform="拼多多")
    assert order.villager == ji.uuid
    assert Villager.select().count() == 2


def test_a_name_is_corrected_only_when_asked_for() -> None:
    typo = villagers.remember("张山", "13800001111")
    order = purchases.register(name="张山", phone="13800001111", goods="化肥",
                               count="1", amount="10", platform="拼多多")

    fixed = villagers.rename(typo.uuid, "张三")

    assert (fixed.uuid, fixed.name, fixed.name_initials) == (typo.uuid, "张三", "zs")
    assert PurchaseOrder.get_by_id(order.uuid).villager_name == "张山"
    villagers.remember("张四", "13800001111")
    with pytest.raises(InputError) as info:
        villagers.rename(typo.uuid, "张四")
    assert info.value.field == "name" and "张四" in info.value.message


def test_erasing_one_of_two_on_a_phone_keeps_the_others_records() -> None:
    li = villagers.remember("李四", "13900002222")
    villagers.remember("𠮷祥😀", "13900002222")
    theirs = purchases.register(name="𠮷祥😀", phone="13900002222", goods="化肥",
                                count="1", amount="10", platform="拼多多")
    nobodys = services.record(kind="phone", account="13900002222", amount="50")

    villagers.erase(li.uuid, "本人要求")

    kept = PurchaseOrder.get_by_id(theirs.uuid)
    assert (kept.villager_name, kept.villager_phone) == ("𠮷祥😀", "13900002222")
    assert ServiceRecord.get_by_id(nobodys.uuid).account is None
    assert [v.name for v in villagers.find("2222")] == ["𠮷祥😀"]


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


# -- the picker and the screen, driven by keys -------------------------------


class PickerApp(App[None]):
    """A form with nothing but the picker and one field after it."""

    def compose(self) -> ComposeResult:
        yield VillagerPicker()
        yield Input(id="after")

    def on_mount(self) -> None:
        self.query_one(VillagerPicker).name_input.focus()


def option_texts(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)]


async def test_the_picker_finds_by_last_four_and_fills_name_and_phone(
        three_villagers: Any) -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.query_one(VillagerPicker)
        await type_text(pilot, "1111")
        await settle(pilot)
        texts = option_texts(app)
        assert len(texts) == 2
        assert all("****1111" in t for t in texts)
        assert not any("13800001111" in t for t in texts)

        await pilot.press("down", "down", "enter")
        await settle(pilot)
        chosen = picker.picked
        assert chosen is not None and chosen.name in {"张三", "李四"}
        assert picker.name_input.value == chosen.name
        assert picker.phone_input.value == mask(chosen.phone)
        assert picker.values() == {"name": chosen.name, "phone": chosen.phone}
        assert app.query_one("#after", Input).has_focus
        assert not picker.has_class("-matches")


async def test_the_picker_finds_by_pinyin_initials_typed_as_the_name(
        three_villagers: Any) -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.query_one(VillagerPicker)
        await type_text(pilot, "zsf")
        await settle(pilot)
        assert [t.split()[0] for t in option_texts(app)] == ["张三丰"]
        await pilot.press("down", "enter")
        await settle(pilot)

        assert picker.values() == {"name": "张三丰", "phone": "13900005678"}
        # Correcting the name keeps the picked phone; a new phone drops it.
        picker.name_input.value = "张三峰"
        await settle(pilot)
        assert picker.values()["phone"] == "13900005678"
        picker.phone_input.value = "13900005679"
        await settle(pilot)
        assert picker.picked is None
        assert picker.values()["phone"] == "13900005679"


async def test_escape_closes_the_matches_and_a_new_name_is_kept(
        three_villagers: Any) -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        picker = app.query_one(VillagerPicker)
        await type_text(pilot, "张三")
        await settle(pilot)
        assert picker.has_class("-matches")
        await pilot.press("escape")
        assert not picker.has_class("-matches")
        assert picker.values()["name"] == "张三"
        assert picker.picked is None


def masked_everywhere(rows: list[list[str]]) -> bool:
    """No cell of the list holds a whole phone number."""
    return not any(cell.isdigit() and len(cell) == 11 for r in rows for cell in r)


async def test_the_villagers_screen_finds_and_erases_on_request(
        three_villagers: Any) -> None:
    ledger = make_ledger(three_villagers["zs"])
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(table_rows(screen)) == 3
        assert masked_everywhere(table_rows(screen))

        await pilot.press("ctrl+f")
        await type_text(pilot, "zs")
        await settle(pilot)
        rows = table_rows(screen)
        assert [r[0] for r in rows][0] == "张三"
        assert {r[0] for r in rows} == {"张三", "张三丰"}

        await pilot.press("enter", "e", "enter")
        await settle(pilot)
        assert app.screen is not screen  # a reason is required: still asking
        await type_text(pilot, "本人来站要求删除")
        await pilot.press("enter")
        await settle(pilot)
        assert [r[0] for r in table_rows(screen)] == ["张三丰"]

    order = PurchaseOrder.get_by_id(ledger["order"].uuid)
    assert order.villager_name is None and order.amount_fen == 12050
    assert Villager.get_by_id(three_villagers["zs"].uuid).erase_reason == (
        "本人来站要求删除")


async def test_a_villager_is_added_on_the_screen_with_a_phone_check_C01() -> None:
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "赵六")
        await pilot.press("tab")
        await type_text(pilot, "136-0000-444")
        await pilot.press("ctrl+s")
        await settle(pilot)
        phone = screen.query_one("#field-phone")
        assert phone.has_class("-invalid")
        assert screen.query_one("#field-name").value == "赵六"

        await pilot.press("end")
        await type_text(pilot, "4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table_rows(screen)[0][:2] == ["赵六", "136****4444"]

    assert Villager.get().phone == "13600004444"


# -- every list shows an erasure the next time it is shown --------------------


async def test_an_erasure_on_F10_shows_on_every_list_screen_at_once(
        three_villagers: Any, db_path: Any) -> None:
    """Field report: F5 still listed 张三 138****1111 until the app restarted."""
    from textual.widgets import DataTable

    from station_tui.ui.app import StationApp

    make_ledger(three_villagers["zs"])
    app = StationApp(db_path, start_checks=False)

    def listed() -> str:
        table = app.screen.query_one(DataTable)
        return repr([[str(c) for c in table.get_row_at(i)]
                     for i in range(table.row_count)])

    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("f5", "f6", "f7", "f9"):
            await pilot.press(key)
            await settle(pilot)
            assert "'张三'" in listed() and "138****1111" in listed(), key
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, "zs")  # the picker offers 张三 and 张三丰
        await settle(pilot)
        picker = app.screen.query_one(VillagerPicker)
        assert "张三 " in repr(option_texts(app))

        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await type_text(pilot, "13800001111")
        await settle(pilot)
        await pilot.press("enter", "e")
        await settle(pilot)
        await type_text(pilot, "本人要求删除")
        await pilot.press("enter")
        await settle(pilot)

        for key in ("f5", "f6", "f7", "f9"):
            await pilot.press(key)
            await settle(pilot)
            rows = listed()
            assert "'张三'" not in rows and "138****1111" not in rows, key
            assert "120.50" in rows or key in ("f6", "f7")  # figures stay
        await pilot.press("f5")
        await settle(pilot)
        assert picker.name_input.value == "zs"  # what was typed stays
        assert "张三 " not in repr(option_texts(app))


async def test_a_second_villager_on_a_phone_is_added_and_both_can_be_picked(
        ) -> None:
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name in ("李四", "𠮷祥😀"):
            screen = app.screen
            screen.query_one("#field-name").value = name
            screen.query_one("#field-phone").value = "139 0000 2222"
            await pilot.press("ctrl+s")
            await settle(pilot)
        names = [r[:2] for r in table_rows(app.screen)]
        assert sorted(names) == [["李四", "139****2222"], ["𠮷祥😀", "139****2222"]]
        assert any("与李四共用这个手机号" in n.message for n in app._notifications)

    from station_tui.ui.screens.purchases_screen import PurchasesScreen

    app = ScreenApp(PurchasesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "2222")
        await settle(pilot)
        offered = [o.split()[0] for o in option_texts(app)]
        assert sorted(offered) == ["李四", "𠮷祥😀"]
        await pilot.press("down", *["down"] * offered.index("李四"), "enter")
        await settle(pilot)
        for name, text in (("goods", "化肥"), ("amount", "10"), ("platform", "淘宝")):
            app.screen.query_one(f"#field-{name}").value = text
        await pilot.press("ctrl+s")
        await settle(pilot)

    order = PurchaseOrder.get()
    li = Villager.get(Villager.name == "李四")
    assert (order.villager, order.villager_name) == (li.uuid, "李四")
    assert {v.name for v in Villager.select()} == {"李四", "𠮷祥😀"}


async def test_a_villager_is_renamed_on_the_screen_with_n() -> None:
    villagers.remember("张山", "13800001111")
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "n")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "张三")
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(app.screen)[0][:3] == ["张三", "138****1111", "zs"]


# -- a person's name: no phone in it, at most 32 characters --------------------

_NAME_CASES = [
    ("12345678901", "像是电话号码"),          # eleven digits, not a valid mobile
    ("张三 0355-1234567", "像是电话号码"),     # a landline in the name
    ("１３８００００１１１１", "像是电话号码"),
    ("1234", "里没有文字"),
    ("欧" * 33, "最多 32 字"),
]


def _registers() -> dict[str, Any]:
    return {
        "村民": lambda name: villagers.remember(name, "13800001111"),
        "代购": lambda name: purchases.register(
            name=name, phone="13800001111", goods="电饭锅", count="1",
            amount="100", platform="拼多多"),
        "代销": lambda name: sales.register(
            name=name, phone="13800001111", product="小米", offer_kind="product",
            count="1", unit_price="10", channel="platform", channel_name="拼多多",
            buyer="", order_no="PDD1"),
        "便民": lambda name: services.record(
            kind="electricity", name=name, phone="13800001111", account="0101",
            amount="100", fee="0"),
    }


@pytest.mark.parametrize(("name", "says"), _NAME_CASES)
@pytest.mark.parametrize("form", ["村民", "代购", "代销", "便民"])
def test_every_person_name_field_refuses_a_phone_and_long_text(
    form: str, name: str, says: str,
) -> None:
    with pytest.raises(InputError) as info:
        _registers()[form](name)
    assert info.value.field == "name"
    assert says in info.value.message and "32 字" in info.value.message
    assert Villager.select().count() == 0


def test_a_rename_is_checked_as_every_name_is() -> None:
    villager = villagers.remember("张三", "13800001111")
    with pytest.raises(InputError, match="像是电话号码"):
        villagers.rename(villager.uuid, "12345678901")
    assert villagers.rename(villager.uuid, "欧" * 32).name == "欧" * 32


def test_names_with_a_few_digits_or_32_characters_are_kept() -> None:
    for name in ("张三2", "Lily王", "欧" * 32, "吉𠮷祥"):
        assert villagers.remember(name, "13800001111").name == name


async def test_a_phone_in_the_name_field_is_marked_and_the_typing_kept() -> None:
    app = ScreenApp(VillagersScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "12345678901")
        await pilot.press("tab")
        await type_text(pilot, "13600004444")
        await pilot.press("ctrl+s")
        await settle(pilot)
        name = screen.query_one("#field-name")
        assert name.has_class("-invalid")
        assert name.value == "12345678901"
        assert screen.query_one("#field-phone").value == "13600004444"
    assert Villager.select().count() == 0
