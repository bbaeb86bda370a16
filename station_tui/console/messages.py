"""Messages the console app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class Reconnected(Message):
    """The server answers again; the screen on top may reload."""
