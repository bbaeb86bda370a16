"""Inbound parcels held for pickup (快递代收): intake, notice, pickup.

Every action is one write transaction with its outbox row. A tracking
number is taken in once; a voided mis-scan frees it again (the partial
unique index on ``parcel_in`` enforces this even against a race).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Literal, get_args

from peewee import IntegrityError, ModelSelect

from station_tui.domain import clock
from station_tui.domain.carriers import normalize_tracking
from station_tui.domain.text import clean
from station_tui.errors import (
    DuplicateError,
    FieldChecks,
    InputError,
    NotFoundError,
    RuleError,
)
from station_tui.operations import changes
from station_tui.operations.handovers import carrier_for_list
from station_tui.operations.parcel_common import (
    Cursor,
    after_clause,
    contact,
    initials_prefix,
    listed,
    load,
    newest_first,
    person_name,
    resolve_carrier,
    short_time,
)
from station_tui.operations.station import current_code, get_setting, set_setting
from station_tui.records import Handover, ParcelIn
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

NotifyMethod = Literal["call", "sms", "wechat"]
PickedBy = Literal["self", "proxy"]
ExceptionKind = Literal["damaged", "lost", "refused", "returned"]
ListFilter = Literal["waiting", "all", "overdue"]

#: Shelves and layers a slot is made of; a station may set its own.
DEFAULT_SHELVES = "ABCDEF"
DEFAULT_LAYERS = 4
#: A waiting parcel older than this many days is listed as overdue (滞留).
DEFAULT_OVERDUE_DAYS = 3
_COUNTER_KEY = "parcel_in.code_counter"
_CODE = re.compile(r"^([A-Z])([1-9])(\d{3})$")
_LAST4 = re.compile(r"^\d{4}$")
_INITIALS = re.compile(r"^[a-z]{1,8}$")
#: Ways of telling that need the recipient's phone; WeChat may be a
#: contact the partner already has without a number on the parcel.
_NEEDS_PHONE = {"call": "电话", "sms": "短信"}


# --- shelf slots and pickup codes -------------------------------------------


def shelf_slots() -> list[str]:
    """Every slot, shelf letter then layer: A1, A2, … F4."""
    shelves = clean(get_setting("parcel_in.shelves", DEFAULT_SHELVES)).upper()
    layers = int(get_setting("parcel_in.layers", str(DEFAULT_LAYERS)) or 1)
    layers = min(max(layers, 1), 9)
    letters = [s for s in shelves if "A" <= s <= "Z"] or list(DEFAULT_SHELVES)
    return [f"{s}{n}" for s in letters for n in range(1, layers + 1)]


def _code_taken(code: str) -> bool:
    return (
        ParcelIn.select()
        .where(ParcelIn.pickup_code == code, ParcelIn.status == "waiting",
               ParcelIn.voided_at.is_null())
        .exists()
    )


def _next_slot_and_code() -> tuple[str, str]:
    """Round-robin over the slots with a running number: ``B3-017``.

    The code names its slot, so the partner reads it aloud and walks to the
    shelf; it is unique among waiting parcels. Call inside the write
    transaction so two intakes never draw the same number.
    """
    slots = shelf_slots()
    counter = int(get_setting(_COUNTER_KEY, "0") or 0)
    for _ in range(len(slots) * 999):
        slot = slots[counter % len(slots)]
        code = f"{slot}-{counter % 999 + 1:03d}"
        counter += 1
        if not _code_taken(code):
            set_setting(_COUNTER_KEY, str(counter))
            return slot, code
    raise RuleError("待取件太多，取件码已用完：请先处理滞留件")


def normalize_code(text: str | None) -> str | None:
    """``b3 017``, ``B3017`` or ``Ｂ３-０１７`` → ``B3-017``; None if not a code."""
    raw = clean(text).upper().replace("-", "").replace(" ", "")
    match = _CODE.match(raw)
    return f"{match[1]}{match[2]}-{match[3]}" if match else None


# --- intake -----------------------------------------------------------------


def intake(tracking_no: str, carrier: str | None = None, phone: str | None = None,
           name: str | None = None, damaged: bool = False, note: str | None = None,
           handover: uuid.UUID | str | None = None,
           at: int | None = None) -> ParcelIn:
    """Take a parcel in from a scan; raises DuplicateError for a repeat.

    ``carrier`` empty means guess it from the number; on an incoming list
    a number of no known format takes the list's carrier, and another
    company's number is refused (``carrier_for_list``).
    """
    checks = FieldChecks()
    number = checks.take(normalize_tracking, tracking_no)
    fields = checks.take(contact, phone, name, phone_key="recipient_phone",
                         name_key="recipient_name", name_label="收件人姓名")
    code = checks.take(resolve_carrier, carrier, number)
    checks.raise_all()
    assert number is not None and fields is not None and code is not None
    chosen = code if clean(carrier) else None
    try:
        with write_txn():
            _refuse_duplicate(number)
            if handover is not None:
                code = carrier_for_list(_open_incoming(handover), chosen, number)
            slot, pickup_code = _next_slot_and_code()
            parcel = changes.create(
                ParcelIn, station=current_code(), happened_at=at,
                tracking_no=number, carrier=code, damaged_on_arrival=damaged,
                arrival_note=clean(note) or None, shelf_slot=slot,
                pickup_code=pickup_code,
                handover=uuid.UUID(str(handover)) if handover else None,
                **fields,
            )
    except IntegrityError:
        # Another writer took the same number between our check and insert.
        raise DuplicateError(f"单号“{number}”已经入库，不能重复入库",
                             field="tracking_no") from None
    log.info("parcel in %s carrier=%s code=%s", parcel.uuid, code, pickup_code)
    return parcel


def _by_tracking(number: str) -> object:
    """WHERE part that the partial unique (station, tracking_no) index serves."""
    return ((ParcelIn.station == current_code()) & (ParcelIn.tracking_no == number)
            & ParcelIn.voided_at.is_null())


def _refuse_duplicate(number: str) -> None:
    found = ParcelIn.get_or_none(_by_tracking(number))
    if found is not None:
        when = short_time(found.happened_at)
        raise DuplicateError(
            f"单号“{number}”已经入库（{when}，取件码 {found.pickup_code}），"
            "不能重复入库",
            field="tracking_no",
        )


def _open_incoming(ref: uuid.UUID | str) -> Handover:
    found = load(Handover, ref, label="交接清单")
    if found.direction != "in":
        raise RuleError("这是寄出的交接清单，收件只能加入收件交接清单")
    if found.signed_at is not None:
        raise RuleError(f"{found.courier_name} 的交接清单已签字，不能再加入包裹")
    return found


# --- later changes ----------------------------------------------------------


def set_contact(parcel: ParcelIn | uuid.UUID | str, phone: str | None,
                name: str | None = None) -> ParcelIn:
    """Add or correct the recipient's phone (and name, when given)."""
    with write_txn():
        found = load(ParcelIn, parcel, label="包裹")
        fields = contact(phone, name if name is not None else found.recipient_name,
                         phone_key="recipient_phone", name_key="recipient_name",
                         name_label="收件人姓名")
        if fields["recipient_phone"] is None:
            raise InputError("请填写手机号", field="phone")
        return changes.update(found, **fields)


