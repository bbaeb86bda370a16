"""The base of every console screen: server calls in thread workers whose
answers come back as messages, and errors shown at the right level."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header

from station_tui.console.client import (
    ConsoleClient,
    ConsoleError,
    NotSignedIn,
    Refused,
    ServerUnreachable,
)
from station_tui.console.messages import Reconnected
from station_tui.console.widgets.connection_banner import ConnectionBanner
from station_tui.errors import InputError
from station_tui.ui.widgets.form_field import show_error

if TYPE_CHECKING:
    from station_tui.console.app import ConsoleApp

log = logging.getLogger(__name__)

Call = Callable[[ConsoleClient], Any]

VIEWER_REFUSED = "只读（查看）账户不能录入或修改数据，请用检查员或管理员账户"


class ConsoleScreen(Screen[None]):
    """A screen that talks to the server through ``call``.

    ``call("x", fn)`` runs ``fn(client)`` in a thread worker; its value
    comes back to ``answer_x(value)``, a failure to ``failed_x(error)``
    if defined, else to the shared handling below. A newer call of the
    same purpose makes an older answer stale, and it is dropped.
    """

    class Answered(Message):
        def __init__(self, purpose: str, generation: int, value: Any) -> None:
            super().__init__()
            self.purpose = purpose
            self.generation = generation
            self.value = value

    class Failed(Message):
        def __init__(self, purpose: str, generation: int,
                     error: ConsoleError) -> None:
            super().__init__()
            self.purpose = purpose
            self.generation = generation
            self.error = error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._generations: dict[str, int] = defaultdict(int)
        self._on_answers: dict[str, tuple[Any, Any]] = {}

    @property
    def console(self) -> ConsoleApp:
        return self.app  # type: ignore[return-value]

    def compose_chrome(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield ConnectionBanner()

    def compose_footer(self) -> ComposeResult:
        yield Footer()

    def call(self, purpose: str, fn: Call,
             on_answer: Callable[[Any], None] | None = None,
             on_error: Callable[[ConsoleError], bool] | None = None) -> None:
        """Run ``fn(client)`` in a worker; the answer comes back later, to
        ``on_answer`` if given, else to ``answer_<purpose>``."""
        self._generations[purpose] += 1
        generation = self._generations[purpose]
        self._on_answers[purpose] = (on_answer, on_error)
        self.run_worker(lambda: self._in_thread(purpose, generation, fn),
                        thread=True, group=f"call-{purpose}", exit_on_error=False)

    def busy(self, purpose: str) -> bool:
        return any(w.group == f"call-{purpose}" and w.is_running
                   for w in self.workers)

    def _in_thread(self, purpose: str, generation: int, fn: Call) -> None:
        try:
            value = fn(self.console.client)
        except ConsoleError as exc:
            self.console.note_connection(not isinstance(exc, ServerUnreachable))
            self.post_message(self.Failed(purpose, generation, exc))
            return
        self.console.note_connection(True)
        self.post_message(self.Answered(purpose, generation, value))

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.stop()
        if event.generation != self._generations[event.purpose]:
            return
        handler = (self._on_answers.get(event.purpose, (None, None))[0]
                   or getattr(self, f"answer_{event.purpose}", None))
        if handler is not None:
            handler(event.value)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        event.stop()
        if event.generation != self._generations[event.purpose]:
            return
        handler = (self._on_answers.get(event.purpose, (None, None))[1]
                   or getattr(self, f"failed_{event.purpose}", None))
        if handler is not None and handler(event.error):
            return
        self.show_failure(event.error)

    def show_failure(self, error: ConsoleError, form: Any = None) -> None:
        """A wrong value at its field; everything else as a notification."""
        if isinstance(error, NotSignedIn):
            self.console.ask_token(error.message)
            return
        if isinstance(error, ServerUnreachable):
            self.notify(f"{error.message}：已填写的内容保留，恢复后再试",
                        severity="error", timeout=6)
            return
        if form is not None and isinstance(error, Refused) and error.field:
            if show_error(form, InputError(error.message, field=error.field)):
                return
        self.notify(error.message, severity="error", timeout=8)

    def save_form(self, form: Any, fn: Call,
                  on_saved: Callable[[Any], None]) -> None:
        """Send a form's record; a refusal marks the field it names."""
        if not self.may_enter():
            return

        def failed(error: ConsoleError) -> bool:
            self.show_failure(error, form=form)
            return True

        self.call(f"save_{form.kind}", fn, on_answer=on_saved, on_error=failed)

    def may_enter(self) -> bool:
        """Whether the signed-in account may enter data; says why not."""
        if self.console.role in ("admin", "inspector"):
            return True
        if self.console.role is None:
            self.notify("尚未登录中心服务器，登录后再保存；已填写的内容保留",
                        severity="warning", timeout=6)
            return False
        self.notify(VIEWER_REFUSED, severity="error", timeout=6)
        return False

    @on(Reconnected)
    def _reconnected(self, event: Reconnected) -> None:
        event.stop()
        self.on_reconnected()

    def on_reconnected(self) -> None:
        """The server answers again (screens reload what they show)."""
