"""Sale orders (代销): a villager's farm product or tourism offer sold online.

Status runs 登记 → 已下单 → 已发货 → 已完成, one step at a time, never back.
The amount is quantity × unit price, computed in fen. A sale goes through an
online platform (named) or the county O2O showroom. Refunds are their own
records and never exceed what remains of the amount.
"""

from __future__ import annotations

from typing import Any, Literal

from station_tui.domain import clock
from station_tui.domain.money import MAX_FEN, format_fen, parse_yuan
from station_tui.errors import FieldChecks, InputError
from station_tui.operations import changes
from station_tui.operations.order_fields import (
    check_limit,
    happened_at,
    optional,
    quantity,
    required,
    shared_number_warning,
)
from station_tui.operations.order_flow import OrderFlow, OrderId
from station_tui.operations.pages import PageKey, newest_first
from station_tui.operations.station import current_code
from station_tui.operations.villagers import check_party, remember_party
from station_tui.records import Refund, SaleOrder
from station_tui.storage.db import write_txn

from station_tui.domain.labels import OFFER_KIND, SALE_CHANNEL, SALE_STATUS

Channel = Literal["platform", "o2o"]
O2O_SHOWROOM = SALE_CHANNEL["o2o"]

FLOW: OrderFlow[SaleOrder] = OrderFlow(
    model=SaleOrder, kind="sale", noun="代销", labels=SALE_STATUS,
    path={"registered": "ordered", "ordered": "shipped", "shipped": "completed"},
    cancellable=("registered", "ordered"),
    returnable=("shipped", "completed"),
    refundable=("ordered", "shipped", "completed"),
)


def _channel(channel: str | None, channel_name: str | None) -> tuple[str, str]:
    if channel not in SALE_CHANNEL:
        raise InputError("请选择销售渠道：电商平台或县O2O展示展销中心",
                         field="channel")
    if channel == "o2o":
        return channel, O2O_SHOWROOM
    name = required(channel_name, field="channel_name", label="平台名称",
                    max_length=64)
    return channel, name


def _order_no(text: str | None) -> str | None:
    number = optional(text, field="order_no", label="订单号")
    if number and any(ch.isspace() for ch in number):
        raise InputError(f"订单号“{number}”中间不能有空格", field="order_no")
    return number


def _amount(count: int, unit_price_fen: int) -> int:
    total = count * unit_price_fen
    if total > MAX_FEN:
        raise InputError(
            f"数量 × 单价 = {format_fen(total)} 元，金额过大，请核对",
            field="count",
        )
    return total


def register(*, name: str | None, phone: str | None, product: str | None,
             offer_kind: str | None, count: str | None,
             unit_price: str | None, channel: str | None,
             channel_name: str | None = None, buyer: str | None = None,
             order_no: str | None = None, service_fee: str | None = "0",
             when: str | None = None, large_ok: bool = False) -> SaleOrder:
    """Record a sale for a villager (the seller).

    A buyer or an order number is required. With an order number (or, at
    the O2O showroom, a buyer) the sale counts as placed at once. An
    amount or fee above the limit needs ``large_ok`` (the partner confirmed).
    """
    checks = FieldChecks()
    party = checks.take(check_party, name, phone, label="卖家")
    goods = checks.take(required, product, field="product", label="产品或旅游项目")
    if offer_kind not in OFFER_KIND:
        checks.add(InputError("请选择农产品或旅游资源", field="offer_kind"))
    pieces = checks.take(quantity, count)
    unit_fen = checks.take(parse_yuan, unit_price, field="unit_price")
    amount_fen = None
    if pieces is not None and unit_fen is not None:
        amount_fen = checks.take(_amount, pieces, unit_fen)
    channel_and_name = checks.take(_channel, channel, channel_name)
    who = checks.take(optional, buyer, field="buyer", label="买家")
    number = checks.take(_order_no, order_no)
    if who is None and number is None and checks.passed("buyer", "order_no"):
        checks.add(InputError("请填写买家或订单号", field="buyer"))
    fee = checks.take(parse_yuan, service_fee or "0", field="service_fee",
                      allow_zero=True)
    at = checks.take(happened_at, when)
    checks.raise_all()
    check_limit("sale", [
        ("unit_price", "金额（数量 × 单价）", amount_fen),
        ("service_fee", "服务费", fee),
    ], large_ok=large_ok)
    assert party is not None and channel_and_name is not None and at is not None
    kind, via = channel_and_name
    placed = number is not None or kind == "o2o"
    extra: dict[str, Any] = {}
    if placed:
        extra = {"status": "ordered", "ordered_at": at,
                 "ordered_day": clock.local_date(at)}
    with write_txn():
        party = remember_party(party)
        return changes.create(
            SaleOrder, station=current_code(), happened_at=at,
            **party.columns("seller_name", "seller_phone"),
            villager_complete=party.complete, product=goods, offer_kind=offer_kind,
            quantity=pieces, unit_price_fen=unit_fen, amount_fen=amount_fen,
            channel=kind, channel_name=via, buyer=who, order_no=number,
            service_fee_fen=fee, **extra,
        )


def number_warning(order: SaleOrder) -> str:
    """Who else's live sale has this order number, or ""."""
    return shared_number_warning(order, SaleOrder.order_no, noun="代销",
                                 label="订单号", who="seller_name", what="product")


def place(order_id: OrderId, order_no: str | None) -> SaleOrder:
    """登记 → 已下单: the buyer's order is confirmed; its number is required."""
    number = _order_no(order_no)
    if number is None:
        raise InputError("请填写订单号", field="order_no")
    at = clock.now()
    return FLOW.step(order_id, "ordered", "下单", order_no=number, ordered_at=at,
                     ordered_day=clock.local_date(at))


def ship(order_id: OrderId) -> SaleOrder:
    """已下单 → 已发货."""
    return FLOW.step(order_id, "shipped", "发货")


def complete(order_id: OrderId) -> SaleOrder:
    """已发货 → 已完成: the buyer received the goods or used the offer."""
    return FLOW.step(order_id, "completed", "完成")


def cancel(order_id: OrderId, reason: str | None) -> SaleOrder:
    """Cancel with a reason, before the goods are shipped."""
    return FLOW.cancel(order_id, reason)


def return_goods(order_id: OrderId, reason: str | None, *,
                 expected_fen: int | None = None) -> Refund:
    """The buyer sent the goods back: what remains is refunded, 已退货."""
    return FLOW.return_goods(order_id, reason, expected_fen=expected_fen)


def refund(order_id: OrderId, amount: str | None, reason: str | None, *,
           large_ok: bool = False) -> Refund:
    """Part of the money went back to the buyer."""
    return FLOW.refund(order_id, amount, reason, large_ok=large_ok)


def void(order_id: OrderId, reason: str | None) -> SaleOrder:
    """Void a sale entered by mistake, with its refunds."""
    return FLOW.void(order_id, reason)


def recent(*, limit: int = 50, before: PageKey | None = None) -> list[SaleOrder]:
    """One page of sales, newest first; ``before`` is the last row's key."""
    return newest_first(SaleOrder, limit=limit, before=before)
