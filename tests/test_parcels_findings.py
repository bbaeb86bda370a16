"""What a first user found in the parcel screens, each pinned with a test.

Times in the future, the carrier of a 寄件 whose number came later, the
incoming list's carrier at the scan, dialogs that name their parcel, a
call recorded without a phone, initials searched as a prefix, the order
of parcels taken in within one second, and the incoming-list box's height.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from station_tui.domain import clock
from station_tui.domain.pinyin import initials
from station_tui.errors import InputError, RuleError
from station_tui.operations import handovers, parcels_in, parcels_out
from station_tui.operations.parcel_common import cursor_of
from station_tui.records import Handover, Outbox, ParcelIn, ParcelOut, StationProfile
from station_tui.records import database_proxy
from station_tui.ui.screens.action_modal import ActionModal
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.parcels_out_screen import ParcelsOutScreen
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.paged_table import PagedTable

#: 2026-12-05 02:43 in Shanghai, when the user tried it.
NIGHT = clock.instant_of(datetime(2026, 12, 5, 2, 43))


class ScreenApp(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _text(widget: Static) -> str:
    return str(widget.render())


def _modal_text(app: App[None]) -> str:
    return "\n".join(_text(s) for s in app.screen.query(Static))


def _accept(**over: str) -> ParcelOut:
    fields = dict(sender_name="张三", sender_phone="13800001111",
                  destination="山西省长治市沁县某街 1 号", carrier="",
                  weight="1.5", fee="12", tracking_no="")
    fields.update(over)
    return parcels_out.accept(**fields)  # type: ignore[arg-type]


@pytest.fixture
def at_night(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(clock, "now", lambda: NIGHT)
    return NIGHT


# --- 1. times still to come -------------------------------------------------


async def test_a_handover_time_still_to_come_is_refused_and_the_typing_kept(
        station: StationProfile, at_night: int) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.screen.query_one("#outgoing", PagedTable).focus()
        await pilot.press("space", "ctrl+g")
        await pilot.pause()
        await pilot.press(*"快递小哥刘", "enter", "enter", *"23:59", "enter")
        await pilot.pause()

        assert isinstance(app.screen, ActionModal)
        when = app.screen.query_one("#field-signed_at", FormField)
        assert when.has_class("-invalid")
        assert when.value == "23:59"
        assert "时间“23:59”还没到，请核对日期和钟点" in _modal_text(app)
        assert app.screen.query_one("#field-courier_name", FormField).value == "快递小哥刘"
    assert Handover.select().count() == 0
    assert ParcelOut.get().status == "accepted"


def test_signing_an_incoming_list_in_the_future_is_refused(
        station: StationProfile, at_night: int) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅")
    parcels_in.intake("73123456789012", handover=target.uuid)

    with pytest.raises(InputError) as caught:
        handovers.sign(target.uuid, signer="王建国", signed_at="2030-01-01 10:00")

    assert caught.value.field == "signed_at"
    assert "还没到" in caught.value.message
    assert Handover.get_by_id(target.uuid).signed_at is None
    with pytest.raises(InputError):
        handovers.sign(target.uuid, signer="王建国", signed_at=NIGHT + 3600)


async def test_a_time_of_another_year_is_listed_with_its_year(
        station: StationProfile, at_night: int) -> None:
    last_year = clock.instant_of(datetime(2025, 12, 30, 10, 0))
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅",
                                     at=last_year - 600)
    parcels_in.intake("73123456789012", handover=target.uuid, at=last_year - 300)
    handovers.sign(target.uuid, signer="王建国", signed_at=last_year)
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one("#lists", PagedTable)
        cells = [str(c) for c in table.get_row_at(0)]

    assert "2025-12-30 10:00" in cells


# --- 2. a 寄件's carrier once its number is known -----------------------------


def test_a_number_added_later_guesses_the_carrier_again(
        station: StationProfile) -> None:
    parcel = _accept()
    assert parcel.carrier == "OTHER"

    parcels_out.set_tracking(parcel.uuid, "SF3333333333333")
    handovers.create_outgoing([parcel.uuid], carrier="顺丰", courier_name="刘师傅")

    assert ParcelOut.get_by_id(parcel.uuid).carrier == "SF"


def test_a_chosen_carrier_is_kept_when_the_number_comes(
        station: StationProfile) -> None:
    parcel = _accept(carrier="中通")

    parcels_out.set_tracking(parcel.uuid, "SF3333333333333")

    assert ParcelOut.get_by_id(parcel.uuid).carrier == "ZTO"


def test_the_carrier_is_corrected_as_a_change_with_its_outbox_row(
        station: StationProfile) -> None:
    parcel = _accept(tracking_no="SF3333333333333")
    rows = Outbox.select().where(Outbox.record_uuid == parcel.uuid).count()

    fixed = parcels_out.amend(parcel.uuid, tracking_no="SF3333333333333",
                              carrier="ZTO")

    assert fixed.carrier == "ZTO"
    assert fixed.version == parcel.version + 1
    assert Outbox.select().where(Outbox.record_uuid == parcel.uuid).count() == rows + 1
    handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="张师傅")
    with pytest.raises(RuleError):
        parcels_out.amend(parcel.uuid, tracking_no="SF3333333333333", carrier="SF")


async def test_the_amend_dialog_names_the_parcel_and_changes_its_carrier(
        station: StationProfile) -> None:
    _accept(carrier="ZTO", tracking_no="SF3333333333333")
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.screen.query_one("#outgoing", PagedTable).focus()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        text = _modal_text(app)
        assert "SF3333333333333" in text and "张三 138****1111" in text
        app.screen.query_one("#choice-carrier", Select).value = ""  # 按单号识别
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert ParcelOut.get().carrier == "SF"


# --- 3. the incoming list's carrier at the scan -----------------------------


async def test_scans_onto_a_list_take_its_carrier_and_another_carriers_is_refused(
        station: StationProfile) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="中通张师傅")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        screen = app.screen
        screen.query_one("#handover", Select).value = target.uuid.hex
        screen.scan_input.focus()
        for number in ("731234567890", "731234567891", "731234567892",
                       "SF7777777777777"):
            await pilot.press(*number, "enter")
        await pilot.pause()

        said = _text(screen.query_one("#scan-result", Static))
        assert "SF7777777777777" in said and "未入库" in said and "顺丰" in said
        assert app.focused is screen.scan_input
        assert screen.scan_input.value == ""
        assert [o for _, o in screen.scan_log] == ["stored"] * 3 + ["error"]

    on_list = ParcelIn.select().where(ParcelIn.handover == target.uuid)
    assert sorted(p.carrier for p in on_list) == ["ZTO"] * 3
    assert not ParcelIn.select().where(
        ParcelIn.tracking_no == "SF7777777777777").exists()


def test_a_waiting_parcel_put_on_a_list_later_is_checked_the_same_way(
        station: StationProfile) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅")
    unknown = parcels_in.intake("731234567890")
    other = parcels_in.intake("SF7777777777777")

    handovers.add_to_incoming(target.uuid, [unknown.uuid])
    with pytest.raises(RuleError) as caught:
        handovers.add_to_incoming(target.uuid, [other.uuid])

    assert ParcelIn.get_by_id(unknown.uuid).carrier == "ZTO"
    assert "顺丰" in caught.value.message
    assert ParcelIn.get_by_id(other.uuid).handover is None


# --- 4. dialogs name their parcel -------------------------------------------


@pytest.mark.parametrize("key", ["ctrl+b", "ctrl+n", "ctrl+y", "ctrl+r"])
async def test_every_intake_dialog_names_the_highlighted_parcel(
        station: StationProfile, key: str) -> None:
    parcels_in.intake("SF1234567890123", phone="13900002222", name="李四")
    wanted = parcels_in.intake("SF1234567890124", phone="13800001111", name="张三")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        text = _modal_text(app)

    assert wanted.pickup_code in text
    assert "SF1234567890124" in text
    assert "张三 138****1111" in text
    assert "13800001111" not in text


@pytest.mark.parametrize("key", ["ctrl+t", "ctrl+r", "ctrl+y", "ctrl+g"])
async def test_every_sending_dialog_names_its_parcel(
        station: StationProfile, key: str) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.screen.query_one("#outgoing", PagedTable).focus()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        text = _modal_text(app)

    assert "SF1234567890123" in text and "张三 138****1111" in text


# --- 5. a call or a text needs a phone --------------------------------------


@pytest.mark.parametrize("method", ["call", "sms"])
def test_a_call_or_text_is_refused_for_a_parcel_without_phone(
        station: StationProfile, method: str) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    with pytest.raises(InputError) as caught:
        parcels_in.mark_notified(parcel.uuid, method)  # type: ignore[arg-type]

    assert "Ctrl+B" in caught.value.message and "手机号" in caught.value.message
    assert ParcelIn.get_by_id(parcel.uuid).notify_method is None
    assert parcels_in.mark_notified(parcel.uuid, "wechat").notify_method == "wechat"


async def test_notifying_a_parcel_without_phone_by_call_keeps_the_dialog_open(
        station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        choice = app.screen.query_one("#choice-method", Select)
        assert choice.value == "wechat"
        choice.value = "call"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)

    assert ParcelIn.get_by_id(parcel.uuid).notify_method is None


# --- 6. initials as a prefix --------------------------------------------------


def test_initials_find_names_that_start_with_them(station: StationProfile) -> None:
    nana = parcels_in.intake("SF1234567890123", name="欧阳娜娜")
    parcels_in.intake("SF1234567890124", name="王五")

    for typed in ("o", "oy", "OYN", "oynn"):
        assert [p.uuid for p in parcels_in.page(search=typed)] == [nana.uuid]
    assert parcels_in.page(search="oynnx") == []


def test_the_prefix_search_walks_the_initials_index(station: StationProfile) -> None:
    query = parcels_in.listed_query("all", "oy")
    assert query is not None
    sql, params = query.sql()
    plan = " ".join(row[3] for row in database_proxy.execute_sql(
        "EXPLAIN QUERY PLAN " + sql, params))

    assert "USING INDEX parcel_in_name_initials" in plan


async def test_typing_initials_in_the_search_box_lists_the_name(
        station: StationProfile) -> None:
    nana = parcels_in.intake("SF1234567890123", name="欧阳娜娜")
    parcels_in.intake("SF1234567890124", name="王五")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#search", Input).focus()
        await pilot.press("o", "y")
        await pilot.pause(0.3)
        await _settle(pilot)
        table = app.screen.table
        assert [str(k.value) for k in table.rows] == [nana.uuid.hex]


@pytest.mark.parametrize(("name", "letters"), [
    ("𠮷x😀", "x"),      # no reading for 𠮷: skipped, like the emoji
    ("𪚥丰", "zf"),      # outside the BMP, read by pypinyin
    ("\ud869\udea5丰", "zf"),  # the same, arrived as two UTF-16 halves
    ("李1明", "lm"),
    ("王-五", "ww"),
    ("Lily 王", "lw"),
    ("😀欧阳", "oy"),
])
def test_initials_hold_letters_only_whatever_the_name_holds(
        name: str, letters: str) -> None:
    assert initials(name) == letters


# --- 7. newest entered first within one second ------------------------------


def test_parcels_of_one_second_are_listed_latest_entered_first(
        station: StationProfile) -> None:
    taken = [parcels_in.intake(f"SF12345678901{i:02d}", at=1_780_000_000)
             for i in range(8)]
    newest_first = [p.pickup_code for p in reversed(taken)]

    assert [p.pickup_code for p in parcels_in.page()] == newest_first
    walked, after = [], None
    while page := parcels_in.page(after=after, limit=3):
        walked += [p.pickup_code for p in page]
        after = cursor_of(page[-1])
    assert walked == newest_first


async def test_the_intake_list_shows_a_burst_of_scans_newest_first(
        station: StationProfile) -> None:
    taken = [parcels_in.intake(f"SF12345678901{i:02d}", at=1_780_000_000)
             for i in range(8)]
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        keys = [str(k.value) for k in app.screen.table.rows]

    assert keys == [p.uuid.hex for p in reversed(taken)]


# --- 8. the incoming-list box stays one line --------------------------------


@pytest.mark.parametrize("width", [120, 80])
async def test_the_chosen_incoming_list_fits_one_line(
        station: StationProfile, width: int) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="中通张师傅")
    long = handovers.open_incoming(carrier="YTO",
                                   courier_name="圆通快递沁县分部张师傅的徒弟小李")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(width, 30)) as pilot:
        await _settle(pilot)
        screen = app.screen
        box = screen.query_one("#handover", Select)
        for value in (target.uuid.hex, long.uuid.hex, ""):
            box.value = value
            await pilot.pause()
            heights = {w.id: w.outer_size.height
                       for w in screen.query("#scan-options > *")}
            assert heights["handover"] == heights["carrier"] == 3
        damaged = screen.query_one("#damaged")
        assert damaged.region.right <= width


def test_initials_stored_by_an_earlier_release_are_made_letters_only(
        tmp_path: Path) -> None:
    from station_tui.storage import migrations
    from station_tui.storage.db import bind, write_txn

    db = SqliteDatabase(str(tmp_path / "old.sqlite3"))
    bind(db)
    migrations.migrate(db, steps=migrations.STEPS[:3])
    from station_tui.operations.station import setup_station

    setup_station(code="QY-001", name="城关村服务站", town="沁河镇",
                  village="城关村", partner="王建国", phone="13800001111")
    parcel = parcels_in.intake("SF1234567890123", name="李1明")
    plain = parcels_in.intake("SF1234567890124", name="张三")
    with write_txn(db):  # as the earlier release stored them
        ParcelIn.update(name_initials="l1m").where(
            ParcelIn.uuid == parcel.uuid).execute()

    assert migrations.migrate(db) == migrations.LATEST
    assert ParcelIn.get_by_id(parcel.uuid).name_initials == "lm"
    assert ParcelIn.get_by_id(plain.uuid).name_initials == "zs"
    assert [p.uuid for p in parcels_in.page(search="lm")] == [parcel.uuid]
    db.close()
