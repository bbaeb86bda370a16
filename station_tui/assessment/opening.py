"""The opening rule (RULES §1): at least 5 days a week open at least 8 hours.

A week in which a station was active only some days requires
ceil(5 × active days ÷ 7) full days, less one for each center holiday
among them (holidays do not count against the two rest days). A week with
fewer full days than required is a violation; days open less than 8 hours
are listed with it. Open time is summed per day in SQL, then per week.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import fn

from station_tui.assessment import sql
from station_tui.assessment.context import Context
from station_tui.domain.opening_rule import OpeningRule, required_open_days
from station_tui.records import OpenSpell, RestDay

EPOCH = date(1970, 1, 1)


@dataclass
class WeekViolation:
    station: str
    week: str
    required: int
    full_days: int
    short_days: list[str] = field(default_factory=list)
    rest_days: int = 0


def _monday(index: int) -> date:
    return EPOCH + timedelta(days=index * 7 - 3)


def violations(ctx: Context, holidays: list[date]) -> list[WeekViolation]:
    rules = ctx.rules
    rule = OpeningRule(
        min_open_days=int(rules.number("opening", "days_per_week")),
        max_rest_days=int(rules.number("opening", "rest_days_per_week")),
    )
    min_seconds = int(rules.number("opening", "hours_per_day") * 3600)

    per_day = (
        OpenSpell.select(OpenSpell.station.alias("station"),
                         OpenSpell.happened_day.alias("day"),
                         fn.SUM(OpenSpell.closed_at - OpenSpell.opened_at).alias("secs"))
        .where(OpenSpell.voided_at.is_null(), OpenSpell.closed_at.is_null(False),
               ctx.day_range(OpenSpell.happened_day), ctx.scoped(OpenSpell.station))
        .group_by(OpenSpell.station, OpenSpell.happened_day)
        .alias("per_day")
    )
    week = sql.week_index(per_day.c.day)
    weeks = (
        OpenSpell.select(per_day.c.station, week,
                         sql.case_sum(per_day.c.secs >= min_seconds))
        .from_(per_day)
        .group_by(per_day.c.station, week)
        .tuples()
    )
    full: dict[tuple[str, int], int] = {(s, int(w)): int(n) for s, w, n in weeks}
    short = (
        OpenSpell.select(per_day.c.station, per_day.c.day)
        .from_(per_day).where(per_day.c.secs < min_seconds).tuples()
    )
    shorts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for station, day in short:
        day = day if isinstance(day, date) else date.fromisoformat(day)
        shorts[(station, ((day - EPOCH).days + 3) // 7)].append(day.isoformat())
    rest_week = sql.week_index(RestDay.happened_day)
    rests = {
        (s, int(w)): int(n) for s, w, n in RestDay.select(
            RestDay.station, rest_week, fn.COUNT(fn.DISTINCT(RestDay.happened_day)))
        .where(RestDay.voided_at.is_null(), RestDay.kind == "rest",
               ctx.day_range(RestDay.happened_day), ctx.scoped(RestDay.station))
        .group_by(RestDay.station, rest_week).tuples()
    }

    found = []
    holiday_set = set(holidays)
    for code in ctx.stations:
        first, end = ctx.span(code)
        if first >= end:
            continue
        index = ((first - EPOCH).days + 3) // 7
        while _monday(index) < end:
            monday = _monday(index)
            days = [monday + timedelta(days=i) for i in range(7)]
            active = [d for d in days if first <= d < end]
            off = sum(1 for d in active if d in holiday_set)
            required = required_open_days(len(active), off, rule)
            have = full.get((code, index), 0)
            rest = rests.get((code, index), 0)
            if have < required or rest > rule.max_rest_days:
                iso = monday.isocalendar()
                found.append(WeekViolation(
                    code, f"{iso.year}W{iso.week:02d}", required, have,
                    sorted(shorts.get((code, index), [])), rest))
            index += 1
    return found
