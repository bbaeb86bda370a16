"""The status steps purchase and sale orders share.

An order moves one step at a time along its kind's path and never back;
it can be cancelled with a reason before a given point, returned (a full
refund), partly refunded, or voided when it was entered by mistake. Each
action re-reads the order inside its own write transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from station_tui.domain.money import format_fen
from station_tui.errors import NotFoundError, RuleError
from station_tui.operations import changes, refunds
from station_tui.operations.order_fields import required
from station_tui.records import PurchaseOrder, Refund, SaleOrder
from station_tui.storage.db import write_txn

O = TypeVar("O", PurchaseOrder, SaleOrder)
OrderId = uuid.UUID | str


@dataclass(frozen=True)
class OrderFlow(Generic[O]):
    """One kind of order: its model, status path and the words for it."""

    model: type[O]
    kind: refunds.OrderKind
    noun: str
    #: Chinese label of each status code, for messages.
    labels: dict[str, str]
    #: status -> the status its next step leads to
    path: dict[str, str]
    cancellable: tuple[str, ...]
    returnable: tuple[str, ...]
    refundable: tuple[str, ...]

    def load(self, order_id: OrderId) -> O:
        """The order, re-read; a voided one refuses every change."""
        order = self.model.get_or_none(self.model.uuid == order_id)
        if order is None:
            raise NotFoundError(f"找不到这笔{self.noun}订单")
        if order.voided:
            raise RuleError(f"这笔{self.noun}订单已作废，不能再改")
        return order

    def require(self, order: O, allowed: tuple[str, ...], action: str) -> None:
        if order.status not in allowed:
            now = self.labels.get(order.status, order.status)
            wanted = "、".join(self.labels[s] for s in allowed)
            raise RuleError(f"订单现在是“{now}”，只有“{wanted}”的订单才能{action}")

    def step(self, order_id: OrderId, to: str, action: str,
             **fields: Any) -> O:
        """Move to ``to`` from the one status that leads there."""
        before = tuple(s for s, after in self.path.items() if after == to)
        with write_txn():
            order = self.load(order_id)
            self.require(order, before, action)
            return changes.update(order, status=to, **fields)

    def cancel(self, order_id: OrderId, reason: str | None) -> O:
        why = required(reason, field="reason", label="取消原因")
        with write_txn():
            order = self.load(order_id)
            self.require(order, self.cancellable, "取消")
            if refunds.refunded_fen(order.uuid):
                raise RuleError("这笔订单已有退款，请用“退货”而不是取消")
            return changes.update(order, status="cancelled", cancel_reason=why)

    def return_goods(self, order_id: OrderId, reason: str | None, *,
                     expected_fen: int | None = None) -> Refund:
        """The goods went back: refund what remains, mark the order returned.

        ``expected_fen`` is the amount the partner was shown; if a refund
        made meanwhile changed what remains, nothing is written.
        """
        with write_txn():
            order = self.load(order_id)
            self.require(order, self.returnable, "退货")
            remaining = order.amount_fen - refunds.refunded_fen(order.uuid)
            if expected_fen is not None and remaining != expected_fen:
                raise RuleError(
                    f"可退金额已变为 {format_fen(remaining)} 元（不是 "
                    f"{format_fen(expected_fen)} 元），请关闭后重新退货")
            refund = refunds.add_refund(order, order_kind=self.kind, amount=None,
                                        reason=reason, refund_kind="return")
            changes.update(order, status="returned")
            return refund

    def refund(self, order_id: OrderId, amount: str | None,
               reason: str | None, *, large_ok: bool = False) -> Refund:
        """Part of the money came back; the order keeps its status."""
        with write_txn():
            order = self.load(order_id)
            self.require(order, self.refundable, "退款")
            return refunds.add_refund(order, order_kind=self.kind, amount=amount,
                                      reason=reason, refund_kind="refund",
                                      large_ok=large_ok)

    def void(self, order_id: OrderId, reason: str | None) -> O:
        """Void an order entered by mistake, together with its refunds."""
        why = required(reason, field="reason", label="作废原因")
        with write_txn():
            order = self.model.get_or_none(self.model.uuid == order_id)
            if order is None:
                raise NotFoundError(f"找不到这笔{self.noun}订单")
            if order.voided:
                raise RuleError(f"这笔{self.noun}订单已经作废了")
            refunds.void_refunds(order.uuid, why)
            return changes.void(order, why)
