"""The station's own assessment preview, on a station database (RULES §3)."""

from __future__ import annotations

import json
import math
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from peewee import SqliteDatabase

from station_tui.domain import clock
from station_tui.operations import daily_report, purchases, sales
from station_tui.operations.preview import build_preview, current_previews
from station_tui.operations.station import set_setting, setup_station
from station_tui.records import StationProfile, SyncRound
from station_tui.records.center import AssessmentSnapshot, CenterStation, OnsiteRound
from station_tui.storage.db import write_txn

CODE = "QY-001"
Freeze = Callable[[str], int]


@pytest.fixture
def freeze(monkeypatch: pytest.MonkeyPatch) -> Freeze:
    """Set the app's clock to a Shanghai local time; returns the instant."""

    def to(text: str) -> int:
        instant = clock.instant_of(datetime.fromisoformat(text))
        monkeypatch.setattr(clock, "now", lambda: instant)
        return instant

    return to


@pytest.fixture
def new_station(db: SqliteDatabase, freeze: Freeze) -> StationProfile:
    """A station set up on New Year's Day 2026 that has never synced."""
    freeze("2026-01-01 08:00")
    return setup_station(code=CODE, name="城关村服务站", town="沁河镇",
                         village="城关村", partner="王建国", phone="13800001111")


def purchase_orders(freeze: Freeze, day: str, count: int) -> None:
    """``count`` purchases placed on ``day``, each typed in as it happened."""
    for n in range(count):
        freeze(f"{day} 09:{n % 60:02d}")
        purchases.register(name="李秀英", phone="13912345678", goods="化肥",
                           count="1", amount="100", platform="拼多多",
                           order_no=f"P{day}{n}")


def sale_orders(freeze: Freeze, day: str, count: int) -> None:
    for n in range(count):
        freeze(f"{day} 15:{n % 60:02d}")
        sales.register(name="赵大山", phone="13700001111", product="小米",
                       offer_kind="product", count="2", unit_price="15",
                       channel="platform", channel_name="拼多多",
                       order_no=f"S{day}{n}")


def pulled_round(item: int, day: date, score: int, **parts: int) -> None:
    """An on-site round as the sync pull stores it in the local table."""
    with write_txn():
        OnsiteRound.create(uuid=uuid.uuid4(), station=CODE, item=item, day=day,
                           inspector="检查员张", score=score, part_a=score,
                           entered_by="张", entered_at=0, updated_at=0, **parts)
        SyncRound.create(started_at=clock.now(), finished_at=clock.now(), ok=True)


def test_half_year_volume_counts_the_ledger_against_halved_targets(
        new_station: StationProfile, freeze: Freeze) -> None:
    purchase_orders(freeze, "2026-02-10", 30)
    sale_orders(freeze, "2026-03-15", 10)
    cancelled = purchases.register(
        name="李秀英", phone="13912345678", goods="化肥", count="1", amount="100",
        platform="拼多多", order_no="PX")
    purchases.cancel(cancelled.uuid, "村民不要了")
    pulled_round(1, date(2026, 3, 1), 800)
    freeze("2026-07-01 10:00")

    half = build_preview("H1", date(2026, 7, 1))
    year = build_preview("year", date(2026, 7, 1))

    assert half.period.name == "2026H1" and half.counted_until == date(2026, 6, 30)
    result = half.result
    assert result is not None
    # The whole of H1 counted: half the annual 500 and 100.
    assert result.targets == (250, 50)
    assert result.items[7].lines[0].text == "代购单量 30 / 目标 250 单"
    assert result.items[7].lines[0].points == Decimal("0.60")
    assert result.items[8].lines[0].text == "代销单量 10 / 目标 50 单"
    assert result.items[8].lines[0].points == Decimal("1.00")
    # Every order was typed in at once with all its fields: full ledger part.
    assert result.items[7].score == Decimal("5.60")
    assert result.items[8].score == Decimal("6.00")
    # The year so far: 181 of 365 days of the annual targets.
    assert year.result is not None
    assert year.result.targets == (math.ceil(500 * 181 / 365),
                                   math.ceil(100 * 181 / 365))
    assert year.result.items[7].lines[0].text.startswith("代购单量 30 /")


