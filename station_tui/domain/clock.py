"""Instants and the Asia/Shanghai calendar.

Instants are integer epoch seconds (UTC). Every period boundary is a
Shanghai calendar date, so the date is computed once when a record is
written and stored beside the instant.

China has kept UTC+8 all year since 1992, and every record here is later
than that, so Shanghai time is a fixed offset: no time-zone database is
needed (Windows has none of its own), and the center's SQL date arithmetic
(assessment.sql) uses the same eight hours.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> int:
    """The current instant, epoch seconds."""
    return int(time.time())


def local_dt(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, SHANGHAI)


def local_date(instant: int) -> date:
    return local_dt(instant).date()


def day_start(day: date) -> int:
    """The instant at 00:00:00 Shanghai time on ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).timestamp())


def day_end(day: date) -> int:
    """The instant at 00:00:00 of the next day: deadlines are half-open."""
    return day_start(day + timedelta(days=1))


def instant_of(local: datetime) -> int:
    """A naive datetime read as Shanghai time, or an aware one, to epoch."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=SHANGHAI)
    return int(local.timestamp())


def format_time(instant: int | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if instant is None:
        return ""
    return local_dt(instant).strftime(fmt)


def parse_local(text: str, *, field: str = "time") -> int:
    """Parse ``YYYY-MM-DD HH:MM`` or ``HH:MM`` (today) as Shanghai time."""
    from station_tui.domain.text import clean
    from station_tui.errors import InputError

    raw = clean(text)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return instant_of(datetime.strptime(raw, fmt))
        except ValueError:
            pass
    try:
        hm = datetime.strptime(raw, "%H:%M")
    except ValueError:
        raise InputError(
            f"时间“{raw}”格式不对，应为 2026-04-01 08:30 或 08:30", field=field
        ) from None
    today = local_date(now())
    return instant_of(datetime.combine(today, hm.time()))


def parse_day(text: str, *, field: str = "date") -> date:
    from station_tui.domain.text import clean
    from station_tui.errors import InputError

    raw = clean(text)
    # 2026-4-1, 2026/4/1 and 2026.4.1 are written as often as 2026-04-01.
    parts = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw)
    if parts is None:
        raise InputError(f"日期“{raw}”格式不对，请写成 2026-04-01 这样",
                         field=field)
    year, month, day = (int(p) for p in parts.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(f"日期“{raw}”不存在：{year} 年没有 {month} 月 {day} 日",
                         field=field) from None


def utc_iso(instant: int) -> str:
    return datetime.fromtimestamp(instant, timezone.utc).isoformat()
