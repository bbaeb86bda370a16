"""Talking to the center: one httpx client, retries with backoff.

httpx's own ``retries`` covers failing to connect only. A sync also has to
survive a reply that never comes (timeouts), a connection dropped half-way
and a busy server (429, 5xx); every request here is safe to repeat because
the server applies changes idempotently, so all of those are retried, with
exponential backoff and jitter, honouring Retry-After.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable

import httpx

from sync.errors import (
    AuthRefused,
    ClientTooOld,
    NotConfigured,
    ServerRefused,
    ServerUnreachable,
)

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str):
        return detail
    return f"中心返回 {response.status_code}"


class CenterClient:
    """The station's connection to its center, with the station token."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0,
                 attempts: int = 5, backoff: float = 1.0, max_backoff: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not base_url or not token:
            raise NotConfigured("还没有设置中心地址或令牌，请在设置中填写")
        self.base_url = base_url.rstrip("/")
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport,
            headers={"Authorization": f"Bearer {token}",
                     "User-Agent": "station-tui-sync"},
        )

    def __enter__(self) -> CenterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        retry_after = response.headers.get("retry-after") if response else None
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), self.max_backoff)
        base = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return base * (0.5 + random.random() / 2)

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying what may pass; raise a SyncError if not."""
        reason = ""
        for attempt in range(1, self.attempts + 1):
            response: httpx.Response | None = None
            try:
                response = self._client.request(method, path, **kwargs)
            except httpx.UnsupportedProtocol:
                raise NotConfigured(
                    f"中心地址“{self.base_url}”不对，应以 http:// 或 https:// 开头"
                ) from None
            except httpx.TransportError as exc:
                reason = type(exc).__name__
            else:
                if response.status_code not in RETRY_STATUS:
                    return self._checked(response)
                reason = f"HTTP {response.status_code}"
            if attempt < self.attempts:
                delay = self._delay(attempt, response)
                log.info("%s %s failed (%s), retry %d in %.1fs",
                         method, path, reason, attempt, delay)
                self._sleep(delay)
        raise ServerUnreachable(
            f"连不上中心服务器 {self.base_url}（{reason}），"
            f"已试 {self.attempts} 次，稍后会自动再试"
        )

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 400:
            return response
        if status in (401, 403):
            raise AuthRefused(f"中心拒绝了本机的令牌：{_detail(response)}")
        if status == 426:
            raise ClientTooOld(_detail(response))
        raise ServerRefused(f"中心拒绝了请求：{_detail(response)}")
