"""The today screen's figures, from the query module up to the screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from station_tui.domain import clock
from station_tui.operations import opening
from station_tui.operations.changes import create, void
from station_tui.operations.today import today_summary
from station_tui.records import (
    DailyReport,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Record,
    Refund,
    SaleOrder,
    ServiceRecord,
    StationProfile,
)
from station_tui.storage.db import write_txn

DAY = date(2026, 4, 1)  # a Wednesday


def at(day: date, hm: str) -> int:
    hour, minute = map(int, hm.split(":"))
    return clock.instant_of(datetime(day.year, day.month, day.day, hour, minute))


NOW = at(DAY, "16:00")


@pytest.fixture
def station(station: StationProfile,
            monkeypatch: pytest.MonkeyPatch) -> StationProfile:
    """A station in service since New Year; the clock stands at NOW."""
    StationProfile.update(created_at=at(date(2026, 1, 1), "08:00")).execute()
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return StationProfile.get()


_parcels = 0


def add(model: type[Record], when: int, **fields: Any) -> Record:
    with write_txn():
        return create(model, station="QY-001", happened_at=when, **fields)


def parcel_in(when: int, status: str = "waiting") -> Record:
    global _parcels
    _parcels += 1
    return add(ParcelIn, when, tracking_no=f"SF{_parcels:013d}", carrier="SF",
               shelf_slot="A1", pickup_code=f"1-1-{_parcels:02d}", status=status)


def fill_day() -> None:
    """Records of DAY, one voided, plus records of the day before."""
    parcel_in(at(DAY, "09:00"))
    parcel_in(at(DAY, "10:00"), status="picked_up")
    mis_scan = parcel_in(at(DAY, "10:05"))
    with write_txn():
        void(mis_scan, "扫错了")
    parcel_in(at(DAY - timedelta(days=1), "23:59"))
    add(ParcelOut, at(DAY, "11:00"), carrier="ZTO", weight_g=1200, fee_fen=800)
    add(ParcelOut, at(DAY, "11:30"), carrier="YTO", weight_g=500, fee_fen=1000)
    order = add(PurchaseOrder, at(DAY, "12:00"), goods="电饭锅", quantity=1,
                amount_fen=58242, platform="拼多多", service_fee_fen=200)
    add(SaleOrder, at(DAY, "00:30"), product="小米", quantity=10,
        unit_price_fen=995, amount_fen=9950, channel="o2o")
    add(Refund, at(DAY, "13:00"), order_kind="purchase", order=order.uuid,
        amount_fen=995, reason="少发一件")
    add(ServiceRecord, at(DAY, "14:00"), category="payment", kind="electricity",
        amount_fen=10000, fee_fen=0)
    add(ServiceRecord, at(DAY, "14:10"), category="payment", kind="phone",
        amount_fen=5000, fee_fen=100)
    add(ServiceRecord, at(DAY, "14:20"), category="booking", kind="train",
        amount_fen=12850, fee_fen=500)


def test_today_counts_and_amounts_leave_out_voided_and_other_days(
        station: StationProfile) -> None:
    fill_day()

    lines = {line.kind: line for line in today_summary().lines}

    assert (lines["parcel_in"].count, lines["parcel_in"].amount_fen) == (2, None)
    assert (lines["parcel_out"].count, lines["parcel_out"].fee_fen) == (2, 1800)
    assert (lines["purchase"].count, lines["purchase"].amount_fen,
            lines["purchase"].fee_fen) == (1, 58242, 200)
    assert (lines["refund"].count, lines["refund"].amount_fen) == (1, 995)
    assert (lines["service:payment"].count, lines["service:payment"].amount_fen,
            lines["service:payment"].fee_fen) == (2, 15000, 100)
    assert (lines["service:booking"].count, lines["service:booking"].amount_fen) == (
        1, 12850
    )
    assert (lines["service:financial"].count,
            lines["service:financial"].amount_fen) == (0, 0)


def test_a_sale_at_half_past_midnight_counts_that_day_C04(
        station: StationProfile) -> None:
    fill_day()

    lines = {line.kind: line for line in today_summary().lines}

    assert (lines["sale"].count, lines["sale"].amount_fen) == (1, 9950)


def test_waiting_parcels_are_bucketed_by_days_waited(station: StationProfile) -> None:
    for days_ago in (0, 2, 4, 8, 10):
        parcel_in(NOW - days_ago * 86400 - 60)
    parcel_in(NOW - 20 * 86400, status="picked_up")

    waiting = today_summary().waiting

    assert waiting.total == 5
    assert waiting.over == {1: 4, 3: 3, 7: 2}


def test_the_daily_report_is_due_until_submitted(station: StationProfile) -> None:
    assert today_summary().report.due
    assert today_summary().report.submitted_at is None

    add(DailyReport, at(DAY, "20:00"), submitted_at=at(DAY, "20:00"), figures="{}")

    assert today_summary().report.submitted_at == at(DAY, "20:00")


def test_a_rest_day_needs_no_report(station: StationProfile) -> None:
    opening.declare_rest_day(DAY, at=at(DAY, "06:00"))

    summary = today_summary()

    assert summary.mark == "rest"
    assert not summary.report.due


def test_a_missing_report_for_yesterday_is_flagged(station: StationProfile) -> None:
    assert today_summary().report.yesterday_missing

    yesterday = DAY - timedelta(days=1)
    add(DailyReport, at(yesterday, "21:00"), submitted_at=at(yesterday, "21:00"),
        figures="{}")

    assert not today_summary().report.yesterday_missing


def test_open_hours_and_the_week_show_on_today(station: StationProfile) -> None:
    opening.open_station(at=at(DAY, "08:00"))
    opening.close_station(at=at(DAY, "12:00"))
    opening.open_station(at=at(DAY, "13:00"))

    summary = today_summary()

    assert summary.open_since == at(DAY, "13:00")
    assert summary.open_seconds == 7 * 3600
    today = next(d for d in summary.week.days if d.day == DAY)
    assert today.open_seconds == 7 * 3600 and not today.qualifies


async def test_the_today_screen_shows_the_figures(
        station: StationProfile, db_path: Path) -> None:
    from station_tui.ui.app import StationApp
    from station_tui.ui.screens.today_screen import TodayScreen
    from station_tui.ui.widgets.figures_table import FiguresTable

    fill_day()
    opening.open_station(at=at(DAY, "08:00"))
    app = StationApp(db_path, start_checks=False)

    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        kinds = screen.query_one("#today-kinds", FiguresTable)
        purchase = [str(cell) for cell in kinds.get_row("purchase")]
        assert purchase == ["代购订单", "1", "582.42", "2.00"]
        parcels_out = [str(cell) for cell in kinds.get_row("parcel_out")]
        assert parcels_out == ["代寄快递", "2", "", "18.00"]
        state = str(screen.query_one("#today-open").render())
        assert "营业中" in state and "08:00" in state and "8小时00分" in state
        report = str(screen.query_one("#today-report").render())
        assert "未提交" in report
