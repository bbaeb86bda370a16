"""The figures of the today screen: one read-only query pass, run in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from peewee import fn

from station_tui.domain import clock
from station_tui.domain.opening_rule import (
    DEFAULT_RULE,
    DayMark,
    OpeningRule,
    WeekStatus,
)
from station_tui.operations import opening
from station_tui.records import (
    DailyReport,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Record,
    Refund,
    SaleOrder,
    ServiceRecord,
)

#: Waiting parcels older than this many days are counted as overdue.
OVERDUE_DAYS = (1, 3, 7)


@dataclass(frozen=True)
class KindLine:
    """Today's count and money for one kind of business."""

    #: parcel_in, parcel_out, purchase, sale, refund, or service:<category>
    kind: str
    count: int
    amount_fen: int | None
    fee_fen: int | None


@dataclass(frozen=True)
class WaitingParcels:
    """Inbound parcels not yet picked up, and how many have waited long."""

    total: int
    #: days -> parcels that have waited more than that many days
    over: dict[int, int]


@dataclass(frozen=True)
class ReportState:
    """Whether today's daily report is due and when it was submitted."""

    due: bool
    submitted_at: int | None
    #: Yesterday needed a report and none was submitted.
    yesterday_missing: bool


@dataclass(frozen=True)
class TodaySummary:
    day: date
    now: int
    open_since: int | None
    open_seconds: int
    mark: DayMark | None
    lines: tuple[KindLine, ...]
    waiting: WaitingParcels
    report: ReportState
    week: WeekStatus


def _live(model: type[Record], day: date) -> list[Any]:
    return [model.happened_day == day, model.voided_at.is_null()]


def _count_sum(model: type[Record], day: date,
               *columns: object) -> tuple[int, list[int]]:
    """Count of the day's live records and the sum of each column."""
    selected = [fn.COUNT(model.uuid)] + [
        fn.COALESCE(fn.SUM(column), 0) for column in columns
    ]
    row = model.select(*selected).where(*_live(model, day)).tuples().first()
    count, *sums = row if row else (0, *([0] * len(columns)))
    return int(count), [int(s) for s in sums]


def kind_lines(day: date) -> tuple[KindLine, ...]:
    """Counts and amounts of the day's records, voided ones left out."""
    lines: list[KindLine] = []
    count, _ = _count_sum(ParcelIn, day)
    lines.append(KindLine("parcel_in", count, None, None))
    count, (fee,) = _count_sum(ParcelOut, day, ParcelOut.fee_fen)
    lines.append(KindLine("parcel_out", count, None, fee))
    count, (amount, fee) = _count_sum(
        PurchaseOrder, day, PurchaseOrder.amount_fen, PurchaseOrder.service_fee_fen
    )
    lines.append(KindLine("purchase", count, amount, fee))
    count, (amount, fee) = _count_sum(
        SaleOrder, day, SaleOrder.amount_fen, SaleOrder.service_fee_fen
    )
    lines.append(KindLine("sale", count, amount, fee))
    count, (amount,) = _count_sum(Refund, day, Refund.amount_fen)
    lines.append(KindLine("refund", count, amount, None))
    rows = (
        ServiceRecord.select(
            ServiceRecord.category,
            fn.COUNT(ServiceRecord.uuid),
            fn.SUM(ServiceRecord.amount_fen),
            fn.SUM(ServiceRecord.fee_fen),
        )
        .where(*_live(ServiceRecord, day))
        .group_by(ServiceRecord.category)
        .tuples()
    )
    by_category = {cat: (n, amount, fee) for cat, n, amount, fee in rows}
    for category in ("payment", "booking", "financial"):
        n, amount, fee = by_category.get(category, (0, 0, 0))
        lines.append(KindLine(f"service:{category}", n, amount, fee))
    return tuple(lines)


def waiting_parcels(now: int) -> WaitingParcels:
    waiting = ParcelIn.select().where(
        ParcelIn.status == "waiting", ParcelIn.voided_at.is_null()
    )
    over = {
        days: waiting.where(ParcelIn.happened_at < now - days * 86400).count()
        for days in OVERDUE_DAYS
    }
    return WaitingParcels(total=waiting.count(), over=over)


def _report_due(day: date, started: date | None) -> bool:
    if started is not None and day < started:
        return False
    return opening.day_marks(day, day + timedelta(days=1)).get(day) is None


def _submitted_at(day: date) -> int | None:
    original = (
        DailyReport.select(DailyReport.submitted_at)
        .where(*_live(DailyReport, day), DailyReport.amends.is_null())
        .order_by(DailyReport.submitted_at)
        .first()
    )
    return original.submitted_at if original else None


def report_state(day: date) -> ReportState:
    """A report is due on every day in service that is no rest day or holiday."""
    started = opening.active_from()
    yesterday = day - timedelta(days=1)
    return ReportState(
        due=_report_due(day, started),
        submitted_at=_submitted_at(day),
        yesterday_missing=(
            _report_due(yesterday, started) and _submitted_at(yesterday) is None
        ),
    )


def today_summary(*, at: int | None = None,
                  rule: OpeningRule = DEFAULT_RULE) -> TodaySummary:
    """Everything the today screen shows, read in one go."""
    now = clock.now() if at is None else at
    day = clock.local_date(now)
    spell = opening.current_spell()
    mark = opening.day_marks(day, day + timedelta(days=1)).get(day)
    return TodaySummary(
        day=day,
        now=now,
        open_since=spell.opened_at if spell else None,
        open_seconds=opening.open_seconds_on(day, at=now),
        mark=mark.kind if mark else None,
        lines=kind_lines(day),
        waiting=waiting_parcels(now),
        report=report_state(day),
        week=opening.week_status(day, at=now, rule=rule),
    )
