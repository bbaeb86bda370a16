"""The daily report (日报): a day's figures, submission, amendment, timeliness.

A report is due for every Shanghai calendar day that is not a declared rest
day or center holiday (RULES §1). Once submitted it is locked; a later
change is an amendment, a new record whose ``amends`` names the original,
and the original keeps its submission time and so its timeliness (RULES §3
item 6: on time before 00:00:00 of the next day, late after, missed when
never submitted or more than 72 hours late).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Literal
from uuid import UUID

from peewee import Expression, fn

from station_tui.domain import clock
from station_tui.errors import RuleError
from station_tui.operations import changes
from station_tui.operations.station import current_code, require_profile
from station_tui.records import (
    DailyReport,
    OpenSpell,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Record,
    Refund,
    RestDay,
    SaleOrder,
    ServiceRecord,
)
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

#: A report first submitted more than this after its deadline is missed.
MISSED_AFTER_SECONDS = 72 * 3600
#: RestDay kinds that make a day need no report.
REST_KINDS = ("rest", "holiday")
NOTE_MAX_CHARS = 2000

Timeliness = Literal["on_time", "late", "missed", "pending", "overdue", "not_due"]


@dataclass
class ServiceFigures:
    """Services of one category on one day."""

    count: int = 0
    amount_fen: int = 0
    fee_fen: int = 0


@dataclass
class DayFigures:
    """What a station did on one day, as the daily report carries it."""

    day: date
    parcels_in: int = 0
    parcels_in_damaged: int = 0
    parcels_picked_up: int = 0
    parcels_out: int = 0
    parcels_out_fee_fen: int = 0
    purchase_registered: int = 0
    purchase_registered_fen: int = 0
    purchase_ordered: int = 0
    purchase_ordered_fen: int = 0
    sale_registered: int = 0
    sale_registered_fen: int = 0
    sale_ordered: int = 0
    sale_ordered_fen: int = 0
    refunds: int = 0
    refunds_fen: int = 0
    #: payment | booking | financial -> figures; every category present.
    services: dict[str, ServiceFigures] = field(default_factory=dict)
    open_seconds: int = 0
    open_spells: int = 0
    #: A spell of the day had not been closed when the figures were compiled.
    still_open: bool = False

    def to_json(self) -> str:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DayFigures:
        data: dict[str, Any] = json.loads(text)
        data["day"] = date.fromisoformat(data["day"])
        data["services"] = {
            key: ServiceFigures(**value) for key, value in data["services"].items()
        }
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class DayStatus:
    """Whether a day's report is due, submitted, amended, and how timely."""

    day: date
    #: ``rest`` or ``holiday`` when the day was declared closed.
    rest_kind: str | None
    original: DailyReport | None
    latest: DailyReport | None
    amendments: int
    timeliness: Timeliness

    @property
    def due(self) -> bool:
        return self.rest_kind is None

    @property
    def locked(self) -> bool:
        return self.original is not None


@dataclass(frozen=True)
class ReportRow:
    """One submitted report (original or amendment) for the recent list."""

    uuid: UUID
    day: date
    submitted_at: int
    #: The original's timeliness, also for its amendments.
    timeliness: Timeliness
    is_amendment: bool
    note: str


def timeliness(day: date, submitted_at: int | None, *, now: int,
               due: bool = True) -> Timeliness:
    """How timely ``day``'s report is, first submitted at ``submitted_at``.

    The deadline is 00:00:00 of the next day and belongs to the next day
    (half-open), so 23:59:59 is on time and 00:00:00 is late.
    """
    deadline = clock.day_end(day)
    if submitted_at is None:
        if not due:
            return "not_due"
        if now < deadline:
            return "pending"
        return "overdue" if now - deadline <= MISSED_AFTER_SECONDS else "missed"
    if submitted_at < deadline:
        return "on_time"
    if submitted_at - deadline > MISSED_AFTER_SECONDS:
        return "missed"
    return "late"


def _on_day(model: type[Record], day: date) -> Expression:
    """Live records of ``day``.

    happened_day is what a day means; the happened_at range says the same
    for every record whose day is derived from its instant, and lets SQLite
    use the (happened_at, uuid) index instead of scanning the table.
    """
    return (
        model.happened_at.between(clock.day_start(day), clock.day_end(day) - 1)
        & (model.happened_day == day)
        & model.voided_at.is_null()
    )


def _count_sum(model: type[Record], amount: Any, where: Expression) -> tuple[int, int]:
    count, total = (
        model.select(fn.COUNT(model.uuid), fn.COALESCE(fn.SUM(amount), 0))
        .where(where)
        .tuples()
        .get()
    )
    return int(count), int(total)


