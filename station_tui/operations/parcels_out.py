"""Outbound parcels sent for villagers (快递代寄)."""

from __future__ import annotations

import logging
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Literal, get_args

from station_tui.domain.carriers import CARRIERS, guess_carrier, normalize_tracking
from station_tui.domain.money import parse_yuan
from station_tui.domain.phone import mask
from station_tui.domain.text import clean
from station_tui.errors import DuplicateError, FieldChecks, InputError, RuleError
from station_tui.operations import changes
from station_tui.operations.parcel_common import (
    Cursor,
    after_clause,
    contact,
    listed,
    load,
    newest_first,
    person_name,
    required_text,
    resolve_carrier,
    short_time,
)
from station_tui.operations.station import current_code
from station_tui.records import ParcelOut
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

OutException = Literal["returned", "damaged", "lost"]
OutFilter = Literal["accepted", "all"]

#: Heavier than this is surely a typing slip (grams typed as kilograms).
MAX_WEIGHT_G = 100_000
_WEIGHT = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>kg|公斤|千克|g|克|斤)?$")
_UNIT_GRAMS = {None: 1000, "kg": 1000, "公斤": 1000, "千克": 1000, "g": 1,
               "克": 1, "斤": 500}
_REGION = re.compile(r"^(.{2,8}?(?:特别行政区|自治区|省|市))")


def parse_weight(text: str | None, *, field: str = "weight") -> int:
    """Grams from what the partner typed: ``1.5`` (kg), ``800g``, ``3斤``."""
    raw = clean(text).lower()
    if not raw:
        raise InputError("请填写重量（公斤），例如 1.5", field=field)
    match = _WEIGHT.match(raw)
    if match is None:
        raise InputError(f"重量“{raw}”不是数字，例如 1.5 或 800g", field=field)
    try:
        grams = Decimal(match["num"]) * _UNIT_GRAMS[match["unit"]]
    except InvalidOperation:
        raise InputError(f"重量“{raw}”不是数字", field=field) from None
    if grams != grams.to_integral_value():
        raise InputError(f"重量“{raw}”比 1 克还细，请核对", field=field)
    if grams <= 0:
        raise InputError("重量必须大于 0", field=field)
    if grams > MAX_WEIGHT_G:
        raise InputError(
            f"重量“{raw}”超过 100 公斤；若是克请写成 {match['num']}g", field=field
        )
    return int(grams)


def region_of(destination: str) -> str:
    """The province or city a destination starts with, for statistics."""
    match = _REGION.match(clean(destination))
    return match[1] if match else ""


def accept(*, sender_name: str | None, sender_phone: str | None,
           destination: str | None, carrier: str | None, weight: str | None,
           fee: str | None, tracking_no: str | None = None,
           at: int | None = None) -> ParcelOut:
    """Accept a parcel to send; every field is checked before anything is saved.

    The tracking number may come later (the courier's waybill), but is
    needed before the parcel goes on a handover list.
    """
    checks = FieldChecks()
    name = checks.take(person_name, sender_name, field="sender_name",
                       label="寄件人姓名", needed=True)
    if not clean(sender_phone):
        checks.add(InputError("请填写寄件人手机号", field="sender_phone"))
    fields = checks.take(contact, sender_phone, name, phone_key="sender_phone",
                         name_key="sender_name", phone_field="sender_phone",
                         name_field="sender_name", name_label="寄件人姓名")
    place = checks.take(required_text, destination, field="destination",
                        label="寄往地址")
    number = (checks.take(normalize_tracking, tracking_no)
              if clean(tracking_no) else None)
    code = checks.take(resolve_carrier, carrier, number)
    grams = checks.take(parse_weight, weight)
    fen = checks.take(parse_yuan, fee, field="fee")
    checks.raise_all()
    assert fields is not None and place is not None and grams is not None
    with write_txn():
        if number is not None:
            _refuse_duplicate(number)
        parcel = changes.create(
            ParcelOut, station=current_code(), happened_at=at, tracking_no=number,
            carrier=code, destination=place, destination_region=region_of(place),
            weight_g=grams, fee_fen=fen, **fields,
        )
    log.info("parcel out %s carrier=%s weight=%d", parcel.uuid, code, grams)
    return parcel


