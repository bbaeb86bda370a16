"""Transaction volume (RULES §4): monthly per station, quarterly rankings
with the last place, published (frozen) quarters and last-place streaks.

Volume = goods amounts of purchase and sale orders placed in the month,
minus refunds made in the month, without cancelled orders, exchanges or
service fees; service amounts count only for categories the rules name.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import JOIN, fn

from station_tui.assessment import sql
from station_tui.assessment.context import Context
from station_tui.assessment.items_ledger import OrderCell, order_grid
from station_tui.assessment.rules import load_rules
from station_tui.domain import clock
from station_tui.domain.periods import Period, parse_period, quarter_of
from station_tui.errors import RuleError
from station_tui.operations import standing
from station_tui.records import (
    PurchaseOrder,
    Refund,
    SaleOrder,
    ServiceRecord,
    database_proxy,
)
from station_tui.records.center import CenterStation, PublishedRanking

Grid = dict[str, dict[str, int]]  # station → month → fen


def refund_grid(ctx: Context, since: date) -> Grid:
    """Refunds per station and month, on orders that count in volume."""
    status = fn.COALESCE(PurchaseOrder.status, SaleOrder.status)
    kind = fn.COALESCE(PurchaseOrder.order_kind, "order")
    month = sql.month_key(Refund.happened_day)
    rows = (
        Refund.select(Refund.station, month, fn.SUM(Refund.amount_fen))
        .join(PurchaseOrder, JOIN.LEFT_OUTER, on=(
            (Refund.order_kind == "purchase") & (PurchaseOrder.uuid == Refund.order)))
        .join(SaleOrder, JOIN.LEFT_OUTER, on=(
            (Refund.order_kind == "sale") & (SaleOrder.uuid == Refund.order)),
            src=Refund)
        .where(Refund.voided_at.is_null(), Refund.happened_day >= since,
               Refund.happened_day < ctx.end, ctx.scoped(Refund.station),
               status.is_null(False), status != "cancelled", kind != "exchange")
        .group_by(Refund.station, month)
        .tuples()
    )
    grid: Grid = defaultdict(dict)
    for station, key, fen in rows:
        grid[station][key] = int(fen)
    return grid


def service_grid(ctx: Context) -> dict[str, dict[str, int]]:
    """Service amounts per station and category in the period (shown beside
    volume; counted only when the rules say so)."""
    rows = (
        ServiceRecord.select(ServiceRecord.station, ServiceRecord.category,
                             fn.SUM(ServiceRecord.amount_fen))
        .where(ServiceRecord.voided_at.is_null(),
               ctx.day_range(ServiceRecord.happened_day),
               ctx.scoped(ServiceRecord.station))
        .group_by(ServiceRecord.station, ServiceRecord.category)
        .tuples()
    )
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    for station, category, fen in rows:
        grid[station][category] = int(fen)
    return grid


def monthly_volumes(orders: list[dict[str, dict[str, OrderCell]]],
                    refunds: Grid) -> Grid:
    months: Grid = defaultdict(lambda: defaultdict(int))
    for grid in orders:
        for station, cells in grid.items():
            for key, cell in cells.items():
                months[station][key] += cell.gross_fen
    for station, cells in refunds.items():
        for key, fen in cells.items():
            months[station][key] -= fen
    return months


def month_keys(start: date, end: date) -> list[str]:
    keys = []
    day = date(start.year, start.month, 1)
    while day < end:
        keys.append(f"{day.year}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return keys


def volume_in(months: Grid, station: str, start: date, end: date) -> int:
    cells = months.get(station, {})
    return sum(cells.get(k, 0) for k in month_keys(start, end))


@dataclass
class QuarterRow:
    station: str
    volume_fen: int
    #: None: not active for the whole quarter, listed but not ranked
    rank: int | None
    last: bool
    #: Published figure when the quarter is frozen and the live one differs
    published_fen: int | None = None


@dataclass
class Quarter:
    name: str
    published: bool
    rows: list[QuarterRow] = field(default_factory=list)


def rank_quarter(quarter: Period, months: Grid,
                 stations: list[CenterStation]) -> Quarter:
    """Rank by volume, highest first; equal volumes share a rank and every
    station at the lowest volume is last."""
    rows = []
    for s in stations:
        active = (s.active_from <= quarter.start
                  and (s.active_until is None
                       or s.active_until >= quarter.end - timedelta(days=1)))
        if s.active_from >= quarter.end or (
                s.active_until is not None and s.active_until < quarter.start):
            continue
        rows.append(QuarterRow(s.code, volume_in(months, s.code, quarter.start,
                                                 quarter.end), 0 if active else None,
                               False))
    ranked = sorted((r for r in rows if r.rank is not None),
                    key=lambda r: (-r.volume_fen, r.station))
    for position, row in enumerate(ranked, start=1):
        same = position > 1 and ranked[position - 2].volume_fen == row.volume_fen
        row.rank = ranked[position - 2].rank if same else position
    if ranked:
        lowest = ranked[-1].volume_fen
        for row in ranked:
            row.last = row.volume_fen == lowest
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.station))
    return Quarter(quarter.name, False, rows)


def frozen(quarter: Quarter, published: PublishedRanking) -> Quarter:
    """The published ranking, with live figures that differ as corrections."""
    live = {r.station: r.volume_fen for r in quarter.rows}
    rows = []
    for item in json.loads(published.rows):
        row = QuarterRow(item["station"], live.get(item["station"], 0),
                         item["rank"], item["last"], item["volume_fen"])
        rows.append(row)
    return Quarter(quarter.name, True, rows)


def quarters_between(start: date, end: date) -> list[Period]:
    """Complete quarters that end on or before ``end``, from ``start``'s."""
    out = []
    q = quarter_of(start)
    while q.end <= end:
        out.append(q)
        q = quarter_of(q.end)
    return out


