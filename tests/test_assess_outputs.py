"""The assess command, publication files, opening rule, rectification, demo."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from station_tui.assessment.engine import assess
from station_tui.cli import main
from station_tui.records import OpenSpell, PurchaseOrder
from station_tui.records.center import CenterStation, Rectification
from tests.assess_data import at, center, days, ledger, onsite, purchases, station

pytestmark = pytest.mark.usefixtures("server_db")


def _county() -> None:
    station("S1", town="龙港镇")
    station("S2", town="端氏镇")
    onsite("S1", 1, date(2026, 3, 1), 10)
    purchases("S1", date(2026, 3, 1), 5, villager_complete=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html", "json"])
def test_assess_writes_each_format(fmt: str, server_db, tmp_path: Path) -> None:
    _county()
    out = tmp_path / f"a.{fmt}"
    assert main(["assess", "2026", "--db", server_db.test_url, "--format", fmt,
                 "--out", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == ["排名", "站点", "乡镇", "得分", "等级"]
        assert rows[1][:3] == ["1", "S1服务站", "龙港镇"]
    elif fmt == "xlsx":
        sheet = load_workbook(out).active
        assert sheet["A2"].value == "排名" and sheet["C3"].value == "龙港镇"
    elif fmt == "html":
        page = data.decode("utf-8")
        assert "<script" not in page and "src=" not in page and "S1服务站" in page
    else:
        assert json.loads(data)["stations"][0]["code"] == "S1"


def test_assess_table_prints_ranks_and_grades(server_db,
                                              capsys: pytest.CaptureFixture) -> None:
    _county()
    assert main(["assess", "2026", "--db", server_db.test_url]) == 0
    out = capsys.readouterr()
    assert "S1服务站" in out.out and "不合格" in out.out and "等级分布" in out.out
    assert "2 个站点" in out.err


def test_assess_with_a_bad_period_says_so_in_one_line(
        server_db, capsys: pytest.CaptureFixture) -> None:
    assert main(["assess", "2026Q5", "--db", server_db.test_url]) == 2
    assert "2026Q5" in capsys.readouterr().err


def test_assess_with_a_center_rules_file_records_which_rules(
        server_db, tmp_path: Path) -> None:
    _county()
    rules = tmp_path / "rules.toml"
    rules.write_text('name = "县中心 2027 版"\nversion = "2"\n[grading]\n'
                     'mode = "threshold"\n', encoding="utf-8")
    out = tmp_path / "a.json"
    main(["assess", "2026", "--db", server_db.test_url, "--rules", str(rules),
          "--format", "json", "--out", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rules"]["name"] == "县中心 2027 版" and data["grading_mode"] == "threshold"
    assert len(data["rules"]["hash"]) == 12


def test_publication_never_carries_a_phone_or_a_villagers_name(
        server_db, tmp_path: Path) -> None:
    _county()
    PurchaseOrder.update(villager_name="张三", villager_phone="13800001111").execute()
    for fmt in ("csv", "html", "xlsx"):
        out = tmp_path / f"p.{fmt}"
        main(["assess", "2026", "--db", server_db.test_url, "--format", fmt,
              "--full", "--out", str(out)])
        if fmt == "xlsx":
            book = load_workbook(out)
            text = " ".join(str(c.value) for s in book for row in s.iter_rows()
                            for c in row)
        else:
            text = out.read_bytes().decode("utf-8-sig")
        assert "张三" not in text and "13800001111" not in text


def test_full_report_has_the_leading_groups_tables(server_db, tmp_path: Path) -> None:
    _county()
    out = tmp_path / "report.xlsx"
    main(["assess", "2026", "--db", server_db.test_url, "--format", "xlsx", "--full",
          "--out", str(out)])
    book = load_workbook(out)
    assert book.sheetnames == ["各站得分", "等级分布", "季度交易额", "整改与清退"]
    assert book["各站得分"]["E2"].value.startswith("1.设施设备使用维护")


def test_one_station_trace_names_the_records_behind_lost_points() -> None:
    station()
    purchases("S1", date(2026, 3, 1), 3)
    purchases("S1", date(2026, 3, 1), 1, villager_complete=False)
    bad = PurchaseOrder.get(PurchaseOrder.villager_complete == False)  # noqa: E712
    found = assess("2026", only="S1").stations[0]
    assert found.items[7].lines[1].refs == [str(bad.uuid)]


def test_week_with_four_full_days_breaks_the_opening_rule() -> None:
    station()
    monday = date(2026, 3, 2)
    for n, hours in enumerate((9, 9, 9, 9, 7)):
        day = monday + timedelta(days=n)
        ledger(OpenSpell, "S1", at(day, 8), opened_at=at(day, 8),
               closed_at=at(day, 8) + hours * 3600)
    found = assess("2026-03").extras["opening_violations"]
    week = next(v for v in found if v["week"] == "2026W10")
    assert (week["required"], week["full_days"]) == (5, 4)
    assert week["short_days"] == ["2026-03-06"]


def test_open_spells_of_one_day_add_up() -> None:
    station()
    monday = date(2026, 3, 2)
    for n in range(5):
        day = monday + timedelta(days=n)
        for start in (8, 14):
            ledger(OpenSpell, "S1", at(day, start), opened_at=at(day, start),
                   closed_at=at(day, start) + 4 * 3600)
    found = assess("2026-03").extras["opening_violations"]
    assert not [v for v in found if v["week"] == "2026W10"]


def test_a_week_partly_active_needs_proportionally_fewer_days() -> None:
    station(active_from=date(2026, 3, 6))  # a Friday: 3 active days
    found = assess("2026-03").extras["opening_violations"]
    week = next(v for v in found if v["week"] == "2026W10")
    assert week["required"] == 3  # ceil(5 × 3 / 7)


def test_failed_rectification_marks_the_station_to_be_disqualified() -> None:
    station()
    station("S2")
    center(Rectification, "S1", failed_period="2025", issued_day=date(2026, 2, 1),
           deadline_day=date(2026, 4, 30))
    for item, a, b in ((1, 10, 0), (2, 3, 2), (3, 2, 1), (10, 5, 5), (12, 5, 0)):
        onsite("S2", item, date(2026, 4, 20), a, b)
    center(Rectification, "S2", failed_period="2025", issued_day=date(2026, 2, 1),
           deadline_day=date(2026, 4, 30))
    for day in days(date(2026, 2, 1), date(2026, 4, 30)):
        from tests.assess_data import report

        report("S2", day, at(day, 20))
    purchases("S2", date(2026, 3, 1), 200)
    listed = {r["station"]: r for r in assess("2026H1").extras["to_disqualify"]}
    assert listed["S1"]["passed"] is False and listed["S1"]["decision"] is None
    assert listed["S2"]["passed"] is True


def test_demo_builds_a_small_county_that_assesses(tmp_path: Path, server_db) -> None:
    from station_tui.assessment.demo import build

    build(server_db, year=2026, stations=3, seed=7)
    assert CenterStation.select().count() == 3
    assert {s.town for s in CenterStation.select()} == {"龙港镇", "中村镇", "郑庄镇"}
    found = assess("2026")
    assert [r.rank for r in found.stations] == [1, 2, 3]
    assert all(r.items[7].score > 0 for r in found.stations)


def test_station_preview_works_without_the_center_registry() -> None:
    """On a station PC there is no registry: the station describes itself."""
    from station_tui.assessment.context import StationInfo
    from station_tui.assessment.engine import preview

    purchases("S7", date(2026, 3, 1), 100)
    me = StationInfo("S7", "本站", "龙港镇", "village", "active", date(2026, 1, 1), None)
    found = preview(me, "2026", date(2026, 7, 2)).stations[0]
    # Jan 1 – Jul 1 is 182 days: ceil(500 × 182 / 365) = 250
    assert found.targets[0] == 250 and found.items[7].score == Decimal("7.00")
