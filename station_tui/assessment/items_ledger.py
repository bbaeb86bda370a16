"""Items 7, 8, 9 and 11: from the station ledgers, aggregated in SQL.

One GROUP BY pass per ledger table gives, per station, what the items need:
orders counted, orders with a complete ledger entry made in time, parcels on
a signed handover list, parcels handled in time, parcels damaged or lost.
For one station (``ctx.only``) the records behind every lost point are also
listed by UUID.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from peewee import JOIN, Expression, Model, fn

from station_tui.assessment import sql
from station_tui.assessment.context import Context
from station_tui.assessment.result import ItemScore, Line, centi, round_points
from station_tui.records import Handover, ParcelIn, ParcelOut, PurchaseOrder, SaleOrder
from station_tui.records.center import Complaint, ScoreOverride

#: Orders that do not count (RULES §3, items 7 and 8).
NOT_COUNTED = ("cancelled", "returned")


@dataclass
class OrderCell:
    """One station's orders in one month."""

    counted: int = 0
    good: int = 0
    gross_fen: int = 0


def _complete(model: type[Model]) -> Expression:
    """The required fields of a ledger entry are all filled."""
    if model is PurchaseOrder:
        return (PurchaseOrder.villager_complete & (PurchaseOrder.goods != "")
                & (PurchaseOrder.quantity > 0) & (PurchaseOrder.amount_fen > 0)
                & (PurchaseOrder.platform != "")
                & PurchaseOrder.platform_order_no.is_null(False)
                & (PurchaseOrder.platform_order_no != "")
                & (PurchaseOrder.status != ""))
    return (SaleOrder.villager_complete & (SaleOrder.product != "")
            & (SaleOrder.quantity > 0) & (SaleOrder.amount_fen > 0)
            & (SaleOrder.channel != "") & SaleOrder.order_no.is_null(False)
            & (SaleOrder.order_no != "") & (SaleOrder.status != ""))


def _counted(model: type[Model], ctx: Context) -> Expression:
    kind_ok = (PurchaseOrder.order_kind != "exchange") if model is PurchaseOrder else True
    return (model.status.not_in(NOT_COUNTED) & kind_ok
            & (model.ordered_day >= ctx.start) & (model.ordered_day < ctx.end))


def _good(model: type[Model], ctx: Context) -> Expression:
    hours = int(ctx.rules.number("orders", "entered_within_hours") * 3600)
    return _complete(model) & (model.entered_at - model.happened_at <= hours)


def order_grid(ctx: Context, model: type[Model],
               since: date) -> dict[str, dict[str, OrderCell]]:
    """Per station and month from ``since`` to the period's end: orders
    counted and well kept (period only) and gross goods amount."""
    in_volume = model.status != "cancelled"
    if model is PurchaseOrder:
        in_volume = in_volume & (PurchaseOrder.order_kind != "exchange")
    counted = _counted(model, ctx)
    month = sql.month_key(model.ordered_day)
    rows = (
        model.select(model.station, month, sql.case_sum(counted),
                     sql.case_sum(counted & _good(model, ctx)),
                     sql.case_sum(in_volume, model.amount_fen))
        .where(model.voided_at.is_null(), model.ordered_day >= since,
               model.ordered_day < ctx.end, ctx.scoped(model.station))
        .group_by(model.station, month)
        .tuples()
    )
    grid: dict[str, dict[str, OrderCell]] = defaultdict(dict)
    for station, key, n, good, gross in rows:
        grid[station][key] = OrderCell(int(n), int(good), int(gross))
    return grid


def _order_refs(ctx: Context, model: type[Model], bad: Expression) -> list[str]:
    if ctx.only is None:
        return []
    rows = model.select(model.uuid).where(
        model.station == ctx.only, model.voided_at.is_null(),
        _counted(model, ctx), bad).order_by(model.ordered_day).tuples()
    return [str(u) for (u,) in rows]


def _override(ctx: Context, part: str) -> dict[str, ScoreOverride]:
    rows = (
        ScoreOverride.select()
        .where(ScoreOverride.voided_at.is_null(), ScoreOverride.part == part,
               ScoreOverride.period == ctx.period.name,
               ctx.scoped(ScoreOverride.station))
        .order_by(ScoreOverride.updated_at)
    )
    return {r.station: r for r in rows}


def _ledger_line(suggested: Fraction, override: ScoreOverride | None,
                 text: str, refs: list[str]) -> tuple[Fraction, Line]:
    if override is None:
        return suggested, Line(text, round_points(suggested), refs)
    value = centi(override.score)
    return value, Line(
        f"{text}；建议 {round_points(suggested)} 分，检查人员改为 {round_points(value)} 分"
        f"（{override.entered_by}：{override.reason}）", round_points(value),
        [str(override.uuid), *refs])


