"""A real center server on a small demo county, for the console tests.

The county is generated once per test session and copied for each test;
the server is uvicorn on a free 127.0.0.1 port, in a thread of the test
process, so that the console talks real HTTP to it.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import uvicorn

from station_tui.domain import clock
from station_tui.storage.backup import backup_to
from sync_support import free_port

DEMO_STATIONS = 8


def build_demo(path: Path, stations: int = DEMO_STATIONS) -> Path:
    """A demo county of this year in a SQLite file."""
    from station_tui.assessment.database import open_server_db
    from station_tui.assessment.demo import build

    db = open_server_db(f"sqlite:///{path}")
    db.execute_sql("PRAGMA synchronous=OFF")
    build(db, year=clock.local_date(clock.now()).year, stations=stations, seed=7)
    # The database is pooled: close() would only hand the connection back,
    # leaving the last writes in the WAL file beside it.
    db.close_all()
    return path


@dataclass
class LiveServer:
    url: str
    db_url: str
    tokens: dict[str, str]


@contextmanager
def live_server(db_file: Path, port: int | None = None) -> Iterator[LiveServer]:
    """The center server on ``db_file`` with an admin, inspector and viewer."""
    from sync.server import accounts
    from sync.server.app import create_app

    db_url = f"sqlite:///{db_file}"
    app = create_app(db_url)
    tokens = {}
    with app.state.db.connection_context():
        for name, role in (("管理员甲", "admin"), ("张检查", "inspector"),
                           ("王查看", "viewer")):
            tokens[role] = accounts.add_user(name, role)[1]
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("center server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", db_url, tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.db.close_all()


def copy_demo(template: Path, target_dir: Path) -> Path:
    """A consistent copy of the demo county, WAL included (a plain file
    copy would miss what is still in the template's WAL)."""
    return backup_to(template, target_dir / "center.sqlite3")
