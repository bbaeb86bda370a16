"""The ledger search: every kind, by phone, name, initials, number and days."""

from __future__ import annotations

import time
import uuid
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, Select

from station_tui.domain import clock
from station_tui.errors import InputError
from station_tui.exports.ledger_table import LIST_COLUMNS, cells, row_text
from station_tui.operations import changes
from station_tui.operations.ledger_search import (
    ALL_KINDS,
    Cursor,
    LedgerQuery,
    count_hits,
    page_queries,
    parse_terms,
    search_page,
)
from station_tui.records import ParcelIn, Refund, StationProfile, Villager
from station_tui.storage.db import write_txn
from station_tui.ui.screens.ledger_export_modal import LedgerExportModal
from station_tui.ui.screens.ledger_screen import LedgerScreen
from tests.ledger_factory import (
    STATION,
    ScreenApp,
    add,
    at,
    parcel_in,
    parcel_out,
    purchase,
    sale,
    service,
    settle,
)


#: Where each column sits in the ledger screen's list.
LIST = {column.key: n for n, column in enumerate(LIST_COLUMNS)}


def found(query: LedgerQuery) -> list[tuple[str, str]]:
    """(kind, name) of every hit, newest first, across all pages."""
    rows: list[tuple[str, str]] = []
    cursor: Cursor | None = None
    while True:
        page = search_page(query, cursor, limit=3)
        rows += [(h.kind, cells(h)["name"]) for h in page.hits]
        if page.next_cursor is None:
            return rows
        cursor = page.next_cursor


@pytest.fixture
def ledger(station: StationProfile) -> None:
    parcel_in("2026-04-01 08:00", "SF1234567890123", "张三", "13800001234")
    parcel_in("2026-04-02 09:00", "YT1234567890123", "李四", "13900005678")
    parcel_out("2026-04-01 10:00", "张三", "13800001234", tracking_no="73100000000001")
    order = purchase("2026-04-03 11:00", "张四", "13700001234",
                     platform_order_no="PDD20260403001")
    sale("2026-04-04 12:00", "王五", "13600009999", order_no="o2o-88")
    service("2026-04-05 13:00", "张三丰", "13500004321", account="DL-0099")
    add(Refund, "2026-04-06 14:00", order_kind="purchase", order=order.uuid,
        amount_fen=995, reason="少发一件")
    add(Villager, "2026-03-01 09:00", name="张三", phone="13800001234",
        phone_last4="1234", name_initials="zs")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", {"last4": "1234"}),
        ("１２３４", {"last4": "1234"}),
        ("138 0000 1234", {"last4": "1234", "phone": "13800001234",
                           "numbers": ("13800001234",)}),
        ("ZS", {"initials": "zs", "numbers": ("ZS",)}),
        ("zs", {"initials": "zs", "numbers": ("ZS", "zs")}),
        ("张三", {"initials": "zs", "name": "张三"}),
        ("sf1234", {"numbers": ("SF1234", "sf1234")}),
        ("", {}),
        ("𠮷", {"name": "𠮷"}),
        ("🙂", {"name": "🙂"}),
    ],
)
def test_the_search_text_is_read_as_phone_name_initials_or_number(
    text: str, expected: dict[str, object],
) -> None:
    terms = parse_terms(text)
    assert {k: v for k, v in vars(terms).items() if v} == expected


def test_last_four_finds_every_kind_and_the_refund_through_its_order(
    ledger: None,
) -> None:
    assert found(LedgerQuery("1234")) == [
        ("refund", "张四"), ("purchase_order", "张四"),
        ("parcel_out", "张三"), ("parcel_in", "张三"),
    ]
    assert found(LedgerQuery("1234", kinds=("villager",))) == [("villager", "张三")]


def test_a_whole_phone_number_finds_only_that_number(ledger: None) -> None:
    assert found(LedgerQuery("13800001234")) == [
        ("parcel_out", "张三"), ("parcel_in", "张三")]


