"""Routes the center console reads: who is signed in, stations a page at a
time from the status row ingest keeps current, one station's ledgers by
month, and the center's records of a kind.

Lists are paged by keyset (``after`` the last station code), so the first
page of 30,000 stations costs the same as of 30.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Query, Request
from peewee import JOIN, Model, fn
from playhouse.shortcuts import model_to_dict

from station_tui.assessment import sql
from station_tui.domain import clock
from station_tui.errors import NotFoundError, RuleError, StationError
from station_tui.operations import center_ops
from station_tui.records import STATION_RECORDS, PurchaseOrder, SaleOrder
from station_tui.records.center import (
    Attendance,
    CenterStation,
    ClockFlag,
    Partner,
    StationStatus,
)
from sync.server import station_status
from sync.server.accounts import Principal
from sync.server.auth import require_staff

router = APIRouter(prefix="/console", tags=["console"])

READ = require_staff("admin", "inspector", "viewer")
WRITE = require_staff("admin", "inspector")

#: Center record kinds the console lists (center_ops kinds and clock flags).
LISTABLE: dict[str, type[Model]] = {
    **center_ops._MODELS, "clock_flag": ClockFlag,
}
#: Partners counted as the station's current partner.
SERVING = ("active", "warned", "rectifying")


def install(app: FastAPI) -> None:
    """Add the console routes and make sure the status rows exist."""
    db = app.state.db
    station_status.backfill(db)
    with db.connection_context():
        for name, columns in (("console_station_town", "town, code"),
                              ("console_station_status", "status, code")):
            db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" '
                           f'ON "center_station" ({columns})')
    app.include_router(router)


@router.get("/me")
def me(principal: Principal = Depends(READ)) -> dict[str, Any]:
    """The signed-in staff account and its role."""
    return {"name": principal.name, "role": principal.role}


@router.get("/towns")
def towns(request: Request, _: Principal = Depends(READ)) -> list[dict[str, Any]]:
    """Townships with their number of stations, for the filter."""
    query = (CenterStation.select(CenterStation.town, fn.COUNT(CenterStation.code))
             .group_by(CenterStation.town).order_by(CenterStation.town).tuples())
    with request.app.state.db.connection_context():
        return [{"town": town, "stations": n} for town, n in query]


def _station_rows(query: Any) -> list[dict[str, Any]]:
    """Registry and status columns, plus partner and open clock flags."""
    rows = list(query.dicts())
    codes = [r["code"] for r in rows]
    partners: dict[str, str] = {}
    flags: dict[str, int] = {}
    if codes:
        partners = dict(
            Partner.select(Partner.station, fn.MIN(Partner.name))
            .where(Partner.station.in_(codes), Partner.status.in_(SERVING),
                   Partner.voided_at.is_null())
            .group_by(Partner.station).tuples())
        flags = dict(
            ClockFlag.select(ClockFlag.station, fn.COUNT(ClockFlag.uuid))
            .where(ClockFlag.station.in_(codes), ClockFlag.accepted_by.is_null(),
                   ClockFlag.voided_at.is_null())
            .group_by(ClockFlag.station).tuples())
    for row in rows:
        row["partner"] = partners.get(row["code"], "")
        row["open_clock_flags"] = flags.get(row["code"], 0)
        row["clock_flagged"] = bool(row["clock_flagged"])
        row["set_aside"] = row["set_aside"] or 0
        row["active_from"] = str(row["active_from"])
        row["active_until"] = str(row["active_until"]) if row["active_until"] else None
    return rows


def _station_query() -> Any:
    return (CenterStation.select(
        CenterStation.code, CenterStation.name, CenterStation.town,
        CenterStation.village, CenterStation.level, CenterStation.status,
        CenterStation.active_from, CenterStation.active_until,
        StationStatus.last_received_at, StationStatus.clock_offset,
        StationStatus.clock_flagged, StationStatus.set_aside,
        StationStatus.changes_waiting)
        .join(StationStatus, JOIN.LEFT_OUTER,
              on=(StationStatus.code == CenterStation.code)))


@router.get("/stations")
def stations(request: Request, town: str | None = None, status: str | None = None,
             q: str | None = None, after: str | None = None,
             limit: int = Query(50, ge=1, le=500),
             _: Principal = Depends(READ)) -> dict[str, Any]:
    """One page of stations in code order, filtered; ``next`` pages on."""
    where = []
    if town:
        where.append(CenterStation.town == town)
    if status:
        where.append(CenterStation.status == status)
    if q and q.strip():
        text = q.strip()
        where.append(CenterStation.code.startswith(text)
                     | CenterStation.name.contains(text))
    query = _station_query()
    count = CenterStation.select()
    for condition in where:
        query = query.where(condition)
        count = count.where(condition)
    if after:
        query = query.where(CenterStation.code > after)
    query = query.order_by(CenterStation.code).limit(limit)
    with request.app.state.db.connection_context():
        rows = _station_rows(query)
        total = count.count() if after is None else None
    more = len(rows) == limit
    return {"rows": rows, "next": rows[-1]["code"] if more else None,
            "total": total}


def _monthly(model: Any, year: int, code: str) -> dict[str, int]:
    month = sql.month_key(model.happened_day)
    query = (model.select(month, fn.COUNT(model.uuid))
             .where(model.station == code, model.voided_at.is_null(),
                    model.happened_day >= date(year, 1, 1),
                    model.happened_day < date(year + 1, 1, 1))
             .group_by(month).tuples())
    return {key: n for key, n in query}


def _monthly_fen(model: Any, year: int, code: str) -> dict[str, int]:
    month = sql.month_key(model.ordered_day)
    query = (model.select(month, fn.SUM(model.amount_fen))
             .where(model.station == code, model.voided_at.is_null(),
                    model.status != "cancelled",
                    model.ordered_day >= date(year, 1, 1),
                    model.ordered_day < date(year + 1, 1, 1))
             .group_by(month).tuples())
    return {key: int(fen or 0) for key, fen in query}


@router.get("/stations/{code}")
def station(code: str, request: Request, year: int | None = None,
            _: Principal = Depends(READ)) -> dict[str, Any]:
    """One station: registry and sync status, each ledger counted by month."""
    year = year or clock.local_date(clock.now()).year
    with request.app.state.db.connection_context():
        rows = _station_rows(_station_query().where(CenterStation.code == code))
        if not rows:
            raise HTTPException(404, {"message": f"站点“{code}”不存在",
                                      "field": "station"})
        ledgers = {m.record_kind(): _monthly(m, year, code)
                   for m in STATION_RECORDS if m.record_kind() != "villager"}
        amounts = {"purchase_fen": _monthly_fen(PurchaseOrder, year, code),
                   "sale_fen": _monthly_fen(SaleOrder, year, code)}
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return {"station": rows[0], "year": year, "months": months,
            "ledgers": ledgers, "amounts": amounts}


def _plain(record: Model) -> dict[str, Any]:
    out = model_to_dict(record, recurse=False)
    return {k: (str(v) if isinstance(v, (uuid.UUID, date)) else v)
            for k, v in out.items()}


@router.get("/records/{kind}")
def records(kind: str, request: Request, station: str | None = None,
            session: str | None = None, campaign: str | None = None,
            partner: str | None = None, voided: bool = False,
            limit: int = Query(500, ge=1, le=20000),
            _: Principal = Depends(READ)) -> list[dict[str, Any]]:
    """The center's records of ``kind``, newest entered first."""
    model: Any = LISTABLE.get(kind)
    if model is None:
        raise HTTPException(404, {"message": f"记录类型“{kind}”无效", "field": "kind"})
    query = model.select().order_by(model.entered_at.desc()).limit(limit)
    if not voided:
        query = query.where(model.voided_at.is_null())
    for name, value in (("station", station), ("session", session),
                        ("campaign", campaign), ("partner", partner)):
        if value and name in model._meta.fields:
            query = query.where(getattr(model, name) == value)
    with request.app.state.db.connection_context():
        return [_plain(r) for r in query]


