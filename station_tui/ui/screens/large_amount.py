"""Asking before an amount above the limit is saved, in forms and dialogs.

An operation refuses an amount above its kind's limit with LargeAmount
unless told the partner confirmed it. The form (or dialog) then asks, with
返回 focused so that a stray Enter changes nothing: 确认保存 saves the very
values that were typed, 返回 marks the amount and keeps the typing.
"""

from __future__ import annotations

from typing import Callable

from textual.app import App

from station_tui.errors import StationError, each_error
from station_tui.operations.order_fields import LargeAmount
from station_tui.ui.screens.ask_modal import CONFIRM, AskModal
from station_tui.ui.screens.fields_modal import FieldsModal
from station_tui.ui.widgets.form_field import values

#: The key, in what a form hands to its save, that says the partner
#: confirmed the amounts above the limit.
LARGE_OK = "large_ok"


def large_ok(typed: dict[str, str]) -> bool:
    """The partner confirmed the amounts above the limit in ``typed``."""
    return typed.get(LARGE_OK) == "yes"


def confirmed(typed: dict[str, str]) -> dict[str, str]:
    """``typed`` again, marked as confirmed."""
    return {**typed, LARGE_OK: "yes"}


def large_amounts(error: StationError) -> list[LargeAmount]:
    """The amounts above the limit ``error`` stands for, if that is all it is."""
    errors = each_error(error)
    if all(isinstance(e, LargeAmount) for e in errors):
        return [e for e in errors if isinstance(e, LargeAmount)]
    return []


def ask_to_confirm(app: App[object], amounts: list[LargeAmount],
                   answered: Callable[[bool], None]) -> None:
    """Ask whether the amounts are right; ``answered(True)`` to save them."""
    detail = "\n".join(e.message for e in amounts)
    detail += "\n\n多打一个零是常见的笔误。核对无误才选“确认保存”。"
    app.push_screen(
        AskModal("金额超过提醒上限，确认无误吗？", detail,
                 (("确认保存", CONFIRM),)),
        lambda answer: answered(answer == CONFIRM),
    )


class ConfirmingFieldsModal(FieldsModal):
    """A dialog whose job asks before saving an amount above the limit."""

    def _failed(self, error: StationError) -> None:
        amounts = large_amounts(error)
        if not amounts:
            super()._failed(error)
            return
        typed = values(self)

        def answered(ok: bool) -> None:
            if ok:
                self._run(confirmed(typed))  # still busy: no second submit
            else:
                super(ConfirmingFieldsModal, self)._failed(error)

        ask_to_confirm(self.app, amounts, answered)
