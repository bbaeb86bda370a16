"""The ledger as one table: its columns and each record's cells.

The same cells fill the ledger screen's list and every export, so what the
partner sees is what the file holds. Phones are masked here, once: the
phone column as a whole, and any mobile number inside the other text a
person typed (names, notes, addresses, a service's account, such as the
number a top-up went to). Tracking and platform order numbers come from
the carrier or the shop and are kept whole, so they can be looked up.
"""

from __future__ import annotations

from typing import Any, Callable

from station_tui.domain.carriers import CARRIERS
from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.operations.daily_report import DayFigures
from station_tui.operations.services import shown_account
from station_tui.operations.ledger_search import KIND_LABELS, Hit
from station_tui.exports.writers import Cells, Column, text_of
from station_tui.domain import labels

COLUMNS: tuple[Column, ...] = (
    Column("kind", "种类"),
    Column("happened_at", "时间", "time"),
    Column("number", "单号"),
    Column("name", "姓名"),
    Column("phone", "电话"),
    #: Who collected a parcel for its recipient (代取人): a name, kept and
    #: erased as the recipient's is.
    Column("proxy", "代取人"),
    Column("detail", "内容"),
    Column("amount", "金额（元）", "money"),
    Column("fee", "服务费（元）", "money"),
    Column("status", "状态"),
    Column("note", "备注"),
    Column("uuid", "记录编号"),
)
#: The ledger screen's order: what tells records apart first (kind, status,
#: time, amount), so that a voided record and every amount show even at 80
#: columns; the rest scrolls in from the right.
LIST_COLUMNS: tuple[Column, ...] = tuple(
    next(c for c in COLUMNS if c.key == key)
    # Money before free text, so no amount is cut at a narrow screen's edge.
    for key in ("kind", "status", "happened_at", "amount", "fee", "name",
                "phone", "number", "detail", "proxy", "note")
)
#: Text a person typed, which may hold a phone number.
_TYPED_TEXT = ("name", "proxy", "detail", "note")

def _parcel_in(r: Any) -> Cells:
    carrier = CARRIERS.get(r.carrier, r.carrier)
    detail = f"{carrier} 货架{r.shelf_slot} 取件码{r.pickup_code}"
    if r.damaged_on_arrival:
        detail += " 到件破损"
    return {
        "number": r.tracking_no, "name": r.recipient_name,
        "phone": r.recipient_phone, "proxy": r.proxy_name, "detail": detail,
        "status": labels.PARCEL_IN_STATUS.get(r.status, r.status),
        "note": r.exception_note or r.arrival_note,
    }


def _parcel_out(r: Any) -> Cells:
    where = f" 寄往{r.destination_region}" if r.destination_region else ""
    return {
        "number": r.tracking_no, "name": r.sender_name, "phone": r.sender_phone,
        "detail": f"{CARRIERS.get(r.carrier, r.carrier)}{where} {r.weight_g}克",
        "fee": r.fee_fen,
        "status": labels.PARCEL_OUT_STATUS.get(r.status, r.status),
        "note": r.exception_note,
    }


def _purchase(r: Any) -> Cells:
    return {
        "number": r.platform_order_no, "name": r.villager_name,
        "phone": r.villager_phone,
        "detail": f"{r.platform} {r.goods} ×{r.quantity}",
        "amount": r.amount_fen, "fee": r.service_fee_fen,
        "status": labels.PURCHASE_STATUS.get(r.status, r.status),
        "note": r.cancel_reason,
    }


def _sale(r: Any) -> Cells:
    channel = r.channel_name or labels.SALE_CHANNEL.get(r.channel, r.channel)
    return {
        "number": r.order_no, "name": r.seller_name, "phone": r.seller_phone,
        "detail": f"{channel} {r.product} ×{r.quantity}",
        "amount": r.amount_fen, "fee": r.service_fee_fen,
        "status": labels.SALE_STATUS.get(r.status, r.status),
        "note": r.cancel_reason,
    }


def _refund(r: Any) -> Cells:
    # The order's columns come from the join in the ledger search.
    purchase = r.order_kind == "purchase"
    side = "po" if purchase else "so"
    goods = getattr(r, f"{side}_goods", None) or ""
    return {
        "number": getattr(r, f"{side}_number", None),
        "name": getattr(r, f"{side}_name", None),
        "phone": getattr(r, f"{side}_phone", None),
        "detail": f"{'代购' if purchase else '代销'}：{goods}",
        "amount": r.amount_fen,
        "status": "退货退款" if r.refund_kind == "return" else "仅退款",
        "note": r.reason,
    }


def _service(r: Any) -> Cells:
    category = labels.SERVICE_CATEGORY.get(r.category, r.category)
    return {
        "number": shown_account(r.kind, r.account) or None,
        "name": r.customer_name, "phone": r.customer_phone,
        "detail": f"{category} {labels.SERVICE_KIND.get(r.kind, r.kind)}",
        "amount": r.amount_fen, "fee": r.fee_fen, "note": r.note,
    }


def _villager(r: Any) -> Cells:
    return {
        "name": r.name, "phone": r.phone, "detail": r.address,
        "status": "已删除个人信息" if r.erased_at else "",
    }


def _daily_report(r: Any) -> Cells:
    f = DayFigures.from_json(r.figures)
    hours = f.open_seconds / 3600
    detail = (
        f"{r.happened_day.isoformat()} 代收{f.parcels_in} 取件{f.parcels_picked_up}"
        f" 代寄{f.parcels_out} 代购{f.purchase_registered}"
        f" 代销{f.sale_registered} 营业{hours:.1f}小时"
    )
    return {
        "detail": detail, "note": r.note,
        "status": "更正" if r.amends else "原报",
    }


_BUILDERS: dict[str, Callable[[Any], Cells]] = {
    "parcel_in": _parcel_in, "parcel_out": _parcel_out,
    "purchase_order": _purchase, "sale_order": _sale, "refund": _refund,
    "service_record": _service, "villager": _villager,
    "daily_report": _daily_report,
}


def cells(hit: Hit) -> Cells:
    """A record's cells by column key: instants and fen stay numbers."""
    record = hit.record
    values: Cells = {column.key: None for column in COLUMNS}
    values.update(_BUILDERS[hit.kind](record))
    values["kind"] = KIND_LABELS[hit.kind]
    values["happened_at"] = record.happened_at
    values["uuid"] = str(record.uuid)
    if record.voided:
        values["status"] = "已作废"
        values["note"] = record.void_reason
    values["phone"] = mask(values["phone"])
    for key in _TYPED_TEXT:
        if values[key]:
            values[key] = mask_phones(values[key])
    return values


def row_text(hit: Hit) -> list[str]:
    """A record as the ledger screen lists it, one string per LIST_COLUMNS."""
    values = cells(hit)
    return [text_of(values[column.key], column) for column in LIST_COLUMNS]
