"""An input for a barcode scanner: every Enter is one scan, taken at once."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class ScanInput(Input):
    """A one-line field that turns each Enter into a ``Scanned`` message.

    A scanner types a whole number and Enter in a few milliseconds, and the
    next number follows at once. The value is read and the field cleared
    while the Enter key itself is handled, before any key of the next scan
    is processed; clearing later (when a handler gets round to it) would
    erase or merge the keys already typed for the next scan (case C02).
    Scans are posted in order and the screen saves them in that order.
    """

    DEFAULT_CSS = """
    ScanInput {
        width: 1fr;
    }
    ScanInput:focus {
        border: tall $accent;
    }
    """

    class Scanned(Message):
        """One scan, as typed between two Enters (never empty)."""

        def __init__(self, scan_input: ScanInput, value: str) -> None:
            super().__init__()
            self.scan_input = scan_input
            self.value = value

        @property
        def control(self) -> ScanInput:
            return self.scan_input

    async def _on_key(self, event: events.Key) -> None:
        # Enter is taken here, while this key is processed, not through the
        # "enter" binding: bindings run only after the key has bubbled up
        # to the app, by which time the next scan's first keys have already
        # been typed into this field and would be split off (case C02).
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.take_scan()

    def take_scan(self) -> None:
        """Read and clear the field; post the scan if it is not blank."""
        value = self.value
        self.value = ""
        if value.strip():
            self.post_message(self.Scanned(self, value))

    async def action_submit(self) -> None:
        self.take_scan()