def mark_notified(parcel: ParcelIn | uuid.UUID | str, method: NotifyMethod,
                  at: int | None = None) -> ParcelIn:
    """Record that the recipient was told to come (电话/短信/微信).

    A call or a text needs the recipient's phone on the parcel.
    """
    if method not in get_args(NotifyMethod):
        raise InputError(f"通知方式“{method}”不对", field="method")
    with write_txn():
        found = _waiting(parcel)
        if method in _NEEDS_PHONE and not found.recipient_phone:
            raise InputError(
                f"包裹 {found.pickup_code}（{found.tracking_no}）没有收件人手机号，"
                f"不能记为{_NEEDS_PHONE[method]}通知：请先按 Ctrl+B 补手机号，"
                "或选微信通知",
                field="method",
            )
        return changes.update(found, notified_at=at or clock.now(),
                              notify_method=method)


def _waiting(parcel: ParcelIn | uuid.UUID | str) -> ParcelIn:
    found = load(ParcelIn, parcel, label="包裹")
    if found.status == "picked_up":
        when = short_time(found.picked_up_at)
        raise RuleError(f"包裹“{found.tracking_no}”已于 {when} 取走")
    if found.status != "waiting":
        raise RuleError(f"包裹“{found.tracking_no}”已登记为异常件，不是待取件")
    return found


# --- pickup -----------------------------------------------------------------


def find_for_pickup(text: str) -> list[ParcelIn]:
    """Waiting parcels matching a pickup code, last four digits or number.

    Last four digits may match several parcels (one villager, or two
    neighbours with the same ending): the caller lets the partner choose.
    """
    raw = clean(text)
    base = listed(ParcelIn).where(ParcelIn.status == "waiting",
                                  ParcelIn.voided_at.is_null())
    code = normalize_code(raw)
    if code is not None:
        query = base.where(ParcelIn.pickup_code == code)
    elif _LAST4.match(raw):
        query = base.where(ParcelIn.phone_last4 == raw)
    else:
        query = base.where(_by_tracking(normalize_tracking(raw, field="query")))
    found = list(query.order_by(*newest_first(ParcelIn)).limit(100))
    if not found:
        raise NotFoundError(f"没有待取件的包裹与“{raw}”相符")
    return found


