"""Center routes: assessments and the center's own records over HTTP.

Every route takes the signed-in staff account from the sync server's
``require_staff(*roles)``; reading needs any staff role, entering records
an inspector or admin, publishing a quarter an admin. The server's rules
file is ``app.state.rules`` when the server set one (``--rules FILE``),
else the shipped default.
"""

from __future__ import annotations

from typing import Any, Callable, Literal, NoReturn

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response

from station_tui.assessment import publish, snapshots
from station_tui.assessment.engine import assess
from station_tui.assessment.rules import Rules, load_rules
from station_tui.assessment.volumes import publish_quarter
from station_tui.domain import clock
from station_tui.errors import NotFoundError, RuleError, StationError
from station_tui.operations import center_ops


def _staff(*roles: str) -> Callable[..., Any]:
    """The sync server's staff check for ``roles``; refuses every request
    when the server's authentication is not installed."""
    try:
        from sync.server.auth import require_staff
    except ModuleNotFoundError:
        def unavailable() -> NoReturn:
            raise HTTPException(503, "staff authentication is not installed")

        return unavailable
    return require_staff(*roles)


READ = _staff("admin", "inspector", "viewer")
WRITE = _staff("admin", "inspector")
ADMIN = _staff("admin")

router = APIRouter(prefix="/center", tags=["center"])

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def _rules(request: Request) -> Rules:
    rules = getattr(request.app.state, "rules", None)
    return rules if isinstance(rules, Rules) else load_rules()


def _http(exc: StationError) -> HTTPException:
    status = 404 if isinstance(exc, NotFoundError) else (
        409 if isinstance(exc, RuleError) else 422)
    return HTTPException(status, {"message": exc.message, "field": exc.field})


@router.get("/assessments/{period}")
def get_assessment(period: str, request: Request,
                   format: Literal["json", "csv", "xlsx", "html"] = "json",
                   full: bool = False, station: str | None = None,
                   _: Any = Depends(READ)) -> Response:
    """A period's assessment; ``station`` traces one station's every point."""
    try:
        result = assess(period, _rules(request), only=station)
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
                   account: Any = Depends(ADMIN)) -> dict[str, Any]:
    """Store each station's latest result, to be pulled down to it."""
    try:
        result = assess(period, _rules(request))
    except StationError as exc:
        raise _http(exc) from None
    return {"period": result.period, "stations": snapshots.store(
        result, staff=account.name)}


@router.get("/preview/{station}")
def get_preview(station: str, request: Request, period: str | None = None,
                _: Any = Depends(READ)) -> Response:
    """A station's own items "if the period ended today" (default: this year)."""
    today = clock.local_date(clock.now())
    try:
        result = assess(period or str(today.year), _rules(request), as_of=today,
                        only=station)
    except StationError as exc:
        raise _http(exc) from None
    return Response(publish.to_json(result), media_type="application/json")


@router.post("/records/{kind}", status_code=201)
def post_record(kind: str, values: dict[str, Any] = Body(...),
                account: Any = Depends(WRITE)) -> dict[str, Any]:
    try:
        record = center_ops.enter(kind, values, staff=account.name)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(record.uuid), "kind": kind, "entered_by": account.name}


@router.post("/records/{kind}/{record_id}/void")
def void_record(kind: str, record_id: str, reason: str = Body(..., embed=True),
                account: Any = Depends(WRITE)) -> dict[str, Any]:
    try:
        record = center_ops.void(kind, record_id, staff=account.name, reason=reason)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(record.uuid), "voided": True}


@router.post("/clock-flags/{flag_id}/accept")
def accept_report(flag_id: str, note: str = Body(..., embed=True),
                  account: Any = Depends(WRITE)) -> dict[str, Any]:
    try:
        flag = center_ops.accept_clock_flag(flag_id, staff=account.name, note=note)
    except StationError as exc:
        raise _http(exc) from None
    return {"uuid": str(flag.uuid), "accepted_by": flag.accepted_by}


@router.post("/rankings/{quarter}/publish", status_code=201)
def publish_ranking(quarter: str, request: Request,
                    account: Any = Depends(ADMIN)) -> dict[str, Any]:
    try:
        done = publish_quarter(quarter, staff=account.name,
                               rules_hash=_rules(request).hash)
    except StationError as exc:
        raise _http(exc) from None
    return {"quarter": done.quarter, "published_at": done.published_at}


__all__ = ["router", "READ", "WRITE", "ADMIN"]
