"""A question with a button per answer: before quitting, before a rest day."""

from __future__ import annotations

from typing import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

#: Answers; Esc and 返回 answer None.
DISCARD = "discard"
CLOSE = "close"
KEEP_OPEN = "keep_open"

CONFIRM = "confirm"
UNSAVED_CHOICES = (("放弃未保存的内容并退出", DISCARD),)
OPEN_CHOICES = (("关门并退出", CLOSE), ("保持营业并退出", KEEP_OPEN))


class AskModal(ModalScreen[str | None]):
    """A question with a button per answer and 返回 (Esc) last."""

    DEFAULT_CSS = """
    AskModal {
        align: center middle;
    }
    AskModal > Vertical {
        width: 64;
        max-width: 95%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    AskModal .ask--title {
        text-style: bold;
    }
    AskModal .ask--detail {
        color: $text-muted;
        margin: 1 0;
    }
    AskModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    AskModal Button {
        margin-left: 1;
        min-width: 8;
    }
    """

    BINDINGS = [Binding("escape", "back", "返回")]

    def __init__(self, title: str, detail: str,
                 choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._detail = detail
        self._choices = tuple(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="ask--title")
            yield Static(self._detail, classes="ask--detail", markup=False)
            with Horizontal():
                for label, answer in self._choices:
                    yield Button(label, id=f"ask-{answer}", name=answer,
                                 variant="warning")
                yield Button("返回 (Esc)", id="ask-back", variant="primary")

    def on_mount(self) -> None:
        # The safe answer has the focus, so a stray Enter loses nothing.
        self.query_one("#ask-back", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "ask-back" else event.button.name)

    def action_back(self) -> None:
        self.dismiss(None)
