"""Outbound parcels and handover lists both ways, and their printed page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from station_tui.domain import clock
from station_tui.errors import InputError, RuleError
from station_tui.operations import handovers, parcels_in, parcels_out
from station_tui.operations.handover_print import write_print
from station_tui.records import Handover, ParcelOut, StationProfile


def _accept(**over: Any) -> ParcelOut:
    fields = dict(sender_name="张三", sender_phone="13800001111",
                  destination="山西省长治市沁县某街 1 号", carrier="ZTO",
                  weight="1.5", fee="12", tracking_no="73123456789012")
    fields.update(over)
    return parcels_out.accept(**fields)  # type: ignore[arg-type]


def test_accept_stores_grams_fen_and_region(station: StationProfile) -> None:
    parcel = _accept()

    assert parcel.weight_g == 1500
    assert parcel.fee_fen == 1200
    assert parcel.destination_region == "山西省"
    assert parcel.status == "accepted"
    assert parcel.phone_last4 == "1111"


@pytest.mark.parametrize(("typed", "grams"), [
    ("1.5", 1500), ("800g", 800), ("3斤", 1500), ("0.25 kg", 250), ("２", 2000),
])
def test_weight_is_read_in_kilograms_unless_a_unit_says_otherwise(
        typed: str, grams: int) -> None:
    assert parcels_out.parse_weight(typed) == grams


@pytest.mark.parametrize("typed", ["", "abc", "0", "500", "1.0005"])
def test_bad_weights_are_refused_at_the_weight_field(typed: str) -> None:
    with pytest.raises(InputError) as caught:
        parcels_out.parse_weight(typed)

    assert caught.value.field == "weight"


@pytest.mark.parametrize("fee", ["0", "-1", "1.234"])
def test_fee_must_be_positive_with_two_decimals_case_c03(
        station: StationProfile, fee: str) -> None:
    with pytest.raises(InputError) as caught:
        _accept(fee=fee)

    assert caught.value.field == "fee"
    assert ParcelOut.select().count() == 0


def test_tracking_number_is_optional_until_handover(station: StationProfile) -> None:
    parcel = _accept(tracking_no="")

    with pytest.raises(RuleError) as caught:
        handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="赵师傅")
    parcels_out.set_tracking(parcel.uuid, "73123456789013")
    handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="赵师傅")

    assert "快递单号" in caught.value.message
    assert ParcelOut.get_by_id(parcel.uuid).status == "handed_over"


def test_outgoing_list_hands_parcels_over_with_time(station: StationProfile) -> None:
    morning = clock.instant_of(datetime(2026, 4, 1, 9, 0))
    a = _accept(at=morning)
    b = _accept(tracking_no="73123456789099", at=morning)

    lst = handovers.create_outgoing([a.uuid, b.uuid], carrier="中通",
                                    courier_name="赵师傅", signer="赵师傅",
                                    signed_at="2026-04-01 17:30")

    assert lst.direction == "out"
    assert lst.signed_at is not None
    for parcel in (a, b):
        again = ParcelOut.get_by_id(parcel.uuid)
        assert again.status == "handed_over"
        assert again.handover == lst.uuid
        assert again.handed_at == lst.signed_at


def test_a_parcel_on_two_outgoing_lists_is_refused(station: StationProfile) -> None:
    parcel = _accept()
    handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="赵师傅")

    with pytest.raises(RuleError) as caught:
        handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="钱师傅")

    assert "另一张交接清单" in caught.value.message
    assert Handover.select().count() == 1


def test_outgoing_list_refuses_another_carriers_parcel(station: StationProfile) -> None:
    parcel = _accept()

    with pytest.raises(RuleError):
        handovers.create_outgoing([parcel.uuid], carrier="SF", courier_name="孙师傅")

    assert ParcelOut.get_by_id(parcel.uuid).status == "accepted"


def test_incoming_list_collects_scans_and_is_signed(station: StationProfile) -> None:
    lst = handovers.open_incoming(carrier="SF", courier_name="孙师傅")
    a = parcels_in.intake("SF1234567890123", handover=lst.uuid)
    b = parcels_in.intake("SF1234567890124")
    handovers.add_to_incoming(lst.uuid, [b.uuid])

    signed = handovers.sign(lst.uuid, signer="王建国")

    assert {p.uuid for p in handovers.parcels_of(signed)} == {a.uuid, b.uuid}
    assert signed.signer == "王建国"
    assert handovers.open_incoming_lists() == []


def test_a_parcel_on_two_incoming_lists_is_refused(station: StationProfile) -> None:
    first = handovers.open_incoming(carrier="SF", courier_name="孙师傅")
    second = handovers.open_incoming(carrier="SF", courier_name="周师傅")
    parcel = parcels_in.intake("SF1234567890123", handover=first.uuid)

    with pytest.raises(RuleError):
        handovers.add_to_incoming(second.uuid, [parcel.uuid])


def test_a_signed_list_takes_no_more_scans(station: StationProfile) -> None:
    lst = handovers.open_incoming(carrier="SF", courier_name="孙师傅")
    parcels_in.intake("SF1234567890123", handover=lst.uuid)
    handovers.sign(lst.uuid, signer="王建国")

    with pytest.raises(RuleError):
        parcels_in.intake("SF1234567890124", handover=lst.uuid)


def test_an_empty_list_cannot_be_signed(station: StationProfile) -> None:
    lst = handovers.open_incoming(carrier="SF", courier_name="孙师傅")

    with pytest.raises(RuleError):
        handovers.sign(lst.uuid, signer="王建国")


def test_printed_list_has_every_parcel_counts_and_signature_lines(
        station: StationProfile, tmp_path: Path) -> None:
    parcel = _accept(sender_name="张𠮷")
    lst = handovers.create_outgoing([parcel.uuid], carrier="ZTO", courier_name="赵师傅")

    files = write_print(lst, directory=tmp_path)

    page = files.html.read_text(encoding="utf-8")
    text = files.text.read_text(encoding="utf-8-sig")
    for content in (page, text):
        assert "73123456789012" in content
        assert "张𠮷" in content
        assert "138****1111" in content and "13800001111" not in content
        assert "共 1 件" in content
        assert "快递员签字" in content and station.name in content
    assert "<script" not in page and "http" not in page


def test_prints_go_to_the_user_data_folder_by_default(station: StationProfile) -> None:
    lst = handovers.open_incoming(carrier="SF", courier_name="孙师傅")
    parcels_in.intake("SF1234567890123", handover=lst.uuid)

    files = write_print(lst.uuid.hex)

    assert files.html.parent.name == "prints"
    assert files.html.exists() and files.text.exists()