def carrier_was_guessed(parcel: ParcelOut) -> bool:
    """Whether the carrier is what its number (or no number) gives.

    No column says whether the partner chose the carrier; one that equals
    the guess is the guess, or a choice that the guess repeats.
    """
    return parcel.carrier == guess_carrier(parcel.tracking_no or "")


def set_tracking(parcel: ParcelOut | uuid.UUID | str, tracking_no: str) -> ParcelOut:
    """Add or correct the number; a carrier that was only guessed (or
    unknown, 其他) is guessed again from it, a chosen one is kept."""
    number = normalize_tracking(tracking_no)
    with write_txn():
        found = _amendable(parcel)
        _refuse_duplicate(number, found)
        code = guess_carrier(number) if carrier_was_guessed(found) else found.carrier
        return changes.update(found, tracking_no=number, carrier=code)


def amend(parcel: ParcelOut | uuid.UUID | str, *, tracking_no: str | None,
          carrier: str | None) -> ParcelOut:
    """Correct the number and the carrier of a parcel not yet handed over.

    An empty ``carrier`` means 按单号识别: guessed from the number. A number
    once given cannot be taken away. Nothing is written when nothing
    changes. One change, with its outbox row.
    """
    checks = FieldChecks()
    number = (checks.take(normalize_tracking, tracking_no)
              if clean(tracking_no) else None)
    code = checks.take(resolve_carrier, carrier, number)
    checks.raise_all()
    with write_txn():
        found = _amendable(parcel)
        if number is None and found.tracking_no:
            raise InputError(
                f"请填写快递单号（原为 {found.tracking_no}）", field="tracking_no")
        if number == found.tracking_no and code == found.carrier:
            raise RuleError("单号和快递公司都没有改动")
        if number is not None:
            _refuse_duplicate(number, found)
        return changes.update(found, tracking_no=number, carrier=code)


def _refuse_duplicate(number: str, own: ParcelOut | None = None) -> None:
    """A tracking number names one parcel: refuse it when another live
    寄件 of this station has it (a voided one frees it)."""
    query = ParcelOut.select().where(
        ParcelOut.station == current_code(), ParcelOut.tracking_no == number,
        ParcelOut.voided_at.is_null())
    if own is not None:
        query = query.where(ParcelOut.uuid != own.uuid)
    other = query.first()
    if other is not None:
        who = " ".join(x for x in (other.sender_name, mask(other.sender_phone))
                       if x)
        place = other.destination_region or clean(other.destination)[:12]
        raise DuplicateError(
            f"单号“{number}”已用在另一件寄件上（寄件人 {who}，寄往 {place}，"
            f"{short_time(other.happened_at)} 收寄），不能重复，请核对面单",
            field="tracking_no",
        )


def _amendable(parcel: ParcelOut | uuid.UUID | str) -> ParcelOut:
    found = load(ParcelOut, parcel, label="寄件")
    if found.handover is not None:
        raise RuleError(
            f"寄件“{found.tracking_no}”已交给"
            f"{CARRIERS.get(found.carrier, found.carrier)}快递员，单号和快递公司不能再改"
        )
    return found


def mark_exception(parcel: ParcelOut | uuid.UUID | str, kind: OutException,
                   note: str) -> ParcelOut:
    checks = FieldChecks()
    if kind not in get_args(OutException):
        checks.add(InputError(f"异常类型“{kind}”不对", field="kind"))
    text = checks.take(required_text, note, field="note", label="异常情况")
    checks.raise_all()
    with write_txn():
        found = load(ParcelOut, parcel, label="寄件")
        return changes.update(found, status=kind, exception_note=text)


def void(parcel: ParcelOut | uuid.UUID | str, reason: str) -> ParcelOut:
    with write_txn():
        found = load(ParcelOut, parcel, label="寄件")
        if found.handover is not None:
            raise RuleError("寄件已交给快递员，不能作废；请登记为退回")
        return changes.void(found, reason)


def page(filter: OutFilter = "accepted", after: Cursor | None = None,
         limit: int = 50) -> list[ParcelOut]:
    """One page of outbound parcels, newest first (then latest entered)."""
    query = listed(ParcelOut).where(ParcelOut.voided_at.is_null(),
                                    after_clause(ParcelOut, after))
    if filter == "accepted":
        query = query.where(ParcelOut.status == "accepted")
    return list(query.order_by(*newest_first(ParcelOut)).limit(limit))