def test_initials_find_names_that_start_with_them(ledger: None) -> None:
    assert [n for _, n in found(LedgerQuery("zs"))] == [
        "张四", "张三丰", "张四", "张三", "张三"]
    assert [n for _, n in found(LedgerQuery("zsf"))] == ["张三丰"]


def test_a_chinese_name_finds_names_starting_with_it(ledger: None) -> None:
    assert [n for _, n in found(LedgerQuery("张三"))] == ["张三丰", "张三", "张三"]
    assert found(LedgerQuery("李")) == [("parcel_in", "李四")]


@pytest.mark.parametrize("text", ["𠮷", "🙂", "\ud842\udfb7", "吉🙂", "é"])
def test_text_without_any_search_key_never_finds_everything(
    ledger: None, text: str,
) -> None:
    # 𠮷 has no pinyin reading, an emoji no initials: such text was once
    # read as no filter at all and listed every record.
    assert found(LedgerQuery(text, kinds=ALL_KINDS)) == []
    assert count_hits(LedgerQuery(text, kinds=ALL_KINDS)) == 0


def test_a_name_without_initials_is_found_literally(ledger: None) -> None:
    purchase("2026-04-07 08:00", "吉𠮷祥", "13700002222")
    purchase("2026-04-07 09:00", "小🙂", "13700003333")
    assert found(LedgerQuery("𠮷")) == [("purchase_order", "吉𠮷祥")]
    assert found(LedgerQuery("🙂")) == [("purchase_order", "小🙂")]
    assert found(LedgerQuery("吉𠮷祥")) == [("purchase_order", "吉𠮷祥")]
    assert count_hits(LedgerQuery("🙂")) == 1


def test_tracking_and_order_numbers_match_by_their_start(ledger: None) -> None:
    assert found(LedgerQuery("sf12345")) == [("parcel_in", "张三")]
    assert found(LedgerQuery("SF1234567890123")) == [("parcel_in", "张三")]
    assert found(LedgerQuery("7310000")) == [("parcel_out", "张三")]
    assert found(LedgerQuery("PDD2026")) == [
        ("refund", "张四"), ("purchase_order", "张四")]
    assert found(LedgerQuery("o2o-8")) == [("sale_order", "王五")]
    assert found(LedgerQuery("SF9")) == []


def test_a_date_range_includes_both_end_days(ledger: None) -> None:
    query = LedgerQuery(date_from=date(2026, 4, 2), date_to=date(2026, 4, 4))
    assert [k for k, _ in found(query)] == ["sale_order", "purchase_order", "parcel_in"]
    query = LedgerQuery("1234", date_to=date(2026, 4, 1))
    assert found(query) == [("parcel_out", "张三"), ("parcel_in", "张三")]


def test_a_reversed_date_range_is_refused_at_the_start_date() -> None:
    with pytest.raises(InputError) as info:
        LedgerQuery(date_from=date(2026, 4, 5), date_to=date(2026, 4, 1))
    assert info.value.field == "date_from"


def test_counting_agrees_with_the_pages(ledger: None) -> None:
    for text in ("", "1234", "zs", "张三", "SF", "PDD"):
        query = LedgerQuery(text, kinds=ALL_KINDS)
        assert count_hits(query) == len(found(query)), text


def test_a_record_matched_twice_is_listed_once(station: StationProfile) -> None:
    parcel_in("2026-04-01 08:00", "SF0000000000001", "沈飞", "13800005555")

    assert found(LedgerQuery("sf")) == [("parcel_in", "沈飞")]


