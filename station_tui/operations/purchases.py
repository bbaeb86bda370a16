"""Purchase orders (代购): goods bought online for a villager.

Status runs 登记 → 已下单 → 已到货 → 已取货, one step at a time, never back.
An order may be cancelled with a reason until it is picked up; after it
arrived, goods can be returned (a full refund), money partly refunded, or
exchanged (a new order linked to the original).
"""

from __future__ import annotations

from typing import Any

from station_tui.domain.labels import PURCHASE_STATUS
from station_tui.domain import clock
from station_tui.domain.money import parse_yuan
from station_tui.errors import FieldChecks, InputError
from station_tui.operations import changes
from station_tui.operations.order_flow import OrderFlow, OrderId
from station_tui.operations.order_fields import (
    check_limit,
    happened_at,
    quantity,
    required,
    shared_number_warning,
)
from station_tui.operations.pages import PageKey, newest_first
from station_tui.operations.station import current_code
from station_tui.operations.villagers import check_party, remember_party
from station_tui.records import PurchaseOrder, Refund
from station_tui.storage.db import write_txn

#: Offered as suggestions in the form; any other platform may be typed.
PLATFORMS = ("拼多多", "淘宝", "京东", "抖音", "快手", "天猫", "美团优选", "1688")

FLOW: OrderFlow[PurchaseOrder] = OrderFlow(
    model=PurchaseOrder, kind="purchase", noun="代购", labels=PURCHASE_STATUS,
    path={"registered": "ordered", "ordered": "arrived", "arrived": "picked_up"},
    cancellable=("registered", "ordered", "arrived"),
    returnable=("arrived", "picked_up"),
    refundable=("ordered", "arrived", "picked_up"),
)
EXCHANGEABLE = ("arrived", "picked_up")
#: What an exchange order copies from the original to name the villager.
_VILLAGER_COLUMNS = ("villager", "villager_name", "villager_phone", "phone_last4",
                     "name_initials", "villager_complete")


def _checked_fields(*, name: str | None, phone: str | None, goods: str | None,
                    count: str | None, amount: str | None, platform: str | None,
                    service_fee: str | None, when: str | None,
                    order_no: str | None) -> dict[str, Any]:
    """Every typed field checked, in form order, before anything is written.

    Raises every wrong field at once (InputErrors), so the form marks all.
    """
    checks = FieldChecks()
    fields = {
        "party": checks.take(check_party, name, phone),
        "goods": checks.take(required, goods, field="goods", label="商品"),
        "quantity": checks.take(quantity, count),
        "amount_fen": checks.take(parse_yuan, amount, field="amount"),
        "service_fee_fen": checks.take(parse_yuan, service_fee or "0",
                                       field="service_fee", allow_zero=True),
        "platform": checks.take(required, platform, field="platform",
                                label="购物平台", max_length=32),
        "order_no": (checks.take(_order_no, order_no)
                     if (order_no or "").strip() else None),
        "happened_at": checks.take(happened_at, when),
    }
    checks.raise_all()
    return fields


def register(*, name: str | None, phone: str | None, goods: str | None,
             count: str | None, amount: str | None, platform: str | None,
             service_fee: str | None = "0", order_no: str | None = None,
             when: str | None = None, large_ok: bool = False) -> PurchaseOrder:
    """Record a villager's purchase; with an order number it is placed too.

    The villager is remembered (by name and phone) in the same transaction.
    An amount or fee above the limit needs ``large_ok`` (the partner
    confirmed it).
    """
    fields = _checked_fields(name=name, phone=phone, goods=goods, count=count,
                             amount=amount, platform=platform,
                             service_fee=service_fee, when=when,
                             order_no=order_no)
    check_limit("purchase", [
        ("amount", "金额", fields["amount_fen"]),
        ("service_fee", "服务费", fields["service_fee_fen"]),
    ], large_ok=large_ok)
    number = fields.pop("order_no")
    with write_txn():
        party = remember_party(fields.pop("party"))
        at = fields.pop("happened_at")
        extra: dict[str, Any] = {}
        if number:
            extra = {"status": "ordered", "platform_order_no": number,
                     "ordered_at": at, "ordered_day": clock.local_date(at)}
        return changes.create(
            PurchaseOrder, station=current_code(), happened_at=at,
            **party.columns("villager_name", "villager_phone"),
            villager_complete=party.complete, **fields, **extra,
        )


