"""Staff accounts, station registrations and their tokens.

A token reads ``<token id>.<secret>``. Only a SHA-256 of the secret is
stored: secrets are 256 random bits, so a fast hash is enough, and the id
lets a token be found and revoked without knowing the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from station_tui.domain import clock
from station_tui.errors import InputError, NotFoundError
from station_tui.records.center import CenterStation
from station_tui.storage.db import write_txn
from station_tui.records.server import ApiToken, StaffAccount

Role = Literal["admin", "inspector", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "inspector", "viewer")


@dataclass(frozen=True)
class Principal:
    """Who a valid token belongs to."""

    token_id: str
    kind: Literal["staff", "station"]
    name: str
    role: str | None = None

    @property
    def station(self) -> str | None:
        return self.name if self.kind == "station" else None

    @property
    def label(self) -> str:
        """How records entered with this token name their author."""
        return f"{self.kind}:{self.name}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(kind: Literal["staff", "station"], subject: str,
                created_by: str) -> tuple[str, str]:
    """Make a token; returns (token id, the full token to hand over once)."""
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    ApiToken.create(token_id=token_id, secret_hash=_digest(secret), kind=kind,
                    subject=subject, created_at=clock.now(), created_by=created_by)
    return token_id, f"{token_id}.{secret}"


def add_user(name: str, role: str, created_by: str = "cli") -> tuple[str, str]:
    """Create a staff account (or give an existing one a new role) and a token."""
    name = name.strip()
    if not name:
        raise InputError("请填写账户名", field="name")
    if role not in ROLES:
        raise InputError(f"角色“{role}”无效：admin、inspector 或 viewer", field="role")
    with write_txn():
        StaffAccount.insert(name=name, role=role, created_at=clock.now(),
                            created_by=created_by).on_conflict(
            conflict_target=[StaffAccount.name],
            update={StaffAccount.role: role},
        ).execute()
        return issue_token("staff", name, created_by)


def add_station(code: str, name: str, town: str, village: str,
                created_by: str = "cli") -> tuple[str, str, bool]:
    """Register a station (or find it) and issue it a token.

    Returns (token id, token, whether the station was new). An existing
    station gets a new token, for a PC rebuilt after its token was lost.
    """
    code = code.strip()
    if not code:
        raise InputError("请填写站点编码", field="code")
    with write_txn():
        created = CenterStation.get_or_none(CenterStation.code == code) is None
        if created:
            CenterStation.create(
                code=code, name=name, town=town, village=village,
                active_from=clock.local_date(clock.now()),
                created_at=clock.now(), created_by=created_by,
            )
        token_id, token = issue_token("station", code, created_by)
    return token_id, token, created


def revoke(token_id: str) -> ApiToken:
    with write_txn():
        token = ApiToken.get_or_none(ApiToken.token_id == token_id)
        if token is None:
            raise NotFoundError(f"没有编号为“{token_id}”的令牌")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save()
    return token


def verify(token: str) -> tuple[Principal | None, str]:
    """The principal of ``token``, or None and why it was refused."""
    token_id, _, secret = token.partition(".")
    row = ApiToken.get_or_none(ApiToken.token_id == token_id) if secret else None
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None, "unknown token"
    if row.revoked_at is not None:
        return None, f"revoked token {token_id}"
    role = None
    if row.kind == "staff":
        account = StaffAccount.get_or_none(StaffAccount.name == row.subject)
        if account is None:
            return None, f"token {token_id} of a missing account"
        role = account.role
    return Principal(token_id, row.kind, row.subject, role), ""
