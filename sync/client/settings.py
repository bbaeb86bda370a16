"""This PC's center address and token: checked, then stored together.

Both faces use it: ``station-tui init --center … --token …`` and the
中心设置 dialog of the app's 中心 screen.
"""

from __future__ import annotations

from station_tui.errors import FieldChecks
from station_tui.operations.station import get_setting, set_setting
from station_tui.storage.db import write_txn
from sync.client.http import check_center_url, check_token

URL_KEY = "center_url"
TOKEN_KEY = "center_token"


def checked_center(url: str | None, token: str | None) -> dict[str, str]:
    """The settings given (None: leave as is), checked; nothing is stored.

    A wrong address and a wrong token are raised together (InputErrors).
    """
    checks = FieldChecks()
    checked = {
        URL_KEY: checks.take(check_center_url, url) if url is not None else None,
        TOKEN_KEY: checks.take(check_token, token) if token is not None else None,
    }
    checks.raise_all()
    return {key: value for key, value in checked.items() if value is not None}


def save_center(url: str | None, token: str | None) -> dict[str, str]:
    """Check and store the center settings given; returns what was stored."""
    settings = checked_center(url, token)
    with write_txn():
        for key, value in settings.items():
            set_setting(key, value)
    return settings


def describe_center(settings: dict[str, str]) -> str:
    """What was set, in Chinese; the token by its id only, never its secret."""
    parts = []
    if URL_KEY in settings:
        parts.append(f"中心地址 {settings[URL_KEY]}")
    if TOKEN_KEY in settings:
        parts.append(f"令牌（编号 {settings[TOKEN_KEY].split('.')[0]}）")
    return "、".join(parts)


def current_center() -> tuple[str, bool]:
    """The stored center address ("" if none) and whether a token is stored."""
    return get_setting(URL_KEY) or "", bool(get_setting(TOKEN_KEY))
