"""New options for a Select that keep what staff already chose.

``Select.set_options`` clears the choice; a list reloaded in the background
(Ctrl+R, after signing in or reconnecting) may land after staff picked an
option, which then silently vanished.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from textual.widgets import Select


def set_options_keeping(select: Select[Any],
                        options: Sequence[tuple[RenderableType, Any]]) -> None:
    """Replace the options, keeping the chosen one when it is still offered
    (then no Select.Changed is posted: nothing changed). When it is gone
    the choice is cleared and Select.Changed says so, as before."""
    chosen = select.value
    if not any(value == chosen for _, value in options):
        select.set_options(options)
        return
    with select.prevent(Select.Changed):
        select.set_options(options)
        select.value = chosen