def test_paging_with_equal_timestamps_skips_and_repeats_nothing(
    station: StationProfile,
) -> None:
    same = at("2026-04-01 08:00")
    for n in range(13):
        parcel_in(same, f"SF{n:013d}", "张三", "13800001234")
    for _ in range(9):
        purchase(same, "张三", "13800001234")
    parcel_in(same - 1, "SF9999999999999", "张三", "13800001234")
    parcel_in(same + 1, "SF8888888888888", "张三", "13800001234")

    for text in ("", "1234", "zs"):
        seen: list[tuple[int, str]] = []
        cursor = None
        pages = 0
        while True:
            page = search_page(LedgerQuery(text), cursor, limit=4)
            seen += [h.key for h in page.hits]
            pages += 1
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == 24, text
        assert seen == sorted(seen, reverse=True)
        assert pages == 6


def test_voided_records_are_listed_as_voided_with_their_reason(
    station: StationProfile,
) -> None:
    parcel = parcel_in("2026-04-01 08:00", "SF0000000000001", "张三", "13800001234")
    with write_txn():
        changes.void(parcel, "扫错了")

    values = cells(search_page(LedgerQuery("1234")).hits[0])

    assert (values["status"], values["note"]) == ("已作废", "扫错了")


def test_the_list_shows_masked_phones_and_yuan(ledger: None) -> None:
    texts = [row_text(h) for h in search_page(LedgerQuery("PDD")).hits]

    assert texts[1][LIST["phone"]] == "137****1234"
    assert texts[1][LIST["amount"]] == "199.00"
    assert texts[0][:3] == ["退款", "仅退款", "2026-04-06 14:00"]
    assert all("13700001234" not in cell for row in texts for cell in row)


def test_daily_reports_are_listed_only_without_search_text(
    station: StationProfile,
) -> None:
    from station_tui.records import DailyReport

    add(DailyReport, "2026-04-01 21:00", submitted_at=at("2026-04-01 21:00"),
        figures='{"day": "2026-04-01", "services": {}}', note="张𠮷😀",
        amends=None)

    hits = search_page(LedgerQuery(kinds=("daily_report",))).hits

    assert cells(hits[0])["note"] == "张𠮷😀"
    assert "2026-04-01 代收0" in cells(hits[0])["detail"]
    assert search_page(LedgerQuery("1234", kinds=("daily_report",))).hits == []


def _plans(db: SqliteDatabase, query: LedgerQuery) -> list[tuple[str, str]]:
    plans = []
    cursor = Cursor(at("2026-04-02 00:00"), uuid.uuid4().hex)
    for kind, select in page_queries(query, cursor, 50):
        sql, params = select.sql()
        rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        plans.append((kind, " | ".join(str(row[-1]) for row in rows)))
    return plans


@pytest.mark.parametrize("text", ["", "1234", "13800001234", "zs"])
def test_page_queries_walk_an_index_in_order_and_never_sort_a_table(
    db: SqliteDatabase, station: StationProfile, text: str,
) -> None:
    """C10: a page reads its rows from an index already in (time, uuid) order.

    Number prefixes and initials prefixes sort only the rows in their range;
    refunds (joined to their orders) and daily reports are a few a day.
    """
    plans = _plans(db, LedgerQuery(text, kinds=ALL_KINDS))
    assert plans
    for kind, plan in plans:
        if kind == "daily_report":
            continue
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        ranged = any(f"{c}>?" in plan for c in ("_no", "initials", "account"))
        if kind == "refund" or ranged:
            continue
        assert "TEMP B-TREE" not in plan, plan


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(InputError, match="parcel"):
        LedgerQuery(kinds=("parcel",))  # type: ignore[arg-type]


