"""The assessment of a period: every station's twelve items with their
breakdown, inspection deductions, total, rank and grade; the grade
distribution; monthly and quarterly volumes with last places and streaks;
opening-rule violations; stations to terminate or disqualify.

Used by the server (all stations) and by the station app's preview of its
own items "if the period ended today" (``only`` and ``as_of``).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from station_tui.assessment import grading
from station_tui.assessment.context import Context, StationInfo
from station_tui.assessment.items_center import (
    inspection_deductions,
    score_campaigns,
    score_training,
)
from station_tui.assessment.items_ledger import (
    order_grid,
    parcel_grid,
    score_custody,
    score_orders,
    score_parcels,
)
from station_tui.assessment.items_onsite import score_onsite
from station_tui.assessment.items_reporting import _holidays, score_reporting
from station_tui.assessment.opening import violations
from station_tui.assessment.result import Assessment, StationResult, round_points
from station_tui.assessment.rules import Rules, load_rules
from station_tui.assessment.volumes import (
    month_keys,
    monthly_volumes,
    quarter_rankings,
    quarters_between,
    refund_grid,
    service_grid,
    streaks,
    volume_in,
)
from station_tui.domain import clock
from station_tui.domain.periods import Period, parse_period
from station_tui.errors import InputError, NotFoundError
from station_tui.records import PurchaseOrder, SaleOrder
from station_tui.records.center import CenterStation, Rectification, Termination

log = logging.getLogger(__name__)

#: Quarters looked back before the period for last-place streaks.
STREAK_LOOKBACK_QUARTERS = 4


def clamp_total(items_sum: Decimal, deductions: Decimal) -> Decimal:
    """Total = sum of the items − deductions, clamped to 0–100."""
    return min(Decimal(100), max(Decimal(0), items_sum - deductions))


def _lookback_start(period: Period) -> date:
    day = period.start
    for _ in range(STREAK_LOOKBACK_QUARTERS):
        day = (day.replace(day=1) - timedelta(days=80)).replace(day=1)
        day = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day


def score_stations(ctx: Context, since: date) -> tuple[list[StationResult], Any]:
    """Every item of every station in ``ctx``; also the month grid."""
    purchases = order_grid(ctx, PurchaseOrder, since)
    sales = order_grid(ctx, SaleOrder, since)
    parcels = parcel_grid(ctx)
    months = monthly_volumes([purchases, sales], refund_grid(ctx, since))
    services = service_grid(ctx)
    include = set(ctx.rules.setting("volume", "include_services"))
    parts = [score_onsite(ctx)]
    by_item = {
        4: score_training(ctx), 5: score_campaigns(ctx), 6: score_reporting(ctx),
        7: score_orders(ctx, 7, purchases), 8: score_orders(ctx, 8, sales),
        9: score_parcels(ctx, parcels), 11: score_custody(ctx, parcels),
    }
    deductions = inspection_deductions(ctx)
    results = []
    for code, info in ctx.stations.items():
        items = dict(parts[0][code])
        items.update({n: scored[code] for n, scored in by_item.items()})
        items = dict(sorted(items.items()))
        lines = deductions.get(code, [])
        deducted = sum((-line.points for line in lines), Decimal(0))
        total = round_points(clamp_total(
            sum((i.score for i in items.values()), Decimal(0)), deducted))
        volume = volume_in(months, code, ctx.start, ctx.end) + sum(
            fen for cat, fen in services.get(code, {}).items() if cat in include)
        warnings = [f"第 {i.number} 项本期没有现场评分记录" for i in items.values()
                    if i.lines and "没有现场评分记录" in i.lines[0].text]
        results.append(StationResult(
            code=code, name=info.name, town=info.town, items=items,
            deductions=round_points(deducted), deduction_lines=lines, total=total,
            volume_fen=volume,
            targets=(ctx.target(int(ctx.rules.number("orders", "purchase_target")), code),
                     ctx.target(int(ctx.rules.number("orders", "sale_target")), code)),
            active_days=ctx.active_days(code), warnings=warnings,
        ))
    return results, (months, services)


def assess(period: Period | str, rules: Rules | None = None, *,
           as_of: date | None = None, only: str | None = None,
           info: StationInfo | None = None) -> Assessment:
    """Compute the assessment of ``period`` (cut at ``as_of``, exclusive)."""
    started = time.perf_counter()
    if isinstance(period, str):
        period = parse_period(period)
    rules = rules or load_rules()
    ctx = Context(period, rules, as_of=as_of, only=only, info=info)
    if only is not None and not ctx.stations:
        _refuse_station(only, period)
    only = ctx.only
    since = _lookback_start(period)
    results, (months, services) = score_stations(ctx, since)

    graded = period.kind in rules.setting("grading", "graded_kinds") and only is None
    ranked = [r for r in results if ctx.active_at_end(r.code)]
    entries = [grading.Entry(r.code, r.total, r.volume_fen) for r in ranked]
    ordered = grading.grade(entries, rules) if graded else grading.rank(entries)
    by_code = {e.code: e for e in ordered}
    for r in results:
        entry = by_code.get(r.code)
        if entry is not None and only is None:
            r.rank = entry.rank
            if graded:
                r.grade, r.grade_note = entry.grade, entry.note
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
    distribution = grading.distribution(ordered, rules) if graded else []

    extras: dict[str, Any] = {
        "months": month_keys(ctx.start, ctx.end),
        "monthly_volume": {code: {k: months.get(code, {}).get(k, 0)
                                  for k in month_keys(ctx.start, ctx.end)}
                           for code in ctx.stations},
        "services": {code: services.get(code, {}) for code in ctx.stations},
        "opening_violations": [asdict(v) for v in violations(ctx, _holidays(ctx))],
    }
    if only is None:
        extras.update(_quarters(ctx, since, months))
        extras["to_disqualify"] = _rectifications(ctx, rules)
    assessment = Assessment(
        period=period.name, start=ctx.start, end=ctx.end,
        as_of=ctx.end, rules=rules.identity(),
        grading_mode=rules.setting("grading", "mode") if graded else None,
        stations=results, distribution=distribution, computed_at=clock.now(),
        extras=extras,
    )
    log.info("assessed %s for %d stations in %.2f s", period.name, len(results),
             time.perf_counter() - started)
    return assessment


def _refuse_station(code: str, period: Period) -> None:
    """One station was asked for and is not in the period: say why."""
    known = CenterStation.get_or_none(CenterStation.code == code)
    if known is None:
        raise NotFoundError(f"站点编码“{code}”没有登记，请检查站点编码",
                            field="station")
    raise NotFoundError(
        f"站点“{code}”在 {period.name} 期间没有营业（{known.active_from} 起登记"
        f"{f'，{known.active_until} 止' if known.active_until else ''}）",
        field="station")


def _decided(ground: str) -> dict[str, Termination]:
    return {t.station: t for t in Termination.select().where(
        Termination.voided_at.is_null(), Termination.ground == ground)}


def _quarters(ctx: Context, since: date, months: Any) -> dict[str, Any]:
    quarters = quarter_rankings(quarters_between(since, ctx.end), months)
    needed = int(ctx.rules.number("elimination", "consecutive_last_quarters"))
    in_period = [q for q in quarters if parse_period(q.name).start >= ctx.start]
    run = streaks(quarters)
    decided = _decided("last_place")
    to_terminate = [
        {"station": code, "quarters": n,
         "decision": decided[code].decision if code in decided else None}
        for code, n in sorted(run.items()) if n >= needed
    ]
    return {
        "quarters": [asdict(q) for q in in_period],
        "last_place_streaks": run,
        "to_terminate": to_terminate,
    }


def _rectifications(ctx: Context, rules: Rules) -> list[dict[str, Any]]:
    """Stations whose rectification period has ended below the pass score."""
    orders = Rectification.select().where(
        Rectification.voided_at.is_null(), Rectification.deadline_day < ctx.end)
    decided = _decided("rectification_failed")
    out = []
    for order in orders:
        scored = rectification_result(order, rules)
        if scored is None:
            continue
        span, result = scored
        passed = result.total >= rules.number("rectification", "pass_score")
        out.append({
            "station": order.station, "order": str(order.uuid),
            "period": span.name, "total": str(result.total), "passed": passed,
            "decision": (decided[order.station].decision
                         if order.station in decided else None),
        })
    return [r for r in out if not r["passed"]] + [r for r in out if r["passed"]]


def rectification_result(order: Rectification,
                         rules: Rules) -> tuple[Period, StationResult] | None:
    """The station's items over a rectification period (None: the station
    was not in service then)."""
    first = _as_date(order.issued_day)
    end = _as_date(order.deadline_day) + timedelta(days=1)
    span = Period(f"{first}~{end - timedelta(days=1)}", "range", first, end)
    sub = Context(span, rules, only=order.station)
    if order.station not in sub.stations:
        return None
    return span, score_stations(sub, first)[0][0]


def rectification_passed(order: Rectification, rules: Rules) -> bool | None:
    """Whether the station reached the pass score over the order's period
    (None: it was not in service then, so there is no outcome)."""
    scored = rectification_result(order, rules)
    if scored is None:
        return None
    return scored[1].total >= rules.number("rectification", "pass_score")


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def preview(station: StationInfo, period: Period | str, today: date,
            rules: Rules | None = None) -> Assessment:
    """A station's own items "if the period ended today", on the station PC
    (its own ledger and the center records pulled to it; the station
    database needs the pulled center tables)."""
    return assess(period, rules, as_of=today, info=station)



def cut_for_today(period: Period, today: date,
                  rules: Rules) -> tuple[date | None, list[str]]:
    """Where the center's computation of ``period`` on ``today`` stops, and
    what to say about it: a period not yet begun has nothing to assess; one
    still running is cut at today; one just over may still get late reports
    inside the report window, which would otherwise count as missed."""
    last = period.end - timedelta(days=1)
    if today < period.start:
        raise InputError(
            f"期间“{period.name}”从 {period.start} 才开始，还没有记录可考核",
            field="period")
    hours = int(rules.number("reporting", "missed_after_hours"))
    final = period.end + timedelta(days=math.ceil(hours / 24))
    if today < period.end:
        # Today's records so far count (the end is exclusive).
        return today + timedelta(days=1), [
            f"本期尚未结束（到 {last} 为止），结果按截至今天（{today}）的记录计算，"
            f"不是最终结果：还没到期或仍在 {hours} 小时补报期内的报表会被算作未报，"
            f"请在 {final} 起计算最终结果"]
    if today < final:
        return None, [
            f"本期 {last} 才结束，报表还有 {hours} 小时补报期：现在补报的报表"
            f"会被算作未报，请在 {final} 起重新计算最终结果"]
    return None, []


def assess_today(period: Period | str, rules: Rules | None = None, *,
                 only: str | None = None, today: date | None = None) -> Assessment:
    """The center's assessment of ``period`` as it stands today (``assess``
    and the server's routes): refused before the period starts, cut at
    today with a warning while it runs."""
    if isinstance(period, str):
        period = parse_period(period)
    rules = rules or load_rules()
    today = today or clock.local_date(clock.now())
    as_of, warnings = cut_for_today(period, today, rules)
    result = assess(period, rules, as_of=as_of, only=only)
    result.warnings.extend(warnings)
    return result