def score_orders(ctx: Context, item: int, grid: dict[str, dict[str, OrderCell]]
                 ) -> dict[str, ItemScore]:
    """Item 7 (purchase) or 8 (sale): volume part + ledger part."""
    model = PurchaseOrder if item == 7 else SaleOrder
    label = "代购" if item == 7 else "代销"
    annual = int(ctx.rules.number(
        "orders", "purchase_target" if item == 7 else "sale_target"))
    vol_max = Fraction(str(ctx.rules.number("orders", "volume_max")))
    led_max = Fraction(str(ctx.rules.number("orders", "ledger_max")))
    overrides = _override(ctx, "purchase_ledger" if item == 7 else "sale_ledger")
    hours = ctx.rules.setting("orders", "entered_within_hours")
    out = {}
    for code in ctx.stations:
        cells = grid.get(code, {}).values()
        n = sum(c.counted for c in cells)
        good = sum(c.good for c in cells)
        target = ctx.target(annual, code)
        if n == 0:
            out[code] = ItemScore(item, round_points(0), [Line(
                f"本期无有效{label}订单（已取消、整单退货的不计），本项不得分",
                round_points(0))])
            continue
        volume = vol_max * min(Fraction(1), Fraction(n, max(target, 1)))
        lines = [Line(f"{label}单量 {n} / 目标 {target} 单", round_points(volume))]
        refs = _order_refs(ctx, model, ~_good(model, ctx))
        ledger, line = _ledger_line(
            led_max * Fraction(good, n), overrides.get(code),
            f"台账齐全且 {hours} 小时内登记：{good} / {n} 单", refs)
        lines.append(line)
        out[code] = ItemScore(item, round_points(volume + ledger), lines)
    return out


@dataclass
class ParcelCell:
    total: int = 0
    on_list: int = 0
    timely: int = 0
    broken: int = 0


def _signed() -> Expression:
    """On a list that is signed: signer and time set (an incoming list is
    open, both NULL, until signed). Never NULL, so that ``~`` is exact."""
    return (Handover.uuid.is_null(False) & (fn.COALESCE(Handover.signer, "") != "")
            & Handover.signed_at.is_null(False) & (Handover.courier_name != ""))


def _handover_join(model: type[Model]) -> Expression:
    return ((Handover.uuid == model.handover) & Handover.voided_at.is_null()
            & Handover.signed_at.is_null(False))


def _timely(model: type[Model], hours: int) -> Expression:
    if model is ParcelIn:
        return ((ParcelIn.notified_at.is_null(False)
                 & (ParcelIn.notified_at - ParcelIn.happened_at <= hours))
                | (ParcelIn.picked_up_at.is_null(False)
                   & (ParcelIn.picked_up_at - ParcelIn.happened_at <= hours)))
    return (ParcelOut.handed_at.is_null(False)
            & (ParcelOut.handed_at - ParcelOut.happened_at <= hours))


def _broken(model: type[Model]) -> Expression:
    broken = model.status.in_(("damaged", "lost"))
    if model is ParcelIn:
        # Damaged on arrival, noted at intake: the courier's, not the station's.
        broken = broken & ~((ParcelIn.status == "damaged") & ParcelIn.damaged_on_arrival)
    return broken


def parcel_grid(ctx: Context) -> dict[str, ParcelCell]:
    hours = int(ctx.rules.number("parcels", "timely_hours") * 3600)
    cells: dict[str, ParcelCell] = defaultdict(ParcelCell)
    for model in (ParcelIn, ParcelOut):
        rows = (
            model.select(model.station, fn.COUNT(model.uuid),
                         sql.case_sum(_signed()), sql.case_sum(_timely(model, hours)),
                         sql.case_sum(_broken(model)))
            .join(Handover, JOIN.LEFT_OUTER, on=_handover_join(model))
            .where(model.voided_at.is_null(), ctx.day_range(model.happened_day),
                   ctx.scoped(model.station))
            .group_by(model.station)
            .tuples()
        )
        for station, total, on_list, timely, broken in rows:
            cell = cells[station]
            cell.total += int(total)
            cell.on_list += int(on_list)
            cell.timely += int(timely)
            cell.broken += int(broken)
    return cells


def _parcel_refs(ctx: Context, condition: str) -> list[str]:
    if ctx.only is None:
        return []
    hours = int(ctx.rules.number("parcels", "timely_hours") * 3600)
    refs = []
    for model in (ParcelIn, ParcelOut):
        bad = {"unlisted": ~_signed(), "late": ~_timely(model, hours),
               "broken": _broken(model)}[condition]
        rows = (model.select(model.uuid)
                .join(Handover, JOIN.LEFT_OUTER, on=_handover_join(model))
                .where(model.station == ctx.only, model.voided_at.is_null(),
                       ctx.day_range(model.happened_day), bad)
                .order_by(model.happened_at).tuples())
        refs.extend(str(u) for (u,) in rows)
    return refs


