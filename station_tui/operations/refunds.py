"""Refunds on purchase and sale orders: their own records, never negative.

A refund is a separate record with a positive amount linked to its order,
so that it counts in the period in which it happens, while the order keeps
counting in the period in which it was placed.
"""

from __future__ import annotations

import uuid
from typing import Literal

from peewee import fn

from station_tui.domain.money import format_fen, parse_yuan
from station_tui.errors import FieldChecks, InputError, RuleError
from station_tui.operations import changes
from station_tui.operations.order_fields import check_limit, required
from station_tui.records import PurchaseOrder, Refund, SaleOrder

OrderKind = Literal["purchase", "sale"]
RefundKind = Literal["return", "refund"]


def refunded_fen(order_uuid: uuid.UUID) -> int:
    """What has been refunded on an order so far, voided refunds left out."""
    total = (
        Refund.select(fn.COALESCE(fn.SUM(Refund.amount_fen), 0))
        .where(Refund.order == order_uuid, Refund.voided_at.is_null())
        .scalar()
    )
    return int(total or 0)


def refunded_by_order(order_uuids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Refunded totals for one page of orders, in one query."""
    if not order_uuids:
        return {}
    rows = (
        Refund.select(Refund.order, fn.SUM(Refund.amount_fen).alias("total"))
        .where(Refund.order.in_(order_uuids), Refund.voided_at.is_null())
        .group_by(Refund.order)
        .tuples()
    )
    return {order: int(total) for order, total in rows}


def add_refund(order: PurchaseOrder | SaleOrder, *, order_kind: OrderKind,
               amount: str | int | None, reason: str | None,
               refund_kind: RefundKind, large_ok: bool = False) -> Refund:
    """Write a refund on ``order``; ``None`` amount refunds what remains.

    Call inside ``write_txn`` with the order re-read there, so that two
    refunds can never together exceed the order's amount. A typed amount
    above the order kind's limit needs ``large_ok`` (the partner confirmed);
    what remains, refunded on a return, was confirmed with the order.
    """
    checks = FieldChecks()
    typed_fen = (checks.take(parse_yuan, amount, field="amount")
                 if isinstance(amount, str) else amount)
    why = checks.take(required, reason, field="reason", label="退款原因")
    checks.raise_all()
    remaining = order.amount_fen - refunded_fen(order.uuid)
    if remaining <= 0:
        raise RuleError("这笔订单已经全额退款，不能再退")
    fen = remaining if typed_fen is None else typed_fen
    if fen <= 0:
        raise RuleError("退款金额必须大于 0")
    if fen > remaining:
        raise InputError(
            f"退款 {format_fen(fen)} 元超过可退金额 {format_fen(remaining)} 元",
            field="amount",
        )
    if typed_fen is not None:
        check_limit(order_kind, [("amount", "退款", typed_fen)], large_ok=large_ok)
    return changes.create(
        Refund, station=order.station, order_kind=order_kind, order=order.uuid,
        amount_fen=fen, reason=why, refund_kind=refund_kind,
    )


def void_refunds(order_uuid: uuid.UUID, reason: str) -> int:
    """Void the live refunds of a voided order, so figures stay consistent."""
    refunds = list(Refund.select().where(Refund.order == order_uuid,
                                         Refund.voided_at.is_null()))
    for refund in refunds:
        changes.void(refund, reason)
    return len(refunds)
