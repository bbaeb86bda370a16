"""Closing a spell left open by a power cut, at the next start."""

from __future__ import annotations

import logging

from peewee import DatabaseError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from station_tui.domain import clock
from station_tui.errors import StationError, StorageError
from station_tui.operations.opening import UnclosedSpell, settle_spell
from station_tui.ui.widgets.form_field import FormField, show_error
from station_tui.ui.workers import worker_connection

log = logging.getLogger(__name__)


class SettleModal(ModalScreen[bool]):
    """Asks when the station closed; offers the last recorded activity.

    Dismisses with True when the spell was closed, False when the partner
    says the station is still open (offered only for a spell begun today).
    """

    DEFAULT_CSS = """
    SettleModal {
        align: center middle;
    }
    SettleModal > Vertical {
        width: 72;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    """

    class Settled(Message):
        pass

    class Failed(Message):
        def __init__(self, error: StationError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, unclosed: UnclosedSpell) -> None:
        super().__init__()
        self.unclosed = unclosed

    def compose(self) -> ComposeResult:
        opened = clock.format_time(self.unclosed.opened_at)
        suggested = clock.format_time(self.unclosed.suggested_close)
        with Vertical():
            yield Static("上次营业没有关门", classes="modal-title")
            yield Static(
                "开门后没有关门记录：可能停电，或直接关了电脑。\n"
                f"开门时间：{opened}\n"
                f"最后一次记账：{suggested}\n"
                "请填写实际关门的时间，如 17:30 或 2026-04-01 17:30。",
                markup=False,
            )
            yield FormField("关门时间", name="closed_at", value=suggested)
            with Horizontal(classes="buttons"):
                yield Button("按这个时间关门", id="settle-close", variant="primary")
                if self.unclosed.began_today:
                    yield Button("现在仍在营业", id="settle-still-open")

    def on_mount(self) -> None:
        self.query_one(FormField).input.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#settle-close")
    def _close(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        field = self.query_one(FormField)
        field.clear_error()
        self._settle(field.value)

    @on(Button.Pressed, "#settle-still-open")
    def _still_open(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    @work(thread=True, exclusive=True, group="settle")
    def _settle(self, typed: str) -> None:
        try:
            closed_at = clock.parse_local(typed, field="closed_at")
            with worker_connection():
                settle_spell(self.unclosed.spell_uuid, closed_at)
        except StationError as exc:
            self.post_message(self.Failed(exc))
        except DatabaseError as exc:
            log.exception("settling an unclosed spell failed")
            self.post_message(self.Failed(StorageError(f"没有保存，数据库出错：{exc}")))
        else:
            self.post_message(self.Settled())

    @on(Settled)
    def _settled(self, event: Settled) -> None:
        self.notify("已补记关门时间")
        self.dismiss(True)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if not show_error(self, event.error):
            self.notify(event.error.message, severity="error")
