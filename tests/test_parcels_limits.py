"""What a fresh user found in the parcel screens: names of any length,
a long cell pushing the list's columns off, handovers signed before
their parcels came, one tracking number on two 寄件."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any, Callable

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from station_tui.domain import clock
from station_tui.errors import DuplicateError, InputError
from station_tui.operations import handovers, parcels_in, parcels_out
from station_tui.records import Handover, ParcelIn, ParcelOut, StationProfile
from station_tui.ui.screens.action_modal import ActionModal
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.parcels_out_screen import ParcelsOutScreen
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.paged_table import PagedTable

#: 2026-12-05 02:43 in Shanghai.
NIGHT = clock.instant_of(datetime(2026, 12, 5, 2, 43))
LONG_NAME = "欧阳娜娜" + "长" * 200


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


def _modal_text(app: App[None]) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


def _accept(**over: Any) -> ParcelOut:
    fields = dict(sender_name="张三", sender_phone="13800001111",
                  destination="山西省长治市沁县某街 1 号", carrier="",
                  weight="1.5", fee="12", tracking_no="")
    fields.update(over)
    return parcels_out.accept(**fields)


@pytest.fixture
def at_night(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(clock, "now", lambda: NIGHT)
    return NIGHT


# --- 1a. every person's name has a length limit ------------------------------


_serial = itertools.count(100)


def _sf() -> str:
    """A fresh SF number: each helper may run twice in one test."""
    return f"SF1234567890{next(_serial)}"


def _intake(name: str) -> object:
    return parcels_in.intake(_sf(), name=name)


def _set_contact(name: str) -> object:
    parcel = parcels_in.intake(_sf())
    return parcels_in.set_contact(parcel.uuid, "13800001111", name)


def _proxy(name: str) -> object:
    parcel = parcels_in.intake(_sf())
    return parcels_in.pickup(parcel.uuid, by="proxy", proxy_name=name)


def _sender(name: str) -> object:
    return _accept(sender_name=name)


def _courier_out(name: str) -> object:
    parcel = _accept(carrier="SF", tracking_no=_sf())
    return handovers.create_outgoing([parcel.uuid], carrier="SF", courier_name=name)


def _signer_out(name: str) -> object:
    parcel = _accept(carrier="SF", tracking_no=_sf())
    return handovers.create_outgoing([parcel.uuid], carrier="SF",
                                     courier_name="刘师傅", signer=name)


def _courier_in(name: str) -> object:
    return handovers.open_incoming(carrier="ZTO", courier_name=name)


def _signer_in(name: str) -> object:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅")
    parcels_in.intake(_sf(), carrier="ZTO", handover=target.uuid)
    return handovers.sign(target.uuid, signer=name)


NAME_FIELDS: list[tuple[Callable[[str], object], str]] = [
    (_intake, "name"), (_set_contact, "name"), (_proxy, "proxy_name"),
    (_sender, "sender_name"), (_courier_out, "courier_name"),
    (_signer_out, "signer"), (_courier_in, "courier_name"),
    (_signer_in, "signer"),
]
WRITTEN = (ParcelIn, ParcelOut, Handover)


@pytest.mark.parametrize(("act", "field"), NAME_FIELDS,
                         ids=[f"{a.__name__}" for a, _ in NAME_FIELDS])
def test_every_persons_name_is_refused_past_32_characters(
        station: StationProfile, act: Callable[[str], object], field: str) -> None:
    act("欧" * 32)  # the longest name is kept
    before = {m: [r.__data__ for r in m.select()] for m in WRITTEN}

    with pytest.raises(InputError) as caught:
        act(LONG_NAME)

    errors = getattr(caught.value, "errors", [caught.value])
    assert [e.field for e in errors] == [field]
    assert "太长（204 字），最多 32 字" in caught.value.message
    # Nothing of the refused step is saved; a parcel the step needed first
    # may be, it is a step of its own.
    for model in WRITTEN:
        for row in model.select():
            assert LONG_NAME not in row.__data__.values()
        assert all(r in [x.__data__ for x in model.select()] for r in before[model])


async def test_a_long_name_in_the_add_phone_dialog_is_refused_and_kept(
        station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press(*"13800001111", "enter", *LONG_NAME)
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, ActionModal)
        name = app.screen.query_one("#field-name", FormField)
        assert name.has_class("-invalid")
        assert name.value == LONG_NAME
        assert "收件人姓名太长（204 字），最多 32 字" in _modal_text(app)
    again = ParcelIn.get_by_id(parcel.uuid)
    assert again.recipient_name is None and again.recipient_phone is None


async def test_a_scan_with_a_long_name_is_not_taken_in_and_the_name_kept(
        station: StationProfile) -> None:
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ParcelsInScreen)
        screen.query_one("#field-name", FormField).value = LONG_NAME
        screen.scan_input.focus()
        await pilot.press(*"SF1234567890123", "enter")
        await pilot.pause()

        assert screen.scan_log == [("SF1234567890123", "error")]
        result = str(screen.query_one("#scan-result", Static).render())
        assert result.startswith("单号“SF1234567890123”未入库：收件人姓名太长（204 字）")
        name = screen.query_one("#field-name", FormField)
        assert name.has_class("-invalid") and name.value == LONG_NAME
    assert ParcelIn.select().count() == 0


# --- 1b. no cell pushes the list's columns off --------------------------------


def _fits(table: PagedTable) -> None:
    widths = [c.get_render_width(table) for c in table.ordered_columns]
    assert sum(widths) <= table.size.width, widths


async def test_a_long_name_already_stored_does_not_push_the_columns_off(
        station: StationProfile) -> None:
    # As an earlier release (or a synced record) may have stored it.
    parcel = parcels_in.intake("SF1234567890123", phone="13800001111")
    ParcelIn.update(recipient_name=LONG_NAME).where(
        ParcelIn.uuid == parcel.uuid).execute()
    parcels_in.intake("SF1234567890124", phone="13900002222", name="王五")
    app = ScreenApp(ParcelsInScreen())
    async with app.run_test(size=(110, 30)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one("#parcels", PagedTable)
        assert table.row_count == 2
        _fits(table)
        row = [str(c) for c in table.get_row(parcel.uuid.hex)]

    assert row[3].startswith("欧阳娜娜") and row[3].endswith("…")
    assert row[4] == "138****1111"
    assert row[6].startswith("待取件")


async def test_a_long_sender_name_does_not_push_the_sending_columns_off(
        station: StationProfile) -> None:
    parcel = _accept(carrier="SF", tracking_no="SF1234567890123")
    ParcelOut.update(sender_name=LONG_NAME).where(
        ParcelOut.uuid == parcel.uuid).execute()
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one("#outgoing", PagedTable)
        _fits(table)
        row = [str(c) for c in table.get_row(parcel.uuid.hex)]

    assert row[3].endswith("…") and row[-1] == "已收寄"


# --- 2. a list is not signed before its parcels came ------------------------


async def test_an_outgoing_handover_before_the_acceptance_is_refused_at_the_time(
        station: StationProfile, at_night: int) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")  # accepted 02:43
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.screen.query_one("#outgoing", PagedTable).focus()
        await pilot.press("space", "ctrl+g")
        await pilot.pause()
        await pilot.press(*"刘师傅", "enter", "enter", *"02:00", "enter")
        await pilot.pause()

        assert isinstance(app.screen, ActionModal)
        when = app.screen.query_one("#field-signed_at", FormField)
        assert when.has_class("-invalid") and when.value == "02:00"
        assert ("签字时间 12-05 02:00 早于寄件“SF1234567890123”的收寄时间 "
                "12-05 02:43") in _modal_text(app)
    assert Handover.select().count() == 0
    assert ParcelOut.get().status == "accepted"


def test_an_outgoing_handover_at_the_acceptance_or_later_is_taken(
        station: StationProfile, at_night: int) -> None:
    parcel = _accept(carrier="SF", tracking_no="SF1234567890123")
    done = handovers.create_outgoing([parcel.uuid], carrier="SF",
                                     courier_name="刘师傅", signed_at="02:43")
    assert done.signed_at == NIGHT


def test_signing_an_incoming_list_before_it_was_made_is_refused(
        station: StationProfile, at_night: int) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅")
    parcels_in.intake("73123456789012", handover=target.uuid)

    with pytest.raises(InputError) as caught:
        handovers.sign(target.uuid, signer="王建国", signed_at="02:00")

    assert caught.value.field == "signed_at"
    assert "早于清单的开单时间 12-05 02:43" in caught.value.message
    assert Handover.get_by_id(target.uuid).signed_at is None
    handovers.sign(target.uuid, signer="王建国", signed_at="02:43")
    assert Handover.get_by_id(target.uuid).signed_at == NIGHT


def test_signing_before_a_parcel_on_the_list_arrived_is_refused(
        station: StationProfile, at_night: int) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅",
                                     at=NIGHT - 3600)
    parcels_in.intake("73123456789012", handover=target.uuid)  # at 02:43

    with pytest.raises(InputError) as caught:
        handovers.sign(target.uuid, signer="王建国", signed_at="02:00")

    assert "包裹“73123456789012”的到站时间 12-05 02:43" in caught.value.message
    assert Handover.get_by_id(target.uuid).signed_at is None


async def test_signing_an_incoming_list_too_early_keeps_the_dialog(
        station: StationProfile, at_night: int) -> None:
    target = handovers.open_incoming(carrier="ZTO", courier_name="张师傅")
    parcels_in.intake("73123456789012", handover=target.uuid)
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press(*"王建国", "enter", *"02:00", "enter")
        await pilot.pause()

        assert isinstance(app.screen, ActionModal)
        when = app.screen.query_one("#field-signed_at", FormField)
        assert when.has_class("-invalid") and when.value == "02:00"
        assert "早于清单的开单时间" in _modal_text(app)
    assert Handover.get_by_id(target.uuid).signed_at is None


# --- 3. one tracking number, one 寄件 ----------------------------------------


def test_a_number_another_parcel_has_is_refused_at_acceptance(
        station: StationProfile) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")

    with pytest.raises(DuplicateError) as caught:
        _accept(sender_name="李四", sender_phone="13900002222",
                tracking_no="sf 1234567890123")

    assert caught.value.field == "tracking_no"
    assert "单号“SF1234567890123”已用在另一件寄件上" in caught.value.message
    assert "寄件人 张三 138****1111" in caught.value.message
    assert ParcelOut.select().count() == 1


def test_a_voided_parcels_number_is_free_again(station: StationProfile) -> None:
    first = _accept(carrier="SF", tracking_no="SF1234567890123")
    parcels_out.void(first.uuid, "录错了")
    again = _accept(tracking_no="SF1234567890123")
    assert again.tracking_no == "SF1234567890123"


@pytest.mark.parametrize("how", ["amend", "set_tracking"])
def test_a_number_added_later_must_not_be_another_parcels(
        station: StationProfile, how: str) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")
    later = _accept(sender_name="李四", sender_phone="13900002222")

    with pytest.raises(DuplicateError) as caught:
        if how == "amend":
            parcels_out.amend(later.uuid, tracking_no="SF1234567890123", carrier="")
        else:
            parcels_out.set_tracking(later.uuid, "SF1234567890123")

    assert "寄件人 张三" in caught.value.message
    assert ParcelOut.get_by_id(later.uuid).tracking_no is None


def test_a_parcel_keeps_its_own_number_when_its_carrier_is_corrected(
        station: StationProfile) -> None:
    parcel = _accept(tracking_no="SF1234567890123")
    done = parcels_out.amend(parcel.uuid, tracking_no="SF1234567890123",
                             carrier="JD")
    assert done.carrier == "JD"


async def test_the_amend_dialog_refuses_another_parcels_number(
        station: StationProfile) -> None:
    _accept(carrier="SF", tracking_no="SF1234567890123")
    later = _accept(sender_name="李四", sender_phone="13900002222")
    app = ScreenApp(ParcelsOutScreen())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one("#outgoing", PagedTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(later.uuid.hex))
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"SF1234567890123", "ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, ActionModal)
        number = app.screen.query_one("#field-tracking_no", FormField)
        assert number.has_class("-invalid") and number.value == "SF1234567890123"
        assert "已用在另一件寄件上（寄件人 张三 138****1111" in _modal_text(app)
    assert ParcelOut.get_by_id(later.uuid).tracking_no is None