def test_a_pulled_onsite_round_scores_item_one(
        new_station: StationProfile, freeze: Freeze) -> None:
    pulled_round(1, date(2026, 3, 1), 800)
    pulled_round(1, date(2026, 5, 1), 900)
    freeze("2026-05-20 10:00")

    found = build_preview("H1", date(2026, 5, 20))

    assert found.result is not None
    item = found.result.items[1]
    assert item.score == Decimal("8.50")
    assert "检查员张 现场评分 8.00" in item.lines[0].text
    assert item.lines[-1].text == "2 轮平均：8.50"
    # Synced, so only the on-site items still without a round are named.
    assert found.waiting_for_center == [
        "第 2、3、10、12 项本期还没有收到中心的现场评分，暂计 0 分"]


def test_a_round_after_today_is_not_counted_yet(
        new_station: StationProfile, freeze: Freeze) -> None:
    pulled_round(1, date(2026, 5, 20), 900)
    freeze("2026-05-20 10:00")
    found = build_preview("H1", date(2026, 5, 20))
    assert found.result is not None and found.result.items[1].score == 0


def test_a_station_that_never_synced_says_what_waits_for_the_center(
        new_station: StationProfile, freeze: Freeze) -> None:
    freeze("2026-03-01 10:00")

    half, year = current_previews(date(2026, 3, 1))

    assert (half.choice, year.choice) == ("H1", "year")
    assert half.last_pull_at is None and not half.rules_from_center
    assert "还没有同步过" in half.waiting_for_center[0]
    assert any(line.startswith("第 1、2、3、10、12 项") and "暂计 0 分" in line
               for line in half.waiting_for_center)
    assert any(line.startswith("第 4 项") and "暂按满分" in line
               for line in half.waiting_for_center)
    assert half.result is not None
    assert half.result.items[1].lines[0].text.startswith("本期没有现场评分记录")
    assert half.center_result is None
    assert half.rules_label.startswith("程序自带的默认规则")


def test_daily_reports_on_the_station_pc_count_for_item_six(
        new_station: StationProfile, freeze: Freeze) -> None:
    """The engine joins the station registry for item 6; the station PC
    describes itself there, so its own reports count."""
    for offset in range(9):
        day = date(2026, 2, 1) + timedelta(days=offset)
        freeze(f"{day} 20:00")
        if offset != 4:
            daily_report.submit(day)
    freeze("2026-02-10 10:00")

    found = build_preview("year", date(2026, 2, 10))

    assert found.result is not None
    item = found.result.items[6]
    # Jan 1 – Feb 9: 40 days due, 8 on time, 32 missed at 2 points each.
    assert item.lines[0].text.startswith("满分（应报日报 40 天，准时 8")
    assert item.score == Decimal("0.00")
    row = CenterStation.get(CenterStation.code == CODE)
    assert row.active_from == date(2026, 1, 1)


def test_active_since_the_first_record_when_the_profile_is_newer(
        db: SqliteDatabase, freeze: Freeze) -> None:
    """A PC rebuilt with restore has a new profile and the old records."""
    freeze("2026-06-01 08:00")
    setup_station(code=CODE, name="城关村服务站", town="沁河镇", village="城关村",
                  partner="王建国", phone="13800001111")
    purchase_orders(freeze, "2026-04-01", 1)
    freeze("2026-07-01 10:00")
    found = build_preview("H1", date(2026, 7, 1))
    assert found.result is not None
    assert found.result.active_days == (date(2026, 7, 1) - date(2026, 4, 1)).days


def test_pulled_rules_text_replaces_the_default(
        new_station: StationProfile, freeze: Freeze) -> None:
    with write_txn():
        set_setting("rules_text", 'version = "2026-2"\n[orders]\npurchase_target = 100\n')
        set_setting("rules_version", "2026-2")
    freeze("2026-07-01 10:00")
    found = build_preview("H1", date(2026, 7, 1))
    assert found.rules_from_center and "2026-2" in found.rules_label
    assert found.result is not None and found.result.targets[0] == 50