def _order_no(text: str | None) -> str:
    number = required(text, field="order_no", label="平台订单号", max_length=64)
    if any(ch.isspace() for ch in number):
        raise InputError(f"订单号“{number}”中间不能有空格", field="order_no")
    return number


def place(order_id: OrderId, order_no: str | None) -> PurchaseOrder:
    """登记 → 已下单: the order was placed online; its number is required."""
    number = _order_no(order_no)
    at = clock.now()
    return FLOW.step(order_id, "ordered", "下单", platform_order_no=number,
                     ordered_at=at, ordered_day=clock.local_date(at))


def number_warning(order: PurchaseOrder) -> str:
    """Who else's live order has this platform order number, or ""."""
    return shared_number_warning(order, PurchaseOrder.platform_order_no,
                                 noun="代购", label="平台订单号",
                                 who="villager_name", what="goods")


def arrive(order_id: OrderId) -> PurchaseOrder:
    """已下单 → 已到货: goods are at the station and the villager was told."""
    at = clock.now()
    return FLOW.step(order_id, "arrived", "登记到货", arrived_at=at, notified_at=at)


def pick_up(order_id: OrderId) -> PurchaseOrder:
    """已到货 → 已取货: the villager collected the goods."""
    return FLOW.step(order_id, "picked_up", "取货", picked_up_at=clock.now())


def cancel(order_id: OrderId, reason: str | None) -> PurchaseOrder:
    """Cancel with a reason, at any step before pickup."""
    return FLOW.cancel(order_id, reason)


def return_goods(order_id: OrderId, reason: str | None, *,
                 expected_fen: int | None = None) -> Refund:
    """The goods went back after arrival: what remains is refunded, 已退货."""
    return FLOW.return_goods(order_id, reason, expected_fen=expected_fen)


def refund(order_id: OrderId, amount: str | None, reason: str | None, *,
           large_ok: bool = False) -> Refund:
    """Part of the money came back; the order keeps its status."""
    return FLOW.refund(order_id, amount, reason, large_ok=large_ok)


def exchange(order_id: OrderId, *, goods: str | None, count: str | None,
             amount: str | None, large_ok: bool = False) -> PurchaseOrder:
    """A replacement order for the same villager, linked to the original."""
    checks = FieldChecks()
    checked_goods = checks.take(required, goods, field="goods", label="商品")
    checked_count = checks.take(quantity, count)
    amount_fen = checks.take(parse_yuan, amount, field="amount")
    checks.raise_all()
    check_limit("purchase", [("amount", "金额", amount_fen)], large_ok=large_ok)
    with write_txn():
        original = FLOW.load(order_id)
        FLOW.require(original, EXCHANGEABLE, "换货")
        return changes.create(
            PurchaseOrder, station=original.station,
            **{name: getattr(original, name) for name in _VILLAGER_COLUMNS},
            goods=checked_goods,
            quantity=checked_count, amount_fen=amount_fen,
            platform=original.platform, original=original.uuid,
            order_kind="exchange",
        )


def void(order_id: OrderId, reason: str | None) -> PurchaseOrder:
    """Void an order entered by mistake, with its refunds."""
    return FLOW.void(order_id, reason)


def recent(*, limit: int = 50, before: PageKey | None = None
           ) -> list[PurchaseOrder]:
    """One page of orders, newest first; ``before`` is the last row's key."""
    return newest_first(PurchaseOrder, limit=limit, before=before)
