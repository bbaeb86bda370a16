"""What the purchase and sale screens share: orders with refunds and steps.

Cancel, return, refund and void work the same on both kinds of order; each
asks in a dialog for its reason (and amount) and calls the kind's module.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar, TypeVar

from station_tui.domain.money import format_fen
from station_tui.operations.refunds import refunded_by_order
from station_tui.records import PurchaseOrder, SaleOrder
from station_tui.ui.screens.counter_screen import Cells, CounterScreen
from station_tui.ui.screens.fields_modal import ModalField
from station_tui.ui.screens.large_amount import large_ok

O = TypeVar("O", PurchaseOrder, SaleOrder)

REASON = ModalField("原因", "reason", placeholder="必填")


class OrderScreen(CounterScreen[O]):
    """A counter screen whose records are orders that can be refunded."""

    #: The operations module of this kind of order (purchases or sales).
    ops: ClassVar[ModuleType]
    #: Chinese label of each status.
    STATUS: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        #: What was refunded on each listed order, by key, when last read.
        self._refunded: dict[str, int] = {}

    def describe(self, order: O) -> str:
        """One line naming the order in a dialog; no phone number."""
        raise NotImplementedError

    def order_cells(self, order: O, refunded: int) -> Cells:
        raise NotImplementedError

    def page_cells(self, records: list[O]) -> list[Cells]:
        refunded = refunded_by_order([o.uuid for o in records])
        # Kept for the dialogs, which say how much a return gives back.
        self._refunded = {str(o.uuid): refunded.get(o.uuid, 0) for o in records}
        return [self.order_cells(o, refunded.get(o.uuid, 0)) for o in records]

    def refunded(self, order: O) -> int:
        """What was refunded on a listed order when its page was read."""
        return self._refunded.get(str(order.uuid), 0)

    def money_text(self, order: O) -> str:
        """The order's amount, what was refunded and what remains."""
        refunded = self.refunded(order)
        remaining = order.amount_fen - refunded
        return (f"订单金额 {format_fen(order.amount_fen)} 元，已退款 "
                f"{format_fen(refunded)} 元，可退 {format_fen(remaining)} 元")

    def saved_warning(self, record: Any) -> str:
        # An order number already on another live order (see docs/orders.md).
        return self.ops.number_warning(record)

    @staticmethod
    def refunded_text(refunded: int) -> str:
        return format_fen(refunded) if refunded else ""

    def detail(self) -> str:
        order = self.selected()
        if order is None:
            return ""
        return f"{self.describe(order)}\n状态：{self.STATUS[order.status]}"

    def confirm_step(self, title: str, step: str, done: str) -> None:
        """Ask before a step that cannot be taken back, then take it."""
        self.ask(title, lambda o, t: getattr(self.ops, step)(o.uuid),
                 detail=self.detail(), done=done)

    def action_place(self) -> None:
        self.ask("下单：填写订单号",
                 lambda o, t: self.ops.place(o.uuid, t["order_no"]),
                 detail=self.detail(), fields=[ModalField("订单号", "order_no")],
                 done="已下单", warn=self.saved_warning)

    def action_cancel(self) -> None:
        self.ask("取消订单", lambda o, t: self.ops.cancel(o.uuid, t["reason"]),
                 detail=self.detail(), fields=[REASON], done="订单已取消")

    def action_return_goods(self) -> None:
        order = self.selected()
        remaining = 0 if order is None else order.amount_fen - self.refunded(order)
        refund = format_fen(remaining)
        detail = "" if order is None else f"{self.detail()}\n{self.money_text(order)}"
        self.ask(f"退货：退还余下的 {refund} 元",
                 lambda o, t: self.ops.return_goods(o.uuid, t["reason"],
                                                    expected_fen=remaining),
                 detail=detail, fields=[REASON],
                 done=f"已退货，退款 {refund} 元已单独记录")

    def action_refund(self) -> None:
        order = self.selected()
        detail = "" if order is None else f"{self.detail()}\n{self.money_text(order)}"
        self.ask("部分退款",
                 lambda o, t: self.ops.refund(o.uuid, t["amount"], t["reason"],
                                              large_ok=large_ok(t)),
                 detail=detail,
                 fields=[ModalField("退款金额（元）", "amount"), REASON],
                 done="退款已记录")

    def action_void(self) -> None:
        self.ask("作废（录错时用；记录保留）",
                 lambda o, t: self.ops.void(o.uuid, t["reason"]),
                 detail=self.detail(), fields=[REASON], done="已作废")