def _open_time(day: date, now: int) -> tuple[int, int, bool]:
    """Seconds open on ``day``, spells touching it, whether one is still open.

    Spells are clipped to the day, so a spell across midnight counts on
    both sides; an unclosed spell runs until now (or the day's end).
    """
    start, end = clock.day_start(day), clock.day_end(day)
    spells = OpenSpell.select().where(
        OpenSpell.voided_at.is_null(),
        OpenSpell.opened_at < end,
        OpenSpell.closed_at.is_null() | (OpenSpell.closed_at > start),
    )
    seconds = count = 0
    still_open = False
    for spell in spells:
        stop = spell.closed_at
        if stop is None:
            still_open = True
            stop = now
        clipped = min(stop, end) - max(spell.opened_at, start)
        if clipped > 0:
            seconds += clipped
            count += 1
    return seconds, count, still_open


def compile_day(day: date, *, now: int | None = None) -> DayFigures:
    """The figures of ``day`` from the ledger, voided records left out."""
    now = clock.now() if now is None else now
    figures = DayFigures(day=day)
    start, end = clock.day_start(day), clock.day_end(day)

    figures.parcels_in, figures.parcels_in_damaged = _count_sum(
        ParcelIn, ParcelIn.damaged_on_arrival.cast("INTEGER"), _on_day(ParcelIn, day)
    )
    figures.parcels_picked_up = (
        ParcelIn.select()
        .where(
            ParcelIn.voided_at.is_null(),
            ParcelIn.happened_at < end,
            ParcelIn.picked_up_at >= start,
            ParcelIn.picked_up_at < end,
        )
        .count()
    )
    figures.parcels_out, figures.parcels_out_fee_fen = _count_sum(
        ParcelOut, ParcelOut.fee_fen, _on_day(ParcelOut, day)
    )

    # An exchange replaces goods of an order already counted: not a new
    # order, as the center's volumes count it (assessment/volumes.py).
    not_exchange = PurchaseOrder.order_kind != "exchange"
    figures.purchase_registered, figures.purchase_registered_fen = _count_sum(
        PurchaseOrder, PurchaseOrder.amount_fen,
        _on_day(PurchaseOrder, day) & not_exchange,
    )
    figures.purchase_ordered, figures.purchase_ordered_fen = _count_sum(
        PurchaseOrder, PurchaseOrder.amount_fen,
        (PurchaseOrder.ordered_day == day) & PurchaseOrder.voided_at.is_null()
        & not_exchange,
    )
    figures.sale_registered, figures.sale_registered_fen = _count_sum(
        SaleOrder, SaleOrder.amount_fen, _on_day(SaleOrder, day)
    )
    figures.sale_ordered, figures.sale_ordered_fen = _count_sum(
        SaleOrder, SaleOrder.amount_fen,
        (SaleOrder.ordered_day == day) & SaleOrder.voided_at.is_null(),
    )
    figures.refunds, figures.refunds_fen = _count_sum(
        Refund, Refund.amount_fen, _on_day(Refund, day)
    )

    categories = ("payment", "booking", "financial")
    figures.services = {category: ServiceFigures() for category in categories}
    rows = (
        ServiceRecord.select(
            ServiceRecord.category,
            fn.COUNT(ServiceRecord.uuid),
            fn.SUM(ServiceRecord.amount_fen),
            fn.SUM(ServiceRecord.fee_fen),
        )
        .where(_on_day(ServiceRecord, day))
        .group_by(ServiceRecord.category)
        .tuples()
    )
    for category, count, amount, fee in rows:
        figures.services[category] = ServiceFigures(count, int(amount), int(fee))

    figures.open_seconds, figures.open_spells, figures.still_open = _open_time(
        day, now
    )
    return figures


def rest_kind(day: date) -> str | None:
    """``rest`` or ``holiday`` when ``day`` was declared closed, else None."""
    row = (
        RestDay.select(RestDay.kind)
        .where(
            RestDay.happened_day == day,
            RestDay.voided_at.is_null(),
            RestDay.kind.in_(REST_KINDS),
        )
        .first()
    )
    return row.kind if row else None


def _reports_of(day: date) -> list[DailyReport]:
    return list(
        DailyReport.select()
        .where(DailyReport.happened_day == day, DailyReport.voided_at.is_null())
        .order_by(DailyReport.submitted_at, DailyReport.entered_at)
    )


def day_status(day: date, *, now: int | None = None) -> DayStatus:
    now = clock.now() if now is None else now
    reports = _reports_of(day)
    originals = [r for r in reports if r.amends is None]
    original = originals[0] if originals else None
    kind = rest_kind(day)
    return DayStatus(
        day=day,
        rest_kind=kind,
        original=original,
        latest=reports[-1] if reports else None,
        amendments=len(reports) - len(originals),
        timeliness=timeliness(
            day, original.submitted_at if original else None,
            now=now, due=kind is None,
        ),
    )


