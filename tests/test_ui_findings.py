"""Findings from a new user's first try of the station app, fixed.

Every test drives the real StationApp (or the screen) by keys, as the
partner would.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Select

from station_tui.domain import clock
from station_tui.operations import opening
from station_tui.operations.station import setup_station
from station_tui.records import (
    DailyReport,
    ParcelOut,
    PurchaseOrder,
    RestDay,
    StationProfile,
)
from station_tui.ui.app import StationApp
from station_tui.ui.screens.purchases_screen import PurchasesScreen
from station_tui.ui.screens.ask_modal import AskModal
from station_tui.ui.screens.report_screen import ReportScreen
from station_tui.ui.widgets.form_field import FormField
from tests.orders_harness import field, settle

SIZE = (120, 40)


async def open_screen(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_enter_moves_field_by_field_on_the_purchase_form_and_saves_last(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f5")
        screen = app.screen
        assert isinstance(screen, PurchasesScreen)
        # 数量 keeps its real default 1 and 服务费 its 0: Enter passes them.
        for text in ("张三", "13800001111", "化肥", "", "58.50", "", "拼多多",
                     "PDD1", ""):
            await pilot.press(*text, "enter")
            await settle(pilot)

        order = PurchaseOrder.get()
        assert (order.villager_name, order.villager_phone) == ("张三", "13800001111")
        assert (order.goods, order.quantity, order.amount_fen) == ("化肥", 1, 5850)
        assert order.platform == "拼多多" and order.platform_order_no == "PDD1"
        assert field(screen, "goods").value == ""


async def test_enter_in_the_middle_of_a_form_does_not_save(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f5")
        screen = app.screen
        await pilot.press(*"张三", "enter", *"13800001111", "enter")
        await settle(pilot)
        assert field(screen, "goods").input.has_focus
        assert not field(screen, "goods").has_class("-invalid")
        assert field(screen, "phone").value == "13800001111"
        assert PurchaseOrder.select().count() == 0


def looks_like_a_value(placeholder: str) -> bool:
    """A grey text a partner could read as filled in: a bare number or time."""
    return re.fullmatch(r"[\d.:\- ]+", placeholder) is not None


@pytest.mark.parametrize("key", ["f4", "f5", "f6", "f7"])
async def test_defaults_are_real_values_and_examples_say_they_are_examples(
        db_path: Path, station: StationProfile, key: str) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, key)
        screen = app.screen
        inputs = {f.field_name: f.input for f in screen.query(FormField)}
        for name in ("count", "service_fee", "fee"):
            if name in inputs and key != "f4":
                assert inputs[name].value in ("1", "0"), name
        numeric = [name for name, box in inputs.items()
                   if looks_like_a_value(box.placeholder)]
        assert numeric == []
        if key == "f5":
            assert inputs["platform"].placeholder == "例：拼多多"
            assert inputs["amount"].placeholder == "例：58.50"
        if key == "f4":
            assert inputs["weight"].placeholder == "例：1.5"
            assert inputs["fee"].placeholder == "例：12.00"


# -- 3. Ctrl+Q asks before throwing typing away or leaving the station open


async def test_ctrl_q_asks_before_discarding_a_half_typed_form(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f5")
        await pilot.press(*"张三")
        await open_screen(pilot, "f4")  # the typing stays on 代购
        await pilot.press("ctrl+q")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, AskModal)
        assert "代购" in str(modal.query_one(".ask--detail").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.return_code is None
        assert not isinstance(app.screen, AskModal)

        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.click("#ask-discard")
        await settle(pilot)
        assert app.return_code == 0


async def test_ctrl_q_quits_at_once_when_nothing_is_typed_and_closed(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f5")  # the defaults 1 and 0 are not typing
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.return_code == 0


@pytest.mark.parametrize(("button", "closed"),
                         [("#ask-close", True), ("#ask-keep_open", False)])
async def test_quitting_while_open_asks_whether_to_close_first(
        db_path: Path, station: StationProfile, button: str,
        closed: bool) -> None:
    opening.open_station()
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        await pilot.press("escape")
        await settle(pilot)
        assert app.return_code is None

        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.click(button)
        await settle(pilot)
        assert app.return_code == 0
    assert (opening.current_spell() is None) is closed


# -- 4. 日报: empty and future days are refused at the date field


async def type_day_and_submit(pilot: Pilot[None], text: str) -> ReportScreen:
    await open_screen(pilot, "f8")
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    day = field(screen, "day")
    day.input.focus()
    day.input.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return screen


async def test_a_future_report_day_is_refused_at_the_field_before_any_dialog(
        db_path: Path, station: StationProfile) -> None:
    tomorrow = clock.local_date(clock.now()) + timedelta(days=1)
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await type_day_and_submit(pilot, tomorrow.isoformat())
        assert app.screen is screen  # no confirmation dialog
        day = field(screen, "day")
        assert day.has_class("-invalid")
        assert "还没到" in str(day.query_one(".form-field--error").render())
        figures = str(screen.query_one("#report-figures").render())
        assert tomorrow.isoformat() not in figures  # nothing compiled for it
        assert "尚未关门" not in figures
    assert DailyReport.select().count() == 0


async def test_an_empty_report_day_asks_for_a_date(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await type_day_and_submit(pilot, "")
        error = str(field(screen, "day").query_one(".form-field--error").render())
        assert error == "请填写日期"
        assert app.screen is screen


# -- 6. 营业: a rest day is confirmed, with a warning when the week is lost;
#       寄件: Ctrl+S saves from the carrier choice too

#: Monday 2026-04-06 17:00 in Beijing: too late for Monday to reach 8 hours.
MONDAY_EVENING = int(datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc).timestamp())


async def declare_by_enter(pilot: Pilot[None], day: str) -> AskModal:
    field(pilot.app.screen, "day").input.focus()
    field(pilot.app.screen, "day").value = day
    await pilot.press("enter")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, AskModal)
    return modal


async def test_enter_declares_a_rest_day_after_asking_and_warns_of_a_lost_week(
        db: object, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: MONDAY_EVENING)
    setup_station(code="QY-001", name="城关村服务站", town="沁河镇",
                  village="城关村", partner="王建国", phone="13800001111")
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f2")
        modal = await declare_by_enter(pilot, "2026-04-07")
        # Wednesday to Sunday can still make the 5 days: no warning.
        assert "无法达到" not in str(modal.query_one(".ask--detail").render())
        await pilot.click("#ask-confirm")
        await settle(pilot)

        modal = await declare_by_enter(pilot, "2026-04-08")
        detail = str(modal.query_one(".ask--detail").render())
        assert "无法达到 5 天" in detail
        await pilot.press("escape")
        await settle(pilot)
        assert RestDay.select().count() == 1  # 返回 declares nothing

        modal = await declare_by_enter(pilot, "2026-04-08")
        await pilot.click("#ask-confirm")
        await settle(pilot)
    days = sorted(r.happened_day.isoformat() for r in RestDay.select())
    assert days == ["2026-04-07", "2026-04-08"]


async def test_ctrl_s_saves_a_parcel_while_the_carrier_choice_has_focus(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f4")
        for text in ("张三", "13800001111", "山西省长治市沁县", "1.5", "12"):
            await pilot.press(*text, "enter")
        app.screen.query_one("#carrier", Select).focus()
        await pilot.press("enter", "s", "ctrl+s")
        await settle(pilot)
    assert ParcelOut.select().count() == 1


# -- 7. The command palette speaks Chinese; no English keys panel


async def test_the_command_palette_is_in_chinese_and_offers_no_keys_panel(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder.startswith("查找")
        await pilot.press(*"keys")
        await pilot.pause(1.5)  # the "nothing found" line comes after a while
        await settle(pilot)
        shown = [str(o.prompt) for o in palette.query_one(CommandList).options]
        assert not any("Keys" in text or "No matches" in text for text in shown)
        for _ in "keys":
            await pilot.press("backspace")
        await pilot.press(*"按键")
        await pilot.pause(1.5)
        shown = [str(o.prompt) for o in palette.query_one(CommandList).options]
        assert not any("按键帮助" in text for text in shown)


# -- 8. Every wrong field is marked at once


async def test_setup_marks_a_bad_code_and_a_bad_phone_together(
        db_path: Path, db: object) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        for text in ("QY 001", "城关村服务站", "沁河镇", "城关村", "王建国",
                     "12345"):
            await pilot.press(*text, "enter")
        await settle(pilot)
        screen = app.screen
        assert field(screen, "code").has_class("-invalid")
        assert field(screen, "phone").has_class("-invalid")
        assert "QY 001" in str(field(screen, "code")
                               .query_one(".form-field--error").render())
        assert field(screen, "code").input.has_focus
    assert StationProfile.select().count() == 0


# -- 5. Usable at 80 × 24


async def test_search_quantity_and_price_fields_stay_wide_at_80_columns(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "f9")
        assert app.screen.query_one("#field-text").size.width >= 20
        await open_screen(pilot, "f6")
        screen = app.screen
        assert field(screen, "count").size.width >= 8
        assert field(screen, "unit_price").size.width >= 12
        assert field(screen, "channel_name").size.width >= 10
        await open_screen(pilot, "f8")
        labels = {b.description for b in app.screen.BINDINGS
                  if isinstance(b, Binding)}
        assert labels == {"提交", "更正", "汇总"}


async def test_the_quit_question_names_screens_truly(
        db_path: Path, db: object) -> None:
    """Setup was called 今日; a rest day already declared counted as unsaved."""
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"QY-001")
        assert app.unsaved_screens() == ["首次设置"]


async def test_a_declared_rest_day_leaves_nothing_unsaved(
        db_path: Path, station: StationProfile) -> None:
    from datetime import timedelta

    from station_tui.domain import clock

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f2")
        day = clock.local_date(clock.now()) + timedelta(days=7)
        field(app.screen, "day").value = ""
        field(app.screen, "day").input.focus()
        await pilot.press(*day.isoformat())
        assert app.unsaved_screens() == ["营业"]  # typed, not yet declared
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        await pilot.click("#ask-confirm")
        await settle(pilot)
        assert any("已申报休息日" in str(n.message) for n in app._notifications)
        assert app.unsaved_screens() == []


async def test_a_burst_of_keys_with_enters_fills_the_fields_in_order(
        db_path: Path, station: StationProfile) -> None:
    """A paste, an IME commit or a fast typist: "王五⏎135…⏎李村⏎" arrives
    at once; every key used to land in the first field."""
    from textual import events

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f4")
        for char in "王五\r13500005555\r李村\r":
            app.post_message(events.Key("enter" if char == "\r" else char, char))
        await pilot.pause(0.5)
        screen = app.screen
        assert field(screen, "sender_name").value == "王五"
        assert field(screen, "sender_phone").value == "13500005555"
        assert field(screen, "destination").value == "李村"


async def test_a_burst_with_tabs_fills_the_setup_fields_in_order(
        db_path: Path, db: object) -> None:
    from textual import events

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for part in ("QY-001", "\t", "城关村服务站", "\t", "沁河镇"):
            for char in part:
                key = "tab" if char == "\t" else char
                app.post_message(events.Key(key, char))
        await pilot.pause(0.5)
        screen = app.screen
        assert field(screen, "code").value == "QY-001"
        assert field(screen, "name").value == "城关村服务站"
        assert field(screen, "town").value == "沁河镇"


async def test_pasted_lines_are_joined_not_cut(
        db_path: Path, station: StationProfile) -> None:
    from textual import events

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f8")
        note = field(app.screen, "note")
        note.input.focus()
        await pilot.pause()
        note.input.post_message(events.Paste("补录：下午\n又到一件\r\n包裹"))
        await pilot.pause()
        assert note.value == "补录：下午 又到一件 包裹"


async def test_ctrl_q_asks_about_a_number_typed_in_the_scan_field(
        db_path: Path, station: StationProfile) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f3")
        await pilot.press(*"SF12345")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        assert "收件" in str(app.screen.query_one(".ask--detail").render())


async def test_a_rest_day_that_cannot_be_declared_is_refused_before_asking(
        db_path: Path, station: StationProfile) -> None:
    from datetime import timedelta

    from station_tui.domain import clock

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "f2")
        yesterday = clock.local_date(clock.now()) - timedelta(days=1)
        field(app.screen, "day").value = yesterday.isoformat()
        field(app.screen, "day").input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AskModal)
        assert any("不能补报" in str(n.message) for n in app._notifications)
