"""Helpers for the sync tests: databases, a live server, a faulty proxy.

The record models are bound to one database at a time (a process-wide
proxy), so a test that plays station and center binds each in turn with
``station_db`` / ``center_db``; the center itself runs in its own process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx
import psycopg2
from peewee import Database

from station_tui.records import STATION_RECORDS, database_proxy
from station_tui.storage.db import bind, open_sqlite

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, dropped afterwards.

    Fails (does not skip) when the server does not answer.
    """
    name = f"st_sync_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(base_url, connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        prefix = base_url.rsplit("/", 1)[0]
        yield f"{prefix}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def station_db(path: Path) -> Iterator[Database]:
    """The station database at ``path``, bound for the duration."""
    previous = database_proxy.obj
    db = open_sqlite(path)
    try:
        yield db
    finally:
        db.close()
        if previous is not None:
            bind(previous)


@contextmanager
def center_db(url: str) -> Iterator[Database]:
    """The center database at ``url``, migrated and bound for the duration."""
    from station_tui.assessment.database import migrate_center, open_server_db

    previous = database_proxy.obj
    db = open_server_db(url)
    migrate_center(db)
    try:
        with db.connection_context():
            yield db
    finally:
        db.close_all()
        if previous is not None:
            bind(previous)


def make_center(url: str, stations: tuple[str, ...] = ("QY-001",)) -> dict[str, str]:
    """Register stations and one staff account per role; returns tokens."""
    from sync.server import accounts

    tokens: dict[str, str] = {}
    with center_db(url):
        for code in stations:
            _, tokens[code], _ = accounts.add_station(code, f"{code}服务站", "沁河镇",
                                                      "城关村")
        for role in accounts.ROLES:
            _, tokens[role] = accounts.add_user(f"{role}-1", role)
    return tokens


def make_station(path: Path, code: str, center: str, token: str) -> None:
    from station_tui.operations.station import set_setting, setup_station

    with station_db(path):
        setup_station(code=code, name=f"{code}服务站", town="沁河镇",
                      village="城关村", partner="王建国", phone="13800001111")
        set_setting("center_url", center)
        set_setting("center_token", token)


def add_payments(path: Path, count: int, fen: int = 10, *,
                 happened_at: int | None = None) -> None:
    """``count`` phone top-ups of ``fen`` each, with a villager's phone."""
    from station_tui.operations import changes
    from station_tui.operations.station import current_code
    from station_tui.records import ServiceRecord
    from station_tui.storage.db import write_txn

    with station_db(path):
        code = current_code()
        with write_txn():
            for _ in range(count):
                changes.create(ServiceRecord, station=code, category="payment",
                               kind="phone", customer_name="张三",
                               customer_phone="13800002222", amount_fen=fen,
                               happened_at=happened_at)


def station_versions(path: Path) -> dict[str, set[tuple[str, int]]]:
    """(uuid, version) of every record on a station PC, by kind."""
    with station_db(path):
        return {m.record_kind(): {(str(r.uuid), r.version)
                                  for r in m.select(m.uuid, m.version)}
                for m in STATION_RECORDS}


def station_sums(path: Path) -> dict[str, tuple[int, int]]:
    """(count, sum of amount_fen) by kind on a station PC."""
    from peewee import fn

    out = {}
    with station_db(path):
        for m in STATION_RECORDS:
            amount = m._meta.fields.get("amount_fen")
            total = m.select(fn.SUM(amount)).scalar() if amount else 0
            out[m.record_kind()] = (m.select().count(), total or 0)
    return out