def quarter_rankings(quarters: list[Period], months: Grid,
                     only: str | None = None) -> list[Quarter]:
    stations = list(CenterStation.select().order_by(CenterStation.code))
    for s in stations:
        s.active_from = _d(s.active_from)
        s.active_until = _d(s.active_until) if s.active_until else None
    published = {p.quarter: p for p in PublishedRanking.select().where(
        PublishedRanking.voided_at.is_null(),
        PublishedRanking.quarter.in_([q.name for q in quarters]))} if quarters else {}
    out = []
    for q in quarters:
        ranking = rank_quarter(q, months, stations)
        if q.name in published:
            ranking = frozen(ranking, published[q.name])
        if only is not None:
            ranking.rows = [r for r in ranking.rows if r.station == only]
        out.append(ranking)
    return out


def streaks(quarters: list[Quarter]) -> dict[str, int]:
    """Consecutive last places up to the latest quarter; an unranked or
    not-last quarter ends a streak."""
    run: dict[str, int] = {}
    for q in quarters:
        last = {r.station for r in q.rows if r.last and r.rank is not None}
        run = {code: run.get(code, 0) + 1 for code in last}
    return run


def _d(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def publish_quarter(name: str, *, staff: str, rules_hash: str) -> PublishedRanking:
    """Freeze a finished quarter's ranking as published."""
    quarter = parse_period(name)
    if quarter.kind != "quarter":
        raise RuleError(f"“{name}”不是季度，例如 2026Q1")
    if quarter.end > clock.local_date(clock.now()):
        raise RuleError(f"{quarter.name} 还没有结束，不能公布")
    if PublishedRanking.select().where(PublishedRanking.quarter == quarter.name,
                                       PublishedRanking.voided_at.is_null()).exists():
        raise RuleError(f"{quarter.name} 的排名已经公布，公布后不再改动")
    ctx = Context(quarter, load_rules())
    months = monthly_volumes([order_grid(ctx, PurchaseOrder, quarter.start),
                              order_grid(ctx, SaleOrder, quarter.start)],
                             refund_grid(ctx, quarter.start))
    ranking = quarter_rankings([quarter], months)[0]
    rows = [{"station": r.station, "volume_fen": r.volume_fen, "rank": r.rank,
             "last": r.last} for r in ranking.rows]
    at = clock.now()
    with database_proxy.obj.atomic():
        published = PublishedRanking.create(
            uuid=uuid.uuid4(), version=1, station=None, entered_by=staff,
            entered_at=at, updated_at=at, quarter=quarter.name, published_at=at,
            rows=json.dumps(rows, ensure_ascii=False), rules_hash=rules_hash)
        # Only a station last in this quarter can have reached a run of last
        # places that marks it to be terminated.
        for code in standing.last_place_stations(published):
            standing.refresh(code)
    return published
