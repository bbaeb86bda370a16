"""A whole day at a village station, played by keys through the real app.

The partner sets the station up, opens it, takes in a courier's delivery on
a signed incoming handover list plus a few more parcels (one scanned twice,
one damaged on arrival), hands out ten parcels by pickup code and by phone
last four, sends five parcels on an outgoing list, takes three purchase
orders through to pickup (one returned), records a sale and four payments,
submits the daily report and closes. Then the database and the 今日 screen
are checked figure by figure.

The clock is a fake one, moved on as the day goes, so the open hours and
the report are exact: Tuesday 2026-04-07, 08:00 to 18:30 Beijing time.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from station_tui.domain import clock
from station_tui.operations.daily_report import DayFigures
from station_tui.records import (
    STATION_RECORDS,
    DailyReport,
    Handover,
    OpenSpell,
    Outbox,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Refund,
    SaleOrder,
    ServiceRecord,
    StationProfile,
    Villager,
)
from station_tui.ui.app import StationApp
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.parcels_out_screen import ParcelsOutScreen
from station_tui.ui.screens.pickup_modal import PickupModal
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from station_tui.ui.screens.report_confirm_modal import ReportConfirmModal
from station_tui.ui.screens.setup_screen import SetupScreen
from station_tui.ui.screens.today_screen import TodayScreen
from station_tui.ui.widgets.figures_table import FiguresTable
from station_tui.ui.widgets.paged_table import PagedTable
from station_tui.ui.widgets.status_bar import StatusBar

SIZE = (120, 40)
DAY = date(2026, 4, 7)

#: The courier's 20 ZTO parcels on the incoming list; the first two are
#: 张三's, the third 李四's (phones typed at intake).
ZTO = [f"73{100_000_000_000 + i:012d}" for i in range(1, 21)]
ZHANG_SAN = ("张三", "13912345678")
LI_SI = ("李四", "13700002222")
#: Ten more brought by other couriers, not on a list.
OTHERS = [f"SF14000000000{i:02d}" for i in range(1, 5)] + [
    f"YT75000000000{i:02d}" for i in range(1, 4)] + [
    f"JT00000000000{i:02d}" for i in range(1, 4)]
DAMAGED = OTHERS[4]  # a 圆通 parcel, crushed when it arrived

OUTBOUND = [  # sender, phone, destination, weight, fee (yuan), tracking
    ("王五", "13600003333", "山西省太原市小店区长风街1号", "1.5", "12", "SF1500000000001"),
    ("赵六", "13500004444", "北京市朝阳区建国路8号", "800g", "15.5", "SF1500000000002"),
    ("王五", "13600003333", "河北省石家庄市长安区中山路2号", "3斤", "10", "SF1500000000003"),
    ("孙七", "15800005555", "广东省广州市天河区体育西路3号", "2", "22.8", "SF1500000000004"),
    ("周八", "18600006666", "上海市浦东新区世纪大道4号", "0.5", "8", "SF1500000000005"),
]
OUT_FEES_FEN = 1200 + 1550 + 1000 + 2280 + 800

PURCHASES = [  # villager, goods, amount, fee, order number
    (ZHANG_SAN, "洗衣液3kg", "58.50", "2", "PDD2604070001"),
    (LI_SI, "电饭煲", "199", "5", "PDD2604070002"),
    (ZHANG_SAN, "儿童雨靴", "45.9", "1.5", "PDD2604070003"),
]

PAYMENTS = [  # option index in 服务项目, account, amount, fee
    (1, "0102030405", "100", "1"),     # 电费
    (0, "88001234", "35.6", "0"),      # 水费
    (3, "13912345678", "50", "0.5"),   # 话费充值
    (2, "kd0357001", "80", "1"),       # 网费
]


class FakeClock:
    """Shanghai time the test moves on, seen by every thread of the app."""

    def __init__(self, start: datetime) -> None:
        self.at = clock.instant_of(start)

    def now(self) -> int:
        return self.at

    def set(self, hh_mm: str) -> None:
        hour, minute = map(int, hh_mm.split(":"))
        moved = clock.instant_of(datetime(DAY.year, DAY.month, DAY.day, hour, minute))
        assert moved >= self.at, "the day only runs forward"
        self.at = moved


@pytest.fixture
def day_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(datetime(DAY.year, DAY.month, DAY.day, 7, 50))
    monkeypatch.setattr(clock, "now", fake.now)
    return fake


# -- small helpers: what the partner does with the keyboard -----------------


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_in(pilot: Pilot[None], text: str, *then: str) -> None:
    """Type ``text`` into the focused field, then press the keys in ``then``.

    Every character (a Chinese one too) is a key event through the app, as
    from the keyboard; they follow each other without the pilot's idle wait
    after each key, like a quick typist or a scanner, so that the day runs
    in a minute rather than ten.
    """
    for character in text:
        key = character if character.isalnum() else _character_to_key(character)
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()
    if then:
        await pilot.press(*then)


async def choose(pilot: Pilot[None], downs: int) -> None:
    """Open the focused choice box, move down ``downs`` options, take it."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()