def test_many_parcels_are_read_a_page_at_a_time(
    db: SqliteDatabase, station: StationProfile,
) -> None:
    """C10: with 20,000 parcels the first page reads about one page of rows."""
    start = at("2026-01-01 08:00")
    rows = [
        {"uuid": uuid.uuid4(), "station": STATION, "version": 1,
         "happened_at": start + n * 60, "happened_day": date(2026, 1, 1),
         "entered_at": start, "updated_at": start,
         "tracking_no": f"JT{n:013d}", "carrier": "JT", "shelf_slot": "A",
         "pickup_code": f"{n % 10000:04d}", "phone_last4": f"{n % 10000:04d}",
         "name_initials": "zs"}
        for n in range(20_000)
    ]
    with write_txn():
        for chunk in range(0, len(rows), 500):
            ParcelIn.insert_many(rows[chunk:chunk + 500]).execute()
    steps = []
    db.connection().set_progress_handler(lambda: steps.append(1) and 0, 1000)
    try:
        page = search_page(LedgerQuery())
    finally:
        db.connection().set_progress_handler(None, 1000)

    assert len(page.hits) == 50
    assert page.hits[0].record.tracking_no == "JT0000000019999"
    # A full scan of 20,000 rows takes hundreds of thousands of VM steps.
    assert len(steps) < 50, len(steps)


# The ledger screen, driven by Pilot ---------------------------------------


def LedgerApp() -> ScreenApp:
    return ScreenApp(LedgerScreen)


@pytest.fixture
def many(station: StationProfile) -> None:
    """120 parcels, one a minute; every third for phone ending 1234."""
    for n in range(120):
        phone = "13800001234" if n % 3 == 0 else f"139{n:08d}"
        parcel_in(at("2026-04-01 08:00") + n * 60, f"SF{n:013d}", "张三", phone)


async def test_ledger_screen_pages_in_as_the_cursor_reaches_the_end(
    many: None,
) -> None:
    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        table = app.screen.query_one("#ledger-table", DataTable)
        assert table.row_count == 50
        assert "共 120 条" in str(app.screen.query_one("#ledger-status").render())
        first = table.get_row_at(0)
        assert first[LIST["number"]] == "SF0000000000119"
        assert first[LIST["phone"]] == "139****0119"

        table.focus()
        await pilot.press("ctrl+end")
        await settle(app)
        assert table.row_count == 100
        await pilot.press("ctrl+end")
        await settle(app)
        assert table.row_count == 120
        numbers = [table.get_row_at(i)[LIST["number"]] for i in range(120)]
        assert numbers == [f"SF{n:013d}" for n in reversed(range(120))]


async def test_ledger_screen_searches_by_last_four_and_marks_a_bad_date(
    many: None,
) -> None:
    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        app.screen.query_one("#input-text", Input).value = "1234"
        await pilot.click("#search")
        await settle(app)
        table = app.screen.query_one("#ledger-table", DataTable)
        assert table.row_count == 40
        assert {table.get_row_at(i)[LIST["phone"]]
                for i in range(40)} == {"138****1234"}

        app.screen.query_one("#input-date_from", Input).value = "2026-4-31"
        await pilot.click("#search")
        await settle(app)
        assert app.screen.query_one("#field-date_from").has_class("-invalid")
        assert table.row_count == 40  # the last good result stays


