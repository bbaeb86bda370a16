"""The weekly opening rule of RULES §1, as pure functions.

A station must be open on at least 5 days of every ISO week, at least 8
hours on each; open spells on one day add up. Declared rest days are at
most 2 a week; holidays the center declares do not count against them.
The station app and the center's assessment both judge a week here, so
that both sides reach the same verdict from the same records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Literal, Mapping

from station_tui.domain import clock
from station_tui.domain.labels import WEEKDAYS
from station_tui.domain.periods import Period, iso_week
from station_tui.errors import RuleError

DayMark = Literal["rest", "holiday"]

#: (opened_at, closed_at) in epoch seconds; closed_at None while still open.
Spell = tuple[int, int | None]

@dataclass(frozen=True)
class OpeningRule:
    """The numbers of RULES §1: defaults the center may change in its rules."""

    min_open_days: int = 5
    min_day_hours: int = 8
    max_rest_days: int = 2

    @property
    def min_day_seconds(self) -> int:
        return self.min_day_hours * 3600


DEFAULT_RULE = OpeningRule()


@dataclass(frozen=True)
class DayStatus:
    """One day of a week as the rule sees it."""

    day: date
    open_seconds: int
    mark: DayMark | None
    #: The station was in service that day (set up on or before it).
    active: bool
    #: Open long enough to count as an open day.
    qualifies: bool


@dataclass(frozen=True)
class WeekStatus:
    """A week judged against the rule; for the current week, so far."""

    week: Period
    days: tuple[DayStatus, ...]
    required: int
    qualifying: int
    rest_days: int
    holidays: int
    #: Every day of the week is in the past.
    finished: bool
    #: Enough open days could still be reached this week.
    reachable: bool

    @property
    def met(self) -> bool:
        return self.qualifying >= self.required


def merge_spells(spells: Iterable[Spell], now: int) -> list[tuple[int, int]]:
    """Spells as disjoint intervals; an unclosed spell runs until ``now``.

    Overlaps are merged so that a spell settled late after a power cut can
    never count the same hour twice.
    """
    intervals = sorted(
        (start, now if end is None else end) for start, end in spells
    )
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def seconds_on_day(intervals: Iterable[tuple[int, int]], day: date) -> int:
    """How much of ``day`` (Shanghai time) the intervals cover."""
    day_from, day_to = clock.day_start(day), clock.day_end(day)
    return sum(
        max(0, min(end, day_to) - max(start, day_from)) for start, end in intervals
    )


def required_open_days(active_days: int, holidays: int,
                       rule: OpeningRule = DEFAULT_RULE) -> int:
    """Open days a week needs: ceil(5 × active days ÷ 7), less its holidays.

    Holidays are rest days that do not count against the 2 a week, so each
    one lowers the requirement by a day: a week with one holiday still
    leaves the station its 2 rest days (7 = 4 open + 2 rest + 1 holiday).
    This is our reading of RULES §1; the text gives no formula for it.
    """
    if active_days <= 0:
        return 0
    prorated = -(-rule.min_open_days * active_days // 7)
    return max(0, prorated - holidays)


def assess_week(day: date, *, spells: Iterable[Spell],
                marks: Mapping[date, DayMark], active_from: date | None,
                now: int, rule: OpeningRule = DEFAULT_RULE) -> WeekStatus:
    """Judge the ISO week holding ``day`` against the opening rule."""
    week = iso_week(day)
    today = clock.local_date(now)
    intervals = merge_spells(spells, now)
    days: list[DayStatus] = []
    for offset in range(7):
        current = week.start + timedelta(days=offset)
        seconds = seconds_on_day(intervals, current)
        days.append(DayStatus(
            day=current,
            open_seconds=seconds,
            mark=marks.get(current),
            active=active_from is None or current >= active_from,
            qualifies=seconds >= rule.min_day_seconds,
        ))
    active = [d for d in days if d.active]
    holidays = sum(1 for d in active if d.mark == "holiday")
    required = required_open_days(len(active), holidays, rule)
    qualifying = sum(1 for d in days if d.qualifies)
    still_open = sum(
        1 for d in active
        if not d.qualifies and d.mark is None
        and _can_still_qualify(d, today, now, rule)
    )
    return WeekStatus(
        week=week,
        days=tuple(days),
        required=required,
        qualifying=qualifying,
        rest_days=sum(1 for d in days if d.mark == "rest"),
        holidays=holidays,
        finished=week.end <= today,
        reachable=qualifying + still_open >= required,
    )


def _can_still_qualify(day: DayStatus, today: date, now: int,
                       rule: OpeningRule) -> bool:
    if day.day > today:
        return True
    if day.day < today:
        return False
    left_today = clock.day_end(today) - now
    return day.open_seconds + left_today >= rule.min_day_seconds


def check_rest_day(day: date, *, today: date, opened_that_day: bool,
                   existing: DayMark | None, rest_days_in_week: int,
                   rule: OpeningRule = DEFAULT_RULE) -> None:
    """Raise RuleError, in Chinese, when ``day`` may not become a rest day.

    A rest day is declared on or before the day and before the station
    opens on it, never afterwards; at most ``max_rest_days`` a week.
    """
    label = f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"
    if day < today:
        raise RuleError(f"{label}已经过去，休息日只能在当天或之前申报，不能补报")
    if existing == "rest":
        raise RuleError(f"{label}已经申报为休息日")
    if existing == "holiday":
        raise RuleError(f"{label}是中心公布的假日，无需申报")
    if opened_that_day:
        raise RuleError(f"{label}站点已经开过门，不能再申报为休息日")
    if rest_days_in_week >= rule.max_rest_days:
        week = iso_week(day)
        raise RuleError(
            f"{label}所在的这一周（{week.start.isoformat()} 起）已申报 "
            f"{rest_days_in_week} 天休息日，每周最多 {rule.max_rest_days} 天"
        )
