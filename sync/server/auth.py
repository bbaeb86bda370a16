"""Who is asking: bearer tokens for stations and staff.

Routes declare what they need as a dependency::

    @router.get("/x")
    def x(user: Principal = Depends(require_staff("admin", "inspector"))): ...

    @router.get("/y")
    def y(code: str = Depends(require_station())): ...

Every refusal is a 401 (no usable token) or 403 (a valid token that may not
do this), logged at WARNING with the path and the token id, never the
secret.
"""

from __future__ import annotations

import logging
from typing import Callable, NoReturn

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.server.accounts import Principal, verify

log = logging.getLogger(__name__)

_bearer = HTTPBearer(
    auto_error=False,
    description="站点令牌或中心工作人员令牌：Authorization: Bearer <令牌>",
)


def refuse(request: Request, status: int, detail: str, why: str,
           principal: Principal | None = None) -> NoReturn:
    """Log a refusal and answer it."""
    host = request.client.host if request.client else "?"
    who = principal.token_id if principal else "-"
    log.warning("refused %s %s with %d: %s (token %s, from %s)",
                request.method, request.url.path, status, why, who, host)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    raise HTTPException(status, detail, headers=headers)


def current_principal(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> Principal:
    """Any valid, unrevoked token."""
    if credentials is None:
        refuse(request, 401, "需要令牌：请在站点“中心”界面按 Ctrl+O 填写中心发放的令牌", "no token")
    with request.app.state.db.connection_context():
        principal, why = verify(credentials.credentials)
    if principal is None:
        refuse(request, 401, "令牌无效或已被吊销，请向中心索取新令牌", why)
    return principal


def require_staff(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting staff in one of ``roles`` (any role if none)."""

    def dependency(request: Request,
                   principal: Principal = Depends(current_principal)) -> Principal:
        if principal.kind != "staff":
            refuse(request, 403, "站点令牌不能访问中心功能", "station token", principal)
        if roles and principal.role not in roles:
            refuse(request, 403, f"角色“{principal.role}”无权进行此操作",
                   f"role {principal.role} not in {roles}", principal)
        return principal

    return dependency


def require_station_principal() -> Callable[..., Principal]:
    """A dependency admitting station tokens only; gives the principal."""

    def dependency(request: Request,
                   principal: Principal = Depends(current_principal)) -> Principal:
        if principal.kind != "station":
            refuse(request, 403, "此接口只供站点使用", "staff token", principal)
        return principal

    return dependency


def require_station() -> Callable[..., str]:
    """A dependency admitting station tokens only; gives the station code."""
    inner = require_station_principal()

    def dependency(principal: Principal = Depends(inner)) -> str:
        return principal.name

    return dependency
