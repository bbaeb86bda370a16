"""The staff's side of the sync API: stations' sync state, refused
changes, and the notices and report requests sent down to stations."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from peewee import fn
from pydantic import BaseModel, Field, ValidationError

from station_tui.domain import clock
from station_tui.records.center import CenterStation, Notice, ReportRequest
from station_tui.storage.db import write_txn
from sync.server.accounts import Principal
from sync.server.auth import require_staff
from sync.server.ingest import CLOCK_TOLERANCE_S
from station_tui.records.server import SyncBatch, SyncRefusal
from sync.wire import Problem, record_wire_model

router = APIRouter(prefix="/api/v1", tags=["center"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 403, 404, 422)
}

#: Center records staff enter through this generic route; the assessment's
#: own records have their own routes with their own rules.
POSTABLE = {m._meta.table_name: m for m in (Notice, ReportRequest)}


class StationSync(BaseModel):
    code: str
    name: str
    town: str
    village: str
    status: str
    last_received_at: int | None = None
    clock_offset: int | None = None
    clock_flagged: bool = Field(
        False, description=f"the last batch's clock was > {CLOCK_TOLERANCE_S}s off"
    )


@router.get("/stations", response_model=list[StationSync], responses=_ERRORS)
def stations(request: Request,
             _: Principal = Depends(require_staff())) -> list[StationSync]:
    """Every registered station with its last batch and clock check."""
    latest = (SyncBatch.select(SyncBatch.station,
                               fn.MAX(SyncBatch.received_at).alias("last"))
              .group_by(SyncBatch.station).alias("latest"))
    query = (SyncBatch.select(SyncBatch.station, SyncBatch.received_at,
                              SyncBatch.clock_offset, SyncBatch.clock_flagged)
             .join(latest, on=(SyncBatch.station == latest.c.station)
                   & (SyncBatch.received_at == latest.c.last)))
    with request.app.state.db.connection_context():
        last = {row.station: row for row in query}
        rows = list(CenterStation.select().order_by(CenterStation.code))
    out = []
    for st in rows:
        batch = last.get(st.code)
        out.append(StationSync(
            code=st.code, name=st.name, town=st.town, village=st.village,
            status=st.status,
            last_received_at=batch.received_at if batch else None,
            clock_offset=batch.clock_offset if batch else None,
            clock_flagged=bool(batch.clock_flagged) if batch else False,
        ))
    return out


@router.get("/sync/refusals", responses=_ERRORS)
def refusals(request: Request, station: str | None = None, limit: int = 200,
             _: Principal = Depends(require_staff())) -> list[dict[str, Any]]:
    """Changes the server set aside, newest first."""
    query = SyncRefusal.select().order_by(SyncRefusal.id.desc()).limit(limit)
    if station:
        query = query.where(SyncRefusal.station == station)
    with request.app.state.db.connection_context():
        return list(query.dicts())


def _postable(kind: str) -> Any:
    model = POSTABLE.get(kind)
    if model is None:
        raise HTTPException(404, f"不能通过此接口登记“{kind}”")
    return model


@router.post("/center-records/{kind}", status_code=201, responses=_ERRORS)
def create_center_record(
    request: Request, kind: Literal["notice", "report_request"],
    fields: dict[str, Any],
    user: Principal = Depends(require_staff("admin", "inspector")),
) -> dict[str, Any]:
    """Enter a notice or a report request; ``station`` null sends it to all."""
    model = _postable(kind)
    now = clock.now()
    data = {**fields, "uuid": str(uuid.uuid4()), "version": 1, "entered_by": user.name,
            "entered_at": now, "updated_at": now, "voided_at": None,
            "void_reason": None}
    try:
        record = record_wire_model(model).model_validate(data)
    except ValidationError as exc:
        raise HTTPException(422, [e["msg"] for e in exc.errors()]) from None
    with request.app.state.db.connection_context(), write_txn():
        model.insert(record.model_dump()).execute()
    return record.model_dump(mode="json")


@router.get("/center-records/{kind}", responses=_ERRORS)
def list_center_records(request: Request, kind: Literal["notice", "report_request"],
                        _: Principal = Depends(require_staff())
                        ) -> list[dict[str, Any]]:
    model = _postable(kind)
    with request.app.state.db.connection_context():
        rows = model.select().order_by(model.entered_at.desc()).limit(500)
        return [record_wire_model(model).model_validate(r).model_dump(mode="json")
                for r in rows.dicts()]