def pickup(parcel: ParcelIn | uuid.UUID | str, by: PickedBy = "self",
           proxy_name: str | None = None, at: int | None = None) -> ParcelIn:
    """Hand a waiting parcel over to its recipient or a proxy (代取)."""
    if by not in get_args(PickedBy):
        raise InputError(f"取件人类型“{by}”不对", field="by")
    proxy = person_name(proxy_name, field="proxy_name", label="代取人姓名")
    if by == "proxy" and proxy is None:
        raise InputError("代取时请填写代取人姓名", field="proxy_name")
    with write_txn():
        found = _waiting(parcel)
        return changes.update(
            found, status="picked_up", picked_up_at=at or clock.now(),
            picked_up_by=by, proxy_name=proxy if by == "proxy" else None,
        )


def pickup_by_code(code: str, by: PickedBy = "self",
                   proxy_name: str | None = None) -> ParcelIn:
    normal = normalize_code(code)
    if normal is None:
        raise InputError(f"取件码“{clean(code)}”格式不对，例如 B3-017", field="code")
    (found,) = find_for_pickup(normal)
    return pickup(found, by, proxy_name)


def pickup_by_tracking(tracking_no: str, by: PickedBy = "self",
                       proxy_name: str | None = None) -> ParcelIn:
    (found,) = find_for_pickup(normalize_tracking(tracking_no))
    return pickup(found, by, proxy_name)


def waiting_by_last4(last4: str) -> list[ParcelIn]:
    raw = clean(last4)
    if not _LAST4.match(raw):
        raise InputError(f"“{raw}”不是手机号后四位", field="query")
    return find_for_pickup(raw)


# --- exceptions and voiding ---------------------------------------------------


def mark_exception(parcel: ParcelIn | uuid.UUID | str, kind: ExceptionKind,
                   note: str, at: int | None = None) -> ParcelIn:
    """Damaged or lost in custody, refused, or returned to the sender."""
    checks = FieldChecks()
    if kind not in get_args(ExceptionKind):
        checks.add(InputError(f"异常类型“{kind}”不对", field="kind"))
    text = clean(note)
    if not text:
        checks.add(InputError("请写明异常情况", field="note"))
    checks.raise_all()
    with write_txn():
        found = _waiting(parcel)
        return changes.update(found, status=kind, exception_at=at or clock.now(),
                              exception_note=text)


def void(parcel: ParcelIn | uuid.UUID | str, reason: str) -> ParcelIn:
    """Void a mis-scan; the tracking number can be taken in again."""
    with write_txn():
        found = load(ParcelIn, parcel, label="包裹")
        return changes.void(found, reason)


# --- lists ------------------------------------------------------------------


def overdue_before(now: int | None = None) -> int:
    days = int(get_setting("parcel_in.overdue_days", str(DEFAULT_OVERDUE_DAYS)) or 3)
    return (now or clock.now()) - days * 86_400


def search_clause(text: str) -> object | None:
    """What a search box holds, as a WHERE part; None when it is not yet one.

    Four digits: phone last four. A pickup code, pinyin initials (``zs``)
    or a whole tracking number. Fewer than four digits waits for more, so
    each keystroke does not scan the table.
    """
    raw = clean(text)
    if not raw:
        return True
    code = normalize_code(raw)
    if code is not None:
        return ParcelIn.pickup_code == code
    if _LAST4.match(raw):
        return ParcelIn.phone_last4 == raw
    if raw.isdigit() and len(raw) < 4:
        return None
    if _INITIALS.match(raw.lower()) and raw.isalpha():
        return initials_prefix(ParcelIn, raw.lower())
    return _by_tracking(raw.upper().replace(" ", ""))


def page(filter: ListFilter = "waiting", search: str = "",
         after: Cursor | None = None, limit: int = 50) -> list[ParcelIn]:
    """One page of parcels, newest first, after the keyset ``after``.

    Parcels of the same second come latest entered first (a scanner
    takes several in one second).
    """
    query = listed_query(filter, search, after)
    return [] if query is None else list(query.limit(limit))


def listed_query(filter: ListFilter = "waiting", search: str = "",
                 after: Cursor | None = None) -> ModelSelect | None:
    """The ordered select behind ``page``; None while the search is not one."""
    clause = search_clause(search)
    if clause is None:
        return None
    query = listed(ParcelIn).where(ParcelIn.voided_at.is_null(), clause,
                                   after_clause(ParcelIn, after))
    if filter in ("waiting", "overdue"):
        query = query.where(ParcelIn.status == "waiting")
    if filter == "overdue":
        query = query.where(ParcelIn.happened_at < overdue_before())
    return query.order_by(*newest_first(ParcelIn))
