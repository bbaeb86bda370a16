"""Opening hours, rest days and the weekly rule (RULES §1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from station_tui.domain import clock
from station_tui.domain.opening_rule import (
    assess_week,
    merge_spells,
    required_open_days,
    seconds_on_day,
)
from station_tui.domain.periods import iso_week
from station_tui.errors import InputError, NotFoundError, RuleError
from station_tui.operations import opening
from station_tui.operations.changes import create
from station_tui.records import OpenSpell, Outbox, ParcelIn, RestDay, StationProfile
from station_tui.storage.db import write_txn
from station_tui.ui.app import StationApp

# The ISO week of Monday 2026-03-30 to Sunday 2026-04-05.
MONDAY = date(2026, 3, 30)
HOUR = 3600


def at(day: date, hm: str) -> int:
    """An instant at ``hm`` Shanghai time on ``day``."""
    hour, minute = map(int, hm.split(":"))
    return clock.instant_of(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def station(station: StationProfile) -> StationProfile:
    """A station in service since New Year, so every test week is whole."""
    StationProfile.update(created_at=at(date(2026, 1, 1), "08:00")).execute()
    return StationProfile.get()


def work_day(day: date, start: str = "08:00", end: str = "17:00") -> None:
    opening.open_station(at=at(day, start))
    opening.close_station(at=at(day, end))


def holiday(station: StationProfile, day: date) -> RestDay:
    with write_txn():
        return create(RestDay, station=station.code, happened_at=clock.day_start(day),
                      declared_at=clock.day_start(day), kind="holiday")


# -- clocking open and closed ---------------------------------------------


def test_spells_on_one_day_add_up(station: StationProfile) -> None:
    work_day(MONDAY, "08:00", "12:00")
    work_day(MONDAY, "13:00", "18:30")

    assert opening.open_seconds_on(MONDAY, at=at(MONDAY, "20:00")) == 9.5 * HOUR
    spells = list(OpenSpell.select().order_by(OpenSpell.opened_at))
    assert [s.close_kind for s in spells] == ["clock", "clock"]
    assert Outbox.select().where(Outbox.kind == "open_spell").count() == 4


def test_an_open_spell_counts_until_now(station: StationProfile) -> None:
    opening.open_station(at=at(MONDAY, "08:00"))

    assert opening.open_seconds_on(MONDAY, at=at(MONDAY, "10:30")) == 2.5 * HOUR


def test_opening_twice_is_refused_with_the_open_time(station: StationProfile) -> None:
    opening.open_station(at=at(MONDAY, "08:00"))

    with pytest.raises(RuleError, match="已经开门（2026-03-30 08:00 起）"):
        opening.open_station(at=at(MONDAY, "09:00"))
    assert OpenSpell.select().count() == 1


def test_closing_a_closed_station_is_refused(station: StationProfile) -> None:
    with pytest.raises(RuleError, match="关门状态"):
        opening.close_station(at=at(MONDAY, "18:00"))


def test_closing_before_the_open_time_is_refused(station: StationProfile) -> None:
    opening.open_station(at=at(MONDAY, "08:00"))

    with pytest.raises(RuleError, match="早于开门时间"):
        opening.close_station(at=at(MONDAY, "07:00"))


def test_a_new_spell_cannot_begin_before_the_last_one_closed(
        station: StationProfile) -> None:
    work_day(MONDAY, "08:00", "12:00")

    with pytest.raises(RuleError, match="早于上次关门时间"):
        opening.open_station(at=at(MONDAY, "11:00"))


def test_opening_on_a_declared_rest_day_is_refused(station: StationProfile) -> None:
    opening.declare_rest_day(MONDAY, at=at(MONDAY, "07:00"))

    with pytest.raises(RuleError, match="已申报为休息日"):
        opening.open_station(at=at(MONDAY, "08:00"))


# -- rest days ------------------------------------------------------------


def test_a_third_rest_day_in_a_week_is_refused(station: StationProfile) -> None:
    now = at(MONDAY, "07:00")
    opening.declare_rest_day(MONDAY + timedelta(days=2), at=now)
    opening.declare_rest_day(MONDAY + timedelta(days=3), at=now)

    with pytest.raises(RuleError, match="最多 2 天"):
        opening.declare_rest_day(MONDAY + timedelta(days=4), at=now)
    assert RestDay.select().count() == 2


def test_rest_days_of_another_week_do_not_count(station: StationProfile) -> None:
    now = at(MONDAY, "07:00")
    opening.declare_rest_day(MONDAY + timedelta(days=5), at=now)
    opening.declare_rest_day(MONDAY + timedelta(days=6), at=now)

    opening.declare_rest_day(MONDAY + timedelta(days=7), at=now)

    assert RestDay.select().count() == 3


def test_a_rest_day_cannot_be_declared_for_yesterday(station: StationProfile) -> None:
    with pytest.raises(RuleError, match="不能补报"):
        opening.declare_rest_day(MONDAY, at=at(MONDAY + timedelta(days=1), "07:00"))


def test_a_rest_day_cannot_be_declared_after_opening_that_day(
        station: StationProfile) -> None:
    work_day(MONDAY, "08:00", "09:00")

    with pytest.raises(RuleError, match="已经开过门"):
        opening.declare_rest_day(MONDAY, at=at(MONDAY, "10:00"))


def test_while_open_later_days_may_be_declared_but_not_today(
        station: StationProfile) -> None:
    """An open spell has no end yet; it must not count for days to come."""
    opening.open_station(at=at(MONDAY, "08:00"))

    rest = opening.declare_rest_day(MONDAY + timedelta(days=2),
                                    at=at(MONDAY, "10:00"))
    assert rest.happened_day == MONDAY + timedelta(days=2)
    with pytest.raises(RuleError, match="已经开过门"):
        opening.declare_rest_day(MONDAY, at=at(MONDAY, "10:00"))
    # Open over midnight: the new day has been open since 00:00.
    with pytest.raises(RuleError, match="已经开过门"):
        opening.declare_rest_day(MONDAY + timedelta(days=1),
                                 at=at(MONDAY + timedelta(days=1), "00:30"))


def test_a_rest_day_may_be_declared_today_before_opening(
        station: StationProfile) -> None:
    rest = opening.declare_rest_day(MONDAY, at=at(MONDAY, "06:30"))

    assert rest.happened_day == MONDAY
    assert rest.kind == "rest"
    assert rest.declared_at == at(MONDAY, "06:30")


def test_the_same_day_cannot_be_declared_twice(station: StationProfile) -> None:
    opening.declare_rest_day(MONDAY, at=at(MONDAY, "06:30"))

    with pytest.raises(RuleError, match="已经申报为休息日"):
        opening.declare_rest_day(MONDAY, at=at(MONDAY, "06:31"))


def test_center_holidays_do_not_count_against_the_two(
        station: StationProfile) -> None:
    holiday(station, MONDAY + timedelta(days=1))
    now = at(MONDAY, "07:00")

    opening.declare_rest_day(MONDAY + timedelta(days=2), at=now)
    opening.declare_rest_day(MONDAY + timedelta(days=3), at=now)

    week = opening.week_status(MONDAY, at=now)
    assert (week.rest_days, week.holidays) == (2, 1)
    assert week.required == 4


def test_a_holiday_needs_no_declaration(station: StationProfile) -> None:
    holiday(station, MONDAY + timedelta(days=1))

    with pytest.raises(RuleError, match="中心公布的假日"):
        opening.declare_rest_day(MONDAY + timedelta(days=1), at=at(MONDAY, "07:00"))


def test_a_future_rest_day_can_be_withdrawn_with_a_reason(
        station: StationProfile) -> None:
    friday = MONDAY + timedelta(days=4)
    opening.declare_rest_day(friday, at=at(MONDAY, "07:00"))

    with pytest.raises(InputError) as missing:
        opening.withdraw_rest_day(friday, "  ", at=at(MONDAY, "08:00"))
    assert missing.value.field == "reason"
    opening.withdraw_rest_day(friday, "有集市，照常营业", at=at(MONDAY, "08:00"))

    row = RestDay.get()
    assert row.voided and row.void_reason == "有集市，照常营业"
    assert opening.day_marks(MONDAY, MONDAY + timedelta(days=7)) == {}
    opening.declare_rest_day(friday, at=at(MONDAY, "09:00"))


def test_a_past_rest_day_cannot_be_withdrawn(station: StationProfile) -> None:
    opening.declare_rest_day(MONDAY, at=at(MONDAY, "07:00"))

    with pytest.raises(RuleError, match="已经过去"):
        opening.withdraw_rest_day(MONDAY, "记错了", at=at(MONDAY + timedelta(days=1),
                                                        "08:00"))


def test_withdrawing_a_day_that_is_no_rest_day_says_so(
        station: StationProfile) -> None:
    with pytest.raises(NotFoundError, match="没有申报休息日"):
        opening.withdraw_rest_day(MONDAY, "记错了", at=at(MONDAY, "07:00"))


# -- the weekly rule --------------------------------------------------------


def test_five_days_of_eight_hours_meet_the_week(station: StationProfile) -> None:
    for offset in range(5):
        work_day(MONDAY + timedelta(days=offset), "08:00", "16:00")

    week = opening.week_status(MONDAY, at=at(MONDAY + timedelta(days=7), "09:00"))

    assert (week.qualifying, week.required, week.met, week.finished) == (
        5, 5, True, True
    )


def test_a_day_short_of_eight_hours_does_not_count(station: StationProfile) -> None:
    for offset in range(4):
        work_day(MONDAY + timedelta(days=offset), "08:00", "16:00")
    opening.open_station(at=at(MONDAY + timedelta(days=4), "08:00"))
    opening.close_station(at=at(MONDAY + timedelta(days=4), "16:00") - 1)

    week = opening.week_status(MONDAY, at=at(MONDAY + timedelta(days=7), "09:00"))

    assert week.qualifying == 4
    assert not week.met and week.finished and not week.reachable


def test_a_week_in_progress_is_reachable_until_too_few_days_are_left(
        station: StationProfile) -> None:
    work_day(MONDAY, "08:00", "16:00")
    thursday_morning = at(MONDAY + timedelta(days=3), "07:00")

    week = opening.week_status(MONDAY, at=thursday_morning)
    assert week.reachable and not week.met

    opening.declare_rest_day(MONDAY + timedelta(days=5), at=thursday_morning)
    week = opening.week_status(MONDAY, at=thursday_morning)
    assert not week.reachable


def test_a_station_set_up_midweek_needs_prorated_days(
        station: StationProfile) -> None:
    wednesday = MONDAY + timedelta(days=2)
    StationProfile.update(created_at=at(wednesday, "10:00")).execute()

    week = opening.week_status(MONDAY, at=at(wednesday, "11:00"))

    assert [d.active for d in week.days] == [False, False] + [True] * 5
    assert week.required == 4  # ceil(5 × 5 ÷ 7)


@pytest.mark.parametrize(
    ("active", "holidays", "required"),
    [(7, 0, 5), (5, 0, 4), (3, 0, 3), (1, 0, 1), (0, 0, 0), (7, 1, 4), (7, 7, 0)],
)
def test_required_open_days_are_prorated_and_lowered_by_holidays(
        active: int, holidays: int, required: int) -> None:
    assert required_open_days(active, holidays) == required


def test_a_spell_over_midnight_counts_on_both_days() -> None:
    spells = merge_spells([(at(MONDAY, "20:00"), at(MONDAY + timedelta(days=1),
                                                      "02:00"))], now=0)

    assert seconds_on_day(spells, MONDAY) == 4 * HOUR
    assert seconds_on_day(spells, MONDAY + timedelta(days=1)) == 2 * HOUR


def test_overlapping_spells_never_count_an_hour_twice() -> None:
    spells = [(at(MONDAY, "08:00"), at(MONDAY, "12:00")),
              (at(MONDAY, "11:00"), at(MONDAY, "13:00")),
              (at(MONDAY, "12:30"), None)]

    merged = merge_spells(spells, now=at(MONDAY, "14:00"))

    assert merged == [(at(MONDAY, "08:00"), at(MONDAY, "14:00"))]


def test_a_week_is_judged_the_same_from_plain_values() -> None:
    spells = [(at(MONDAY + timedelta(days=d), "08:00"),
               at(MONDAY + timedelta(days=d), "17:00")) for d in range(4)]

    week = assess_week(MONDAY, spells=spells,
                       marks={MONDAY + timedelta(days=5): "holiday"},
                       active_from=None, now=at(MONDAY + timedelta(days=9), "00:00"))

    assert (week.qualifying, week.required, week.met) == (4, 4, True)


# -- power cuts ---------------------------------------------------------------


def test_an_unclosed_spell_suggests_the_last_recorded_activity(
        station: StationProfile, monkeypatch: pytest.MonkeyPatch) -> None:
    opening.open_station(at=at(MONDAY, "08:00"))
    monkeypatch.setattr(clock, "now", lambda: at(MONDAY, "15:20"))
    with write_txn():
        create(ParcelIn, station=station.code, tracking_no="SF1234567890123",
               carrier="SF", shelf_slot="A1", pickup_code="1-1-01")
    monkeypatch.setattr(clock, "now", lambda: at(MONDAY + timedelta(days=1), "07:30"))

    unclosed = opening.find_unclosed()

    assert unclosed is not None
    assert unclosed.opened_at == at(MONDAY, "08:00")
    assert unclosed.suggested_close == at(MONDAY, "15:20")
    assert not unclosed.began_today


def test_an_unclosed_spell_with_nothing_recorded_suggests_its_open_time(
        station: StationProfile) -> None:
    opening.open_station(at=at(MONDAY, "08:00"))

    unclosed = opening.find_unclosed(at=at(MONDAY, "11:00"))

    assert unclosed is not None
    assert unclosed.suggested_close == at(MONDAY, "08:00")
    assert unclosed.began_today


def test_settling_closes_the_spell_as_settled(station: StationProfile) -> None:
    spell = opening.open_station(at=at(MONDAY, "08:00"))
    next_day = at(MONDAY + timedelta(days=1), "07:30")

    opening.settle_spell(spell.uuid, at(MONDAY, "17:45"), at=next_day)

    settled = OpenSpell.get()
    assert (settled.closed_at, settled.close_kind) == (at(MONDAY, "17:45"), "settled")
    assert opening.find_unclosed(at=next_day) is None


@pytest.mark.parametrize(
    ("closed", "message"),
    [(("2026-03-30", "07:59"), "早于开门时间"), (("2026-03-31", "08:00"), "晚于现在")],
)
def test_settling_refuses_times_before_opening_or_in_the_future(
        station: StationProfile, closed: tuple[str, str], message: str) -> None:
    spell = opening.open_station(at=at(MONDAY, "08:00"))
    closed_at = at(date.fromisoformat(closed[0]), closed[1])

    with pytest.raises(InputError, match=message) as info:
        opening.settle_spell(spell.uuid, closed_at,
                             at=at(MONDAY + timedelta(days=1), "07:30"))
    assert info.value.field == "closed_at"
    assert OpenSpell.get().closed_at is None


def test_settling_at_the_minute_it_opened_is_taken_as_its_open_time(
        station: StationProfile) -> None:
    spell = opening.open_station(at=at(MONDAY, "08:00") + 40)

    opening.settle_spell(spell.uuid, at(MONDAY, "08:00"), at=at(MONDAY, "09:00"))

    assert OpenSpell.get().closed_at == at(MONDAY, "08:00") + 40


# -- the 营业 screen ------------------------------------------------------------


def _notices(app: StationApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_opening_screen_opens_refuses_twice_and_closes(
        station: StationProfile, db_path: Path) -> None:
    from station_tui.ui.screens.opening_screen import OpeningScreen

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, OpeningScreen)

        for key in ("o", "o", "c", "c"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()

        notices = _notices(app)
        assert notices[0].startswith("已开门")
        assert "不能重复开门" in notices[1]
        assert notices[2].startswith("已关门")
        assert "关门状态" in notices[3]
        state = str(app.screen.query_one("#opening-state").render())
        assert "关门" in state
    spell = OpenSpell.get()
    assert spell.closed_at is not None and spell.close_kind == "clock"


async def test_a_mistyped_rest_day_is_marked_at_the_date_field(
        station: StationProfile, db_path: Path) -> None:
    from station_tui.ui.widgets.form_field import FormField

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        day = app.screen.query_one("#field-day", FormField)
        day.value = "2026-13-01"
        await pilot.click("#opening-rest")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert day.has_class("-invalid")
        assert "2026-13-01" in str(day.query_one(".form-field--error").render())
        assert day.value == "2026-13-01"
    assert RestDay.select().count() == 0


async def test_the_week_keys_page_through_weeks(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = app.screen.query_one("#opening-week-title")
        assert "本周" in str(title.render())

        await pilot.press("left_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()

        this_monday = iso_week(clock.local_date(clock.now())).start
        assert (this_monday - timedelta(days=7)).isoformat() in str(title.render())
        assert "本周" not in str(title.render())


async def test_right_after_opening_the_week_shows_today_as_open(
        station: StationProfile, db_path: Path) -> None:
    """The header said 营业中 while today's row still said 未开门."""
    from station_tui.ui.screens.opening_screen import OpeningScreen

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, OpeningScreen)
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        week = app.screen.query_one("#opening-week")
        today = clock.local_date(clock.now()).isoformat()
        assert str(week.get_row(today)[-1]) == "营业中"

        await pilot.press("f1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        row = app.screen.query_one("#today-week").get_row(today)
        assert row[-1].plain == "营业中"
