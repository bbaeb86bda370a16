"""What a partner reads when a phone or tracking number is refused."""

from __future__ import annotations

import pytest

from station_tui.domain.carriers import normalize_tracking
from station_tui.domain.phone import normalize_mobile
from station_tui.errors import InputError


def refusal(check, typed: str) -> str:
    with pytest.raises(InputError) as info:
        check(typed)
    return info.value.message


@pytest.mark.parametrize("typed", ["01012345678", "010-62345678", "0351-2345678"])
def test_a_landline_is_called_a_landline_not_a_short_mobile(typed: str) -> None:
    assert refusal(normalize_mobile, typed) == (
        f"“{typed}”是固定电话，不是手机号：请填写以 1 开头的 11 位手机号")


def test_a_number_not_starting_with_1_is_not_a_mobile() -> None:
    assert refusal(normalize_mobile, "23800001111") == (
        "“23800001111”不是手机号：手机号是以 1 开头的 11 位数字")


def test_a_mobile_missing_a_digit_says_how_many_it_has() -> None:
    assert refusal(normalize_mobile, "1380000111") == (
        "“1380000111”有 10 位数字，手机号应为 11 位")


def test_a_60_character_tracking_number_is_called_too_long() -> None:
    message = refusal(normalize_tracking, "7" * 60)

    assert message == (f"单号“{'7' * 24}…”有 60 个字符，单号应为 6–40 个字符，"
                       "请核对是否扫错或连扫了两次")


def test_a_short_tracking_number_is_called_too_short() -> None:
    assert "有 4 个字符，单号应为 6–40 个字符" in refusal(normalize_tracking, "SF12")


def test_a_tracking_number_with_symbols_still_names_the_symbols() -> None:
    assert "含有不能出现在单号里的字符" in refusal(normalize_tracking, "SF1234?56")
