"""Phones are masked in every list and export, wherever a column can hold one.

Field report: a top-up typed on 便民 (F7) to 13700001111 was listed whole
in 台账 (F9) and in every export, although the export dialog promises
138****1111 only. A phone can also sit in an account that is not always
one (a broadband account), in a note, an address or a buyer's name.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from station_tui.cli import main
from station_tui.domain.phone_text import mask_phones
from station_tui.errors import InputError
from station_tui.exports import export_ledger
from station_tui.operations import purchases, sales, services, villagers
from station_tui.operations.ledger_search import ALL_KINDS, LedgerQuery
from station_tui.records import StationProfile
from station_tui.ui.app import StationApp
from station_tui.ui.screens.sales_screen import SalesScreen
from station_tui.ui.screens.services_screen import ServicesScreen
from station_tui.ui.screens.villagers_screen import VillagersScreen
from tests.orders_harness import SIZE, ScreenApp, settle, table_rows, type_text

TOP_UP = "13700001111"
#: Every whole phone number the ledger below holds somewhere.
WHOLE = (TOP_UP, "13900002222", "13600003333", "13500004444", "13800005555")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("13700001111", "137****1111"),
        ("请打 137-0000-1111 或 +86 139 0000 2222", "请打 137****1111 或 +86 139****2222"),
        ("８６１３７００００１１１１", "86137****1111"),
        ("SF13700001111", "SF13700001111"),  # part of a tracking number
        ("137000011112", "137000011112"),  # twelve digits: not a phone
        ("0101-2233", "0101-2233"),
        ("", ""),
    ],
)
def test_mobile_numbers_inside_text_are_masked_and_nothing_else(
        text: str, shown: str) -> None:
    assert mask_phones(text) == shown


@pytest.fixture
def phones_everywhere(station: StationProfile) -> None:
    services.record(kind="phone", account=TOP_UP, amount="50")
    services.record(kind="internet", name="李四", phone="13900002222",
                    account="13900002222", amount="100",
                    note="宽带坏了回电 13600003333")
    services.record(kind="electricity", account="0101223344", amount="80")
    sales.register(name="王五", phone="13500004444", product="小米",
                   offer_kind="product", count="1", unit_price="80",
                   channel="o2o", buyer="太原王女士 13800005555")
    villagers.remember("赵六", "13500004444", "城关村 13800005555 隔壁")


def whole_phones_in(text: str) -> list[str]:
    return [phone for phone in WHOLE if phone in text]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_no_export_holds_a_whole_phone_number(
        phones_everywhere: None, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"all.{fmt}"
    export_ledger(LedgerQuery(kinds=ALL_KINDS), out, fmt)  # type: ignore[arg-type]

    if fmt == "xlsx":
        from openpyxl import load_workbook

        rows = load_workbook(out, read_only=True)["台账"].values
        text = "\n".join(" ".join(str(c) for c in row if c) for row in rows)
    else:
        text = out.read_text(encoding="utf-8-sig")
    assert whole_phones_in(text) == []
    assert "137****1111" in text and "0101223344" in text


def test_the_export_command_masks_a_top_up_number(
        phones_everywhere: None, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "services.json"

    assert main(["export", "--db", str(db_path), "--kind", "service_record",
                 "--format", "json", "--out", str(out)]) == 0

    items = {i["detail"]: i for i in json.loads(out.read_text(encoding="utf-8"))}
    assert items["缴费充值 话费充值"]["number"] == "137****1111"
    # A broadband account that is a mobile number is masked; a power
    # account number is not a phone and stays whole.
    assert items["缴费充值 网费"]["number"] == "139****2222"
    assert items["缴费充值 网费"]["note"] == "宽带坏了回电 136****3333"
    assert items["缴费充值 电费"]["number"] == "0101223344"


async def test_a_top_up_typed_on_F7_is_masked_on_F9_and_in_its_export(
        station: StationProfile, db_path: Path, tmp_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        await settle(pilot)
        # 话费充值 is the fourth service; the account field comes after
        # the customer's name and phone.
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, TOP_UP)
        await pilot.press("tab")
        await type_text(pilot, "50")
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("f9")
        await settle(pilot)
        table = app.screen.query_one("#ledger-table", DataTable)
        row = " ".join(str(cell) for cell in table.get_row_at(0))
        assert "137****1111" in row and TOP_UP not in row

        await pilot.press("ctrl+e")
        await settle(pilot)
        out = tmp_path / "台账.csv"
        app.screen.query_one("#input-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)

    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 2
    assert "137****1111" in rows[1] and TOP_UP not in out.read_text("utf-8-sig")


async def test_the_services_list_masks_a_phone_in_an_account_or_note(
        phones_everywhere: None) -> None:
    app = ScreenApp(ServicesScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = table_rows(app.screen)
    assert whole_phones_in(repr(rows)) == []
    assert ["网费", "李四", "139****2222", "139****2222"] in [
        [r[1], *r[4:7]] for r in rows]


async def test_the_sales_and_villagers_lists_mask_a_phone_in_a_buyer_or_address(
        phones_everywhere: None) -> None:
    for screen in (SalesScreen, VillagersScreen):
        app = ScreenApp(screen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            rows = table_rows(app.screen)
        assert rows and whole_phones_in(repr(rows)) == []


def test_a_phone_typed_into_a_name_field_is_refused_at_that_field(
        station: StationProfile) -> None:
    with pytest.raises(InputError) as info:
        purchases.register(name="张三 13800005555", phone="", goods="化肥",
                           count="1", amount="10", platform="拼多多")

    assert info.value.field == "name"
    assert "手机号" in info.value.message