def server_records(base: str, staff_token: str, station: str) -> dict[str, list[dict]]:
    """Every record of ``station`` on the server, read over HTTP by staff."""
    out: dict[str, list[dict]] = {}
    headers = {"Authorization": f"Bearer {staff_token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for m in STATION_RECORDS:
            kind, after, rows = m.record_kind(), None, []
            while True:
                params: dict[str, Any] = {"station": station, "limit": 5000}
                if after:
                    params["after"] = after
                page = client.get(f"/api/v1/records/{kind}", params=params)
                page.raise_for_status()
                rows += page.json()["records"]
                after = page.json()["next_after"]
                if after is None:
                    break
            out[kind] = rows
    return out


def assert_same_on_both_sides(path: Path, base: str, staff_token: str,
                              station: str) -> None:
    """Every station record is on the server exactly once, same version,
    and counts and sums agree."""
    local = station_versions(path)
    sums = station_sums(path)
    remote = server_records(base, staff_token, station)
    for kind, rows in remote.items():
        keys = [(r["uuid"], r["version"]) for r in rows]
        assert len(keys) == len(set(keys)), f"{kind}: a record twice on the server"
        assert set(keys) == local[kind], f"{kind}: station and server differ"
        total = sum(r.get("amount_fen", 0) for r in rows)
        assert (len(rows), total) == sums[kind], f"{kind}: counts or sums differ"


class LiveServer:
    """``python -m station_tui serve`` in its own process, on a free port."""

    def __init__(self, db_url: str, *, workers: int = 1, port: int | None = None,
                 extra: tuple[str, ...] = (), verify: Any = True) -> None:
        self.db_url = db_url
        self.verify = verify
        self.scheme = "https" if "--certfile" in extra else "http"
        self.workers = workers
        self.port = port or free_port()
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self, log_path: Path | None = None) -> LiveServer:
        self.log_path = log_path or Path(os.devnull)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "station_tui", "serve", "--db", self.db_url,
             "--port", str(self.port), "--workers", str(self.workers), *self.extra],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                health = httpx.get(f"{self.url}/healthz", timeout=1,
                                   verify=self.verify)
                if health.status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz within 30 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        if getattr(self, "_log", None):
            self._log.close()


class FaultProxy:
    """A one-request-per-connection HTTP proxy that misbehaves on cue.

    ``faults`` is consumed by requests whose path starts with ``match``:
    ``pass``; ``503`` (answer 503 itself); ``drop_mid_body`` (forward half
    the body, then close both sides); ``lose_reply`` (the server answers,
    the client never hears it); ``slow_reply`` (hold the answer past the
    client's timeout); ``hold`` (like slow_reply, until ``release``).
    """

    def __init__(self, upstream_port: int, match: str = "/api/v1/sync/push",
                 delay: float = 3.0) -> None:
        self.upstream_port = upstream_port
        self.match = match
        self.delay = delay
        self.faults: deque[str] = deque()
        self.seen: list[tuple[str, str]] = []
        self.replied = threading.Event()
        self.release = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self.port = self._sock.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self.release.set()
        self._sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(conn: socket.socket) -> tuple[bytes, bytes] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        lines = [ln for ln in head.split(b"\r\n")
                 if not ln.lower().startswith(b"connection:")]
        return b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n", body

    def _upstream(self, head: bytes, body: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as up:
            up.sendall(head + body)
            response = b""
            while chunk := up.recv(65536):
                response += chunk
        return response

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            request = self._read_request(conn)
            if request is None:
                return
            head, body = request
            path = head.split(b" ", 2)[1].decode()
            action = "pass"
            if path.startswith(self.match) and self.faults:
                action = self.faults.popleft()
            self.seen.append((path, action))
            if action == "503":
                conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\n"
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
            if action == "drop_mid_body":
                with socket.create_connection(("127.0.0.1", self.upstream_port)) as up:
                    up.sendall(head + body[: len(body) // 2])
                    time.sleep(0.2)
                return
            response = self._upstream(head, body)
            if action == "lose_reply":
                self.replied.set()
                return
            if action in ("slow_reply", "hold"):
                self.replied.set()
                if action == "hold":
                    self.release.wait(60)
                else:
                    time.sleep(self.delay)
            try:
                conn.sendall(response)
            except OSError:
                pass
