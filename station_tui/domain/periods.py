"""Assessment and publication periods: ``2026``, ``2026H1``, ``2026Q3``,
``2026-07``; each is a half-open range of Shanghai calendar dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from station_tui.errors import InputError

Kind = Literal["year", "half", "quarter", "month", "week"]

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|-(?P<month>\d{2}))?$"
)


@dataclass(frozen=True)
class Period:
    """A named range of days, ``start`` included and ``end`` excluded."""

    name: str
    kind: Kind
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(text: str) -> Period:
    raw = text.strip().upper()
    match = _PATTERN.match(raw)
    if match is None:
        raise InputError(
            f"期间“{text}”格式不对，可用：2026、2026H1、2026Q3、2026-07",
            field="period",
        )
    year = int(match["year"])
    if match["half"]:
        first = 1 if match["half"] == "H1" else 7
        return Period(raw, "half", date(year, first, 1), _month_start(year, first + 6))
    if match["quarter"]:
        first = (int(match["quarter"][1]) - 1) * 3 + 1
        return Period(
            raw, "quarter", date(year, first, 1), _month_start(year, first + 3)
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InputError(f"月份“{month}”不存在", field="period")
        return Period(raw, "month", date(year, month, 1), _month_start(year, month + 1))
    return Period(raw, "year", date(year, 1, 1), date(year + 1, 1, 1))


def iso_week(day: date) -> Period:
    """The ISO week (Monday to Sunday) that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    iso = monday.isocalendar()
    return Period(f"{iso.year}W{iso.week:02d}", "week", monday,
                  monday + timedelta(days=7))


def quarter_of(day: date) -> Period:
    return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")
