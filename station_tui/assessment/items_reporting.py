"""Item 6: daily reports and requested statistics reports.

A daily report is due for every active day that is not a declared rest day
or center holiday; it is on time before 00:00:00 of the next day, late up to
72 hours after that, and missed after (or never). The first original
submission counts: an amendment keeps the original's timeliness. A report
from a batch flagged for clock skew is late until an inspector accepts it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import JOIN, Case, fn

from station_tui.assessment import sql
from station_tui.assessment.context import Context
from station_tui.assessment.result import ItemScore, Line, round_points
from station_tui.domain import clock
from station_tui.records import DailyReport, ReportSubmission, RestDay
from station_tui.records.center import CenterStation, ClockFlag, Holiday, ReportRequest


@dataclass
class Tally:
    due: int = 0
    on_time: int = 0
    late: int = 0
    late_refs: list[str] = field(default_factory=list)
    missed_refs: list[str] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return self.due - self.on_time - self.late


def _holidays(ctx: Context) -> list[date]:
    rows = Holiday.select(Holiday.day).where(
        Holiday.voided_at.is_null(), ctx.day_range(Holiday.day)).distinct()
    return sorted(_day(r.day) for r in rows)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _in_span(station_day: object) -> object:
    return ((station_day >= CenterStation.active_from)
            & (CenterStation.active_until.is_null()
               | (station_day <= CenterStation.active_until)))


def _flag_join() -> object:
    return ((ClockFlag.record == DailyReport.uuid) & ClockFlag.voided_at.is_null()
            & ClockFlag.accepted_by.is_null())


def daily_tallies(ctx: Context, holidays: list[date]) -> dict[str, Tally]:
    """One pass over rest days and one over daily reports, grouped by station."""
    late_limit = int(ctx.rules.number("reporting", "missed_after_hours") * 3600)
    tallies = {code: Tally() for code in ctx.stations}

    rest = (
        RestDay.select(RestDay.station, fn.COUNT(fn.DISTINCT(RestDay.happened_day)))
        .join(CenterStation, on=(CenterStation.code == RestDay.station))
        .where(RestDay.voided_at.is_null(), ctx.day_range(RestDay.happened_day),
               ctx.scoped(RestDay.station), _in_span(RestDay.happened_day),
               RestDay.happened_day.not_in(holidays) if holidays else True)
        .group_by(RestDay.station)
        .tuples()
    )
    rest_days = dict(rest)
    for code, tally in tallies.items():
        first, end = ctx.span(code)
        off = sum(1 for h in holidays if first <= h < end)
        tally.due = (end - first).days - off - rest_days.get(code, 0)

    per_day = (
        DailyReport.select(
            DailyReport.station.alias("station"),
            DailyReport.happened_day.alias("day"),
            fn.MIN(DailyReport.submitted_at).alias("first_at"),
            fn.MIN(Case(None, ((ClockFlag.uuid.is_null(), DailyReport.submitted_at),),
                        None)).alias("clean_at"),
        )
        .join(ClockFlag, JOIN.LEFT_OUTER, on=_flag_join())
        .where(DailyReport.voided_at.is_null(), DailyReport.amends.is_null(),
               ctx.day_range(DailyReport.happened_day),
               ctx.scoped(DailyReport.station))
        .group_by(DailyReport.station, DailyReport.happened_day)
        .alias("per_day")
    )
    deadline = sql.day_start(per_day.c.day) + sql.DAY
    on_time = per_day.c.clean_at.is_null(False) & (per_day.c.clean_at < deadline)
    late = ~on_time & (per_day.c.first_at <= deadline + late_limit)
    query = (
        CenterStation.select(CenterStation.code, sql.case_sum(on_time),
                             sql.case_sum(late))
        .join(per_day, on=(per_day.c.station == CenterStation.code))
        .join(RestDay, JOIN.LEFT_OUTER, on=(
            (RestDay.station == per_day.c.station)
            & (RestDay.happened_day == per_day.c.day)
            & RestDay.voided_at.is_null()))
        .where(RestDay.uuid.is_null(), _in_span(per_day.c.day),
               per_day.c.day.not_in(holidays) if holidays else True)
        .group_by(CenterStation.code)
        .tuples()
    )
    for code, n_on_time, n_late in query:
        if code in tallies:
            tallies[code].on_time = int(n_on_time)
            tallies[code].late = int(n_late)
    if ctx.only is not None and ctx.only in tallies:
        _trace_days(ctx, tallies[ctx.only], holidays, late_limit)
    return tallies


def _trace_days(ctx: Context, tally: Tally, holidays: list[date],
                late_limit: int) -> None:
    """For one station: name every late and missed day."""
    code = ctx.only
    assert code is not None
    rest = {_day(r.happened_day) for r in RestDay.select(RestDay.happened_day).where(
        RestDay.station == code, RestDay.voided_at.is_null(),
        ctx.day_range(RestDay.happened_day))}
    first_at: dict[date, int] = {}
    clean_at: dict[date, int] = {}
    reports = (
        DailyReport.select(DailyReport.happened_day, DailyReport.submitted_at,
                           ClockFlag.uuid.alias("flag"))
        .join(ClockFlag, JOIN.LEFT_OUTER, on=_flag_join())
        .where(DailyReport.station == code, DailyReport.voided_at.is_null(),
               DailyReport.amends.is_null(), ctx.day_range(DailyReport.happened_day))
        .dicts()
    )
    for r in reports:
        day = _day(r["happened_day"])
        first_at[day] = min(first_at.get(day, r["submitted_at"]), r["submitted_at"])
        if r["flag"] is None:
            clean_at[day] = min(clean_at.get(day, r["submitted_at"]),
                                r["submitted_at"])
    first, end = ctx.span(code)
    day = first
    while day < end:
        if day not in rest and day not in holidays:
            deadline = clock.day_end(day)
            if day in clean_at and clean_at[day] < deadline:
                pass
            elif day in first_at and first_at[day] <= deadline + late_limit:
                tally.late_refs.append(day.isoformat())
            else:
                tally.missed_refs.append(day.isoformat())
        day += timedelta(days=1)


def request_tallies(ctx: Context) -> dict[str, Tally]:
    """Statistics reports the center requested with a deadline in the period."""
    late_limit = int(ctx.rules.number("reporting", "missed_after_hours") * 3600)
    flag = ((ClockFlag.record == ReportSubmission.uuid)
            & ClockFlag.voided_at.is_null() & ClockFlag.accepted_by.is_null())
    active = (
        (sql.day_start(CenterStation.active_from) < ReportRequest.deadline_at)
        & (CenterStation.active_until.is_null()
           | (sql.day_start(CenterStation.active_until) + sql.DAY
              >= ReportRequest.deadline_at)))
    rows = (
        ReportRequest.select(
            CenterStation.code, ReportRequest.uuid, ReportRequest.title,
            ReportRequest.deadline_at,
            fn.MIN(ReportSubmission.happened_at).alias("first_at"),
            fn.MIN(Case(None, ((ClockFlag.uuid.is_null(),
                                ReportSubmission.happened_at),), None)).alias("clean_at"))
        .join(CenterStation, on=(
            (ReportRequest.station.is_null()
             | (ReportRequest.station == CenterStation.code)) & active))
        .join(ReportSubmission, JOIN.LEFT_OUTER, on=(
            (ReportSubmission.request == ReportRequest.uuid)
            & (ReportSubmission.station == CenterStation.code)
            & ReportSubmission.voided_at.is_null()))
        .join(ClockFlag, JOIN.LEFT_OUTER, on=flag)
        .where(ReportRequest.voided_at.is_null(),
               ReportRequest.deadline_at > ctx.start_instant,
               ReportRequest.deadline_at <= ctx.end_instant,
               ctx.scoped(CenterStation.code))
        .group_by(CenterStation.code, ReportRequest.uuid, ReportRequest.title,
                  ReportRequest.deadline_at)
        .dicts()
    )
    tallies: dict[str, Tally] = defaultdict(Tally)
    for r in rows:
        tally = tallies[r["code"]]
        tally.due += 1
        ref = f"{r['title']}（截止 {clock.format_time(r['deadline_at'])}）"
        if r["clean_at"] is not None and r["clean_at"] < r["deadline_at"]:
            tally.on_time += 1
        elif r["first_at"] is not None and r["first_at"] <= r["deadline_at"] + late_limit:
            tally.late += 1
            tally.late_refs.append(ref)
        else:
            tally.missed_refs.append(ref)
    return tallies


def score_reporting(ctx: Context) -> dict[str, ItemScore]:
    rules = ctx.rules
    full = rules.number("reporting", "max")
    late_cost = rules.number("reporting", "late")
    missed_cost = rules.number("reporting", "missed")
    holidays = _holidays(ctx)
    daily = daily_tallies(ctx, holidays)
    requested = request_tallies(ctx)
    out = {}
    for code in ctx.stations:
        d, r = daily[code], requested.get(code, Tally())
        lines = [Line(f"满分（应报日报 {d.due} 天，准时 {d.on_time}；"
                      f"统计报表 {r.due} 份，准时 {r.on_time}）", full)]
        score = full
        for label, tally in (("日报", d), ("统计报表", r)):
            if tally.late:
                lines.append(Line(f"{label}迟报 {tally.late} 次", -late_cost * tally.late,
                                  tally.late_refs))
            if tally.missed:
                lines.append(Line(f"{label}漏报 {tally.missed} 次（未报或超过截止后 "
                                  f"{rules.setting('reporting', 'missed_after_hours')} 小时）",
                                  -missed_cost * tally.missed, tally.missed_refs))
            score -= late_cost * tally.late + missed_cost * tally.missed
        if score < 0:
            lines.append(Line("扣分超过本项分值，本项最低 0 分", -score))
            score = full * 0
        out[code] = ItemScore(6, round_points(score), lines)
    return out
