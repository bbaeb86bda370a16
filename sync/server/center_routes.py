"""Center routes: assessments and the center's own records over HTTP.

Every route takes the signed-in staff account from ``require_staff``;
reading needs any staff role, entering records an inspector or admin,
publishing a quarter or storing snapshots an admin. The rules are the
server's (``app.state.rules``, loaded once at start from ``--rules FILE``
or the shipped default). Each request opens its own pooled connection
(``_database``), and every write is one IMMEDIATE transaction on SQLite,
so several workers answer alike.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response

from station_tui.assessment import publish, snapshots
from station_tui.assessment.engine import assess, assess_today
from station_tui.assessment.rules import Rules
from station_tui.assessment.volumes import publish_quarter
from station_tui.domain import clock
from station_tui.errors import NotFoundError, RuleError, StationError
from station_tui.operations import center_ops
from station_tui.records.center import ClockFlag
from station_tui.storage.db import write_txn
from sync.server.accounts import Principal
from sync.server.auth import require_staff

READ = require_staff("admin", "inspector", "viewer")
WRITE = require_staff("admin", "inspector")
ADMIN = require_staff("admin")

router = APIRouter(prefix="/center", tags=["center"])

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@contextmanager
def _database(request: Request, *, write: bool = False) -> Iterator[None]:
    """This request's own pooled connection; a write also holds one write
    transaction (IMMEDIATE on SQLite, so two workers wait, not fail)."""
    db = request.app.state.db
    with db.connection_context():
        if write:
            with write_txn(db):
                yield
        else:
            yield


def _rules(request: Request) -> Rules:
    rules: Rules = request.app.state.rules
    return rules


def _http(exc: StationError) -> HTTPException:
    status = 404 if isinstance(exc, NotFoundError) else (
        409 if isinstance(exc, RuleError) else 422)
    return HTTPException(status, {"message": exc.message, "field": exc.field})


@router.get("/assessments/{period}")
def get_assessment(period: str, request: Request,
                   format: Literal["json", "csv", "xlsx", "html"] = "json",
                   full: bool = False, station: str | None = None,
                   _: Principal = Depends(READ)) -> Response:
    """A period's assessment; ``station`` traces one station's every point."""
    try:
        with _database(request):
            result = assess_today(period, _rules(request), only=station)
    except StationError as exc:
        raise _http(exc) from None
    if format == "json":
        return Response(publish.to_json(result), media_type="application/json")
    body = publish.WRITERS[format](result, full)
    name = f"assessment-{result.period}{'-full' if full else ''}.{format}"
    return Response(body, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/assessments/{period}/snapshots", status_code=201)
def post_snapshots(period: str, request: Request,
                   account: Principal = Depends(ADMIN)) -> dict[str, Any]:
    """Store each station's latest result, to be pulled down to it."""
    try:
        with _database(request):
            result = assess_today(period, _rules(request))
        with _database(request, write=True):
            stored = snapshots.store(result, staff=account.name)
    except StationError as exc:
        raise _http(exc) from None
    return {"period": result.period, "stations": stored,
            "warnings": result.warnings}


@router.get("/preview/{station}")
def get_preview(station: str, request: Request, period: str | None = None,
                _: Principal = Depends(READ)) -> Response:
    """A station's own items "if the period ended today" (default: this year)."""
    today = clock.local_date(clock.now())
    try:
        with _database(request):
            result = assess(period or str(today.year), _rules(request),
                            as_of=today, only=station)
    except StationError as exc:
        raise _http(exc) from None
    return Response(publish.to_json(result), media_type="application/json")


@router.post("/records/{kind}", status_code=201)
def post_record(kind: str, request: Request, values: dict[str, Any] = Body(...),
                account: Principal = Depends(WRITE)) -> dict[str, Any]:
    """Enter one center record (``center_ops.enter`` checks its values)."""
    try:
        with _database(request, write=True):
            record = center_ops.enter(kind, values, staff=account.name)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(record.uuid), "kind": kind, "entered_by": account.name}


@router.post("/records/{kind}/{record_id}/void")
def void_record(kind: str, record_id: str, request: Request,
                reason: str = Body(..., embed=True),
                account: Principal = Depends(WRITE)) -> dict[str, Any]:
    try:
        with _database(request, write=True):
            record = center_ops.void(kind, record_id, staff=account.name,
                                     reason=reason)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(record.uuid), "voided": True}


@router.get("/clock-flags")
def list_clock_flags(request: Request, station: str | None = None,
                     open_only: bool = True,
                     _: Principal = Depends(READ)) -> list[dict[str, Any]]:
    """Reports that arrived in batches flagged for clock skew, oldest first;
    ``open_only`` leaves out those an inspector already accepted."""
    query = (ClockFlag.select().where(ClockFlag.voided_at.is_null())
             .order_by(ClockFlag.received_at, ClockFlag.uuid))
    if station is not None:
        query = query.where(ClockFlag.station == station)
    if open_only:
        query = query.where(ClockFlag.accepted_by.is_null())
    with _database(request):
        rows = list(query.dicts())
    return [{**row, "uuid": str(row["uuid"]), "record": str(row["record"])}
            for row in rows]


@router.post("/clock-flags/{flag_id}/accept")
def accept_report(flag_id: str, request: Request,
                  note: str = Body(..., embed=True),
                  account: Principal = Depends(WRITE)) -> dict[str, Any]:
    """Accept a flagged report: it counts by its own submission time again."""
    try:
        with _database(request, write=True):
            flag = center_ops.accept_clock_flag(flag_id, staff=account.name,
                                                note=note)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(flag.uuid), "accepted_by": flag.accepted_by}


@router.post("/rankings/{quarter}/publish", status_code=201)
def publish_ranking(quarter: str, request: Request,
                    account: Principal = Depends(ADMIN)) -> dict[str, Any]:
    try:
        with _database(request, write=True):
            done = publish_quarter(quarter, staff=account.name,
                                   rules_hash=_rules(request).hash)
    except StationError as exc:
        raise _http(exc) from None
    return {"quarter": done.quarter, "published_at": done.published_at}


__all__ = ["router", "READ", "WRITE", "ADMIN"]
