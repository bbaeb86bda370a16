"""Inbound parcel operations: intake, duplicates, pickup, exceptions, void."""

from __future__ import annotations

import json

import pytest
from peewee import IntegrityError

from station_tui.errors import DuplicateError, InputError, NotFoundError, RuleError
from station_tui.operations import changes, parcels_in
from station_tui.operations.parcel_common import cursor_of
from station_tui.records import Outbox, ParcelIn, StationProfile
from station_tui.storage.db import write_txn


def test_intake_normalises_number_and_guesses_carrier(station: StationProfile) -> None:
    parcel = parcels_in.intake(" ｓｆ1234567890123 ")

    assert parcel.tracking_no == "SF1234567890123"
    assert parcel.carrier == "SF"
    assert parcel.status == "waiting"
    assert parcel.station == station.code


def test_carrier_guess_can_be_overridden_by_code_or_name(
        station: StationProfile) -> None:
    by_code = parcels_in.intake("SF1234567890124", carrier="zto")
    by_name = parcels_in.intake("SF1234567890125", carrier="韵达")

    assert by_code.carrier == "ZTO"
    assert by_name.carrier == "YD"


def test_unknown_format_is_taken_in_as_other(station: StationProfile) -> None:
    parcel = parcels_in.intake("XYZ-0001-AB")

    assert parcel.carrier == "OTHER"


def test_scan_twice_keeps_one_parcel_and_names_the_number(
        station: StationProfile) -> None:
    parcels_in.intake("SF1234567890123")

    with pytest.raises(DuplicateError) as caught:
        parcels_in.intake("sf1234567890123")

    assert "SF1234567890123" in caught.value.message
    assert "已经入库" in caught.value.message
    assert ParcelIn.select().count() == 1


def test_partial_unique_index_refuses_a_second_live_row(
        station: StationProfile) -> None:
    parcels_in.intake("SF1234567890123")

    with pytest.raises(IntegrityError), write_txn():
        changes.create(ParcelIn, station=station.code, tracking_no="SF1234567890123",
                       carrier="SF", shelf_slot="A1", pickup_code="A1-999")