def test_the_latest_center_result_is_shown_with_its_grade(
        new_station: StationProfile, freeze: Freeze) -> None:
    for period, computed, rank, grade in (("2025", 100, 9, "pass"),
                                          ("2026H1", 200, 3, None)):
        body = {"total": "86.50", "rank": rank, "grade": grade}
        with write_txn():
            AssessmentSnapshot.create(
                uuid=uuid.uuid4(), station=CODE, entered_by="中心", entered_at=0,
                updated_at=0, period=period, computed_at=computed,
                rules_hash="abc", result=json.dumps(body))
    freeze("2026-07-05 10:00")
    found = build_preview("H2", date(2026, 7, 5)).center_result
    assert found is not None
    assert (found.period, found.rank, found.total, found.grade) == (
        "2026H1", 3, "86.50", "")


def test_the_second_half_has_nothing_to_count_before_july(
        new_station: StationProfile, freeze: Freeze) -> None:
    freeze("2026-05-20 10:00")
    found = build_preview("H2", date(2026, 5, 20))
    assert found.result is None and found.counted_until is None


def test_grade_by_score_puts_boundaries_in_the_higher_band(
        new_station: StationProfile) -> None:
    from station_tui.assessment.rules import load_rules
    from station_tui.operations.preview import grade_by_score

    rules = load_rules()
    assert [grade_by_score(Decimal(v), rules) for v in ("95", "94.99", "80", "60",
                                                        "59.99")] == [
        "优秀", "良好", "良好", "合格", "不合格"]


def test_preview_runs_on_a_fresh_database_file(tmp_path: Path, freeze: Freeze) -> None:
    """No center tables beyond what migrations make: the preview adds them."""
    from station_tui.storage.db import open_sqlite

    database = open_sqlite(tmp_path / "fresh.sqlite3")
    try:
        assert "center_station" not in database.get_tables()
        freeze("2026-01-01 08:00")
        setup_station(code=CODE, name="站", town="镇", village="村",
                      partner="王建国", phone="13800001111")
        freeze("2026-03-01 08:00")
        found = build_preview("year", date(2026, 3, 1))
        assert found.result is not None and found.result.active_days == 59
        assert {"center_station", "clock_flag"} <= set(database.get_tables())
    finally:
        database.close()


# -- the 考核 screen -----------------------------------------------------------


def _cells(table: object, key: str) -> list[str]:
    from station_tui.ui.widgets.preview_table import PreviewTable

    assert isinstance(table, PreviewTable)
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row(key)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_ctrl_k_shows_the_preview_with_pulled_round_and_orders(
        new_station: StationProfile, freeze: Freeze, db_path: Path,
        size: tuple[int, int]) -> None:
    from textual.widgets import Static, Tabs

    from station_tui.ui.app import StationApp
    from station_tui.ui.screens.preview_screen import PreviewScreen
    from station_tui.ui.widgets.preview_table import PreviewTable

    purchase_orders(freeze, "2026-03-02", 25)
    pulled_round(2, date(2026, 4, 8), 400, part_b=150)
    freeze("2026-05-20 10:00")

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+k")
        await app.workers.wait_for_complete()
        await pilot.pause()

        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        assert screen.query_one(Tabs).active == "H1"
        table = screen.query_one("#preview-items", PreviewTable)
        assert _cells(table, "item-2")[:2] == [" 2 营业场所卫生保洁", "4.00/5"]
        # 139 of H1's 181 days counted: ceil(250 × 139 / 181) = 192.
        assert _cells(table, "item-7")[2] == "代购单量 25 / 目标 192 单"
        assert _cells(table, "item-1")[2].startswith("本期没有现场评分记录")
        total = _cells(table, "total")
        period = str(screen.query_one("#preview-period", Static).render())
        assert "统计到 05-19" in period
        summary = str(screen.query_one("#preview-total", Static).render())
        assert f"合计{total[1].split('/')[0]}分" in summary
        assert "不评等级" in summary and "以中心公布为准" in summary

        # The whole year: targets of the full annual figure, and a grade line.
        await pilot.press("left")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(Tabs).active == "year"
        assert _cells(table, "item-7")[2] == "代购单量 25 / 目标 191 单"
        summary = str(screen.query_one("#preview-total", Static).render())
        assert "年终考核按分数线相当于" in summary