def check_note(note: str) -> str:
    """The note as it will be stored; refused when it is too long."""
    from station_tui.errors import InputError

    text = (note or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise InputError(
            f"备注有 {len(text)} 个字，最多 {NOTE_MAX_CHARS} 个", field="note"
        )
    return text


def _refuse_future(day: date, now: int) -> None:
    if day > clock.local_date(now):
        raise RuleError(f"{day.isoformat()} 还没有到，不能提交未来日期的日报")


def submit(day: date, note: str = "") -> DailyReport:
    """Submit ``day``'s report with its figures as compiled now; it locks."""
    text = check_note(note)
    now = clock.now()
    _refuse_future(day, now)
    with write_txn():
        status = day_status(day, now=now)
        if status.original is not None:
            raise RuleError(
                f"{day.isoformat()} 的日报已于 "
                f"{clock.format_time(status.original.submitted_at)} 提交并锁定，"
                "如需修改请提交更正"
            )
        report = changes.create(
            DailyReport, station=current_code(), happened_at=now, day=day,
            submitted_at=now, figures=compile_day(day, now=now).to_json(),
            note=text,
        )
    log.info("daily report for %s submitted (%s)", day, status.timeliness)
    return report


def amend(day: date, note: str = "") -> DailyReport:
    """Amend ``day``'s submitted report: a new record, the original kept."""
    text = check_note(note)
    now = clock.now()
    _refuse_future(day, now)
    with write_txn():
        status = day_status(day, now=now)
        if status.original is None:
            raise RuleError(f"{day.isoformat()} 的日报还没有提交，不能更正")
        report = changes.create(
            DailyReport, station=current_code(), happened_at=now, day=day,
            submitted_at=now, figures=compile_day(day, now=now).to_json(),
            note=text, amends=status.original.uuid,
        )
    log.info("daily report for %s amended", day)
    return report


def setup_day() -> date:
    """The first day a report is due: the day the station was set up."""
    return clock.local_date(require_profile().created_at)


def missing_days(*, now: int | None = None) -> list[date]:
    """Due days since set-up, up to yesterday, that have no report."""
    now = clock.now() if now is None else now
    first, last = setup_day(), clock.local_date(now) - timedelta(days=1)
    if last < first:
        return []
    between = (DailyReport.happened_day >= first) & (DailyReport.happened_day <= last)
    reported = {
        row.happened_day
        for row in DailyReport.select(DailyReport.happened_day).where(
            between, DailyReport.voided_at.is_null(), DailyReport.amends.is_null()
        )
    }
    resting = {
        row.happened_day
        for row in RestDay.select(RestDay.happened_day).where(
            RestDay.happened_day.between(first, last),
            RestDay.voided_at.is_null(),
            RestDay.kind.in_(REST_KINDS),
        )
    }
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d not in reported and d not in resting]


def yesterday_warning(*, now: int | None = None) -> str | None:
    """A warning when yesterday's report was due and is still missing."""
    now = clock.now() if now is None else now
    yesterday = clock.local_date(now) - timedelta(days=1)
    if yesterday < setup_day():
        return None
    status = day_status(yesterday, now=now)
    if not status.due or status.locked:
        return None
    return (
        f"昨天（{yesterday.month}月{yesterday.day}日）的日报还没有提交；"
        "现在补报记为迟报，超过 72 小时记为漏报"
    )


def recent_reports(limit: int = 30, *, now: int | None = None) -> list[ReportRow]:
    """The latest submitted reports and amendments, newest day first."""
    now = clock.now() if now is None else now
    reports = list(
        DailyReport.select()
        .where(DailyReport.voided_at.is_null())
        .order_by(DailyReport.happened_day.desc(), DailyReport.submitted_at.desc())
        .limit(limit)
    )
    firsts: dict[date, int] = {}
    for report in sorted(reports, key=lambda r: r.submitted_at):
        if report.amends is None:
            firsts.setdefault(report.happened_day, report.submitted_at)
    rows = []
    for report in reports:
        day = report.happened_day
        first = firsts.get(day)
        if first is None:  # the original fell outside the limit
            original = day_status(day, now=now).original
            first = original.submitted_at if original else report.submitted_at
        rows.append(ReportRow(
            uuid=report.uuid, day=day, submitted_at=report.submitted_at,
            timeliness=timeliness(day, first, now=now),
            is_amendment=report.amends is not None, note=report.note,
        ))
    return rows