async def test_ledger_screen_exports_the_current_search_to_the_chosen_file(
    many: None, tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        app.screen.query_one("#input-text", Input).value = "1234"
        await pilot.click("#search")
        await settle(app)

        await pilot.press("ctrl+e")
        await settle(app)
        modal = app.screen
        assert isinstance(modal, LedgerExportModal)
        modal.query_one("#export-format", Select).value = "xlsx"
        await pilot.pause()
        path_input = modal.query_one("#input-path", Input)
        assert path_input.value.endswith(".xlsx")
        path_input.value = str(tmp_path / "missing" / "x.xlsx")
        await pilot.click("#export")
        await pilot.pause()
        assert modal.query_one("#field-path").has_class("-invalid")

        path_input.value = str(tmp_path / "台账.xlsx")
        await pilot.pause()
        # Submit from the path field, as a person would after typing it.
        path_input.focus()
        await pilot.press("enter")
        await settle(app)

        assert isinstance(app.screen, LedgerScreen)
    rows = list(load_workbook(tmp_path / "台账.xlsx", read_only=True)["台账"].values)
    assert len(rows) == 41
    assert {r[4] for r in rows[1:]} == {"138****1234"}


@pytest.mark.parametrize(("typed", "saved"), [
    ("台账.csv", "台账.xlsx"), ("台账.JSON", "台账.xlsx"), ("台账", "台账.xlsx"),
    ("台账.v2", "台账.v2.xlsx"),
])
async def test_the_exported_file_takes_the_extension_of_the_chosen_format(
    many: None, tmp_path: Path, typed: str, saved: str,
) -> None:
    from openpyxl import load_workbook

    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        await pilot.press("ctrl+e")
        await settle(app)
        modal = app.screen
        modal.query_one("#export-format", Select).value = "xlsx"
        await pilot.pause()
        # The person types the path after choosing the format.
        modal.query_one("#input-path", Input).value = str(tmp_path / typed)
        await pilot.press("ctrl+s")
        await settle(app)
        assert isinstance(app.screen, LedgerScreen)

    assert [p.name for p in tmp_path.glob("台账*")] == [saved]
    assert len(list(load_workbook(tmp_path / saved, read_only=True)["台账"].values)) > 1


@pytest.fixture
def pc_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PC's clock set to another time zone than Beijing's."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_the_default_export_file_is_named_for_beijing_time(
    station: StationProfile, pc_in_new_york: None,
) -> None:
    before = clock.local_dt(clock.now()).strftime("%Y%m%d-%H%M")
    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        await pilot.press("ctrl+e")
        await settle(app)
        path = Path(app.screen.query_one("#input-path", Input).value)
    after = clock.local_dt(clock.now()).strftime("%Y%m%d-%H%M")

    assert path.name in {f"台账-{before}.csv", f"台账-{after}.csv"}


async def test_ctrl_s_in_the_export_dialog_exports_as_enter_does(
    many: None, tmp_path: Path,
) -> None:
    app = LedgerApp()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app)
        await pilot.press("ctrl+e")
        await settle(app)
        app.screen.query_one("#input-path", Input).value = str(tmp_path / "a.csv")
        await pilot.press("ctrl+s")
        await settle(app)

        assert isinstance(app.screen, LedgerScreen)
        assert any("已导出 120 条" in n.message for n in app._notifications)
    assert (tmp_path / "a.csv").exists()


@pytest.fixture
def voided_million(station: StationProfile) -> None:
    """A live order and, newer, one of 1,000,000.00 voided as a typo."""
    purchase("2026-04-01 08:00", "张三", "13800001234", amount_fen=19900)
    big = purchase("2026-04-02 08:00", "欧阳娜娜", "13900005678",
                   amount_fen=100_000_000, platform_order_no="PDD2026040200001",
                   service_fee_fen=500)
    with write_txn():
        changes.void(big, "金额多打了三个零")


def visible_columns(table: DataTable[object]) -> list[str]:
    """Headers of the columns wholly on screen with the list scrolled left."""
    shown: list[str] = []
    right = 0
    for column in table.ordered_columns:
        right += column.get_render_width(table)
        if right > table.scrollable_content_region.width:
            break
        shown.append(str(column.label))
    return shown


@pytest.mark.parametrize("width", [80, 120])
async def test_a_voided_record_and_every_amount_show_at_any_width(
    voided_million: None, width: int,
) -> None:
    app = LedgerApp()
    async with app.run_test(size=(width, 30)):
        await settle(app)
        table = app.screen.query_one("#ledger-table", DataTable)
        shown = visible_columns(table)
        assert {"种类", "状态", "金额（元）"} <= set(shown), shown

        voided, live = table.get_row_at(0), table.get_row_at(1)
        assert str(voided[LIST["status"]]) == "已作废"
        assert str(voided[LIST["amount"]]) == "1000000.00"
        assert "strike" in str(voided[LIST["amount"]].style)
        assert live[LIST["status"]] == "登记"
        assert live[LIST["amount"]] == "199.00"