def test_phone_is_optional_at_intake(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    assert parcel.recipient_phone is None
    assert parcel.phone_last4 == ""


@pytest.mark.parametrize(("typed", "stored"), [
    ("＋８６ １９９ ００００ ００００", "19900000000"),
    ("199-0000-0000", "19900000000"),
    (" 19200000000 ", "19200000000"),
    ("13800001111", "13800001111"),
])
def test_phone_is_cleaned_at_intake_case_c01(station: StationProfile, typed: str,
                                             stored: str) -> None:
    parcel = parcels_in.intake("SF1234567890123", phone=typed, name="张三")

    assert parcel.recipient_phone == stored
    assert parcel.phone_last4 == stored[-4:]
    assert parcel.name_initials == "zs"


def test_invalid_phone_is_refused_and_nothing_is_saved_case_c01(
        station: StationProfile) -> None:
    with pytest.raises(InputError) as caught:
        parcels_in.intake("SF1234567890123", phone="1234")

    assert caught.value.field == "phone"
    assert "1234" in caught.value.message
    assert ParcelIn.select().count() == 0


def test_damaged_on_arrival_is_noted_and_still_waiting(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123", damaged=True, note="外箱压扁")

    assert parcel.damaged_on_arrival is True
    assert parcel.arrival_note == "外箱压扁"
    assert parcel.status == "waiting"


def test_every_intake_writes_an_outbox_snapshot(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123", phone="13800001111")

    row = Outbox.get(Outbox.record_uuid == parcel.uuid)
    snap = json.loads(row.snapshot)
    assert snap["tracking_no"] == "SF1234567890123"
    assert snap["pickup_code"] == parcel.pickup_code


def test_pickup_codes_are_unique_among_waiting_and_name_their_slot(
        station: StationProfile) -> None:
    parcels = [parcels_in.intake(f"SF12345678901{i:02d}") for i in range(60)]

    codes = [p.pickup_code for p in parcels]
    assert len(set(codes)) == 60
    for parcel in parcels:
        assert parcel.pickup_code.startswith(parcel.shelf_slot + "-")
    assert {p.shelf_slot for p in parcels} == set(parcels_in.shelf_slots())


def test_a_code_still_waiting_is_skipped_when_the_counter_wraps(
        station: StationProfile) -> None:
    from station_tui.operations.station import set_setting

    first = parcels_in.intake("SF1234567890100")
    set_setting("parcel_in.code_counter", "0")  # as after a wrap-around

    second = parcels_in.intake("SF1234567890101")

    assert second.pickup_code != first.pickup_code


def test_normalize_code_accepts_what_people_type() -> None:
    assert parcels_in.normalize_code("b3 017") == "B3-017"
    assert parcels_in.normalize_code("Ｂ３-０１７") == "B3-017"
    assert parcels_in.normalize_code("1234") is None


def test_phone_can_be_added_later(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    updated = parcels_in.set_contact(parcel.uuid, "138 0000 2222", name="李四")

    assert updated.recipient_phone == "13800002222"
    assert updated.phone_last4 == "2222"
    assert updated.name_initials == "ls"
    assert updated.version == 2


def test_notified_records_method_and_time(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123", phone="13800001111")

    updated = parcels_in.mark_notified(parcel.uuid, "sms", at=1_700_000_000)

    assert updated.notify_method == "sms"
    assert updated.notified_at == 1_700_000_000


def test_pickup_by_code(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    done = parcels_in.pickup_by_code(parcel.pickup_code.lower().replace("-", ""))

    assert done.uuid == parcel.uuid
    assert done.status == "picked_up"
    assert done.picked_up_by == "self"
    assert done.picked_up_at is not None


def test_pickup_by_last_four_returns_every_match_to_choose_from(
        station: StationProfile) -> None:
    a = parcels_in.intake("SF1234567890123", phone="13800001111")
    b = parcels_in.intake("SF1234567890124", phone="13900001111")
    parcels_in.intake("SF1234567890125", phone="13800002222")

    found = parcels_in.waiting_by_last4("1111")

    assert {p.uuid for p in found} == {a.uuid, b.uuid}


def test_pickup_by_tracking_number_by_a_proxy(station: StationProfile) -> None:
    parcels_in.intake("SF1234567890123", phone="13800001111")

    done = parcels_in.pickup_by_tracking("sf1234567890123", by="proxy",
                                         proxy_name="王五")

    assert done.picked_up_by == "proxy"
    assert done.proxy_name == "王五"


def test_proxy_pickup_needs_the_proxy_name(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    with pytest.raises(InputError) as caught:
        parcels_in.pickup(parcel.uuid, by="proxy", proxy_name=" ")

    assert caught.value.field == "proxy_name"


def test_a_parcel_cannot_be_picked_up_twice(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")
    parcels_in.pickup(parcel.uuid)

    with pytest.raises(RuleError):
        parcels_in.pickup(parcel.uuid)
    with pytest.raises(NotFoundError):
        parcels_in.find_for_pickup(parcel.pickup_code)


@pytest.mark.parametrize("kind", ["damaged", "lost", "refused", "returned"])
def test_exceptions_are_recorded_with_note_and_time(station: StationProfile,
                                                    kind: str) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    updated = parcels_in.mark_exception(
        parcel.uuid, kind, "情况说明")  # type: ignore[arg-type]

    assert updated.status == kind
    assert updated.exception_note == "情况说明"
    assert updated.exception_at is not None


def test_exception_needs_a_note(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    with pytest.raises(InputError):
        parcels_in.mark_exception(parcel.uuid, "lost", "")


def test_void_frees_the_number_for_a_new_intake(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    voided = parcels_in.void(parcel.uuid, "扫错了")
    again = parcels_in.intake("SF1234567890123")

    assert voided.void_reason == "扫错了"
    assert again.uuid != parcel.uuid
    assert ParcelIn.select().count() == 2


def test_void_needs_a_reason(station: StationProfile) -> None:
    parcel = parcels_in.intake("SF1234567890123")

    with pytest.raises(InputError):
        parcels_in.void(parcel.uuid, "")


def test_page_walks_newest_first_without_repeats(station: StationProfile) -> None:
    for i in range(25):
        parcels_in.intake(f"SF12345678901{i:02d}", at=1_700_000_000 + i // 3)

    first = parcels_in.page(limit=10)
    seen = [p.uuid for p in first]
    after = cursor_of(first[-1])
    while True:
        more = parcels_in.page(after=after, limit=10)
        if not more:
            break
        seen += [p.uuid for p in more]
        after = cursor_of(more[-1])

    assert len(seen) == 25 == len(set(seen))
    assert first[0].happened_at == 1_700_000_008


def test_search_by_last_four_initials_and_code(station: StationProfile) -> None:
    a = parcels_in.intake("SF1234567890123", phone="13800001111", name="张三")
    parcels_in.intake("SF1234567890124", phone="13800002222", name="李四")

    assert [p.uuid for p in parcels_in.page(search="1111")] == [a.uuid]
    assert [p.uuid for p in parcels_in.page(search="zs")] == [a.uuid]
    assert [p.uuid for p in parcels_in.page(search=a.pickup_code)] == [a.uuid]
    assert parcels_in.page(search="11") == []


def test_overdue_filter_lists_old_waiting_parcels(station: StationProfile) -> None:
    from station_tui.domain import clock

    old = parcels_in.intake("SF1234567890123", at=clock.now() - 5 * 86_400)
    parcels_in.intake("SF1234567890124")

    assert [p.uuid for p in parcels_in.page("overdue")] == [old.uuid]
