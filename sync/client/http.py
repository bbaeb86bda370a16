"""Talking to the center: one httpx client, retries with backoff.

httpx's own ``retries`` covers failing to connect only. A sync also has to
survive a reply that never comes (timeouts), a connection dropped half-way
and a busy server (429, 5xx); every request here is safe to repeat because
the server applies changes idempotently, so all of those are retried, with
exponential backoff and jitter, honouring Retry-After. A round's failed
tries and waits together stay within ``retry_budget`` seconds, so a silent
center costs about a minute, not several.

Anything but the expected JSON (a proxy's or a login page's HTML, a reply
of the wrong shape, a redirect) becomes one ``BadReply`` in Chinese.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from station_tui.errors import InputError
from sync.errors import (
    AuthRefused,
    BadReply,
    ClientTooOld,
    NotConfigured,
    ServerRefused,
    ServerUnreachable,
)

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: Below this much budget left (or the timeout, if shorter), another try
#: is not worth starting.
MIN_TRY_S = 2.0
#: How to get the center's address and token set, for every hint that needs it.
CONFIGURE_HINT = "请用 station-tui init --center 地址 --token 令牌 设置"

Reply = TypeVar("Reply", bound=BaseModel)

#: Transport failures in the partner's words (httpx names them in English).
_TRANSPORT_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.TimeoutException, "连接超时"),
    (httpx.ConnectError, "对方拒绝连接或网络不通"),
    (httpx.RemoteProtocolError, "连接中途断开"),
    (httpx.ReadError, "连接中途断开"),
    (httpx.WriteError, "连接中途断开"),
    (httpx.ProxyError, "网络代理出错"),
)


def check_center_url(text: str, *, field: str = "center") -> str:
    """The center's address as stored: http(s)://host[:port][/path], no "/" end."""
    from urllib.parse import urlsplit

    url = text.strip().rstrip("/")
    if not url:
        raise InputError("请填写中心地址，例如 https://center.example.gov.cn",
                         field=field)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"中心地址“{text}”不对，应以 http:// 或 https:// 开头，"
            "例如 https://center.example.gov.cn", field=field)
    return url


def check_token(text: str, *, field: str = "token") -> str:
    """A station token as the center printed it: ``<token id>.<secret>``."""
    token = text.strip()
    if not token:
        raise InputError("请填写中心发放的令牌", field=field)
    if any(ch.isspace() for ch in token) or "." not in token:
        raise InputError(
            f"令牌“{text}”不对：应是中心发放的一整串，形如 5fd4f2c451e9.xxxxxxxx",
            field=field)
    return token


def transport_reason(exc: httpx.TransportError) -> str:
    """What went wrong on the network, in Chinese."""
    for kind, text in _TRANSPORT_REASONS:
        if isinstance(exc, kind):
            return text
    return "网络出错"


def _unrecognized(response: httpx.Response, what: str) -> BadReply:
    return BadReply(
        f"中心服务器的回答无法识别（HTTP {response.status_code}，{what}），"
        "可能是网络代理或登录页面拦截，请检查中心地址和网络"
    )


def _is_json(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _detail(response: httpx.Response) -> str | None:
    """The server's own Chinese reason (FastAPI's ``detail``), if it sent one."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return detail if isinstance(detail, str) else None


class CenterClient:
    """The station's connection to its center, with the station token."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0,
                 attempts: int = 5, backoff: float = 1.0, max_backoff: float = 60.0,
                 retry_budget: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not base_url or not token:
            raise NotConfigured(f"还没有设置中心地址或令牌，{CONFIGURE_HINT}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.retry_budget = retry_budget
        #: Seconds this client has spent on failed tries and waits so far.
        self.lost = 0.0
        self._sleep = sleep
        self._monotonic = monotonic
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
        """Send a request, retrying what may pass; raise a SyncError if not.

        Retries stop after ``attempts`` tries or when the client's failed
        tries and waits would pass ``retry_budget``, whichever comes first.
        """
        reason, tries = "", 0
        timeout = self.timeout
        for attempt in range(1, self.attempts + 1):
            tries = attempt
            response: httpx.Response | None = None
            began = self._monotonic()
            try:
                response = self._client.request(method, path, timeout=timeout,
                                                **kwargs)
            except httpx.UnsupportedProtocol:
                raise NotConfigured(
                    f"中心地址“{self.base_url}”不对，应以 http:// 或 https:// 开头"
                ) from None
            except httpx.TransportError as exc:
                reason = transport_reason(exc)
            else:
                if response.status_code not in RETRY_STATUS:
                    return self._checked(response)
                reason = f"HTTP {response.status_code}"
            self.lost += self._monotonic() - began
            if attempt == self.attempts:
                break
            delay = self._delay(attempt, response)
            left = self.retry_budget - self.lost - delay
            if left < min(MIN_TRY_S, self.timeout):
                log.info("%s %s failed (%s); retry budget of %.0fs spent",
                         method, path, reason, self.retry_budget)
                break
            log.info("%s %s failed (%s), retry %d in %.1fs",
                     method, path, reason, attempt, delay)
            self._sleep(delay)
            self.lost += delay
            timeout = min(self.timeout, left)
        raise self._gave_up(reason, response, tries)

    def _gave_up(self, reason: str, response: httpx.Response | None,
                 tries: int) -> ServerUnreachable:
        again = f"已试 {tries} 次，稍后自动重试"
        if response is None:
            return ServerUnreachable(
                f"连不上中心服务器 {self.base_url}（{reason}），{again}")
        if response.status_code == 429:
            return ServerUnreachable(f"中心服务器繁忙（{reason}），{again}")
        return ServerUnreachable(f"中心服务器出错（{reason}），{again}")

    def fetch(self, method: str, path: str, model: type[Reply],
              **kwargs: Any) -> Reply:
        """Send a request and read the reply as ``model``; see ``send``."""
        response = self.send(method, path, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            log.warning("%s %s: unrecognized %d reply (%s): %.300r", method, path,
                        response.status_code,
                        response.headers.get("content-type"), response.content)
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise _unrecognized(response, "不是 JSON") from None
            raise _unrecognized(response, "内容格式不对") from None

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if 200 <= status < 300:
            return response
        if status < 400:
            # httpx follows no redirects: a captive portal's 302 ends here.
            where = response.headers.get("location", "")
            raise _unrecognized(response, f"跳转到 {where}" if where else "跳转")
        detail = _detail(response)
        if status in (401, 403):
            raise AuthRefused(
                f"中心拒绝了本机的令牌：{detail or f'HTTP {status}'}，"
                "请向中心要新令牌，用 station-tui init --token 令牌 设置")
        if status == 426:
            raise ClientTooOld(detail or "中心要求升级 station-tui")
        if detail is None and not _is_json(response):
            raise _unrecognized(response, "不是 JSON")
        raise ServerRefused(f"中心拒绝了请求：{detail or f'HTTP {status}'}")
