"""Pilot tests of the intake and outbound screens, mounted in a small app."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static

from station_tui.operations import parcels_in
from station_tui.records import Handover, ParcelIn, ParcelOut, StationProfile
from station_tui.ui.screens.action_modal import ActionModal
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.parcels_out_screen import ParcelsOutScreen
from station_tui.ui.screens.pickup_modal import PickupModal
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.paged_table import PagedTable


class ScreenApp(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


async def _settle(pilot, table: PagedTable) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await table.app.workers.wait_for_complete()
    await pilot.pause()


async def test_scan_twice_keeps_one_parcel_and_warns(station: StationProfile) -> None:
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ParcelsInScreen)
        await pilot.press(*"SF1234567890123", "enter", *"sf1234567890123", "enter")
        await pilot.pause()

        assert [o for _, o in screen.scan_log] == ["stored", "duplicate"]
        assert "已经入库" in str(screen.query_one("#scan-result", Static).render())
        assert app.focused is screen.scan_input
    assert ParcelIn.select().count() == 1


async def test_phone_typed_before_the_scan_applies_to_that_scan_only(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        screen.query_one("#input-phone", Input).focus()
        await pilot.press(*"13800001111", "enter")
        assert app.focused is screen.scan_input  # Enter went back to scanning
        await pilot.press(*"SF1234567890123", "enter", *"SF1234567890124", "enter")
        await pilot.pause()

    first = ParcelIn.get(ParcelIn.tracking_no == "SF1234567890123")
    second = ParcelIn.get(ParcelIn.tracking_no == "SF1234567890124")
    assert first.recipient_phone == "13800001111"
    assert second.recipient_phone is None


async def test_damaged_toggle_applies_to_the_next_scan_only(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("ctrl+t", *"SF1234567890123", "enter",
                          *"SF1234567890124", "enter")
        await pilot.pause()

    assert ParcelIn.get(ParcelIn.tracking_no == "SF1234567890123").damaged_on_arrival
    second = ParcelIn.get(ParcelIn.tracking_no == "SF1234567890124")
    assert not second.damaged_on_arrival


async def test_a_wrong_phone_is_marked_at_its_field_and_kept_case_c01(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        screen.query_one("#input-phone", Input).value = "1380000"
        screen.scan_input.focus()
        await pilot.press(*"SF1234567890123", "enter")
        await pilot.pause()

        phone = screen.query_one("#field-phone", FormField)
        assert phone.has_class("-invalid")
        assert phone.value == "1380000"
        assert "1380000" in str(phone.query_one(".form-field--error", Static).render())
    assert ParcelIn.select().count() == 0


async def test_list_pages_and_searches_by_last_four(station: StationProfile) -> None:
    for i in range(120):
        parcels_in.intake(f"SF12345678{i:05d}",
                          phone="13800001111" if i % 40 == 0 else "13900002222")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        await _settle(pilot, screen.table)
        assert screen.table.row_count == screen.table.page_size

        screen.query_one("#search", Input).focus()
        await pilot.press(*"1111")
        await pilot.pause(0.3)
        await _settle(pilot, screen.table)
        assert screen.table.row_count == 3


async def test_cursor_at_the_end_loads_the_next_page(station: StationProfile) -> None:
    for i in range(70):
        parcels_in.intake(f"SF12345678{i:05d}")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        table = app.screen.table
        await _settle(pilot, table)
        table.move_cursor(row=table.row_count - 1)
        await _settle(pilot, table)

        assert table.row_count == 70


async def test_pickup_by_last_four_lets_the_partner_choose_and_records_a_proxy(
        station: StationProfile) -> None:
    a = parcels_in.intake("SF1234567890123", phone="13800001111")
    b = parcels_in.intake("SF1234567890124", phone="13900001111")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PickupModal)
        await pilot.press(*"1111", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#input-proxy_name", Input).value = "王五"
        app.screen.query_one("#matches").focus()
        await pilot.press("enter")
        await pilot.pause()

    picked = [p for p in (ParcelIn.get_by_id(a.uuid), ParcelIn.get_by_id(b.uuid))
              if p.status == "picked_up"]
    assert len(picked) == 1
    assert picked[0].proxy_name == "王五"


async def test_notify_and_void_act_on_the_highlighted_parcel(
        station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123", phone="13800001111")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        await _settle(pilot, app.screen.table)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("enter")  # no reason: refused, modal stays
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        await pilot.press(*"扫错了", "enter")
        await pilot.pause()

    again = ParcelIn.get_by_id(parcel.uuid)
    assert again.notify_method == "call"
    assert again.void_reason == "扫错了"


async def test_out_form_marks_a_wrong_weight_and_keeps_the_rest(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        for name, text in (("sender_name", "张三"), ("sender_phone", "13800001111"),
                           ("destination", "山西省长治市"), ("weight", "abc"),
                           ("fee", "12")):
            screen.query_one(f"#input-{name}", Input).value = text
        await pilot.press("ctrl+s")
        await pilot.pause()

        weight = screen.query_one("#field-weight", FormField)
        assert weight.has_class("-invalid")
        assert screen.query_one("#input-sender_name", Input).value == "张三"
        assert app.focused is weight.input
    assert ParcelOut.select().count() == 0


async def test_out_screen_accepts_hands_over_and_prints(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(150, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ParcelsOutScreen)
        for text in ("张三", "13800001111", "山西省长治市沁县", "1.5", "12",
                     "73123456789012"):
            await pilot.press(*text, "enter")
        table = screen.query_one("#outgoing", PagedTable)
        await _settle(pilot, table)
        assert table.row_count == 1

        table.focus()
        await pilot.press("space", "ctrl+g")
        await pilot.pause()
        # Enter moves through 签收人 and 签字时间; the last Enter confirms.
        await pilot.press(*"赵师傅", "enter", "enter", "enter")
        await pilot.pause()

        assert screen.last_print is not None
        assert Path(screen.last_print.html).exists()
        assert "73123456789012" in screen.last_print.html.read_text(encoding="utf-8")
    parcel = ParcelOut.get()
    assert parcel.status == "handed_over"
    assert Handover.get().courier_name == "赵师傅"
