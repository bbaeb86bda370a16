"""C08: 张𠮷😀 through a note, the log, a backup and every export format.

This machine has no GBK locale, so each step runs in a fresh interpreter
with ``-X warn_default_encoding -W error::EncodingWarning``: any open()
that leans on the locale's encoding (GBK on a Chinese Windows PC) fails.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

NOTE = "张𠮷😀"
STRICT = [sys.executable, "-X", "warn_default_encoding", "-W", "error::EncodingWarning"]
ROOT = Path(__file__).resolve().parents[1]

WRITE_NOTE = """
import logging, sys
from pathlib import Path
from station_tui.domain import clock
from station_tui.logs import setup_file_logging
from station_tui.operations import daily_report
from station_tui.storage.db import open_sqlite

db_path, log_dir, note = sys.argv[1:4]
open_sqlite(db_path)
setup_file_logging(directory=Path(log_dir))
report = daily_report.submit(clock.local_date(clock.now()), note)
logging.getLogger("station_tui.tests").info("note written: %s", report.note)
"""


def run(*args: str) -> str:
    done = subprocess.run(
        [*STRICT, *args], cwd=ROOT, capture_output=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8")


def test_c08_a_note_survives_log_backup_and_exports_under_strict_encodings(
    tmp_path: Path,
) -> None:
    """C08: nothing crashes and every file written is UTF-8."""
    db = tmp_path / "station.sqlite3"
    logs = tmp_path / "logs"
    run("-m", "station_tui", "init", "--db", str(db), "--code", "QY-008",
        "--name", "测试村１号服务站", "--town", "沁河镇", "--village", "测试村１号",
        "--partner", "张𠮷", "--phone", "13800001111")
    run("-c", WRITE_NOTE, str(db), str(logs), NOTE)
    run("-m", "station_tui", "backup", "--db", str(db), str(tmp_path / "备份.sqlite3"))
    for fmt in ("csv", "xlsx", "json"):
        out = run("-m", "station_tui", "export", "--db", str(db), "--kind",
                  "daily_report", "--format", fmt, "--out",
                  str(tmp_path / f"日报.{fmt}"))
        assert "已导出 1 条记录" in out

    log_text = (logs / "station-tui.log").read_bytes().decode("utf-8")
    assert f"note written: {NOTE}" in log_text
    with sqlite3.connect(tmp_path / "备份.sqlite3") as backup:
        assert backup.execute("SELECT note FROM daily_report").fetchone() == (NOTE,)
    with open(tmp_path / "日报.csv", encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][10] == NOTE
    exported = json.loads((tmp_path / "日报.json").read_bytes().decode("utf-8"))
    assert exported[0]["note"] == NOTE

    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "日报.xlsx", read_only=True)["台账"]
    assert list(sheet.values)[1][10] == NOTE
