"""One sync round (pull, then push) and the status the app shows.

Pull comes first because it brings the county key that phone hashes in the
push need. Every round is logged in ``SyncRound`` whether it went through
or not, so the status line can say when the last good one was.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

from station_tui.domain import clock
from station_tui.operations.station import get_setting, require_profile
from station_tui.records import Outbox, SyncRound
from station_tui.storage.db import write_txn
from sync.client.http import CenterClient
from sync.client.pull import phone_key, pull_center
from sync.client.push import BATCH_SIZE, Progress, pending_query, push_outbox
from sync.errors import ServerRefused, SyncError

log = logging.getLogger(__name__)

CLOCK_TOLERANCE_S = 600
ClientFactory = Callable[[str, str], CenterClient]


@dataclass
class RoundResult:
    ok: bool
    sent: int = 0
    pulled: int = 0
    set_aside: int = 0
    error: str | None = None
    elapsed_ms: float = 0.0


def crash_message(exc: BaseException) -> str:
    """The partner's line for a round that failed in an unforeseen way."""
    return f"同步出错（{type(exc).__name__}），详情见日志，稍后自动重试"


def _default_client(url: str, token: str) -> CenterClient:
    return CenterClient(url, token)


def run_round(*, progress: Progress | None = None, batch_size: int = BATCH_SIZE,
              client_factory: ClientFactory = _default_client) -> RoundResult:
    """Pull from and push to the center once; a failure ends in ``error``."""
    started = time.perf_counter()
    profile = require_profile()
    with write_txn():
        row = SyncRound.create(started_at=clock.now())
    result = RoundResult(ok=False)
    server_time = offset = None
    try:
        url = get_setting("center_url") or ""
        token = get_setting("center_token") or ""
        with client_factory(url, token) as center:
            pulled = pull_center(center)
            result.pulled = pulled.records
            server_time = pulled.server_time
            offset = clock.now() - pulled.server_time
            key = phone_key()
            if key is None:
                raise ServerRefused("中心没有下发号码加密密钥，请联系中心")
            pushed = push_outbox(center, profile, key, batch_size=batch_size,
                                 progress=progress)
        result.sent, result.set_aside = pushed.sent, pushed.set_aside
        if pushed.server_time is not None:
            server_time, offset = pushed.server_time, pushed.clock_offset
        result.ok = True
    except SyncError as exc:
        result.error = exc.message
        log.warning("sync round failed: %s", exc.message)
    except Exception as exc:  # noqa: BLE001 - the round is logged as failed
        # A bug or a database error must still end the round with a
        # Chinese line for the partner; the details go to the log.
        result.error = crash_message(exc)
        log.exception("sync round failed unexpectedly")
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    with write_txn():
        SyncRound.update(
            finished_at=clock.now(), ok=result.ok, sent=result.sent,
            pulled=result.pulled, set_aside=result.set_aside,
            server_time=server_time, clock_offset=offset, error=result.error,
        ).where(SyncRound.id == row.id).execute()
    log.info("sync round: sent %d records in %.0f ms, pulled %d, %d set aside%s",
             result.sent, result.elapsed_ms, result.pulled, result.set_aside,
             "" if result.ok else " (failed)")
    return result


@dataclass(frozen=True)
class SyncStatus:
    """What the status line shows; every text is Chinese."""

    last_ok_at: int | None
    pending: int
    set_aside: int
    error: str | None
    clock_warning: str | None
    running: bool = False
    progress: tuple[int, int] | None = None


def clock_warning(now: int | None = None) -> str | None:
    """A warning when this PC's clock is behind its last sync or far off."""
    now = clock.now() if now is None else now
    last = SyncRound.select().where(SyncRound.server_time.is_null(False)) \
        .order_by(SyncRound.id.desc()).first()
    if last is None:
        return None
    if now + 60 < last.server_time:
        return (f"本机时钟（{clock.format_time(now)}）早于上次同步时间"
                f"（{clock.format_time(last.server_time)}），请校对电脑时间")
    if last.clock_offset is not None and abs(last.clock_offset) > CLOCK_TOLERANCE_S:
        minutes = round(last.clock_offset / 60)
        side = "快" if minutes > 0 else "慢"
        return f"本机时钟比中心{side} {abs(minutes)} 分钟，请校对电脑时间"
    return None


def read_status() -> SyncStatus:
    """The sync state as stored; a quick read for a worker thread."""
    last_ok = SyncRound.select().where(SyncRound.ok == True) \
        .order_by(SyncRound.id.desc()).first()  # noqa: E712
    last = SyncRound.select().order_by(SyncRound.id.desc()).first()
    set_aside = Outbox.select().where(Outbox.set_aside == True).count()  # noqa: E712
    return SyncStatus(
        last_ok_at=last_ok.finished_at if last_ok else None,
        pending=pending_query().count(),
        set_aside=set_aside,
        error=last.error if last and not last.ok else None,
        clock_warning=clock_warning(),
    )