def focused_id(pilot: Pilot[None]) -> str | None:
    focused = pilot.app.focused
    return focused.id if focused is not None else None


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def table_cells(table: DataTable[object] | FiguresTable) -> list[list[str]]:
    return [[str(cell.plain if isinstance(cell, Text) else cell) for cell in row]
            for row in (table.get_row_at(i) for i in range(table.row_count))]


def code_of(tracking_no: str) -> str:
    return ParcelIn.get(ParcelIn.tracking_no == tracking_no).pickup_code


# -- the day -----------------------------------------------------------------


async def set_up_station(pilot: Pilot[None]) -> None:
    assert isinstance(pilot.app.screen, SetupScreen)
    for text in ("QY-012", "东沟村电商服务站", "沁河镇", "东沟村", "王建国"):
        await type_in(pilot, text, "enter")
    await type_in(pilot, "138 0000 1111", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TodayScreen)


async def open_station(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("08:00")
    await pilot.press("f2", "o")
    await settle(pilot)
    assert "营业中" in text_of(pilot, "#opening-state")


async def open_incoming_list(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """The 中通 courier 李师傅 arrives: F4, Ctrl+N, carrier and name."""
    day_clock.set("09:05")
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert focused_id(pilot) == "input-courier_name"
    await pilot.press("shift+tab")
    assert focused_id(pilot) == "choice-carrier"
    await choose(pilot, 3)  # 顺丰, 京东, EMS, 中通
    await pilot.press("tab")
    await type_in(pilot, "李师傅", "enter")
    await settle(pilot)


async def scan_delivery(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """F3: choose the open list, scan the courier's 20 parcels onto it."""
    day_clock.set("09:10")
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ParcelsInScreen)
    assert focused_id(pilot) == "scan"
    await pilot.press("tab", "tab", "tab", "tab")
    assert focused_id(pilot) == "handover"
    await choose(pilot, 1)
    assert str(screen.query_one("#handover", Select).value) != ""
    await pilot.press("escape")
    assert focused_id(pilot) == "scan"

    for i, number in enumerate(ZTO):
        person = {0: ZHANG_SAN, 1: ZHANG_SAN, 2: LI_SI}.get(i)
        if person is not None:
            # The phone and name on the label go with this scan only.
            await pilot.press("tab")
            await type_in(pilot, person[1], "tab")
            await type_in(pilot, person[0], "enter")
            assert focused_id(pilot) == "scan"
        await type_in(pilot, number, "enter")
        await pilot.pause()
    await settle(pilot)
    assert "取件码" in text_of(pilot, "#scan-result")


async def scan_others(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """Parcels from other couriers, one damaged, then one scanned again."""
    day_clock.set("10:20")
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert focused_id(pilot) == "scan"
    await pilot.press("tab", "tab", "tab", "tab")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("up", "enter")  # back to 不加入交接单
    await pilot.pause()
    assert str(screen.query_one("#handover", Select).value) == ""
    await pilot.press("escape")

    for number in OTHERS:
        if number == DAMAGED:
            await pilot.press("ctrl+t")
        await type_in(pilot, number, "enter")
        await pilot.pause()
    await settle(pilot)
    assert "到站破损已记录" not in text_of(pilot, "#scan-result")

    await type_in(pilot, ZTO[5].lower(), "enter")  # the scanner slipped
    await settle(pilot)
    said = text_of(pilot, "#scan-result")
    assert f"单号“{ZTO[5]}”已经入库" in said and "不能重复入库" in said
    assert code_of(ZTO[5]) in said
    assert "本次共 1 次重复" in said
    assert screen.query_one("#scan-result").has_class("-warning")


async def sign_incoming_list(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("10:40")
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("ctrl+f")
    await settle(pilot)
    lists = table_cells(pilot.app.screen.query_one("#lists", DataTable))
    assert lists == [["收件", "中通", "李师傅", "20", "", "未签字"]]
    await pilot.press("ctrl+b")
    await pilot.pause()
    assert focused_id(pilot) == "input-signer"
    # Enter moves from the signer (the partner) to the time (now); Enter
    # in that last field signs.
    await pilot.press("enter", "enter")
    await settle(pilot)
    lists = table_cells(pilot.app.screen.query_one("#lists", DataTable))
    assert lists == [["收件", "中通", "李师傅", "20", "王建国", "04-07 10:40"]]
    await pilot.press("ctrl+f")  # back to the 寄件 tab
    await settle(pilot)


async def pick_up(pilot: Pilot[None], query: str, *, rows: int,
                  proxy: str = "") -> None:
    """Ctrl+O, type what the villager says, Enter on each matching row."""
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("ctrl+o")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, PickupModal)
    await type_in(pilot, query, "enter")
    await settle(pilot)
    assert modal.query_one("#matches", DataTable).row_count == rows
    if proxy:
        await pilot.press("shift+tab")
        assert focused_id(pilot) == "input-proxy_name"
        await type_in(pilot, proxy, "enter")
    assert focused_id(pilot) == "matches"
    for _ in range(rows):
        await pilot.press("enter")
        await settle(pilot)
    assert not isinstance(pilot.app.screen, PickupModal)


async def morning_pickups(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """Six villagers show their pickup codes."""
    day_clock.set("11:30")
    for number in (ZTO[3], ZTO[4], ZTO[5], OTHERS[0], OTHERS[5]):
        await pick_up(pilot, code_of(number), rows=1)
    # A code read aloud and typed without the dash, in lower case.
    await pick_up(pilot, code_of(ZTO[6]).replace("-", "").lower(), rows=1)


async def afternoon_pickups(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """张三 by last four (two parcels), 李四's by last four fetched by a
    neighbour, and one more by its tracking number."""
    day_clock.set("15:00")
    await pick_up(pilot, ZHANG_SAN[1][-4:], rows=2)
    await pick_up(pilot, LI_SI[1][-4:], rows=1, proxy="刘婶")
    await pick_up(pilot, OTHERS[1], rows=1)


async def send_parcels(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """F4: accept five parcels, mark them, hand them to the SF courier."""
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ParcelsOutScreen)
    for minute, (name, phone, where, weight, fee, number) in enumerate(OUTBOUND):
        day_clock.set(f"16:{minute:02d}")
        assert focused_id(pilot) == "input-sender_name"
        for text in (name, phone, where, weight, fee, number):
            await type_in(pilot, text, "enter")
        await settle(pilot)
    assert "已收寄" in text_of(pilot, "#out-hint")

    day_clock.set("17:00")
    await pilot.press(*["tab"] * 7)
    assert focused_id(pilot) == "outgoing"
    # The cursor stayed on the first parcel accepted, now the last row.
    await pilot.press("space", *["up", "space"] * 4)
    assert len(screen.query_one("#outgoing", PagedTable).marked) == 5
    await pilot.press("ctrl+g")
    await pilot.pause()
    assert focused_id(pilot) == "input-courier_name"
    await type_in(pilot, "陈师傅", "ctrl+s")  # signer and time: defaults
    await settle(pilot)
    assert screen.last_print is not None and screen.last_print.html.exists()
    assert "陈师傅" in screen.last_print.text.read_text(encoding="utf-8")


async def register_purchase(pilot: Pilot[None], villager: tuple[str, str],
                            goods: str, amount: str, fee: str,
                            order_no: str) -> None:
    """Name and phone, or the picker for a villager seen before."""
    name, phone = villager
    if PurchaseOrder.select().where(PurchaseOrder.villager_phone == phone).exists():
        await type_in(pilot, phone[-4:])
        await settle(pilot)
        await pilot.press("down", "enter")  # the remembered villager
    else:
        await type_in(pilot, name, "tab")
        await type_in(pilot, phone, "tab")
    assert focused_id(pilot) == "input-goods"
    await type_in(pilot, goods, "tab", "tab")  # quantity stays 1
    await type_in(pilot, amount, "tab")
    await pilot.press("ctrl+u")
    await type_in(pilot, fee, "tab")
    await type_in(pilot, "拼多多", "tab")
    # Enter moves on to 时间 (empty: now); Enter there, the last field, saves.
    await type_in(pilot, order_no, "enter", "enter")
    await settle(pilot)


async def order_step(pilot: Pilot[None], order_no: str, key: str,
                     *typed: str) -> None:
    """Put the list's cursor on the order and take one step with its key."""
    screen = pilot.app.screen
    assert isinstance(screen, PurchasesScreen)
    await pilot.press(*["up"] * screen.table.row_count)
    for _ in range(screen.table.row_count):
        selected = screen.selected()
        if selected is not None and selected.platform_order_no == order_no:
            break
        await pilot.press("down")
    selected = screen.selected()
    assert selected is not None and selected.platform_order_no == order_no
    await pilot.press(key)
    await pilot.pause()
    for text in typed:
        await type_in(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def purchases_ordered(pilot: Pilot[None], day_clock: FakeClock) -> None:
    """Three villagers order online at the counter (order number at once)."""
    await pilot.press("f5")
    await settle(pilot)
    for minute, (villager, goods, amount, fee, order_no) in enumerate(PURCHASES):
        day_clock.set(f"09:{30 + minute:02d}")
        await register_purchase(pilot, villager, goods, amount, fee, order_no)


async def purchases_arrived(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("14:00")
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("ctrl+l")
    for order_no in (order for *_, order in PURCHASES):
        await order_step(pilot, order_no, "a")  # arrived, villager told


async def purchases_collected(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("15:10")
    await pilot.press("f5")
    await settle(pilot)
    await order_step(pilot, PURCHASES[0][4], "p")
    await order_step(pilot, PURCHASES[2][4], "p")
    # 李四 looks at the rice cooker at the counter and sends it back.
    await order_step(pilot, PURCHASES[1][4], "r", "外壳有裂纹")


async def sale(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("12:10")
    await pilot.press("f6")
    await settle(pilot)
    await type_in(pilot, "王五", "tab")
    await type_in(pilot, "13600003333", "tab")
    await type_in(pilot, "沁州黄小米2.5kg", "tab", "tab")  # 类别: 农产品
    await pilot.press("ctrl+u")
    await type_in(pilot, "4", "tab")
    await type_in(pilot, "45", "tab", "tab")  # 渠道: 电商平台
    await pilot.press("ctrl+u")
    await type_in(pilot, "淘宝", "tab", "tab")
    await type_in(pilot, "TB2604070001", "ctrl+s")  # Ctrl+S saves from any field
    await settle(pilot)


async def payments(pilot: Pilot[None], day_clock: FakeClock) -> None:
    await pilot.press("f7")
    await settle(pilot)
    for minute, (option, account, amount, fee) in enumerate(PAYMENTS):
        day_clock.set(f"13:{minute * 5:02d}")
        assert focused_id(pilot) == "select-kind"
        await choose(pilot, option)
        await pilot.press("tab", "tab", "tab")  # past name and phone
        assert focused_id(pilot) == "input-account"
        await type_in(pilot, account, "tab")
        await type_in(pilot, amount, "tab")
        await pilot.press("ctrl+u")
        await type_in(pilot, fee, "ctrl+s")  # 备注 and 时间 stay empty
        await settle(pilot)


async def submit_report(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("18:20")
    await pilot.press("f8")
    await settle(pilot)
    figures = text_of(pilot, "#report-figures")
    assert "代收：到件 30 件（到件破损 1），取件 10 件" in figures
    await pilot.press("tab", "tab")
    assert focused_id(pilot) == "input-note"
    await type_in(pilot, "中通来件20件已签收；李四退货电饭煲")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReportConfirmModal)
    await pilot.press("y")
    await settle(pilot)
    assert "已锁定" in text_of(pilot, "#report-status")


async def close_station(pilot: Pilot[None], day_clock: FakeClock) -> None:
    day_clock.set("18:30")
    await pilot.press("f2", "c")
    await settle(pilot)
    assert "关门" in text_of(pilot, "#opening-state")


THE_DAY = (open_station, open_incoming_list, scan_delivery, purchases_ordered,
           scan_others, sign_incoming_list, morning_pickups, sale, payments,
           purchases_arrived, afternoon_pickups, purchases_collected,
           send_parcels, submit_report, close_station)


async def test_a_whole_day_at_the_counter_by_keys_adds_up(
        db_path: Path, db: object, day_clock: FakeClock) -> None:
    app = StationApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await set_up_station(pilot)
        for step in THE_DAY:
            await step(pilot, day_clock)

        await pilot.press("f1")
        await settle(pilot)
        check_today_screen(pilot)

    check_parcels()
    check_orders_and_payments()
    check_report_and_hours()
    check_outbox()


# -- what the day left behind --------------------------------------------------


def check_today_screen(pilot: Pilot[None]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, TodayScreen)
    assert text_of(pilot, "#today-title").startswith("今日  2026-04-07 周二")
    assert "未营业" in text_of(pilot, "#today-open")
    assert "今天已营业 10小时30分" in text_of(pilot, "#today-open")
    kinds = {row[0]: row[1:] for row in
             table_cells(screen.query_one("#today-kinds", FiguresTable))}
    assert kinds == {
        "代收快递": ["30", "", ""],
        "代寄快递": ["5", "", "68.30"],
        "代购订单": ["3", "303.40", "8.50"],
        "代销订单": ["1", "180.00", "0.00"],
        "退款": ["1", "199.00", ""],
        "缴费充值": ["4", "265.60", "2.50"],
        "票务酒店": ["0", "0.00", "0.00"],
        "金融服务": ["0", "0.00", "0.00"],
    }
    waiting = table_cells(screen.query_one("#today-waiting", FiguresTable))
    assert waiting == [["20", "0", "0", "0"]]
    assert text_of(pilot, "#today-report").startswith("已提交  18:20 提交")
    week = {row[0]: row[2:] for row in
            table_cells(screen.query_one("#today-week", FiguresTable))}
    assert week["2026-04-07"] == ["10小时30分", "达标"]
    assert week["2026-04-06"] == ["", "未设站"]


def check_parcels() -> None:
    station = StationProfile.get()
    assert (station.code, station.partner_phone) == ("QY-012", "13800001111")

    parcels = list(ParcelIn.select())
    assert len(parcels) == 30  # the repeated scan left no second row
    assert Counter(p.status for p in parcels) == {"waiting": 20, "picked_up": 10}
    assert [p.tracking_no for p in parcels if p.damaged_on_arrival] == [DAMAGED]
    assert Counter(p.carrier for p in parcels) == {"ZTO": 20, "SF": 4, "YTO": 3,
                                                   "JT": 3}
    assert len({p.pickup_code for p in parcels}) == 30
    zhang = [p for p in parcels if p.recipient_phone == ZHANG_SAN[1]]
    assert [(p.recipient_name, p.status) for p in zhang] == [("张三", "picked_up")] * 2
    li = ParcelIn.get(ParcelIn.recipient_phone == LI_SI[1])
    assert (li.picked_up_by, li.proxy_name) == ("proxy", "刘婶")

    incoming = Handover.get(Handover.direction == "in")
    assert (incoming.carrier, incoming.courier_name, incoming.signer) == (
        "ZTO", "李师傅", "王建国")
    assert clock.format_time(incoming.signed_at, "%H:%M") == "10:40"
    on_list = ParcelIn.select().where(ParcelIn.handover == incoming.uuid)
    assert sorted(p.tracking_no for p in on_list) == ZTO

    sent = list(ParcelOut.select().order_by(ParcelOut.happened_at))
    assert [(p.sender_name, p.weight_g, p.fee_fen, p.status) for p in sent] == [
        ("王五", 1500, 1200, "handed_over"), ("赵六", 800, 1550, "handed_over"),
        ("王五", 1500, 1000, "handed_over"), ("孙七", 2000, 2280, "handed_over"),
        ("周八", 500, 800, "handed_over")]
    outgoing = Handover.get(Handover.direction == "out")
    assert (outgoing.carrier, outgoing.courier_name, outgoing.signer) == (
        "SF", "陈师傅", "陈师傅")
    assert {p.handover for p in sent} == {outgoing.uuid}


def check_orders_and_payments() -> None:
    orders = {o.platform_order_no: o for o in PurchaseOrder.select()}
    assert {k: (o.status, o.amount_fen, o.service_fee_fen)
            for k, o in orders.items()} == {
        "PDD2604070001": ("picked_up", 5850, 200),
        "PDD2604070002": ("returned", 19900, 500),
        "PDD2604070003": ("picked_up", 4590, 150),
    }
    assert orders["PDD2604070003"].villager_name == "张三"  # from the picker
    (refund,) = Refund.select()
    assert (refund.order, refund.amount_fen, refund.reason) == (
        orders["PDD2604070002"].uuid, 19900, "外壳有裂纹")

    (sale,) = SaleOrder.select()
    assert (sale.status, sale.quantity, sale.unit_price_fen, sale.amount_fen,
            sale.channel_name, sale.order_no) == (
        "ordered", 4, 4500, 18000, "淘宝", "TB2604070001")

    services = list(ServiceRecord.select().order_by(ServiceRecord.happened_at))
    assert [(s.kind, s.account, s.amount_fen, s.fee_fen) for s in services] == [
        ("electricity", "0102030405", 10000, 100), ("water", "88001234", 3560, 0),
        ("phone", "13912345678", 5000, 50), ("internet", "kd0357001", 8000, 100)]
    assert sorted(v.name for v in Villager.select()) == ["张三", "李四", "王五"]


def check_report_and_hours() -> None:
    (report,) = DailyReport.select()
    assert report.happened_day == DAY
    assert clock.format_time(report.submitted_at, "%H:%M") == "18:20"
    assert report.note == "中通来件20件已签收；李四退货电饭煲"
    figures = DayFigures.from_json(report.figures)
    assert (figures.parcels_in, figures.parcels_in_damaged,
            figures.parcels_picked_up) == (30, 1, 10)
    assert (figures.parcels_out, figures.parcels_out_fee_fen) == (5, OUT_FEES_FEN)
    assert (figures.purchase_registered, figures.purchase_registered_fen,
            figures.purchase_ordered, figures.purchase_ordered_fen) == (
        3, 30340, 3, 30340)
    assert (figures.sale_registered, figures.sale_registered_fen,
            figures.sale_ordered, figures.sale_ordered_fen) == (1, 18000, 1, 18000)
    assert (figures.refunds, figures.refunds_fen) == (1, 19900)
    payment = figures.services["payment"]
    assert (payment.count, payment.amount_fen, payment.fee_fen) == (4, 26560, 250)
    # Submitted at 18:20 while still open since 08:00.
    assert (figures.open_seconds, figures.open_spells, figures.still_open) == (
        10 * 3600 + 20 * 60, 1, True)

    (spell,) = OpenSpell.select()
    assert clock.format_time(spell.opened_at, "%H:%M") == "08:00"
    assert clock.format_time(spell.closed_at, "%H:%M") == "18:30"


def check_outbox() -> None:
    """Every version of every record went into the outbox with it."""
    sent = Counter((row.record_uuid, row.version) for row in Outbox.select())
    expected: Counter[tuple[object, int]] = Counter()
    for model in STATION_RECORDS:
        for record in model.select():
            for version in range(1, record.version + 1):
                expected[(record.uuid, version)] += 1
    assert sent == expected
    last = {}
    for row in Outbox.select().order_by(Outbox.seq):
        last[row.record_uuid] = json.loads(row.snapshot)
    returned = PurchaseOrder.get(PurchaseOrder.status == "returned")
    assert last[returned.uuid]["status"] == "returned"
    assert last[returned.uuid]["version"] == returned.version
    kinds = Counter(row.kind for row in Outbox.select())
    # 30 intakes + 10 pickups; 5 accepted + 5 handed over; 3 registered +
    # 3 arrived + 3 picked up or returned.
    assert kinds["parcel_in"] == 40
    assert kinds["parcel_out"] == 10
    assert kinds["purchase_order"] == 9
    assert kinds["handover"] == 3  # opened, signed; one outgoing list
    assert kinds["daily_report"] == 1
    assert kinds["open_spell"] == 2


# -- what playing the day found, pinned one by one ------------------------------


@pytest.fixture
def ready_app(station: StationProfile, db_path: Path) -> StationApp:
    return StationApp(db_path, start_checks=False)


async def test_record_lists_fill_the_screen_below_their_forms(
        ready_app: StationApp) -> None:
    async with ready_app.run_test(size=SIZE) as pilot:
        for key, table in (("f3", "#parcels"), ("f4", "#outgoing"),
                           ("f5", "#records"), ("f9", "#ledger-table")):
            await pilot.press(key)
            await settle(pilot)
            # Was capped at 14 rows with half the screen left empty below.
            assert ready_app.screen.query_one(table).region.height > 20, key


async def test_the_center_screen_shows_its_tables_and_f5_still_opens_purchases(
        ready_app: StationApp) -> None:
    async with ready_app.run_test(size=SIZE) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        screen = ready_app.screen
        # The status bar took the whole screen and the tables one line.
        assert screen.query_one(StatusBar).region.height == 1
        assert screen.query_one("#requests", DataTable).region.height > 10
        await pilot.press("ctrl+l")  # refresh, where F5 used to be
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(ready_app.screen, PurchasesScreen)


async def test_space_is_offered_only_on_lists_that_mark_rows(
        ready_app: StationApp) -> None:
    def footer_keys() -> set[str]:
        return {key for key, active in ready_app.screen.active_bindings.items()
                if active.binding.show and active.enabled}

    async with ready_app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+f", "enter")  # into the parcel list
        await settle(pilot)
        assert focused_id(pilot) == "parcels"
        assert "space" not in footer_keys()
        await pilot.press("f4", *["tab"] * 7)
        await settle(pilot)
        assert focused_id(pilot) == "outgoing"
        assert "space" in footer_keys()


async def test_back_on_the_accept_tab_the_cursor_is_in_the_form(
        ready_app: StationApp) -> None:
    async with ready_app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "ctrl+f")
        await settle(pilot)
        assert focused_id(pilot) == "lists"
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert focused_id(pilot) == "input-sender_name"
        await type_in(pilot, "王五")
        assert ready_app.screen.query_one("#input-sender_name", Input).value == "王五"
