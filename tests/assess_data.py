"""Builders for assessment tests: a server database and records in it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from peewee import Model

from station_tui.domain import clock
from station_tui.records import DailyReport, PurchaseOrder, RestDay
from station_tui.records.center import CenterStation, OnsiteRound


def at(day: date, hh: int = 12, mm: int = 0, ss: int = 0) -> int:
    """The instant of ``day`` at hh:mm:ss Shanghai time."""
    return clock.instant_of(datetime(day.year, day.month, day.day, hh, mm, ss))


def days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def station(code: str = "S1", *, active_from: date = date(2025, 1, 1),
            active_until: date | None = None, town: str = "龙港镇") -> str:
    CenterStation.create(code=code, name=f"{code}服务站", town=town, village="村",
                         active_from=active_from, active_until=active_until,
                         created_at=0, created_by="test")
    return code


def ledger(model: type[Model], code: str, happened_at: int, **fields: Any) -> Model:
    """A station record as the server holds it (personal fields NULL)."""
    values = dict(uuid=uuid.uuid4(), station=code, version=1,
                  happened_at=happened_at, happened_day=clock.local_date(happened_at),
                  entered_at=happened_at, updated_at=happened_at)
    values.update(fields)
    return model.create(**values)


def center(model: type[Model], code: str | None, **fields: Any) -> Model:
    values = dict(uuid=uuid.uuid4(), station=code, entered_by="检查员甲",
                  entered_at=0, updated_at=0)
    values.update(fields)
    return model.create(**values)


def purchases(code: str, day: date, count: int, **fields: Any) -> None:
    """``count`` complete purchase orders placed on ``day``, entered at once."""
    when = at(day, 10)
    rows = []
    for _ in range(count):
        row = dict(uuid=uuid.uuid4(), station=code, version=1, happened_at=when,
                   happened_day=day, entered_at=when, updated_at=when,
                   villager_complete=True, goods="化肥", quantity=1, amount_fen=10_000,
                   platform="拼多多", platform_order_no="P1", status="ordered",
                   ordered_at=when, ordered_day=day)
        row.update(fields)
        rows.append(row)
    PurchaseOrder.insert_many(rows).execute()


def report(code: str, day: date, submitted_at: int, **fields: Any) -> DailyReport:
    return ledger(DailyReport, code, submitted_at, happened_day=day,
                  submitted_at=submitted_at, figures="{}", **fields)


def reports_on_time(code: str, first: date, last: date) -> None:
    for day in days(first, last):
        report(code, day, at(day, 20))


def rest(code: str, day: date, kind: str = "rest") -> None:
    ledger(RestDay, code, at(day, 7), happened_day=day, declared_at=at(day, 7),
           kind=kind)


def onsite(code: str, item: int, day: date, a: float, b: float = 0, c: float = 0,
           **fields: Any) -> OnsiteRound:
    parts = [round(v * 100) for v in (a, b, c)]
    score = 0 if fields.get("equipment_down") else sum(parts)
    return center(OnsiteRound, code, item=item, day=day, inspector="检查员甲",
                  part_a=parts[0], part_b=parts[1], part_c=parts[2], score=score,
                  **fields)
