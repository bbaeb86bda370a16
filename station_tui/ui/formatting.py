"""Small Chinese renderings of times and durations shared by the screens."""

from __future__ import annotations

from datetime import date

from station_tui.domain.labels import WEEKDAYS


def weekday(day: date) -> str:
    """周一 … 周日."""
    return f"周{WEEKDAYS[day.weekday()]}"


def duration(seconds: int) -> str:
    """8小时05分; minutes are floored, so 7:59:59 never reads as 8 hours."""
    minutes = max(0, seconds) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours}小时{minutes:02d}分"
