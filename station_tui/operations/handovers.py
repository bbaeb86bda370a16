"""Handover lists (交接清单) with couriers, both ways.

Outgoing: accepted outbound parcels handed to a courier, signed at once.
Incoming: parcels a courier brought; the list is opened, scans go onto it
(or waiting parcels are added afterwards), and it is signed at the end.
A parcel is on at most one list per direction: each parcel holds one
``handover`` reference, and a parcel already on a list is refused.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Literal

from peewee import fn

from station_tui.domain.carriers import CARRIERS, guess_carrier
from station_tui.domain.text import clean
from station_tui.errors import FieldChecks, InputError, RuleError
from station_tui.operations import changes
from station_tui.operations.parcel_common import (
    ENTRY_ORDER,
    Cursor,
    after_clause,
    listed,
    load,
    newest_first,
    person_name,
    resolve_carrier,
    short_time,
    typed_time,
)
from station_tui.operations.station import current_code
from station_tui.records import Handover, ParcelIn, ParcelOut
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

Direction = Literal["in", "out"]
Ref = uuid.UUID | str


def _signed_time(signed_at: int | str | None) -> int:
    """Empty is now; a time still to come is refused (a typing slip)."""
    return typed_time(signed_at, field="signed_at")


def _name(carrier: str) -> str:
    return CARRIERS.get(carrier, carrier)


def carrier_for_list(target: Handover, chosen: str | None, number: str) -> str:
    """The carrier of a parcel scanned onto an incoming list.

    The partner's choice, else the number's guess, else (a number of no
    known format) the list's carrier. A parcel that is surely another
    carrier's is refused: the courier signs the list for their company's
    parcels only, and a stray one is sorted out at the counter, not later.
    """
    own = target.carrier
    code = chosen or guess_carrier(number)
    if code == "OTHER" and chosen is None:
        return own
    if own == "OTHER" or code == own:
        return code
    # The scan result is one line: what happened and what to do come first.
    if chosen is not None:
        raise RuleError(
            f"单号“{number}”未入库：选的快递公司是{_name(code)}，不能进{_name(own)}"
            f"清单（{target.courier_name}）；请改选快递公司或清单"
        )
    raise RuleError(
        f"单号“{number}”未入库：{_name(code)}的件不能进{_name(own)}清单，请放一边"
        f"或换清单再扫（{target.courier_name}）；确是{_name(own)}的件，"
        f"快递公司选{_name(own)}再扫"
    )


def create_outgoing(parcels: Sequence[ParcelOut | Ref], *, carrier: str | None,
                    courier_name: str | None, signer: str | None = None,
                    signed_at: int | str | None = None,
                    note: str | None = None) -> Handover:
    """Hand accepted parcels to a courier; they become ``handed_over``."""
    checks = FieldChecks()
    code = checks.take(resolve_carrier, carrier)
    courier = checks.take(person_name, courier_name, field="courier_name",
                          label="快递员姓名", needed=True)
    signed_by = checks.take(person_name, signer, field="signer", label="签收人姓名")
    when = checks.take(_signed_time, signed_at)
    checks.raise_all()
    assert code is not None and courier is not None and when is not None
    who = signed_by or courier
    if not parcels:
        raise RuleError("请先选择要交接的寄件")
    with write_txn():
        found = [load(ParcelOut, p, label="寄件") for p in parcels]
        for parcel in found:
            _check_outgoing(parcel, code)
        latest = max(found, key=lambda p: p.happened_at)
        _not_before(when, latest.happened_at,
                    f"寄件“{latest.tracking_no}”的收寄时间")
        handover = changes.create(
            Handover, station=current_code(), happened_at=when, direction="out",
            carrier=code, courier_name=courier, signer=who, signed_at=when,
            note=clean(note) or None,
        )
        for parcel in found:
            changes.update(parcel, status="handed_over", handover=handover.uuid,
                           handed_at=when)
    log.info("handover out %s: %d parcels", handover.uuid, len(found))
    return handover


def _check_outgoing(parcel: ParcelOut, carrier: str) -> None:
    label = parcel.tracking_no or parcel.sender_name or "寄件"
    if parcel.handover is not None:
        raise RuleError(f"寄件“{label}”已在另一张交接清单上")
    if parcel.status != "accepted":
        raise RuleError(f"寄件“{label}”不是待交接状态")
    if not parcel.tracking_no:
        raise RuleError(f"寄件（{parcel.sender_name}）还没有快递单号，交接前请补上")
    if parcel.carrier != carrier:
        raise RuleError(
            f"寄件“{label}”是{_name(parcel.carrier)}的，与清单的{_name(carrier)}"
            "不一致；快递公司登记错了可按 Ctrl+T 改正"
        )


def open_incoming(*, carrier: str | None, courier_name: str | None,
                  note: str | None = None, at: int | None = None) -> Handover:
    """Start a list for the parcels a courier is bringing; signed later."""
    checks = FieldChecks()
    code = checks.take(resolve_carrier, carrier)
    courier = checks.take(person_name, courier_name, field="courier_name",
                          label="快递员姓名", needed=True)
    checks.raise_all()
    with write_txn():
        handover = changes.create(
            Handover, station=current_code(), happened_at=at, direction="in",
            carrier=code, courier_name=courier, note=clean(note) or None,
        )
    return handover


def add_to_incoming(handover: Handover | Ref,
                    parcels: Sequence[ParcelIn | Ref]) -> int:
    """Put parcels already taken in onto an open incoming list."""
    with write_txn():
        target = _open_list(handover)
        found = [load(ParcelIn, p, label="包裹") for p in parcels]
        carriers = [_incoming_carrier(target, parcel) for parcel in found]
        for parcel, code in zip(found, carriers):
            if code != parcel.carrier:
                changes.update(parcel, handover=target.uuid, carrier=code)
            else:
                changes.update(parcel, handover=target.uuid)
    return len(found)


def _incoming_carrier(target: Handover, parcel: ParcelIn) -> str:
    """The carrier a parcel has on the list: its own, or the list's when
    its number told nothing (``OTHER``); another company's is refused."""
    if parcel.handover == target.uuid:
        raise RuleError(f"包裹“{parcel.tracking_no}”已在这张清单上")
    if parcel.handover is not None:
        raise RuleError(f"包裹“{parcel.tracking_no}”已在另一张交接清单上")
    if parcel.carrier == "OTHER":
        return target.carrier
    if target.carrier not in ("OTHER", parcel.carrier):
        raise RuleError(
            f"包裹“{parcel.tracking_no}”是{_name(parcel.carrier)}的，"
            f"不能放进{_name(target.carrier)} {target.courier_name}的收件清单"
        )
    return parcel.carrier


