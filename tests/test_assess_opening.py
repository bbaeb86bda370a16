"""Weeks that break the opening rule, as the center sees them (RULES §1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from station_tui.assessment.engine import assess
from station_tui.records import OpenSpell
from station_tui.records.center import Holiday
from tests.assess_data import at, center, ledger, rest, station

pytestmark = pytest.mark.usefixtures("server_db")
MONDAY = date(2026, 3, 2)


def _open_full_days(code: str, count: int) -> None:
    for offset in range(count):
        day = MONDAY + timedelta(days=offset)
        ledger(OpenSpell, code, at(day, 8), opened_at=at(day, 8),
               closed_at=at(day, 17), close_kind="clock")


def _week_violations(code: str = "S1") -> list[dict]:
    found = assess("2026-03")
    return [v for v in found.extras["opening_violations"]
            if v["station"] == code and v["week"] == "2026W10"]


def test_a_week_of_four_full_days_breaks_the_five_day_rule() -> None:
    station()
    _open_full_days("S1", 4)

    [week] = _week_violations()

    assert (week["required"], week["full_days"]) == (5, 4)


def test_a_center_holiday_lowers_the_weeks_required_days_by_one() -> None:
    station()
    _open_full_days("S1", 4)
    center(Holiday, None, day=MONDAY + timedelta(days=4), name="假日")

    assert _week_violations() == []


def test_a_third_rest_day_in_a_week_is_named_with_the_week() -> None:
    station()
    _open_full_days("S1", 4)
    for offset in (4, 5, 6):
        rest("S1", MONDAY + timedelta(days=offset))

    [week] = _week_violations()

    assert week["rest_days"] == 3
