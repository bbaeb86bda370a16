"""Domain values: money (C03), phones (C01), periods, carriers."""

from __future__ import annotations

from datetime import date

import pytest

from station_tui.domain.carriers import guess_carrier, normalize_tracking
from station_tui.domain.money import format_fen, parse_yuan
from station_tui.domain.periods import iso_week, parse_period
from station_tui.domain.phone import mask, normalize_mobile
from station_tui.errors import InputError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("＋８６ １９９ ００００ ００００", "19900000000", id="C01-fullwidth"),
        pytest.param("199-0000-0000", "19900000000", id="C01-dashes"),
        pytest.param(" 19200000000 ", "19200000000", id="C01-spaces"),
        pytest.param("13800001111", "13800001111", id="C01-plain"),
        pytest.param("+86 138 0000 1111", "13800001111", id="plus86"),
    ],
)
def test_mobile_numbers_are_stored_as_eleven_digits(typed: str, stored: str) -> None:
    assert normalize_mobile(typed) == stored


@pytest.mark.parametrize("typed", ["12", "23800001111", "1380000111", "abc", "",
                                   "+1 415 555 0100", "010-12345678"])
def test_invalid_mobile_numbers_are_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_mobile(typed)
    assert info.value.field == "phone"
    assert info.value.message


@pytest.mark.parametrize(
    ("typed", "fen"),
    [("582.42", 58242), ("9.95", 995), ("0.1", 10), ("１２.５", 1250),
     ("¥3", 300), ("1,000.00", 100000), ("１２元", 1200), ("12.50 元", 1250),
     ("￥8元", 800)],
)
def test_amounts_are_stored_as_integer_fen_C03(typed: str, fen: int) -> None:
    assert parse_yuan(typed) == fen


def test_ten_dimes_sum_to_exactly_one_yuan_C03() -> None:
    assert format_fen(sum(parse_yuan("0.1") for _ in range(10))) == "1.00"


@pytest.mark.parametrize("typed", ["0", "-5", "9.995", "abc", "", "1.2.3",
                                   "元", "12元元", "元12", "12块"])
def test_bad_amounts_are_refused_never_rounded_C03(typed: str) -> None:
    with pytest.raises(InputError):
        parse_yuan(typed)


def test_zero_is_allowed_only_where_asked_for() -> None:
    assert parse_yuan("0", allow_zero=True) == 0


def test_phone_is_masked_in_lists() -> None:
    assert mask("13800001111") == "138****1111"


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026H1", date(2026, 1, 1), date(2026, 7, 1)),
        ("2026h2", date(2026, 7, 1), date(2027, 1, 1)),
        ("2026Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ],
)
def test_periods_are_half_open_ranges(name: str, start: date, end: date) -> None:
    period = parse_period(name)
    assert (period.start, period.end) == (start, end)


def test_iso_weeks_start_on_monday() -> None:
    week = iso_week(date(2026, 12, 4))
    assert week.start == date(2026, 11, 30)
    assert week.days == 7


def test_unknown_tracking_format_is_still_accepted_as_other() -> None:
    assert guess_carrier(normalize_tracking("abc123456")) == "OTHER"
    assert guess_carrier(normalize_tracking("SF1234567890123")) == "SF"


def test_tracking_with_spaces_or_symbols_is_refused() -> None:
    with pytest.raises(InputError):
        normalize_tracking("SF12 34?")


def test_a_character_typed_as_two_utf16_halves_is_rejoined() -> None:
    from station_tui.domain.text import clean, join_surrogates

    halves = "张\ud842\udfb7"  # 张𠮷 as a Windows console may deliver it
    assert clean(halves) == "张𠮷"
    assert join_surrogates("a\ud842b") == "a\ufffdb"
    clean(halves).encode("utf-8")  # storable


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-04-01", "2026-04-01"), ("2026-4-1", "2026-04-01"),
    ("2026/4/1", "2026-04-01"), ("２０２６．４．１", "2026-04-01"),
])
def test_a_day_is_read_as_people_write_it(typed: str, day: str) -> None:
    from station_tui.domain import clock

    assert clock.parse_day(typed).isoformat() == day


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-02-30", "日期“2026-02-30”不存在：2026 年没有 2 月 30 日"),
    ("明天", "日期“明天”格式不对，请写成 2026-04-01 这样"),
])
def test_a_wrong_day_says_what_is_wrong(typed: str, message: str) -> None:
    from station_tui.domain import clock
    from station_tui.errors import InputError

    with pytest.raises(InputError) as caught:
        clock.parse_day(typed)
    assert caught.value.message == message
