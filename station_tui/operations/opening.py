"""Opening hours: clocking the station open and closed, rest days, the week.

Every action takes an optional ``at`` instant (default: now) so that a
test, or a settlement after a power cut, can say when it happened.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from peewee import fn

from station_tui.domain import clock
from station_tui.domain.opening_rule import (
    DEFAULT_RULE,
    DayMark,
    OpeningRule,
    WeekStatus,
    assess_week,
    check_rest_day,
    merge_spells,
    seconds_on_day,
)
from station_tui.domain.periods import iso_week
from station_tui.errors import FieldChecks, InputError, NotFoundError, RuleError
from station_tui.operations.changes import create, update, void
from station_tui.operations.station import current_code, profile
from station_tui.records import STATION_RECORDS, OpenSpell, RestDay
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)


def _now(at: int | None) -> int:
    return clock.now() if at is None else at


def _hm(instant: int) -> str:
    return clock.format_time(instant, "%H:%M")


def current_spell() -> OpenSpell | None:
    """The spell that is still open, if the station is open now."""
    return (
        OpenSpell.select()
        .where(OpenSpell.closed_at.is_null(), OpenSpell.voided_at.is_null())
        .order_by(OpenSpell.opened_at.desc())
        .first()
    )


def spells_between(start: int, end: int) -> list[OpenSpell]:
    """Spells that overlap the half-open range [start, end), oldest first."""
    return list(
        OpenSpell.select()
        .where(
            OpenSpell.voided_at.is_null(),
            OpenSpell.opened_at < end,
            OpenSpell.closed_at.is_null() | (OpenSpell.closed_at > start),
        )
        .order_by(OpenSpell.opened_at)
    )


def day_marks(start: date, end: date) -> dict[date, RestDay]:
    """Declared rest days and center holidays in [start, end), by day."""
    rows = (
        RestDay.select()
        .where(
            RestDay.voided_at.is_null(),
            RestDay.happened_day >= start,
            RestDay.happened_day < end,
        )
        .order_by(RestDay.happened_at)
    )
    marks: dict[date, RestDay] = {}
    for row in rows:
        # A holiday outranks a rest day declared for the same date.
        if row.happened_day not in marks or row.kind == "holiday":
            marks[row.happened_day] = row
    return marks


def _mark_on(day: date) -> DayMark | None:
    row = day_marks(day, day + timedelta(days=1)).get(day)
    return row.kind if row else None


def open_station(*, at: int | None = None) -> OpenSpell:
    """Clock the station open; refused while a spell is open or on a rest day."""
    now = _now(at)
    station = current_code()
    today = clock.local_date(now)
    with write_txn():
        spell = current_spell()
        if spell is not None:
            raise RuleError(
                f"站点已经开门（{clock.format_time(spell.opened_at)} 起），"
                "不能重复开门"
            )
        if _mark_on(today) == "rest":
            raise RuleError(
                f"今天（{today.isoformat()}）已申报为休息日；如要营业，请先撤销休息日"
            )
        last_close = (
            OpenSpell.select(fn.MAX(OpenSpell.closed_at))
            .where(OpenSpell.voided_at.is_null())
            .scalar()
        )
        if last_close is not None and now < last_close:
            raise RuleError(
                f"开门时间 {clock.format_time(now)} 早于上次关门时间 "
                f"{clock.format_time(last_close)}"
            )
        spell = create(OpenSpell, station=station, happened_at=now, opened_at=now)
    log.info("station opened at %s", clock.format_time(now))
    return spell


def close_station(*, at: int | None = None) -> OpenSpell:
    """Clock the open spell closed; refused when the station is not open."""
    now = _now(at)
    with write_txn():
        spell = current_spell()
        if spell is None:
            raise RuleError("站点现在是关门状态，不需要关门")
        if now < spell.opened_at:
            raise RuleError(
                f"关门时间 {clock.format_time(now)} 早于开门时间 "
                f"{clock.format_time(spell.opened_at)}"
            )
        update(spell, closed_at=now, close_kind="clock")
    log.info("station closed at %s", clock.format_time(now))
    return spell


@dataclass(frozen=True)
class UnclosedSpell:
    """A spell left open by a power cut or a shutdown, found at start."""

    spell_uuid: uuid.UUID
    opened_at: int
    #: The last recorded activity since it opened, or its open time.
    suggested_close: int
    #: Began today, so "still open" is a sensible answer too.
    began_today: bool


def last_activity(since: int, *, until: int,
                  exclude: uuid.UUID | None = None) -> int:
    """The latest time any record was entered, changed or happened in
    [since, until]; ``since`` itself when nothing was recorded."""
    latest = since
    for model in STATION_RECORDS:
        for column in (model.entered_at, model.updated_at, model.happened_at):
            query = model.select(fn.MAX(column)).where(column.between(since, until))
            if exclude is not None and model is OpenSpell:
                query = query.where(model.uuid != exclude)
            value = query.scalar()
            if value is not None and value > latest:
                latest = value
    return latest


def find_unclosed(*, at: int | None = None) -> UnclosedSpell | None:
    """The spell left open when the app last stopped, with a suggested close."""
    now = _now(at)
    spell = current_spell()
    if spell is None:
        return None
    suggested = last_activity(spell.opened_at, until=now, exclude=spell.uuid)
    return UnclosedSpell(
        spell_uuid=spell.uuid,
        opened_at=spell.opened_at,
        suggested_close=suggested,
        began_today=clock.local_date(spell.opened_at) == clock.local_date(now),
    )


def settle_spell(spell_uuid: uuid.UUID, closed_at: int, *,
                 at: int | None = None) -> OpenSpell:
    """Close a spell left open by a power cut at the time the partner gives."""
    now = _now(at)
    with write_txn():
        spell = OpenSpell.get_or_none(OpenSpell.uuid == spell_uuid)
        if spell is None or spell.voided:
            raise NotFoundError("找不到这次开门记录")
        if spell.closed_at is not None:
            raise RuleError(
                f"这次开门已在 {clock.format_time(spell.closed_at)} 关门"
            )
        if closed_at // 60 == spell.opened_at // 60:
            # Times are typed to the minute: the minute it opened means then.
            closed_at = max(closed_at, spell.opened_at)
        if closed_at < spell.opened_at:
            raise InputError(
                f"关门时间 {clock.format_time(closed_at)} 早于开门时间 "
                f"{clock.format_time(spell.opened_at)}",
                field="closed_at",
            )
        if closed_at > now:
            raise InputError(
                f"关门时间 {clock.format_time(closed_at)} 晚于现在 "
                f"{clock.format_time(now)}",
                field="closed_at",
            )
        update(spell, closed_at=closed_at, close_kind="settled")
    log.info("settled unclosed spell %s at %s", spell_uuid,
             clock.format_time(closed_at))
    return spell


def _opened_on(day: date, now: int) -> bool:
    """The station was open at some time of ``day`` up to ``now``.

    A spell still open has no end yet: it must not count for days that
    have not come (a partner open today may plan next week's rest days).
    """
    start, end = clock.day_start(day), min(clock.day_end(day), now + 1)
    return start < end and bool(spells_between(start, end))


def check_rest_day_allowed(day: date, *, at: int | None = None,
                           rule: OpeningRule = DEFAULT_RULE) -> None:
    """Raise RuleError when ``day`` may not be declared now; the screen asks
    this before its confirmation, declare_rest_day again when writing."""
    now = _now(at)
    week = iso_week(day)
    marks = day_marks(week.start, week.end)
    existing = marks.get(day)
    check_rest_day(
        day,
        today=clock.local_date(now),
        opened_that_day=_opened_on(day, now),
        existing=existing.kind if existing else None,
        rest_days_in_week=sum(1 for m in marks.values() if m.kind == "rest"),
        rule=rule,
    )


def declare_rest_day(day: date, *, at: int | None = None,
                     rule: OpeningRule = DEFAULT_RULE) -> RestDay:
    """Declare ``day`` a rest day, on or before it and before opening."""
    now = _now(at)
    station = current_code()
    with write_txn():
        check_rest_day_allowed(day, at=now, rule=rule)
        rest = create(RestDay, station=station, happened_at=clock.day_start(day),
                      declared_at=now, kind="rest")
    log.info("declared rest day %s", day)
    return rest


def withdraw_rest_day(day: date | str, reason: str, *,
                      at: int | None = None) -> RestDay:
    """Withdraw a declared rest day that has not passed yet.

    ``day`` may be the date as typed; a wrong date and a missing reason
    are raised together.
    """
    now = _now(at)
    checks = FieldChecks()
    if isinstance(day, str):
        day = checks.take(clock.parse_day, day, field="day")
    # Not width-folded: a note keeps its Chinese punctuation as typed.
    reason = (reason or "").strip()
    if not reason:
        checks.add(InputError("撤销休息日必须填写原因", field="reason"))
    checks.raise_all()
    assert day is not None
    with write_txn():
        row = day_marks(day, day + timedelta(days=1)).get(day)
        if row is None or row.kind != "rest":
            raise NotFoundError(f"{day.isoformat()} 没有申报休息日")
        if day < clock.local_date(now):
            raise RuleError(f"{day.isoformat()} 已经过去，休息日不能再撤销")
        void(row, reason)
    log.info("withdrew rest day %s", day)
    return row


def active_from() -> date | None:
    """The first day the station was in service: the day it was set up."""
    found = profile()
    return clock.local_date(found.created_at) if found else None


def week_status(day: date, *, at: int | None = None,
                rule: OpeningRule = DEFAULT_RULE,
                extra_marks: Mapping[date, DayMark] | None = None) -> WeekStatus:
    """The ISO week holding ``day``, judged against the opening rule.

    ``extra_marks`` judges the week as if those days were marked too: what
    a rest day about to be declared would do to the week.
    """
    now = _now(at)
    week = iso_week(day)
    spells = spells_between(clock.day_start(week.start), clock.day_start(week.end))
    marks: dict[date, DayMark] = {
        d: m.kind for d, m in day_marks(week.start, week.end).items()}
    marks.update(extra_marks or {})
    return assess_week(
        day,
        spells=[(s.opened_at, s.closed_at) for s in spells],
        marks=marks,
        active_from=active_from(),
        now=now,
        rule=rule,
    )


def open_seconds_on(day: date, *, at: int | None = None) -> int:
    """How long the station has been open on ``day``, spells added up."""
    now = _now(at)
    spells = spells_between(clock.day_start(day), clock.day_end(day))
    intervals = merge_spells([(s.opened_at, s.closed_at) for s in spells], now)
    return seconds_on_day(intervals, day)


def upcoming_rest_days(*, at: int | None = None) -> list[RestDay]:
    """Rest days and holidays from today on, for the opening screen."""
    today = clock.local_date(_now(at))
    return list(
        RestDay.select()
        .where(RestDay.voided_at.is_null(), RestDay.happened_day >= today)
        .order_by(RestDay.happened_at)
    )


@dataclass(frozen=True)
class OpeningView:
    """What the opening screen shows, read in one go."""

    now: int
    open_since: int | None
    today_seconds: int
    today_spells: tuple[OpenSpell, ...]
    week: WeekStatus
    #: Rest days and holidays from today on.
    coming_rest_days: tuple[RestDay, ...]


def opening_view(week_day: date, *, at: int | None = None,
                 rule: OpeningRule = DEFAULT_RULE) -> OpeningView:
    now = _now(at)
    today = clock.local_date(now)
    spell = current_spell()
    return OpeningView(
        now=now,
        open_since=spell.opened_at if spell else None,
        today_seconds=open_seconds_on(today, at=now),
        today_spells=tuple(spells_between(clock.day_start(today),
                                          clock.day_end(today))),
        week=week_status(week_day, at=now, rule=rule),
        coming_rest_days=tuple(upcoming_rest_days(at=now)),
    )