def _complaints(ctx: Context, kind: str) -> dict[str, list[Complaint]]:
    rows = (
        Complaint.select()
        .where(Complaint.voided_at.is_null(), Complaint.kind == kind,
               Complaint.attributed, ctx.day_range(Complaint.day),
               ctx.scoped(Complaint.station))
        .order_by(Complaint.day)
    )
    found: dict[str, list[Complaint]] = defaultdict(list)
    for row in rows:
        found[row.station].append(row)
    return found


def score_parcels(ctx: Context, cells: dict[str, ParcelCell]) -> dict[str, ItemScore]:
    """Item 9: handover ledger 0–5 + handled in time 0–5, − 1 per complaint."""
    rules = ctx.rules
    hand_max = Fraction(str(rules.number("parcels", "handover_max")))
    time_max = Fraction(str(rules.number("parcels", "timely_max")))
    per_complaint = rules.number("parcels", "complaint")
    share_mode = rules.setting("parcels", "timely_mode") == "share"
    overrides = _override(ctx, "parcel_handover")
    complaints = _complaints(ctx, "service")
    out = {}
    for code in ctx.stations:
        cell = cells.get(code, ParcelCell())
        lines: list[Line] = []
        if cell.total == 0:
            hand = timely = Fraction(0)
            lines.append(Line("本期没有收寄快递记录，台账与时效两部分不得分", round_points(0)))
        else:
            hand, line = _ledger_line(
                hand_max * Fraction(cell.on_list, cell.total), overrides.get(code),
                f"登记在已签字交接清单上的包裹：{cell.on_list} / {cell.total} 件",
                _parcel_refs(ctx, "unlisted"))
            lines.append(line)
            if share_mode:
                timely = time_max * Fraction(cell.timely, cell.total)
            else:
                timely = time_max if cell.timely == cell.total else Fraction(0)
            lines.append(Line(
                f"24 小时内通知取件或交寄的包裹：{cell.timely} / {cell.total} 件",
                round_points(timely), _parcel_refs(ctx, "late")))
        score = round_points(hand + timely)
        for c in complaints.get(code, []):
            lines.append(Line(f"{c.day} 因站点服务不到位被投诉{_note(c)}",
                              -per_complaint, [str(c.uuid)]))
            score -= per_complaint
        if score < 0:
            lines.append(Line("扣分超过本项分值，本项最低 0 分", -score))
            score = Decimal(0)
        out[code] = ItemScore(9, round_points(score), lines)
    return out


def _note(c: Complaint) -> str:
    return f"（{c.note}）" if c.note else ""


def score_custody(ctx: Context, cells: dict[str, ParcelCell]) -> dict[str, ItemScore]:
    """Item 11: 5 if no parcel damaged or lost at the station, 5 if no
    damage or loss complaint; a parcel damaged on arrival does not count."""
    parcels_max = ctx.rules.number("custody", "parcels_max")
    complaints_max = ctx.rules.number("custody", "complaints_max")
    complaints = _complaints(ctx, "damage_loss")
    on_arrival = _damaged_on_arrival(complaints)
    out = {}
    for code in ctx.stations:
        cell = cells.get(code, ParcelCell())
        lines = []
        if cell.broken:
            lines.append(Line(f"站内保管的包裹损坏或遗失 {cell.broken} 件", Decimal(0),
                              _parcel_refs(ctx, "broken")))
            score = Decimal(0)
        else:
            lines.append(Line("包裹无损坏、遗失", parcels_max))
            score = parcels_max
        counted = [c for c in complaints.get(code, [])
                   if (code, c.tracking_no) not in on_arrival]
        if counted:
            lines.append(Line(f"包裹损坏、遗失投诉 {len(counted)} 件", Decimal(0),
                              [str(c.uuid) for c in counted]))
        else:
            lines.append(Line("无包裹损坏、遗失投诉", complaints_max))
            score += complaints_max
        out[code] = ItemScore(11, round_points(score), lines)
    return out


def _damaged_on_arrival(complaints: dict[str, list[Complaint]]) -> set[tuple[str, str]]:
    """(station, tracking number) of complained parcels noted damaged at intake."""
    wanted = {c.tracking_no for found in complaints.values() for c in found
              if c.tracking_no}
    if not wanted:
        return set()
    rows = ParcelIn.select(ParcelIn.station, ParcelIn.tracking_no).where(
        ParcelIn.tracking_no.in_(sorted(wanted)), ParcelIn.damaged_on_arrival,
        ParcelIn.voided_at.is_null()).tuples()
    return set(rows)
