"""The server-side commands as an operator types them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from sync_support import ROOT, LiveServer


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "station_tui", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8",
                          timeout=60)


def test_tokens_are_printed_once_stored_hashed_and_revocable(
        center_db_url: str) -> None:
    made = cli("center", "add-user", "--db", center_db_url, "--name", "张主任",
               "--role", "admin")
    token = made.stdout.strip().splitlines()[-1]
    token_id, secret = token.split(".")
    server = LiveServer(center_db_url).start()
    try:
        me = httpx.get(f"{server.url}/api/v1/me",
                       headers={"Authorization": f"Bearer {token}"})
        revoked = cli("center", "revoke", "--db", center_db_url, token_id)
        after = httpx.get(f"{server.url}/api/v1/me",
                          headers={"Authorization": f"Bearer {token}"})
    finally:
        server.stop()

    assert made.returncode == 0 and "令牌只显示这一次" in made.stdout
    assert me.json() == {"kind": "staff", "name": "张主任", "role": "admin",
                         "token_id": token_id}
    assert revoked.returncode == 0 and "已吊销" in revoked.stdout
    assert after.status_code == 401
    if center_db_url.startswith("sqlite"):
        stored = sqlite3.connect(center_db_url.removeprefix("sqlite:///")).execute(
            "SELECT secret_hash FROM api_token").fetchone()[0]
        assert secret not in stored and len(stored) == 64


def test_add_station_for_a_known_code_issues_a_new_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.sqlite3'}"
    args = ("center", "add-station", "--db", url, "--code", "QY-001", "--name",
            "城关村服务站", "--town", "沁河镇", "--village", "城关村")

    first, second = cli(*args), cli(*args)

    assert "已登记" in first.stdout and "已存在，已签发新令牌" in second.stdout
    assert first.stdout.splitlines()[-1] != second.stdout.splitlines()[-1]


def test_revoking_an_unknown_token_says_so(tmp_path: Path) -> None:
    done = cli("center", "revoke", "--db", f"sqlite:///{tmp_path / 'c.sqlite3'}",
               "nosuch")

    assert done.returncode == 2 and "没有编号为“nosuch”的令牌" in done.stderr


def test_backup_copies_the_servers_embedded_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'center.sqlite3'}"
    cli("center", "add-station", "--db", url, "--code", "QY-001", "--name", "站",
        "--town", "镇", "--village", "村")

    done = cli("backup", "--db", url, str(tmp_path / "copy.sqlite3"))

    assert done.returncode == 0, done.stderr
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT code FROM center_station").fetchall() == [("QY-001",)]


def test_serve_refuses_a_certfile_without_its_key(tmp_path: Path) -> None:
    done = cli("serve", "--db", f"sqlite:///{tmp_path / 'c.sqlite3'}",
               "--certfile", "cert.pem")

    assert done.returncode == 2 and "--keyfile" in done.stderr


def test_serve_speaks_tls_with_a_certificate(tmp_path: Path) -> None:
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        raise AssertionError("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    trusted = ssl.create_default_context(cafile=str(cert))
    server = LiveServer(f"sqlite:///{tmp_path / 'c.sqlite3'}", verify=trusted,
                        extra=("--certfile", str(cert), "--keyfile", str(key)))
    try:
        server.start()
        reply = httpx.get(f"{server.url}/healthz", verify=trusted, timeout=5)
    finally:
        server.stop()

    assert reply.json()["status"] == "ok"