@router.get("/record/{record_id}")
def record(record_id: str, request: Request,
           _: Principal = Depends(READ)) -> dict[str, Any]:
    """One center or station record by its UUID, wherever it is kept."""
    try:
        key = uuid.UUID(record_id)
    except ValueError:
        raise HTTPException(404, {"message": f"记录“{record_id}”不存在",
                                  "field": "id"}) from None
    candidates: list[tuple[str, Any]] = [*LISTABLE.items()] + [
        (m.record_kind(), m) for m in STATION_RECORDS if m.record_kind() != "villager"]
    with request.app.state.db.connection_context():
        for kind, model in candidates:
            found = model.get_or_none(model.uuid == key)
            if found is not None:
                return {"kind": kind, "record": _plain(found)}
    raise HTTPException(404, {"message": f"记录“{record_id}”不存在", "field": "id"})


@router.post("/attendance", status_code=201)
def attendance(request: Request, values: dict[str, Any] = Body(...),
               account: Principal = Depends(WRITE)) -> dict[str, Any]:
    """Set one station's attendance at one session, replacing any earlier
    record (voided with the reason) in the same transaction."""
    db = request.app.state.db
    try:
        with db.connection_context(), db.atomic():
            earlier = Attendance.select().where(
                Attendance.session == _uuid(values.get("session")),
                Attendance.station == str(values.get("station", "")),
                Attendance.voided_at.is_null())
            for old in earlier:
                center_ops.void("attendance", str(old.uuid), staff=account.name,
                                reason="控制台改为新的出勤记录")
            entered = center_ops.enter("attendance", values, staff=account.name)
    except StationError as exc:
        status = 404 if isinstance(exc, NotFoundError) else (
            409 if isinstance(exc, RuleError) else 422)
        raise HTTPException(status, {"message": exc.message,
                                     "field": exc.field}) from None
    return {"uuid": str(entered.uuid), "kind": "attendance",
            "entered_by": account.name}


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


__all__ = ["router", "install"]