def _open_list(handover: Handover | Ref) -> Handover:
    target = load(Handover, handover, label="交接清单")
    if target.direction != "in":
        raise RuleError("寄出的交接清单在创建时已签字，不能再加入包裹")
    if target.signed_at is not None:
        raise RuleError(f"{target.courier_name} 的交接清单已签字，不能再加入包裹")
    return target


def sign(handover: Handover | Ref, *, signer: str | None,
         signed_at: int | str | None = None) -> Handover:
    """Close an incoming list with the signer's name and the time."""
    checks = FieldChecks()
    who = checks.take(person_name, signer, field="signer", label="签收人",
                      needed=True)
    when = checks.take(_signed_time, signed_at)
    checks.raise_all()
    with write_txn():
        target = _open_list(handover)
        count = ParcelIn.select().where(ParcelIn.handover == target.uuid,
                                        ParcelIn.voided_at.is_null()).count()
        if count == 0:
            raise RuleError("清单上还没有包裹，不能签字")
        assert when is not None
        _not_before(when, target.happened_at, "清单的开单时间")
        last = (ParcelIn.select().where(ParcelIn.handover == target.uuid,
                                        ParcelIn.voided_at.is_null())
                .order_by(ParcelIn.happened_at.desc()).first())
        if last is not None:
            _not_before(when, last.happened_at,
                        f"包裹“{last.tracking_no}”的到站时间")
        return changes.update(target, signer=who, signed_at=when)


def _not_before(when: int, earliest: int, what: str) -> None:
    """Refuse a signing time before ``earliest``: a list is signed for
    parcels already at the counter, so an earlier time is a typing slip."""
    if when < earliest:
        raise InputError(
            f"签字时间 {short_time(when)} 早于{what} {short_time(earliest)}，"
            "请核对日期和钟点",
            field="signed_at",
        )


def open_incoming_lists() -> list[Handover]:
    return list(
        Handover.select()
        .where(Handover.direction == "in", Handover.signed_at.is_null(),
               Handover.voided_at.is_null())
        .order_by(*newest_first(Handover))
    )


def parcels_of(handover: Handover) -> list[ParcelIn] | list[ParcelOut]:
    model = ParcelIn if handover.direction == "in" else ParcelOut
    return list(
        model.select()
        .where(model.handover == handover.uuid, model.voided_at.is_null())
        .order_by(model.happened_at, ENTRY_ORDER)
    )


def page(direction: Direction | None = None, after: Cursor | None = None,
         limit: int = 50) -> list[Handover]:
    query = listed(Handover).where(Handover.voided_at.is_null(),
                                   after_clause(Handover, after))
    if direction is not None:
        query = query.where(Handover.direction == direction)
    return list(query.order_by(*newest_first(Handover)).limit(limit))


def counts(handovers: Sequence[Handover]) -> dict[uuid.UUID, int]:
    """Parcels on each list, in two grouped queries."""
    result: dict[uuid.UUID, int] = {}
    for model, direction in ((ParcelIn, "in"), (ParcelOut, "out")):
        keys = [h.uuid for h in handovers if h.direction == direction]
        if not keys:
            continue
        rows = (model.select(model.handover, fn.COUNT(model.uuid).alias("n"))
                .where(model.handover.in_(keys), model.voided_at.is_null())
                .group_by(model.handover).tuples())
        for key, n in rows:
            result[key if isinstance(key, uuid.UUID) else uuid.UUID(key)] = n
    return result

