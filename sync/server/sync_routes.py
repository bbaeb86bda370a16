"""The stations' side of the API: push, pull, and reading records back."""

from __future__ import annotations

import uuid
import zlib
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from station_tui.domain import clock
from station_tui.records.server import SERVER_RECORDS, ServerSetting
from sync.server.accounts import Principal
from sync.server.auth import current_principal, refuse, require_station_principal
from sync.server.ingest import IngestRefused, ingest
from sync.wire import (
    BatchAck,
    CenterChange,
    Problem,
    PullReply,
    RecordPage,
    center_models_by_kind,
    to_wire,
    wire_field_names,
)

router = APIRouter(prefix="/api/v1", tags=["sync"])

#: A pull hands back everything changed since a little before the last
#: one, so a record committed late by a slow transaction on another
#: worker, stamped before the last pull, is still picked up.
PULL_OVERLAP_S = 300
MAX_BODY = 64 * 1024 * 1024
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 413, 422, 426)
}


async def _body(request: Request) -> bytes:
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_BODY:
        raise HTTPException(413, "同步批次过大，请减少每批条数")
    body = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, MAX_BODY)
        except zlib.error:
            raise HTTPException(400, "同步批次压缩数据损坏") from None
        if inflater.unconsumed_tail:
            raise HTTPException(413, "同步批次过大，请减少每批条数")
    return body


@router.post(
    "/sync/push", response_model=BatchAck, responses=_ERRORS,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}}}},
)
async def push(request: Request,
               principal: Principal = Depends(require_station_principal())
               ) -> Response:
    """Apply a batch of outbox changes; answer once it is committed.

    The body is a ``Batch`` (may be gzip-compressed). Applying is
    idempotent by (record uuid, version).
    """
    body = await _body(request)
    try:
        ack = await run_in_threadpool(ingest, request.app.state.db, body, principal)
    except IngestRefused as exc:
        if exc.status in (401, 403):
            refuse(request, exc.status, exc.detail, exc.why, principal)
        raise HTTPException(exc.status, exc.detail) from None
    return Response(ack.model_dump_json(), media_type="application/json")


def _phone_key() -> str:
    """The county key for phone hashes, made by the schema's first step."""
    return ServerSetting.get_by_id("phone_key").value


def _pull_rows(code: str, since: int, key: bytes) -> list[CenterChange]:
    changes = []
    for kind, model in center_models_by_kind().items():
        query = (model.select()
                 .where((model.station.is_null()) | (model.station == code),
                        model.updated_at >= since)
                 .order_by(model.updated_at))
        for row in query.dicts().iterator():
            changes.append(CenterChange(kind=kind, record=to_wire(model, row, key)))
    return changes


@router.get("/sync/pull", response_model=PullReply, responses=_ERRORS)
def pull(request: Request, since: int = Query(0, ge=0),
         principal: Principal = Depends(require_station_principal())) -> Response:
    """Center records for this station (and for all) changed since ``since``,
    the county phone-hash key and the rules file."""
    now = clock.now()
    with request.app.state.db.connection_context():
        key = _phone_key()
        records = _pull_rows(principal.name, since, bytes.fromhex(key))
    reply = PullReply(
        server_time=now, since=since, next_since=max(0, now - PULL_OVERLAP_S),
        phone_key=key, records=records, rules_text=request.app.state.rules_text,
        rules_version=request.app.state.rules_version,
    )
    return Response(reply.model_dump_json(), media_type="application/json")


@router.get("/records/{kind}", response_model=RecordPage, responses=_ERRORS)
def records(request: Request, kind: str, station: str | None = None,
            after: uuid.UUID | None = None, limit: int = Query(1000, ge=1, le=5000),
            principal: Principal = Depends(current_principal)) -> Response:
    """One kind of station records, ordered by uuid, a page at a time.

    A station reads only its own records (this is how ``restore`` rebuilds
    a PC); staff of any role read every station's.
    """
    model = SERVER_RECORDS.get(kind)
    if model is None:
        raise HTTPException(404, f"没有“{kind}”这类记录")
    if principal.kind == "station":
        if station not in (None, principal.name):
            refuse(request, 403, "站点只能读取本站的数据",
                   f"station {principal.name} read {station}", principal)
        station = principal.name
    fields = [model._meta.fields[name] for name in wire_field_names(model.__base__)]
    query = model.select(*fields).order_by(model.uuid).limit(limit)
    if station is not None:
        query = query.where(model.station == station)
    if after is not None:
        query = query.where(model.uuid > after)
    with request.app.state.db.connection_context():
        rows = list(query.dicts())
    page = RecordPage(kind=kind, records=rows,
                      next_after=str(rows[-1]["uuid"]) if len(rows) == limit else None)
    return Response(page.model_dump_json(), media_type="application/json")


@router.get("/me", responses=_ERRORS)
def me(principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Who this token belongs to: check a token without changing anything."""
    return {"kind": principal.kind, "name": principal.name, "role": principal.role,
            "token_id": principal.token_id}
