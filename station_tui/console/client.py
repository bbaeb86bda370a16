"""The console's HTTP client for the center server.

Every method blocks on the network, so it is called from thread workers
only, never from an event handler. Failures come out as one small tree::

    ConsoleError
    ├── ServerUnreachable   no answer (connection refused, reset, timeout)
    ├── NotSignedIn         401: no token, a wrong or a revoked one
    └── Refused             403/404/409/422/5xx with the server's message
                            and, for a wrong value, the field it names
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

import httpx

log = logging.getLogger(__name__)

#: Reading a year's assessment can take a while on a province's server.
TIMEOUT = httpx.Timeout(10.0, read=300.0)

Progress = Callable[[int, int | None], None]


class ConsoleError(Exception):
    """Something the console shows a person, in Chinese."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ServerUnreachable(ConsoleError):
    """The server did not answer."""


class NotSignedIn(ConsoleError):
    """The server does not accept the token."""


class Refused(ConsoleError):
    """The server answered with an error."""

    def __init__(self, message: str, field: str | None = None,
                 status: int = 400) -> None:
        super().__init__(message, field)
        self.status = status


def _detail(response: httpx.Response) -> tuple[str, str | None]:
    """The server's message and field from any of its error shapes."""
    try:
        detail: Any = response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text or f"服务器错误 {response.status_code}", None
    if isinstance(detail, dict):
        return str(detail.get("message", detail)), detail.get("field")
    if isinstance(detail, list) and detail:
        first = detail[0]
        if isinstance(first, dict):
            loc = [str(p) for p in first.get("loc", ()) if p != "body"]
            return str(first.get("msg", first)), (loc[-1] if loc else None)
        return "；".join(str(d) for d in detail), None
    return str(detail), None


class ConsoleClient:
    """A staff member's session with one center server."""

    def __init__(self, url: str, token: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, timeout=TIMEOUT,
                                  transport=transport)
        self.token = token

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value.strip() if value else None
        self._http.headers.pop("Authorization", None)
        if self._token:
            self._http.headers["Authorization"] = f"Bearer {self._token}"

    def close(self) -> None:
        self._http.close()

    # --- plumbing -----------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            log.warning("%s %s: no answer from %s (%s)", method, path, self.url, exc)
            raise ServerUnreachable(f"连接不上中心服务器 {self.url}") from exc
        log.debug("%s %s -> %d in %.0f ms", method, path, response.status_code,
                  (time.perf_counter() - started) * 1000)
        self._check(response)
        return response

    def _check(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        message, field = _detail(response)
        if response.status_code == 401:
            raise NotSignedIn(message)
        raise Refused(message, field, response.status_code)

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._send(method, path, **kwargs).json()

    # --- reading ------------------------------------------------------------

    def healthz(self) -> dict[str, Any]:
        return self._json("GET", "/healthz")

    def me(self) -> dict[str, Any]:
        return self._json("GET", "/console/me")

    def towns(self) -> list[dict[str, Any]]:
        return self._json("GET", "/console/towns")

    def stations(self, *, town: str | None = None, status: str | None = None,
                 q: str | None = None, after: str | None = None,
                 limit: int = 50) -> dict[str, Any]:
        params = {k: v for k, v in (("town", town), ("status", status), ("q", q),
                                    ("after", after)) if v}
        return self._json("GET", "/console/stations", params={**params,
                                                              "limit": limit})

    def all_stations(self, page: int = 500) -> list[dict[str, Any]]:
        """Every station, fetched a page at a time (for grids)."""
        rows: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            answer = self.stations(after=after, limit=page)
            rows += answer["rows"]
            after = answer["next"]
            if after is None:
                return rows

    def station(self, code: str, year: int | None = None) -> dict[str, Any]:
        params = {"year": year} if year else {}
        return self._json("GET", f"/console/stations/{code}", params=params)

    def records(self, kind: str, **filters: Any) -> list[dict[str, Any]]:
        params = {k: v for k, v in filters.items() if v is not None}
        return self._json("GET", f"/console/records/{kind}", params=params)

    def record(self, record_id: str) -> dict[str, Any]:
        return self._json("GET", f"/console/record/{record_id}")

    def preview(self, code: str, period: str | None = None) -> dict[str, Any]:
        params = {"period": period} if period else {}
        return self._json("GET", f"/center/preview/{code}", params=params)

    def assessment(self, period: str, *, station: str | None = None
                   ) -> dict[str, Any]:
        params = {"station": station} if station else {}
        return self._json("GET", f"/center/assessments/{period}", params=params)

    def download(self, period: str, fmt: str, *, full: bool = False,
                 progress: Progress | None = None) -> bytes:
        """An export of the assessment, reporting bytes as they arrive."""
        params = {"format": fmt, "full": str(full).lower()}
        chunks: list[bytes] = []
        try:
            with self._http.stream("GET", f"/center/assessments/{period}",
                                   params=params) as response:
                if response.status_code >= 400:
                    response.read()
                    self._check(response)
                size = response.headers.get("Content-Length")
                total = int(size) if size and size.isdigit() else None
                got = 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    got += len(chunk)
                    if progress is not None:
                        progress(got, total)
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"连接不上中心服务器 {self.url}") from exc
        return b"".join(chunks)

    # --- entering -----------------------------------------------------------

    def enter(self, kind: str, values: dict[str, Any]) -> dict[str, Any]:
        return self._json("POST", f"/center/records/{kind}", json=values)

    def void(self, kind: str, record_id: str, reason: str) -> dict[str, Any]:
        return self._json("POST", f"/center/records/{kind}/{record_id}/void",
                          json={"reason": reason})

    def accept_clock_flag(self, flag_id: str, note: str) -> dict[str, Any]:
        return self._json("POST", f"/center/clock-flags/{flag_id}/accept",
                          json={"note": note})

    def set_attendance(self, values: dict[str, Any]) -> dict[str, Any]:
        return self._json("POST", "/console/attendance", json=values)

    def publish_quarter(self, quarter: str) -> dict[str, Any]:
        return self._json("POST", f"/center/rankings/{quarter}/publish")
