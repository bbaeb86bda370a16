"""The daily report: figures, submission, locking, amendment, timeliness."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Callable

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.widgets import Button, Input, Static

from station_tui.domain import clock
from station_tui.errors import InputError, RuleError
from station_tui.operations import changes, daily_report
from station_tui.operations.daily_report import DayFigures
from station_tui.records import (
    DailyReport,
    OpenSpell,
    Outbox,
    ParcelOut,
    PurchaseOrder,
    Refund,
    RestDay,
    SaleOrder,
    ServiceRecord,
)
from station_tui.storage.db import write_txn
from tests.ledger_factory import ScreenApp, add, at, parcel_in, settle
from station_tui.ui.screens.report_confirm_modal import ReportConfirmModal
from station_tui.ui.screens.report_screen import ReportScreen

DAY = date(2026, 4, 1)


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], int]:
    """Freeze the clock at a Shanghai local time; returns the instant."""

    def freeze(text: str) -> int:
        instant = at(text)
        monkeypatch.setattr(clock, "now", lambda: instant)
        return instant

    return freeze


@pytest.fixture
def ready(db: SqliteDatabase, set_now: Callable[[str], int]) -> Callable[[str], int]:
    """A station set up on 2026-03-30, the clock then free to move."""
    from station_tui.operations.station import setup_station

    set_now("2026-03-30 09:00")
    setup_station(code="QY-001", name="城关村服务站", town="沁河镇",
                  village="城关村", partner="王建国", phone="13800001111")
    return set_now


def test_figures_count_every_kind_of_the_day_and_leave_voided_out(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-02 10:00")
    parcel_in("2026-04-01 08:00", "SF1000000000001")
    parcel_in("2026-04-01 09:00", "SF1000000000002", damaged_on_arrival=True)
    parcel_in("2026-03-31 17:00", "SF1000000000003", status="picked_up",
              picked_up_at=at("2026-04-01 10:00"))
    parcel_in("2026-04-02 00:00", "SF1000000000004")  # next day
    voided = parcel_in("2026-04-01 11:00", "SF1000000000005")
    with write_txn():
        changes.void(voided, "扫错了")
    add(ParcelOut, "2026-04-01 12:00", carrier="ZTO", weight_g=800, fee_fen=1200)
    add(ParcelOut, "2026-04-01 23:59", carrier="ZTO", weight_g=300, fee_fen=800)
    order = add(PurchaseOrder, "2026-04-01 09:30", goods="电饭煲", quantity=1,
                amount_fen=19900, platform="拼多多", status="ordered",
                ordered_at=at("2026-04-01 09:40"), ordered_day=DAY)
    add(PurchaseOrder, "2026-03-31 15:00", goods="化肥", quantity=2,
        amount_fen=12000, platform="淘宝", status="ordered",
        ordered_at=at("2026-04-01 08:10"), ordered_day=DAY)
    # An exchange replaces goods of an order already counted.
    add(PurchaseOrder, "2026-04-01 15:00", goods="电饭煲（换）", quantity=1,
        amount_fen=19900, platform="拼多多", status="ordered", order_kind="exchange",
        original=order.uuid, ordered_at=at("2026-04-01 15:10"), ordered_day=DAY)
    add(SaleOrder, "2026-04-01 14:00", product="小米", quantity=10,
        unit_price_fen=800, amount_fen=8000, channel="o2o")
    add(Refund, "2026-04-01 16:00", order_kind="purchase", order=order.uuid,
        amount_fen=995, reason="少发一件")
    add(ServiceRecord, "2026-04-01 10:00", category="payment", kind="phone",
        amount_fen=5000, fee_fen=0)
    add(ServiceRecord, "2026-04-01 11:00", category="payment", kind="electricity",
        amount_fen=10000, fee_fen=100)
    add(ServiceRecord, "2026-04-01 11:30", category="financial", kind="withdrawal",
        amount_fen=50000, fee_fen=200)

    figures = daily_report.compile_day(DAY)

    assert (figures.parcels_in, figures.parcels_in_damaged) == (2, 1)
    assert figures.parcels_picked_up == 1
    assert (figures.parcels_out, figures.parcels_out_fee_fen) == (2, 2000)
    assert (figures.purchase_registered, figures.purchase_registered_fen) == (
        1, 19900)
    assert (figures.purchase_ordered, figures.purchase_ordered_fen) == (2, 31900)
    assert (figures.sale_registered, figures.sale_registered_fen) == (1, 8000)
    assert figures.sale_ordered == 0
    assert (figures.refunds, figures.refunds_fen) == (1, 995)
    payment = figures.services["payment"]
    assert (payment.count, payment.amount_fen, payment.fee_fen) == (2, 15000, 100)
    assert figures.services["financial"].fee_fen == 200
    assert figures.services["booking"].count == 0


def test_open_spells_across_midnight_are_clipped_to_each_day(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-02 10:00")
    add(OpenSpell, "2026-03-31 20:00", opened_at=at("2026-03-31 20:00"),
        closed_at=at("2026-04-01 02:00"), close_kind="clock")
    add(OpenSpell, "2026-04-01 08:00", opened_at=at("2026-04-01 08:00"),
        closed_at=at("2026-04-01 12:00"), close_kind="clock")
    add(OpenSpell, "2026-04-01 22:00", opened_at=at("2026-04-01 22:00"),
        closed_at=at("2026-04-02 01:30"), close_kind="settled")

    first = daily_report.compile_day(date(2026, 3, 31))
    second = daily_report.compile_day(DAY)
    third = daily_report.compile_day(date(2026, 4, 2))

    assert first.open_seconds == 4 * 3600
    assert (second.open_seconds, second.open_spells) == (2 * 3600 + 4 * 3600
                                                         + 2 * 3600, 3)
    assert third.open_seconds == 90 * 60
    assert not second.still_open


def test_an_unclosed_spell_counts_until_now_and_is_flagged(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-01 15:00")
    add(OpenSpell, "2026-04-01 08:00", opened_at=at("2026-04-01 08:00"))

    figures = daily_report.compile_day(DAY)

    assert figures.open_seconds == 7 * 3600
    assert figures.still_open


def test_figures_survive_the_json_round_trip(ready: Callable[[str], int]) -> None:
    ready("2026-04-01 20:00")
    add(ServiceRecord, "2026-04-01 10:00", category="booking", kind="train",
        amount_fen=12345, fee_fen=500)
    figures = daily_report.compile_day(DAY)

    assert DayFigures.from_json(figures.to_json()) == figures


def test_a_submitted_report_locks_and_keeps_the_day_even_when_late(
    ready: Callable[[str], int],
) -> None:
    now = ready("2026-04-02 09:00")
    parcel_in("2026-04-01 08:00", "SF1000000000001")

    report = daily_report.submit(DAY, "张𠮷😀 今天停电半小时")

    stored = DailyReport.get_by_id(report.uuid)
    assert stored.happened_day == DAY
    assert stored.happened_at == stored.submitted_at == now
    assert stored.note == "张𠮷😀 今天停电半小时"
    assert DayFigures.from_json(stored.figures).parcels_in == 1
    assert Outbox.select().where(Outbox.record_uuid == report.uuid).count() == 1
    assert daily_report.day_status(DAY).timeliness == "late"
    with pytest.raises(RuleError, match="已于 2026-04-02 09:00 提交并锁定"):
        daily_report.submit(DAY, "再交一次")
    assert DailyReport.select().count() == 1


def test_an_amendment_is_a_new_record_and_the_original_keeps_its_timeliness(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-01 21:00")
    original = daily_report.submit(DAY, "初报")
    parcel_in("2026-04-01 22:00", "SF1000000000009")
    ready("2026-04-03 10:00")

    amendment = daily_report.amend(DAY, "补录一件快递")

    kept = DailyReport.get_by_id(original.uuid)
    assert (kept.version, kept.note, kept.figures) == (1, "初报", original.figures)
    assert amendment.amends == original.uuid
    assert amendment.happened_day == DAY
    assert DayFigures.from_json(amendment.figures).parcels_in == 1
    status = daily_report.day_status(DAY)
    assert status.timeliness == "on_time"
    assert status.original.uuid == original.uuid
    assert status.latest.uuid == amendment.uuid
    assert status.amendments == 1
    recent = daily_report.recent_reports()
    assert [(r.is_amendment, r.timeliness) for r in recent] == [
        (True, "on_time"), (False, "on_time")]


def test_amending_a_day_without_a_report_is_refused(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-01 21:00")
    with pytest.raises(RuleError, match="还没有提交"):
        daily_report.amend(DAY, "x")


def test_a_report_for_a_future_day_is_refused(ready: Callable[[str], int]) -> None:
    ready("2026-04-01 23:59")
    with pytest.raises(RuleError, match="2026-04-02 还没有到"):
        daily_report.submit(date(2026, 4, 2), "")
    assert DailyReport.select().count() == 0


def test_an_overlong_note_is_refused_at_the_note_field(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-01 21:00")
    with pytest.raises(InputError) as info:
        daily_report.submit(DAY, "字" * 2001)
    assert info.value.field == "note"


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        pytest.param("2026-04-01 23:59:59", "on_time", id="23:59:59-on-time"),
        pytest.param("2026-04-02 00:00:00", "late", id="00:00:00-late"),
        pytest.param("2026-04-05 00:00:00", "late", id="exactly-72h-late"),
        pytest.param("2026-04-05 00:00:01", "missed", id="72h-plus-missed"),
    ],
)
def test_timeliness_follows_the_half_open_deadline_and_72_hours(
    ready: Callable[[str], int], submitted: str, expected: str,
) -> None:
    ready(submitted)
    daily_report.submit(DAY, "")

    assert daily_report.day_status(DAY).timeliness == expected
    assert daily_report.timeliness(DAY, at(submitted), now=at(submitted)) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-04-01 22:00", "pending"),
        ("2026-04-02 08:00", "overdue"),
        ("2026-04-05 00:00:01", "missed"),
    ],
)
def test_an_unsubmitted_report_is_pending_then_overdue_then_missed(
    now: str, expected: str,
) -> None:
    assert daily_report.timeliness(DAY, None, now=at(now)) == expected


def test_a_rest_day_needs_no_report(ready: Callable[[str], int]) -> None:
    ready("2026-03-31 07:00")
    add(RestDay, "2026-03-31 07:00", declared_at=at("2026-03-31 07:00"))
    ready("2026-04-02 09:00")
    add(RestDay, "2026-04-01 00:00", declared_at=at("2026-03-25 09:00"),
        kind="holiday")

    status = daily_report.day_status(date(2026, 3, 31))

    assert not status.due
    assert status.timeliness == "not_due"
    assert daily_report.day_status(DAY).timeliness == "not_due"
    assert daily_report.yesterday_warning() is None
    assert daily_report.missing_days() == [date(2026, 3, 30)]


def test_a_voided_rest_day_makes_the_report_due_again(
    ready: Callable[[str], int],
) -> None:
    ready("2026-04-01 07:00")
    rest = add(RestDay, "2026-04-01 07:00", declared_at=at("2026-04-01 07:00"))
    with write_txn():
        changes.void(rest, "改为营业")
    ready("2026-04-02 09:00")

    assert daily_report.day_status(DAY).due


def test_yesterday_missing_is_warned_and_missing_days_are_listed(
    ready: Callable[[str], int],
) -> None:
    ready("2026-03-31 20:00")
    daily_report.submit(date(2026, 3, 31), "")
    ready("2026-04-03 08:00")

    warning = daily_report.yesterday_warning()

    assert warning is not None and "4月2日" in warning
    assert daily_report.missing_days() == [
        date(2026, 3, 30), date(2026, 4, 1), date(2026, 4, 2)]
    daily_report.submit(date(2026, 4, 2), "补报")
    assert daily_report.yesterday_warning() is None
    assert daily_report.missing_days() == [date(2026, 3, 30), date(2026, 4, 1)]


def test_no_warning_on_the_day_the_station_was_set_up(
    ready: Callable[[str], int],
) -> None:
    ready("2026-03-30 18:00")
    assert daily_report.yesterday_warning() is None
    assert daily_report.missing_days() == []


def test_changes_create_keeps_an_explicit_day(ready: Callable[[str], int]) -> None:
    ready("2026-04-02 09:00")
    with write_txn():
        record = changes.create(
            DailyReport, station="QY-001", day=DAY, submitted_at=0,
            figures="{}", amends=uuid.uuid4(),
        )
    assert DailyReport.get_by_id(record.uuid).happened_day == DAY


# The report screen, driven by Pilot ---------------------------------------

NOTE = "张𠮷😀 停电半小时"


def ReportApp() -> ScreenApp:
    return ScreenApp(ReportScreen)


def text_of(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def confirm(pilot: Any, button: str) -> None:
    await pilot.click(button)
    await settle(pilot.app)
    assert isinstance(pilot.app.screen, ReportConfirmModal)
    await pilot.click("#confirm")
    await settle(pilot.app)


async def test_report_screen_submits_locks_and_amends_keeping_the_original(
    station: Any,
) -> None:
    parcel_in(clock.format_time(clock.now(), "%Y-%m-%d %H:%M:%S"),
              "SF1000000000001")
    app = ReportApp()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(app)
        assert "到件 1 件" in text_of(app, "#report-figures")
        assert "未提交" in text_of(app, "#report-status")

        app.screen.query_one("#input-note", Input).value = NOTE
        await confirm(pilot, "#submit")

        assert "已锁定" in text_of(app, "#report-status")
        assert app.screen.query_one("#submit", Button).disabled
        assert not app.screen.query_one("#amend", Button).disabled
        (original,) = DailyReport.select()
        assert original.note == NOTE

        await pilot.press("ctrl+s")  # locked: nothing to confirm, nothing saved
        await settle(app)
        assert isinstance(app.screen, ReportScreen)
        assert DailyReport.select().count() == 1

        app.screen.query_one("#input-note", Input).value = "补：一件破损"
        await confirm(pilot, "#amend")

        reports = list(DailyReport.select().order_by(DailyReport.entered_at))
        assert len(reports) == 2
        assert reports[1].amends == original.uuid
        assert DailyReport.get_by_id(original.uuid).note == NOTE
        assert "已更正 1 次" in text_of(app, "#report-status")
        table = app.screen.query_one("#report-recent")
        assert table.row_count == 2


async def test_report_screen_cancel_saves_nothing(station: Any) -> None:
    app = ReportApp()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(app)
        await pilot.click("#submit")
        await settle(app)
        await pilot.press("escape")
        await settle(app)
        assert DailyReport.select().count() == 0
        assert isinstance(app.screen, ReportScreen)


async def test_report_screen_warns_when_yesterdays_report_is_missing(
    db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from station_tui.operations.station import setup_station

    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now - 86400)
    setup_station(code="QY-001", name="城关村服务站", town="沁河镇",
                  village="城关村", partner="王建国", phone="13800001111")
    monkeypatch.setattr(clock, "now", lambda: real_now)
    app = ReportApp()
    async with app.run_test(size=(120, 50)):
        await settle(app)
        banner = app.screen.query_one("#report-warning", Static)
        assert banner.has_class("-shown")
        assert "昨天" in text_of(app, "#report-warning")


async def test_report_screen_marks_a_bad_day_at_the_field(station: Any) -> None:
    app = ReportApp()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(app)
        app.screen.query_one("#input-day", Input).value = "4月1日"
        await pilot.click("#reload")
        await settle(app)
        assert app.screen.query_one("#field-day").has_class("-invalid")
        assert "4月1日" in text_of(app, "#field-day .form-field--error")


async def test_a_locked_day_shows_what_was_submitted_and_later_changes_apart(
    station: Any,
) -> None:
    """After a submit, a parcel scanned in showed as if it had been reported."""
    parcel_in(clock.format_time(clock.now(), "%Y-%m-%d %H:%M:%S"),
              "SF1000000000001")
    app = ReportApp()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(app)
        await confirm(pilot, "#submit")
        shown = text_of(app, "#report-figures")
        assert "已提交的日报" in shown and "到件 1 件" in shown
        assert "又有变动" not in shown

        parcel_in(clock.format_time(clock.now(), "%Y-%m-%d %H:%M:%S"),
                  "SF1000000000002")
        await pilot.press("ctrl+l")  # 汇总 again
        await settle(app)
        shown = text_of(app, "#report-figures")
        submitted, _, now = shown.partition("提交后记录又有变动")
        assert "到件 1 件" in submitted and "到件 2 件" in now
        assert "更正" in now
