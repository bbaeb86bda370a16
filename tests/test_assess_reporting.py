"""Item 6: daily and requested reports, on time, late, missed (RULES §3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from station_tui.assessment.engine import assess
from station_tui.domain import clock
from station_tui.records import ReportSubmission
from station_tui.records.center import ClockFlag, Holiday, ReportRequest
from tests.assess_data import at, center, days, ledger, report, reports_on_time, rest, station

pytestmark = pytest.mark.usefixtures("server_db")
D = Decimal
FEB = "2026-02"


def item6(period: str = FEB, code: str = "S1", **kw: object):
    found = assess(period, **kw)
    return next(r for r in found.stations if r.code == code).items[6]


def test_a_february_full_of_on_time_reports_scores_full_marks() -> None:
    station()
    reports_on_time("S1", date(2026, 2, 1), date(2026, 2, 28))
    found = item6()
    assert found.score == D("15.00")
    assert "应报日报 28 天，准时 28" in found.lines[0].text


def _all_but_feb_10(submitted_at: int) -> None:
    station()
    for day in days(date(2026, 2, 1), date(2026, 2, 28)):
        if day != date(2026, 2, 10):
            report("S1", day, at(day, 20))
    report("S1", date(2026, 2, 10), submitted_at)


@pytest.mark.parametrize(("submitted", "expected"), [
    pytest.param(at(date(2026, 2, 10), 23, 59, 59), "15.00", id="23:59:59 on time"),
    pytest.param(at(date(2026, 2, 11), 0, 0, 0), "14.00", id="00:00:00 next day late"),
    pytest.param(clock.day_end(date(2026, 2, 10)) + 72 * 3600, "14.00",
                 id="exactly 72 hours late is late"),
    pytest.param(clock.day_end(date(2026, 2, 10)) + 72 * 3600 + 1, "13.00",
                 id="more than 72 hours late is missed"),
])
def test_report_deadline_boundaries(submitted: int, expected: str) -> None:
    _all_but_feb_10(submitted)
    assert item6().score == D(expected)


def test_late_and_missed_days_are_named_for_one_station() -> None:
    _all_but_feb_10(at(date(2026, 2, 11), 8))
    found = item6(only="S1")
    late = next(line for line in found.lines if "迟报" in line.text)
    assert late.refs == ["2026-02-10"]


def test_a_day_without_a_report_is_missed() -> None:
    station()
    for day in days(date(2026, 2, 1), date(2026, 2, 28)):
        if day.day not in (3, 4):
            report("S1", day, at(day, 20))
    assert item6().score == D("11.00")


def test_reporting_floors_at_zero() -> None:
    station()
    assert item6().score == D("0.00")


def test_rest_days_and_center_holidays_need_no_report() -> None:
    station()
    center(Holiday, None, day=date(2026, 2, 17), name="春节")
    for day in days(date(2026, 2, 1), date(2026, 2, 28)):
        if day.weekday() == 6:
            rest("S1", day)
        elif day != date(2026, 2, 17):
            report("S1", day, at(day, 20))
    found = item6()
    assert found.score == D("15.00")
    assert "应报日报 23 天" in found.lines[0].text


def test_an_amendment_keeps_the_originals_timeliness() -> None:
    station()
    for day in days(date(2026, 2, 2), date(2026, 2, 28)):
        report("S1", day, at(day, 20))
    original = report("S1", date(2026, 2, 1), at(date(2026, 2, 1), 21))
    report("S1", date(2026, 2, 1), at(date(2026, 2, 20)), amends=original.uuid)
    assert item6().score == D("15.00")


def test_a_late_original_stays_late_after_an_amendment() -> None:
    station()
    for day in days(date(2026, 2, 2), date(2026, 2, 28)):
        report("S1", day, at(day, 20))
    late = report("S1", date(2026, 2, 1), at(date(2026, 2, 2), 9))
    report("S1", date(2026, 2, 1), at(date(2026, 2, 1), 22), amends=late.uuid)
    assert item6().score == D("14.00")


def test_clock_flagged_report_is_late_until_accepted() -> None:
    station()
    reports_on_time("S1", date(2026, 2, 2), date(2026, 2, 28))
    flagged = report("S1", date(2026, 2, 1), at(date(2026, 2, 1), 20))
    flag = center(ClockFlag, "S1", record_kind_name="daily_report",
                  record=flagged.uuid, skew_seconds=3 * 3600,
                  received_at=at(date(2026, 2, 3)))
    assert item6().score == D("14.00")
    flag.accepted_by = "检查员乙"
    flag.save()
    assert item6().score == D("15.00")


def test_days_before_a_station_joined_are_not_due() -> None:
    station(active_from=date(2026, 2, 15))
    reports_on_time("S1", date(2026, 2, 15), date(2026, 2, 28))
    found = item6()
    assert found.score == D("15.00")
    assert "应报日报 14 天" in found.lines[0].text


def _request(deadline: int, code: str | None = None) -> ReportRequest:
    return center(ReportRequest, code, title="一季度农产品销售统计",
                  deadline_at=deadline)


def test_requested_report_late_and_missed() -> None:
    station()
    station("S2")
    reports_on_time("S1", date(2026, 2, 1), date(2026, 2, 28))
    reports_on_time("S2", date(2026, 2, 1), date(2026, 2, 28))
    deadline = clock.day_end(date(2026, 2, 20))
    request = _request(deadline)
    ledger(ReportSubmission, "S1", deadline + 3600, request=request.uuid, content="{}")
    assert item6(code="S1").score == D("14.00")
    assert item6(code="S2").score == D("13.00")


def test_requested_report_on_time_and_deadline_in_next_period() -> None:
    station()
    reports_on_time("S1", date(2026, 2, 1), date(2026, 2, 28))
    request = _request(clock.day_end(date(2026, 3, 5)), "S1")
    ledger(ReportSubmission, "S1", at(date(2026, 3, 9)), request=request.uuid,
           content="{}")
    assert item6().score == D("15.00")
    assert "统计报表 0 份" in item6().lines[0].text


def test_preview_counts_only_days_before_today() -> None:
    station()
    reports_on_time("S1", date(2026, 2, 1), date(2026, 2, 9))
    found = assess(FEB, as_of=date(2026, 2, 10), only="S1").stations[0].items[6]
    assert found.score == D("15.00")
    assert found.lines[0].text.startswith("满分（应报日报 9 天")


def test_deadline_is_midnight_shanghai_not_utc() -> None:
    """C04: 00:30 Beijing time on 11 February is already the next day."""
    _all_but_feb_10(clock.day_end(date(2026, 2, 10)) + 30 * 60)
    assert item6().score == D("14.00")
    assert clock.local_date(clock.day_end(date(2026, 2, 10))) == (
        date(2026, 2, 10) + timedelta(days=1))
