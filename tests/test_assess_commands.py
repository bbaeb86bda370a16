"""``assess`` and ``demo`` as a new user meets them: a period that has not
begun or not ended, a wrong station or output path, a database that is not
a center database, an interrupted demo. Each says so in one Chinese line
(exit code 2) instead of a traceback or a silently wrong table."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from station_tui.cli import main
from station_tui.domain import clock
from tests.assess_data import onsite, station

#: 5 December 2026, noon in Shanghai: the year 2026 is still running.
DEC_5 = clock.instant_of(datetime(2026, 12, 5, 12))


@pytest.fixture
def on_dec_5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: DEC_5)


def _county() -> None:
    station("S1")
    station("S2", town="端氏镇")
    onsite("S1", 1, date(2026, 3, 1), 10)


def test_assess_refuses_a_period_that_has_not_begun(
        server_db, on_dec_5: None, capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2027", "--db", server_db.test_url]) == 2
    captured = capsys.readouterr()
    assert "2027" in captured.err and "不合格" not in captured.out
    assert len(captured.err.strip().splitlines()) == 1


def test_assess_of_a_running_year_warns_and_counts_up_to_today(
        server_db, on_dec_5: None, capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2026", "--db", server_db.test_url]) == 0
    captured = capsys.readouterr()
    assert "本期尚未结束" in captured.out and "2027-01-04" in captured.out
    assert "本期尚未结束" in captured.err


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx"])
def test_a_running_period_carries_its_warning_in_every_export(
        fmt: str, server_db, on_dec_5: None, tmp_path: Path) -> None:
    _county()
    out = tmp_path / f"a.{fmt}"
    assert main(["assess", "2026", "--db", server_db.test_url, "--format", fmt,
                 "--out", str(out)]) == 0
    if fmt == "json":
        data = json.loads(out.read_bytes())
        assert "本期尚未结束" in data["warnings"][0]
        assert data["as_of"] == "2026-12-06"
    elif fmt == "html":
        assert "class=warning>注意：本期尚未结束" in out.read_text(encoding="utf-8")
    else:
        from openpyxl import load_workbook

        assert "本期尚未结束" in load_workbook(out).active["A1"].value


def test_a_year_just_over_warns_that_late_reports_may_still_come(
        server_db, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    _county()
    monkeypatch.setattr(clock, "now",
                        lambda: clock.instant_of(datetime(2027, 1, 2, 9)))
    assert main(["assess", "2026", "--db", server_db.test_url]) == 0
    assert "补报期" in capsys.readouterr().err


def test_a_finished_period_has_no_warning(
        server_db, on_dec_5: None, capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2026Q3", "--db", server_db.test_url]) == 0
    captured = capsys.readouterr()
    assert "注意" not in captured.out + captured.err



@pytest.mark.parametrize("fmt", ["table", "csv", "xlsx"])
def test_assess_into_a_missing_folder_says_so_and_writes_nothing(
        fmt: str, server_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _county()
    out = tmp_path / "没有的文件夹" / f"a.{fmt}"
    assert main(["assess", "2026Q1", "--db", server_db.test_url, "--format", fmt,
                 "--out", str(out)]) == 2
    assert "没有的文件夹" in capsys.readouterr().err
    assert not out.parent.exists()


def test_assess_into_a_folder_name_says_a_file_is_needed(
        server_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2026Q1", "--db", server_db.test_url, "--format", "csv",
                 "--out", str(tmp_path)]) == 2
    assert "文件夹" in capsys.readouterr().err
    assert [p for p in tmp_path.iterdir() if not p.name.startswith("server")] == []


def test_an_unwritable_output_leaves_no_partial_file(
        server_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    _county()
    out = tmp_path / "a.csv"

    def disk_full(self: Path, data: bytes) -> int:
        Path.write_text(self, "半", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    assert main(["assess", "2026Q1", "--db", server_db.test_url, "--format", "csv",
                 "--out", str(out)]) == 2
    assert "a.csv" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if "a.csv" in p.name] == []


def _one_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


def test_assess_on_an_empty_database_says_it_is_not_a_center_database(
        center_db_url: str, capsys: pytest.CaptureFixture) -> None:
    from station_tui.assessment.database import sqlite_path

    path = sqlite_path(center_db_url)
    if path is not None:
        path.touch()
    assert main(["assess", "2026Q1", "--db", center_db_url]) == 2
    assert "还不是中心数据库" in _one_line(capsys)


def test_a_station_database_is_not_taken_for_a_center_database(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from station_tui.storage.db import open_sqlite

    path = tmp_path / "station.sqlite3"
    open_sqlite(path).close()
    assert main(["assess", "2026Q1", "--db", str(path)]) == 2
    assert "站点端" in _one_line(capsys)
    assert main(["center", "record", "holiday", "--db", str(path), "--by", "甲",
                 "--json", '{"day": "2026-05-01", "name": "劳动节"}']) == 2
    assert "站点端" in _one_line(capsys)


def test_a_file_that_is_no_database_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("不是数据库" * 200, encoding="utf-8")
    for argv in (["assess", "2026Q1"], ["center", "record", "holiday", "--by", "甲",
                                         "--json", "{}"]):
        assert main([*argv, "--db", str(path)]) == 2
        assert "不是 SQLite 数据库文件" in _one_line(capsys)


def test_an_unreachable_postgresql_is_one_line(capsys: pytest.CaptureFixture) -> None:
    url = "postgresql://postgres@127.0.0.1:9/none"
    assert main(["assess", "2026Q1", "--db", url]) == 2
    assert "无法打开数据库" in _one_line(capsys)


def test_assess_of_a_center_without_stations_says_to_register_them(
        server_db, capsys: pytest.CaptureFixture) -> None:
    assert main(["assess", "2026Q1", "--db", server_db.test_url]) == 2
    assert "add-station" in _one_line(capsys)


def test_assess_of_a_station_nobody_registered_says_so(
        server_db, capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2026Q1", "--db", server_db.test_url,
                 "--station", "NOPE"]) == 2
    assert "NOPE" in _one_line(capsys)


def test_assess_of_a_station_not_yet_open_in_the_period_says_when_it_joined(
        server_db, capsys: pytest.CaptureFixture) -> None:
    _county()
    station("S9", active_from=date(2026, 5, 1))
    assert main(["assess", "2026Q1", "--db", server_db.test_url,
                 "--station", "S9"]) == 2
    assert "2026-05-01" in _one_line(capsys)


def _demo(url: str) -> int:
    return main(["demo", "--db", url, "--stations", "3", "--seed", "7"])


def _stop_after_days(monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    """Ctrl-C part way through the year, as a user would press it."""
    from station_tui.assessment.demo import County

    real = County.day
    calls = {"n": 0}

    def day(self: County, p: object, when: date) -> None:
        calls["n"] += 1
        if calls["n"] > days:
            raise KeyboardInterrupt
        real(self, p, when)

    monkeypatch.setattr(County, "day", day)


def test_demo_shows_progress_and_renames_the_finished_file_into_place(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "demo.sqlite3"
    assert _demo(str(path)) == 0
    err = capsys.readouterr().err
    assert "2026-01 已写入" in err and "（100%）" in err and "演示县已生成" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite3"]
    assert _demo(str(path)) == 2
    assert "完整的演示县" in _one_line(capsys)


def test_an_interrupted_demo_leaves_nothing_under_the_real_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "demo.sqlite3"
    _stop_after_days(monkeypatch, 200)
    assert _demo(str(path)) == 130
    assert "未完成的文件已删除" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert _demo(str(path)) == 0


def test_a_demo_killed_outright_is_cleaned_up_by_the_next_run(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "demo.sqlite3"
    (tmp_path / "demo.sqlite3.building").write_bytes(b"half a county")
    assert _demo(str(path)) == 0
    assert "删除上次中断留下的未完成文件" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite3"]


def test_demo_into_an_empty_center_keeps_its_accounts(tmp_path: Path) -> None:
    from station_tui.assessment.database import open_center_db
    from station_tui.records.server import StaffAccount

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert main(["center", "add-user", "--db", url, "--name", "张主任",
                 "--role", "admin"]) == 0
    assert _demo(url) == 0
    db = open_center_db(url)
    try:
        assert [a.name for a in StaffAccount.select()] == ["张主任"]
    finally:
        db.close_all()


def test_an_interrupted_postgresql_demo_rolls_back_and_a_foreign_one_names_the_fix(
        center_db_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    from station_tui.assessment.database import open_center_db, sqlite_path
    from station_tui.records.center import CenterStation

    if sqlite_path(center_db_url) is not None:
        pytest.skip("PostgreSQL only: SQLite is built aside")
    _stop_after_days(monkeypatch, 200)
    assert _demo(center_db_url) == 130
    monkeypatch.undo()
    db = open_center_db(center_db_url)
    try:
        assert not CenterStation.select().exists()
        station("X1")
    finally:
        db.close_all()
    capsys.readouterr()
    assert _demo(center_db_url) == 2
    assert "DROP SCHEMA public CASCADE" in _one_line(capsys)


@pytest.mark.parametrize("value", ["[1]", '"x"', '[{"day": "2026-05-01"}, 2]'])
def test_center_record_with_json_that_is_no_object_is_one_line(
        value: str, server_db, capsys: pytest.CaptureFixture) -> None:
    assert main(["center", "record", "holiday", "--db", server_db.test_url,
                 "--by", "甲", "--json", value]) == 2
    assert "不是 JSON 对象" in _one_line(capsys)


def test_center_record_from_a_gbk_file_asks_for_utf8(
        server_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "holidays.csv"
    path.write_bytes("day,name\n2026-05-01,劳动节\n".encode("gbk"))
    assert main(["center", "record", "holiday", "--db", server_db.test_url,
                 "--by", "甲", "--file", str(path)]) == 2
    assert "UTF-8" in _one_line(capsys)
